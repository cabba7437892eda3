/**
 * For the labs that build the learner's Dockerfile (week 2). The configuration the final image gets from the Dockerfile, read with Docker's semantics: USER, EXPOSE and
 * HEALTHCHECK are inherited through `FROM <earlier stage>` (the last one written along the chain wins, EXPOSE adds up),
 * USER and EXPOSE expand ARG/ENV variables at build time, HEALTHCHECK does not (its shell form expands them when it
 * runs, its exec form never). Graders prefer the engine's `docker image inspect` of the built image when present
 * (grader-kit/build-info.ts); this is the reading that names the Dockerfile line, and the fallback.
 */
import path from 'node:path';
import { expandWord, varsAt, type ImageRef, type Instruction, type ParsedDockerfile } from './dockerfile';
import { stageChain } from './build-info';

export interface Located<T> {
  value: T;
  line: number;
  ins: Instruction;
}

/** The last instruction of a kind along the final stage's chain (final stage first). */
function lastAlongChain(df: ParsedDockerfile, op: string): Instruction | undefined {
  for (const s of stageChain(df)) {
    const found = s.instructions.filter((i) => i.op === op).at(-1);
    if (found) return found;
  }
  return undefined;
}

function expand(df: ParsedDockerfile, ins: Instruction, w: string): string {
  try {
    return expandWord(w, varsAt(df, ins), df.escape);
  } catch {
    return w;
  }
}

/** The image's USER as the builder records it (variables expanded), or undefined when nothing along the chain sets one. */
export function imageUser(df: ParsedDockerfile): Located<string> | undefined {
  const u = lastAlongChain(df, 'USER');
  if (!u) return undefined;
  return { value: expand(df, u, u.words.join(' ')).trim(), line: u.line, ins: u };
}

/** Is a USER value root? Empty (the default), `root`, uid 0, with or without a group. */
export function isRootUser(user: string | undefined): boolean {
  const name = (user ?? '').split(':')[0]!.trim();
  return name === '' || name === 'root' || /^0+$/.test(name);
}

export interface ExposedPort {
  from: number;
  to: number;
  protocol: string;
  line: number;
}

/** Every port EXPOSE declares along the chain, after variable expansion (`EXPOSE $PORT`, ranges, /tcp, /udp). */
export function imageExposed(df: ParsedDockerfile): { ports: ExposedPort[]; bad: { word: string; line: number }[] } {
  const ports: ExposedPort[] = [];
  const bad: { word: string; line: number }[] = [];
  for (const s of stageChain(df)) {
    for (const ins of s.instructions.filter((i) => i.op === 'EXPOSE')) {
      for (const w of ins.words) {
        const v = expand(df, ins, w);
        const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(v.trim());
        if (!m) bad.push({ word: `${w}${v !== w ? ` (= ${v || 'empty'})` : ''}`, line: ins.line });
        else ports.push({ from: Number(m[1]), to: Number(m[2] ?? m[1]), protocol: (m[3] ?? 'tcp').toLowerCase(), line: ins.line });
      }
    }
  }
  return { ports, bad };
}

export interface Healthcheck {
  /** Docker's Test array: ["NONE"], ["CMD", ...args] or ["CMD-SHELL", "command"]. */
  test: string[];
  line: number;
  ins: Instruction;
}

/** The HEALTHCHECK the image gets (the last one along the chain), as Docker stores it: no build-time expansion. */
export function imageHealthcheck(df: ParsedDockerfile): Healthcheck | undefined {
  const h = lastAlongChain(df, 'HEALTHCHECK');
  if (!h) return undefined;
  // The arguments after the --interval/--timeout/... options: NONE, or CMD and the command.
  const afterFlags = h.args.replace(/^(\s*--[a-z-]+(=\S*)?\s+)*/i, '').trim();
  if (/^NONE\s*$/i.test(afterFlags)) return { test: ['NONE'], line: h.line, ins: h };
  const m = /^CMD\s+([\s\S]*)$/i.exec(afterFlags);
  const cmd = m ? m[1]!.trim() : afterFlags;
  if (cmd.startsWith('[')) {
    try {
      const arr = JSON.parse(cmd) as unknown;
      if (Array.isArray(arr) && arr.every((x) => typeof x === 'string')) return { test: ['CMD', ...(arr as string[])], line: h.line, ins: h };
    } catch {
      /* not JSON: Docker runs it through the shell */
    }
  }
  return { test: ['CMD-SHELL', cmd], line: h.line, ins: h };
}

