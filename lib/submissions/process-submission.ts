/**
 * The worker's handling of one grading job. Idempotent: a submission that already ended is left alone, and the
 * result is written in the same transaction as the status change, guarded on the RUNNING status, so a job run
 * twice (a stalled job re-delivered, a reconciler race) still leaves exactly one result.
 */
import type Docker from 'dockerode';
import { getDb, Prisma } from '../db';
import { getLab } from '../labs/registry';
import { gradeFiles, InfraError, type Phase } from '../grading/grade';
import { labPassed, storedResult, type StoredResult } from '../grading/result';
import { FAIRNESS, mayStart, othersWaiting, worstCaseOf } from './schedule';

export type ProcessOutcome = 'graded' | 'timed_out' | 'skipped' | 'error' | 'deferred';

export interface ProcessOptions {
  docker: Docker;
  /** 1 for the first run of the job, 2 for its first retry, ... */
  attempt: number;
  /** True when this is the job's last try: an infrastructure failure then ends the submission as ERROR. */
  lastTry: boolean;
  runtime?: string;
  labels?: Record<string, string>;
  pool?: import('../grading/pool').SandboxPool;
  /** Called once the learner's grading has ended (or gone back to the queue): their deferred jobs may go now. */
  onLearnerFree?: (userId: string) => void | Promise<void>;
  /** Where a grader that stopped on a submission is reported (the worker's log). */
  log?: (message: string) => void;
}

const TERMINAL = ['GRADED', 'TIMED_OUT', 'ERROR'] as const;

/**
 * Takes the submission for this run, or says why not: it already ended (`skip`), or its learner already has a
 * grading running and the fairness rule says wait (`defer`; lib/submissions/schedule.ts). Serialised per learner with
 * an advisory lock, so two workers taking two of one learner's jobs at once cannot both start them.
 */
