/**
 * bin/lms bench web: the production build under load, side by side with a floor measured in the same run.
 *   lesson:    GET of a lesson page from `next start`
 *   dashboard: GET /dashboard as a signed-in learner
 *   floor:     a plain Node static server answering the same rendered lesson HTML (no framework, no database)
 * Prints p50/p95 and the ratios; --json prints one document with ratios.lessonP95 and lessonJsKbGzip.
 */
import http from 'node:http';
import zlib from 'node:zlib';
import { spawn } from 'node:child_process';
import { CliError, log } from './sh';
import { ROOT } from './services';
import { prepareStack, seedDemo, DEMO_PASSWORD } from './index';
import { nextBuild, webCommand } from './prepare';

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

/** Signs in through next-auth's credentials endpoint and returns the session cookie. */
async function signIn(base: string, email: string): Promise<string> {
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const jar = (csrfRes.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: jar },
    body: new URLSearchParams({ csrfToken, email, password: DEMO_PASSWORD, json: 'true' }),
  });
  const session = (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).find((c) => c!.startsWith('next-auth.session-token'));
  if (!session) throw new CliError('bench web: could not sign in the demo learner');
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
  const port = Number(opt('--port', '3200'));
  const env = await prepareStack({ database: 'lms_bench', redisPrefix: 'lms-bench', fresh: false });
  await seedDemo();
  const webEnv = { ...env, NODE_ENV: 'production', NEXTAUTH_URL: `http://localhost:${port}` } as NodeJS.ProcessEnv;
  await nextBuild(webEnv);
  const { loadContent } = await import('../lib/content/index');
  const lesson = loadContent().find((m) => m.week === 1)?.lessons[0];
  if (!lesson) throw new CliError('bench web: no week-1 lesson');
  const lessonPath = `/weeks/1/${lesson.slug}`;
  const wc = webCommand(port);
  const web = spawn(wc.cmd, wc.args, { cwd: ROOT, env: { ...webEnv, ...wc.env }, stdio: ['ignore', 'ignore', 'inherit'] });
  let floor: http.Server | undefined;
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 120 && !(await fetch(`${base}/api/health`).then((r) => r.ok).catch(() => false)); i++) await new Promise((r) => setTimeout(r, 500));
    const html = await (await fetch(base + lessonPath)).text();
    // JS shipped to the lesson page: every script it loads, gzipped.
    // Scripts marked noModule (Next's legacy polyfills) are never fetched by a browser that runs modules.
    const scripts = [...html.matchAll(/<script([^>]+)>/g)].filter((m) => !/\bnomodule\b/i.test(m[1]!)).map((m) => /src="([^"]+)"/.exec(m[1]!)?.[1]).filter((x): x is string => !!x);
    let jsGzip = 0;
    for (const src of new Set(scripts)) jsGzip += zlib.gzipSync(Buffer.from(await (await fetch(new URL(src, base))).arrayBuffer())).length;
    const cookie = await signIn(base, 'learner1@demo.lms');
    // The floor: the same HTML from a bare Node server.
    floor = http.createServer((_req, res) => {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(html);
    });
    await new Promise<void>((r) => floor!.listen(0, '127.0.0.1', () => r()));
    const floorUrl = `http://127.0.0.1:${(floor.address() as { port: number }).port}/`;
    log(`warming up`);
    await load(base + lessonPath, 2, connections);
    log(`floor: ${seconds} s x ${connections} connections`);
    const f = await load(floorUrl, seconds, connections);
    log(`lesson page ${lessonPath}`);
    const l = await load(base + lessonPath, seconds, connections);
    log(`dashboard (signed in)`);
    const d = await load(`${base}/dashboard`, seconds, connections, { Cookie: cookie });
    const doc = {
      lessonPath,
      seconds,
      connections,
      floor: f,
      lesson: l,
      dashboard: d,
      ratios: { lessonP95: Math.round((l.p95Ms / Math.max(f.p95Ms, 1)) * 100) / 100, lessonP50: Math.round((l.p50Ms / Math.max(f.p50Ms, 1)) * 100) / 100, dashboardP95: Math.round((d.p95Ms / Math.max(f.p95Ms, 1)) * 100) / 100 },
      lessonJsKbGzip: Math.round((jsGzip / 1024) * 10) / 10,
      errors: l.bad + d.bad,
    };
    if (json) process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
    else {
      const row = (n: string, x: typeof f) => `${n.padEnd(10)} p50 ${String(x.p50Ms).padStart(5)} ms  p95 ${String(x.p95Ms).padStart(5)} ms  ${String(x.rps).padStart(6)} req/s`;
      process.stdout.write([row('floor', f), row('lesson', l), row('dashboard', d), `ratios ${JSON.stringify(doc.ratios)}; lesson JS ${doc.lessonJsKbGzip} KB gzip; errors ${doc.errors}`].join('\n') + '\n');
    }
    return doc.errors === 0 ? 0 : 1;
  } finally {
    floor?.close();
    web.kill('SIGTERM');
  }
}
