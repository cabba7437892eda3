/**
 * bin/lms bench grading: the grading engine against the floor, side by side in one run, on the same lab and files.
 *   floor: raw `docker run -i --rm --network none <grader image>` with the archive on stdin, one after another and
 *          a burst at the worker's concurrency;
 *   engine: submitLabAttempt -> queue -> worker -> result row, one at a time and a burst, first with cold sandboxes,
 *          then with the pool of pre-started sandboxes.
 * Prints p50/p95 latency, throughput and the ratios; with --json one document.
 */
import path from 'node:path';
import { spawn } from 'node:child_process';
import { CliError, log } from './sh';
import { startStack, startWorkerProcess } from './stack';

function pct(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

function dockerRun(image: string, input: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const c = spawn('docker', ['run', '-i', '--rm', '--network', 'none', image], { stdio: ['pipe', 'ignore', 'ignore'] });
    c.on('error', reject);
    c.on('close', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`docker run exited ${code}`))));
    c.stdin.end(input);
  });
}

async function parallel<T>(n: number, concurrency: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await fn(i);
      }
    }),
  );
  return out;
}

/** bin/lms bench grading [--json] [--n 20] [--burst 200] [--concurrency 2] [--lab <id>] */
export async function cmdBench(args: string[]): Promise<number> {
  const json = args.includes('--json');
  const opt = (name: string, d: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1]! : d;
  };
  const n = Number(opt('--n', '20'));
  const burst = Number(opt('--burst', '200'));
  const concurrency = Number(opt('--concurrency', '2'));
  const labId = opt('--lab', 'week01-terraform-vpc');

  const env = await startStack({ database: 'lms_bench', redisPrefix: 'lms-bench', fresh: true, images: true });
  const { getLab, readFolderFiles } = await import('../lib/labs/registry');
  const { graderImageTag } = await import('../lib/grading/images');
  const { buildSubmissionTar } = await import('../lib/grading/tar');
  const { submitLabAttempt } = await import('../lib/submissions/submit-lab-attempt');
  const { getDb, disconnectDb } = await import('../lib/db');
  const { closeQueue } = await import('../lib/queue');
  const lab = getLab(labId);
  if (!lab) throw new CliError(`no lab "${labId}"`);
  const files = readFolderFiles(path.join(lab.dir, 'solution'));
  const image = graderImageTag(lab);
  const input = await buildSubmissionTar(files);
  const db = getDb();
  // Every submission from its own learner: a burst of many people, as the per-learner limits (lib/security/limits)
  // would stop one learner sending hundreds.
  let seq = 0;
  const learner = async () => {
    const u = await db.user.create({ data: { email: `bench-${Date.now()}-${seq++}@bench.lms`, name: 'Bench', role: 'LEARNER' }, select: { id: true } });
    return { id: u.id, role: 'LEARNER' as const };
  };

  // (a) the floor
  log(`floor: ${n} x docker run, one at a time`);
  await dockerRun(image, input); // warm the page cache
  const floorSeq: number[] = [];
  for (let i = 0; i < n; i++) floorSeq.push(await dockerRun(image, input));
  log(`floor: ${burst} x docker run, ${concurrency} at a time`);
  const f0 = performance.now();
  await parallel(burst, concurrency, () => dockerRun(image, input));
  const floorBurstS = (performance.now() - f0) / 1000;

  // (b) the engine, cold then pooled
  const runEngine = async (poolSize: number) => {
    const worker = await startWorkerProcess(
      { ...env, WORKER_CONCURRENCY: String(concurrency), SANDBOX_POOL_SIZE: String(poolSize), WORKER_METRICS_PORT: '0' },
      { readyMs: 60_000 },
    );
    try {
      const submitAndWait = async () => {
        const { submissionId } = await submitLabAttempt(await learner(), { labId, files: files.map((f) => ({ path: f.path, content: f.content })) });
        for (;;) {
          const s = await db.submission.findUnique({ where: { id: submissionId }, select: { status: true, createdAt: true, finishedAt: true } });
          if (s && s.finishedAt) return { id: submissionId, ms: s.finishedAt.getTime() - s.createdAt.getTime() };
          await new Promise((r) => setTimeout(r, 10));
        }
      };
      for (let i = 0; i < 2; i++) await submitAndWait(); // warm-up (and the pool's first fill)
      const seq: number[] = [];
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        if (poolSize > 0) await new Promise((r) => setTimeout(r, 400)); // a learner's think time lets the pool refill
        const r = await submitAndWait();
        seq.push(r.ms);
        ids.push(r.id);
      }
      const b0 = performance.now();
      const burstIds: string[] = [];
      for (let i = 0; i < burst; i++) {
        const { submissionId } = await submitLabAttempt(await learner(), { labId, files: files.map((f) => ({ path: f.path, content: f.content })) });
        burstIds.push(submissionId);
      }
      for (;;) {
        const done = await db.submission.count({ where: { id: { in: burstIds }, finishedAt: { not: null } } });
        if (done === burst) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const burstS = (performance.now() - b0) / 1000;
      return { seq, burstS, ids: [...ids, ...burstIds] };
    } finally {
      // Never leave a worker behind, whatever happened: its sweeps and jobs would outlive the benchmark.
      await worker.stop(60_000);
    }
  };
  log(`engine, cold sandboxes: ${n} one at a time, then a burst of ${burst}`);
  const cold = await runEngine(0);
  log(`engine, pooled sandboxes: ${n} one at a time, then a burst of ${burst}`);
  const pooled = await runEngine(concurrency);

  const all = [...cold.ids, ...pooled.ids];
  const resultCounts = await db.result.groupBy({ by: ['submissionId'], where: { submissionId: { in: all } }, _count: true });
  const graded = await db.submission.count({ where: { id: { in: all }, status: 'GRADED' } });
  const lost = all.length - resultCounts.filter((r) => r._count === 1).length;
  const full = await db.result.count({ where: { submissionId: { in: all }, passed: true } });

  const floorP50 = pct(floorSeq, 50);
  const doc = {
    lab: labId,
    n,
    burst,
    concurrency,
    floor: { p50Ms: round(floorP50), p95Ms: round(pct(floorSeq, 95)), burstThroughputPerS: round(burst / floorBurstS, 2) },
    engineCold: { p50Ms: round(pct(cold.seq, 50)), p95Ms: round(pct(cold.seq, 95)), burstThroughputPerS: round(burst / cold.burstS, 2) },
    enginePooled: { p50Ms: round(pct(pooled.seq, 50)), p95Ms: round(pct(pooled.seq, 95)), burstThroughputPerS: round(burst / pooled.burstS, 2) },
    ratios: {
      p50Latency: round(pct(cold.seq, 50) / floorP50, 3),
      p50LatencyPooled: round(pct(pooled.seq, 50) / floorP50, 3),
      burstThroughput: round(burst / cold.burstS / (burst / floorBurstS), 3),
      burstThroughputPooled: round(burst / pooled.burstS / (burst / floorBurstS), 3),
    },
    graded: graded,
    passed: full,
    lost,
  };
  await closeQueue();
  await disconnectDb();
  if (json) process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
  else {
    const row = (name: string, x: { p50Ms: number; p95Ms: number; burstThroughputPerS: number }) =>
      `${name.padEnd(16)} p50 ${String(x.p50Ms).padStart(7)} ms   p95 ${String(x.p95Ms).padStart(7)} ms   burst ${String(x.burstThroughputPerS).padStart(6)}/s`;
    process.stdout.write(
      [
        `lab ${labId}, ${n} sequential, burst ${burst} at concurrency ${concurrency}`,
        row('floor (docker run)', doc.floor),
        row('engine cold', doc.engineCold),
        row('engine pooled', doc.enginePooled),
        `ratios: p50 cold ${doc.ratios.p50Latency}, p50 pooled ${doc.ratios.p50LatencyPooled}, burst cold ${doc.ratios.burstThroughput}, burst pooled ${doc.ratios.burstThroughputPooled}`,
        `lost: ${lost}`,
      ].join('\n') + '\n',
    );
  }
  return lost === 0 ? 0 : 1;
}
