/**
 * bin/lms bench web: the production build under load, side by side with a floor measured in the same run.
 *   floor:     a static server in its own process (cli/bench-floor.mjs) answering the same rendered lesson HTML and a
 *              recorded status document from memory: no framework, no database, as nginx would
 *   lesson:    GET of a lesson page
 *   dashboard: GET /dashboard as a signed-in learner
 *   labPage:   GET of a lab page as a signed-in learner
 *              (both as one learner reloading them, which the web process keeps: app/_server/http/page-cache.ts)
 *   dashboardMiss, labPageMiss: the first view of each of the --pollers learners, once each (none kept yet)
 *   status:    200 signed-in learners (--pollers) each polling its own unfinished submission as the lab page does
 *              (GET /api/submissions/:id, the next poll --poll-ms after the answer), against the floor's status
 *              document under the same 200 pollers
 * Every route is warmed up before it is measured. Prints p50/p95 and the ratios to the floor; --json prints one
 * document with ratios.{lessonP95, dashboardP95, labPageP95, dashboardMissP95, labPageMissP95, statusP95} and
 * lessonJsKbGzip. --url measures a web process already running on the same database instead of starting one.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawn, type ChildProcess } from 'node:child_process';
import { CliError, log } from './sh';
import { ROOT } from './services';
import { DEMO_PASSWORD, startApp, startStack } from './stack';
import { getEnv } from '../lib/env';

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * A closed-loop load on loopback: `connections` keep-alive clients, each sending its next request when the last one
 * answered, for `seconds`. Every latency is kept, so p50/p95 are exact. Bounded in time by construction.
 */
async function load(url: string, seconds: number, connections: number, headers: Record<string, string> = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const u = new URL(url);
  const lat: number[] = [];
  let bad = 0;
  const end = Date.now() + seconds * 1000;
  const one = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = http.get({ host: u.hostname, port: u.port, path: u.pathname + u.search, agent, headers }, (res) => {
        res.resume();
        res.on('end', () => {
          lat.push(performance.now() - t0);
          if (res.statusCode !== 200) bad++;
          resolve();
        });
      });
      req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        bad++;
        resolve();
      });
    });
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < end) await one();
    }),
  );
  agent.destroy();
  lat.sort((a, b) => a - b);
  const r1 = (x: number) => Math.round(x * 10) / 10;
  return { p50Ms: r1(pct(lat, 50)), p95Ms: r1(pct(lat, 95)), p99Ms: r1(pct(lat, 99)), rps: Math.round(lat.length / seconds), requests: lat.length, bad };
}

/**
 * `pollers` clients, each polling its own URL as the lab page does: a GET, then the next one `everyMs` after the
 * answer, for `seconds`. Reports the latency of every poll.
 */
async function poll(urls: { url: string; headers: Record<string, string> }[], seconds: number, everyMs: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: urls.length });
  const lat: number[] = [];
  let bad = 0;
  const end = Date.now() + seconds * 1000;
  const one = (u: URL, headers: Record<string, string>) =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = http.get({ host: u.hostname, port: u.port, path: u.pathname + u.search, agent, headers }, (res) => {
        res.resume();
        res.on('end', () => {
          lat.push(performance.now() - t0);
          if (res.statusCode !== 200) bad++;
          resolve();
        });
      });
      req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        bad++;
        resolve();
      });
    });
  await Promise.all(
    urls.map(async ({ url, headers }) => {
      const u = new URL(url);
      await new Promise((r) => setTimeout(r, Math.random() * everyMs)); // learners do not start in step
      while (Date.now() < end) {
        await one(u, headers);
        await new Promise((r) => setTimeout(r, everyMs));
      }
    }),
  );
  agent.destroy();
  lat.sort((a, b) => a - b);
  const r1 = (x: number) => Math.round(x * 10) / 10;
  return { p50Ms: r1(pct(lat, 50)), p95Ms: r1(pct(lat, 95)), p99Ms: r1(pct(lat, 99)), rps: Math.round(lat.length / seconds), requests: lat.length, bad };
}

/**
 * Each request of `list` once, `connections` at a time (closed loop): the first views of many learners, none of them
 * kept by the web process yet. Reports their latency.
 */
async function once(list: { url: string; headers: Record<string, string> }[], connections: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const lat: number[] = [];
  let bad = 0;
  let next = 0;
  const one = (u: URL, headers: Record<string, string>) =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = http.get({ host: u.hostname, port: u.port, path: u.pathname + u.search, agent, headers }, (res) => {
        res.resume();
        res.on('end', () => {
          lat.push(performance.now() - t0);
          if (res.statusCode !== 200) bad++;
          resolve();
        });
      });
      req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        bad++;
        resolve();
      });
    });
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < list.length) {
        const { url, headers } = list[next++]!;
        await one(new URL(url), headers);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  lat.sort((a, b) => a - b);
  const r1 = (x: number) => Math.round(x * 10) / 10;
  return { p50Ms: r1(pct(lat, 50)), p95Ms: r1(pct(lat, 95)), p99Ms: r1(pct(lat, 99)), rps: Math.round(lat.length / seconds), requests: lat.length, bad };
}

