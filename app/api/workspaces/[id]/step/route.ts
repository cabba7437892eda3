import { z } from 'zod';
import { route, methodNotAllowed } from '@/app/_server/http/handler';
import { actorOf, withEngine, WORKSPACE_ID } from '@/app/_server/workspaces';

export const dynamic = 'force-dynamic';

/** "Check step": runs the step's verification (from lab.yaml) in the workspace; `{ done, message? }`. */
export const POST = route(
  { params: z.object({ id: z.string().regex(WORKSPACE_ID) }), body: z.object({ stepId: z.string().regex(/^[a-z0-9-]{1,64}$/) }) },
  async ({ params: p, body, user }) => withEngine((e) => e.checkStep(actorOf(user), p.id, body.stepId)),
);

export const GET = methodNotAllowed(['POST']);
export const PUT = GET;
export const PATCH = GET;
export const DELETE = GET;
