/**
 * Images built from a learner's Dockerfile (the Docker and deploy-optimisation weeks). The Dockerfile passes the gate
 * (lib/grading/dockerfile-gate.ts) first; then BuildKit in a learner-image builder (lib/grading/builder.ts: no network,
 * the builder's limits around everything and the lab's limits around each RUN step, bounded disk) builds it, within
 * the lab's time limit. What the grader learns of the build comes from BuildKit's structured progress (vertexes with
 * their `cached` flag and errors, which no RUN step can print its way into) and from the image itself (config,
 * history, the files each layer beyond the base adds), never from text a step printed.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import { pack } from 'tar-stream';
import { imageName, type Instruction, type ParsedDockerfile, type Stage } from '../../grader-kit/dockerfile';
import type { AddedLayer, BuildInfo, BuildStep, ImageConfigInfo, LayerFile } from '../../grader-kit/protocol';
import { learnerBaseImages, learnerBaseSummary } from './learner-bases';
import { ignored, IgnoreSyntaxError, parseDockerignore, type IgnoreRule } from './dockerignore';
import type { BuilderLease } from './builder';
import { gateDockerfile, type GateNote, type GateResult } from './dockerfile-gate';
import type { SandboxLimits } from './limits';
import type { SubmittedFile } from './tar';

/** The images a learner's Dockerfile may start FROM (or copy from): all local, none pulled (lib/grading/learner-bases.ts). */
export const LEARNER_BASE_IMAGES: string[] = learnerBaseImages();

/** `.lms/build.json`: the engine↔grader contract (grader-kit/protocol.ts). */
export type { BuildInfo } from '../../grader-kit/protocol';

// ---------------------------------------------------------------------------------------------------------------
// BuildKit's progress: protobuf StatusResponse messages (moby/buildkit api/services/control), decoded by hand.

interface Vertex {
  digest: string;
  name: string;
  cached: boolean;
  started: boolean;
  completed: boolean;
  error?: string;
  order: number;
}

function pbFields(buf: Buffer): { no: number; v?: bigint; b?: Buffer }[] {
  const out: { no: number; v?: bigint; b?: Buffer }[] = [];
  let i = 0;
  const varint = () => {
    let r = 0n;
    let s = 0n;
    for (;;) {
      if (i >= buf.length) throw new Error('truncated varint');
      const b = buf[i++]!;
      r |= BigInt(b & 0x7f) << s;
      if (!(b & 0x80)) return r;
      s += 7n;
    }
  };
  while (i < buf.length) {
    const key = Number(varint());
    const no = key >>> 3;
    const wt = key & 7;
    if (wt === 0) out.push({ no, v: varint() });
    else if (wt === 2) {
      const n = Number(varint());
      out.push({ no, b: buf.subarray(i, i + n) });
      i += n;
    } else if (wt === 1) i += 8;
    else if (wt === 5) i += 4;
    else throw new Error(`unsupported wire type ${wt}`);
  }
  return out;
}

/** StatusResponse: 1 vertexes (1 digest, 3 name, 4 cached, 5 started, 6 completed, 7 error), 3 logs (1 vertex, 4 msg). */
function decodeStatus(buf: Buffer): { vertexes: Omit<Vertex, 'order'>[]; logs: { vertex: string; msg: Buffer }[] } {
  const vertexes: Omit<Vertex, 'order'>[] = [];
  const logs: { vertex: string; msg: Buffer }[] = [];
  for (const f of pbFields(buf)) {
    if (f.no === 1 && f.b) {
      const v = { digest: '', name: '', cached: false, started: false, completed: false } as Omit<Vertex, 'order'>;
      for (const g of pbFields(f.b)) {
        if (g.no === 1 && g.b) v.digest = g.b.toString('utf8');
        else if (g.no === 3 && g.b) v.name = g.b.toString('utf8');
        else if (g.no === 4) v.cached = g.v === 1n;
        else if (g.no === 5) v.started = true;
        else if (g.no === 6) v.completed = true;
        else if (g.no === 7 && g.b) v.error = g.b.toString('utf8');
      }
      vertexes.push(v);
    } else if (f.no === 3 && f.b) {
      let vertex = '';
      let msg: Buffer = Buffer.alloc(0);
      for (const g of pbFields(f.b)) {
        if (g.no === 1 && g.b) vertex = g.b.toString('utf8');
        else if (g.no === 4 && g.b) msg = g.b;
      }
      logs.push({ vertex, msg });
    }
  }
  return { vertexes, logs };
}

// ---------------------------------------------------------------------------------------------------------------
// One build.

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

