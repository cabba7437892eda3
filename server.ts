/**
 * The web process: Next's request handler behind a thin Node HTTP server that
 *  - serves prerendered lessons (/weeks/<week>/<slug>) straight from the build output, picked by the language cookie,
 *    the way nginx's try_files would: a lesson costs a map lookup, not a trip through the framework;
 *  - upgrades /api/workspaces/<id>/tty to a WebSocket relayed to the learner's workspace terminal, after checking the
 *    Origin, the session and the owner on the upgrade request (app/_server/http/workspace-tty.ts); the workspace
 *    engine (lib/workspaces) is this process's singleton, shut down (its containers kept, for the next process to
 *    reattach) on SIGTERM;
 *  - gives every request an id (x-request-id, echoed) and one pino JSON log line, and records its latency in the
 *    lms_http_request_duration_seconds histogram served by /api/metrics (same process, same registry).
 * Everything else, including the React Server Component requests of client-side navigation, goes to Next.
 *
 *   node --import tsx server.ts            (PORT, BIND_HOST; LMS_DIST_DIR like next.config.js)
 */
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import next from 'next';
import { getEnv } from './lib/env';
import { partLogger } from './lib/log';
import { metrics } from './lib/metrics';
import { guardRequest } from './app/_server/http/node-guard';
import { createTtyRelay } from './app/_server/http/workspace-tty';
import { answerStatusPoll, isStatusPoll } from './app/_server/http/fast-status';
import { answerFromPageCache, cachedPageOf } from './app/_server/http/page-cache';
import { getWorkspaceEngine } from './lib/workspaces';

const ROOT = import.meta.dirname;
// BIND_HOST, not HOSTNAME: Docker sets that to the container's name. '::' listens on IPv6 and IPv4 alike.
const { PORT: port, BIND_HOST: hostname, LMS_DIST_DIR } = getEnv();
const distDir = path.join(ROOT, LMS_DIST_DIR);
const log = partLogger('web');

interface HeaderRule {
  regex: string;
  headers: { key: string; value: string }[];
}

/** The headers next.config.js declares (security headers), as Next compiled them: applied to lessons too. */
function configuredHeaders(pathname: string): [string, string][] {
  const manifest = JSON.parse(fs.readFileSync(path.join(distDir, 'routes-manifest.json'), 'utf8')) as { headers?: HeaderRule[] };
  const out: [string, string][] = [];
  for (const rule of manifest.headers ?? []) if (new RegExp(rule.regex).test(pathname)) for (const h of rule.headers) out.push([h.key, h.value]);
  return out;
}

const LESSON = /^\/weeks\/(\d{1,2})\/([a-z0-9-]{1,80})\/?$/;
interface CachedLesson {
  body: Buffer;
  etag: string;
}
const lessons = new Map<string, CachedLesson | null>();

function prerenderedLesson(lang: 'ko' | 'en', week: string, slug: string): CachedLesson | null {
  const key = `${lang}/${Number(week)}/${slug}`;
  let hit = lessons.get(key);
  if (hit === undefined) {
    const file = path.join(distDir, 'server', 'app', 'lessons', lang, String(Number(week)), `${slug}.html`);
    hit = fs.existsSync(file)
      ? { body: fs.readFileSync(file), etag: `"${crypto.createHash('sha1').update(fs.readFileSync(file)).digest('base64url').slice(0, 20)}"` }
      : null;
    lessons.set(key, hit);
  }
  return hit;
}

function langFromCookie(cookie: string | undefined): 'ko' | 'en' {
  return /(?:^|;\s*)lang=en(?:;|$)/.test(cookie ?? '') ? 'en' : 'ko';
}

