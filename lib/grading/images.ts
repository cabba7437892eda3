/**
 * Grader images: one per lab, tagged with a hash of everything that goes into it, so a changed grader rebuilds and
 * an unchanged one is reused. Built with the legacy builder (no BuildKit here) from a tar made in memory.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type Docker from 'dockerode';
import { pack } from 'tar-stream';
import { getEnv } from '../env';
import { projectRoot, type Lab } from '../labs/registry';
import { ensureLearnerNodeImages, LEGACY_NODE_BASE } from './learner-bases';

/** The Debian image the runtime and grader images build on (LMS_BASE_IMAGE). */
export const baseImage = (): string => getEnv().LMS_BASE_IMAGE;
const LABEL_KIND = 'lms.kind';

function walkFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const abs = path.join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.isFile()) out.push(abs);
    }
  };
  walk(dir);
  return out.sort();
}

function hashFiles(files: string[], extra: string[] = []): string {
  const h = crypto.createHash('sha256');
  for (const x of extra) h.update(x).update('\0');
  const root = projectRoot();
  for (const f of files) h.update(path.relative(root, f)).update('\0').update(fs.readFileSync(f)).update('\0');
  return h.digest('hex').slice(0, 16);
}

export function runtimeImageTag(): string {
  const dockerfile = path.join(projectRoot(), 'images', 'runtime-node', 'Dockerfile');
  return `lms-runtime-node:${hashFiles([dockerfile], [baseImage()])}`;
}

function externalsOf(lab: Lab): string[] {
  const f = path.join(lab.dir, 'grader', 'externals.json');
  return fs.existsSync(f) ? (JSON.parse(fs.readFileSync(f, 'utf8')) as string[]) : [];
}

/** Packages copied into the image: each external and, recursively, its dependencies. */
function externalPackageDirs(lab: Lab): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (name: string) => {
    if (out.has(name)) return;
    const dir = path.join(projectRoot(), 'node_modules', name);
    if (!fs.existsSync(path.join(dir, 'package.json'))) throw new Error(`${lab.manifest.id}: external package ${name} is not installed`);
    out.set(name, dir);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep);
  };
  for (const e of externalsOf(lab)) visit(e);
  return out;
}

/** The grader image's tag: a hash of the lab's grader sources, manifest, the grader kit, externals and the runtime. */
export function graderImageTag(lab: Lab): string {
  const root = projectRoot();
  const files = [
    ...walkFiles(path.join(lab.dir, 'grader')).filter((f) => !f.endsWith('.test.ts')),
    path.join(lab.dir, 'lab.yaml'),
    ...walkFiles(path.join(root, 'grader-kit')).filter((f) => !f.endsWith('.test.ts')),
    // How graders are bundled is part of what they are.
    path.join(root, 'lib', 'grading', 'images.ts'),
  ];
  const versions = [...externalPackageDirs(lab).entries()].map(([n, d]) => `${n}@${JSON.parse(fs.readFileSync(path.join(d, 'package.json'), 'utf8')).version}`);
  return `lms-grader-${lab.manifest.id}:${hashFiles(files, [runtimeImageTag(), ...versions])}`;
}

export async function imageExists(docker: Docker, tag: string): Promise<boolean> {
  try {
    await docker.getImage(tag).inspect();
    return true;
  } catch {
    return false;
  }
}

async function tarDir(entries: { name: string; abs?: string; content?: Buffer }[]): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    p.on('data', (c: unknown) => chunks.push(c as Buffer));
    p.on('end', () => resolve(Buffer.concat(chunks)));
    p.on('error', reject);
  });
  for (const e of entries) {
    const content = e.content ?? fs.readFileSync(e.abs!);
    p.entry({ name: e.name, mode: 0o644, size: content.length }, content);
  }
  p.finalize();
  return done;
}

export async function buildImage(
  docker: Docker,
  context: Buffer,
  tag: string,
  buildargs: Record<string, string>,
  labels: Record<string, string>,
): Promise<void> {
  const stream = await docker.buildImage(
    context as unknown as NodeJS.ReadableStream,
    { t: tag, buildargs, labels, rm: true, forcerm: true, pull: false } as Docker.ImageBuildOptions,
  );
  const lines: string[] = [];
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null, out: { error?: string }[]) => {
        const failed = err ?? out.find((o) => o.error);
        if (failed) reject(new Error(`building ${tag} failed: ${err ? err.message : (failed as { error: string }).error}\n${lines.slice(-20).join('')}`));
        else resolve();
      },
      (ev: { stream?: string }) => {
        if (ev.stream) lines.push(ev.stream);
      },
    );
  });
}

