/**
 * Workspaces (issue 16) against the real Docker engine: isolation attacks from inside a workspace, file sync both
 * ways, idle sweep, reattach by a new engine object, one workspace per learner, the host cap, owner-only access,
 * `lms check` as a practice grading, and every lab's guided steps against its solution and starter (as Instruqt tests
 * tracks). Attacks run as the learner would: commands typed into a terminal or run with `docker exec` as the
 * workspace's user; each asserts what the learner sees and what the host keeps.
 *
 * Network probes target only addresses on this machine (the Docker bridges' gateways, a listener of this test).
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { getDb, disconnectDb } from '@/lib/db';
import { closeQueue } from '@/lib/queue';
import { getLab, listLabs, readFolderFiles } from '@/lib/labs/registry';
import { AppError } from '@/lib/errors';
import { WorkspaceEngine, type Terminal, type WorkspaceEvent } from '@/lib/workspaces';
import { ensureWorkspaceImage } from '@/lib/workspaces/images';
import { execVerify } from '@/lib/workspaces/steps';
import { LABEL_WORKSPACE, LABEL_PREFIX } from '@/lib/workspaces/container';
import { WORKSPACE_LIMITS } from '@/lib/grading/limits';
import { createLearner, docker, startWorker, waitFor, type WorkerProc } from './helpers';

const LAB = 'week01-terraform-vpc';
const OTHER_LAB = 'week03-cicd-workflow';
const STEP_LABS = listLabs().filter((l) => l.manifest.steps.length > 0);
const engines: WorkspaceEngine[] = [];
const quiet = () => {};

function newEngine(opts: ConstructorParameters<typeof WorkspaceEngine>[0] = {}): WorkspaceEngine {
  const e = new WorkspaceEngine({ poolSize: 0, sweepMs: 3600_000, max: 500, log: quiet, ...opts });
  engines.push(e);
  return e;
}

/** Our containers (this run's Redis prefix). */
async function ourContainers(): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: [LABEL_WORKSPACE, `${LABEL_PREFIX}=${process.env.REDIS_PREFIX ?? 'lms'}`] } });
}

/** Runs a command in a workspace as its learner (the step runner's exec: no TTY, 15 s). */
async function sh(container: Docker.Container, script: string): Promise<{ exitCode: number | null; stdout: string }> {
  return execVerify(docker, container, script, []);
}

/** Types into a terminal and waits until the output matches. */
async function type(term: Terminal, buf: { text: string }, input: string, until: RegExp, timeoutMs = 20_000): Promise<string> {
  const start = buf.text.length;
  term.stream.write(input);
  await waitFor(async () => until.test(buf.text.slice(start)), timeoutMs, 50).catch(() => {
    throw new Error(`terminal never showed ${until}; it showed:\n${buf.text.slice(start).slice(-2000)}`);
  });
  return buf.text.slice(start);
}

function capture(term: Terminal): { text: string } {
  const buf = { text: '' };
  term.stream.on('data', (c: Buffer) => (buf.text += c.toString('utf8')));
  return buf;
}

const PROMPT = /\$ $/m;

/**
 * open() returns once the container runs; the agent puts the files in as it boots (a terminal's shell waits for them,
 * and so do the engine's own step checks). Commands run here with `docker exec` wait the same way.
 */
async function filesIn(container: Docker.Container): Promise<Docker.Container> {
  await waitFor(async () => (await sh(container, 'test -e /tmp/.lms/ready && echo yes')).stdout === 'yes\n', 30_000, 100);
  return container;
}

beforeAll(async () => {
  for (const id of new Set([LAB, OTHER_LAB, ...STEP_LABS.map((l) => l.manifest.id)])) await ensureWorkspaceImage(docker, getLab(id)!);
}, 900_000);

afterAll(async () => {
  for (const e of engines) await e.shutdown({ stopWorkspaces: true }).catch(() => {});
  for (const c of await ourContainers())
    await docker
      .getContainer(c.Id)
      .remove({ force: true })
      .catch(() => {});
  await closeQueue();
  await disconnectDb();
});