async function claim(submissionId: string): Promise<{ kind: 'skip' } | { kind: 'defer'; userId: string } | { kind: 'run'; userId: string }> {
  return getDb().$transaction(
    async (tx) => {
      const sub = await tx.submission.findUnique({ where: { id: submissionId }, select: { userId: true, labId: true, status: true } });
      if (!sub || (TERMINAL as readonly string[]).includes(sub.status)) return { kind: 'skip' as const };
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext('lms:grading'), hashtext(${sub.userId}))::text`;
      const running = await tx.submission.count({ where: { userId: sub.userId, status: 'RUNNING', id: { not: submissionId } } });
      if (running > 0) {
        const worst = worstCaseOf(sub.labId);
        const others = worst <= FAIRNESS.shortJobMs ? await othersWaiting(tx, sub.userId) : true;
        if (!mayStart(running, worst, others)) return { kind: 'defer' as const, userId: sub.userId };
      }
      const moved = await tx.submission.updateMany({
        where: { id: submissionId, status: { in: ['QUEUED', 'RUNNING'] } },
        data: { status: 'RUNNING', phase: 'starting', attempt: { increment: 1 }, startedAt: new Date(), error: null },
      });
      return moved.count === 1 ? { kind: 'run' as const, userId: sub.userId } : { kind: 'skip' as const };
    },
    { timeout: 15_000, maxWait: 15_000 },
  );
}

export async function processSubmission(submissionId: string, opts: ProcessOptions): Promise<ProcessOutcome> {
  const claimed = await claim(submissionId);
  if (claimed.kind === 'skip') return 'skipped';
  if (claimed.kind === 'defer') return 'deferred';
  try {
    return await gradeClaimed(submissionId, opts);
  } finally {
    await opts.onLearnerFree?.(claimed.userId);
  }
}

async function gradeClaimed(submissionId: string, opts: ProcessOptions): Promise<ProcessOutcome> {
  const db = getDb();
  const sub = await db.submission.findUniqueOrThrow({ where: { id: submissionId }, include: { files: true } });
  const setPhase = async (phase: Phase) => {
    await db.submission.updateMany({ where: { id: submissionId, status: 'RUNNING' }, data: { phase } });
  };
  try {
    const outcome = await gradeFiles({
      docker: opts.docker,
      labId: sub.labId,
      files: sub.files.map((f) => ({ path: f.path, content: Buffer.from(f.content) })),
      onPhase: setPhase,
      runtime: opts.runtime,
      pool: opts.pool,
      deferCleanup: true,
      onProgress: (checks) => {
        void db.submission.updateMany({ where: { id: submissionId, status: 'RUNNING' }, data: { progress: checks } }).catch(() => {});
      },
      labels: { 'lms.submission': submissionId, ...(opts.labels ?? {}) },
    });
    // The result is stored first; the containers' removal finishes after (and before the job completes).
    if (outcome.kind === 'timed_out') {
      // The learner has already waited the whole limit: the killed containers are gone before the status says so.
      await outcome.cleanup;
      await finishTimedOut(submissionId, sub.userId, sub.labId, outcome.message, outcome.imageTag);
      return 'timed_out';
    }
    // A grader that stopped on this submission: its result says so, and the operator hears of it (a grader bug
    // shows up here too, and a regrade fixes those results once the grader is fixed).
    if (outcome.stopped)
      (opts.log ?? console.warn)(`[worker] ${submissionId}: the ${sub.labId} grader stopped on this submission; stored as its result (${outcome.stopped})`);
    await storeResult(submissionId, sub.userId, sub.labId, outcome.result, outcome.imageTag);
    // Cohort notifications (lab passed, learner stuck) go out on their own: a slow or broken webhook never holds up
    // or fails a grading.
    if (!sub.practice) void import('../notify/webhook').then((n) => n.afterResult(submissionId)).catch(() => {});
    await outcome.cleanup;
    return 'graded';
  } catch (e) {
    // Anything else is on our side: an InfraError (engine unreachable, image missing, a container that could not be
    // created), or an unexpected error (database, a bug). Retried with backoff; the last try ends ERROR, uncounted.
    if (opts.lastTry) {
      await db.submission.updateMany({
        where: { id: submissionId, status: 'RUNNING' },
        data: {
          status: 'ERROR',
          phase: 'finished',
          finishedAt: new Date(),
          error: 'Grading failed for a reason on our side; this did not count as an attempt. Please submit again.',
        },
      });
      console.error(`[worker] ${submissionId} ended as ERROR: ${(e as Error).message}`);
      if (e instanceof InfraError) return 'error';
      throw e;
    }
    await db.submission.updateMany({ where: { id: submissionId, status: 'RUNNING' }, data: { status: 'QUEUED', phase: 'queued' } });
    throw e;
  }
}

async function storeResult(submissionId: string, userId: string, labId: string, result: StoredResult, imageTag: string): Promise<void> {
  const doc = storedResult.parse(result);
  const lab = getLab(labId);
  const passed = lab ? labPassed(lab.manifest, doc) : false;
  const db = getDb();
  await db.$transaction(async (tx) => {
    // A regrade (same files, new grader) is not the learner's attempt: no number, and the lab's progress is
    // recomputed from each attempt's latest grading instead of taking the best of old and new.
    const kind = await tx.submission.findUnique({ where: { id: submissionId }, select: { regradeOfId: true, practice: true } });
    const regrade = !!kind?.regradeOfId;
    // A practice run from a workspace (`lms check`) is not an attempt either: no number, no progress (below).
    const practice = !!kind?.practice;
    // Only the run that moves the submission out of RUNNING writes the result.
    const number = doc.gradable && !regrade && !practice ? await nextAttemptNumber(tx, userId, labId) : null;
    const moved = await tx.submission.updateMany({
      where: { id: submissionId, status: 'RUNNING' },
      data: { status: 'GRADED', phase: 'finished', finishedAt: new Date(), number, imageTag },
    });
    if (moved.count !== 1) return;
    await tx.result.create({
      data: {
        submissionId,
        gradable: doc.gradable,
        score: doc.score,
        maxScore: doc.maxScore,
        passed,
        document: doc as unknown as Prisma.InputJsonValue,
        durationMs: Math.round(doc.durationMs),
      },
    });
    if (!doc.gradable || practice) return;
    if (regrade) return recomputeLabProgress(tx, userId, labId);
    const prev = await tx.labProgress.findUnique({ where: { userId_labId: { userId, labId } } });
    const better = !prev || doc.score > prev.bestScore;
    await tx.labProgress.upsert({
      where: { userId_labId: { userId, labId } },
      create: { userId, labId, bestScore: doc.score, maxScore: doc.maxScore, passed, attempts: 1, bestSubmissionId: submissionId },
      update: {
        attempts: { increment: 1 },
        maxScore: doc.maxScore,
        passed: (prev?.passed ?? false) || passed,
        ...(better ? { bestScore: doc.score, bestSubmissionId: submissionId } : {}),
      },
    });
  });
}

/** A learner's progress on a lab from each attempt's latest grading (a regrade replaces its original's score). */
export async function recomputeLabProgress(tx: Prisma.TransactionClient, userId: string, labId: string): Promise<void> {
  const subs = await tx.submission.findMany({
    where: { userId, labId, status: 'GRADED' },
    orderBy: { createdAt: 'asc' },
    select: { id: true, regradeOfId: true, result: { select: { gradable: true, score: true, maxScore: true, passed: true } } },
  });
  const effective = new Map<string, { id: string; score: number; maxScore: number; passed: boolean }>();
  for (const s of subs) {
    if (!s.result?.gradable) continue;
    effective.set(s.regradeOfId ?? s.id, { id: s.id, score: s.result.score, maxScore: s.result.maxScore, passed: s.result.passed });
  }
  const list = [...effective.values()];
  if (!list.length) return;
  const best = list.reduce((a, b) => (b.score > a.score ? b : a));
  const data = {
    bestScore: best.score,
    maxScore: best.maxScore,
    passed: list.some((x) => x.passed),
    attempts: subs.filter((s) => !s.regradeOfId && s.result?.gradable).length,
    bestSubmissionId: best.id,
  };
  await tx.labProgress.upsert({ where: { userId_labId: { userId, labId } }, create: { userId, labId, ...data }, update: data });
}

async function nextAttemptNumber(tx: Prisma.TransactionClient, userId: string, labId: string): Promise<number> {
  // Serialise numbering per learner and lab: two results finishing at once must not share a number.
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${userId + ':' + labId}))::text`;
  const agg = await tx.submission.aggregate({ where: { userId, labId, number: { not: null } }, _max: { number: true } });
  return (agg._max.number ?? 0) + 1;
}

async function finishTimedOut(submissionId: string, userId: string, labId: string, message: string, imageTag: string): Promise<void> {
  const db = getDb();
  await db.$transaction(async (tx) => {
    const practice = !!(await tx.submission.findUnique({ where: { id: submissionId }, select: { practice: true } }))?.practice;
    const number = practice ? null : await nextAttemptNumber(tx, userId, labId);
    await tx.submission.updateMany({
      where: { id: submissionId, status: 'RUNNING' },
      data: { status: 'TIMED_OUT', phase: 'finished', finishedAt: new Date(), number, imageTag, error: message },
    });
  });
}