/** Splits a shell command into words, roughly (quotes kept together); enough to find the program and its arguments. */
function shellWords(s: string): string[] {
  return (s.match(/'[^']*'|"(?:\\.|[^"\\])*"|[^\s;&|]+/g) ?? []).map((w) => w.replace(/^['"]|['"]$/g, ''));
}

export interface HealthcheckReading {
  /** What runs: the program (basename) and its arguments, through `sh -c` when there is one. */
  program: string;
  args: string[];
  /** Whether variables such as $PORT are expanded when it runs (shell form, or an explicit shell). */
  shell: boolean;
  /** Text the check really runs: its arguments and any script file of the submission it names. */
  text: string;
  scripts: string[];
}

/** What a HEALTHCHECK runs, with the submitted script files it names read in (`node healthcheck.js`). */
export function readHealthcheck(h: Healthcheck, files: ReadonlyMap<string, string>): HealthcheckReading | undefined {
  if (h.test[0] === 'NONE') return undefined;
  let words = h.test[0] === 'CMD-SHELL' ? shellWords(h.test[1] ?? '') : h.test.slice(1);
  let shell = h.test[0] === 'CMD-SHELL';
  const base = (w: string | undefined) => path.posix.basename(w ?? '');
  if (['sh', 'bash', 'dash', 'ash'].includes(base(words[0])) && words[1] === '-c' && words[2] !== undefined) {
    words = shellWords(words[2]);
    shell = true;
  }
  while (['exec', 'env'].includes(base(words[0]))) words = words.slice(1);
  const program = base(words[0]);
  const args = words.slice(1);
  const scripts: string[] = [];
  let text = words.join(' ');
  for (const a of args) {
    if (!/\.(c|m)?js$|\.sh$/.test(a)) continue;
    const rel = a.replace(/^\.\//, '');
    const hit = [...files.keys()].find((p) => p === rel || rel.endsWith(`/${p}`) || p.endsWith(`/${rel}`));
    if (hit) {
      scripts.push(hit);
      text += `\n${files.get(hit)}`;
    }
  }
  return { program, args, shell, text, scripts };
}

/** Programs a health check may call that none of this lab's base images has (like the official slim images). */
export const ABSENT_PROGRAMS = ['curl', 'wget', 'nc', 'netcat', 'http', 'busybox'];

/** Does the check's text ask /healthz on the given port, in a form that still names the port when it runs? */
export function asksHealthEndpoint(r: HealthcheckReading, port: number): { ok: boolean; why?: 'no-path' | 'no-port' | 'exec-form-variable' } {
  if (!/\/healthz\b/.test(r.text)) return { ok: false, why: 'no-path' };
  if (new RegExp(`(^|[^0-9])${port}([^0-9]|$)`).test(r.text)) return { ok: true };
  if (/process\.env(\.PORT\b|\[\s*['"]PORT['"]\s*\])/.test(r.text)) return { ok: true };
  if (/\$\{?PORT\b/.test(r.text)) return r.shell || r.scripts.some((s) => s.endsWith('.sh')) ? { ok: true } : { ok: false, why: 'exec-form-variable' };
  return { ok: false, why: 'no-port' };
}

/** Tags that move to another release by design. */
const FLOATING = new Set(['latest', 'lts', 'current', 'stable', 'oldstable', 'testing', 'unstable', 'sid', 'edge', 'rolling']);
const OS_CODENAMES = new Set(['bullseye', 'bookworm', 'trixie', 'forky', 'focal', 'jammy', 'noble']);

/**
 * Does a reference pin the image? A digest does; a tag does when it names the version of what the image is for:
 * `node:26.12.1-bookworm-slim` and `node:26-bookworm-slim` do, `node:bookworm-slim` (the newest Node.js on bookworm),
 * `node:lts-slim` and `node` (latest) do not; for an operating system image the release (`debian:bookworm-slim`,
 * `debian:12-slim`) is the version.
 */
export function pinning(ref: ImageRef): { ok: true } | { ok: false; why: 'no-tag' | 'floating' | 'no-version' } {
  if (ref.digest) return { ok: true };
  if (!ref.tag) return { ok: false, why: 'no-tag' };
  const parts = ref.tag.toLowerCase().split('-');
  if (parts.some((p) => FLOATING.has(p))) return { ok: false, why: 'floating' };
  const repo = ref.repository.split('/').at(-1)!;
  if (/^\d/.test(parts[0]!)) return { ok: true };
  if (['debian', 'ubuntu'].includes(repo) && OS_CODENAMES.has(parts[0]!)) return { ok: true };
  return { ok: false, why: 'no-version' };
}
