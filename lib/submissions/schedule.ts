/**
 * Fair use of the grading slots. Every worker has a number of sandbox slots (its concurrency). Grading cannot be
 * preempted (a week-9 build holds its slot for up to two minutes), so fairness is decided when a job is taken:
 *
 *  - a learner with nothing running may always take a free slot;
 *  - a learner who already has a submission running may take a further slot only for a short job (a lab whose worst
 *    case is at most `shortJobMs`) and only while no other learner is waiting for a slot.
 *
 * A job that may not start yet is deferred (put back in the queue, not failed: no attempt is used) and offered again
 * as soon as its learner's running submission ends. The same rule drives the queue position and the estimate the lab
 * page shows (`queueEstimates`), by playing the current queue forward.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { getDb, type Prisma } from '../db';
import { rawPool } from '../db-raw';
import { getEnv } from '../env';
import { getLab } from '../labs/registry';
import type { LabManifest } from '../labs/manifest';
import { resolveLimits } from '../grading/limits';
import { getGradingQueue, queueRedis, type GradingJobData } from '../queue';

export const FAIRNESS = {
  /** The longest a job may hold a learner's second slot: the default time limit of a static lab. */
  shortJobMs: 20_000,
  /** A deferred job is offered again after this long at the latest (sooner when its learner's job ends). */
  deferMs: 10_000,
  /** Used when a lab has no recent gradings to average. */
  defaultDurationMs: 1500,
} as const;

/** The longest a submission of this lab can hold a slot: the grader's limit, plus the image builds of a build lab. */
export function labWorstCaseMs(manifest: Pick<LabManifest, 'kind' | 'limits' | 'subject'>): number {
  const grader = resolveLimits(manifest.limits.grader).timeoutMs;
  const build = manifest.kind === 'subject' ? manifest.subject?.build : undefined;
  if (!build) return grader;
  const buildMs = resolveLimits(manifest.limits.subject ?? manifest.limits.grader).timeoutMs;
  return grader + buildMs * (build.cacheProbe ? 2 : 1);
}

/** The rule above, shared by the worker (when it takes a job) and the estimate (when it plays the queue forward). */
export function mayStart(learnerRunning: number, worstCaseMs: number, othersWaiting: boolean): boolean {
  if (learnerRunning === 0) return true;
  return worstCaseMs <= FAIRNESS.shortJobMs && !othersWaiting;
}

export function worstCaseOf(labId: string): number {
  const lab = getLab(labId);
  return lab ? labWorstCaseMs(lab.manifest) : Number.POSITIVE_INFINITY;
}

/** Whether another learner has a submission waiting and nothing running (so it would take a free slot now). */
export async function othersWaiting(tx: Prisma.TransactionClient, userId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ one: number }[]>`
    SELECT 1 AS one FROM "Submission" s
    WHERE s.status = 'QUEUED' AND s."userId" <> ${userId}
      AND NOT EXISTS (SELECT 1 FROM "Submission" r WHERE r."userId" = s."userId" AND r.status = 'RUNNING')
    LIMIT 1`;
  return rows.length > 0;
}

/**
 * Offers a learner's deferred jobs again once nothing of theirs runs (called when one of their gradings ends, and
 * after a deferral in case that ending came in between). Only jobs marked deferred are promoted: a job waiting out
 * an infrastructure retry's backoff keeps its wait.
 */
export async function promoteDeferred(queue: Queue<GradingJobData>, userId: string): Promise<number> {
  const db = getDb();
  if ((await db.submission.count({ where: { userId, status: 'RUNNING' } })) > 0) return 0;
  const waiting = await db.submission.findMany({ where: { userId, status: 'QUEUED' }, select: { id: true }, orderBy: { createdAt: 'asc' }, take: 50 });
  let n = 0;
  for (const { id } of waiting) {
    const job = await queue.getJob(id).catch(() => undefined);
    if (!job?.data.deferred || !(await job.isDelayed().catch(() => false))) continue;
    await job.promote().then(
      () => n++,
      () => {},
    ); // it may have been taken in between: then there is nothing to do
  }
  return n;
}

