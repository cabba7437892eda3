import { z } from 'zod';
import { route, methodNotAllowed } from '@/app/_server/http/handler';
import { actorOf, withEngine, WORKSPACE_ID } from '@/app/_server/workspaces';

export const dynamic = 'force-dynamic';

const params = z.object({ id: z.string().regex(WORKSPACE_ID) });

/** The workspace's state (status, idle deadline, tools, what is not installed). Owner only: anyone else gets 404. */
export const GET = route({ params }, async ({ params: p, user }) => withEngine((e) => e.info(actorOf(user), p.id)));

/** `{ lang }`: the language of the terminal's messages (lms check, lms help, steps), when the reader switches. */
export const PATCH = route({ params, body: z.object({ lang: z.enum(['ko', 'en']) }) }, async ({ params: p, body, user }) => {
  const actor = actorOf(user);
  return withEngine(async (e) => {
    await e.setLang(actor, p.id, body.lang);
    return e.info(actor, p.id);
  });
});

/** Close: the files are saved (the terminal's last edits first) and the container removed. */
export const DELETE = route({ params }, async ({ params: p, user }) => {
  await withEngine((e) => e.closeWorkspace(actorOf(user), p.id));
  return { ok: true };
});

export const POST = methodNotAllowed(['GET', 'PATCH', 'DELETE']);
export const PUT = POST;
