import { NextResponse } from 'next/server';
import path from 'node:path';
import { getLab, readFolderFiles } from '@/lib/labs/registry';
import { buildSubmissionTar } from '@/lib/grading/tar';

/** The lab's starter files as a tar archive (public, like the instructions). */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  const { id } = await ctx.params;
  const lab = /^[a-z0-9-]{3,63}$/.test(id) ? getLab(id) : undefined;
  if (!lab) return NextResponse.json({ error: 'No such lab.' }, { status: 404 });
  const tar = await buildSubmissionTar(readFolderFiles(path.join(lab.dir, 'starter')));
  return new NextResponse(new Uint8Array(tar), {
    headers: { 'Content-Type': 'application/x-tar', 'Content-Disposition': `attachment; filename="${id}-starter.tar"` },
  });
}
