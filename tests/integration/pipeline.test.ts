/**
 * The whole path with real parts: submitLabAttempt (the domain function the site calls) stores the row and enqueues
 * the job; a real worker process takes it, grades in a real sandbox, and writes one result.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb, disconnectDb } from '@/lib/db';
import { submitLabAttempt } from '@/lib/submissions/submit-lab-attempt';
import { closeQueue } from '@/lib/queue';
import { runSandbox } from '@/lib/grading/sandbox';
import { resolveLimits } from '@/lib/grading/limits';
import { runtimeImageTag } from '@/lib/grading/images';
import { createLearner, sandboxContainers, startWorker, waitFor, docker, type WorkerProc } from './helpers';

let worker: WorkerProc;

beforeAll(async () => {
  worker = startWorker();
  await waitFor(async () => worker.output().includes('ready:'), 120_000).catch((e) => {
    throw new Error(`${(e as Error).message}\n${worker.output()}`);
  });
});

afterAll(async () => {
  await worker.stop();
  await closeQueue();
  await disconnectDb();
});

const terminal = (id: string) =>
  waitFor(async () => {
    const s = await getDb().submission.findUnique({ where: { id }, include: { result: true } });
    return s && ['GRADED', 'TIMED_OUT', 'ERROR'].includes(s.status) ? s : undefined;
  }, 90_000);

describe('submission pipeline', () => {
  it('submit -> queue -> worker -> result row, progress and attempt number', async () => {
    const learner = await createLearner();
    const first = await submitLabAttempt(learner, { labId: 'test-echo', files: [{ path: 'input.txt', content: 'bye' }] });
    const row = await getDb().submission.findUniqueOrThrow({ where: { id: first.submissionId } });
    expect(['QUEUED', 'RUNNING', 'GRADED']).toContain(row.status);
    const s1 = await terminal(first.submissionId);
    expect(s1.status).toBe('GRADED');
    expect(s1.attempt).toBe(1);
    expect(s1.number).toBe(1);
    expect(s1.result).toMatchObject({ gradable: true, score: 1, maxScore: 3, passed: false });

    const second = await submitLabAttempt(learner, { labId: 'test-echo', files: [{ path: 'input.txt', content: 'hello' }] });
    const s2 = await terminal(second.submissionId);
    expect(s2.number).toBe(2);
    expect(s2.result).toMatchObject({ score: 3, passed: true });
    const progress = await getDb().labProgress.findUniqueOrThrow({ where: { userId_labId: { userId: learner.id, labId: 'test-echo' } } });
    expect(progress).toMatchObject({ bestScore: 3, passed: true, attempts: 2, bestSubmissionId: second.submissionId });
    expect(await getDb().result.count({ where: { submission: { userId: learner.id } } })).toBe(2);
  });

  it('refuses files the lab does not take before storing anything', async () => {
    const learner = await createLearner();
    await expect(submitLabAttempt(learner, { labId: 'test-echo', files: [{ path: 'evil.sh', content: 'x' }] })).rejects.toMatchObject({
      name: 'AppError',
      code: 'invalid_input',
    });
    await expect(submitLabAttempt(learner, { labId: 'test-echo', files: [{ path: '../input.txt', content: 'x' }] })).rejects.toMatchObject({
      name: 'AppError',
      code: 'invalid_input',
    });
    expect(await getDb().submission.count({ where: { userId: learner.id } })).toBe(0);
  });

  it('a grader that sleeps past its timeout ends TIMED_OUT and its container is gone', async () => {
    const learner = await createLearner();
    const { submissionId } = await submitLabAttempt(learner, { labId: 'test-sleepy', files: [{ path: 'input.txt', content: 'zzz' }] });
    const s = await terminal(submissionId);
    expect(s.status).toBe('TIMED_OUT');
    expect(s.error).toMatch(/did not finish within 2 s/);
    expect(s.result).toBeNull();
    const left = (await sandboxContainers()).filter((c) => c.Labels['lms.submission'] === submissionId);
    expect(left).toEqual([]);
  });

  it('the sandbox kills a run at its wall-clock limit and removes the container', async () => {
    const t0 = Date.now();
    const out = await runSandbox(docker, {
      image: runtimeImageTag(),
      input: Buffer.alloc(0),
      cmd: ['node', '-e', 'setInterval(() => {}, 1000)'],
      limits: resolveLimits({ timeoutMs: 1500 }),
      labels: { 'lms.test': 'timeout' },
    });
    expect(out.timedOut).toBe(true);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect((await sandboxContainers()).filter((c) => c.Labels['lms.test'] === 'timeout')).toEqual([]);
  });
});

describe('live progress', () => {
  it('checks reported by the grader appear on the submission while it runs, and the result replaces them', async () => {
    const learner = await createLearner();
    const server = `require('http').createServer((q,s)=>s.end('slow')).listen(process.env.PORT)`;
    const { submissionId } = await submitLabAttempt(learner, {
      labId: 'test-subject',
      files: [
        { path: 'run.sh', content: 'node s.js' },
        { path: 's.js', content: server },
      ],
    });
    const seen = await waitFor(
      async () => {
        const s = await getDb().submission.findUnique({ where: { id: submissionId } });
        return s?.status === 'RUNNING' && Array.isArray(s.progress) && s.progress.length > 0 ? s.progress : undefined;
      },
      60_000,
      50,
    );
    expect(seen).toEqual([{ id: 'answers', passed: true }]);
    const done = await terminal(submissionId);
    expect(done.status).toBe('GRADED');
    expect(done.result?.score).toBe(2);
  });
});

describe('worker observability', () => {
  it('serves Prometheus metrics with the grading histogram and a health check of its dependencies', async () => {
    const m = /metrics on :(\d+)\/metrics/.exec(worker.output());
    expect(m).not.toBeNull();
    const port = m![1];
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(text).toMatch(/lms_grading_duration_seconds_bucket\{[^}]*lab="test-echo"/);
    expect(text).toMatch(/lms_queue_depth\{state="waiting"\}/);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, docker: true, database: true, redis: true });
    // Logs are JSON lines with the job id.
    const line = worker
      .output()
      .split('\n')
      .find((l) => l.includes('"job"'));
    expect(line && JSON.parse(line)).toMatchObject({ part: 'worker', job: expect.any(String) });
  });
});
