/**
 * Nothing lost, nothing graded twice: a burst of 200 submissions; in the middle, the worker is killed with SIGKILL and
 * the queue's keys in Redis are deleted. After a new worker starts, every submission ends GRADED with exactly one
 * result, and no sandbox container or network is left behind.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { getDb, disconnectDb } from '@/lib/db';
import { submitLabAttempt } from '@/lib/submissions/submit-lab-attempt';
import { closeQueue } from '@/lib/queue';
import { createLearner, sandboxContainers, startWorker, waitFor, docker, type WorkerProc } from './helpers';

const FAST = { LMS_RECONCILE_MS: '2000', LMS_HEARTBEAT_TTL_S: '3', LMS_SWEEP_MS: '2000', WORKER_CONCURRENCY: '2' };
const workers: WorkerProc[] = [];

afterAll(async () => {
  for (const w of workers) await w.stop('SIGKILL');
  await closeQueue();
  await disconnectDb();
});

async function flushQueueKeys() {
  const redis = new Redis(process.env.REDIS_URL!);
  const prefix = process.env.REDIS_PREFIX!;
  let cursor = '0';
  let n = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) n += await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
  return n;
}

describe('durability', () => {
  it('200 submissions survive kill -9 of the worker and a flushed Redis, each graded exactly once', async () => {
    const learner = await createLearner();
    let w = startWorker(FAST);
    workers.push(w);
    await waitFor(async () => w.output().includes('ready:'), 120_000);

    const ids: string[] = [];
    for (let i = 0; i < 200; i++) {
      // One learner's 200 (past the per-learner limits on purpose: this tests the engine, and attempt numbering).
      const { submissionId } = await submitLabAttempt(
        learner,
        { labId: 'test-echo', files: [{ path: 'input.txt', content: i % 2 ? 'hello' : `attempt ${i}` }] },
        { limits: false },
      );
      ids.push(submissionId);
    }
    const db = getDb();
    // Mid-burst: some graded, many not.
    await waitFor(async () => (await db.submission.count({ where: { id: { in: ids }, status: 'GRADED' } })) >= 20, 120_000);
    w.child.kill('SIGKILL');
    await w.stop();
    const flushed = await flushQueueKeys();
    expect(flushed).toBeGreaterThan(0);
    const gradedAtKill = await db.submission.count({ where: { id: { in: ids }, status: 'GRADED' } });
    expect(gradedAtKill).toBeLessThan(200);

    w = startWorker(FAST);
    workers.push(w);
    await waitFor(async () => (await db.submission.count({ where: { id: { in: ids }, status: 'GRADED' } })) === 200, 300_000, 500).catch(async (e) => {
      const left = await db.submission.groupBy({ by: ['status'], where: { id: { in: ids } }, _count: true });
      throw new Error(`${(e as Error).message}: ${JSON.stringify(left)}\n${w.output().slice(-3000)}`);
    });
    const results = await db.result.groupBy({ by: ['submissionId'], where: { submissionId: { in: ids } }, _count: true });
    expect(results.length).toBe(200);
    expect(results.every((r) => r._count === 1)).toBe(true);
    // Attempt numbers are 1..200 with none shared.
    const numbers = (await db.submission.findMany({ where: { id: { in: ids } }, select: { number: true } })).map((s) => s.number).sort((a, b) => a! - b!);
    expect(numbers).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    // What the killed worker left behind is swept by the new one.
    await waitFor(async () => (await sandboxContainers()).length === 0, 30_000);
    const nets = await docker.listNetworks({ filters: { label: ['lms.sandbox'] } });
    expect(nets).toEqual([]);
    await w.stop();
  });

  it('SIGTERM drains the running jobs before the worker exits', async () => {
    const learner = await createLearner();
    const w = startWorker({ ...FAST, WORKER_CONCURRENCY: '1' });
    workers.push(w);
    await waitFor(async () => w.output().includes('ready:'), 120_000);
    const { submissionId } = await submitLabAttempt(learner, {
      labId: 'test-subject',
      files: [{ path: 'run.sh', content: "sleep 2; node -e \"require('http').createServer((q,s)=>s.end('hello')).listen(process.env.PORT)\"" }],
    });
    await waitFor(async () => (await getDb().submission.findUnique({ where: { id: submissionId } }))?.status === 'RUNNING', 60_000, 50);
    const code = await w.stop('SIGTERM');
    expect(code).toBe(0);
    const s = await getDb().submission.findUniqueOrThrow({ where: { id: submissionId }, include: { result: true } });
    expect(s.status).toBe('GRADED');
    expect(s.result?.score).toBe(3);
  });
});