// ---------------------------------------------------------------------------------------------------------------
// Slots: each worker announces its concurrency under a key that expires with its heartbeat.

const slotKey = (workerId: string) => `${getEnv().REDIS_PREFIX}:worker-slots:${workerId}`;

export async function announceSlots(redis: Redis, workerId: string, slots: number, ttlS: number): Promise<void> {
  await redis.set(slotKey(workerId), String(slots), 'EX', ttlS);
}

export async function withdrawSlots(redis: Redis, workerId: string): Promise<void> {
  await redis.del(slotKey(workerId));
}

/**
 * Redis reads for the estimate give up quickly: the queue's connection waits for Redis to come back (BullMQ needs
 * that), and a learner's status poll must not hang while Redis is away.
 */
const REDIS_READ_MS = 500;
function quickly<T>(p: Promise<T>): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (t = setTimeout(() => reject(new Error('Redis did not answer in time')), REDIS_READ_MS)));
  return Promise.race([p, late]).finally(() => clearTimeout(t));
}

/** The slots of every live worker; the configured concurrency when none has announced itself (or Redis is away). */
async function liveSlots(): Promise<number> {
  try {
    const total = await quickly(
      (async () => {
        const redis = queueRedis();
        let cursor = '0';
        let sum = 0;
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', slotKey('*'), 'COUNT', 200);
          cursor = next;
          if (keys.length) for (const v of await redis.mget(...keys)) sum += Number(v) || 0;
        } while (cursor !== '0');
        return sum;
      })(),
    );
    if (total > 0) return total;
  } catch {
    /* fall back below */
  }
  return getEnv().WORKER_CONCURRENCY;
}

// ---------------------------------------------------------------------------------------------------------------
// Playing the queue forward.

export interface SimRunning {
  userId: string;
  labId: string;
  /** Expected time left, ms. */
  remainingMs: number;
}

export interface SimWaiting {
  id: string;
  userId: string;
  labId: string;
  /** Expected grading time, ms. */
  durationMs: number;
}

export interface SimStart {
  /** Waiting submissions that start before this one. */
  position: number;
  startMs: number;
  finishMs: number;
}

/**
 * Plays the queue forward under the fairness rule: `waiting` in the order the queue hands jobs out, `slots` in all.
 * Nothing is preempted; when a slot frees, the first waiting job allowed to start takes it.
 */
export function simulate(
  slots: number,
  running: SimRunning[],
  waiting: SimWaiting[],
  worstCase: (labId: string) => number = worstCaseOf,
): Map<string, SimStart> {
  const out = new Map<string, SimStart>();
  const active: { userId: string; finishMs: number }[] = running.map((r) => ({ userId: r.userId, finishMs: Math.max(0, r.remainingMs) }));
  const runningBy = new Map<string, number>();
  const pendingBy = new Map<string, number>();
  for (const a of active) runningBy.set(a.userId, (runningBy.get(a.userId) ?? 0) + 1);
  for (const w of waiting) pendingBy.set(w.userId, (pendingBy.get(w.userId) ?? 0) + 1);
  // learners with something waiting and nothing running: the "others waiting" of the rule
  const idle = new Set([...pendingBy.keys()].filter((u) => !runningBy.get(u)));
  const pending = [...waiting];
  const worst = new Map<string, number>();
  const worstOf = (labId: string) => worst.get(labId) ?? (worst.set(labId, worstCase(labId)), worst.get(labId)!);
  let now = 0;
  let position = 0;
  const bump = (userId: string, d: number) => {
    const n = (runningBy.get(userId) ?? 0) + d;
    runningBy.set(userId, n);
    if (n === 0 && (pendingBy.get(userId) ?? 0) > 0) idle.add(userId);
    else idle.delete(userId);
  };
  while (pending.length) {
    while (active.length < slots) {
      const i = pending.findIndex((w) => mayStart(runningBy.get(w.userId) ?? 0, worstOf(w.labId), idle.size - (idle.has(w.userId) ? 1 : 0) > 0));
      if (i < 0) break;
      const [w] = pending.splice(i, 1);
      out.set(w!.id, { position: position++, startMs: now, finishMs: now + w!.durationMs });
      pendingBy.set(w!.userId, pendingBy.get(w!.userId)! - 1);
      active.push({ userId: w!.userId, finishMs: now + w!.durationMs });
      bump(w!.userId, 1);
    }
    if (!pending.length || !active.length) break;
    // the next grading to end frees its slot
    let k = 0;
    for (let j = 1; j < active.length; j++) if (active[j]!.finishMs < active[k]!.finishMs) k = j;
    const [done] = active.splice(k, 1);
    now = Math.max(now, done!.finishMs);
    bump(done!.userId, -1);
  }
  return out;
}

