/**
 * The learner-image builders: Docker engines of their own, one per builder slot, each inside one limited container
 * on the host's engine (images/builder). A learner's Dockerfile is built there and the image built runs there as the
 * subject with its grader, never on the host's engine:
 * - the builder container has no network (`NetworkMode: none`), so nothing in a build (remote ADD, a git source, a
 *   RUN with any network mode, the engine resolving an image) can reach the host or anything else;
 * - its memory (= memory+swap), CPU and pid limits bound everything a build and a run start inside it, and each
 *   build's RUN steps get the lab's own limits in their cgroup (`lms-cgroup`), set before the build;
 * - its data root is an ext4 file system in a file of LMS_BUILDER_DISK_MB, so a build's disk use is bounded;
 * - one grading at a time holds a builder (a lease), and when it ends everything it created is wiped: containers,
 *   images other than the bases and grader images loaded from the host, the build cache, volumes, stray processes.
 *
 * Builders are shared by every process on this host that grades (workers, `bin/lms grade`, tests): a lease is a lock
 * folder created atomically, broken only when its process is gone. Containers are named by the builder folder, so two
 * checkouts on one host (a CI clone) do not share builders.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import Docker from 'dockerode';
import { getEnv } from '../env';
import { getLab, listLabs, projectRoot, type Lab } from '../labs/registry';
import {
  builderBaseImage,
  buildImage,
  ensureBuilderImage,
  graderBuildContext,
  graderImageTag,
  hasPlainGraderImage,
  legacyNodeBaseContext,
  runtimeImageTag,
} from './images';
import { learnerBaseImages, LEGACY_NODE_BASE, pullIfMissing } from './learner-bases';
import type { SandboxLimits } from './limits';
import { BuilderExecAgent, execLease } from './builder-exec';

const LABEL_BUILDER = 'lms.builder';
/** Who holds an exec-transport lease: this process on this machine. */
const LEASE_OWNER = `${os.hostname()}-${process.pid}-${crypto.randomBytes(3).toString('hex')}`;

export interface BuilderSettings {
  /** Builders on this host: gradings that build at once. */
  count: number;
  memoryMb: number;
  cpus: number;
  pids: number;
  diskMb: number;
  /** Where each builder keeps its data-root file and its engine's socket (socket transport), and the lease folders. */
  dir: string;
  /**
   * How this process reaches the builders' engines: `socket` (a unix socket in `dir`, on the Docker host's own file
   * system: bin/lms up, tests) or `exec` (through the host engine's API: a remote DOCKER_HOST, a worker in a container).
   */
  transport: 'socket' | 'exec';
}

/** `LMS_BUILDER_TRANSPORT`, else `exec` when DOCKER_HOST names a remote engine, else `socket`. */
function builderTransport(): 'socket' | 'exec' {
  const env = getEnv();
  if (env.LMS_BUILDER_TRANSPORT) return env.LMS_BUILDER_TRANSPORT;
  const dh = env.DOCKER_HOST ?? '';
  return dh && !dh.startsWith('unix://') && !dh.startsWith('npipe://') ? 'exec' : 'socket';
}

export function builderSettings(): BuilderSettings {
  const env = getEnv();
  return {
    count: env.LMS_BUILDERS,
    // The engine and containerd (~150 MB), then either a build (its RUN steps at the lab's limit) or a subject and its
    // grader (each at theirs, 1 GiB at most by the ceilings): 2.5 GiB covers the largest case.
    memoryMb: env.LMS_BUILDER_MEMORY_MB,
    cpus: env.LMS_BUILDER_CPUS,
    pids: env.LMS_BUILDER_PIDS,
    diskMb: env.LMS_BUILDER_DISK_MB,
    dir: path.resolve(env.LMS_BUILDER_DIR ?? path.join(projectRoot(), '.data', 'builders')),
    transport: builderTransport(),
  };
}

function dirKey(dir: string): string {
  return crypto.createHash('sha256').update(dir).digest('hex').slice(0, 8);
}

function builderName(slot: number, s = builderSettings()): string {
  return `lms-builder-${dirKey(s.dir)}-${slot}`;
}

