import { z } from 'zod';
import { route, methodNotAllowed } from '@/app/_server/http/handler';
import { actorOf, withEngine, WORKSPACE_ID } from '@/app/_server/workspaces';

export const dynamic = 'force-dynamic';

/**
 * A practice check (what `lms check` runs in the terminal): the workspace's files graded by the lab's grader in a
 * fresh sandbox, not an attempt. Waits for the verdict and answers it (per-check results, hints, the terminal's text).
 * Rate-limited per learner (429 with Retry-After).
 */
export const POST = route({ params: z.object({ id: z.string().regex(WORKSPACE_ID) }) }, async ({ params: p, user }) =>
  withEngine((e) => e.runCheck(actorOf(user), p.id)),
);

export const GET = methodNotAllowed(['POST']);
export const PUT = GET;
export const PATCH = GET;
export const DELETE = GET;
