import { z } from 'zod';
import { route, methodNotAllowed } from '@/app/_server/http/handler';
import { actorOf, withEngine, LAB_ID } from '@/app/_server/workspaces';

export const dynamic = 'force-dynamic';

/** Back to the starter files (in the database and in the running container); answers the files with their revision. */
export const POST = route({ params: z.object({ id: z.string().regex(LAB_ID) }) }, async ({ params: p, user }) =>
  withEngine((e) => e.resetFiles(actorOf(user), p.id)),
);

export const GET = methodNotAllowed(['POST']);
export const PUT = GET;
export const PATCH = GET;
export const DELETE = GET;
