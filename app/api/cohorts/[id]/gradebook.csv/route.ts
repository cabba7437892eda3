import { NextResponse } from 'next/server';
import { z } from 'zod';
import { currentUser } from '@/lib/auth/session';
import { NotFound } from '@/lib/auth/actor';
import { gradebook, gradebookCsv } from '@/lib/cohorts/gradebook';
import { audit } from '@/lib/audit';
import { clientAddress } from '@/lib/security/client-address';

export const dynamic = 'force-dynamic';

/** The gradebook as CSV, for the instructor who teaches the cohort (or an admin); every export is audited. */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }) {
  const { id } = await ctx.params;
  if (!z.string().regex(/^[a-z0-9]{10,40}$/).safeParse(id).success) return NextResponse.json({ error: 'Invalid cohort id.' }, { status: 400 });
  const user = await currentUser();
  if (!user) return NextResponse.json({ error: 'Sign in first.' }, { status: 401 });
  try {
    const gb = await gradebook(user, id);
    await audit({ actorId: user.id, action: 'cohort.export', targetType: 'cohort', targetId: id, detail: { rows: gb.rows.length }, ip: clientAddress(req.headers) });
    const name = gb.cohort.name.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 40) || 'cohort';
    return new NextResponse(gradebookCsv(gb), {
      headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="gradebook-${name}.csv"`, 'Cache-Control': 'private, no-store' },
    });
  } catch (e) {
    if (e instanceof NotFound) return NextResponse.json({ error: 'No such cohort.' }, { status: 404 });
    console.error('[api] gradebook csv:', e);
    return NextResponse.json({ error: 'Something went wrong.' }, { status: 500 });
  }
}
