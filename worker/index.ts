/**
 * The grading worker: its own process, never inside Next.js. Takes jobs from the `grading` queue, runs each in a
 * fresh sandbox, writes the result. One worker per Docker host; its concurrency is that host's sandbox slots.
 *
 *   node --import tsx worker/index.ts      (the app image, tests); bin/lms worker calls startWorker() itself
 */
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { DelayedError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { databaseUrl, getEnv } from '../lib/env';
import { disconnectDb, getDb } from '../lib/db';
import { GRADING_QUEUE, gradingJobData, getGradingQueue, redisConnection, closeQueue } from '../lib/queue';
import { processSubmission } from '../lib/submissions/process-submission';
import { reconcileSubmissions } from '../lib/submissions/reconcile';
import { ensureGraderImages } from '../lib/grading/images';
import { listLabs } from '../lib/labs/registry';
import { LABEL_OWNER, LABEL_SANDBOX, LABEL_PREFIX, ABANDONED_AFTER_MS, becomeWorker } from '../lib/grading/sandbox';
import { SandboxPool } from '../lib/grading/pool';
import { announceSlots, FAIRNESS, promoteDeferred, withdrawSlots } from '../lib/submissions/schedule';
import { partLogger } from '../lib/log';
import { metrics } from '../lib/metrics';

export interface RunningWorker {
  /** The owner label of this worker's sandboxes (lib/grading/sandbox.ts). */
  id: string;
  /** Stops taking jobs, waits for the running ones, removes its heartbeat and closes its connections. */
  stop(): Promise<void>;
}

/**
 * Starts a worker in this process: heartbeat and leftover sweep, grader images, the pool, the queue consumer, the
 * metrics and health server, the reconciler and the deadline announcements. SIGTERM and SIGINT drain it and end the
 * process (exit 0).
 */
export async function startWorker(): Promise<RunningWorker> {
  const WORKER_ID = becomeWorker();
  const logger = partLogger('worker', { worker: WORKER_ID });
  const log = (m: string) => logger.info(m);
  const env = getEnv();
  databaseUrl(); // fail now, not at the first job
  const m = metrics();
  const docker = new Docker();
  await docker.ping().catch((e) => {
    throw new Error(`no Docker engine answers (${(e as Error).message}); set DOCKER_HOST or start dockerd`);
  });
  const info = (await docker.info()) as { Runtimes?: Record<string, unknown> };
  const runtime = env.SANDBOX_RUNTIME && info.Runtimes && env.SANDBOX_RUNTIME in info.Runtimes ? env.SANDBOX_RUNTIME : undefined;
  if (env.SANDBOX_RUNTIME && !runtime) log(`runtime ${env.SANDBOX_RUNTIME} is not installed on this engine; using the default runtime`);

  // Heartbeat: sandboxes whose owner has no heartbeat belong to a dead worker and are removed.
  const hb = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 3 });
  const hbKey = (id: string) => `${env.REDIS_PREFIX}:sandbox-owner:${id}`;
  const ttl = env.LMS_HEARTBEAT_TTL_S;
  // The heartbeat also announces this worker's slots, which the lab page's queue estimate counts.
  const beat = () => Promise.all([hb.set(hbKey(WORKER_ID), '1', 'EX', ttl), announceSlots(hb, WORKER_ID, env.WORKER_CONCURRENCY, ttl)]).catch(() => {});
  await beat();
  /**
   * Removes what dead workers left: sandboxes of this deployment (same Redis prefix) whose worker has no heartbeat, and
   * any sandbox of any owner that is older than a legitimate run can be. Sandboxes of the CLI and of live workers stay.
   */
  const abandoned = async (labels: Record<string, string>, createdMs: number) => {
    const owner = labels[LABEL_OWNER];
    if (owner === WORKER_ID) return false;
    if (Date.now() - createdMs > ABANDONED_AFTER_MS) return true;
    if (labels[LABEL_PREFIX] !== env.REDIS_PREFIX || !owner || owner.startsWith('cli-')) return false;
    return Date.now() - createdMs > 10_000 && !(await hb.exists(hbKey(owner)));
  };
  const sweep = async () => {
    const list = await docker.listContainers({ all: true, filters: { label: [LABEL_SANDBOX] } });
    for (const c of list) {
      if (!(await abandoned(c.Labels, c.Created * 1000))) continue;
      await docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch(() => {});
      log(`removed leftover sandbox ${c.Id.slice(0, 12)} of ${c.Labels[LABEL_OWNER] ?? 'unknown owner'}`);
    }
    const images = await docker.listImages({ filters: { label: [`${LABEL_SANDBOX}=image`] } });
    for (const img of images) {
      if (!(await abandoned(img.Labels ?? {}, img.Created * 1000))) continue;
      await docker
        .getImage(img.Id)
        .remove({ force: true })
        .catch(() => {});
    }
  };
  await sweep();

  const tags = await ensureGraderImages(docker, listLabs(), log).catch((e) => {
    log(`could not build grader images: ${(e as Error).message}`);
    return new Map<string, string>();
  });
  log(`grader images ready: ${tags.size}`);

  // Pre-started sandboxes per lab image in use (SANDBOX_POOL_SIZE=0 turns the pool off).
  const pool = env.SANDBOX_POOL_SIZE > 0 ? new SandboxPool(docker, { size: env.SANDBOX_POOL_SIZE, maxAgeMs: 5 * 60_000, idleMs: 10 * 60_000 }, log) : undefined;

  const queue = getGradingQueue();
  const worker = new Worker(
    GRADING_QUEUE,
    async (job, token) => {
      const { submissionId, deferred } = gradingJobData.parse(job.data);
      const attempt = job.attemptsMade + 1;
      const jobLog = logger.child({ job: submissionId, attempt });
      // A job that was put back for fairness is an ordinary job again (a backoff after an infrastructure failure must
      // not be cut short by a promotion).
      if (deferred) await job.updateData({ submissionId });
      let outcome;
      try {
        outcome = await processSubmission(submissionId, {
          docker,
          attempt,
          lastTry: attempt >= (job.opts.attempts ?? 1),
          runtime,
          pool,
          log: (msg) => jobLog.warn(msg),
          // The learner's grading ended: their jobs put back for fairness may go now.
          onLearnerFree: (userId) =>
            promoteDeferred(queue, userId).then(
              () => undefined,
              () => undefined,
            ),
        });
      } catch (e) {
        const sub = await getDb()
          .submission.findUnique({ where: { id: submissionId }, select: { labId: true } })
          .catch(() => null);
        m.sandboxFailures.inc({ lab: sub?.labId ?? 'unknown' });
        throw e;
      }
      if (outcome === 'deferred') {
        // The learner already has a grading running (lib/submissions/schedule.ts): back to the queue without using an
        // attempt, marked so that the end of that grading offers it again at once; the delay is only a safety net.
        await job.updateData({ submissionId, deferred: true });
        await job.moveToDelayed(Date.now() + FAIRNESS.deferMs, token);
        const userId = (await getDb().submission.findUnique({ where: { id: submissionId }, select: { userId: true } }))?.userId;
        // That grading may have ended between the check and the move.
        if (userId) await promoteDeferred(queue, userId).catch(() => 0);
        throw new DelayedError();
      }
      const sub = await getDb().submission.findUnique({ where: { id: submissionId }, select: { labId: true, createdAt: true, finishedAt: true } });
      if (sub?.finishedAt && outcome !== 'skipped') {
        m.gradingDuration.observe({ lab: sub.labId, outcome }, (sub.finishedAt.getTime() - sub.createdAt.getTime()) / 1000);
        if (outcome === 'timed_out') m.timeouts.inc({ lab: sub.labId });
      }
      jobLog.info({ outcome }, `${submissionId}: ${outcome}`);
      return outcome;
    },
    {
      connection: redisConnection(),
      prefix: env.REDIS_PREFIX,
      concurrency: env.WORKER_CONCURRENCY,
      // A job whose worker vanished is handed to another after this long without a lock renewal (the lock is renewed
      // every half period while a job runs, so long gradings keep theirs).
      lockDuration: env.LMS_LOCK_MS,
      stalledInterval: env.LMS_LOCK_MS / 2,
      maxStalledCount: 2,
    },
  );
  worker.on('failed', (job, err) => log(`${job?.id} failed (try ${job?.attemptsMade}): ${err.message}`));
  worker.on('error', (err) => log(`error: ${err.message}`));

  // Metrics and health on their own port: Prometheus scrapes /metrics; an orchestrator probes /healthz.
  const metricsPort = env.WORKER_METRICS_PORT;
  const server = http.createServer(async (req, res) => {
    if (req.url === '/metrics') {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized').catch(() => ({}) as Record<string, number>);
      for (const [state, n] of Object.entries(counts)) m.queueDepth.set({ state }, n);
      res.setHeader('Content-Type', m.registry.contentType);
      res.end(await m.registry.metrics());
      return;
    }
    if (req.url === '/healthz') {
      const checks = await Promise.all([
        docker.ping().then(
          () => true,
          () => false,
        ),
        getDb().$queryRaw`SELECT 1`.then(
          () => true,
          () => false,
        ),
        hb.ping().then(
          () => true,
          () => false,
        ),
      ]);
      const ok = checks.every(Boolean);
      res.statusCode = ok ? 200 : 503;
      res.end(JSON.stringify({ ok, docker: checks[0], database: checks[1], redis: checks[2] }));
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  server.on('error', (e) => log(`metrics server not started: ${(e as Error).message}`));
  server.listen(metricsPort, () => log(`metrics on :${(server.address() as { port: number }).port}/metrics`));
  const reconcile = async () => {
    try {
      const n = await reconcileSubmissions(queue);
      if (n > 0) log(`reconciler re-enqueued ${n} submission(s)`);
    } catch (e) {
      log(`reconciler: ${(e as Error).message}`);
    }
  };
  // From here on a signal drains the worker (jobs may already be running: the consumer started above).
  const timers: NodeJS.Timeout[] = [];
  let stopping: Promise<void> | undefined;
  const stop = (why: string) =>
    (stopping ??= (async () => {
      log(`${why}: draining running jobs`);
      timers.forEach(clearInterval);
      // close() waits for the jobs in progress to finish; new jobs are not taken.
      await worker.close();
      server.close();
      await pool?.close();
      await closeQueue();
      await hb.del(hbKey(WORKER_ID)).catch(() => {});
      await withdrawSlots(hb, WORKER_ID).catch(() => {});
      hb.disconnect();
      await disconnectDb();
      log('stopped');
    })());
  const onSignal = (sig: string) => void stop(sig).then(() => process.exit(0));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));

  await reconcile();
  if (!stopping) {
    timers.push(
      setInterval(() => void beat(), Math.max(1000, (ttl * 1000) / 3)),
      setInterval(() => void reconcile(), env.LMS_RECONCILE_MS),
      setInterval(() => void sweep().catch(() => {}), env.LMS_SWEEP_MS),
      // Due dates within a day, announced to cohorts with a webhook (once per cohort and week).
      setInterval(() => void import('../lib/notify/webhook').then((n) => n.deadlinesNear()).catch(() => {}), env.LMS_DEADLINE_MS),
    );
    log(`ready: concurrency ${env.WORKER_CONCURRENCY}, prefix ${env.REDIS_PREFIX}, pool ${env.SANDBOX_POOL_SIZE}${runtime ? `, runtime ${runtime}` : ''}`);
  }
  return { id: WORKER_ID, stop: () => stop('stop') };
}

// Run directly (node --import tsx worker/index.ts): the worker process.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  startWorker().catch((e: unknown) => {
    partLogger('worker').fatal(`fatal: ${(e as Error).message}`);
    process.exit(1);
  });
}