export async function ensureRuntimeImage(docker: Docker): Promise<string> {
  const tag = runtimeImageTag();
  if (await imageExists(docker, tag)) return tag;
  const dockerfile = path.join(projectRoot(), 'images', 'runtime-node', 'Dockerfile');
  const ctx = await tarDir([{ name: 'Dockerfile', abs: dockerfile }]);
  await buildImage(docker, ctx, tag, { BASE_IMAGE: baseImage() }, { [LABEL_KIND]: 'runtime' });
  return tag;
}

const DEFAULT_GRADER_DOCKERFILE = `ARG RUNTIME_IMAGE
FROM \${RUNTIME_IMAGE}
COPY --chown=0:0 . /grader/
USER 10001:10001
WORKDIR /tmp
CMD ["node", "/grader/grader.cjs"]
`;

/**
 * Packages whose ESM build for Node reaches for `createRequire(import.meta.url)`, which a CommonJS bundle cannot
 * honour (import.meta is empty there): resolve them to their CommonJS entry instead, from the importing file.
 */
function cjsEntryFor(names: string[]): import('esbuild').Plugin {
  const filter = new RegExp(`^(${names.map((n) => n.replace(/[/.]/g, '\\$&')).join('|')})$`);
  return {
    name: 'cjs-entry',
    setup(b) {
      b.onResolve({ filter }, (args) => ({ path: createRequire(args.importer || path.join(process.cwd(), 'x.js')).resolve(args.path) }));
    },
  };
}

export interface GraderContext {
  tag: string;
  /** The build context (a tar): the bundled grader, lab.yaml, externals, hidden data and the Dockerfile. */
  context: Buffer;
  buildargs: Record<string, string>;
  labels: Record<string, string>;
  /** Built FROM the runtime image with no RUN step (the default Dockerfile): it can be built on any engine that has the runtime. */
  plain: boolean;
}

const contexts = new Map<string, GraderContext>();

/** Whether the lab's grader image is the default one (no grader/Dockerfile of its own). */
export function hasPlainGraderImage(lab: Lab): boolean {
  return !fs.existsSync(path.join(lab.dir, 'grader', 'Dockerfile'));
}

/**
 * What a lab's grader image is built from (bundled with esbuild on the host: npm inside a container meets a TLS proxy
 * here). Remembered per tag for the process's life (a few recent ones), so the builders can build the same image.
 */
export async function graderBuildContext(lab: Lab): Promise<GraderContext> {
  const tag = graderImageTag(lab);
  const known = contexts.get(tag);
  if (known) return known;
  const { build } = await import('esbuild');
  const externals = externalPackageDirs(lab);
  const out = await build({
    entryPoints: [path.join(lab.dir, 'grader', 'index.ts')],
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    write: false,
    external: [...externals.keys()],
    plugins: [cjsEntryFor(['@kubernetes-models/validate'])],
    logLevel: 'silent',
    legalComments: 'none',
  });
  const entries: { name: string; abs?: string; content?: Buffer }[] = [{ name: 'grader.cjs', content: Buffer.from(out.outputFiles[0]!.contents) }];
  entries.push({ name: 'lab.yaml', abs: path.join(lab.dir, 'lab.yaml') });
  for (const [name, dir] of externals) {
    for (const f of walkFiles(dir)) entries.push({ name: `node_modules/${name}/${path.relative(dir, f)}`, abs: f });
  }
  // Hidden test data (series, logs, events) lives in the image only, never in what the learner downloads.
  const dataDir = path.join(lab.dir, 'grader', 'data');
  for (const f of walkFiles(dataDir)) entries.push({ name: `data/${path.relative(dataDir, f)}`, abs: f });
  const custom = path.join(lab.dir, 'grader', 'Dockerfile');
  const plain = hasPlainGraderImage(lab);
  entries.push({ name: 'Dockerfile', content: plain ? Buffer.from(DEFAULT_GRADER_DOCKERFILE) : fs.readFileSync(custom) });
  const ctx: GraderContext = {
    tag,
    context: await tarDir(entries),
    buildargs: { RUNTIME_IMAGE: runtimeImageTag() },
    labels: { [LABEL_KIND]: 'grader', 'lms.lab': lab.manifest.id },
    plain,
  };
  contexts.set(tag, ctx);
  while (contexts.size > 6) contexts.delete(contexts.keys().next().value!);
  return ctx;
}

