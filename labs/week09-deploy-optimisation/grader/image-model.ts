/**
 * Which files end up in each stage of a Dockerfile, and so in the final image, worked out from the Dockerfile with
 * Docker's semantics: the build context after .dockerignore, COPY/ADD sources (files, folders, wildcards) and
 * destinations (resolved against WORKDIR, folder or file), variables expanded, `FROM <stage>` inheriting everything
 * that stage ever wrote (a later `rm` hides files but their bytes still ship in the earlier layer), `COPY --from`
 * taking only what is still there. What the lab's own commands write is known: the installer writes node_modules and,
 * without --omit=dev, the toolchain's cache; the build writes dist/. This is the reading used when the engine does not
 * list the built image's files (grader-kit/build-info.ts `added`), and the one that names Dockerfile lines.
 */
import path from 'node:path';
import { expandWord, varsAt, type Instruction, type ParsedDockerfile } from '../../../grader-kit/dockerfile';

export interface ModelFile {
  /** Absolute path in the stage's filesystem. */
  path: string;
  /** The context file it came from, or "generated:<what>". */
  origin: string;
  buildOnly: boolean;
  /** The instruction that put it there (in its own stage). */
  line: number;
  stage: number;
  /** Line of a RUN that deleted it later (the bytes stay in the layer that added them). */
  deletedAt?: number;
}

export interface StageModel {
  /** What the stage's filesystem holds at its end. */
  live: Map<string, ModelFile>;
  /** Everything its layers carry, deleted or not. */
  shipped: Map<string, ModelFile>;
}

// ---------------------------------------------------------------------------------------------------------------
// .dockerignore (moby/patternmatcher): one pattern a line, # comments, ! exceptions, ** for any depth, the last
// matching pattern wins, and a pattern matching a folder excludes what is in it.

function globRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${pattern
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < pattern.length) re += `\\${pattern[++i]}`;
    else re += c.replace(/[.+^${}()|/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function dockerignoreFilter(text: string | null): (file: string) => boolean {
  if (!text) return () => true;
  const rules = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const neg = l.startsWith('!');
      let p = (neg ? l.slice(1) : l).trim();
      p = path.posix.normalize(p).replace(/^\/+/, '').replace(/\/+$/, '');
      return { neg, re: globRegex(p === '.' ? '*' : p) };
    });
  return (file) => {
    const parts = file.split('/');
    let excluded = false;
    for (const r of rules) {
      // the file itself or any folder above it
      const hit = parts.some((_, k) => r.re.test(parts.slice(0, k + 1).join('/')));
      if (hit) excluded = !r.neg;
    }
    return !excluded;
  };
}

// ---------------------------------------------------------------------------------------------------------------

export interface Sources {
  /** Context files, after .dockerignore, as paths relative to the context root. */
  files: string[];
  isBuildOnly(contextPath: string): boolean;
}

