/**
 * The grader kit: the small runtime every lab grader is built on. It runs inside the grader container
 * (Debian's Node 18), so it imports nothing from the web app and nothing that needs the network.
 *
 * Protocol: the engine writes the submission as a tar archive to the grader's stdin and closes it; the grader
 * prints exactly one JSON document (`graderOutput` in ./protocol.ts) on stdout and exits 0. Anything
 * else it wants to say goes to stderr, which the engine keeps (capped) for operators, never for the score.
 */
import { Readable } from 'node:stream';
import { extract } from 'tar-stream';
import { DEFAULT_SUBJECT_URL, formatProgress, KIT_STOPPED, SUBJECT_ENV, type CheckVerdict, type GraderVerdict, type Lang, type Msg } from './protocol';

export type { Lang, Msg, CheckVerdict, GraderVerdict } from './protocol';
export { PROGRESS_PREFIX, KIT_STOPPED } from './protocol';

/** A submission as the grader sees it: file path to bytes. */
export class Submission {
  constructor(readonly files: ReadonlyMap<string, Buffer>) {}

  has(path: string): boolean {
    return this.files.has(path);
  }

  /** The file as UTF-8 text, or null when absent. Invalid UTF-8 is reported by `isValidUtf8`. */
  text(path: string): string | null {
    const b = this.files.get(path);
    return b === undefined ? null : b.toString('utf8');
  }

  isValidUtf8(path: string): boolean {
    const b = this.files.get(path);
    if (b === undefined) return false;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(b);
      return true;
    } catch {
      return false;
    }
  }

  paths(): string[] {
    return [...this.files.keys()].sort();
  }
}

/** Thrown by a grade function when the submission is malformed: the result is `gradable: false` and costs no attempt. */
export class NotGradable extends Error {
  constructor(readonly msg: Msg) {
    super(typeof msg === 'string' ? msg : msg.en);
  }
}

/** Helper for a check with parts: points in proportion to the parts that passed. */
export function partial(id: string, maxPoints: number, parts: { ok: boolean; message: Msg }[]): CheckVerdict {
  const okCount = parts.filter((p) => p.ok).length;
  const failed = parts.filter((p) => !p.ok);
  const points = parts.length === 0 ? 0 : Math.round(((maxPoints * okCount) / parts.length) * 100) / 100;
  if (failed.length === 0) return { id, points: maxPoints, passed: true };
  return { id, points, passed: false, message: joinMsgs(failed.map((f) => f.message)) };
}

export function pass(id: string, maxPoints: number, message?: Msg): CheckVerdict {
  return { id, points: maxPoints, passed: true, message };
}

export function fail(id: string, message: Msg, points = 0): CheckVerdict {
  return { id, points, passed: false, message };
}

/** A message in both languages, as every grader writes them: `msg('한국어', 'English')`. */
export function msg(ko: string, en: string): { ko: string; en: string } {
  return { ko, en };
}

/** The message in one language. */
export function inLang(m: Msg, lang: Lang): string {
  return typeof m === 'string' ? m : m[lang];
}

export function joinMsgs(msgs: Msg[]): Msg {
  const ko = msgs.map((m) => (typeof m === 'string' ? m : m.ko)).join(' ');
  const en = msgs.map((m) => (typeof m === 'string' ? m : m.en)).join(' ');
  return { ko, en };
}

const MAX_ENTRIES = 500;
const MAX_TOTAL = 32 * 1024 * 1024;

/** Reads a tar archive into memory; the engine already checked names, this checks again (defence in depth). */
export async function readTar(input: Readable): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  let total = 0;
  const ex = extract();
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (header, stream, next) => {
      const name = header.name.replace(/^\.\//, '');
      if (header.type === 'directory') {
        stream.resume();
        stream.on('end', next);
        return;
      }
      if (header.type !== 'file' || name.startsWith('/') || name.split('/').includes('..') || files.size >= MAX_ENTRIES) {
        reject(new Error(`refused archive entry "${name}"`));
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => {
        if (!Buffer.isBuffer(c)) return;
        total += c.length;
        if (total > MAX_TOTAL) reject(new Error('archive too large'));
        chunks.push(c);
      });
      stream.on('end', () => {
        files.set(name, Buffer.concat(chunks));
        next();
      });
    });
    ex.on('finish', resolve);
    ex.on('error', reject);
  });
  input.pipe(ex);
  await done;
  return files;
}

