import { NextResponse } from 'next/server';
import { z } from 'zod';
import { route, methodNotAllowed } from '@/app/_server/http/handler';
import { asAppError, staleCurrent } from '@/app/_server/http/workspace-errors';
import { getWorkspaceEngine } from '@/lib/workspaces';
import { actorOf, LAB_ID } from '@/app/_server/workspaces';

export const dynamic = 'force-dynamic';

const body = z.object({
  files: z
    .array(z.object({ path: z.string().min(1).max(200), content: z.string().max(3 * 1024 * 1024) }))
    .max(200)
    .optional(),
  delete: z.array(z.string().min(1).max(200)).max(200).optional(),
  baseRevision: z.number().int().min(0).optional(),
});

/**
 * The editor's save: upserts `files`, deletes `delete`, pushes them into the running container, and answers the
 * workspace's files with the new revision. With `baseRevision` older than the stored one (the terminal changed the
 * files meanwhile) nothing is written: 409 `{ code: 'stale', message, current }`, `current` being the stored files.
 * A name or size the lab does not take: 400/413 with the submission check's message.
 */
export const PUT = route({ params: z.object({ id: z.string().regex(LAB_ID) }), body }, async ({ params: p, body: change, user, lang }) => {
  try {
    return await getWorkspaceEngine().writeFiles(actorOf(user), p.id, change);
  } catch (e) {
    const current = staleCurrent(e);
    if (current !== undefined) {
      const said = asAppError(e)!.bilingual();
      return NextResponse.json({ error: said[lang], code: 'stale', message: said, current }, { status: 409, headers: { 'Cache-Control': 'no-store' } });
    }
    throw asAppError(e) ?? e;
  }
});

export const GET = methodNotAllowed(['PUT']);
export const POST = GET;
export const PATCH = GET;
export const DELETE = GET;
