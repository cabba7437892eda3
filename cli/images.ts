import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { baseImage, builderBaseImage, imageExists } from '../lib/grading/images';
import { aptInstall, CliError, log, run, which } from './sh';
import { ensureDocker } from './services';

/**
 * Makes sure the base image the Dockerfiles name exists. A registry is tried first (briefly); where none can be
 * reached, a minimal Debian bookworm is bootstrapped with debootstrap and imported under the same tag, so every
 * `FROM` resolves without a pull.
 */
export async function ensureBaseImage(docker: Docker): Promise<void> {
  await ensureDebianImage(docker, baseImage());
}

/** The Debian image the learner-image builder is installed from (debian:trixie-slim), the same way. */
async function ensureBuilderBaseImage(docker: Docker): Promise<void> {
  await ensureDebianImage(docker, builderBaseImage());
}

async function ensureDebianImage(docker: Docker, tag: string): Promise<void> {
  if (await imageExists(docker, tag)) return;
  log(`base image ${tag} is missing; trying a pull`);
  const pulled = await Promise.race([
    new Promise<boolean>((resolve) => {
      docker.pull(tag, (err: Error | null, stream: NodeJS.ReadableStream) => {
        if (err) return resolve(false);
        docker.modem.followProgress(stream, (e: Error | null) => resolve(!e));
      });
    }),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 20_000)),
  ]);
  if (pulled && (await imageExists(docker, tag))) return;
  const suite = /^debian:(bookworm|trixie)(-slim)?$/.exec(tag)?.[1];
  if (!suite) throw new CliError(`cannot pull ${tag} and can only bootstrap debian:bookworm and debian:trixie images`);
  if (!which('debootstrap')) await aptInstall(['debootstrap'], `no registry reachable to pull ${tag}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-rootfs-'));
  try {
    log(`bootstrapping Debian ${suite} (minbase) for ${tag}; about 30 s`);
    await run('debootstrap', ['--variant=minbase', suite, dir], { quiet: true });
    // Like the official slim images: no package lists or apt caches in the image.
    for (const sub of ['var/lib/apt/lists', 'var/cache/apt']) {
      for (const e of fs.existsSync(path.join(dir, sub)) ? fs.readdirSync(path.join(dir, sub)) : [])
        if (e !== 'partial' && e !== 'archives') fs.rmSync(path.join(dir, sub, e), { recursive: true, force: true });
    }
    await run('sh', ['-c', `tar -C "${dir}" -c . | docker import - "${tag}"`], { quiet: true });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  log(`imported ${tag}`);
}

/** The Node base the app's Dockerfile builds FROM where no registry is reachable. */
const LOCAL_NODE_IMAGE = 'lms/node:20-bookworm-slim';

/**
 * Builds LOCAL_NODE_IMAGE from the Debian base and this machine's own Node and npm (the host is Debian bookworm too,
 * so the binary's libraries are there), with a `node` user like the official image. Elsewhere NODE_IMAGE is simply
 * the official node:20-bookworm-slim.
 */
export async function ensureLocalNodeImage(docker: Docker): Promise<string> {
  if (await imageExists(docker, LOCAL_NODE_IMAGE)) return LOCAL_NODE_IMAGE;
  await ensureBaseImage(docker);
  const npmDir = path.join(path.dirname(fs.realpathSync(process.execPath)), '..', 'lib', 'node_modules', 'npm');
  if (!fs.existsSync(path.join(npmDir, 'bin', 'npm-cli.js'))) throw new CliError(`cannot find npm next to ${process.execPath} (looked in ${npmDir})`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-node-image-'));
  try {
    fs.copyFileSync(fs.realpathSync(process.execPath), path.join(dir, 'node'));
    fs.cpSync(npmDir, path.join(dir, 'npm'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'Dockerfile'),
      [
        `FROM ${baseImage()}`,
        'COPY node /usr/local/bin/node',
        'COPY npm /usr/local/lib/node_modules/npm',
        'RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \\',
        ' && groupadd --gid 1000 node && useradd --uid 1000 --gid node --create-home node && node --version && npm --version',
        '',
      ].join('\n'),
    );
    log(`building ${LOCAL_NODE_IMAGE} from this machine's Node ${process.version}`);
    await run('docker', ['build', '-q', '-t', LOCAL_NODE_IMAGE, dir], { quiet: true });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return LOCAL_NODE_IMAGE;
}

/** Extra CA certificates the machine trusts (a TLS-intercepting proxy's), for npm inside `docker build`. */
export function extraCaCerts(): string {
  const dir = '/usr/local/share/ca-certificates';
  if (!fs.existsSync(dir)) return '';
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.crt'))
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8').trim())
    .join('\n');
}

/**
 * What the learner-image builders need on this engine: the learner bases (Debian bookworm and trixie, the Node bases
 * built from images/learner-node with Node from the npm registry, lms/node:18), and the builder image (Debian trixie's
 * docker.io, installed by apt inside `docker build`). The builders themselves start on first use (lib/grading/builder.ts).
 */
async function prepareBuilder(docker: Docker): Promise<void> {
  const { ensureBuilderImage, ensureLearnerBaseImages } = await import('../lib/grading/images');
  const { LEARNER_DEBIAN_IMAGES } = await import('../lib/grading/learner-bases');
  await ensureBuilderBaseImage(docker);
  // The Debian images a learner may start FROM, and that the Node bases (images/learner-node) are built on.
  for (const tag of LEARNER_DEBIAN_IMAGES) await ensureDebianImage(docker, tag);
  await ensureLearnerBaseImages(docker, log);
  await ensureBuilderImage(docker);
}

/**
 * Every image the worker and the workspaces need, built when missing (`force`: the grader images rebuilt): the base,
 * the runtime and grader images, the learner-image builder and its bases, the workspace images.
 */
export async function prepareImages(force = false): Promise<void> {
  const docker = await ensureDocker();
  await ensureBaseImage(docker);
  const { listLabs } = await import('../lib/labs/registry');
  const { ensureGraderImages, buildGraderImage, ensureRuntimeImage } = await import('../lib/grading/images');
  await ensureRuntimeImage(docker);
  if (force) for (const lab of listLabs()) await buildGraderImage(docker, lab, { force: true });
  else await ensureGraderImages(docker, listLabs(), log);
  // The learner-image builders (Dockerfile labs): their base, the learner bases and the builder image.
  await prepareBuilder(docker);
  // The workspace images (lib/workspaces/images.ts): the common base and one per lab with `workspace:`.
  const { ensureWorkspaceImages } = await import('../lib/workspaces/images');
  await ensureWorkspaceImages(docker, listLabs(), log);
}