/** Passed to a grade function: report each check as it completes, so the learner watches them fill in. */
export interface GradeContext {
  progress(check: CheckVerdict): void;
}

/**
 * Collects a grader's verdicts in order and streams each to the live view as it is decided (`ctx` absent in unit
 * tests): `const { checks, report } = reporter(ctx); report(checkA(x)); ...; return { gradable: true, checks }`.
 */
export function reporter(ctx: GradeContext | undefined): { checks: CheckVerdict[]; report: (c: CheckVerdict) => CheckVerdict } {
  const checks: CheckVerdict[] = [];
  return {
    checks,
    report: (c) => {
      checks.push(c);
      ctx?.progress(c);
      return c;
    },
  };
}

/** Said to the learner when the grader stopped on their submission; the checks it finished keep their verdicts. */
export function crashMessage(e: unknown): { ko: string; en: string } {
  const name = e instanceof Error ? e.name : typeof e;
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return {
      ko: '채점기가 제출물을 읽다가 호출 스택 한도를 넘어 멈췄습니다. 지나치게 깊은 중첩이나 끝없이 이어지는 참조(예: 아주 긴 needs 사슬)가 없는지 확인하세요. 멈추기 전에 끝난 항목은 그대로 채점되었고, 나머지는 채점하지 못했습니다.',
      en: 'The grader ran past its call stack limit while reading your submission. Look for extremely deep nesting or a chain of references with no end (such as a very long needs chain). Checks finished before it stopped are graded; the rest could not be checked.',
    };
  }
  return {
    ko: `채점기가 제출물을 채점하다가 오류(${name})로 멈췄습니다. 멈추기 전에 끝난 항목은 그대로 채점되었고, 나머지는 채점하지 못했습니다. 제출물이 문제가 아니라고 생각되면 강사에게 알려 주세요. 다시 채점할 수 있습니다.`,
    en: `The grader stopped with an error (${name}) while grading your submission. Checks finished before it stopped are graded; the rest could not be checked. If you believe your submission is fine, tell your instructor: it can be regraded.`,
  };
}

const NEVER_FINISHED = {
  ko: '채점기가 일어나지 않을 무언가를 기다리다가 결과 없이 끝났습니다(예: 제출한 프로그램이 끝내 응답하지 않음). 멈추기 전에 끝난 항목은 그대로 채점되었고, 나머지는 채점하지 못했습니다.',
  en: 'The grader was left waiting for something that could not happen any more (for example, your program never answering) and ended without a result. Checks finished before it stopped are graded; the rest could not be checked.',
};

/**
 * Runs a grade function as a grader process: submission from stdin, verdict to stdout, exactly once, whatever
 * happens in between.
 */
