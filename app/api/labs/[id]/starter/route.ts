import { NextResponse } from 'next/server';
import path from 'node:path';
import { z } from 'zod';
import { getLab, readFolderFiles } from '@/lib/labs/registry';
import { buildSubmissionTar } from '@/lib/grading/tar';
import { route } from '@/app/_server/http/handler';
import { AppError, msg } from '@/lib/errors';

/** The lab's starter files as a tar archive (public, like the instructions). */
export const GET = route({ public: true, params: z.object({ id: z.string().regex(/^[a-z0-9-]{3,63}$/) }) }, async ({ params }) => {
  const lab = getLab(params.id);
  if (!lab) throw new AppError('not_found', { message: msg('errors.noSuchLab') });
  const tar = await buildSubmissionTar(readFolderFiles(path.join(lab.dir, 'starter')));
  return new NextResponse(new Uint8Array(tar), {
    headers: { 'Content-Type': 'application/x-tar', 'Content-Disposition': `attachment; filename="${params.id}-starter.tar"` },
  });
});