async function main() {
  const app = next({ dev: false, dir: ROOT, hostname: 'localhost', port });
  await app.prepare();
  const handle = app.getRequestHandler();
  let lessonHeaders: [string, string][] | undefined;
  let statusHeaders: [string, string][] | undefined;
  const m = metrics();

  const server = http.createServer((req, res) => {
    const t0 = process.hrtime.bigint();
    const id =
      typeof req.headers['x-request-id'] === 'string' && /^[\w.-]{1,64}$/.test(req.headers['x-request-id']) ? req.headers['x-request-id'] : crypto.randomUUID();
    res.setHeader('x-request-id', id);
    const url = req.url ?? '/';
    const pathname = url.split('?')[0]!;
    let route = 'next';
    res.on('finish', () => {
      const s = Number(process.hrtime.bigint() - t0) / 1e9;
      // Route label: a family of paths, never the raw path (unbounded label values would blow up the registry).
      m.httpDuration.observe({ route, method: req.method ?? 'GET', status: String(res.statusCode) }, s);
      if (route !== 'lesson' || res.statusCode >= 400)
        log.info({ reqId: id, method: req.method, path: pathname, status: res.statusCode, ms: Math.round(s * 1000) }, 'request');
    });

    // Client address onto X-Forwarded-For; oversized or length-less bodies refused with 413/411 (app/_server/http/node-guard.ts).
    if (guardRequest(req, res)) return;
    const lm = (req.method === 'GET' || req.method === 'HEAD') && !req.headers.rsc && !req.headers['next-router-state-tree'] ? LESSON.exec(pathname) : null;
    if (lm) {
      const lesson = prerenderedLesson(langFromCookie(req.headers.cookie), lm[1]!, lm[2]!);
      if (lesson) {
        route = 'lesson';
        lessonHeaders ??= configuredHeaders(pathname);
        for (const [k, v] of lessonHeaders) res.setHeader(k, v);
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        // One URL, two languages: caches must key on the cookie; revalidate so a new build is picked up.
        res.setHeader('Vary', 'Cookie');
        res.setHeader('Cache-Control', 'private, no-cache');
        res.setHeader('ETag', lesson.etag);
        if (req.headers['if-none-match'] === lesson.etag) {
          res.statusCode = 304;
          res.end();
          return;
        }
        res.setHeader('Content-Length', lesson.body.length);
        res.end(req.method === 'HEAD' ? undefined : lesson.body);
        return;
      }
    }
    route = pathname.startsWith('/api/') ? pathname.split('/').slice(0, 3).join('/') : pathname.startsWith('/_next/') ? '/_next' : 'page';
    const toNext = () =>
      handle(req, res).catch((e: unknown) => {
        log.error({ reqId: id, err: e }, 'request failed');
        if (!res.headersSent) {
          res.statusCode = 500;
          res.setHeader('Content-Type', 'text/plain; charset=utf-8');
        }
        res.end('Something went wrong on our side. · 서버에서 문제가 생겼습니다.');
      });
    // A learner's status poll: the session and one query here (app/_server/http/fast-status.ts); refusals go to Next.
    const poll = isStatusPoll(req, pathname);
    if (poll) {
      statusHeaders ??= configuredHeaders('/api/submissions/x');
      answerStatusPoll(req, res, poll[1]!, statusHeaders).then(
        (done) => {
          if (!done) void toNext();
        },
        (e: unknown) => {
          log.error({ reqId: id, err: e }, 'status poll failed, handed to Next');
          if (!res.headersSent) void toNext();
        },
      );
      return;
    }
    // The dashboard and lab pages, kept per reader under a hash of what they show (app/_server/http/page-cache.ts).
    const page = cachedPageOf(req, pathname, url.slice(pathname.length));
    if (page) {
      answerFromPageCache(req, res, page, url).then(
        (done) => {
          if (!done) void toNext();
        },
        (e: unknown) => {
          log.error({ reqId: id, err: e }, 'page cache failed, handed to Next');
          if (!res.headersSent) void toNext();
        },
      );
      return;
    }
    void toNext();
  });
  server.keepAliveTimeout = 65_000;

  // Workspace terminals: the only upgrade this server takes (Next's own is for development's hot reload).
  const tty = createTtyRelay({ engine: getWorkspaceEngine, log: (fields, msg) => log.error(fields, msg) });
  server.on('upgrade', (req, socket, head) => {
    if (tty.handleUpgrade(req, socket, head)) return;
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });

  server.listen(port, hostname, () => log.info({ port, hostname }, `ready: http://localhost:${port}`));
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down');
    // Terminals are told the server is restarting (1012: the page reconnects); the engine stops its timers and drains
    // its pool, and leaves learners' workspaces running for the next process to reattach.
    tty.closeAll(1012, 'server restarting');
    const engine = (globalThis as { __lmsWorkspaces?: { shutdown(): Promise<void> } }).__lmsWorkspaces;
    const engineDone = engine ? engine.shutdown().catch((e: unknown) => log.error({ err: e }, 'workspace engine shutdown failed')) : Promise.resolve();
    server.close(() => void engineDone.then(() => process.exit(0)));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e: unknown) => {
  log.fatal({ err: e }, 'web failed to start');
  process.exit(1);
});
