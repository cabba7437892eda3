import { NextResponse } from 'next/server';
import { z } from 'zod';
import { route } from '@/app/_server/http/handler';
import { AppError, isAppError, msg } from '@/lib/errors';
import { gradebook, gradebookCsv } from '@/lib/cohorts/gradebook';
import { audit } from '@/lib/audit';
import { clientAddress } from '@/lib/security/client-address';

export const dynamic = 'force-dynamic';

/** The gradebook as CSV, for the instructor who teaches the cohort (or an admin); every export is audited. */
export const GET = route({ params: z.object({ id: z.string().regex(/^[a-z0-9]{10,40}$/) }) }, async ({ req, params: { id }, user }) => {
  const gb = await gradebook(user!, id).catch((e: unknown) => {
    throw isAppError(e, 'not_found') ? new AppError('not_found', { message: msg('errors.noSuchCohort') }) : e;
  });
  await audit({
    actorId: user!.id,
    action: 'cohort.export',
    targetType: 'cohort',
    targetId: id,
    detail: { rows: gb.rows.length },
    ip: clientAddress(req.headers),
  });
  const name = gb.cohort.name.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 40) || 'cohort';
  return new NextResponse(gradebookCsv(gb), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="gradebook-${name}.csv"`,
      'Cache-Control': 'private, no-store',
    },
  });
});