interface OnceResult {
  ok: boolean;
  error?: string;
  vertexes: Vertex[];
  logs: Map<string, string>;
  imageId?: string;
}

const LOG_PER_STEP = 8 * 1024;

function buildOnce(
  lease: BuilderLease,
  context: Buffer,
  dockerfile: string,
  tag: string,
  limits: SandboxLimits,
  labels: Record<string, string>,
): Promise<OnceResult> {
  const q = new URLSearchParams({ version: '2', t: tag, dockerfile, networkmode: 'none', rm: '1', forcerm: '1', labels: JSON.stringify(labels) });
  const vertexes = new Map<string, Vertex>();
  const logs = new Map<string, string>();
  let imageId: string | undefined;
  let error: string | undefined;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: Partial<OnceResult>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ok: false, vertexes: [...vertexes.values()].sort((a, b) => a.order - b.order), logs, imageId, ...r });
    };
    const req = http.request({ ...lease.http, path: `/v1.41/build?${q}`, method: 'POST', headers: { 'Content-Type': 'application/x-tar' } }, (res) => {
      let buf = '';
      const onLine = (line: string) => {
        if (!line.trim()) return;
        let ev: { id?: string; aux?: unknown; error?: string; errorDetail?: { message?: string }; message?: string };
        try {
          ev = JSON.parse(line);
        } catch {
          return;
        }
        if (ev.id === 'moby.buildkit.trace' && typeof ev.aux === 'string') {
          let st: ReturnType<typeof decodeStatus>;
          try {
            st = decodeStatus(Buffer.from(ev.aux, 'base64'));
          } catch {
            return;
          }
          for (const v of st.vertexes) {
            const prev = vertexes.get(v.digest);
            vertexes.set(v.digest, {
              ...v,
              cached: v.cached || (prev?.cached ?? false),
              started: v.started || (prev?.started ?? false),
              completed: v.completed || (prev?.completed ?? false),
              error: v.error || prev?.error,
              order: prev?.order ?? vertexes.size,
            });
          }
          for (const l of st.logs) {
            const cur = logs.get(l.vertex) ?? '';
            if (cur.length < LOG_PER_STEP) logs.set(l.vertex, (cur + l.msg.toString('utf8')).slice(0, LOG_PER_STEP));
          }
        } else if (ev.id === 'moby.image.id' && ev.aux && typeof (ev.aux as { ID?: unknown }).ID === 'string') {
          imageId = (ev.aux as { ID: string }).ID;
        } else if (ev.error || ev.errorDetail) {
          error = (ev.errorDetail?.message ?? ev.error ?? 'the build failed').slice(0, 2000);
        } else if (res.statusCode !== 200 && ev.message) {
          error = ev.message.slice(0, 2000);
        }
      };
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        buf += d;
        let n: number;
        while ((n = buf.indexOf('\n')) >= 0) {
          onLine(buf.slice(0, n));
          buf = buf.slice(n + 1);
        }
        if (buf.length > 8 << 20) buf = '';
      });
      res.on('end', () => {
        onLine(buf);
        finish(error || res.statusCode !== 200 || !imageId ? { ok: false, error: error ?? `the builder answered ${res.statusCode}` } : { ok: true });
      });
      res.on('error', (e) => finish({ ok: false, error: e.message }));
    });
    // Closing the connection cancels the build (BuildKit stops its RUN steps); the wipe kills anything left.
    const timer = setTimeout(() => {
      req.destroy();
      finish({ ok: false, error: `the build did not finish within ${Math.round(limits.timeoutMs / 1000)} s` });
    }, limits.timeoutMs);
    req.on('error', (e) => finish({ ok: false, error: `the builder could not be reached: ${e.message}` }));
    req.end(context);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// From vertexes back to the Dockerfile.

/** Instructions that become build steps (vertexes) in BuildKit; ENV, ARG, LABEL, USER, CMD... only change the config. */
const STEP_OPS = new Set(['FROM', 'RUN', 'COPY', 'ADD', 'WORKDIR']);
const VERTEX_NAME = /^\[(?:(\S+) )?(\d+)\/(\d+)\] ([\s\S]*)$/;

function stageOfPrefix(df: ParsedDockerfile, prefix: string | undefined): Stage | undefined {
  if (prefix === undefined) return df.stages.length === 1 ? df.stages[0] : df.stages.at(-1);
  const m = /^stage-(\d+)$/.exec(prefix);
  if (m) return df.stages[Number(m[1])];
  return df.stages.find((s) => s.name === prefix.toLowerCase());
}