describe('a workspace', () => {
  let engine: WorkspaceEngine;
  let container: Docker.Container;
  let wsId: string;
  let learner: { id: string; role: 'LEARNER' };

  beforeAll(async () => {
    engine = newEngine();
    learner = (await createLearner()) as typeof learner;
    const info = await engine.open(learner, LAB, { lang: 'en' });
    wsId = info.id;
    container = await filesIn(engine.containerOf(wsId)!);
    expect(info.status).toBe('running');
    expect(info.tools.map((t) => t.name)).toEqual(expect.arrayContaining(['node', 'git', 'jq', 'yq', 'python3', 'curl']));
  }, 120_000);

  it('has the hardening of a grading sandbox', async () => {
    const i = await container.inspect();
    const hc = i.HostConfig;
    expect(hc.NetworkMode).toBe('none');
    expect(hc.Memory).toBe(WORKSPACE_LIMITS.memoryMb * 1024 * 1024);
    expect(hc.MemorySwap).toBe(hc.Memory);
    expect(hc.NanoCpus).toBe(1e9);
    expect(hc.CpuShares).toBe(256);
    expect(hc.PidsLimit).toBe(WORKSPACE_LIMITS.pids);
    expect(hc.ReadonlyRootfs).toBe(true);
    expect(hc.CapDrop).toEqual(['ALL']);
    expect(hc.SecurityOpt).toContain('no-new-privileges');
    expect(hc.Privileged).toBe(false);
    expect(hc.LogConfig?.Type).toBe('none');
    expect(i.Config.User).toBe('10001:10001');
    expect(Object.keys(hc.Tmpfs ?? {}).sort()).toEqual(['/tmp', '/work']);
    expect(hc.Tmpfs!['/tmp']).toMatch(/noexec/);
    expect(i.Config.Labels).toMatchObject({ [LABEL_WORKSPACE]: '1', 'lms.lab': LAB, [LABEL_PREFIX]: process.env.REDIS_PREFIX ?? 'lms' });
  });

  it('a terminal gives a prompt in /work with the starter files, and keystrokes echo', async () => {
    const term = await engine.attachTerminal(learner, wsId, { cols: 100, rows: 30 });
    const buf = capture(term);
    await waitFor(async () => PROMPT.test(buf.text), 20_000, 50);
    const out = await type(term, buf, 'pwd; ls\r', /main\.tf[\s\S]*\$ $/);
    expect(out).toContain('/work');
    const hi = await type(term, buf, 'echo "안녕 $((40+2))"\r', /안녕 42/);
    expect(hi).toContain('안녕 42');
    await term.close();
    await expect(term.ended).resolves.toEqual({ reason: 'closed' });
  });

  it('file sync: a terminal edit reaches the database and the editor; an editor write reaches the terminal', async () => {
    const events: WorkspaceEvent[] = [];
    const off = await engine.subscribe(learner, wsId, (e) => events.push(e));
    const r = await sh(container, `printf '%s\\n' 'variable "name" {}' > variables.tf`);
    expect(r.exitCode).toBe(0);
    const ev = await waitFor(
      async () => events.find((e) => e.type === 'files' && e.source === 'terminal' && e.changed.some((f) => f.path === 'variables.tf')),
      10_000,
      100,
    );
    expect(ev).toBeTruthy();
    const saved = await engine.readFiles(learner, LAB);
    expect(saved.files.find((f) => f.path === 'variables.tf')?.content).toBe('variable "name" {}\n');
    // The editor writes; the terminal sees it.
    const next = await engine.writeFiles(learner, LAB, {
      files: [{ path: 'outputs.tf', content: 'output "x" { value = 1 }\n' }],
      baseRevision: saved.revision,
    });
    expect(next.revision).toBeGreaterThan(saved.revision);
    expect((await sh(container, 'cat outputs.tf')).stdout).toBe('output "x" { value = 1 }\n');
    // A stale revision writes nothing.
    await expect(engine.writeFiles(learner, LAB, { files: [{ path: 'outputs.tf', content: 'old\n' }], baseRevision: saved.revision })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    expect((await sh(container, 'cat outputs.tf')).stdout).toBe('output "x" { value = 1 }\n');
    // A file the lab does not take (and a link) is kept in the container, never saved.
    await sh(container, `echo notes > notes.txt; ln -sf /etc/passwd extra.tf; echo 'x' > "$(printf 'bad\\001.tf')"`);
    await new Promise((r) => setTimeout(r, 1500));
    const after = await engine.readFiles(learner, LAB);
    expect(after.files.map((f) => f.path).sort()).toEqual(['main.tf', 'outputs.tf', 'variables.tf']);
    const lmsFiles = await sh(container, 'LMS_LANG=en lms files');
    expect(lmsFiles.stdout).toMatch(/extra\.tf: a link, not a file/);
    // Deleting in the terminal deletes the saved file.
    await sh(container, 'rm outputs.tf');
    await waitFor(async () => !(await engine.readFiles(learner, LAB)).files.some((f) => f.path === 'outputs.tf'), 10_000, 200);
    off();
  });

  it('refuses, at the engine, names and sizes the lab does not take', async () => {
    await expect(engine.writeFiles(learner, LAB, { files: [{ path: '../escape.tf', content: 'x' }] })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(engine.writeFiles(learner, LAB, { files: [{ path: 'notes.txt', content: 'x' }] })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(engine.writeFiles(learner, LAB, { files: [{ path: 'main.tf', content: 'x'.repeat(200 * 1024) }] })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(engine.writeFiles(learner, LAB, { files: [{ path: '.lms/x.tf', content: 'x' }] })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('has no network of any kind', async () => {
    const gateways = new Set<string>(['172.17.0.1']);
    for (const n of await docker.listNetworks()) for (const c of n.IPAM?.Config ?? []) if (c.Gateway && !c.Gateway.includes(':')) gateways.add(c.Gateway);
    let hits = 0;
    const server = net.createServer((s) => {
      hits++;
      s.destroy();
    });
    await new Promise<void>((r) => server.listen(0, '0.0.0.0', r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const r = await sh(
        container,
        `ls /sys/class/net; for g in ${[...gateways].join(' ')}; do curl -s -m 2 -o /dev/null http://$g:${port}/ && echo "REACHED $g"; done; getent hosts example.com && echo RESOLVED; true`,
      );
      expect(r.stdout.trim().split('\n')[0]).toBe('lo');
      expect(r.stdout).not.toMatch(/REACHED|RESOLVED/);
      expect(hits).toBe(0);
    } finally {
      server.close();
    }
  });

  it('cannot see the host: no host files, no Docker socket, read-only root', async () => {
    const marker = path.join(os.tmpdir(), `lms-ws-host-marker-${process.pid}`);
    fs.writeFileSync(marker, 'host');
    try {
      const r = await sh(
        container,
        `test -e ${marker} && echo SEEN; test -e /var/run/docker.sock -o -e /run/docker.sock && echo SOCKET; touch /usr/bin/x 2>/dev/null && echo WROTE_ROOT; cat /etc/shadow 2>/dev/null && echo SHADOW; cat /proc/1/environ >/dev/null 2>&1; id -u; true`,
      );
      expect(r.stdout).not.toMatch(/SEEN|SOCKET|WROTE_ROOT|SHADOW/);
      expect(r.stdout.trim().split('\n').pop()).toBe('10001');
    } finally {
      fs.rmSync(marker, { force: true });
    }
  });

  it('escape attempts fail: /proc/sys, mount, setuid binaries, capabilities', async () => {
    const r = await sh(
      container,
      [
        'echo 1 > /proc/sys/kernel/core_pattern 2>/dev/null && echo PROCSYS',
        'mount -t tmpfs none /mnt 2>/dev/null && echo MOUNTED',
        'unshare -r true 2>/dev/null && echo USERNS',
        // Every setuid binary the image has: none may raise privileges (no-new-privileges).
        'for b in $(find / -xdev -perm -4000 -type f 2>/dev/null); do echo "SUID $b"; done',
        'su -c id root </dev/null 2>/dev/null && echo SU',
        'grep -E "^(CapEff|CapPrm|NoNewPrivs)" /proc/self/status',
      ].join('\n'),
    );
    expect(r.stdout).not.toMatch(/PROCSYS|MOUNTED|USERNS|^SU$/m);
    expect(r.stdout).toMatch(/CapEff:\s+0000000000000000/);
    expect(r.stdout).toMatch(/CapPrm:\s+0000000000000000/);
    expect(r.stdout).toMatch(/NoNewPrivs:\s+1/);
  });

  it('a fork bomb stops at the pid limit and the workspace still answers', async () => {
    // Counted with shell builtins only (nothing can fork at the limit), then the sleeps are waited for.
    const r = await sh(
      container,
      [
        // In a subshell: bash gives up when it cannot fork, and this shell must go on counting.
        `( for i in $(seq 1 ${WORKSPACE_LIMITS.pids + 100}); do sleep 60 & echo $! >> /tmp/bomb-pids; done ) 2>/tmp/forkerr`,
        'n=0; for p in /proc/[0-9]*; do n=$((n+1)); done; echo "count $n"',
        // Cleared with builtins too (nothing can fork yet).
        'while read -r p; do kill "$p" 2>/dev/null; done < /tmp/bomb-pids',
        'while :; do n=0; for p in /proc/[0-9]*; do n=$((n+1)); done; [ $n -lt 20 ] && break; done',
        'echo "refused $(grep -ciE "fork|resource temporarily" /tmp/forkerr)"',
      ].join('\n'),
    );
    const n = Number(/count (\d+)/.exec(r.stdout)?.[1]);
    expect(n).toBeLessThanOrEqual(WORKSPACE_LIMITS.pids);
    expect(n).toBeGreaterThan(WORKSPACE_LIMITS.pids - 20);
    expect(Number(/refused (\d+)/.exec(r.stdout)?.[1])).toBeGreaterThan(0);
    expect((await sh(container, 'echo alive')).stdout).toBe('alive\n');
  });

  it('a disk bomb stops at the tmpfs sizes; the host disk is untouched', async () => {
    // Files under the 64 MiB file-size limit each: what stops them is the tmpfs's size.
    const fill = (dir: string) =>
      `for i in 1 2 3; do dd if=/dev/zero of=${dir}/fill$i bs=1M count=40 2>&1 | grep -m1 'dd: error'; done; echo "${dir} $(du -cm ${dir}/fill* | tail -n1 | cut -f1)"; rm -f ${dir}/fill*`;
    const r = await sh(container, `${fill('/work')}; ${fill('/tmp')}`);
    expect(Number(/\/work (\d+)/.exec(r.stdout)?.[1])).toBeLessThanOrEqual(WORKSPACE_LIMITS.workMb);
    expect(Number(/\/work (\d+)/.exec(r.stdout)?.[1])).toBeGreaterThan(WORKSPACE_LIMITS.workMb - 8);
    expect(Number(/\/tmp (\d+)/.exec(r.stdout)?.[1])).toBeLessThanOrEqual(WORKSPACE_LIMITS.tmpfsMb);
    expect(r.stdout).toMatch(/dd: error writing '\/work\/fill\d': No space left on device/);
    expect(r.stdout).toMatch(/dd: error writing '\/tmp\/fill\d': No space left on device/);
    expect((await sh(container, 'echo ok > /work/after && cat /work/after && rm /work/after')).stdout).toBe('ok\n');
    // Nothing reached the engine's disk: the root is read-only and the writable places are in memory.
    expect((await container.inspect({ size: true } as never)) as unknown as { SizeRw?: number }).toMatchObject({ SizeRw: 0 });
  });

  it('only the owner reaches it: another learner and an instructor get not_found', async () => {
    const other = await createLearner();
    const instructor = await getDb().user.create({ data: { email: `i-${Date.now()}@test.lms`, name: 'I', role: 'INSTRUCTOR' } });
    for (const who of [other, { id: instructor.id, role: instructor.role }]) {
      const calls: Promise<unknown>[] = [
        engine.attachTerminal(who, wsId, { cols: 80, rows: 24 }),
        engine.info(who, wsId),
        engine.subscribe(who, wsId, () => {}),
        engine.checkStep(who, wsId, 'pin-provider'),
        engine.runCheck(who, wsId),
        engine.closeWorkspace(who, wsId),
        engine.setLang(who, wsId, 'ko'),
      ];
      for (const c of calls) await expect(c).rejects.toSatisfy((e: unknown) => e instanceof AppError && e.code === 'not_found');
    }
    // Their own readFiles is their own row, never the victim's files.
    const theirs = await engine.readFiles(other, LAB);
    expect(theirs.workspaceId).not.toBe(wsId);
    expect((await engine.info(learner, wsId)).status).toBe('running');
  });
});

describe('workspace lifecycle', () => {
  it('idle sweep saves the files and removes the container', async () => {
    const engine = newEngine({ idleMs: 8000, sweepMs: 1000 });
    const learner = await createLearner();
    const info = await engine.open(learner, LAB, { lang: 'ko' });
    const c = await filesIn(engine.containerOf(info.id)!);
    await sh(c, `echo '# typed just before leaving' >> main.tf`);
    const t0 = Date.now();
    await waitFor(async () => (await ourContainers()).every((x) => x.Id !== c.id), 60_000, 250);
    expect(Date.now() - t0).toBeGreaterThan(3000); // not before the idle time (the write above counted as activity)
    const row = await getDb().workspace.findUniqueOrThrow({ where: { id: info.id } });
    expect(row).toMatchObject({ status: 'stopped', containerId: null });
    expect((await engine.readFiles(learner, LAB)).files.find((f) => f.path === 'main.tf')?.content).toMatch(/# typed just before leaving\n$/);
    // Opening again starts from the saved files.
    await engine.open(learner, LAB, { lang: 'ko' });
    const again = await filesIn(engine.containerOf(info.id)!);
    expect((await sh(again, 'tail -n 1 main.tf')).stdout).toBe('# typed just before leaving\n');
  }, 120_000);

  it('reattach: a new engine object (a restarted web process) finds the running workspace and its files', async () => {
    const first = newEngine();
    const learner = await createLearner();
    const info = await first.open(learner, LAB, { lang: 'en' });
    const c = await filesIn(first.containerOf(info.id)!);
    await first.shutdown(); // timers stop; the container keeps running
    expect((await c.inspect()).State.Running).toBe(true);
    // Edited while no engine listened.
    await sh(c, `echo '# while the web was down' >> main.tf`);
    const second = newEngine();
    const again = await second.open(learner, LAB, { lang: 'en' });
    expect(second.containerOf(again.id)!.id).toBe(c.id);
    expect((await second.readFiles(learner, LAB)).files.find((f) => f.path === 'main.tf')?.content).toMatch(/# while the web was down\n$/);
    const term = await second.attachTerminal(learner, again.id, { cols: 80, rows: 24 });
    const buf = capture(term);
    await waitFor(async () => PROMPT.test(buf.text), 20_000, 50);
    await type(term, buf, 'tail -n 1 main.tf\r', /while the web was down/);
    await term.close();
  }, 120_000);

  it('one workspace per learner: opening another lab stops the first, files kept', async () => {
    const engine = newEngine();
    const learner = await createLearner();
    const a = await engine.open(learner, LAB, { lang: 'ko' });
    const ca = engine.containerOf(a.id)!;
    const events: WorkspaceEvent[] = [];
    await engine.subscribe(learner, a.id, (e) => events.push(e));
    const b = await engine.open(learner, OTHER_LAB, { lang: 'ko' });
    expect(b.status).toBe('running');
    expect(await ca.inspect().catch(() => null)).toBeNull();
    expect(events).toContainEqual({ type: 'status', status: 'stopped', reason: 'replaced' });
    const rows = await getDb().workspace.findMany({ where: { userId: learner.id, status: { not: 'stopped' } } });
    expect(rows.map((r) => r.labId)).toEqual([OTHER_LAB]);
  }, 120_000);

  it('the host cap refuses a new workspace with a clear message; the files stay readable', async () => {
    const count = (await docker.listContainers({ all: true, filters: { label: [LABEL_WORKSPACE] } })).length;
    const engine = newEngine({ max: count });
    const learner = await createLearner();
    const err = await engine.open(learner, LAB, { lang: 'en' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('rate_limited');
    expect((err as AppError).text('en')).toMatch(/All workspaces on this server are in use .*your files are saved/);
    expect((err as AppError).text('ko')).toMatch(/작업 공간이 모두 쓰이고 있습니다/);
    expect((await engine.readFiles(learner, LAB)).files.length).toBeGreaterThan(0);
  }, 60_000);

  it("a signed-out owner's workspace is swept", async () => {
    const engine = newEngine({ sweepMs: 1000 });
    const learner = await createLearner();
    const info = await engine.open(learner, LAB, { lang: 'ko' });
    const c = engine.containerOf(info.id)!;
    await getDb().user.update({ where: { id: learner.id }, data: { sessionVersion: { increment: 1 } } });
    await waitFor(async () => (await c.inspect().catch(() => null)) === null, 20_000, 250);
    expect((await getDb().workspace.findUniqueOrThrow({ where: { id: info.id } })).status).toBe('stopped');
  }, 60_000);

  it("a pooled workspace is claimed and then gets the learner's files", async () => {
    const engine = newEngine({ poolSize: 1 });
    await engine.warm(LAB);
    await waitFor(async () => engine.poolReady(LAB) === 1, 60_000, 100);
    const learner = await createLearner();
    await engine.writeFiles(learner, LAB, { files: [{ path: 'variables.tf', content: '# mine\n' }] });
    const info = await engine.open(learner, LAB, { lang: 'ko' });
    const c = await filesIn(engine.containerOf(info.id)!);
    expect((await c.inspect()).Config.Labels['lms.pooled']).toBe('1');
    expect((await sh(c, 'cat variables.tf')).stdout).toBe('# mine\n');
  }, 120_000);
});

describe('lms check and steps', () => {
  let worker: WorkerProc;
  beforeAll(async () => {
    worker = startWorker();
    await waitFor(async () => worker.output().includes('ready:'), 300_000).catch((e) => {
      throw new Error(`${(e as Error).message}\n${worker.output()}`);
    });
  }, 320_000);
  afterAll(async () => {
    await worker.stop();
  });

  it("lms check prints a practice verdict in the learner's language, without an attempt or progress", async () => {
    const engine = newEngine();
    const learner = await createLearner();
    const info = await engine.open(learner, LAB, { lang: 'ko' });
    const term = await engine.attachTerminal(learner, info.id, { cols: 120, rows: 40 });
    const buf = capture(term);
    await waitFor(async () => PROMPT.test(buf.text), 20_000, 50);
    const out = await type(term, buf, 'lms check\r', /(통과|아직 통과 전)[\s\S]*\$ $/, 180_000);
    expect(out).toContain('AWS 프로바이더 버전 고정'); // a check title, in Korean
    expect(out).toContain('힌트');
    expect(out).toContain('제출 횟수에 들어가지 않습니다');
    const subs = await getDb().submission.findMany({ where: { userId: learner.id }, include: { result: true } });
    expect(subs).toHaveLength(1);
    expect(subs[0]).toMatchObject({ practice: true, number: null, status: 'GRADED' });
    expect(subs[0]!.result).not.toBeNull();
    expect(await getDb().labProgress.findMany({ where: { userId: learner.id } })).toEqual([]);
    // A second check while none waits is fine; the limit is counted per learner.
    const r = await engine.runCheck(learner, info.id);
    expect(r.maxScore).toBeGreaterThan(0);
    expect(r.text).toContain('연습 채점');
    await term.close();
  }, 400_000);

  it.each(STEP_LABS.map((l) => [l.manifest.id]))(
    '%s: every step passes on the solution, the first fails on the starter',
    async (labId) => {
      const lab = getLab(labId)!;
      const engine = newEngine();
      const learner = await createLearner();
      const info = await engine.open(learner, labId, { lang: 'en' });
      const solution = readFolderFiles(path.join(lab.dir, 'solution'));
      const current = await engine.readFiles(learner, labId);
      await engine.writeFiles(learner, labId, {
        files: solution.map((f) => ({ path: f.path, content: f.content.toString('utf8') })),
        delete: current.files.map((f) => f.path).filter((p) => !solution.some((s) => s.path === p)),
      });
      const c = await filesIn(engine.containerOf(info.id)!);
      for (const step of lab.manifest.steps) {
        if (step.solve) {
          const s = await sh(c, step.solve);
          expect(s.exitCode, `${step.id} solve: ${s.stdout}`).toBe(0);
        }
        const r = await engine.checkStep(learner, info.id, step.id);
        expect(r, `${labId} step ${step.id} on the solution`).toEqual({ done: true });
      }
      expect((await engine.listSteps(learner, labId)).every((s) => s.done)).toBe(true);
      await engine.resetFiles(learner, labId);
      const first = await engine.checkStep(learner, info.id, lab.manifest.steps[0]!.id);
      expect(first.done).toBe(false);
      expect(first.message).toBeTruthy();
      expect(first.message).not.toMatch(/[가-힣]/); // in the workspace's language (English here)
    },
    180_000,
  );
});
