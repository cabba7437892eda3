/**
 * The worker's handling of one grading job. Idempotent: a submission that already ended is left alone, and the
 * result is written in the same transaction as the status change, guarded on the RUNNING status, so a job run
 * twice (a stalled job re-delivered, a reconciler race) still leaves exactly one result.
 */
import type Docker from 'dockerode';
import { getDb, Prisma } from '../db';
import { getLab } from '../labs/registry';
import { gradeFiles, InfraError, type Phase } from './grade';
import { labPassed, storedResult, type StoredResult } from './result';

export type ProcessOutcome = 'graded' | 'timed_out' | 'skipped' | 'error';

export interface ProcessOptions {
  docker: Docker;
  /** 1 for the first run of the job, 2 for its first retry, ... */
  attempt: number;
  /** True when this is the job's last try: an infrastructure failure then ends the submission as ERROR. */
  lastTry: boolean;
  runtime?: string;
  labels?: Record<string, string>;
  pool?: import('./pool').SandboxPool;
}

const TERMINAL = ['GRADED', 'TIMED_OUT', 'ERROR'] as const;

export async function processSubmission(submissionId: string, opts: ProcessOptions): Promise<ProcessOutcome> {
  const db = getDb();
  const sub = await db.submission.findUnique({ where: { id: submissionId }, include: { files: true } });
  if (!sub) return 'skipped';
  if ((TERMINAL as readonly string[]).includes(sub.status)) return 'skipped';

  await db.submission.update({
    where: { id: submissionId },
    data: { status: 'RUNNING', phase: 'starting', attempt: { increment: 1 }, startedAt: new Date(), error: null },
  });
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
      await finishTimedOut(submissionId, sub.userId, sub.labId, outcome.message, outcome.imageTag);
      await outcome.cleanup;
      return 'timed_out';
    }
    await storeResult(submissionId, sub.userId, sub.labId, outcome.result, outcome.imageTag);
    // Cohort notifications (lab passed, learner stuck) go out on their own: a slow or broken webhook never holds up
    // or fails a grading.
    void import('../notify/webhook').then((n) => n.afterResult(submissionId)).catch(() => {});
    await outcome.cleanup;
    return 'graded';
  } catch (e) {
    if (e instanceof InfraError) {
      if (opts.lastTry) {
        await db.submission.updateMany({
          where: { id: submissionId, status: 'RUNNING' },
          data: { status: 'ERROR', phase: 'finished', finishedAt: new Date(), error: 'Grading failed for a reason on our side; this did not count as an attempt. Please submit again.' },
        });
        console.error(`[worker] ${submissionId} ended as ERROR: ${e.message}`);
        return 'error';
      }
      await db.submission.updateMany({ where: { id: submissionId, status: 'RUNNING' }, data: { status: 'QUEUED', phase: 'queued' } });
    }
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
    const regrade = !!(await tx.submission.findUnique({ where: { id: submissionId }, select: { regradeOfId: true } }))?.regradeOfId;
    // Only the run that moves the submission out of RUNNING writes the result.
    const number = doc.gradable && !regrade ? await nextAttemptNumber(tx, userId, labId) : null;
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
    if (!doc.gradable) return;
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
  const data = { bestScore: best.score, maxScore: best.maxScore, passed: list.some((x) => x.passed), attempts: subs.filter((s) => !s.regradeOfId && s.result?.gradable).length, bestSubmissionId: best.id };
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
    const number = await nextAttemptNumber(tx, userId, labId);
    await tx.submission.updateMany({
      where: { id: submissionId, status: 'RUNNING' },
      data: { status: 'TIMED_OUT', phase: 'finished', finishedAt: new Date(), number, imageTag, error: message },
    });
  });
}