/** The Dockerfile instruction each step vertex ran, in Dockerfile order; the failed step (if any) last. */
function stepsFromVertexes(df: ParsedDockerfile, vertexes: Vertex[]): BuildStep[] {
  const steps: (BuildStep & { at: number })[] = [];
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
  for (const v of vertexes) {
    const m = VERTEX_NAME.exec(v.name);
    if (!m) continue;
    const stage = stageOfPrefix(df, m[1]);
    if (!stage) continue;
    const text = m[4]!;
    const op = text.split(/\s/, 1)[0]!.toUpperCase();
    const ops = stage.instructions.filter((i) => STEP_OPS.has(i.op));
    let ins: Instruction | undefined = ops[Number(m[2]) - 1];
    if (!ins || ins.op !== op)
      ins = stage.instructions.find((i) => i.op === op && norm(`${i.op} ${i.args}`) === norm(text)) ?? stage.instructions.find((i) => i.op === op);
    if (!ins) continue;
    if (!v.started && !v.cached && !v.error) continue;
    const idx = df.instructions.indexOf(ins);
    steps.push({
      step: idx + 1,
      instruction: text.slice(0, 300),
      cached: v.cached,
      line: ins.line,
      stage: stage.index,
      ...(v.error ? { error: v.error.slice(0, 1000) } : {}),
      at: idx,
    });
  }
  steps.sort((a, b) => Number(Boolean(a.error)) - Number(Boolean(b.error)) || a.at - b.at);
  return steps.map(({ at: _at, ...s }) => s);
}

function readableLog(steps: BuildStep[], vertexes: Vertex[], logs: Map<string, string>, error?: string): string {
  let out = '';
  for (const v of vertexes) {
    if (!VERTEX_NAME.test(v.name) && !v.error) continue;
    out += `#${v.order} ${v.name}${v.cached ? ' CACHED' : ''}\n`;
    const l = logs.get(v.digest);
    if (l) out += l.replace(/\n?$/, '\n');
    if (v.error) out += `ERROR: ${v.error}\n`;
    if (out.length > 64 * 1024) break;
  }
  if (error && !out.includes(error)) out += `ERROR: ${error}\n`;
  void steps;
  return out.slice(0, 64 * 1024);
}

// ---------------------------------------------------------------------------------------------------------------
// The image built.

function imageConfig(cfg: Record<string, unknown> | undefined): ImageConfigInfo {
  const c = (cfg ?? {}) as {
    User?: string;
    ExposedPorts?: Record<string, unknown> | null;
    Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; Retries?: number } | null;
    Cmd?: string[] | null;
    Entrypoint?: string[] | null;
    Env?: string[] | null;
    WorkingDir?: string;
    Volumes?: Record<string, unknown> | null;
  };
  return {
    user: c.User ?? '',
    exposedPorts: Object.keys(c.ExposedPorts ?? {}),
    healthcheck: c.Healthcheck
      ? {
          test: c.Healthcheck.Test,
          interval: c.Healthcheck.Interval,
          timeout: c.Healthcheck.Timeout,
          startPeriod: c.Healthcheck.StartPeriod,
          retries: c.Healthcheck.Retries,
        }
      : null,
    cmd: c.Cmd ?? null,
    entrypoint: c.Entrypoint ?? null,
    env: c.Env ?? [],
    workingDir: c.WorkingDir ?? '',
    volumes: Object.keys(c.Volumes ?? {}),
  };
}

const MAX_FILES = 2000;

