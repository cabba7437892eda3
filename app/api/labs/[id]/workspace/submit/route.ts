import { NextResponse } from 'next/server';
import { z } from 'zod';
import { route, methodNotAllowed } from '@/app/_server/http/handler';
import { actorOf, withEngine, LAB_ID } from '@/app/_server/workspaces';

export const dynamic = 'force-dynamic';

/**
 * Submit from the workspace: exactly its saved files (the terminal's last edits flushed first) through the normal
 * submission path, as an attempt with the same limits. 202 `{ submissionId }`; poll /api/submissions/<id>.
 */
export const POST = route({ params: z.object({ id: z.string().regex(LAB_ID) }) }, async ({ params: p, user }) => {
  const { submissionId } = await withEngine((e) => e.submit(actorOf(user), p.id));
  return NextResponse.json({ submissionId, status: `/api/submissions/${submissionId}` }, { status: 202, headers: { 'Cache-Control': 'no-store' } });
});

export const GET = methodNotAllowed(['POST']);
export const PUT = GET;
export const PATCH = GET;
export const DELETE = GET;
