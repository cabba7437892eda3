import type { Queue } from 'bullmq';
import { getDb } from '../db';
import { GRADING_JOB_OPTIONS, type GradingJobData } from '../queue';
import { REGRADE_PRIORITY } from './schedule';

/**
 * Re-enqueues submissions that Postgres says are waiting or running but that have no live job: Redis was flushed,
 * an enqueue failed, or a worker died with its job. Postgres is the truth; the job id is the submission id, so
 * adding a job that exists is a no-op and a submission is never queued twice.
 */
export async function reconcileSubmissions(queue: Queue<GradingJobData>, opts: { olderThanMs?: number; limit?: number } = {}): Promise<number> {
  const db = getDb();
  const cutoff = new Date(Date.now() - (opts.olderThanMs ?? 10_000));
  const stuck = await db.submission.findMany({
    where: { status: { in: ['QUEUED', 'RUNNING'] }, createdAt: { lt: cutoff } },
    select: { id: true, status: true, userId: true, createdAt: true, regradeOfId: true },
    orderBy: { createdAt: 'asc' },
    take: opts.limit ?? 1000,
  });
  let requeued = 0;
  for (const s of stuck) {
    const job = await queue.getJob(s.id);
    const state = job ? await job.getState() : 'missing';
    if (state === 'waiting' || state === 'active' || state === 'delayed' || state === 'prioritized' || state === 'waiting-children') continue;
    if (job) await job.remove().catch(() => {});
    if (s.status === 'RUNNING') {
      await db.submission.updateMany({ where: { id: s.id, status: 'RUNNING' }, data: { status: 'QUEUED', phase: 'queued' } });
    }
    // The priority it was given when submitted (lib/submissions/submit-lab-attempt.ts): the learner's earlier
    // submissions still waiting, plus one; a regrade's is lower. Without one it would jump ahead of every job.
    const priority = s.regradeOfId
      ? REGRADE_PRIORITY
      : 1 +
        (await db.submission.count({ where: { userId: s.userId, status: { in: ['QUEUED', 'RUNNING'] }, regradeOfId: null, createdAt: { lt: s.createdAt } } }));
    await queue.add('grade', { submissionId: s.id }, { ...GRADING_JOB_OPTIONS, jobId: s.id, priority });
    requeued++;
  }
  return requeued;
}
