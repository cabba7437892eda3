import crypto from 'node:crypto';
/**
 * Images built from a learner's Dockerfile (the Docker and deploy-optimisation weeks). Built by the engine with no
 * network, memory = memory+swap, a CPU quota and a time limit, FROM local base images only; removed after the run.
 */
import type Docker from 'dockerode';
import { pack } from 'tar-stream';
import { BASE_IMAGE, ensureLearnerBaseImages } from './images';
import type { SandboxLimits } from './limits';
import type { SubmittedFile } from './tar';

/** The images a learner's Dockerfile may start FROM: all local, none pulled. */
export const LEARNER_BASE_IMAGES = [BASE_IMAGE, 'lms/node:18'];

export interface BuildStep {
  step: number;
  instruction: string;
  cached: boolean;
}

export interface BuildInfo {
  ok: boolean;
  error?: string;
  /** The build output, capped. */
  log: string;
  imageSize?: number;
  /** Size of the image the final stage starts FROM (when it is a base image): imageSize minus this is what the
   *  learner's Dockerfile added, comparable across machines whose base images differ. */
  baseImageSize?: number;
  layers?: { createdBy: string; size: number }[];
  steps?: BuildStep[];
  /** The steps of a second build after only the cache-probe file changed. */
  rebuildSteps?: BuildStep[];
  durationMs: number;
}

export function fromImages(dockerfile: string): { image: string; stage?: string; line: number }[] {
  const out: { image: string; stage?: string; line: number }[] = [];
  dockerfile.split('\n').forEach((raw, i) => {
    const m = /^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?\s*$/i.exec(raw);
    if (m) out.push({ image: m[1]!, stage: m[2]?.toLowerCase(), line: i + 1 });
  });
  return out;
}

/** Checks FROM lines before anything is built: local base images or earlier stages only. Returns a reason or null. */
export function checkBaseImages(dockerfile: string): string | null {
  const froms = fromImages(dockerfile);
  if (froms.length === 0) return 'the Dockerfile has no FROM line';
  const stages = new Set<string>();
  for (const f of froms) {
    const ok = LEARNER_BASE_IMAGES.includes(f.image) || stages.has(f.image.toLowerCase());
    if (!ok) return `Dockerfile line ${f.line}: FROM ${f.image} is not available here; use one of ${LEARNER_BASE_IMAGES.join(', ')}`;
    if (f.stage) stages.add(f.stage);
  }
  return null;
}

async function tarFiles(files: SubmittedFile[]): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    p.on('data', (c: unknown) => chunks.push(c as Buffer));
    p.on('end', () => resolve(Buffer.concat(chunks)));
    p.on('error', reject);
  });
  for (const f of files) p.entry({ name: f.path, mode: 0o644, size: f.content.length }, f.content);
  p.finalize();
  return done;
}

function parseSteps(log: string): BuildStep[] {
  const steps: BuildStep[] = [];
  const lines = log.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^Step (\d+)\/\d+ : (.*)$/.exec(lines[i]!);
    if (!m) continue;
    let cached = false;
    for (let j = i + 1; j < lines.length && !/^Step \d+\//.test(lines[j]!); j++) if (/Using cache/.test(lines[j]!)) cached = true;
    steps.push({ step: Number(m[1]), instruction: m[2]!.slice(0, 300), cached });
  }
  return steps;
}

async function buildOnce(docker: Docker, files: SubmittedFile[], dockerfile: string, tag: string, limits: SandboxLimits, labels: Record<string, string>): Promise<{ ok: boolean; log: string; error?: string }> {
  const ctx = await tarFiles(files);
  const stream = (await docker.buildImage(ctx as unknown as NodeJS.ReadableStream, {
    t: tag,
    dockerfile,
    networkmode: 'none',
    memory: limits.memoryMb * 1024 * 1024,
    memswap: limits.memoryMb * 1024 * 1024,
    cpuperiod: 100_000,
    cpuquota: Math.round(limits.cpus * 100_000),
    pull: false,
    rm: true,
    forcerm: true,
    labels,
  } as unknown as Docker.ImageBuildOptions)) as NodeJS.ReadableStream & { destroy?: () => void };
  let log = '';
  const cap = 64 * 1024;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      stream.destroy?.(); // closing the connection cancels a legacy build
      resolve({ ok: false, log, error: `the build did not finish within ${Math.round(limits.timeoutMs / 1000)} s` });
    }, limits.timeoutMs);
    docker.modem.followProgress(
      stream,
      (err: Error | null, out: { error?: string }[]) => {
        clearTimeout(timer);
        const failed = err?.message ?? out.find((o) => o.error)?.error;
        resolve(failed ? { ok: false, log, error: failed.slice(0, 1000) } : { ok: true, log });
      },
      (ev: { stream?: string; error?: string }) => {
        if (ev.stream && log.length < cap) log += ev.stream;
      },
    );
  });
}

export async function buildLearnerImage(
  docker: Docker,
  opts: { files: SubmittedFile[]; dockerfile: string; tag: string; limits: SandboxLimits; labels: Record<string, string>; cacheProbe?: string },
): Promise<BuildInfo> {
  const t0 = Date.now();
  const text = opts.files.find((f) => f.path === opts.dockerfile)?.content.toString('utf8');
  if (text === undefined) return { ok: false, error: `${opts.dockerfile} is missing`, log: '', durationMs: 0 };
  const bad = checkBaseImages(text);
  if (bad) return { ok: false, error: bad, log: '', durationMs: 0 };
  await ensureLearnerBaseImages(docker);
  const first = await buildOnce(docker, opts.files, opts.dockerfile, opts.tag, opts.limits, opts.labels);
  const info: BuildInfo = { ok: first.ok, error: first.error, log: first.log, steps: parseSteps(first.log), durationMs: 0 };
  if (first.ok) {
    const img = await docker.getImage(opts.tag).inspect();
    info.imageSize = img.Size;
    const froms = [...text.matchAll(/^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)/gim)].map((m) => m[1]!);
    const finalBase = froms.at(-1);
    if (finalBase && LEARNER_BASE_IMAGES.includes(finalBase)) info.baseImageSize = (await docker.getImage(finalBase).inspect()).Size;
    const history = (await docker.getImage(opts.tag).history()) as { CreatedBy: string; Size: number }[];
    info.layers = history.map((h) => ({ createdBy: h.CreatedBy.slice(0, 300), size: h.Size }));
    if (opts.cacheProbe && opts.files.some((f) => f.path === opts.cacheProbe)) {
      // The change must be one no earlier build has seen, or the builder finds even the "changed" layers in its
      // cache (a second grading of the same files would then look perfectly cached). A last line of 32 random
      // spaces and tabs is new every time and harmless in source files of any language.
      const nonce = Array.from(crypto.randomBytes(32), (b) => (b & 1 ? ' ' : '\t')).join('');
      const changed = opts.files.map((f) => (f.path === opts.cacheProbe ? { path: f.path, content: Buffer.concat([f.content, Buffer.from(`\n${nonce}\n`)]) } : f));
      const second = await buildOnce(docker, changed, opts.dockerfile, `${opts.tag}-probe`, opts.limits, opts.labels);
      info.rebuildSteps = second.ok ? parseSteps(second.log) : [];
      await docker.getImage(`${opts.tag}-probe`).remove({ force: true }).catch(() => {});
    }
  }
  info.durationMs = Date.now() - t0;
  return info;
}

export async function removeLearnerImage(docker: Docker, tag: string): Promise<void> {
  await docker.getImage(tag).remove({ force: true }).catch(() => {});
}