/** The folder that receives a builder's engine socket (a unix socket path must stay under 108 bytes). */
function runDir(slot: number, s: BuilderSettings): string {
  const inData = path.join(s.dir, String(slot), 'run');
  return inData.length + '/docker.sock'.length < 100 ? inData : path.join(os.tmpdir(), `lms-builder-${dirKey(s.dir)}-${slot}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Leases: one grading per builder at a time, across every process on this host.

interface LeaseOwner {
  pid: number;
  host: string;
  at: number;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lease older than any grading can be (the ceiling build time twice, the run, the wipe) is broken even if its process lives. */
const LEASE_MAX_AGE_MS = 30 * 60_000;

function tryLock(slot: number, s: BuilderSettings): boolean {
  const base = path.join(s.dir, String(slot));
  fs.mkdirSync(base, { recursive: true });
  const lock = path.join(base, 'lease');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.mkdirSync(lock);
      const owner: LeaseOwner = { pid: process.pid, host: os.hostname(), at: Date.now() };
      fs.writeFileSync(path.join(lock, 'owner.json'), JSON.stringify(owner));
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let stale = false;
    try {
      const o = JSON.parse(fs.readFileSync(path.join(lock, 'owner.json'), 'utf8')) as LeaseOwner;
      stale = (o.host === os.hostname() && !processAlive(o.pid)) || Date.now() - o.at > LEASE_MAX_AGE_MS;
    } catch {
      // Created but not yet written (a racing process), or written by a process that died in between.
      stale = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 10_000;
    }
    if (!stale) return false;
    // Break it by renaming: only one breaker can win the rename.
    const grave = `${lock}.stale-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
    try {
      fs.renameSync(lock, grave);
      fs.rmSync(grave, { recursive: true, force: true });
    } catch {
      return false;
    }
  }
  return false;
}