/** Context files a COPY source names: the file itself, or everything under a folder; wildcards per segment. */
export function matchContext(src: string, files: string[]): { file: string; rel: string }[] {
  const s = path.posix.normalize(src.replace(/^\/+/, '')).replace(/\/+$/, '');
  if (s === '.' || s === '') return files.map((f) => ({ file: f, rel: f }));
  const wild = /[*?[]/.test(s);
  const re = wild ? globRegex(s) : null;
  const out: { file: string; rel: string }[] = [];
  for (const f of files) {
    const parts = f.split('/');
    for (let k = 1; k <= parts.length; k++) {
      const prefix = parts.slice(0, k).join('/');
      if (re ? re.test(prefix) : prefix === s) {
        // a folder's contents go into the destination, not the folder itself (wildcards included)
        out.push({ file: f, rel: k === parts.length ? path.posix.basename(f) : parts.slice(k).join('/') });
        break;
      }
    }
  }
  return out;
}

function expand(df: ParsedDockerfile, ins: Instruction, w: string): string {
  try {
    return expandWord(w, varsAt(df, ins), df.escape);
  } catch {
    return w;
  }
}

/** The WORKDIR in force at an instruction: the last WORKDIR before it along the stage and the stages it starts FROM. */
export function workdirAt(df: ParsedDockerfile, ins: Instruction): string {
  const chain: Instruction[][] = [];
  let s = df.stages[ins.stage];
  const seen = new Set<number>();
  while (s && !seen.has(s.index)) {
    seen.add(s.index);
    chain.unshift(s.instructions);
    s = s.parent.kind === 'stage' ? df.stages[s.parent.stage] : undefined;
  }
  let wd = '/';
  for (const list of chain) {
    for (const i of list) {
      if (i === ins || (i.stage === ins.stage && i.line >= ins.line)) return wd;
      if (i.op === 'WORKDIR') wd = path.posix.resolve(wd, expand(df, i, i.words.join(' ')));
    }
  }
  return wd;
}

/** Absolute paths a RUN removes with rm (the common forms: rm -rf a b/ c/*). */
function removedBy(run: string, cwd: string): string[] {
  const out: string[] = [];
  for (const cmd of run.split(/&&|;|\|\|/)) {
    const w = cmd.trim().split(/\s+/);
    if (w[0] !== 'rm') continue;
    for (const a of w.slice(1)) if (!a.startsWith('-')) out.push(path.posix.resolve(cwd, a.replace(/\/\*$/, '').replace(/^["']|["']$/g, '')));
  }
  return out;
}

/** Files of each stage, in Dockerfile order. */
export function modelStages(df: ParsedDockerfile, src: Sources): StageModel[] {
  const models: StageModel[] = [];
  const put = (m: StageModel, f: ModelFile) => {
    m.live.set(f.path, f);
    m.shipped.set(f.path, f);
  };
  for (const stage of df.stages) {
    const m: StageModel = { live: new Map(), shipped: new Map() };
    if (stage.parent.kind === 'stage' && models[stage.parent.stage]) {
      const p = models[stage.parent.stage]!;
      m.live = new Map(p.live);
      m.shipped = new Map(p.shipped);
    }
    for (const ins of stage.instructions) {
      const cwd = workdirAt(df, ins);
      if (ins.op === 'COPY' || ins.op === 'ADD') {
        const words = ins.json ? ins.words : ins.words.map((w) => expand(df, ins, w));
        if (words.length < 2 || ins.heredocs.length) continue;
        const dest = path.posix.resolve(cwd, words.at(-1)!);
        const destIsDir = words.at(-1)!.endsWith('/') || words.length > 2;
        const fromFlag = ins.flags.find((f) => f.name === 'from')?.value;
        const from = fromFlag != null ? expand(df, ins, fromFlag).toLowerCase() : undefined;
        const fromStage =
          from === undefined
            ? undefined
            : (df.stages.find((s) => s.index < stage.index && s.name === from) ??
              (/^\d+$/.test(from) && Number(from) < stage.index ? df.stages[Number(from)] : undefined));
        for (const s of words.slice(0, -1)) {
          if (from === undefined) {
            const hits = matchContext(s, src.files);
            const single = hits.length === 1 && hits[0]!.file === path.posix.normalize(s.replace(/^\/+/, '').replace(/^\.\//, ''));
            for (const h of hits) {
              const to = single && !destIsDir ? dest : path.posix.join(dest, h.rel);
              put(m, { path: to, origin: h.file, buildOnly: src.isBuildOnly(h.file), line: ins.line, stage: stage.index });
            }
          } else if (fromStage && models[fromStage.index]) {
            const root = path.posix.resolve('/', s);
            for (const f of models[fromStage.index]!.live.values()) {
              if (f.path !== root && !f.path.startsWith(root === '/' ? '/' : `${root}/`)) continue;
              const rel = f.path === root ? path.posix.basename(f.path) : path.posix.relative(root, f.path);
              const to = f.path === root && !destIsDir ? dest : path.posix.join(dest, rel);
              put(m, { ...f, path: to, line: ins.line, stage: stage.index, deletedAt: undefined });
            }
          }
        }
      } else if (ins.op === 'RUN') {
        const text = ins.args;
        const gen = (rel: string, what: string, buildOnly: boolean) =>
          put(m, { path: path.posix.resolve(cwd, rel), origin: `generated:${what}`, buildOnly, line: ins.line, stage: stage.index });
        if (/scripts\/install\.js/.test(text)) {
          gen('node_modules/greeting/index.js', 'the runtime dependencies', false);
          if (!/--omit[= ]dev/.test(text)) gen('toolchain/.cache/table-0.bin', "the toolchain's 6 MB cache", true);
        }
        if (/\bnpm\s+(ci|install|i)\b/.test(text)) gen('node_modules/greeting/index.js', 'the runtime dependencies', false);
        if (/scripts\/build\.js|npm\s+run\s+build/.test(text)) gen('dist/app.js', 'the build output', false);
        for (const gone of removedBy(text, cwd)) {
          for (const [p, f] of m.live) {
            if (p === gone || p.startsWith(`${gone}/`)) {
              m.live.delete(p);
              m.shipped.set(p, { ...f, deletedAt: ins.line });
            }
          }
        }
      }
    }
    models.push(m);
  }
  return models;
}
