/**
 * bin/lms bench workspace: workspaces against the floor, side by side in one run, on the same lab image.
 *   ready (time to a ready prompt):
 *     floor   raw `docker run -it --rm --network none <workspace image> bash -i` under a pseudo-terminal (script),
 *             from the command to bash's prompt;
 *     cold    the engine's open() with no pool, then attachTerminal() until the prompt (container created, files
 *             put in, shell started);
 *     pooled  the same with a pre-started workspace claimed from the pool.
 *   echo (keystroke round trip):
 *     floor   a raw `docker exec` TTY (dockerode, the Docker API with nothing of ours) running bash in a workspace;
 *     engine  a terminal from attachTerminal() relayed over a loopback TCP connection, as the web process relays it
 *             (the WebSocket's framing on top is not measured here), one character at a time until it echoes.
 *   concurrency: N workspaces, each typing a character every 200 ms, while a worker grades a burst of submissions;
 *     every submission must end with exactly one result or a TIMED_OUT (lost = 0; timed-out ones are counted apart),
 *     and the typing's echo p95 is reported.
 * The ready and echo samples are interleaved (a round of each in turn), so a change in a shared host's load falls on
 * the floor and the engine alike. Prints p50/p95 and ratios (ratios.readyP50 = cold/floor, ratios.readyPooledP50 = pooled/floor, ratios.echoP95 =
 * engine/floor); with --json one document.
 */
import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';
import type { Duplex } from 'node:stream';
import { CliError, log } from './sh';
import { startStack, startWorkerProcess, type Proc } from './stack';

function pct(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const PROMPT = /\$ $/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the text read from a stream matches, returns the time it took. */
function until(stream: NodeJS.ReadableStream, re: RegExp, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let text = '';
    const t = setTimeout(() => {
      stream.off('data', on);
      reject(new Error(`no ${re} within ${timeoutMs} ms; got ${JSON.stringify(text.slice(-300))}`));
    }, timeoutMs);
    const on = (c: Buffer) => {
      text = (text + c.toString('utf8')).slice(-4000);
      if (re.test(text)) {
        clearTimeout(t);
        stream.off('data', on);
        resolve();
      }
    };
    stream.on('data', on);
  });
}

/** `docker run -it` of the image to bash's prompt, under a pseudo-terminal: ms. */
async function rawRunToPrompt(image: string): Promise<number> {
  const t0 = performance.now();
  const cmd = `docker run -it --rm --network none --read-only --tmpfs /tmp --user 10001:10001 --entrypoint bash ${image} --norc -i`;
  const p = spawn('script', ['-qfec', cmd, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, PS1: '$ ', TERM: 'xterm' } });
  try {
    await until(p.stdout!, PROMPT);
    return performance.now() - t0;
  } finally {
    p.stdin!.write('exit\r');
    await Promise.race([new Promise((r) => p.on('close', r)), sleep(5000)]);
    if (p.exitCode === null) p.kill('SIGKILL');
  }
}

/** Keystroke echo round trips on a terminal stream: one printable character at a time, then the line cleared. */
async function echoSamples(write: (s: string) => void, read: NodeJS.ReadableStream, n: number): Promise<number[]> {
  const out: number[] = [];
  const chars = 'abcdefghijklmnopqrstuvwxyz';
  for (let i = 0; i < n; i++) {
    const ch = chars[i % chars.length]!;
    const seen = new Promise<void>((resolve) => {
      const on = (c: Buffer) => {
        if (c.toString('utf8').includes(ch)) {
          read.off('data', on);
          resolve();
        }
      };
      read.on('data', on);
    });
    const t0 = performance.now();
    write(ch);
    await Promise.race([seen, sleep(5000)]);
    out.push(performance.now() - t0);
    if (i % 20 === 19) {
      write('\x15'); // Ctrl-U: clear the line
      await sleep(50);
    }
  }
  write('\x15');
  return out;
}