/** The final image's layers beyond its root image, with the files each adds, read from the builder's layer store. */
async function addedLayers(lease: BuilderLease, tag: string, root: string | undefined): Promise<AddedLayer[] | undefined> {
  const img = (await lease.docker.getImage(tag).inspect()) as unknown as {
    Id: string;
    RootFS: { Layers?: string[] };
    GraphDriver: { Name: string; Data: Record<string, string> };
  };
  if (img.GraphDriver.Name !== 'overlay2') return undefined;
  const layers = img.RootFS.Layers ?? [];
  let base = 0;
  if (root) {
    const r = (await lease.docker.getImage(root).inspect()) as unknown as { RootFS: { Layers?: string[] } };
    const rl = r.RootFS.Layers ?? [];
    if (rl.every((l, i) => layers[i] === l)) base = rl.length;
  }
  const dirs = [...(img.GraphDriver.Data.LowerDir ? img.GraphDriver.Data.LowerDir.split(':').reverse() : []), img.GraphDriver.Data.UpperDir].filter(
    Boolean,
  ) as string[];
  if (dirs.length !== layers.length) return undefined;
  // The image's config (in the engine's image store) says which history entries made a layer.
  const cfg = await lease.exec(['cat', `/var/lib/docker/image/overlay2/imagedb/content/sha256/${img.Id.replace(/^sha256:/, '')}`]);
  let history: { created_by?: string; empty_layer?: boolean }[] = [];
  try {
    history = ((JSON.parse(cfg.out) as { history?: typeof history }).history ?? []).filter((h) => !h.empty_layer);
  } catch {
    /* createdBy left empty */
  }
  const wanted = dirs.slice(base);
  if (!wanted.length) return [];
  const listing = await lease.exec(
    [
      'sh',
      '-c',
      `for d in "$@"; do printf '@@LAYER\\0'; du -sb "$d" | cut -f1 | tr '\\n' '\\0'; find "$d" -mindepth 1 -printf '%y\\t%s\\t%P\\0' | head -z -n ${MAX_FILES + 1}; done`,
      'sh',
      ...wanted,
    ],
    60_000,
  );
  const out: AddedLayer[] = [];
  let total = 0;
  const parts = listing.out.split('\0');
  let cur: AddedLayer | undefined;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p === '@@LAYER') {
      const k = out.length;
      cur = { createdBy: (history[base + k]?.created_by ?? '').slice(0, 300), size: Number(parts[++i]) || 0, files: [] };
      out.push(cur);
      continue;
    }
    if (!cur || !p) continue;
    const [y, size, ...rest] = p.split('\t');
    const file = rest.join('\t');
    if (total >= MAX_FILES) {
      cur.truncated = true;
      continue;
    }
    const type: LayerFile['type'] = y === 'f' ? 'file' : y === 'd' ? 'dir' : y === 'l' ? 'link' : y === 'c' && size === '0' ? 'whiteout' : 'other';
    cur.files.push({ path: file, size: Number(size) || 0, type });
    total++;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

async function baseImageSizes(lease: BuilderLease): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const byTag = new Map<string, number>();
  for (const img of await lease.docker.listImages()) for (const t of img.RepoTags ?? []) byTag.set(t, img.Size);
  for (const t of LEARNER_BASE_IMAGES) if (byTag.has(t)) out[t] = byTag.get(t)!;
  return out;
}

/** The ignore file the docker CLI would read for this Dockerfile: `<Dockerfile>.dockerignore` first, then `.dockerignore`. */
function ignoreFileOf(files: SubmittedFile[], dockerfile: string): SubmittedFile | undefined {
  return files.find((f) => f.path === `${dockerfile}.dockerignore`) ?? files.find((f) => f.path === '.dockerignore');
}

/** The context the learner's own `docker build` would send: the submitted files less what the ignore file leaves out. */
export function learnerContext(
  files: SubmittedFile[],
  dockerfile: string,
  rules?: IgnoreRule[],
): { files: SubmittedFile[]; ignoreFile?: string; excluded: string[] } {
  const ignore = ignoreFileOf(files, dockerfile);
  if (!ignore) return { files, excluded: [] };
  const r = rules ?? parseDockerignore(ignore.content.toString('utf8'));
  const kept: SubmittedFile[] = [];
  const excluded: string[] = [];
  for (const f of files) {
    if (f.path !== dockerfile && f.path !== ignore.path && ignored(r, f.path)) excluded.push(f.path);
    else kept.push(f);
  }
  return { files: kept, ignoreFile: ignore.path, excluded };
}

/** The gate, before any builder is taken: a refused Dockerfile gets a BuildInfo that says why, with lines. */
export function gateLearnerDockerfile(
  files: SubmittedFile[],
  dockerfile: string,
): { gate: GateResult; info?: undefined } | { gate?: undefined; info: BuildInfo } {
  const text = files.find((f) => f.path === dockerfile)?.content.toString('utf8');
  if (text === undefined) return { info: { ok: false, error: `${dockerfile} is missing`, log: '', durationMs: 0 } };
  const gate = gateDockerfile(text, LEARNER_BASE_IMAGES, learnerBaseSummary());
  if (!gate.ok)
    return {
      info: {
        ok: false,
        error: gate.refusals[0]!.message.en,
        refused: gate.refusals,
        notes: gate.notes,
        log: gate.refusals.map((r) => r.message.en).join('\n'),
        durationMs: 0,
      },
    };
  // A malformed ignore pattern stops the docker CLI before it sends anything; it stops the build here too.
  const ignore = ignoreFileOf(files, dockerfile);
  if (ignore) {
    try {
      parseDockerignore(ignore.content.toString('utf8'));
    } catch (e) {
      if (!(e instanceof IgnoreSyntaxError)) throw e;
      const at = `${ignore.path}:${e.line}`;
      const refused: GateNote[] = [
        {
          line: e.line,
          file: ignore.path,
          message: {
            ko: `${at}: 패턴 ${JSON.stringify(e.pattern)}의 문법이 잘못되었습니다(닫히지 않은 [ 나 끝에 남은 \\). docker build도 여기서 멈춥니다.`,
            en: `${at}: the pattern ${JSON.stringify(e.pattern)} is malformed (an unclosed [ or a trailing \\); docker build stops here too.`,
          },
        },
      ];
      return { info: { ok: false, error: refused[0]!.message.en, refused, log: refused[0]!.message.en, durationMs: 0 } };
    }
  }
  return { gate };
}

