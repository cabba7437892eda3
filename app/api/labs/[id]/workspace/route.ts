import { z } from 'zod';
import { route, methodNotAllowed } from '@/app/_server/http/handler';
import { actorOf, withEngine, LAB_ID } from '@/app/_server/workspaces';
import { workspaceState } from '@/app/_server/workspace-state';

export const dynamic = 'force-dynamic';

const params = z.object({ id: z.string().regex(LAB_ID) });

/**
 * The signed-in learner's workspace for this lab, without starting anything: `{ workspace, files, steps }`
 * (workspace and files null when they never opened one; steps from the lab with none done). Only ever the caller's own.
 */
export const GET = route({ params }, async ({ params: p, user }) => workspaceState(actorOf(user), p.id));

/**
 * "Open terminal": starts (or reattaches to, or takes from the pool) the caller's workspace for this lab, in the
 * language given (else the site's), and answers the same shape as GET. One workspace per learner: another lab's stops.
 */
export const POST = route({ params, body: z.object({ lang: z.enum(['ko', 'en']).optional() }) }, async ({ params: p, body, user, lang }) => {
  const actor = actorOf(user);
  await withEngine((e) => e.open(actor, p.id, { lang: body.lang ?? lang }));
  return workspaceState(actor, p.id);
});

export const PUT = methodNotAllowed(['GET', 'POST']);
export const PATCH = PUT;
export const DELETE = PUT;
