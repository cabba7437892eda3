import { z } from 'zod';
import { getDb } from '../db';
import { getLab } from '../labs/registry';
import { acceptFiles } from '../labs/files';
import { enqueueGrading } from '../queue';
import type { Actor } from '../auth/actor';
import { isLate } from '../cohorts/schedule';
import { LIMITS, submitRateExceeded } from '../security/limits';
import { AppError, msg } from '../errors';

const submitInput = z.object({
  labId: z.string().min(1).max(80),
  files: z
    .array(z.object({ path: z.string().min(1).max(200), content: z.union([z.string().max(8 * 1024 * 1024), z.instanceof(Uint8Array)]) }))
    .min(1, 'Add at least one file.')
    .max(200),
});

/**
 * Stores the submission as QUEUED, files included, in one transaction, then enqueues its job (job id = submission
 * id). If Redis is down at that moment the row is still there and the worker's reconciler enqueues it later:
 * Postgres is the truth.
 */
export async function submitLabAttempt(actor: Actor, raw: unknown, opts: { limits?: boolean } = {}): Promise<{ submissionId: string }> {
  const input = submitInput.parse(raw);
  const lab = getLab(input.labId);
  if (!lab) throw new AppError('not_found', { message: msg('errors.noLab', { id: input.labId }) });
  const files = acceptFiles(lab.manifest, input.files);
  const db = getDb();
  // Practice after a deadline is graded in full; it is marked late and the cohort's late policy counts it.
  const late = await isLate(actor.id, lab.manifest.week);
  // Abuse limits, each with a message that says what to do; a regrade is not a learner's submission and skips them.
  // (`limits: false` is for the engine's own bulk tests and benchmarks; the site never passes it.)
  // The count and the insert are one step per learner (an advisory lock held by the transaction): six submissions at
  // once see 0, 1, 2, 3, 3, 3 waiting, not 0 six times.
  const enforce = opts.limits !== false;
  const { submission, queued } = await db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext('lms:submit'), hashtext(${actor.id}))::text`;
      const queued = await tx.submission.count({ where: { userId: actor.id, status: { in: ['QUEUED', 'RUNNING'] }, regradeOfId: null } });
      if (enforce && queued >= LIMITS.queuedPerLearner) throw new AppError('queue_full', { params: { queued }, retryAfterS: 10 });
      if (enforce && (await submitRateExceeded(actor.id, lab.manifest.id)))
        throw new AppError('rate_limited', { params: { max: LIMITS.submitPerLabPerMinute.max }, retryAfterS: 60 - (Math.floor(Date.now() / 1000) % 60) });
      const submission = await tx.submission.create({
        data: {
          userId: actor.id,
          labId: lab.manifest.id,
          late,
          status: 'QUEUED',
          phase: 'queued',
          files: { create: files.map((f) => ({ path: f.path, content: f.content })) },
        },
        select: { id: true },
      });
      return { submission, queued };
    },
    { timeout: 30_000, maxWait: 10_000 },
  );
  try {
    // Fairness: a learner's first waiting job outranks another learner's fourth (BullMQ: lower priority runs first).
    await enqueueGrading(submission.id, { priority: queued + 1 });
  } catch (e) {
    console.warn(`[submit] enqueue failed for ${submission.id}; the reconciler will retry: ${(e as Error).message}`);
  }
  return { submissionId: submission.id };
}
