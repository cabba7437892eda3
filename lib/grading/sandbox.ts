/**
 * One sandboxed container run: created fresh, fed the submission archive on stdin, watched by a wall-clock timer
 * of our own, and removed in `finally` whatever happens.
 */
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { getEnv } from '../env';
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
  /**
   * Take the output as complete at the first newline on stdout (a grader prints its verdict as one line, last, then
   * exits): the result need not wait for Docker to tear the container down.
   */
  resultOnFirstLine?: boolean;
  cmd?: string[];
}

export interface RunOutcome {
  /** null when timed out, or when the process closed its output and the result was taken before Docker reported the exit. */
  exitCode: number | null;
  stdout: Buffer;
  stderr: Buffer;
  stdoutTruncated: boolean;
  timedOut: boolean;
  oomKilled: boolean;
  /**
   * Whether the engine reported how the process ended (exit code and OOM flag, from `inspect`). Set when the run
   * ended without a verdict line; false then means the engine stopped answering mid-run (an infrastructure failure).
   */
  exitKnown: boolean;
  durationMs: number;
  /** Resolves when the container is gone; the caller may store the result first and await this after. */
  removed: Promise<void>;
}

/**
 * The owner label of this process's sandboxes. A worker calls `becomeWorker()` and keeps a heartbeat; any other
 * process (the CLI's `grade`, tests, benchmarks) owns its sandboxes as `cli-...`, which a worker's sweep leaves alone
 * until they are far older than any legitimate run.
 */
export let WORKER_ID = `cli-${process.pid}-${Date.now().toString(36)}`;
export function becomeWorker(): string {
  WORKER_ID = `w-${process.pid}-${Date.now().toString(36)}`;
  return WORKER_ID;
}
/** The deployment a sandbox belongs to (the Redis prefix): workers of one deployment never sweep another's. */
export const LABEL_PREFIX = 'lms.prefix';
/** No sandbox legitimately lives longer than this (the ceiling timeout plus a pooled sandbox's maximum age). */
export const ABANDONED_AFTER_MS = 15 * 60_000;

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
    // Output is read through attach; nothing is kept in the engine's log files (an output flood never reaches its disk).
    LogConfig: { Type: 'none', Config: {} },
    ...(runtime ? { Runtime: runtime } : {}),
  };
}