/** Bundles the grader and builds its image on this engine. */
export async function buildGraderImage(docker: Docker, lab: Lab, opts: { force?: boolean } = {}): Promise<string> {
  const tag = graderImageTag(lab);
  if (!opts.force && (await imageExists(docker, tag))) return tag;
  await ensureRuntimeImage(docker);
  const c = await graderBuildContext(lab);
  await buildImage(docker, c.context, tag, c.buildargs, c.labels);
  return tag;
}

/** Builds every lab's grader image that is missing on this Docker host (the runtime image first). */
export async function ensureGraderImages(docker: Docker, labs: Lab[], log: (m: string) => void = () => {}): Promise<Map<string, string>> {
  const tags = new Map<string, string>();
  for (const lab of labs) {
    const tag = graderImageTag(lab);
    if (!(await imageExists(docker, tag))) {
      const t0 = Date.now();
      await buildGraderImage(docker, lab);
      log(`built ${tag} in ${Date.now() - t0} ms`);
    }
    tags.set(lab.manifest.id, tag);
  }
  return tags;
}

/**
 * `lms/node:18` (the runtime image as a learner's Dockerfile expects a Node base to behave: root by default, like the
 * official node images): its build context. Rebuilt when the runtime changes (label `lms.runtime`).
 */
export async function legacyNodeBaseContext(): Promise<{ context: Buffer; runtime: string; labels: Record<string, string> }> {
  const runtime = runtimeImageTag();
  return {
    runtime,
    context: await tarDir([{ name: 'Dockerfile', content: Buffer.from(`FROM ${runtime}\nUSER root\nWORKDIR /\n`) }]),
    labels: { [LABEL_KIND]: 'learner-base', 'lms.runtime': runtime },
  };
}

/**
 * Every learner base on this engine (lib/grading/learner-bases.ts): the official-looking Node bases (built from
 * images/learner-node when missing or stale) and `lms/node:18`.
 */
export async function ensureLearnerBaseImages(docker: Docker, log: (m: string) => void = () => {}): Promise<void> {
  await ensureRuntimeImage(docker);
  const legacy = await legacyNodeBaseContext();
  const info = await docker
    .getImage(LEGACY_NODE_BASE)
    .inspect()
    .catch(() => null);
  if (info?.Config?.Labels?.['lms.runtime'] !== legacy.runtime) await buildImage(docker, legacy.context, LEGACY_NODE_BASE, {}, legacy.labels);
  await ensureLearnerNodeImages(docker, log);
}

/** The Debian release the builder engine is installed from (trixie: a current docker.io with BuildKit 0.13; LMS_BUILDER_BASE_IMAGE). */
export const builderBaseImage = (): string => getEnv().LMS_BUILDER_BASE_IMAGE;

/** The builder image's tag: a hash of images/builder and its base. */
function builderImageTag(): string {
  const dir = path.join(projectRoot(), 'images', 'builder');
  return `lms-builder:${hashFiles(walkFiles(dir), [builderBaseImage()])}`;
}

/**
 * The image of the learner-image builder (images/builder: Debian's docker.io, installed by apt inside `docker build`
 * on this engine). Needs builderBaseImage(), which `bin/lms` pulls or bootstraps (cli/images.ts).
 */
export async function ensureBuilderImage(docker: Docker): Promise<string> {
  const tag = builderImageTag();
  if (await imageExists(docker, tag)) return tag;
  if (!(await imageExists(docker, builderBaseImage())))
    throw new Error(`the builder's base image ${builderBaseImage()} is missing; run bin/lms images build (or bin/lms up)`);
  const dir = path.join(projectRoot(), 'images', 'builder');
  const ctx = await tarDir(walkFiles(dir).map((abs) => ({ name: path.relative(dir, abs), abs })));
  await buildImage(docker, ctx, tag, { BASE_IMAGE: builderBaseImage() }, { [LABEL_KIND]: 'builder' });
  return tag;
}
