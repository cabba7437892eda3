/**
 * One sandboxed container run: created fresh, fed the submission archive on stdin, watched by a wall-clock timer
 * of our own, and removed in `finally` whatever happens.
 */
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { OUTPUT_CAP_BYTES, SANDBOX_USER, ULIMITS, type SandboxLimits } from './limits';

export const LABEL_SANDBOX = 'lms.sandbox';
export const LABEL_OWNER = 'lms.worker';

export interface RunOptions {
  image: string;
  input: Buffer;
  limits: SandboxLimits;
  labels?: Record<string, string>;
  /** An OCI runtime such as runsc (gVisor), used only when the engine has it. */
  runtime?: string;
  /** Called when the container has started. */
  onStarted?: () => void;
  cmd?: string[];
}

export interface RunOutcome {
  exitCode: number | null;
  stdout: Buffer;
  stderr: Buffer;
  stdoutTruncated: boolean;
  timedOut: boolean;
  oomKilled: boolean;
  durationMs: number;
}

/** An owner id for this worker process, so a restarted worker can tell its own leftovers from another's. */
export const WORKER_ID = `${process.pid}-${Date.now().toString(36)}`;

export function hostConfig(limits: SandboxLimits, runtime?: string): Docker.HostConfig {
  return {
    NetworkMode: 'none',
    Memory: limits.memoryMb * 1024 * 1024,
    MemorySwap: limits.memoryMb * 1024 * 1024,
    NanoCpus: Math.round(limits.cpus * 1e9),
    PidsLimit: limits.pids,
    ReadonlyRootfs: true,
    Tmpfs: { '/tmp': `rw,noexec,nosuid,nodev,size=${limits.tmpfsMb}m,mode=1777` },
    CapDrop: ['ALL'],
    SecurityOpt: ['no-new-privileges'],
    Ulimits: ULIMITS,
    IpcMode: 'private',
    Privileged: false,
    AutoRemove: false,
    ...(runtime ? { Runtime: runtime } : {}),
  };
}

class CappedSink {
  chunks: Buffer[] = [];
  size = 0;
  truncated = false;
  constructor(private cap: number) {}
  write(c: Buffer) {
    if (this.size >= this.cap) {
      this.truncated = true;
      return;
    }
    const room = this.cap - this.size;
    const part = c.length > room ? c.subarray(0, room) : c;
    if (part.length < c.length) this.truncated = true;
    this.chunks.push(part);
    this.size += part.length;
  }
  buffer() {
    return Buffer.concat(this.chunks);
  }
}

export async function runSandbox(docker: Docker, opts: RunOptions): Promise<RunOutcome> {
  const started = Date.now();
  const container = await docker.createContainer({
    Image: opts.image,
    ...(opts.cmd ? { Cmd: opts.cmd } : {}),
    User: SANDBOX_USER,
    WorkingDir: '/tmp',
    Env: ['HOME=/tmp', 'NODE_OPTIONS=--max-old-space-size=' + Math.max(64, Math.floor(opts.limits.memoryMb * 0.6))],
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    OpenStdin: true,
    StdinOnce: true,
    Tty: false,
    NetworkDisabled: true,
    Labels: { [LABEL_SANDBOX]: 'grader', [LABEL_OWNER]: WORKER_ID, ...(opts.labels ?? {}) },
    HostConfig: hostConfig(opts.limits, opts.runtime),
  });
  const out = new CappedSink(OUTPUT_CAP_BYTES);
  const err = new CappedSink(64 * 1024);
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  try {
    const stream = (await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true })) as NodeJS.ReadWriteStream & { end: (b?: Buffer) => void };
    const so = new PassThrough();
    const se = new PassThrough();
    so.on('data', (c: Buffer) => out.write(c));
    se.on('data', (c: Buffer) => err.write(c));
    const streamEnded = new Promise<void>((resolve) => {
      stream.on('end', () => resolve());
      stream.on('close', () => resolve());
      stream.on('error', () => resolve());
    });
    docker.modem.demuxStream(stream, so, se);
    // 'next-exit': a plain wait on a created (not yet running) container returns at once.
    const waited = container.wait({ condition: 'next-exit' });
    await container.start();
    opts.onStarted?.();
    stream.end(opts.input);
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), opts.limits.timeoutMs);
    });
    const first = await Promise.race([waited, timeout]);
    if (first === 'timeout') {
      timedOut = true;
      await container.kill({ signal: 'SIGKILL' }).catch(() => {});
      await waited.catch(() => {});
    }
    // Output can still be in flight after the exit status: wait briefly for the stream to drain.
    await Promise.race([streamEnded, new Promise((r) => setTimeout(r, 1000))]);
    const info = await container.inspect().catch(() => null);
    return {
      exitCode: timedOut ? null : (info?.State.ExitCode ?? (first as { StatusCode: number }).StatusCode),
      stdout: out.buffer(),
      stderr: err.buffer(),
      stdoutTruncated: out.truncated,
      timedOut,
      oomKilled: Boolean(info?.State.OOMKilled),
      durationMs: Date.now() - started,
    };
  } finally {
    if (timer) clearTimeout(timer);
    await container.remove({ force: true, v: true }).catch(() => {});
  }
}

/** Removes sandbox containers that no live worker owns: what a killed worker left behind. */
export async function removeLeftoverSandboxes(docker: Docker, keepOwner?: string): Promise<number> {
  const list = await docker.listContainers({ all: true, filters: { label: [LABEL_SANDBOX] } });
  let n = 0;
  for (const c of list) {
    if (keepOwner && c.Labels[LABEL_OWNER] === keepOwner) continue;
    await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => {});
    n++;
  }
  return n;
}