export async function runGrader(
  grade: (s: Submission, ctx: GradeContext) => Promise<GraderVerdict> | GraderVerdict,
  opts: { warmup?: () => Promise<unknown> } = {},
): Promise<void> {
  // Only the verdict goes to stdout: anything a grader (or a library it uses) logs goes to stderr, so it can never be
  // mistaken for the result.
  const toStderr = (...args: unknown[]) => console.error(...args);
  console.log = console.info = console.debug = toStderr;
  // Checks completed so far, so that a crash later keeps what was already decided.
  const done = new Map<string, CheckVerdict>();
  let written = false;
  // Exit as soon as the verdict is flushed: pending sockets or DNS lookups towards a dead subject must not keep
  // the grader alive until the engine's timeout.
  const write = (doc: GraderVerdict) => {
    if (written) return;
    written = true;
    process.stdout.write(JSON.stringify(doc) + '\n', () => process.exit(0));
  };
  // Whatever a submission makes the grader do (overflow its stack, throw in a callback, reject a promise nobody
  // awaits, leave it waiting for an event that never comes), the learner gets a verdict: the checks finished so far
  // and a message saying the grader stopped. The stack goes to stderr for the operator. Running out of memory or a
  // hard crash cannot be caught here; the engine gives those a result of its own (lib/grading/grade.ts).
  const crashed = (e: unknown, message = crashMessage(e)) => {
    if (written) return;
    if (e instanceof NotGradable) return write({ gradable: false, message: e.msg, checks: [] });
    process.stderr.write(`${KIT_STOPPED} ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    write({ gradable: true, message, checks: [...done.values()] });
  };
  process.on('uncaughtException', (e) => crashed(e));
  process.on('unhandledRejection', (e) => crashed(e));
  // Node exits quietly when nothing is left to wait for, even with the grade function unfinished.
  process.on('beforeExit', () => crashed(new Error('the event loop emptied before the grade function returned'), NEVER_FINISHED));

  // Warm up (load a WASM parser, read hidden data) while the submission is still on its way: in a pre-started
  // sandbox this happens before the learner even submits.
  const warm = opts.warmup ? opts.warmup().catch(() => undefined) : Promise.resolve();
  let files: Map<string, Buffer>;
  try {
    files = await readTar(process.stdin);
  } catch (e) {
    write({ gradable: false, message: `could not read the submission: ${(e as Error).message}`, checks: [] });
    return;
  }
  await warm;
  try {
    const ctx: GradeContext = {
      progress: (c) => {
        if (!done.has(c.id)) done.set(c.id, c);
        process.stderr.write(`${formatProgress(c)}\n`);
      },
    };
    write(await grade(new Submission(files), ctx));
  } catch (e) {
    crashed(e);
  }
}

/** For labs that run the learner's program: where the grader reaches it (set by the engine). */
export function subjectUrl(path = '/'): string {
  const base = process.env[SUBJECT_ENV.url] ?? DEFAULT_SUBJECT_URL;
  return base.replace(/\/$/, '') + path;
}

/** Waits until the learner's program answers HTTP at all; false when it never does within the time. */
export async function waitForSubject(timeoutMs = 10_000, path = '/'): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const r = await probe(path, { timeoutMs: Math.min(1000, Math.max(50, end - Date.now())) });
    if (!('error' in r)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** One HTTP request to the learner's program with a deadline; the body is capped so a flood cannot exhaust the grader. */
export async function probe(
  path: string,
  init: RequestInit & { timeoutMs?: number } = {},
): Promise<{ status: number; body: string; headers: Headers } | { error: string }> {
  const ctl = new AbortController();
  let t: NodeJS.Timeout | undefined;
  // A race as well as the abort signal: a DNS lookup for a container that is gone can outlive the signal.
  const deadline = new Promise<never>((_, reject) => {
    t = setTimeout(() => {
      ctl.abort();
      reject(Object.assign(new Error('no answer in time'), { name: 'AbortError' }));
    }, init.timeoutMs ?? 3000);
  });
  try {
    const r = await Promise.race([fetch(subjectUrl(path), { ...init, signal: ctl.signal }), deadline]);
    const reader = r.body?.getReader();
    let body = '';
    const dec = new TextDecoder();
    if (reader) {
      for (;;) {
        const { done, value } = await Promise.race([reader.read(), deadline]);
        if (done) break;
        body += dec.decode(value, { stream: true });
        if (body.length > 256 * 1024) {
          await reader.cancel();
          break;
        }
      }
    }
    return { status: r.status, body, headers: r.headers };
  } catch (e) {
    return { error: (e as Error).name === 'AbortError' ? 'no answer in time' : (e as Error).message };
  } finally {
    clearTimeout(t);
  }
}
