import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { getEnv } from './env';

export const GRADING_QUEUE = 'grading';

/**
 * The payload of a grading job. The job id is the submission id, so enqueueing twice is a no-op. `deferred` marks a
 * job put back because its learner already had a grading running (lib/submissions/schedule.ts): it is offered again as
 * soon as that grading ends.
 */
export const gradingJobData = z.object({ submissionId: z.string().min(1), deferred: z.boolean().optional() });
export type GradingJobData = z.infer<typeof gradingJobData>;

/** Infrastructure failures retry with backoff: 3 tries, 2 s, 4 s, 8 s apart. */
export const GRADING_JOB_OPTIONS = {
  attempts: 4,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 3600, count: 5000 },
  removeOnFail: { age: 24 * 3600 },
} as const;

/**
 * A Redis client for BullMQ (its blocking commands need maxRetriesPerRequest: null). We pass an instance rather
 * than options: under native ESM, BullMQ 6 cannot `require` ioredis itself.
 */
export function redisConnection(): Redis {
  return new Redis(getEnv().REDIS_URL, { maxRetriesPerRequest: null });
}

const g = globalThis as unknown as { __lmsQueue?: Queue<GradingJobData>; __lmsQueueRedis?: Redis };

export function getGradingQueue(): Queue<GradingJobData> {
  if (!g.__lmsQueue) {
    g.__lmsQueueRedis = redisConnection();
    g.__lmsQueue = new Queue<GradingJobData>(GRADING_QUEUE, {
      connection: g.__lmsQueueRedis,
      prefix: getEnv().REDIS_PREFIX,
    });
  }
  return g.__lmsQueue;
}

/** The queue's own Redis connection, for reading job fields and the workers' slots without another connection. */
export function queueRedis(): Redis {
  getGradingQueue();
  return g.__lmsQueueRedis!;
}

export async function enqueueGrading(submissionId: string, opts: { priority?: number } = {}): Promise<void> {
  await getGradingQueue().add(
    'grade',
    { submissionId },
    { ...GRADING_JOB_OPTIONS, jobId: submissionId, ...(opts.priority ? { priority: Math.min(opts.priority, 2_097_152) } : {}) },
  );
}

export async function closeQueue(): Promise<void> {
  await g.__lmsQueue?.close();
  g.__lmsQueue = undefined;
  g.__lmsQueueRedis = undefined;
}