/** The engine's terminal behind a loopback TCP connection (what the web process does with a WebSocket). */
async function loopbackRelay(terminal: { stream: Duplex }): Promise<{ socket: net.Socket; close: () => void }> {
  const server = net.createServer((s) => {
    s.setNoDelay(true);
    s.pipe(terminal.stream);
    terminal.stream.pipe(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const socket = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  socket.setNoDelay(true);
  await new Promise<void>((r) => socket.once('connect', () => r()));
  return { socket, close: () => (socket.destroy(), server.close()) };
}

export async function cmdBenchWorkspace(args: string[]): Promise<number> {
  const json = args.includes('--json');
  const opt = (name: string, d: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1]! : d;
  };
  const n = Number(opt('--n', '10'));
  const echoN = Number(opt('--echo', '100'));
  const concurrent = Number(opt('--concurrent', '50'));
  const burst = Number(opt('--burst', '20'));
  const labId = opt('--lab', 'week01-terraform-vpc');

  const env = await startStack({ database: 'lms_bench_ws', redisPrefix: 'lms-bench-ws', fresh: true, images: true });
  const Docker = (await import('dockerode')).default;
  const docker = new Docker();
  const { getLab, readFolderFiles, pinLabs } = await import('../lib/labs/registry');
  // The engines below run in this process as the served site runs them: the labs read once (in development they are
  // read again from disk once a second, a pause of tens of ms that would land at random inside a measured open).
  pinLabs();
  const { WorkspaceEngine } = await import('../lib/workspaces/engine');
  const { ensureWorkspaceImage } = await import('../lib/workspaces/images');
  const { submitLabAttempt } = await import('../lib/submissions/submit-lab-attempt');
  const { getDb, disconnectDb } = await import('../lib/db');
  const { closeQueue } = await import('../lib/queue');
  const lab = getLab(labId);
  if (!lab?.manifest.workspace) throw new CliError(`no lab "${labId}" with a workspace`);
  const image = await ensureWorkspaceImage(docker, lab, log);
  const db = getDb();
  let seq = 0;
  const learner = async () => {
    const u = await db.user.create({ data: { email: `wsbench-${Date.now()}-${seq++}@bench.lms`, name: 'Bench', role: 'LEARNER' }, select: { id: true } });
    return { id: u.id, role: 'LEARNER' as const };
  };
  const quiet = () => {};
  const engines: InstanceType<typeof WorkspaceEngine>[] = [];
  let worker: Proc | undefined;
  try {
    // (a-c) time to a prompt, interleaved round by round (floor, cold, pooled) so that a change in the shared host's load
    // falls on all three alike.
    const cold = new WorkspaceEngine({ poolSize: 0, sweepMs: 3600_000, max: 1000, log: quiet });
    const pooled = new WorkspaceEngine({ poolSize: 1, sweepMs: 3600_000, max: 1000, log: quiet });
    engines.push(cold, pooled);
    const readyTo = async (engine: InstanceType<typeof WorkspaceEngine>, who: { id: string; role: 'LEARNER' }) => {
      const t0 = performance.now();
      const info = await engine.open(who, labId, { lang: 'en' });
      const term = await engine.attachTerminal(who, info.id, { cols: 80, rows: 24 });
      await until(term.stream, PROMPT);
      const ms = performance.now() - t0;
      return { ms, info, term };
    };
    const once = async (engine: InstanceType<typeof WorkspaceEngine>, who: { id: string; role: 'LEARNER' }) => {
      const r = await readyTo(engine, who);
      await r.term.close();
      await engine.closeWorkspace(who, r.info.id);
      return r.ms;
    };
    log(`ready: ${n} rounds of docker run -it to a prompt (floor), open + terminal cold, open + terminal from the pool`);
    await pooled.warm(labId);
    const coldWho = await learner();
    const pooledWho = await learner();
    await rawRunToPrompt(image); // warm-ups: the page cache, the first open
    await once(cold, coldWho);
    const floorReady: number[] = [];
    const coldReady: number[] = [];
    const pooledReady: number[] = [];
    for (let i = 0; i < n; i++) {
      // The pool's replacement (started after the last claim) is ready and settled before the round starts.
      for (let k = 0; k < 300 && pooled.poolReady(labId) < 1; k++) await sleep(100);
      await sleep(300);
      floorReady.push(await rawRunToPrompt(image));
      coldReady.push(await once(cold, coldWho));
      pooledReady.push(await once(pooled, pooledWho));
    }

    // (d) echo: raw docker exec vs the engine's terminal over loopback, in the same workspace
    log(`echo: ${echoN} keystrokes on a raw docker exec, then on the engine's terminal over loopback`);
    const who = await learner();
    const w = await readyTo(cold, who);
    const container = cold.containerOf(w.info.id)!;
    const exec = await container.exec({
      Cmd: ['bash', '--norc', '-i'],
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
      User: '10001:10001',
      Env: ['PS1=$ ', 'TERM=xterm'],
    });
    const raw = (await exec.start({ hijack: true, stdin: true, Tty: true } as import('dockerode').ExecStartOptions)) as unknown as Duplex;
    await until(raw, PROMPT);
    const relay = await loopbackRelay(w.term);
    await sleep(200);
    // Interleaved ten keystrokes at a time, raw then engine, as above.
    const floorEcho: number[] = [];
    const engineEcho: number[] = [];
    for (let i = 0; i < echoN; i += 10) {
      floorEcho.push(...(await echoSamples((s) => raw.write(s), raw, Math.min(10, echoN - i))));
      engineEcho.push(...(await echoSamples((s) => relay.socket.write(s), relay.socket, Math.min(10, echoN - i))));
    }
    raw.end('exit\r');
    raw.destroy();
    relay.close();
    await w.term.close();
    await cold.closeWorkspace(who, w.info.id);

    // (e) concurrency: a worker grades a burst alone (its baseline), then N workspaces are opened and type while it
    // grades the same burst again.
    worker = await startWorkerProcess({ ...env, WORKER_METRICS_PORT: '0' });
    const files = readFolderFiles(path.join(lab.dir, 'solution'));
    const runBurst = async (): Promise<{ ids: string[]; seconds: number }> => {
      const ids: string[] = [];
      const b0 = performance.now();
      for (let i = 0; i < burst; i++)
        ids.push((await submitLabAttempt(await learner(), { labId, files: files.map((f) => ({ path: f.path, content: f.content })) })).submissionId);
      for (let k = 0; ; k++) {
        const done = await db.submission.count({ where: { id: { in: ids }, finishedAt: { not: null } } });
        if (done === burst) break;
        if (k > 6000) throw new CliError('the burst did not finish within 10 minutes');
        await sleep(100);
      }
      return { ids, seconds: (performance.now() - b0) / 1000 };
    };
    log(`concurrency: a burst of ${burst} graded alone, then again while ${concurrent} workspaces type`);
    const alone = await runBurst();
    const many = new WorkspaceEngine({ poolSize: 0, sweepMs: 3600_000, max: concurrent + 20, log: quiet });
    engines.push(many);
    const open0 = performance.now();
    const sessions: { who: { id: string; role: 'LEARNER' }; id: string; term: Awaited<ReturnType<typeof readyTo>>['term'] }[] = [];
    const openOne = async () => {
      const u = await learner();
      const r = await readyTo(many, u);
      sessions.push({ who: u, id: r.info.id, term: r.term });
    };
    for (let i = 0; i < concurrent; i += 5) await Promise.all(Array.from({ length: Math.min(5, concurrent - i) }, openOne));
    const openAllS = (performance.now() - open0) / 1000;
    let typing = true;
    const loadEcho: number[] = [];
    const typers = sessions.map(async (s) => {
      let i = 0;
      while (typing) {
        const [ms] = await echoSamples((c) => s.term.stream.write(c), s.term.stream, 1);
        loadEcho.push(ms!);
        if (++i % 20 === 0) s.term.stream.write('\x15');
        await sleep(200);
      }
    });
    const { ids, seconds: burstS } = await runBurst();
    typing = false;
    await Promise.all(typers);
    const results = await db.result.groupBy({ by: ['submissionId'], where: { submissionId: { in: ids } }, _count: true });

    const graded = await db.submission.count({ where: { id: { in: ids }, status: 'GRADED' } });
    // A grading past the lab's time limit is an outcome the learner sees (TIMED_OUT, counted as an attempt), not a lost
    // result; it is reported apart, as it says the host was too busy.
    const timedOut = await db.submission.count({ where: { id: { in: ids }, status: 'TIMED_OUT' } });
    // Lost: no final status, an engine failure (ERROR), or a GRADED row without exactly one result.
    const lost = ids.length - results.filter((r) => r._count === 1).length - timedOut;
    if (lost > 0) {
      // What the worker said about the ones without a result (an image missing, the engine, ...).
      const ended = await db.submission.groupBy({ by: ['status'], where: { id: { in: ids } }, _count: true });
      process.stderr.write(
        `bench workspace: ${lost} submission(s) without a result ${JSON.stringify(ended)}; the worker's last lines:\n${(worker?.output() ?? '').split('\n').slice(-30).join('\n')}\n`,
      );
    }
    const stats = await Promise.all(
      sessions.slice(0, 5).map(async (s) => {
        const c = many.containerOf(s.id);
        const st = c ? ((await c.stats({ stream: false })) as { memory_stats?: { usage?: number; stats?: { cache?: number } } }) : null;
        return st?.memory_stats?.usage ? (st.memory_stats.usage - (st.memory_stats.stats?.cache ?? 0)) / 1024 / 1024 : NaN;
      }),
    );
    for (const s of sessions) await s.term.close().catch(() => {});
    await Promise.all(sessions.map((s) => many.closeWorkspace(s.who, s.id).catch(() => {})));

    const doc = {
      lab: labId,
      image,
      n,
      ready: {
        floor: { p50Ms: round(pct(floorReady, 50)), p95Ms: round(pct(floorReady, 95)) },
        cold: { p50Ms: round(pct(coldReady, 50)), p95Ms: round(pct(coldReady, 95)) },
        pooled: { p50Ms: round(pct(pooledReady, 50)), p95Ms: round(pct(pooledReady, 95)) },
      },
      echo: {
        samples: echoN,
        floor: { p50Ms: round(pct(floorEcho, 50), 2), p95Ms: round(pct(floorEcho, 95), 2) },
        engine: { p50Ms: round(pct(engineEcho, 50), 2), p95Ms: round(pct(engineEcho, 95), 2) },
      },
      concurrency: {
        workspaces: sessions.length,
        openAllS: round(openAllS),
        burst,
        burstAloneS: round(alone.seconds),
        burstS: round(burstS),
        /** The burst's time with the workspaces typing over its time alone: how much the workspaces cost grading. */
        gradingSlowdown: round(burstS / alone.seconds, 2),
        graded,
        timedOut,
        lost,
        echoUnderLoad: { samples: loadEcho.length, p50Ms: round(pct(loadEcho, 50), 1), p95Ms: round(pct(loadEcho, 95), 1) },
        idleMemoryMbPerWorkspace: round(
          pct(
            stats.filter((x) => Number.isFinite(x)),
            50,
          ),
        ),
      },
      ratios: {
        readyP50: round(pct(coldReady, 50) / pct(floorReady, 50), 2),
        readyPooledP50: round(pct(pooledReady, 50) / pct(floorReady, 50), 2),
        echoP95: round(pct(engineEcho, 95) / pct(floorEcho, 95), 2),
      },
      lost,
    };
    if (json) process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
    else {
      log(
        `ready p50/p95 ms: floor ${doc.ready.floor.p50Ms}/${doc.ready.floor.p95Ms}, cold ${doc.ready.cold.p50Ms}/${doc.ready.cold.p95Ms}, pooled ${doc.ready.pooled.p50Ms}/${doc.ready.pooled.p95Ms}`,
      );
      log(`echo p50/p95 ms: floor ${doc.echo.floor.p50Ms}/${doc.echo.floor.p95Ms}, engine ${doc.echo.engine.p50Ms}/${doc.echo.engine.p95Ms}`);
      log(
        `concurrency: ${sessions.length} workspaces, burst of ${burst} graded in ${doc.concurrency.burstS} s, lost ${lost}, echo under load p95 ${doc.concurrency.echoUnderLoad.p95Ms} ms`,
      );
      log(`ratios: ${JSON.stringify(doc.ratios)}`);
    }
    return lost === 0 && graded === burst ? 0 : 1;
  } finally {
    await worker?.stop(60_000);
    for (const e of engines) await e.shutdown({ stopWorkspaces: true }).catch(() => {});
    await closeQueue();
    await disconnectDb();
  }
}
