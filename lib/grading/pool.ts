/**
 * Pre-started, single-use sandboxes. Starting a container is most of a cold run (about 190 ms of 200 ms here); a
 * container started ahead of time, its grader loaded and waiting on stdin, answers about 30 ms after its input
 * arrives. Each pooled sandbox is used for exactly one submission, then removed and replaced, with the same limits
 * and isolation as a cold one. A pool exists per grader image while that image is in use: it is filled on first
 * use, topped up after each take, and drained when idle past its lifetime or when the lab's image changes.
 */
import type Docker from 'dockerode';
import { prepareSandbox, type PreparedSandbox } from './sandbox';
import type { SandboxLimits } from './limits';

export interface PoolConfig {
  /** Ready sandboxes kept per image. */
  size: number;
  /** A ready sandbox older than this is replaced, so none waits forever (and no stale grader runs). */
  maxAgeMs: number;
  /** A pool unused this long is drained: warm sandboxes only for labs in use. */
  idleMs: number;
}

interface PoolEntry {
  key: string;
  image: string;
  ready: PreparedSandbox[];
  filling: number;
  lastUsed: number;
  spec: PoolSpec;
}

export interface PoolSpec {
  image: string;
  limits: SandboxLimits;
  labels: Record<string, string>;
  runtime?: string;
  /** Pools are per lab; a new image for the same lab drains the old pool. */
  labId: string;
}

export class SandboxPool {
  private pools = new Map<string, PoolEntry>();
  private timer: NodeJS.Timeout;
  private closed = false;

  constructor(
    private docker: Docker,
    private cfg: PoolConfig,
    private log: (m: string) => void = () => {},
  ) {
    this.timer = setInterval(() => void this.sweep(), Math.min(cfg.maxAgeMs, 10_000));
    this.timer.unref();
  }

  /**
   * A ready sandbox for the spec, or null when none is ready (the caller then runs cold). The pool is topped up when
   * the caller calls `refill` after its run: starting a replacement while the taken sandbox grades would compete with
   * it for the same CPUs and slow the very run the pool exists to speed up.
   */
  take(spec: PoolSpec): PreparedSandbox | null {
    if (this.closed || this.cfg.size <= 0) return null;
    const key = spec.labId;
    let entry = this.pools.get(key);
    if (entry && entry.image !== spec.image) {
      this.log(`pool ${key}: image changed to ${spec.image}; draining ${entry.ready.length}`);
      this.drainEntry(entry);
      entry = undefined;
    }
    if (!entry) {
      entry = { key, image: spec.image, ready: [], filling: 0, lastUsed: Date.now(), spec };
      this.pools.set(key, entry);
    }
    entry.lastUsed = Date.now();
    const now = Date.now();
    let sb: PreparedSandbox | undefined;
    while ((sb = entry.ready.shift())) {
      if (now - sb.createdAt < this.cfg.maxAgeMs) break;
      void sb.discard();
    }
    // An empty pool is filled at once (first use, or a burst outran it); otherwise after the run.
    if (!sb) this.fill(entry);
    return sb ?? null;
  }

  /** Tops up the pool for a lab after a run. */
  refill(labId: string): void {
    const entry = this.pools.get(labId);
    if (entry) this.fill(entry);
  }

  /** Starts sandboxes until the pool holds `size` ready or filling. */
  private fill(entry: PoolEntry): void {
    while (!this.closed && entry.ready.length + entry.filling < this.cfg.size) {
      entry.filling++;
      prepareSandbox(this.docker, {
        image: entry.spec.image,
        limits: entry.spec.limits,
        labels: { ...entry.spec.labels, 'lms.pooled': '1' },
        runtime: entry.spec.runtime,
        resultOnFirstLine: true,
      })
        .then((sb) => {
          if (this.closed || this.pools.get(entry.key) !== entry) void sb.discard();
          else entry.ready.push(sb);
        })
        .catch((e) => this.log(`pool ${entry.key}: could not start a sandbox: ${(e as Error).message}`))
        .finally(() => {
          entry.filling--;
        });
    }
  }

  /** Warms the pool for a lab ahead of the first submission. */
  warm(spec: PoolSpec): void {
    const sb = this.take(spec);
    if (sb) this.pools.get(spec.labId)?.ready.unshift(sb);
    this.refill(spec.labId);
  }

  private drainEntry(entry: PoolEntry): void {
    this.pools.delete(entry.key);
    for (const sb of entry.ready.splice(0)) void sb.discard();
  }

  private async sweep(): Promise<void> {
    const now = Date.now();
    for (const entry of [...this.pools.values()]) {
      if (now - entry.lastUsed > this.cfg.idleMs) {
        this.drainEntry(entry);
        continue;
      }
      const fresh: PreparedSandbox[] = [];
      for (const sb of entry.ready) {
        if (now - sb.createdAt >= this.cfg.maxAgeMs) void sb.discard();
        else fresh.push(sb);
      }
      entry.ready = fresh;
      this.fill(entry);
    }
  }

  readyCount(labId: string): number {
    return this.pools.get(labId)?.ready.length ?? 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    const all = [...this.pools.values()].flatMap((e) => e.ready.splice(0));
    this.pools.clear();
    await Promise.all(all.map((sb) => sb.discard()));
  }
}