/** Starts the floor (cli/bench-floor.mjs) in its own process serving the files of `dir`; resolves with its base URL. */
async function startFloor(dir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'cli', 'bench-floor.mjs'), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(Number(out.trim()));
    });
    child.on('exit', (code) => reject(new CliError(`bench web: the floor server exited (${code})`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

/** Signs in through next-auth's credentials endpoint and returns the session cookie. */
async function signIn(base: string, email: string, password = DEMO_PASSWORD): Promise<string> {
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const jar = (csrfRes.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: jar },
    body: new URLSearchParams({ csrfToken, email, password, json: 'true' }),
  });
  const session = (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).find((c) => c!.startsWith('next-auth.session-token'));
  if (!session) throw new CliError(`bench web: could not sign in ${email}`);
  return session;
}

export async function cmdBenchWeb(args: string[]): Promise<number> {
  const json = args.includes('--json');
  const opt = (name: string, d: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1]! : d;
  };
  const seconds = Number(opt('--seconds', '10'));
  const connections = Number(opt('--connections', '10'));
  const pollers = Number(opt('--pollers', '200'));
  const pollMs = Number(opt('--poll-ms', '1000'));
  const port = Number(opt('--port', '3200'));
  // --url: measure a web process already running (one under a profiler) on the same database instead of starting one.
  const url = args.includes('--url') ? opt('--url', '') : undefined;
  if (url !== undefined && !/^https?:\/\/[^/]+$/.test(url)) throw new CliError('bench web: --url http://host:port (no path)');
  if (!(seconds > 0 && seconds <= 120) || !(connections >= 1 && connections <= 200) || !(pollers >= 1 && pollers <= 1000) || !(pollMs >= 100)) {
    throw new CliError('bench web: --seconds 1-120, --connections 1-200, --pollers 1-1000, --poll-ms >= 100');
  }
  // Its own database and Redis prefix: lms_bench, or LMS_TEST_DB / LMS_TEST_REDIS_PREFIX when set (two runs on one box).
  const { LMS_TEST_DB, LMS_TEST_REDIS_PREFIX } = getEnv();
  const database = LMS_TEST_DB === 'lms_test' ? 'lms_bench' : LMS_TEST_DB;
  const env = await startStack({ database, redisPrefix: LMS_TEST_REDIS_PREFIX ?? database.replace(/_/g, '-'), seed: true });
  const { loadContent } = await import('../lib/content/index');
  const { listLabs } = await import('../lib/labs/registry');
  const { getDb } = await import('../lib/db');
  const { hashPassword } = await import('../lib/auth/password');
  const lesson = loadContent().find((m) => m.week === 1)?.lessons[0];
  if (!lesson) throw new CliError('bench web: no week-1 lesson');
  const lab = listLabs().find((l) => l.manifest.week === 1);
  if (!lab) throw new CliError('bench web: no week-1 lab');
  const lessonPath = `/weeks/1/${lesson.slug}`;
  const labPath = `/labs/${lab.manifest.id}`;
  // The site alone: the pollers' submissions below are made up (no job), and a worker would reconcile them.
  const app = url === undefined ? await startApp(env, { port, worker: false }) : undefined;
  const db = getDb();
  const run = crypto.randomBytes(4).toString('hex');
  const floorDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-floor-'));
  let floor: ChildProcess | undefined;
  try {
    const base = url ?? `http://127.0.0.1:${port}`;
    const html = await (await fetch(base + lessonPath)).text();
    // JS shipped to the lesson page: every script it loads, gzipped.
    // Scripts marked noModule (Next's legacy polyfills) are never fetched by a browser that runs modules.
    const scripts = [...html.matchAll(/<script([^>]+)>/g)]
      .filter((m) => !/\bnomodule\b/i.test(m[1]!))
      .map((m) => /src="([^"]+)"/.exec(m[1]!)?.[1])
      .filter((x): x is string => !!x);
    let jsGzip = 0;
    for (const src of new Set(scripts)) jsGzip += zlib.gzipSync(Buffer.from(await (await fetch(new URL(src, base))).arrayBuffer())).length;
    const cookie = await signIn(base, 'learner1@demo.lms');

    // The pollers: learners with one unfinished submission each (half queued, half running), signed in over HTTP.
    const password = crypto.randomBytes(12).toString('base64url');
    const passwordHash = await hashPassword(password);
    const emails = Array.from({ length: pollers }, (_, i) => `benchweb-${run}-${i}@bench.lms`);
    await db.user.createMany({ data: emails.map((email, i) => ({ email, name: `Poller ${i}`, passwordHash })) });
    const users = await db.user.findMany({ where: { email: { in: emails } }, select: { id: true, email: true } });
    const subs = await Promise.all(
      users.map((u, i) =>
        db.submission.create({
          data: {
            userId: u.id,
            labId: lab.manifest.id,
            status: i % 2 ? 'RUNNING' : 'QUEUED',
            phase: i % 2 ? 'running' : 'queued',
            attempt: i % 2,
            progress: i % 2 ? [{ id: lab.manifest.checks[0]!.id, passed: true }] : undefined,
          },
          select: { id: true, userId: true },
        }),
      ),
    );
    const cookies: string[] = [];
    for (let i = 0; i < users.length; i += 8) cookies.push(...(await Promise.all(users.slice(i, i + 8).map((u) => signIn(base, u.email, password)))));
    const targets = subs.map((s, i) => ({ url: `${base}/api/submissions/${s.id}`, headers: { Cookie: cookies[i]! } }));
    const statusBody = await (await fetch(targets[0]!.url, { headers: targets[0]!.headers })).text();

    // The floor, in its own process, with the same lesson HTML and a status document of the same size.
    fs.writeFileSync(path.join(floorDir, 'lesson.html'), html);
    fs.writeFileSync(path.join(floorDir, 'status.json'), statusBody);
    const f0 = await startFloor(floorDir);
    floor = f0.child;
    const floorUrl = f0.url;

    const measure = async (name: string, url: string, headers: Record<string, string> = {}) => {
      log(`${name}: warm-up 2 s, then ${seconds} s x ${connections} connections`);
      await load(url, 2, connections, headers);
      return load(url, seconds, connections, headers);
    };
    const f = await measure('floor', `${floorUrl}/lesson.html`);
    const l = await measure('lesson page', base + lessonPath);
    const d = await measure('dashboard (signed in)', `${base}/dashboard`, { Cookie: cookie });
    const lp = await measure('lab page (signed in)', base + labPath, { Cookie: cookie });
    // First views: each poller's dashboard and lab page once (none kept yet), as many learners arriving.
    log(`first views: ${pollers} learners' dashboards, then their lab pages, once each, ${connections} at a time`);
    const dm = await once(
      targets.map((t) => ({ url: `${base}/dashboard`, headers: t.headers })),
      connections,
    );
    const lm = await once(
      targets.map((t) => ({ url: base + labPath, headers: t.headers })),
      connections,
    );
    log(`status: ${pollers} learners polling every ${pollMs} ms, warm-up 2 s, then ${seconds} s; the floor the same`);
    const floorTargets = targets.map(() => ({ url: `${floorUrl}/status.json`, headers: {} }));
    await poll(floorTargets, 2, pollMs);
    const fs0 = await poll(floorTargets, seconds, pollMs);
    await poll(targets, 2, pollMs);
    const st = await poll(targets, seconds, pollMs);
    const ratio = (a: number, b: number) => Math.round((a / Math.max(b, 0.1)) * 100) / 100;
    const doc = {
      lessonPath,
      labPath,
      seconds,
      connections,
      pollers,
      pollMs,
      floor: f,
      lesson: l,
      dashboard: d,
      labPage: lp,
      dashboardMiss: dm,
      labPageMiss: lm,
      floorStatus: fs0,
      status: st,
      ratios: {
        lessonP50: ratio(l.p50Ms, f.p50Ms),
        lessonP95: ratio(l.p95Ms, f.p95Ms),
        dashboardP95: ratio(d.p95Ms, f.p95Ms),
        labPageP95: ratio(lp.p95Ms, f.p95Ms),
        dashboardMissP95: ratio(dm.p95Ms, f.p95Ms),
        labPageMissP95: ratio(lm.p95Ms, f.p95Ms),
        statusP95: ratio(st.p95Ms, fs0.p95Ms),
      },
      lessonJsKbGzip: Math.round((jsGzip / 1024) * 10) / 10,
      errors: l.bad + d.bad + lp.bad + dm.bad + lm.bad + st.bad,
    };
    if (json) process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
    else {
      const row = (n: string, x: typeof f) =>
        `${n.padEnd(12)} p50 ${String(x.p50Ms).padStart(6)} ms  p95 ${String(x.p95Ms).padStart(6)} ms  ${String(x.rps).padStart(6)} req/s`;
      process.stdout.write(
        [
          row('floor', f),
          row('lesson', l),
          row('dashboard', d),
          row('lab page', lp),
          row('dash. first', dm),
          row('lab first', lm),
          row('floor status', fs0),
          row('status', st),
          `ratios ${JSON.stringify(doc.ratios)}; lesson JS ${doc.lessonJsKbGzip} KB gzip; errors ${doc.errors}`,
        ].join('\n') + '\n',
      );
    }
    return doc.errors === 0 ? 0 : 1;
  } finally {
    floor?.kill('SIGTERM');
    await app?.stop();
    fs.rmSync(floorDir, { recursive: true, force: true });
    await db.user.deleteMany({ where: { email: { startsWith: `benchweb-${run}-` } } }).catch(() => {});
  }
}