interface Snapshot {
  at: number;
  starts: Map<string, SimStart>;
}
const g = globalThis as unknown as { __lmsQueueSnapshot?: Promise<Snapshot>; __lmsQueueRefresh?: Promise<void> };

/**
 * How long a submission of each lab holds its slot: the average over its last 20 gradings of start to result (a
 * timeout included), plus the hand-over (removing the containers, the next job's claim; 0.35-0.55 s measured here).
 * The sample comes from the last 500 gradings of any lab (one index scan); a lab missing from it falls back to its
 * results' grading time.
 */
const HANDOVER_MS = 500;

async function recentDurations(labIds: string[]): Promise<Map<string, number>> {
  const db = getDb();
  const out = new Map<string, number>();
  const recent = await db.submission.findMany({
    where: { status: { in: ['GRADED', 'TIMED_OUT'] }, startedAt: { not: null }, finishedAt: { not: null } },
    orderBy: { createdAt: 'desc' },
    take: 500,
    select: { labId: true, startedAt: true, finishedAt: true },
  });
  const byLab = new Map<string, number[]>();
  for (const r of recent) {
    const list = byLab.get(r.labId) ?? [];
    if (list.length < 20) list.push(r.finishedAt!.getTime() - r.startedAt!.getTime());
    byLab.set(r.labId, list);
  }
  await Promise.all(
    labIds.map(async (labId) => {
      let list = byLab.get(labId);
      if (!list?.length)
        list = (await db.result.findMany({ where: { submission: { labId } }, orderBy: { createdAt: 'desc' }, take: 20, select: { durationMs: true } })).map(
          (r) => r.durationMs,
        );
      out.set(labId, (list.length ? list.reduce((a, b) => a + b, 0) / list.length : FAIRNESS.defaultDurationMs) + HANDOVER_MS);
    }),
  );
  return out;
}

/** The order the queue hands jobs out: BullMQ takes jobs without a priority first, then by priority, then FIFO. */
async function queueOrder(ids: string[]): Promise<Map<string, number>> {
  const prio = new Map<string, number>();
  if (!ids.length) return prio;
  try {
    const queue = getGradingQueue();
    const redis = queueRedis();
    const pipe = redis.pipeline();
    for (const id of ids) pipe.hget(queue.toKey(id), 'priority');
    const res = (await quickly(pipe.exec())) ?? [];
    ids.forEach((id, i) => {
      const v = res[i]?.[1];
      if (typeof v === 'string') prio.set(id, Number(v) || 0);
    });
  } catch {
    /* no Redis: every job counts as first come, first served */
  }
  return prio;
}

/**
 * The parts of a snapshot that change slowly, kept three seconds: the workers' slots (announced with their heartbeat)
 * and the labs' recent grading times (an average over 20 gradings). A snapshot is taken every second while learners
 * watch the queue; these two were most of its cost (a SCAN of Redis, 500 rows).
 */
const slowParts = new Map<string, { at: number; value: Promise<unknown> }>();
function slowly<T>(key: string, ttlMs: number, fn: () => Promise<T>): Promise<T> {
  const hit = slowParts.get(key);
  if (hit && Date.now() - hit.at < ttlMs) return hit.value as Promise<T>;
  if (slowParts.size > 64) slowParts.clear();
  const value = fn();
  slowParts.set(key, { at: Date.now(), value });
  value.catch(() => slowParts.delete(key));
  return value;
}