class CappedSink {
  chunks: Buffer[] = [];
  size = 0;
  truncated = false;
  sawNewline = false;
  private onLine?: () => void;
  /** Resolves at the first newline: a grader's verdict is one JSON line, written last. */
  readonly firstLine = new Promise<void>((resolve) => (this.onLine = resolve));
  /** Called with each complete line (for stderr progress lines); settable after the sandbox was prepared. */
  lineHandler?: (line: string) => void;
  private partialLine = '';
  constructor(private cap: number) {}
  write(c: Buffer) {
    if (c.includes(10)) {
      this.sawNewline = true;
      this.onLine?.();
    }
    if (this.lineHandler) {
      const text = this.partialLine + c.toString('utf8');
      const lines = text.split('\n');
      this.partialLine = (lines.pop() ?? '').slice(-4096);
      for (const l of lines) this.lineHandler(l);
    }
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

export interface PreparedSandbox {
  container: Docker.Container;
  id: string;
  image: string;
  limits: SandboxLimits;
  createdAt: number;
  /** Feeds the archive on stdin, waits for the exit (or the timeout) and removes the container. Call once. */
  run(input: Buffer, hooks?: { onStderrLine?: (line: string) => void }): Promise<RunOutcome>;
  /** Removes the container unused (pool drain, idle expiry). */
  discard(): Promise<void>;
  /** For a subject: feeds the archive and leaves the process running; `stop` kills and removes it later. */
  feed(input: Buffer): void;
  stop(): Promise<{ stdout: Buffer; stderr: Buffer; oomKilled: boolean; exitCode: number | null }>;
}

/**
 * Creates, attaches and starts a sandbox whose process waits on stdin. Used directly for a cold run, or ahead of
 * time by the pool (the grader is then already loaded when the submission arrives). Same limits either way.
 */
export async function prepareSandbox(
  docker: Docker,
  opts: Omit<RunOptions, 'input' | 'onStarted'> & {
    /** `container:<id>`: share that container's loopback-only namespace (a subject lab's grader joins its subject). */ networkMode?: string;
    env?: string[];
    role?: 'grader' | 'subject';
    keepWorkdir?: boolean;
    volumeTmpfs?: string[] /** Another user than the sandbox's (a learner image's own non-root USER). */;
    user?: string;
  },
): Promise<PreparedSandbox> {
  const createdAt = Date.now();
  const hc = hostConfig(opts.limits, opts.runtime);
  if (opts.networkMode) hc.NetworkMode = opts.networkMode;
  // The image's VOLUME paths: a small tmpfs each, so the engine makes no writable volume on its disk for them.
  for (const v of opts.volumeTmpfs ?? []) hc.Tmpfs![v] = `rw,noexec,nosuid,nodev,size=${Math.min(16, opts.limits.tmpfsMb)}m,mode=1777`;
  const container = await docker.createContainer({
    Image: opts.image,
    ...(opts.cmd ? { Cmd: opts.cmd } : {}),
    User: opts.user ?? SANDBOX_USER,
    ...(opts.keepWorkdir ? {} : { WorkingDir: '/tmp' }),
    Env: ['HOME=/tmp', 'NODE_OPTIONS=--max-old-space-size=' + Math.max(32, Math.floor(opts.limits.memoryMb * 0.6)), ...(opts.env ?? [])],
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    OpenStdin: true,
    StdinOnce: true,
    Tty: false,
    NetworkDisabled: !opts.networkMode,
    Labels: { [LABEL_SANDBOX]: opts.role ?? 'grader', [LABEL_OWNER]: WORKER_ID, [LABEL_PREFIX]: getEnv().REDIS_PREFIX, ...(opts.labels ?? {}) },
    HostConfig: hc,
  });
  const remove = () =>
    container.remove({ force: true, v: true }).then(
      () => undefined,
      () => undefined,
    );
  const out = new CappedSink(OUTPUT_CAP_BYTES);
  const err = new CappedSink(64 * 1024);
  let stream: NodeJS.ReadWriteStream & { end: (b?: Buffer) => void };
  let waited: Promise<{ StatusCode: number }>;
  let streamEnded: Promise<void>;
  try {
    stream = (await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true })) as typeof stream;
    const so = new PassThrough();
    const se = new PassThrough();
    so.on('data', (c: Buffer) => out.write(c));
    se.on('data', (c: Buffer) => err.write(c));
    streamEnded = new Promise<void>((resolve) => {
      stream.on('end', () => resolve());
      stream.on('close', () => resolve());
      stream.on('error', () => resolve());
    });
    docker.modem.demuxStream(stream, so, se);
    // 'next-exit': a plain wait on a created (not yet running) container returns at once.
    waited = container.wait({ condition: 'next-exit' }) as Promise<{ StatusCode: number }>;
    waited.catch(() => {});
    await container.start();
  } catch (e) {
    await remove();
    throw e;
  }
  let used = false;
  return {
    container,
    id: container.id,
    image: opts.image,
    limits: opts.limits,
    createdAt,
    discard: remove,
    feed(input: Buffer) {
      if (used) throw new Error('a sandbox is used for exactly one submission');
      used = true;
      stream.end(input);
    },
    async stop() {
      await container.kill({ signal: 'SIGKILL' }).catch(() => {});
      await Promise.race([streamEnded, new Promise((r) => setTimeout(r, 500))]);
      const info = await container.inspect().catch(() => null);
      await remove();
      return { stdout: out.buffer(), stderr: err.buffer(), oomKilled: Boolean(info?.State.OOMKilled), exitCode: info?.State.ExitCode ?? null };
    },
    async run(input: Buffer, hooks?: { onStderrLine?: (line: string) => void }): Promise<RunOutcome> {
      if (used) throw new Error('a sandbox is used for exactly one submission');
      used = true;
      if (hooks?.onStderrLine) err.lineHandler = hooks.onStderrLine;
      const started = Date.now();
      let timedOut = false;
      let timer: NodeJS.Timeout | undefined;
      let removed: Promise<void> | undefined;
      try {
        stream.end(input);
        const timeout = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), opts.limits.timeoutMs);
        });
        // The process closing its output means it has exited (or closed stdout on purpose, which counts the same):
        // the result is complete then, and Docker's own teardown (about 0.2 s) need not delay it.
        const closed = streamEnded.then(() => 'closed' as const);
        const line = opts.resultOnFirstLine ? out.firstLine.then(() => 'closed' as const) : new Promise<never>(() => {});
        const first = await Promise.race([waited, timeout, closed, line]);
        if (first === 'timeout') {
          timedOut = true;
          await container.kill({ signal: 'SIGKILL' }).catch(() => {});
          await waited.catch(() => {});
        } else if (first !== 'closed') {
          // Output can still be in flight after the exit status: wait briefly for the stream to drain.
          await Promise.race([streamEnded, new Promise((r) => setTimeout(r, 1000))]);
        }
        let exitCode: number | null = null;
        let oomKilled = false;
        let exitKnown = false;
        const status = (ms: number) =>
          Promise.race([
            waited.then(
              (w) => w.StatusCode,
              () => null,
            ),
            new Promise<null>((r) => setTimeout(() => r(null), ms)),
          ]);
        if (first !== 'timeout' && first !== 'closed') {
          exitCode = (first as { StatusCode: number }).StatusCode;
          const info = await container.inspect().catch(() => null);
          oomKilled = Boolean(info?.State.OOMKilled);
          exitKnown = info !== null;
        } else if (first === 'closed' && out.sawNewline) {
          // A verdict line arrived: a short grace for the exit status, which usually follows within milliseconds.
          exitCode = await status(15);
        } else if (first === 'closed') {
          // The output ended without a verdict. Whose fault that is depends on how the process ended, so wait for
          // Docker to say (normally milliseconds; a stream that closed while the process still runs means the engine
          // lost the connection, and the status never comes).
          exitCode = await status(5000);
          const info = await container.inspect().catch(() => null);
          oomKilled = Boolean(info?.State.OOMKilled);
          if (exitCode === null && info?.State.Status === 'exited') exitCode = info.State.ExitCode;
          exitKnown = exitCode !== null && info !== null;
        }
        return {
          exitCode,
          stdout: out.buffer(),
          stderr: err.buffer(),
          stdoutTruncated: out.truncated,
          timedOut,
          oomKilled,
          exitKnown,
          durationMs: Date.now() - started,
          removed: (removed = remove()),
        };
      } finally {
        if (timer) clearTimeout(timer);
        if (!removed) await remove();
      }
    },
  };
}

/** A cold run: a fresh sandbox created, fed and removed. */
export async function runSandbox(docker: Docker, opts: RunOptions): Promise<RunOutcome> {
  const t0 = Date.now();
  const sb = await prepareSandbox(docker, opts);
  opts.onStarted?.();
  const outcome = await sb.run(opts.input);
  await outcome.removed;
  return { ...outcome, durationMs: Date.now() - t0 };
}
