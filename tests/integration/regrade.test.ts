/**
 * Regrades through the real worker and sandbox: the grader "changed" (here, the stored old score is lowered as an
 * old grader would have given), every attempt of the lab in the cohort is graded again, the summary shows before →
 * after, the learner's progress takes the new grading, and a regrade is not an attempt.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db';
import { createCohort, gradebook, joinCohort } from '@/lib/cohorts/gradebook';
import { regradeLab, regradeSubmission, regradeSummary } from '@/lib/cohorts/regrade';
import { submitLabAttempt } from '@/lib/submissions/submit-lab-attempt';
import type { Actor } from '@/lib/auth/actor';
import { createLearner, startWorker, waitFor, type WorkerProc } from './helpers';

let worker: WorkerProc;
beforeAll(async () => {
  worker = startWorker();
  await waitFor(async () => worker.output().includes('ready:'), 120_000);
});
afterAll(async () => {
  await worker?.stop();
});

const instructor = async (): Promise<Actor> =>
  getDb().user.create({ data: { email: `rg-${crypto.randomUUID()}@test.lms`, name: 'I', role: 'INSTRUCTOR' }, select: { id: true, role: true } });
const graded = (id: string) =>
  waitFor(async () => {
    const s = await getDb().submission.findUnique({ where: { id }, include: { result: true } });
    return s && s.status === 'GRADED' ? s : undefined;
  }, 90_000);

describe('regrade', () => {
  it('regrades a lab for the cohort: before and after, progress follows, not an attempt', async () => {
    const ins = await instructor();
    const learner = await createLearner();
    const cohort = await createCohort(ins, { name: 'Regrade cohort', start: new Date(), latePenaltyPct: 0 });
    await joinCohort(learner, cohort.inviteCode);
    const { submissionId } = await submitLabAttempt(learner, { labId: 'test-echo', files: [{ path: 'input.txt', content: 'hello' }] });
    await graded(submissionId);
    // what an older, buggy grader would have stored
    const db = getDb();
    await db.result.update({ where: { submissionId }, data: { score: 1, passed: false } });
    await db.labProgress.update({ where: { userId_labId: { userId: learner.id, labId: 'test-echo' } }, data: { bestScore: 1, passed: false } });

    const { batchId, count } = await regradeLab(ins, cohort.id, 'test-echo');
    expect(count).toBe(1);
    const copy = await db.submission.findFirstOrThrow({ where: { regradeBatchId: batchId } });
    expect(copy).toMatchObject({ regradeOfId: submissionId, userId: learner.id });
    const done = await graded(copy.id);
    expect(done.number).toBeNull(); // not an attempt
    expect(done.result).toMatchObject({ score: 3, passed: true });

    const sum = await regradeSummary(ins, cohort.id, batchId);
    expect(sum).toMatchObject({ up: 1, down: 0, same: 0, pending: 0 });
    expect(sum.rows[0]).toMatchObject({ before: 1, after: 3 });
    expect(await db.labProgress.findUniqueOrThrow({ where: { userId_labId: { userId: learner.id, labId: 'test-echo' } } })).toMatchObject({
      bestScore: 3,
      passed: true,
      attempts: 1,
    });
    const cell = (await gradebook(ins, cohort.id)).rows[0]!.cells['test-echo']!;
    expect(cell).toMatchObject({ best: 3, attempts: 1, passed: true });
    expect(await db.auditLog.count({ where: { action: 'lab.regrade', targetId: cohort.id } })).toBe(1);

    // one submission again; another instructor may do neither
    const one = await regradeSubmission(ins, cohort.id, submissionId);
    expect(await db.submission.count({ where: { regradeBatchId: one.batchId } })).toBe(1);
    const other = await instructor();
    await expect(regradeLab(other, cohort.id, 'test-echo')).rejects.toMatchObject({ name: 'AppError', code: 'not_found' });
    await expect(regradeSubmission(other, cohort.id, submissionId)).rejects.toMatchObject({ name: 'AppError', code: 'not_found' });
    await expect(regradeSummary(other, cohort.id, batchId)).rejects.toMatchObject({ name: 'AppError', code: 'not_found' });
    await graded((await db.submission.findFirstOrThrow({ where: { regradeBatchId: one.batchId } })).id);
  });
});
