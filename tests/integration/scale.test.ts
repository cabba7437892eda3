/**
 * Past one machine: several workers (here two processes with different concurrency, as if on two Docker hosts) share
 * one queue. A burst drains with no job run twice, and killing one worker mid-burst loses nothing.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { getDb, disconnectDb } from '@/lib/db';
import { submitLabAttempt } from '@/lib/submissions/submit-lab-attempt';
import { closeQueue } from '@/lib/queue';
import { createLearner, startWorker, waitFor, type WorkerProc } from './helpers';

const workers: WorkerProc[] = [];
afterAll(async () => {
  for (const w of workers) await w.stop('SIGKILL');
  await closeQueue();
  await disconnectDb();
});

describe('several workers on one queue', () => {
  it('two workers with concurrency 1 and 3 drain a burst of 60; one killed mid-burst loses nothing; no job runs twice', async () => {
    const fast = { LMS_RECONCILE_MS: '2000', LMS_HEARTBEAT_TTL_S: '3', LMS_SWEEP_MS: '2000', LMS_LOCK_MS: '5000' };
    const a = startWorker({ ...fast, WORKER_CONCURRENCY: '1' });
    const b = startWorker({ ...fast, WORKER_CONCURRENCY: '3' });
    workers.push(a, b);
    await waitFor(async () => a.output().includes('ready:') && b.output().includes('ready:'), 120_000);
    const learner = await createLearner();
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      ids.push(
        (await submitLabAttempt(i === 0 ? learner : await createLearner(), { labId: 'test-echo', files: [{ path: 'input.txt', content: `hello ${i}` }] }))
          .submissionId,
      );
    }
    const db = getDb();
    await waitFor(async () => (await db.submission.count({ where: { id: { in: ids }, status: 'GRADED' } })) >= 10, 120_000);
    b.child.kill('SIGKILL');
    await b.stop();
    await waitFor(async () => (await db.submission.count({ where: { id: { in: ids }, status: 'GRADED' } })) === 60, 300_000, 500);
    const results = await db.result.groupBy({ by: ['submissionId'], where: { submissionId: { in: ids } }, _count: true });
    expect(results.length).toBe(60);
    expect(results.every((r) => r._count === 1)).toBe(true);
    // Both workers took jobs: the queue spread the burst.
    const byA = (a.output().match(/: graded/g) ?? []).length;
    const byB = (b.output().match(/: graded/g) ?? []).length;
    expect(byA).toBeGreaterThan(0);
    expect(byB).toBeGreaterThan(0);
    // A job is run twice only if a submission was started twice and graded twice; attempts > 1 happen only for the
    // jobs the killed worker held, and those still have one result each (checked above).
    const started = await db.submission.findMany({ where: { id: { in: ids } }, select: { attempt: true } });
    expect(started.filter((s) => s.attempt > 1).length).toBeLessThanOrEqual(3);
    await a.stop();
  });
});
