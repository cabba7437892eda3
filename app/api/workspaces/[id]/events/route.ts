import { z } from 'zod';
import { route, methodNotAllowed } from '@/app/_server/http/handler';
import { actorOf, withEngine, WORKSPACE_ID } from '@/app/_server/workspaces';
import { workspaceState } from '@/app/_server/workspace-state';

export const dynamic = 'force-dynamic';

/** A stream ends after this long; the browser's EventSource reconnects (retry below), which checks the session again. */
const LIFETIME_MS = 60_000;
const KEEPALIVE_MS = 20_000;

/**
 * The workspace's events as Server-Sent Events, for the lab page: first a `snapshot` (state, files, steps, so a
 * reconnect misses nothing), then the engine's events as they happen: `files` (a terminal edit, an editor save from
 * another tab, a reset), `status` (starting/running/stopped and why), `step` and `check` (lms check's progress and
 * verdict). Each is one `data:` line of JSON. Owner only (404 for anyone else, as for an unknown id).
 */
export const GET = route({ params: z.object({ id: z.string().regex(WORKSPACE_ID) }) }, async ({ params: p, user, req }) => {
  const actor = actorOf(user);
  const info = await withEngine((e) => e.info(actor, p.id));
  const enc = new TextEncoder();
  let end: () => void = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let done = false;
      let unsubscribe: (() => void) | null = null;
      const timers: NodeJS.Timeout[] = [];
      const write = (text: string) => {
        if (done) return;
        try {
          controller.enqueue(enc.encode(text));
        } catch {
          end();
        }
      };
      end = () => {
        if (done) return;
        done = true;
        for (const t of timers) clearTimeout(t);
        unsubscribe?.();
        try {
          controller.close();
        } catch {
          /* already closed by the reader */
        }
      };
      req.signal.addEventListener('abort', () => end());
      write('retry: 2000\n\n');
      try {
        unsubscribe = await withEngine((e) => e.subscribe(actor, p.id, (ev) => write(`data: ${JSON.stringify(ev)}\n\n`)));
        // After subscribing, so no event falls between the snapshot and the stream.
        write(`data: ${JSON.stringify({ type: 'snapshot', ...(await workspaceState(actor, info.labId)) })}\n\n`);
      } catch {
        end();
        return;
      }
      if (done) unsubscribe();
      timers.push(setInterval(() => write(': keep-alive\n\n'), KEEPALIVE_MS));
      timers.push(setTimeout(() => end(), LIFETIME_MS));
    },
    cancel() {
      end();
    },
  });
  return new Response(stream, {
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      // no-transform: Next's compression would otherwise hold events back in its gzip buffer.
      'Cache-Control': 'no-store, no-transform',
      'X-Accel-Buffering': 'no',
    },
  });
});

export const POST = methodNotAllowed(['GET']);
export const PUT = POST;
export const PATCH = POST;
export const DELETE = POST;