async function takeSnapshot(): Promise<Snapshot> {
  const now = Date.now();
  // Read with plain pg (lib/db-raw.ts): taken every second while learners watch the queue, in the process that answers
  // their polls. Timestamps without a zone hold UTC: their epoch is the instant.
  const pool = rawPool();
  const [{ rows: running }, { rows: queued }, slots] = await Promise.all([
    pool.query<{ userId: string; labId: string; startedMs: number | null }>({
      name: 'lms-queue-running',
      text: `SELECT "userId", "labId", (extract(epoch FROM "startedAt") * 1000)::float8 AS "startedMs" FROM "Submission" WHERE status = 'RUNNING' LIMIT 1000`,
    }),
    pool.query<{ id: string; userId: string; labId: string; regradeOfId: string | null }>({
      name: 'lms-queue-queued',
      text: `SELECT id, "userId", "labId", "regradeOfId" FROM "Submission" WHERE status = 'QUEUED' ORDER BY "createdAt" ASC LIMIT 2000`,
    }),
    slowly('slots', 3000, liveSlots),
  ]);
  const labIds = [...new Set([...running, ...queued].map((s) => s.labId))].sort();
  const durations = await slowly(`durations:${labIds.join(',')}`, 3000, () => recentDurations(labIds));
  const prio = await queueOrder(queued.map((q) => q.id));
  // A job missing from Redis is re-added by the reconciler with the priority it would have had (see reconcile.ts).
  const rank = new Map<string, number>();
  const fallback = (q: (typeof queued)[number]) => {
    if (q.regradeOfId) return REGRADE_PRIORITY;
    const n = (rank.get(q.userId) ?? running.filter((r) => r.userId === q.userId).length) + 1;
    rank.set(q.userId, n);
    return n;
  };
  const keyed = queued.map((q, i) => ({ q, i, p: prio.get(q.id) ?? fallback(q) }));
  keyed.sort((x, y) => ((x.p === 0) !== (y.p === 0) ? (x.p === 0 ? -1 : 1) : x.p - y.p || x.i - y.i));
  const starts = simulate(
    slots,
    running.map((r) => ({ userId: r.userId, labId: r.labId, remainingMs: Math.max(500, durations.get(r.labId)! - (now - (r.startedMs ?? now))) })),
    keyed.map(({ q }) => ({ id: q.id, userId: q.userId, labId: q.labId, durationMs: durations.get(q.labId)! })),
  );
  return { at: now, starts };
}

/** A regrade's priority: behind the learners' own submissions. */
export const REGRADE_PRIORITY = 50;

/**
 * Where a waiting submission stands: how many waiting submissions will start before it and when its result is
 * expected (ms from now), from the queue as it is now played forward under the fairness rule. One snapshot serves
 * every poll: up to a second old as it is; up to five seconds old it still answers while the next one is taken (no
 * poll waits for it); a submission newer than the snapshot waits for a fresh one.
 */
export async function queueEstimate(submissionId: string): Promise<{ position: number; estimateMs: number } | null> {
  const pending = g.__lmsQueueSnapshot;
  let snap = pending ? await pending.catch(() => undefined) : undefined;
  const age = snap ? Date.now() - snap.at : Infinity;
  if (!snap || age > 5000 || !snap.starts.has(submissionId)) {
    if (g.__lmsQueueSnapshot === pending) g.__lmsQueueSnapshot = takeSnapshot();
    snap = await g.__lmsQueueSnapshot!;
  } else if (age > 1000 && g.__lmsQueueSnapshot === pending && !g.__lmsQueueRefresh) {
    // Taken in the background; the polls keep the current one until it is there.
    g.__lmsQueueRefresh = takeSnapshot()
      .then(
        (next) => {
          g.__lmsQueueSnapshot = Promise.resolve(next);
        },
        () => {},
      )
      .finally(() => {
        g.__lmsQueueRefresh = undefined;
      });
  }
  const s = snap.starts.get(submissionId);
  if (!s) return null;
  return { position: s.position, estimateMs: Math.round(Math.max(0, s.finishMs - (Date.now() - snap.at))) };
}
