/**
 * bin/lms bench load: many simulated learners at once against the production build, on loopback, bounded in count
 * and time. Each learner signs in, then loops until the time is up: reads a lesson, the roadmap, the dashboard, its
 * own /api/me, and now and then submits the week-1 lab (a small Terraform file) through POST /api/submissions,
 * with a short think time between requests. Reported: request counts by status, p50/p95 by route, and `unexpected`:
 * every answer other than the designed ones (2xx/3xx for reading; 202, or 429 from the submission limits, for
 * submitting), network errors included. The run fails when `unexpected` is not 0.
 *
 *   bin/lms bench load --json [--learners 200] [--seconds 30] [--url http://localhost:3000]
 *
 * Without --url it builds and starts its own web and worker on the lms_bench database (port 3201), like bench web.
 * The simulated accounts (bench-<run>-<n>@bench.lms) and their submissions are deleted at the end.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import { CliError, log } from './sh';
import { startApp, startStack, type App } from './stack';

const MAIN_TF = `terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws", version = "~> 5.0" }\n  }\n}\n\nresource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n`;

interface Sample {
  route: string;
  status: number;
  ms: number;
  expected: boolean;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

function request(
  base: URL,
  method: string,
  p: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const r = http.request(
      {
        host: '127.0.0.1',
        port: Number(base.port || 80),
        method,
        path: p,
        agent,
        timeout: 30_000,
        headers: { host: base.host, ...headers, ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
        res.on('error', reject);
      },
    );
    r.on('timeout', () => r.destroy(new Error('timeout')));
    r.on('error', reject);
    r.end(body);
  });
}

function cookiesFrom(h: http.IncomingHttpHeaders, jar: Map<string, string>) {
  for (const c of h['set-cookie'] ?? []) {
    const [pair] = c.split(';');
    const i = pair!.indexOf('=');
    jar.set(pair!.slice(0, i), pair!.slice(i + 1));
  }
}
const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

async function signIn(base: URL, email: string, password: string): Promise<Map<string, string>> {
  const jar = new Map<string, string>();
  const csrf = await request(base, 'GET', '/api/auth/csrf', {});
  cookiesFrom(csrf.headers, jar);
  const { csrfToken } = JSON.parse(csrf.text) as { csrfToken: string };
  const form = new URLSearchParams({ csrfToken, email, password, json: 'true', callbackUrl: `${base.origin}/dashboard` }).toString();
  const r = await request(
    base,
    'POST',
    '/api/auth/callback/credentials',
    { 'content-type': 'application/x-www-form-urlencoded', origin: base.origin, cookie: cookieHeader(jar) },
    form,
  );
  cookiesFrom(r.headers, jar);
  if (![...jar.keys()].some((k) => k.endsWith('next-auth.session-token'))) throw new CliError(`bench load: ${email} could not sign in (${r.status})`);
  return jar;
}

const pct = (xs: number[], p: number) => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 10) / 10;
};

export async function runLoad(opts: { url: string; learners: number; seconds: number }) {
  const base = new URL(opts.url);
  const { getDb } = await import('../lib/db');
  const { hashPassword } = await import('../lib/auth/password');
  const { loadContent } = await import('../lib/content/index');
  const db = getDb();
  const run = crypto.randomBytes(4).toString('hex');
  const password = crypto.randomBytes(12).toString('base64url');
  const passwordHash = await hashPassword(password);
  const emails = Array.from({ length: opts.learners }, (_, i) => `bench-${run}-${i}@bench.lms`);
  await db.user.createMany({ data: emails.map((email, i) => ({ email, name: `Bench ${i}`, passwordHash })) });
  const lessons = loadContent().flatMap((m) => m.lessons.map((l) => `/weeks/${m.week}/${l.slug}`));
  if (!lessons.length) throw new CliError('bench load: no lessons');
  const samples: Sample[] = [];
  let errors = 0;
  const drain = { seconds: 0, byStatus: {} as Record<string, number> };
  try {
    // Sign in a few at a time: argon2 is deliberately slow, and sign-in is not what is measured.
    const jars: Map<string, string>[] = [];
    for (let i = 0; i < emails.length; i += 8) jars.push(...(await Promise.all(emails.slice(i, i + 8).map((e) => signIn(base, e, password)))));
    log(`bench load: ${jars.length} learners signed in; running ${opts.seconds} s`);
    const end = Date.now() + opts.seconds * 1000;
    const learner = async (jar: Map<string, string>) => {
      // spread the start over the first second
      await new Promise((r) => setTimeout(r, Math.random() * 1000));
      while (Date.now() < end) {
        const roll = Math.random();
        let route: string;
        let method = 'GET';
        let p: string;
        let body: string | undefined;
        const headers: Record<string, string> = { cookie: cookieHeader(jar) };
        if (roll < 0.4) [route, p] = ['lesson', lessons[Math.floor(Math.random() * lessons.length)]!];
        else if (roll < 0.55) [route, p] = ['roadmap', '/roadmap'];
        else if (roll < 0.7) [route, p] = ['dashboard', '/dashboard'];
        else if (roll < 0.9) [route, p] = ['api-me', '/api/me'];
        else {
          [route, p, method] = ['submit', '/api/submissions', 'POST'];
          body = JSON.stringify({ labId: 'week01-terraform-vpc', files: [{ path: 'main.tf', content: MAIN_TF }] });
          Object.assign(headers, { 'content-type': 'application/json', origin: base.origin });
        }
        const t0 = performance.now();
        try {
          const r = await request(base, method, p, headers, body);
          const ok = route === 'submit' ? r.status === 202 || r.status === 429 : r.status >= 200 && r.status < 400;
          samples.push({ route, status: r.status, ms: performance.now() - t0, expected: ok });
        } catch {
          errors++;
          samples.push({ route, status: 0, ms: performance.now() - t0, expected: false });
        }
        await new Promise((r) => setTimeout(r, 200 + Math.random() * 800)); // think time
      }
    };
    await Promise.all(jars.map((j) => learner(j)));
  } finally {
    // Let the queue finish this run's submissions, then remove the simulated learners (their rows cascade).
    const mine = { user: { email: { startsWith: `bench-${run}-` } } };
    const t0 = Date.now();
    for (let i = 0; i < 240; i++) {
      if ((await db.submission.count({ where: { ...mine, status: { in: ['QUEUED', 'RUNNING'] } } })) === 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    drain.seconds = Math.round((Date.now() - t0) / 100) / 10;
    for (const g of await db.submission.groupBy({ by: ['status'], where: mine, _count: { _all: true } })) drain.byStatus[g.status] = g._count._all;
    await db.user.deleteMany({ where: { email: { startsWith: `bench-${run}-` } } });
  }
  const byStatus: Record<string, number> = {};
  const byRoute: Record<string, { count: number; p50Ms: number; p95Ms: number; byStatus: Record<string, number> }> = {};
  for (const s of samples) {
    byStatus[s.status] = (byStatus[s.status] ?? 0) + 1;
    const r = (byRoute[s.route] ??= { count: 0, p50Ms: 0, p95Ms: 0, byStatus: {} });
    r.count++;
    r.byStatus[s.status] = (r.byStatus[s.status] ?? 0) + 1;
  }
  for (const [route, r] of Object.entries(byRoute)) {
    const ms = samples.filter((s) => s.route === route).map((s) => s.ms);
    r.p50Ms = pct(ms, 50);
    r.p95Ms = pct(ms, 95);
  }
  return {
    learners: opts.learners,
    seconds: opts.seconds,
    requests: samples.length,
    perSecond: Math.round((samples.length / opts.seconds) * 10) / 10,
    byStatus,
    byRoute,
    limited: byStatus['429'] ?? 0,
    networkErrors: errors,
    unexpected: samples.filter((s) => !s.expected).length,
    // after the run: how long the queue took to finish this run's submissions, and how they ended
    drain,
  };
}

export async function cmdBenchLoad(args: string[]): Promise<number> {
  const json = args.includes('--json');
  const opt = (name: string, d: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1]! : d;
  };
  const learners = Number(opt('--learners', '200'));
  const seconds = Number(opt('--seconds', '30'));
  if (!Number.isInteger(learners) || learners < 1 || learners > 1000) throw new CliError('bench load: --learners must be 1-1000');
  if (!(seconds > 0 && seconds <= 600)) throw new CliError('bench load: --seconds must be 1-600');
  let url = opt('--url', '');
  let app: App | undefined;
  try {
    if (!url) {
      // Its own site and worker (the worker grades in the sandbox: Docker and the grader images must be there).
      const env = await startStack({ database: 'lms_bench', redisPrefix: 'lms-bench', images: true, seed: true });
      app = await startApp(env, { port: Number(opt('--port', '3201')), workerEnv: { WORKER_METRICS_PORT: '0' } });
      url = app.base;
    }
    const doc = await runLoad({ url, learners, seconds });
    if (json) process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
    else {
      process.stdout.write(
        `${doc.requests} requests in ${seconds} s from ${learners} learners (${doc.perSecond}/s); by status ${JSON.stringify(doc.byStatus)}\n`,
      );
      for (const [r, v] of Object.entries(doc.byRoute))
        process.stdout.write(`  ${r.padEnd(10)} ${String(v.count).padStart(6)}  p50 ${v.p50Ms} ms  p95 ${v.p95Ms} ms  ${JSON.stringify(v.byStatus)}\n`);
      process.stdout.write(`unexpected responses: ${doc.unexpected}\n`);
      process.stdout.write(`queue drained ${doc.drain.seconds} s after the run; submissions ${JSON.stringify(doc.drain.byStatus)}\n`);
    }
    return doc.unexpected === 0 ? 0 : 1;
  } finally {
    agent.destroy();
    await app?.stop();
  }
}
