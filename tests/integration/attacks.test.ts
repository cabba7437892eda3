/**
 * The attack suite: hostile submissions through the real sandbox. Each test asserts what the learner gets back and
 * that the host is unaffected. Labs that run learner code use the `test-subject` fixture: the learner's run.sh runs
 * in the subject container, and several attacks answer "hello" on $PORT only if the attack was contained, so a full
 * score proves the wall held from the inside while the test checks the host from the outside.
 *
 * Network probes target only addresses on this machine (the Docker bridges' gateways), one connection each.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { pack } from 'tar-stream';
import { afterAll, describe, expect, it } from 'vitest';
import { gradeFiles, type GradeOutcome } from '@/lib/grading/grade';
import { getLab } from '@/lib/labs/registry';
import { graderImageTag } from '@/lib/grading/images';
import { runSandbox } from '@/lib/grading/sandbox';
import { resolveLimits } from '@/lib/grading/limits';
import { submitLabAttempt } from '@/lib/submissions/submit-lab-attempt';
import { AppError, ERRORS } from '@/lib/errors';
import { getDb, disconnectDb } from '@/lib/db';
import { closeQueue } from '@/lib/queue';
import { createLearner, docker, sandboxContainers, startWorker, waitFor } from './helpers';
import Docker from 'dockerode';
import { processSubmission } from '@/lib/submissions/process-submission';
import { InfraError } from '@/lib/grading/grade';
import { LIMITS } from '@/lib/security/limits';
import { getSubmissionView } from '@/lib/submissions/queries';
import { storedResult } from '@/lib/grading/result';

const SERVE_HELLO = `node -e "require('http').createServer((q,s)=>s.end('hello')).listen(process.env.PORT)"`;
const f = (p: string, c: string | Buffer) => ({ path: p, content: Buffer.isBuffer(c) ? c : Buffer.from(c) });

async function subject(run: string, extra: { path: string; content: Buffer }[] = []) {
  const t0 = Date.now();
  const out = await gradeFiles({ docker, labId: 'test-subject', files: [f('run.sh', run), ...extra] });
  return { out, ms: Date.now() - t0 };
}

function graded(o: GradeOutcome) {
  if (o.kind !== 'graded') throw new Error(`expected a graded result, got ${o.kind}`);
  return o.result;
}

const passed = (o: GradeOutcome, id: string) => graded(o).checks.find((c) => c.id === id)?.passed;

async function hostHealthy() {
  await docker.ping();
  const left = await sandboxContainers();
  expect(left.map((c) => c.Labels)).toEqual([]);
  const nets = await docker.listNetworks({ filters: { label: ['lms.sandbox'] } });
  expect(nets.map((n) => n.Name)).toEqual([]);
}

afterAll(async () => {
  await closeQueue();
  await disconnectDb();
});

describe('attacks on labs that run learner code', () => {
  it('fork bomb: stopped at the pid limit; the learner gets a result, the host keeps its processes', async () => {
    const before = fs.readdirSync('/proc').filter((x) => /^\d+$/.test(x)).length;
    const { out } = await subject(':(){ :|:& };: ; ' + SERVE_HELLO);
    expect(graded(out).gradable).toBe(true);
    const after = fs.readdirSync('/proc').filter((x) => /^\d+$/.test(x)).length;
    expect(after - before).toBeLessThan(100);
    await hostHealthy();
  });

  it('memory bomb: killed at the memory limit (no swap), graded as not answering', async () => {
    const { out } = await subject(`node -e "const a=[]; for(;;) a.push(Buffer.alloc(1<<20, 1))"; ${SERVE_HELLO}`);
    // The node process dies at the cgroup limit or its heap limit; either way the machine's memory is untouched.
    expect(graded(out).gradable).toBe(true);
    expect(os.freemem()).toBeGreaterThan(512 * 1024 * 1024);
    await hostHealthy();
  });

  it('disk fill: stops at the tmpfs cap; the root file system is read-only', async () => {
    const run = `dd if=/dev/zero of=/tmp/fill bs=1M count=512 2>/dev/null; size=$(du -m /tmp/fill | cut -f1); touch /etc/owned 2>/dev/null && exit 1; [ "$size" -le 16 ] && ${SERVE_HELLO}`;
    const { out } = await subject(run);
    expect(passed(out, 'says-hello')).toBe(true);
    await hostHealthy();
  });

  it('output flood: captured output is capped and grading still completes', async () => {
    const { out, ms } = await subject(`(yes flood-flood-flood &) ; ${SERVE_HELLO}`);
    expect(graded(out).score).toBe(3);
    expect(ms).toBeLessThan(20_000);
    await hostHealthy();
  });

  it('infinite loop: the learner is told nothing answered; the container is removed', async () => {
    const { out } = await subject('while :; do :; done');
    expect(passed(out, 'answers')).toBe(false);
    expect(graded(out).checks.find((c) => c.id === 'answers')?.message.en).toMatch(/nothing answered/);
    await hostHealthy();
  });

  it("sleeping past the timeout: graded as not answering within the grader's wait", async () => {
    const { out, ms } = await subject('sleep 3600');
    expect(passed(out, 'answers')).toBe(false);
    expect(ms).toBeLessThan(15_000);
    await hostHealthy();
  });

  it('network egress: DNS does not resolve', async () => {
    // Contained means: no answer, or an error, within 2 s.
    const js = `const serve=()=>require('http').createServer((q,s)=>s.end('hello')).listen(process.env.PORT); let settled=false;
      const t=setTimeout(()=>{ if(!settled){ settled=true; serve(); } }, 2000);
      require('dns').lookup('example.com', (e) => { if (settled) return; settled=true; clearTimeout(t); if (e) serve(); });`;
    const { out } = await subject('node egress.js', [f('egress.js', js)]);
    expect(passed(out, 'says-hello')).toBe(true);
  });

  it('network egress: no TCP to the Docker bridge gateways on this host', async () => {
    const gateways = new Set<string>();
    for (const n of await docker.listNetworks()) for (const c of n.IPAM?.Config ?? []) if (c.Gateway) gateways.add(c.Gateway);
    gateways.add('172.17.0.1');
    let connections = 0;
    const servers: net.Server[] = [];
    for (const g of gateways) {
      const srv = net.createServer((s) => {
        connections++;
        s.destroy();
      });
      await new Promise<void>((resolve) => srv.listen(39123, g, () => resolve()).on('error', () => resolve()));
      servers.push(srv);
    }
    const targets = JSON.stringify([...gateways]);
    const js = `const net=require('net'); let open=0, left=${gateways.size};
      for (const h of ${targets}) { const s=net.connect({host:h,port:39123,timeout:1500}); const done=()=>{ s.destroy(); if(--left===0 && open===0) require('http').createServer((q,r)=>r.end('hello')).listen(process.env.PORT); };
        s.on('connect',()=>{open++; done();}); s.on('error',done); s.on('timeout',done); }`;
    try {
      const { out } = await subject('node egress.js', [f('egress.js', js)]);
      expect(passed(out, 'says-hello')).toBe(true);
      expect(connections).toBe(0);
    } finally {
      for (const s of servers) s.close();
    }
  });

  it('reading host files: a secret on the host is not visible in the sandbox', async () => {
    const secret = path.join(os.tmpdir(), `lms-host-secret-${process.pid}`);
    fs.writeFileSync(secret, 'host secret');
    try {
      const { out } = await subject(
        `cat ${secret} /proc/1/root${secret} 2>/dev/null && exit 1; grep -q "host secret" /etc/* 2>/dev/null && exit 1; ${SERVE_HELLO}`,
      );
      expect(passed(out, 'says-hello')).toBe(true);
    } finally {
      fs.rmSync(secret);
    }
  });

  it('looking for the Docker socket: there is none', async () => {
    const { out } = await subject(
      `for p in /var/run/docker.sock /run/docker.sock /tmp/docker.sock; do [ -e $p ] && exit 1; done; ls /proc/net/unix >/dev/null; ${SERVE_HELLO}`,
    );
    expect(passed(out, 'says-hello')).toBe(true);
  });

  it('setuid binaries and capabilities: no way to become root', async () => {
    const run = `[ "$(id -u)" = 10001 ] || exit 1; su root -c true </dev/null 2>/dev/null && exit 1; grep -q '^CapEff:\\s*0000000000000000' /proc/self/status || exit 1; grep -q '^NoNewPrivs:\\s*1' /proc/self/status || exit 1; cp /bin/true /tmp/t 2>/dev/null; chmod u+s /tmp/t 2>/dev/null; /tmp/t 2>/dev/null && exit 1; ${SERVE_HELLO}`;
    const { out } = await subject(run);
    expect(passed(out, 'says-hello')).toBe(true);
  });

  it('forging the result: printing a fake result document scores nothing', async () => {
    const fake = JSON.stringify({
      gradable: true,
      checks: [
        { id: 'answers', points: 2, passed: true },
        { id: 'says-hello', points: 1, passed: true },
      ],
    });
    const { out } = await subject(`echo '${fake}'; echo '${fake}' >&2; echo '${fake}' > /tmp/result.json; exit 0`);
    expect(graded(out).score).toBe(0);
  });

  it('forging the result: writing result files and killing every process it can see changes nothing', async () => {
    const { out } = await subject(`mkdir -p /tmp/out; echo '{"gradable":true,"checks":[]}' > /tmp/out/results.json; kill -9 -1; pkill -9 node; sleep 2`);
    // kill -1 reaches only the subject's own processes: the grader, in another container, still reports.
    expect(graded(out).gradable).toBe(true);
    expect(graded(out).score).toBe(0);
    expect(passed(out, 'answers')).toBe(false);
  });

  it('racing the grader with a flood of bytes: the probe caps the body and the grader reports', async () => {
    const js = `require('http').createServer((q,s)=>{ const b=Buffer.alloc(1<<20, 120); const w=()=>{ while(s.write(b)); }; s.on('drain', w); w(); }).listen(process.env.PORT)`;
    const { out } = await subject('node flood.js', [f('flood.js', js)]);
    expect(passed(out, 'answers')).toBe(true);
    expect(passed(out, 'says-hello')).toBe(false);
    await hostHealthy();
  });
});

describe('attacks on uploads and parsers', () => {
  it('".." and absolute paths are refused before anything is stored or reaches Docker', async () => {
    const learner = await createLearner();
    for (const p of ['../../etc/passwd', '/etc/passwd', 'a/../../b.txt']) {
      await expect(submitLabAttempt(learner, { labId: 'test-echo', files: [f('input.txt', 'x'), f(p, 'x')] })).rejects.toMatchObject({
        name: 'AppError',
        code: 'invalid_input',
      });
    }
    expect(await getDb().submission.count({ where: { userId: learner.id } })).toBe(0);
  });

  it('a symlink, a device or a ".." entry in an archive is refused by the grader kit inside the sandbox too', async () => {
    const lab = getLab('test-echo')!;
    for (const entry of [
      { name: 'input.txt', type: 'symlink' as const, linkname: '/etc/passwd' },
      { name: '../escape.txt', type: 'file' as const },
      { name: 'dev', type: 'character-device' as const, devmajor: 1, devminor: 3 },
    ]) {
      const p = pack();
      const chunks: Buffer[] = [];
      p.on('data', (c: unknown) => chunks.push(c as Buffer));
      const done = new Promise<void>((r) => p.on('end', () => r()));
      if (entry.type === 'file') p.entry(entry, 'x');
      else p.entry(entry);
      p.finalize();
      await done;
      const out = await runSandbox(docker, { image: graderImageTag(lab), input: Buffer.concat(chunks), limits: resolveLimits({ timeoutMs: 8000 }) });
      const doc = JSON.parse(out.stdout.toString());
      expect(doc.gradable).toBe(false);
      expect(doc.message).toMatch(/refused archive entry/);
    }
    await hostHealthy();
  });

  it('a zip bomb is just bytes: never expanded, graded within limits', async () => {
    const bomb = zlib.deflateRawSync(Buffer.alloc(200 * 1024 * 1024), { level: 9 });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const o = await gradeFiles({ docker, labId: 'test-parse', files: [f('bomb.bin', bomb)] });
    expect(graded(o).gradable).toBe(true);
  });

  it('a YAML bomb (billion laughs) is not gradable, with a message', async () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++)
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill('*' + String.fromCharCode(96 + i))
          .join(',')}]`,
      );
    const o = await gradeFiles({ docker, labId: 'test-parse', files: [f('config.yaml', lines.join('\n'))] });
    expect(graded(o).gradable).toBe(false);
    expect(graded(o).message?.en).toMatch(/could not parse/);
  });

  it('deeply nested JSON gets an answer, not a crash', async () => {
    const deep = '['.repeat(500_000) + ']'.repeat(500_000);
    const o = await gradeFiles({ docker, labId: 'test-parse', files: [f('data.json', deep)] });
    expect(o.kind).toBe('graded');
  });

  it('deeply nested HCL in the week-1 lab gets an answer, not a crash', async () => {
    const depth = 10_000; // about 80 KB: under the lab's file limit, so it reaches the parser
    const hcl = 'locals {\n x = ' + '{ a = '.repeat(depth) + '1' + ' }'.repeat(depth) + '\n}\n';
    expect(hcl.length).toBeLessThan(128 * 1024);
    const o = await gradeFiles({ docker, labId: 'week01-terraform-vpc', files: [f('main.tf', hcl)] });
    expect(o.kind).toBe('graded');
    expect(graded(o).message?.en ?? '').not.toMatch(/too large/);
  });

  it('invalid UTF-8 is not gradable, with a message naming the file', async () => {
    const o = await gradeFiles({ docker, labId: 'week01-terraform-vpc', files: [f('main.tf', Buffer.from([0x72, 0x65, 0xff, 0xfe, 0xc3, 0x28]))] });
    expect(graded(o).gradable).toBe(false);
    expect(graded(o).message?.en).toMatch(/main\.tf is not UTF-8/);
  });

  it('a 0-byte main.tf is not gradable', async () => {
    const o = await gradeFiles({ docker, labId: 'week01-terraform-vpc', files: [f('main.tf', '')] });
    expect(graded(o).gradable).toBe(false);
    expect(graded(o).message?.en).toMatch(/empty/);
  });

  it('an oversize file is refused at submit and not gradable in the engine', async () => {
    const learner = await createLearner();
    const big = Buffer.alloc(200 * 1024, 0x61);
    await expect(submitLabAttempt(learner, { labId: 'week01-terraform-vpc', files: [f('main.tf', big)] })).rejects.toThrow(/too large/);
    const o = await gradeFiles({ docker, labId: 'week01-terraform-vpc', files: [f('main.tf', big)] });
    expect(graded(o).gradable).toBe(false);
  });
});

describe("attacks through a learner's Dockerfile", () => {
  const sol = (dockerfile: string) => [
    f('Dockerfile', dockerfile),
    f('package.json', '{"name":"x","version":"1.0.0"}'),
    f('server.js', "require('http').createServer((q, s) => s.end('hello')).listen(8080);"),
  ];
  // The images built from a submission (lms-learner-<time>-<random>), not the learner base images (lms-learner-node:...).
  const learnerImages = async () =>
    (await docker.listImages()).filter((i) => (i.RepoTags ?? []).some((t) => t.startsWith('lms-learner-') && !t.startsWith('lms-learner-node:')));

  it('the reference Dockerfile builds, answers, and keeps its dependency layer cached; the image is removed after', async () => {
    const o = await gradeFiles({
      docker,
      labId: 'test-build',
      files: sol('FROM lms/node:18\nWORKDIR /app\nCOPY package.json ./\nRUN cp package.json deps.json\nCOPY server.js ./\nCMD ["node", "server.js"]\n'),
    });
    expect(
      graded(o)
        .checks.filter((c) => !c.passed)
        .map((c) => c.id),
    ).toEqual([]);
    expect(graded(o).score).toBe(graded(o).maxScore);
    expect(await learnerImages()).toEqual([]);
    await hostHealthy();
  });

  it('FROM an image that would need a registry is refused before anything is built', async () => {
    const o = await gradeFiles({ docker, labId: 'test-build', files: sol('FROM alpine:3.20\nCMD ["sh"]\n') });
    expect(graded(o).checks.find((c) => c.id === 'builds')?.message.en).toMatch(/FROM alpine:3.20 is not available here/);
  });

  it('a RUN step has no network', async () => {
    const o = await gradeFiles({
      docker,
      labId: 'test-build',
      files: sol(`FROM lms/node:18\nRUN node -e "require('dns').lookup('example.com', (e) => process.exit(e ? 0 : 1))"\nCMD ["node", "-e", "1"]\n`),
    });
    // The lookup must fail for the build to succeed; a build that succeeded proves there was no network.
    expect(passed(o, 'builds')).toBe(true);
    expect(await learnerImages()).toEqual([]);
  });

  it('a RUN step that never ends is stopped by the build time limit', async () => {
    const o = await gradeFiles({ docker, labId: 'test-build', files: sol('FROM lms/node:18\nRUN sleep 3600\n') });
    expect(graded(o).checks.find((c) => c.id === 'builds')?.message.en).toMatch(/did not finish within/);
    await waitFor(async () => (await docker.listContainers()).filter((c) => /sleep 3600/.test(c.Command)).length === 0, 30_000);
  });
});

describe('after the attacks', () => {
  it('no container or network is left, and a worker grades the next submission correctly', async () => {
    await hostHealthy();
    const w = startWorker();
    try {
      await waitFor(async () => w.output().includes('ready:'), 120_000);
      const learner = await createLearner();
      const { submissionId } = await submitLabAttempt(learner, { labId: 'test-echo', files: [f('input.txt', 'hello')] });
      const s = await waitFor(async () => {
        const r = await getDb().submission.findUnique({ where: { id: submissionId }, include: { result: true } });
        return r?.status === 'GRADED' ? r : undefined;
      }, 60_000);
      expect(s.result?.score).toBe(3);
    } finally {
      await w.stop();
    }
    await hostHealthy();
  });
});

describe('grading fairness and crash handling', () => {
  const TERMINAL = ['GRADED', 'TIMED_OUT', 'ERROR'];
  const row = (id: string) => getDb().submission.findUniqueOrThrow({ where: { id }, include: { result: true } });
  const ended = (id: string, ms = 120_000) =>
    waitFor(
      async () => {
        const s = await row(id);
        return TERMINAL.includes(s.status) ? s : undefined;
      },
      ms,
      250,
    );
  const busy = () => getDb().submission.count({ where: { status: { in: ['QUEUED', 'RUNNING'] } } });

  it('six simultaneous submissions from one learner: exactly three are accepted, the rest refused with 429 and a reason', async () => {
    const l = await createLearner();
    const tries = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => submitLabAttempt(l, { labId: 'test-echo', files: [f('input.txt', `hello ${i}`)] })),
    );
    const accepted = tries.filter((t) => t.status === 'fulfilled');
    const refused = tries.flatMap((t) => (t.status === 'rejected' ? [t.reason as unknown] : []));
    expect(accepted.length).toBe(LIMITS.queuedPerLearner);
    expect(refused.length).toBe(6 - LIMITS.queuedPerLearner);
    for (const e of refused) {
      expect(e).toBeInstanceOf(AppError);
      const r = e as AppError;
      // what POST /api/submissions answers with (route() turns it into 429 with Retry-After)
      expect({ status: ERRORS[r.code].status, code: r.code }).toEqual({ status: 429, code: 'queue_full' });
      expect(r.retryAfterS).toBeGreaterThan(0);
      expect(r.message).toMatch(/already have 3 submissions waiting/);
      expect(r.text('ko')).toMatch(/채점을 기다리는 제출이 이미 3개/);
    }
    expect(await getDb().submission.count({ where: { userId: l.id } })).toBe(LIMITS.queuedPerLearner);
    expect(await getDb().submissionFile.count({ where: { submission: { userId: l.id } } })).toBe(LIMITS.queuedPerLearner);
  });

  it('a grader stopped by what a submission holds gives that submission one counted result with a message, never a retry loop', async () => {
    // mode -> the score (a check completed before the crash keeps its point when the grader kit caught the crash)
    // and what the message must say
    const modes: Record<string, { score: number; en: RegExp }> = {
      stack: { score: 1, en: /stack/i },
      throw: { score: 1, en: /stopped with an error/ },
      reject: { score: 1, en: /stopped with an error/ },
      uncaught: { score: 1, en: /stopped with an error/ },
      drain: { score: 1, en: /waiting for something/ },
      oom: { score: 0, en: /out of memory/ },
      heap: { score: 0, en: /out of memory/ },
      exit: { score: 0, en: /stopped \(exit code 3\)/ },
      abort: { score: 0, en: /stopped/ },
      garbage: { score: 0, en: /something other than its result/ },
    };
    const w = startWorker({ WORKER_CONCURRENCY: '2' });
    try {
      await waitFor(async () => w.output().includes('ready:'), 120_000);
      const subs = await Promise.all(
        Object.keys(modes).map(async (mode) => {
          const l = await createLearner();
          const { submissionId } = await submitLabAttempt(l, { labId: 'test-crash', files: [f('input.txt', mode)] });
          return { mode, userId: l.id, id: submissionId };
        }),
      );
      for (const s of subs) {
        const done = await ended(s.id);
        const want = modes[s.mode]!;
        // one run (no retry), one result, counted as the learner's attempt
        expect({ mode: s.mode, status: done.status, runs: done.attempt, number: done.number, error: done.error }).toEqual({
          mode: s.mode,
          status: 'GRADED',
          runs: 1,
          number: 1,
          error: null,
        });
        expect(await getDb().result.count({ where: { submissionId: s.id } })).toBe(1);
        const doc = storedResult.parse(done.result!.document);
        expect({ mode: s.mode, gradable: doc.gradable, score: doc.score, passed: done.result!.passed }).toEqual({
          mode: s.mode,
          gradable: true,
          score: want.score,
          passed: false,
        });
        expect(doc.message?.en, s.mode).toMatch(want.en);
        expect(doc.message?.ko, s.mode).toMatch(/채점기/);
        expect(doc.checks.find((c) => c.id === 'second')).toMatchObject({
          passed: false,
          points: 0,
          message: { en: expect.stringMatching(/did not report this check/) },
        });
        const progress = await getDb().labProgress.findUniqueOrThrow({ where: { userId_labId: { userId: s.userId, labId: 'test-crash' } } });
        expect(progress.attempts).toBe(1);
      }
      expect(w.output()).not.toMatch(/failed \(try/);
    } finally {
      await w.stop();
    }
    await hostHealthy();
  });

  it('a genuine infrastructure failure is still retried, and ends ERROR without costing an attempt on the last try', async () => {
    const l = await createLearner();
    const db = getDb();
    const sub = await db.submission.create({
      data: { userId: l.id, labId: 'test-echo', status: 'QUEUED', phase: 'queued', files: { create: [{ path: 'input.txt', content: Buffer.from('hello') }] } },
    });
    // the engine does not answer
    const unreachable = new Docker({ socketPath: '/nonexistent/docker.sock' });
    await expect(processSubmission(sub.id, { docker: unreachable, attempt: 1, lastTry: false })).rejects.toBeInstanceOf(InfraError);
    expect(await row(sub.id)).toMatchObject({ status: 'QUEUED', attempt: 1, number: null, result: null });
    // the engine answers but cannot create the container
    const noCreate = Object.create(docker, { createContainer: { value: async () => Promise.reject(new Error('no space left on device')) } }) as Docker;
    await expect(processSubmission(sub.id, { docker: noCreate, attempt: 2, lastTry: false })).rejects.toBeInstanceOf(InfraError);
    expect(await row(sub.id)).toMatchObject({ status: 'QUEUED', attempt: 2, result: null });
    expect(await processSubmission(sub.id, { docker: unreachable, attempt: 4, lastTry: true })).toBe('error');
    const s = await row(sub.id);
    expect(s).toMatchObject({ status: 'ERROR', number: null, result: null });
    expect(s.error).toMatch(/on our side/);
  });

  it("fairness: with two slots, one learner's slow labs hold one slot; the others start first, and the queue shown is what happens", async () => {
    const w = startWorker({ WORKER_CONCURRENCY: '2' });
    const db = getDb();
    try {
      await waitFor(async () => w.output().includes('ready:'), 120_000);
      // Whatever earlier tests left is graded first, and the slow lab gets recent grading times for the estimate (two
      // at once, as they will run).
      const warm = await Promise.all(
        [1, 2].map(async () => (await submitLabAttempt(await createLearner(), { labId: 'test-slow', files: [f('input.txt', '3000')] })).submissionId),
      );
      await waitFor(async () => (await busy()) === 0, 180_000, 250);
      for (const id of warm) expect((await row(id)).status).toBe('GRADED');

      const [a, b, c] = [await createLearner(), await createLearner(), await createLearner()];
      const slow = (who: typeof a) => submitLabAttempt(who, { labId: 'test-slow', files: [f('input.txt', '3000')] }).then((r) => r.submissionId);
      const aIds = [await slow(a), await slow(a), await slow(a)];
      await waitFor(async () => (await row(aIds[0]!)).status === 'RUNNING', 30_000, 50);
      // time for a worker to take A's second job as well, if it would
      await new Promise((r) => setTimeout(r, 1000));
      const bId = await slow(b);
      const cId = await slow(c);
      const all = [...aIds, bId, cId];

      // What the lab page shows each waiting submission now
      const t0 = Date.now();
      const owner = new Map([...aIds.map((id) => [id, a] as const), [bId, b], [cId, c]]);
      const shown = new Map<string, { queuePosition: number; estimateMs: number }>();
      for (const id of all) {
        const v = await getSubmissionView(owner.get(id)!, id);
        if (v.status === 'QUEUED') shown.set(id, { queuePosition: v.queuePosition!, estimateMs: v.estimateMs! });
      }

      await waitFor(async () => (await db.submission.count({ where: { id: { in: all }, status: 'GRADED' } })) === all.length, 120_000, 250);
      const rows = await db.submission.findMany({ where: { id: { in: all } }, include: { result: true } });
      const at = new Map(rows.map((r) => [r.id, { start: r.startedAt!.getTime(), end: r.finishedAt!.getTime() }]));
      const start = (id: string) => at.get(id)!.start;
      // B was started before A's second and third, although A's were queued first
      expect(start(bId)).toBeLessThan(start(aIds[1]!));
      expect(start(bId)).toBeLessThan(start(aIds[2]!));
      // and A never held both slots
      const [a1, a2, a3] = aIds.map((id) => at.get(id)!);
      expect(a2!.start).toBeGreaterThanOrEqual(a1!.end - 50);
      expect(a3!.start).toBeGreaterThanOrEqual(a2!.end - 50);
      // one run and one result each: waiting for a turn is not an attempt
      for (const r of rows) expect({ id: r.id, runs: r.attempt, result: !!r.result }).toEqual({ id: r.id, runs: 1, result: true });

      // The shown position is the number of then-waiting submissions that really started first; the estimates grow
      // in the order they really started, each near when its result came (gradings here vary with the machine's load).
      expect(shown.size).toBeGreaterThanOrEqual(3);
      for (const [id, v] of shown) {
        const ahead = [...shown.keys()].filter((o) => o !== id && start(o) < start(id)).length;
        expect({ id, position: v.queuePosition }).toEqual({ id, position: ahead });
        const real = at.get(id)!.end - t0;
        expect(Math.abs(v.estimateMs - real), `${id}: estimated ${v.estimateMs} ms, took ${real} ms`).toBeLessThanOrEqual(Math.max(4000, real * 0.5));
      }
      const byEstimate = [...shown.keys()].sort((x, y) => shown.get(x)!.estimateMs - shown.get(y)!.estimateMs);
      const byStart = [...shown.keys()].sort((x, y) => start(x) - start(y));
      expect(byEstimate).toEqual(byStart);
    } finally {
      await w.stop();
    }
  });
});

// ── The web app: cohort e-mail invites and cohort webhooks (the instance attacked over HTTP as each role) ──────────
// Imports for these blocks only (named apart from the ones above).
import webDns from 'node:dns';
import webHttp from 'node:http';
import { beforeAll as beforeAllWeb, afterAll as afterAllWeb, vi } from 'vitest';
import { createCohort, gradebook, joinCohort, learnerTimeline } from '@/lib/cohorts/gradebook';
import { acceptCohortInvite, cohortOverview, declineCohortInvite, inviteByEmail, listInvites, myCohortInvites, setExtension } from '@/lib/cohorts/manage';
import { isLate } from '@/lib/cohorts/schedule';
import { NOT_DELIVERED, notifyCohort, webhookInput } from '@/lib/notify/webhook';

const WEB_DAY = 24 * 3600 * 1000;
const person = (role: 'LEARNER' | 'INSTRUCTOR' | 'ADMIN') =>
  getDb().user.create({
    data: { email: `web-${crypto.randomUUID()}@test.lms`, name: `Web ${role.toLowerCase()}`, role },
    select: { id: true, role: true, email: true },
  });

describe('attacks on the web app: cohort e-mail invites (an instructor enrolling anyone without consent)', () => {
  it('an e-mail invite enrols nobody, reads the same for an account and a stranger, and shows the instructor nothing of a non-member until they accept', async () => {
    const db = getDb();
    // an instructor the admin promoted, and whom they try to pull in: another instructor, the admin, a learner, a stranger
    const teacher = await person('INSTRUCTOR');
    const [colleague, admin, learner] = await Promise.all([person('INSTRUCTOR'), person('ADMIN'), person('LEARNER')]);
    const stranger = `stranger-${crypto.randomUUID()}@test.lms`;
    // week 1 of this cohort was due yesterday: a member's week-1 work would count as late, at half its score
    const cohort = await createCohort(teacher, { name: 'Pull-in', start: new Date(Date.now() - 8 * WEB_DAY), latePenaltyPct: 50 });
    await db.submission.create({ data: { userId: colleague.id, labId: 'week01-terraform-vpc', status: 'GRADED', phase: 'finished' } });

    const targets = [colleague.email, admin.email, learner.email, stranger];
    const out = await inviteByEmail(teacher, cohort.id, targets);
    // one answer for every address: nobody joined, and nothing tells an account from a stranger
    expect(out).toEqual({ invited: targets, already: [] });
    expect(await db.cohortMember.count({ where: { cohortId: cohort.id } })).toBe(0);
    const listed = await listInvites(teacher, cohort.id);
    expect(listed.map((i) => i.email).sort()).toEqual([...targets].sort());
    for (const i of listed) expect(Object.keys(i).sort()).toEqual(['createdAt', 'email']);
    const overview = await cohortOverview(teacher, cohort.id);
    expect(overview.members).toEqual([]);
    expect(overview.invites.map((i) => Object.keys(i).sort())).toEqual(targets.map(() => ['createdAt', 'email']));
    // nothing of them before they accept: no gradebook row, no timeline, no extension to give, no late marks
    expect((await gradebook(teacher, cohort.id)).rows).toEqual([]);
    for (const u of [colleague, admin, learner]) {
      await expect(learnerTimeline(teacher, cohort.id, u.id)).rejects.toMatchObject({ name: 'AppError', code: 'not_found' });
      await expect(setExtension(teacher, cohort.id, u.id, 1, new Date(Date.now() + 30 * WEB_DAY))).rejects.toMatchObject({
        name: 'AppError',
        code: 'not_found',
      });
      expect(await isLate(u.id, 1)).toBe(false);
    }

    // The people decide, on their dashboard. The admin declines: the teacher's view does not change (they learn nothing).
    expect((await myCohortInvites(admin)).map((i) => [i.cohortId, i.name])).toEqual([[cohort.id, 'Pull-in']]);
    await declineCohortInvite(admin, cohort.id);
    expect(await myCohortInvites(admin)).toEqual([]);
    await expect(acceptCohortInvite(admin, cohort.id)).rejects.toMatchObject({ name: 'AppError', code: 'not_found' }); // answered
    expect(await listInvites(teacher, cohort.id)).toEqual(listed);
    // Inviting the admin again does not ask them again.
    await inviteByEmail(teacher, cohort.id, [admin.email]);
    expect(await myCohortInvites(admin)).toEqual([]);
    // Someone who was not invited cannot accept for the cohort; the learner accepts: now a member, with late marks.
    const outsider = await person('LEARNER');
    await expect(acceptCohortInvite(outsider, cohort.id)).rejects.toMatchObject({ name: 'AppError', code: 'not_found' });
    await expect(acceptCohortInvite(teacher, cohort.id)).rejects.toMatchObject({ name: 'AppError', code: 'not_found' });
    expect(await acceptCohortInvite(learner, cohort.id)).toEqual({ name: 'Pull-in' });
    expect((await gradebook(teacher, cohort.id)).rows.map((r) => r.user.id)).toEqual([learner.id]);
    expect(await isLate(learner.id, 1)).toBe(true);
    expect((await listInvites(teacher, cohort.id)).map((i) => i.email).sort()).toEqual([colleague.email, admin.email, stranger].sort());
    expect(await db.auditLog.count({ where: { targetId: cohort.id, action: 'cohort.member.add', actorId: learner.id } })).toBe(1);
    // The invite link is still one click: following it is the person's own consent.
    const linked = await createLearner();
    await joinCohort(linked, cohort.inviteCode);
    expect(await db.cohortMember.count({ where: { cohortId: cohort.id } })).toBe(2);
  });
});

describe('attacks on the web app: cohort webhooks (SSRF to this host and private networks, port scans through the delivery log)', () => {
  const saved = process.env.LMS_WEBHOOK_ALLOW_LOOPBACK;
  // One listener on every address of this host (IPv4 and IPv6): a webhook that reaches this machine shows up here.
  const seen: string[] = [];
  let trap: net.Server;
  let port = 0;
  beforeAllWeb(async () => {
    trap = net.createServer((sock) => {
      seen.push(`${sock.localAddress}`);
      sock.destroy();
    });
    await new Promise<void>((ok) => trap.listen(0, '::', () => ok()));
    port = (trap.address() as net.AddressInfo).port;
  });
  afterAllWeb(() => {
    trap.close();
    if (saved === undefined) delete process.env.LMS_WEBHOOK_ALLOW_LOOPBACK;
    else process.env.LMS_WEBHOOK_ALLOW_LOOPBACK = saved;
    vi.restoreAllMocks();
  });
  const deliveries = (cohortId: string, event: string) => getDb().webhookDelivery.findMany({ where: { cohortId, event }, orderBy: { createdAt: 'asc' } });

  it('no spelling of this host, a private network or a metadata address is ever connected to, and the form refuses the ones it can see', async () => {
    process.env.LMS_WEBHOOK_ALLOW_LOOPBACK = '0'; // production
    const teacher = await person('INSTRUCTOR');
    const cohort = await createCohort(teacher, { name: 'SSRF', start: new Date(), latePenaltyPct: 0 });
    // every address of this machine, as found on its interfaces (a public one is still this machine)
    const own = Object.values(os.networkInterfaces())
      .flatMap((l) => l ?? [])
      .filter((a) => !(a.family === 'IPv6' && a.address.toLowerCase().startsWith('fe80'))) // a link-local one needs a zone a URL cannot carry
      .map((a) => (a.family === 'IPv6' ? `[${a.address}]` : a.address));
    expect(own.length).toBeGreaterThan(1);
    const spellings = [
      '127.0.0.1',
      '127.1',
      '2130706433',
      '0x7f000001',
      '0177.0.0.1',
      '127.9.9.9',
      '0.0.0.0',
      '0',
      '[::]',
      '[::1]',
      '[::ffff:127.0.0.1]',
      '[::ffff:0:7f00:1]',
      '[::127.0.0.1]',
      '[64:ff9b::7f00:1]',
      '[2002:7f00:1::1]',
      'localhost',
      'localhost.',
    ];
    const elsewhere = [
      '169.254.169.254',
      '[fd00:ec2::254]',
      '[::ffff:169.254.169.254]',
      '100.64.0.1',
      '10.0.0.1',
      '172.17.0.1',
      '192.168.0.1',
      '198.18.0.1',
      '[fe80::1]',
      '[fc00::1]',
    ];
    const hosts = [...new Set([...own, ...spellings, ...elsewhere])];
    const urls = hosts.map((h) => `https://${h}:${port}/hook`);
    for (const url of urls) {
      // stored directly (as if set before these rules): the check at delivery time is the one that counts
      await getDb().cohort.update({ where: { id: cohort.id }, data: { webhookUrl: url, webhookKind: 'slack' } });
      await notifyCohort(cohort.id, 'test.ssrf', `to ${url}`);
    }
    expect(seen, 'connections that reached this host').toEqual([]);
    const rows = await deliveries(cohort.id, 'test.ssrf');
    expect(rows).toHaveLength(hosts.length);
    for (const r of rows) expect(r, JSON.stringify(r.payload)).toMatchObject({ status: null, error: NOT_DELIVERED });
    // the form refuses every one written as an address (names are checked when resolved, at each delivery)
    const literal = urls.filter((u) => net.isIP(new URL(u).hostname.replace(/^\[|\]$/g, '')));
    expect(literal.length).toBeGreaterThan(20);
    expect(literal.filter((url) => webhookInput.safeParse({ url, kind: 'slack' }).success)).toEqual([]);
  }, 60_000);

  it('a name is resolved once: an answer with a private address among public ones is refused, and the connection goes to the address checked', async () => {
    const teacher = await person('INSTRUCTOR');
    const cohort = await createCohort(teacher, { name: 'Rebind', start: new Date(), latePenaltyPct: 0 });
    // DNS answers for the names used here (any other lookup, e.g. a listen() on an address, goes to the real one)
    let answers: (name: string) => webDns.LookupAddress[] = () => [];
    const asked: string[] = [];
    const real = webDns.lookup.bind(webDns);
    const lookup = vi.spyOn(webDns, 'lookup').mockImplementation(((name: string, opts: unknown, cb?: unknown) => {
      if (!name.endsWith('.test')) return (real as (...a: unknown[]) => void)(name, opts, cb);
      asked.push(name);
      (cb as (e: null, a: webDns.LookupAddress[]) => void)(null, answers(name));
    }) as never);
    const arrived: string[] = [];
    const hook = webHttp.createServer((req, res) => {
      arrived.push(req.socket.localAddress ?? '');
      req.resume();
      res.end('ok');
    });
    await new Promise<void>((ok) => hook.listen(0, '::', () => ok()));
    try {
      // several answers, one private: refused whole, whatever comes first
      process.env.LMS_WEBHOOK_ALLOW_LOOPBACK = '0';
      answers = () => [
        { address: '93.184.216.34', family: 4 },
        { address: '10.0.0.7', family: 4 },
      ];
      await getDb().cohort.update({ where: { id: cohort.id }, data: { webhookUrl: `https://hooks.mixed.test:${port}/x`, webhookKind: 'slack' } });
      await notifyCohort(cohort.id, 'test.mixed', 'x');
      expect(asked).toEqual(['hooks.mixed.test']);
      expect((await deliveries(cohort.id, 'test.mixed'))[0]).toMatchObject({ status: null, error: NOT_DELIVERED });

      // rebinding: the first answer is allowed (loopback, in test mode), every later one is this host's own address.
      // The delivery must arrive on the address that was checked, having asked DNS once.
      process.env.LMS_WEBHOOK_ALLOW_LOOPBACK = '1';
      const ownV4 =
        Object.values(os.networkInterfaces())
          .flatMap((l) => l ?? [])
          .find((a) => a.family === 'IPv4' && !a.internal)?.address ?? '172.17.0.1';
      asked.length = 0;
      answers = () => [{ address: asked.length === 1 ? '127.0.0.1' : ownV4, family: 4 }];
      await getDb().cohort.update({
        where: { id: cohort.id },
        data: { webhookUrl: `http://rebind.test:${(hook.address() as net.AddressInfo).port}/x`, webhookKind: 'slack' },
      });
      await notifyCohort(cohort.id, 'test.rebind', 'x');
      expect(asked).toEqual(['rebind.test']);
      expect(arrived.map((a) => a.replace(/^::ffff:/, ''))).toEqual(['127.0.0.1']);
      expect((await deliveries(cohort.id, 'test.rebind'))[0]).toMatchObject({ status: 200, error: null });
    } finally {
      hook.closeAllConnections();
      hook.close();
      lookup.mockRestore();
    }
  });

  it('the delivery log reads the same for a closed port, one that hangs up, one that speaks no TLS and one that never answers', async () => {
    process.env.LMS_WEBHOOK_ALLOW_LOOPBACK = '1'; // loopback stands in for a public host the instructor could name
    const teacher = await person('INSTRUCTOR');
    const cohort = await createCohort(teacher, { name: 'Scan', start: new Date(), latePenaltyPct: 0 });
    const closed = await new Promise<number>((ok) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => ok(p));
      });
    });
    const plain = webHttp.createServer((_q, r) => r.end('not tls'));
    const silent = net.createServer(() => {}); // accepts and says nothing
    await Promise.all([
      new Promise<void>((ok) => plain.listen(0, '127.0.0.1', () => ok())),
      new Promise<void>((ok) => silent.listen(0, '127.0.0.1', () => ok())),
    ]);
    const ports = { closed, hangsUp: port, plain: (plain.address() as net.AddressInfo).port, silent: (silent.address() as net.AddressInfo).port };
    try {
      for (const [what, p] of Object.entries(ports)) {
        await getDb().cohort.update({ where: { id: cohort.id }, data: { webhookUrl: `https://127.0.0.1:${p}/hook`, webhookKind: 'slack' } });
        await notifyCohort(cohort.id, `test.scan.${what}`, 'x');
      }
    } finally {
      plain.closeAllConnections();
      plain.close();
      silent.close();
    }
    const errors: Record<string, string | null> = {};
    for (const what of Object.keys(ports)) errors[what] = (await deliveries(cohort.id, `test.scan.${what}`))[0]?.error ?? null;
    expect(new Set(Object.values(errors)).size, JSON.stringify(errors)).toBe(1);
    expect(errors.closed).toBe(NOT_DELIVERED);
    expect(errors.closed).not.toMatch(/\d|ECONN|EPIPE|socket|SSL|TLS|hang up/i); // no port, errno or protocol detail
  }, 30_000);
});

describe('learner image builds', () => {
  // Learner Dockerfiles are built and run in a learner-image builder (lib/grading/builder.ts), behind the gate
  // (lib/grading/dockerfile-gate.ts). Each test is one item of the attack report on the builds of weeks 2 and 9.
  const files = (dockerfile: string, server = "require('http').createServer((q, s) => s.end('hello')).listen(8080);") => [
    f('Dockerfile', dockerfile),
    f('package.json', '{"name":"x","version":"1.0.0"}'),
    f('server.js', server),
  ];
  const grade = (dockerfile: string, labId = 'test-build') => gradeFiles({ docker, labId, files: files(dockerfile) });
  const check = (o: GradeOutcome, id: string) => graded(o).checks.find((c) => c.id === id)!;
  const builders = async () => {
    const { builderSettings } = await import('@/lib/grading/builder');
    return [...Array(builderSettings().count).keys()];
  };
  /** What every builder holds beyond its kept images, as the last grading left it (taken in turn, not wiped first). */
  const builderLeftovers = async () => {
    const { leaseBuilder, builderContents } = await import('@/lib/grading/builder');
    const out = [];
    for (const slot of await builders()) {
      const lease = await leaseBuilder(docker, { images: [], slot, inspectOnly: true });
      try {
        const c = await builderContents(lease.docker, [
          'debian:bookworm-slim',
          'lms/node:18',
          graderImageTag(getLab('test-build')!),
          graderImageTag(getLab('week02-docker-server')!),
        ]);
        out.push({ slot, ...c });
      } finally {
        await lease.release();
      }
    }
    return out;
  };
  const listen = async () => {
    const seen: string[] = [];
    const server = net.createServer((s) => {
      seen.push(s.remoteAddress ?? '?');
      s.end('HTTP/1.1 200 OK\r\ncontent-length: 6\r\n\r\nleaked');
    });
    await new Promise<void>((r) => server.listen(0, '0.0.0.0', r));
    return { port: (server.address() as net.AddressInfo).port, seen, close: () => new Promise((r) => server.close(r)) };
  };

  it('1. nothing in a build reaches a network: remote ADD, git ADD, RUN --network and ssh mounts are refused before the build; the builder itself has no network either', async () => {
    const l = await listen();
    try {
      const gateways = [
        '127.0.0.1',
        ...(await docker.listNetworks()).flatMap((n) =>
          (n.IPAM?.Config ?? []).map((c) => c.Gateway).filter((g): g is string => !!g && /^\d+\.\d+\.\d+\.\d+$/.test(g)),
        ),
      ];
      for (const gw of gateways) {
        const o = await grade(`FROM lms/node:18\nADD http://${gw}:${l.port}/metrics /m\nCMD ["node", "-e", "1"]\n`);
        expect(check(o, 'builds').message.en).toMatch(
          new RegExp(`Dockerfile:2: ADD http://${gw.replace(/\./g, '\\.')}:${l.port}/metrics: builds here have no network`),
        );
      }
      for (const [df, why] of [
        ['FROM lms/node:18\nADD https://github.com/moby/buildkit.git#v0.13.0 /src\n', /Dockerfile:2: .*git repository/],
        ['FROM lms/node:18\nARG U=http://127.0.0.1:' + l.port + '/x\nADD ["$U", "/x"]\n', /Dockerfile:3: ADD http:\/\/127\.0\.0\.1/],
        ['FROM lms/node:18\nRUN --network=host node -e "1"\n', /Dockerfile:2: RUN --network=host/],
        ['FROM lms/node:18\nRUN --mount=type=ssh true\n', /Dockerfile:2: RUN --mount=type=ssh/],
        ['FROM lms/node:18\nRUN --mount=type=secret,id=x true\n', /type=secret/],
      ] as const) {
        expect(check(await grade(df), 'builds').message.en).toMatch(why);
      }
      // Past the gate (as if it missed a form), the builder's engine still reaches nothing: it has no network at all.
      const { leaseBuilder } = await import('@/lib/grading/builder');
      const { buildLearnerImage, LEARNER_BASE_IMAGES } = await import('@/lib/grading/build');
      const { gateDockerfile } = await import('@/lib/grading/dockerfile-gate');
      const lease = await leaseBuilder(docker, { images: LEARNER_BASE_IMAGES });
      try {
        for (const gw of gateways) {
          const text = `FROM lms/node:18\nADD http://${gw}:${l.port}/metrics /m\n`;
          const info = await buildLearnerImage(lease, {
            files: files(text),
            dockerfile: 'Dockerfile',
            gate: { ...gateDockerfile(text, LEARNER_BASE_IMAGES), ok: true },
            tag: 'lms-learner-ungated',
            limits: resolveLimits({ timeoutMs: 30_000 }),
            labels: {},
          });
          expect(info.ok).toBe(false);
          expect(info.error).toMatch(/connect|unreachable|refused/i);
        }
      } finally {
        await lease.release();
      }
      expect(l.seen).toEqual([]);
    } finally {
      await l.close();
    }
  });

  it('2. a multi-stage build and a failed build leave nothing on the host engine or in the builders', async () => {
    const t0 = Math.floor(Date.now() / 1000) - 1;
    const nonce = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
    const multi = `FROM lms/node:18 AS deps\nWORKDIR /app\nCOPY package.json ./\nRUN echo ${nonce} > /marker && cp package.json deps.json\nFROM lms/node:18\nWORKDIR /app\nCOPY --from=deps /app/deps.json ./\nCOPY server.js ./\nCMD ["node", "server.js"]\n`;
    const ok = await grade(multi);
    expect(
      graded(ok)
        .checks.filter((c) => !c.passed)
        .map((c) => `${c.id}: ${c.message.en}`),
    ).toEqual([]);
    const failed = await grade(`FROM lms/node:18 AS deps\nRUN echo ${nonce} > /marker && head -c 50000000 /dev/zero > /big\nFROM deps\nRUN exit 3\n`);
    expect(check(failed, 'builds').passed).toBe(false);
    // The host engine: no image (tagged or not), container or volume from these builds, no build cache of them.
    const newImages = (await docker.listImages({ all: true })).filter((i) => i.Created >= t0);
    for (const i of newImages) {
      const history = await docker.getImage(i.Id).history();
      expect(JSON.stringify(history)).not.toContain(nonce);
    }
    expect((await docker.listImages({ filters: { label: ['lms.sandbox=image', 'lms.lab=test-build'] } })).map((i) => i.RepoTags)).toEqual([]);
    expect(await sandboxContainers()).toEqual([]);
    // The builders: every container, image other than the bases and graders, cache record and volume is gone.
    for (const b of await builderLeftovers())
      expect(b).toEqual({ slot: b.slot, containers: [], images: [], buildCacheBytes: 0, buildCacheRecords: 0, volumes: [] });
  });

  it('3. a RUN step that spawns thousands of processes stops at the pid limit, and the build is refused quickly', async () => {
    const t0 = Date.now();
    const o = await grade('FROM lms/node:18\nRUN n=0; while [ $n -lt 3000 ]; do sleep 30 & n=$((n+1)); done; echo "spawned $n"\nCMD ["node", "-e", "1"]\n');
    expect(check(o, 'builds').passed).toBe(false);
    expect(check(o, 'builds').message.en).toMatch(/did not complete successfully/);
    expect(Date.now() - t0).toBeLessThan(60_000);
  });

  it("4. COPY --from of another lab's grader image and a FROM split by a continuation are refused: only the bases and earlier stages", async () => {
    const grader = graderImageTag(getLab('week02-docker-server')!);
    const copy = await grade(`FROM lms/node:18\nCOPY --from=${grader} /grader /stolen\nCMD ["node", "-e", "1"]\n`);
    expect(check(copy, 'builds').message.en).toMatch(new RegExp(`Dockerfile:2: COPY --from=${grader.replace(/[.:]/g, '\\$&')}: only an earlier stage`));
    const split = await grade(`FROM \\\n  ${grader}\nCMD ["node", "-e", "1"]\n`);
    expect(check(split, 'builds').message.en).toMatch(/Dockerfile:1: FROM lms-grader-week02-docker-server:\S+ is not available here/);
    const mount = await grade(`FROM lms/node:18\nRUN --mount=type=bind,from=${grader},target=/g cat /g/grader.cjs\n`);
    expect(check(mount, 'builds').message.en).toMatch(/RUN --mount=\.\.\.,from=lms-grader-week02/);
  });

  it('5. a RUN that prints " ---> Using cache" does not make a rebuilt step look cached', async () => {
    // Week 2's reference with the install after the source, its output forging the classic builder's cache line.
    const lab = getLab('week02-docker-server')!;
    const { readFolderFiles } = await import('@/lib/labs/registry');
    const sol = readFolderFiles(path.join(lab.dir, 'solution'));
    const forged = `FROM lms/node:18\nWORKDIR /app\nRUN useradd --system --no-create-home app\nCOPY . .\nRUN echo ' ---> Using cache' && node scripts/install.js && echo ' ---> Using cache'\nUSER app\nEXPOSE 8080\nHEALTHCHECK CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]\nCMD ["node", "server.js"]\n`;
    const o = await gradeFiles({ docker, labId: lab.manifest.id, files: [...sol.filter((x) => x.path !== 'Dockerfile'), f('Dockerfile', forged)] });
    expect(check(o, 'builds').passed).toBe(true);
    expect(check(o, 'cache').passed).toBe(false);
  });

  it("6. a VOLUME in the learner's image is a small tmpfs: 40 MB do not fit, nothing lands on the engine's disk", async () => {
    // The server answers "hello" only if writing 40 MB into the VOLUME failed.
    const o = await grade(
      'FROM lms/node:18\nWORKDIR /app\nCOPY server.js ./\nVOLUME /data\nCMD ["sh", "-c", "head -c 40000000 /dev/zero > /data/big && exit 1; ls -l /data >&2; exec node server.js"]\n',
    );
    expect(check(o, 'builds').passed).toBe(true);
    expect(check(o, 'answers').passed).toBe(true);
    for (const b of await builderLeftovers()) expect(b.volumes).toEqual([]);
  });

  it('7. 100 MB on stderr leave no log file on the host: every sandbox and subject runs with the log driver off', async () => {
    const seen = new Map<string, string>();
    let largest = 0;
    let polling = true;
    const poll = (async () => {
      while (polling) {
        for (const c of await sandboxContainers()) {
          if (!seen.has(c.Id))
            seen.set(
              c.Id,
              (
                await docker
                  .getContainer(c.Id)
                  .inspect()
                  .catch(() => null)
              )?.HostConfig.LogConfig?.Type ?? '?',
            );
          const file = `/var/lib/docker/containers/${c.Id}/${c.Id}-json.log`;
          largest = Math.max(largest, fs.existsSync(file) ? fs.statSync(file).size : 0);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const { out } = await subject(`head -c 104857600 /dev/zero | tr '\\0' x >&2; ${SERVE_HELLO}`);
    polling = false;
    await poll;
    expect(passed(out, 'answers')).toBe(true);
    expect(seen.size).toBeGreaterThanOrEqual(2);
    expect([...new Set(seen.values())]).toEqual(['none']);
    expect(largest).toBeLessThan(1024 * 1024);
  });
});
