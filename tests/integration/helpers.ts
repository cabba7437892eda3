import path from 'node:path';
import crypto from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import Docker from 'dockerode';
import { getDb } from '@/lib/db';
import type { Actor } from '@/lib/auth/actor';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const docker = new Docker();

export async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 60_000, everyMs = 200): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function createLearner(): Promise<Actor> {
  const u = await getDb().user.create({
    data: { email: `t-${crypto.randomBytes(6).toString('hex')}@test.lms`, name: 'Test Learner', role: 'LEARNER' },
  });
  return { id: u.id, role: u.role };
}

export interface WorkerProc {
  child: ChildProcess;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/** A real worker process, as `bin/lms up` starts it. */
export function startWorker(env: Record<string, string> = {}): WorkerProc {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'worker', 'index.ts')], {
    cwd: ROOT,
    env: { ...process.env, LMS_RECONCILE_MS: '2000', WORKER_METRICS_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** This run's sandboxes (its Redis prefix): another test run on the same engine keeps its own. */
export async function sandboxContainers(): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: ['lms.sandbox', `lms.prefix=${process.env.REDIS_PREFIX ?? 'lms'}`] } });
}
