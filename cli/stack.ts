/**
 * The stack a command runs on, in one place for `bin/lms up`, `bin/lms test`, the benchmarks and backup/restore:
 * startStack() (Postgres, Redis, the database and its migrations, and, when asked, Docker with every image and the
 * demo accounts) returns the environment of the processes; startApp() starts the production web (server.ts) and a
 * worker on it, startWorkerProcess() a worker alone, and each stops what it started.
 */
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { CliError, log, sleep } from './sh';
import { ROOT, dropDatabase, ensureDatabase, ensurePostgres, ensureRedis } from './services';
import { localSecret, migrate, nextBuild, prismaGenerate } from './prepare';
import { prepareImages } from './images';
import { getEnv } from '../lib/env';

export const DEMO_PASSWORD = 'devops-demo-2026';
export const DEMO_ACCOUNTS = [
  { email: 'instructor@demo.lms', name: 'Instructor Kim', role: 'INSTRUCTOR' as const },
  { email: 'learner1@demo.lms', name: 'Learner Lee', role: 'LEARNER' as const },
  { email: 'learner2@demo.lms', name: 'Learner Park', role: 'LEARNER' as const },
  { email: 'admin@demo.lms', name: 'Admin Choi', role: 'ADMIN' as const },
];

export interface StackOptions {
  /** The database to use on the local Postgres (DATABASE_URL, when set, is used as it is). */
  database: string;
  redisPrefix: string;
  /** Drop and recreate the database first (tests, benchmarks); never with DATABASE_URL set. */
  fresh?: boolean;
  /** Docker and every image the worker and workspaces need (`force`: rebuild the grader images). */
  images?: boolean | 'force';
  /** The demo accounts, cohort and group (safe to repeat). */
  seed?: boolean;
}

/**
 * Services, database and migrations (and images and demo data when asked) for a run. Returns the environment of the
 * web and worker processes; it is this process's environment from then on too, for the domain code the CLI calls.
 */
export async function startStack(opts: StackOptions): Promise<NodeJS.ProcessEnv> {
  const { serverUrl } = await ensurePostgres();
  let databaseUrl = getEnv().DATABASE_URL;
  if (!databaseUrl || opts.fresh) {
    if (opts.fresh) await dropDatabase(serverUrl, opts.database);
    databaseUrl = await ensureDatabase(serverUrl, opts.database);
  }
  const redisUrl = await ensureRedis();
  await prismaGenerate();
  await migrate(databaseUrl);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: opts.redisPrefix,
    NEXTAUTH_SECRET: localSecret(),
    LMS_ROOT: ROOT,
  };
  Object.assign(process.env, env);
  if (opts.images) await prepareImages(opts.images === 'force');
  if (opts.seed) await seedDemo();
  return env;
}

export async function seedDemo(): Promise<void> {
  const { seedDemoData } = await import('../lib/seed');
  await seedDemoData(DEMO_ACCOUNTS, DEMO_PASSWORD);
}

/**
 * How a started process's output goes: `inherit` (both streams to this terminal, `bin/lms up`), `stderr` (stdout
 * dropped, stderr shown: the JSON request and job logs would drown a test run's output) or `capture` (kept in memory,
 * the last 64 KiB, and shown when it fails to start).
 */
type Output = 'inherit' | 'stderr' | 'capture';

export interface Proc {
  child: ChildProcess;
  /** What it printed (output `capture` only). */
  output(): string;
  /** SIGTERM, then waits up to `waitMs` for it to exit (a worker drains its running jobs first). */
  stop(waitMs?: number): Promise<void>;
}

function startProcess(name: string, script: string, env: NodeJS.ProcessEnv, output: Output, readyLine?: string): Proc & { isReady(): boolean } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, script)], {
    cwd: ROOT,
    env,
    stdio: ['ignore', output === 'inherit' ? 'inherit' : output === 'capture' ? 'pipe' : 'ignore', output === 'capture' ? 'pipe' : 'inherit'],
  });
  let out = '';
  let ready = false;
  const onData = (d: Buffer) => {
    out = (out + d.toString()).slice(-64 * 1024);
    if (readyLine && out.includes(readyLine)) ready = true;
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  let stopping = false;
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  child.on('exit', (code, sig) => {
    if (!stopping) log(`${name} exited (${code ?? sig})`);
  });
  return {
    child,
    output: () => out,
    isReady: () => ready,
    stop: async (waitMs = 10_000) => {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(waitMs)]);
    },
  };
}

/**
 * A grading worker (worker/index.ts) in its own process. With output `capture` (the default) it resolves once the
 * worker says it is ready, and fails with what it printed when it does not within `readyMs`.
 */
export async function startWorkerProcess(env: NodeJS.ProcessEnv, opts: { output?: Output; readyMs?: number } = {}): Promise<Proc> {
  const output = opts.output ?? 'capture';
  const p = startProcess('worker', 'worker/index.ts', env, output, 'ready:');
  if (output !== 'capture') return p;
  const end = Date.now() + (opts.readyMs ?? 120_000);
  while (!p.isReady()) {
    if (p.child.exitCode !== null || Date.now() > end) {
      await p.stop();
      throw new CliError(`worker did not start:\n${p.output().slice(-2000)}`);
    }
    await sleep(100);
  }
  return p;
}

export interface App {
  /** http://localhost:<port> */
  base: string;
  /** The environment the web and the worker run with. */
  env: NodeJS.ProcessEnv;
  web: Proc;
  worker?: Proc;
  stop(): Promise<void>;
}

/** Whether the site answers /api/health on `port` (a `bin/lms up` already running, or the one just started). */
export async function siteAnswers(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/api/health`).then(
    (r) => r.ok,
    () => false,
  );
}

/**
 * The production build (built when its inputs changed) served by server.ts on `port`, and a grading worker unless
 * `worker: false`; resolves when the site answers /api/health (at most a minute). Both get `env` with NODE_ENV
 * production and NEXTAUTH_URL (`publicUrl`, else the base URL); `workerEnv` is added to the worker's.
 */
export async function startApp(
  env: NodeJS.ProcessEnv,
  opts: { port: number; publicUrl?: string; worker?: boolean; workerEnv?: Record<string, string>; output?: 'inherit' | 'stderr' },
): Promise<App> {
  const base = `http://localhost:${opts.port}`;
  const appEnv: NodeJS.ProcessEnv = { ...env, NODE_ENV: 'production', NEXTAUTH_URL: opts.publicUrl ?? base };
  await nextBuild(appEnv);
  const output = opts.output ?? 'stderr';
  const web = startProcess('web', 'server.ts', { ...appEnv, PORT: String(opts.port), LMS_SERVICE: 'web' }, output);
  const worker = opts.worker === false ? undefined : await startWorkerProcess({ ...appEnv, ...opts.workerEnv }, { output });
  const stop = async () => {
    await Promise.all([web.stop(), worker?.stop()]);
  };
  for (let i = 0; i < 120 && !(await siteAnswers(opts.port)); i++) {
    if (web.child.exitCode !== null) {
      await stop();
      throw new CliError(`the web process exited (${web.child.exitCode}) before it answered on port ${opts.port}`);
    }
    await sleep(500);
  }
  return { base, env: appEnv, web, worker, stop };
}