export async function buildLearnerImage(
  lease: BuilderLease,
  opts: {
    files: SubmittedFile[];
    dockerfile: string;
    gate: GateResult;
    tag: string;
    limits: SandboxLimits;
    labels: Record<string, string>;
    cacheProbe?: string;
  },
): Promise<BuildInfo> {
  const t0 = Date.now();
  const df = opts.gate.parsed;
  // What the learner's own docker build would send: less what the ignore file leaves out, the Dockerfile as gated.
  const withDockerfile = (files: SubmittedFile[]) =>
    learnerContext(files, opts.dockerfile).files.map((f) => (f.path === opts.dockerfile ? { path: f.path, content: Buffer.from(opts.gate.dockerfile) } : f));
  const ctx = learnerContext(opts.files, opts.dockerfile);
  await lease.setBuildLimits(opts.limits);
  const version = await lease.docker.version().then(
    (v) => v.Version,
    () => 'unknown',
  );
  const first = await buildOnce(lease, await tarFiles(withDockerfile(opts.files)), opts.dockerfile, opts.tag, opts.limits, opts.labels);
  const steps = stepsFromVertexes(df, first.vertexes);
  const info: BuildInfo = {
    ok: first.ok,
    ...(first.error ? { error: first.error } : {}),
    ...(opts.gate.notes.length ? { notes: opts.gate.notes } : {}),
    log: readableLog(steps, first.vertexes, first.logs, first.error),
    steps,
    builder: { kind: 'buildkit', version },
    ...(ctx.ignoreFile ? { context: { ignoreFile: ctx.ignoreFile, excluded: ctx.excluded.slice(0, 200) } } : {}),
    baseImages: await baseImageSizes(lease),
    durationMs: 0,
  };
  if (first.ok) {
    const img = await lease.docker.getImage(opts.tag).inspect();
    info.imageSize = img.Size;
    info.image = imageConfig(img.Config as unknown as Record<string, unknown>);
    const final = df.stages.at(-1);
    const root = final && final.root !== 'scratch' ? imageName(final.root) : undefined;
    const rootLocal = root && LEARNER_BASE_IMAGES.includes(root) ? root : undefined;
    if (rootLocal) {
      info.rootImage = rootLocal;
      info.rootImageSize = (await lease.docker.getImage(rootLocal).inspect()).Size;
      info.baseImageSize = info.rootImageSize;
    } else if (final?.root === 'scratch') {
      info.rootImage = 'scratch';
      info.rootImageSize = 0;
    }
    const history = (await lease.docker.getImage(opts.tag).history()) as { CreatedBy: string; Size: number }[];
    info.layers = history.map((h) => ({ createdBy: h.CreatedBy.slice(0, 300), size: h.Size }));
    info.added = await addedLayers(lease, opts.tag, rootLocal).catch(() => undefined);
    if (opts.cacheProbe && opts.files.some((f) => f.path === opts.cacheProbe)) {
      // The change must be one no earlier build has seen, or the builder finds even the "changed" layers in its
      // cache (a second grading of the same files would then look perfectly cached). A last line of 32 random
      // spaces and tabs is new every time and harmless in source files of any language.
      const nonce = Array.from(crypto.randomBytes(32), (b) => (b & 1 ? ' ' : '\t')).join('');
      const changed = opts.files.map((f) =>
        f.path === opts.cacheProbe ? { path: f.path, content: Buffer.concat([f.content, Buffer.from(`\n${nonce}\n`)]) } : f,
      );
      const second = await buildOnce(lease, await tarFiles(withDockerfile(changed)), opts.dockerfile, `${opts.tag}-probe`, opts.limits, opts.labels);
      info.rebuildSteps = second.ok ? stepsFromVertexes(df, second.vertexes) : [];
    }
  }
  info.durationMs = Date.now() - t0;
  return info;
}