function unlock(slot: number, s: BuilderSettings): void {
  fs.rmSync(path.join(s.dir, String(slot), 'lease'), { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------------------------
// The builder container.

/** Capabilities of the builder container: what its engine needs to run containers, and no more. Not `--privileged`. */
const BUILDER_CAPS = [
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'SETGID',
  'SETUID',
  'SETPCAP',
  'NET_BIND_SERVICE',
  'NET_RAW',
  'SYS_CHROOT',
  'MKNOD',
  'AUDIT_WRITE',
  'SETFCAP',
  'SYS_ADMIN',
  'NET_ADMIN',
  // The engine's runc joins a subject's network namespace through /proc/<pid>/ns of a process of another user.
  'SYS_PTRACE',
];

function builderHostConfig(slot: number, s: BuilderSettings): Docker.HostConfig {
  // Socket transport: the data-root file and the socket in host folders. Exec transport: nothing of the worker's file
  // system is needed; the data root lives in a named volume on the Docker host, the socket stays inside.
  const storage: Docker.HostConfig =
    s.transport === 'socket'
      ? (() => {
          const data = path.join(s.dir, String(slot), 'data');
          const run = runDir(slot, s);
          fs.mkdirSync(data, { recursive: true });
          fs.mkdirSync(run, { recursive: true });
          return { Binds: [`${data}:/lms/data`, `${run}:/lms/run`] };
        })()
      : { Mounts: [{ Type: 'volume', Source: `${builderName(slot, s)}-data`, Target: '/lms/data' }] };
  return {
    NetworkMode: 'none',
    Memory: s.memoryMb * 1024 * 1024,
    MemorySwap: s.memoryMb * 1024 * 1024,
    NanoCpus: s.cpus * 1e9,
    PidsLimit: s.pids,
    CapDrop: ['ALL'],
    CapAdd: BUILDER_CAPS,
    // The engine inside mounts, creates namespaces and cgroups, and loads its own seccomp profile for what it runs.
    SecurityOpt: ['seccomp=unconfined', 'apparmor=unconfined', 'label=disable'],
    // /proc/sys writable (the engine sets up its containers' namespaces): what the CLI calls systempaths=unconfined.
    MaskedPaths: [],
    ReadonlyPaths: [],
    // Its own cgroup namespace: the cgroups its engine creates are children of this container's, inside its limits.
    CgroupnsMode: 'private',
    Devices: [{ PathOnHost: '/dev/loop-control', PathInContainer: '/dev/loop-control', CgroupPermissions: 'rwm' }],
    // Loop devices only (for the data-root file), block major 7.
    DeviceCgroupRules: ['b 7:* rwm'],
    ...storage,
    Tmpfs: {
      '/run': 'rw,nosuid,nodev,size=64m',
      '/tmp': 'rw,nosuid,nodev,size=64m',
      ...(s.transport === 'exec' ? { '/lms/run': 'rw,nosuid,nodev,size=1m' } : {}),
    },
    ReadonlyRootfs: true,
    LogConfig: { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '1' } },
    RestartPolicy: { Name: 'no' },
  } as Docker.HostConfig;
}

async function execIn(host: Docker, container: string, cmd: string[], timeoutMs = 30_000): Promise<{ code: number | null; out: string; err: string }> {
  const exec = await host.getContainer(container).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const so = new PassThrough();
  const se = new PassThrough();
  let out = '';
  let err = '';
  so.on('data', (c: Buffer) => (out.length < 4 << 20 ? (out += c.toString('utf8')) : undefined));
  se.on('data', (c: Buffer) => (err.length < 64 << 10 ? (err += c.toString('utf8')) : undefined));
  host.modem.demuxStream(stream, so, se);
  await new Promise<void>((resolve) => {
    const t = setTimeout(() => {
      stream.destroy();
      resolve();
    }, timeoutMs);
    stream.on('end', () => (clearTimeout(t), resolve()));
    stream.on('close', () => (clearTimeout(t), resolve()));
    stream.on('error', () => (clearTimeout(t), resolve()));
  });
  const info = await exec.inspect().catch(() => null);
  return { code: info?.ExitCode ?? null, out, err };
}

/** docker-modem's dial as a promise (dockerode has no method for these two endpoints with every option). */
function dial<T>(docker: Docker, opts: Record<string, unknown>): Promise<T> {
  return new Promise((resolve, reject) => {
    (docker.modem as unknown as { dial(o: unknown, cb: (e: Error | null, r: T) => void): void }).dial(opts, (e, r) => (e ? reject(e) : resolve(r)));
  });
}

async function pingUntil(docker: Docker, ms: number, alive?: () => Promise<boolean>): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (
      await docker.ping().then(
        () => true,
        () => false,
      )
    )
      return true;
    if (alive && !(await alive())) return false;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

/** Starts the builder of a slot (or keeps it when it runs the current image) and returns a client of its engine. */
async function ensureBuilderRunning(host: Docker, slot: number, s: BuilderSettings): Promise<Docker> {
  await pullIfMissing(host, builderBaseImage());
  const image = await ensureBuilderImage(host);
  const name = builderName(slot, s);
  const socketPath = path.join(runDir(slot, s), 'docker.sock');
  const inner = innerClient(host, slot, s);
  const hostConfig = builderHostConfig(slot, s);
  const env = [`LMS_BUILDER_DISK_MB=${s.diskMb}`];
  // A builder started from another image or with other settings is replaced (its data root, and the images in it, stay).
  const config = crypto
    .createHash('sha256')
    .update(JSON.stringify([image, env, hostConfig]))
    .digest('hex')
    .slice(0, 16);
  const info = await host
    .getContainer(name)
    .inspect()
    .catch(() => null);
  if (
    info &&
    info.State.Running &&
    info.Config.Labels?.['lms.builder.config'] === config &&
    (s.transport === 'exec' || fs.existsSync(socketPath)) &&
    (await pingUntil(inner, 2000))
  )
    return inner;
  if (info)
    await host
      .getContainer(name)
      .remove({ force: true })
      .catch(() => {});
  let c: Docker.Container;
  try {
    c = await host.createContainer({
      name,
      Image: image,
      Env: env,
      Labels: { 'lms.kind': 'builder', [LABEL_BUILDER]: String(slot), 'lms.builder.dir': s.dir, 'lms.builder.config': config },
      HostConfig: hostConfig,
    });
  } catch (e) {
    // Another worker on the same Docker host (exec transport) created it in between: use theirs.
    if ((e as { statusCode?: number }).statusCode === 409 && (await pingUntil(inner, 60_000))) return inner;
    throw e;
  }
  await c.start();
  if (
    !(await pingUntil(inner, 60_000, () =>
      c.inspect().then(
        (i) => i.State.Running,
        () => false,
      ),
    ))
  ) {
    const logs = await c.logs({ stdout: true, stderr: true, tail: 20 }).catch(() => Buffer.from(''));
    // The engine's multiplexing headers (bytes 0-8) left out of the message.
    // eslint-disable-next-line no-control-regex
    const text = logs.toString('utf8').replace(/[\x00-\x08]/g, '');
    throw new Error(`builder ${name} did not start: ${text.slice(-800)}`);
  }
  return inner;
}

const clients = new Map<string, Docker>();

/** A client of a builder's engine: through its socket in a host folder, or through execs of dial-stdio in it. */
function innerClient(host: Docker, slot: number, s: BuilderSettings): Docker {
  const name = builderName(slot, s);
  const key = `${s.transport}:${name}`;
  let c = clients.get(key);
  if (!c) {
    c =
      s.transport === 'socket'
        ? new Docker({ socketPath: path.join(runDir(slot, s), 'docker.sock'), timeout: 120_000 })
        : new Docker({
            agent: new BuilderExecAgent(host, name),
            host: 'builder',
            port: 2375,
            protocol: 'http',
            timeout: 120_000,
          } as unknown as Docker.DockerOptions);
    clients.set(key, c);
  }
  return c;
}

// ---------------------------------------------------------------------------------------------------------------
// Images in a builder, and the wipe.

async function inspectImage(docker: Docker, tag: string): Promise<{ id: string; labels: Record<string, string> } | null> {
  return docker
    .getImage(tag)
    .inspect()
    .then(
      (i) => ({ id: i.Id, labels: (i.Config?.Labels ?? {}) as Record<string, string> }),
      () => null,
    );
}

/** Copies images from the host's engine into the builder's (docker save | docker load); layers it has are not stored twice. */
async function copyImages(host: Docker, inner: Docker, tags: string[]): Promise<void> {
  if (!tags.length) return;
  const saved = await dial<NodeJS.ReadableStream>(host, {
    path: '/images/get?',
    method: 'GET',
    options: { names: tags },
    isStream: true,
    statusCodes: { 200: true, 404: 'no such image', 500: 'server error' },
  });
  const progress = (await inner.loadImage(saved, { quiet: true })) as unknown as NodeJS.ReadableStream;
  await new Promise<void>((resolve, reject) => {
    inner.modem.followProgress(progress, (err: Error | null, out: { error?: string }[]) => {
      const failed = err?.message ?? out.find((o) => o.error)?.error;
      if (failed) reject(new Error(`loading ${tags.join(', ')} into the builder failed: ${failed}`));
      else resolve();
    });
  });
}

/** The lab a grader image tag belongs to, when the tag is that lab's current one. */
function labOfGraderTag(tag: string): Lab | undefined {
  const m = /^lms-grader-([a-z0-9-]+):[0-9a-f]+$/.exec(tag);
  const lab = m ? getLab(m[1]!) : undefined;
  return lab && graderImageTag(lab) === tag ? lab : undefined;
}

/**
 * Makes the builder hold `tags`, doing the least work: a grader image whose Dockerfile is the default one (the
 * runtime image plus the bundled grader, no RUN) and `lms/node:18` are built inside the builder from their small
 * contexts (the runtime image is copied in once per runtime change); other images are copied from the host's engine
 * when the builder's copy is missing or differs. Content-tagged images (grader, runtime) are never copied twice.
 * Returns what it did, for the log and the measurements.
 */
export async function provideImages(host: Docker, inner: Docker, tags: string[]): Promise<{ built: string[]; copied: string[] }> {
  const runtime = runtimeImageTag();
  const copy: string[] = [];
  const build: { tag: string; make: () => Promise<{ context: Buffer; buildargs: Record<string, string>; labels: Record<string, string> }> }[] = [];
  for (const t of [...new Set(tags)]) {
    const have = await inspectImage(inner, t);
    const lab = t.startsWith('lms-grader-') ? labOfGraderTag(t) : undefined;
    if (t === LEGACY_NODE_BASE) {
      if (have?.labels['lms.runtime'] !== runtime) build.push({ tag: t, make: async () => ({ ...(await legacyNodeBaseContext()), buildargs: {} }) });
    } else if (t.startsWith('lms-grader-') || t.startsWith('lms-runtime-node:')) {
      if (have) continue;
      if (lab && hasPlainGraderImage(lab)) build.push({ tag: t, make: () => graderBuildContext(lab) });
      else copy.push(t);
    } else {
      const hostImg = await inspectImage(host, t);
      if (!hostImg) throw new Error(`${t} is not on the host's engine; run bin/lms images build`);
      if (have?.id !== hostImg.id) copy.push(t);
    }
  }
  if (build.length && !copy.includes(runtime) && !(await inspectImage(inner, runtime))) copy.push(runtime);
  await copyImages(host, inner, copy);
  for (const b of build) {
    const c = await b.make();
    await buildImage(inner, c.context, b.tag, c.buildargs, c.labels);
  }
  return { built: build.map((b) => b.tag), copied: copy };
}

/**
 * Images a builder keeps across gradings besides a lease's own: the runtime, the current grader image of every lab
 * that builds a learner's Dockerfile, and the learner bases. Anything else (an older grader tag) goes at the next wipe.
 */
export function residentImages(): string[] {
  return [
    runtimeImageTag(),
    ...listLabs()
      .filter((l) => l.manifest.subject?.build)
      .map((l) => graderImageTag(l)),
    ...learnerBaseImages(),
  ];
}

export interface BuilderContents {
  containers: string[];
  /** Images other than those kept (tags or ids). */
  images: string[];
  buildCacheBytes: number;
  buildCacheRecords: number;
  volumes: string[];
}

/** What a builder holds beyond the images it keeps (`keep` and the resident ones): all empty after a wipe. */
export async function builderContents(inner: Docker, keepTags: string[]): Promise<BuilderContents> {
  const keep = [...keepTags, ...residentImages()];
  const containers = (await inner.listContainers({ all: true })).map((c) => c.Names[0] ?? c.Id);
  const all = await inner.listImages({ all: true });
  // A kept image's parents (the steps of a grader image built inside) are part of it.
  const byId = new Map(all.map((i) => [i.Id, i]));
  const kept = new Set<string>();
  for (const i of all.filter((x) => (x.RepoTags ?? []).some((t) => keep.includes(t)))) {
    for (let cur: Docker.ImageInfo | undefined = i; cur && !kept.has(cur.Id); cur = cur.ParentId ? byId.get(cur.ParentId) : undefined) kept.add(cur.Id);
  }
  const images = all.filter((i) => !kept.has(i.Id)).map((i) => i.RepoTags?.[0] ?? i.Id);
  const df = (await inner.df()) as { BuildCache?: { Size: number }[]; Volumes?: { Name: string }[] };
  const volumes = (await inner.listVolumes()).Volumes?.map((v) => v.Name) ?? [];
  return {
    containers,
    images,
    buildCacheBytes: (df.BuildCache ?? []).reduce((a, b) => a + b.Size, 0),
    buildCacheRecords: (df.BuildCache ?? []).length,
    volumes,
  };
}

/**
 * Removes everything a grading created in a builder: its processes still in the build cgroup, every container, every
 * image but the kept ones (by tag), the whole build cache (cache mounts included), every volume.
 */
async function wipeBuilder(host: Docker, container: string, inner: Docker, keep: string[]): Promise<void> {
  await execIn(host, container, ['/usr/local/bin/lms-cgroup', 'kill']).catch(() => {});
  for (const c of await inner.listContainers({ all: true }))
    await inner
      .getContainer(c.Id)
      .remove({ force: true, v: true })
      .catch(() => {});
  // Newest first, so children go before the images they were built from.
  const images = (await inner.listImages({ all: true })).sort((a, b) => b.Created - a.Created);
  for (const img of images) {
    const tags = (img.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
    if (tags.some((t) => keep.includes(t))) {
      // A kept image that also carries another tag (it cannot, unless a build was tagged over it): drop that tag only.
      for (const t of tags.filter((x) => !keep.includes(x)))
        await inner
          .getImage(t)
          .remove({ noprune: true })
          .catch(() => {});
      continue;
    }
    await inner
      .getImage(img.Id)
      .remove({ force: true })
      .catch(() => {});
  }
  await dial(inner, { path: '/build/prune?', method: 'POST', options: { all: true }, statusCodes: { 200: true, 500: 'server error' } }).catch(() => {});
  for (const v of (await inner.listVolumes()).Volumes ?? [])
    await inner
      .getVolume(v.Name)
      .remove({ force: true })
      .catch(() => {});
}

export interface BuilderLease {
  slot: number;
  /** The builder container on the host's engine. */
  container: string;
  /** A client of the builder's own engine. */
  docker: Docker;
  /** How to reach the builder's engine with node:http (a build streams its progress): a socket path or an agent. */
  http: Pick<http.RequestOptions, 'socketPath' | 'agent' | 'host' | 'port'>;
  /** The tags that survive the wipe. */
  keep: string[];
  /** Sets the limits every RUN step of the next build runs under (memory = memory+swap, pids, CPU). */
  setBuildLimits(l: SandboxLimits): Promise<void>;
  /** Runs a command in the builder container itself (trusted commands only). */
  exec(cmd: string[], timeoutMs?: number): Promise<{ code: number | null; out: string; err: string }>;
  /** Wipes the builder and hands it back. Call once. */
  release(): Promise<void>;
}

/**
 * Takes a free builder, starting it if need be, wiped clean and holding `images` (copied from the host's engine), for
 * one grading. Waits up to `waitMs` for one to be free. `inspectOnly` takes it as the last holder left it (tests look
 * at what a grading left behind); its release wipes it as always.
 */
export async function leaseBuilder(host: Docker, opts: { images: string[]; waitMs?: number; slot?: number; inspectOnly?: boolean }): Promise<BuilderLease> {
  const s = builderSettings();
  const end = Date.now() + (opts.waitMs ?? 10 * 60_000);
  for (;;) {
    const order = opts.slot !== undefined ? [opts.slot] : [...Array(s.count).keys()].sort(() => Math.random() - 0.5);
    for (const slot of order) {
      if (s.transport === 'socket') {
        if (!tryLock(slot, s)) continue;
        try {
          return await prepareLease(host, slot, s, opts.images, opts.inspectOnly, () => unlock(slot, s));
        } catch (e) {
          unlock(slot, s);
          throw e;
        }
      }
      // Exec transport: the lease is kept in the builder, shared by every worker of this Docker host.
      const name = builderName(slot, s);
      const running = await host
        .getContainer(name)
        .inspect()
        .then(
          (i) => i.State.Running,
          () => false,
        );
      if (running && !(await execLease((c, t) => execIn(host, name, c, t), 'take', LEASE_OWNER).catch(() => false))) continue;
      let beat: NodeJS.Timeout | undefined;
      const give = async () => {
        clearInterval(beat);
        await execLease((c, t) => execIn(host, name, c, t), 'give', LEASE_OWNER).catch(() => false);
      };
      try {
        await ensureBuilderRunning(host, slot, s);
        // Started or replaced just now (a new builder has no lease of ours): take it in the one that runs.
        if (
          !(await execLease((c, t) => execIn(host, name, c, t), 'renew', LEASE_OWNER).catch(() => false)) &&
          !(await execLease((c, t) => execIn(host, name, c, t), 'take', LEASE_OWNER))
        )
          continue;
        beat = setInterval(() => void execLease((c, t) => execIn(host, name, c, t), 'renew', LEASE_OWNER).catch(() => false), 20_000);
        beat.unref();
        return await prepareLease(host, slot, s, opts.images, opts.inspectOnly, give);
      } catch (e) {
        await give();
        throw e;
      }
    }
    if (Date.now() > end) throw new Error(`no learner-image builder was free within ${Math.round((opts.waitMs ?? 600_000) / 1000)} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function prepareLease(
  host: Docker,
  slot: number,
  s: BuilderSettings,
  images: string[],
  inspectOnly: boolean | undefined,
  unlockIt: () => void | Promise<void>,
): Promise<BuilderLease> {
  const inner = await ensureBuilderRunning(host, slot, s);
  const container = builderName(slot, s);
  const keep = [...new Set([...images, ...residentImages()])];
  if (!inspectOnly) {
    // The previous holder may have died before its wipe.
    await wipeBuilder(host, container, inner, keep);
    const t0 = Date.now();
    const did = await provideImages(host, inner, images);
    if (did.built.length || did.copied.length)
      process.stderr.write(
        `[builder ${slot}] built ${did.built.join(', ') || 'nothing'}, copied ${did.copied.join(', ') || 'nothing'} in ${Date.now() - t0} ms\n`,
      );
  }
  let released = false;
  return {
    slot,
    container,
    docker: inner,
    http:
      s.transport === 'socket'
        ? { socketPath: path.join(runDir(slot, s), 'docker.sock') }
        : { agent: (inner.modem as unknown as { agent: http.Agent }).agent, host: 'builder', port: 2375 },
    keep,
    async setBuildLimits(l: SandboxLimits) {
      const r = await execIn(host, container, [
        '/usr/local/bin/lms-cgroup',
        'limits',
        String(l.memoryMb),
        String(l.pids),
        String(Math.round(l.cpus * 100_000)),
      ]);
      if (r.code !== 0) throw new Error(`could not set the build limits in ${container}: ${r.err.slice(0, 300)}`);
    },
    exec: (cmd, timeoutMs) => execIn(host, container, cmd, timeoutMs),
    async release() {
      if (released) return;
      released = true;
      try {
        await wipeBuilder(host, container, inner, keep);
      } finally {
        await unlockIt();
      }
    },
  };
}
