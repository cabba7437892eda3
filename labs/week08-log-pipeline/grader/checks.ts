/**
 * Week 8 grader: the learner's log processor (process.js) runs in the subject container behind the lab's harness
 * (grader/harness.js, an HTTP server that runs `node process.js` with a POSTed body as stdin). The grader feeds it the
 * hidden logs in data/ and compares what comes back with the expected records written next to each log
 * (data/<log>.expected.json, made by make-data.mjs from the records the log was built from). The harness runs beside
 * learner code, so everything it reports is treated as the learner's behaviour and checked here.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { msg as both, partial, fail, type CheckVerdict, type GradeContext, type GraderVerdict, type Msg, type Submission } from '../../../grader-kit/index';
import { checkCommonJsSources, findCodeLine, waitForPort } from '../../../grader-kit/subject';

export interface Config {
  /** Where the harness listens, e.g. http://127.0.0.1:8080. */
  subjectUrl: string;
  /** The hidden logs and their expected records. */
  dataDir: string;
  /** How long the harness may take to open its port. */
  startupMs?: number;
}

// ---------------------------------------------------------------------------------------------------------------
// The submission, read statically only to refuse what cannot run and to point at lines in messages.

export function checkSource(sub: Submission): void {
  checkCommonJsSources(sub, 'process.js');
}

/** "process.js:12" for the first code line (process.js first) that every pattern matches; null if none. */
export function findLine(sub: Submission, ...patterns: RegExp[]): string | null {
  return findCodeLine(sub, 'process.js', ...patterns);
}

function at(sub: Submission, ...alternatives: RegExp[][]): string {
  // Last resort: where the input is read, which every program has.
  for (const pats of [...alternatives, [/on\(\s*['"](line|data)['"]/], [/readline|process\.stdin/]]) {
    const l = findLine(sub, ...pats);
    if (l) return l;
  }
  return 'process.js';
}

// ---------------------------------------------------------------------------------------------------------------
// Expected data.

export interface Want {
  time: string;
  ip: string;
  method: string;
  path: string;
  status: number;
  bytes: number;
  /** The user agent as logged (escapes kept) ... */
  ua: string;
  /** ... or decoded (\xHH, \" and \\ undone): either is accepted. */
  uaDecoded: string;
}

export interface ExpLine {
  line: number;
  kind: '5xx' | 'other' | 'malformed';
  text: string;
  /** For a malformed line: what makes it so, and which part of a program decides it. */
  why?: { part: 'parse' | 'time' | 'status'; ko: string; en: string };
  want?: Want;
  near?: Partial<Want>;
}

export interface Expected {
  log: string;
  malformed: number;
  fivexx: number;
  lines: ExpLine[];
}

export interface Input {
  name: string;
  body: Buffer;
  expected: Expected | null;
}

export function loadInputs(dataDir: string): Input[] {
  const read = (name: string): Input => ({
    name: `${name}.log`,
    body: fs.readFileSync(path.join(dataDir, `${name}.log`)),
    expected: JSON.parse(fs.readFileSync(path.join(dataDir, `${name}.expected.json`), 'utf8')) as Expected,
  });
  return [read('access'), read('edge'), read('garbage'), { name: '(empty input)', body: Buffer.alloc(0), expected: null }];
}

// ---------------------------------------------------------------------------------------------------------------
// Talking to the harness.

export interface RunResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  truncated: boolean;
}

const MAX_ANSWER = 16 * 1024 * 1024;

/** One POST /run with a deadline and a capped answer; anything but a well-formed harness answer is `{ error }`. */
export function runOnce(base: string, body: Buffer, timeoutMs = 14_000): Promise<RunResult | { error: string }> {
  const u = new URL('/run', base);
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: RunResult | { error: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const req = http.request(
      {
        host: u.hostname,
        port: Number(u.port),
        path: u.pathname,
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'content-length': String(body.length) },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_ANSWER) {
            done({ error: 'the answer was too large' });
            res.destroy();
          } else chunks.push(c);
        });
        res.on('error', () => done({ error: 'the connection broke' }));
        res.on('end', () => {
          try {
            const doc = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
            if (
              (typeof doc.code !== 'number' && doc.code !== null) ||
              typeof doc.stdout !== 'string' ||
              typeof doc.stderr !== 'string' ||
              typeof doc.timedOut !== 'boolean'
            ) {
              done({ error: 'the harness answered something unexpected' });
              return;
            }
            done({
              code: doc.code as number | null,
              signal: typeof doc.signal === 'string' ? doc.signal : null,
              stdout: doc.stdout,
              stderr: doc.stderr,
              timedOut: doc.timedOut,
              truncated: doc.truncated === true,
            });
          } catch {
            done({ error: 'the harness answered something unexpected' });
          }
        });
      },
    );
    const timer = setTimeout(() => {
      done({ error: 'no answer in time' });
      req.destroy();
    }, timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => done({ error: e.code === 'ECONNREFUSED' ? 'connection refused' : e.message }));
    req.end(body);
  });
}

export { waitForPort };

// ---------------------------------------------------------------------------------------------------------------
// Reading the output.

export interface Parsed {
  /** Objects recovered from stdout (line by line, or by scanning when the lines are not JSON). */
  objects: Record<string, unknown>[];
  /** Non-empty stdout lines. */
  lineCount: number;
  /** The first line that is not a JSON object (1-based), with its text. */
  badLine: { n: number; text: string } | null;
}

const MAX_OBJECTS = 20_000;

export function parseOutput(stdout: string): Parsed {
  const lines = stdout.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const objects: Record<string, unknown>[] = [];
  let badLine: Parsed['badLine'] = null;
  for (let i = 0; i < lines.length && objects.length < MAX_OBJECTS; i++) {
    const l = lines[i]!.replace(/\r$/, '');
    let v: unknown;
    try {
      v = JSON.parse(l);
    } catch {
      v = undefined;
    }
    if (v && typeof v === 'object' && !Array.isArray(v)) objects.push(v as Record<string, unknown>);
    else if (!badLine) badLine = { n: i + 1, text: l };
  }
  if (badLine) {
    // Pretty-printed JSON or objects behind a prefix: recover what is there, so the other checks can still judge it.
    const scanned = scanObjects(stdout);
    if (scanned.length > objects.length) return { objects: scanned, lineCount: lines.length, badLine };
  }
  return { objects, lineCount: lines.length, badLine };
}

/**
 * Finds top-level {...} values in text (string-aware), parsing each one that is valid JSON. Linear in the text: a
 * balanced span that is not valid JSON is skipped whole (its inner objects are not looked for), and an unbalanced one
 * ends the scan, so output such as a megabyte of "{" cannot keep the grader busy.
 */
function scanObjects(text: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let i = 0;
  while (i < text.length && out.length < MAX_OBJECTS) {
    const start = text.indexOf('{', i);
    if (start < 0) break;
    let depth = 0;
    let inStr = false;
    let j = start;
    for (; j < text.length; j++) {
      const c = text[j];
      if (inStr) {
        if (c === '\\') j++;
        else if (c === '"') inStr = false;
      } else if (c === '"') inStr = true;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) break;
    }
    if (j >= text.length) break;
    try {
      const v = JSON.parse(text.slice(start, j + 1)) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) out.push(v as Record<string, unknown>);
    } catch {
      /* not JSON: skip the whole span */
    }
    i = j + 1;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Matching output objects to log lines.

export const KEYS = ['time', 'ip', 'method', 'path', 'status', 'bytes', 'ua'] as const;
type Key = (typeof KEYS)[number];

/** ISO 8601 in UTC: toISOString()'s form, or without the fraction, with more fraction digits, or +00:00 for Z. */
const ISO_UTC = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|\+00:00)$/;

/** Milliseconds since the epoch of an ISO_UTC string; NaN for anything else. */
export function utcMillis(s: string): number {
  const m = ISO_UTC.exec(s);
  if (!m) return NaN;
  const base = Date.parse(`${m[1]}Z`);
  if (Number.isNaN(base) || new Date(base).toISOString().slice(0, 19) !== m[1]) return NaN;
  return base + Math.round(Number(`0.${m[2] ?? '0'}`) * 1000);
}

/** Whether an output value is right for a field, strictly (the fields check). */
export function fieldOk(key: Key, got: unknown, w: Want): boolean {
  switch (key) {
    case 'time':
      return typeof got === 'string' && utcMillis(got) === Date.parse(w.time);
    case 'status':
      return got === w.status;
    case 'bytes':
      return got === w.bytes;
    case 'ua':
      return got === w.ua || got === w.uaDecoded;
    default:
      return got === w[key];
  }
}

/** Loose equality used only to recognise which line an output came from (a wrong type still identifies it). */
function looseEq(key: Key, got: unknown, want: unknown): boolean {
  if (want === undefined || got === undefined || got === null) return false;
  if (key === 'status' || key === 'bytes')
    return got === want || (typeof got === 'string' && got.trim() !== '' && Number(got) === want) || (key === 'bytes' && got === '-' && want === 0);
  if (key === 'time') {
    const g = Date.parse(String(got));
    return typeof want === 'string' && !Number.isNaN(g) && g === Date.parse(want);
  }
  return got === want;
}

function score(o: Record<string, unknown>, l: ExpLine): number {
  if (l.want) {
    let s = 0;
    for (const k of KEYS) {
      if (k === 'ua') s += o.ua === l.want.ua || o.ua === l.want.uaDecoded ? 1 : 0;
      else s += looseEq(k, o[k], l.want[k]) ? 1 : 0;
    }
    return s;
  }
  let s = 0;
  for (const k of KEYS) if (l.near && k in l.near) s += looseEq(k, o[k], l.near[k as keyof Want]) ? 1 : 0;
  return s;
}

export interface Match {
  obj: Record<string, unknown>;
  line: ExpLine | null;
  duplicate: boolean;
}

/** Lexicographic comparison of two ranking keys. */
function better(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return false;
}

/** Matches each output object, in order, to the log line it most likely came from (at least 3 fields agreeing). */
export function matchOutputs(objects: Record<string, unknown>[], exp: Expected): Match[] {
  const used = new Set<number>();
  const out: Match[] = [];
  let last = 0;
  for (const obj of objects) {
    let best: ExpLine | null = null;
    let bestKey = [-1, -1, -1, -1];
    for (const l of exp.lines) {
      const s = score(obj, l);
      if (s < 3) continue;
      // Prefer: more agreeing fields, a line not matched yet, a line at or after the last one matched, the earliest.
      const key = [s, used.has(l.line) ? 0 : 1, l.line >= last ? 1 : 0, -l.line];
      if (better(key, bestKey)) {
        best = l;
        bestKey = key;
      }
    }
    if (best) {
      out.push({ obj, line: best, duplicate: used.has(best.line) });
      used.add(best.line);
      last = best.line;
    } else out.push({ obj, line: null, duplicate: false });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Judging.

const clip = (s: string, n = 140) => JSON.stringify(s.length > n ? s.slice(0, n) + '…' : s);
const cut = (s: string, n = 120) => (s.length > n ? s.slice(0, n) + '…' : s);
const lastLine = (s: string) =>
  s
    .split('\n')
    .map((x) => x.trim())
    .filter(Boolean)
    .pop() ?? '';

interface RunObs {
  input: Input;
  result: RunResult | { error: string };
  parsed: Parsed | null;
  matches: Match[];
}

/** The error line of a crash ("RangeError: Invalid time value"), else the last line on stderr. */
function errorLine(stderr: string): string {
  const lines = stderr.split('\n').map((x) => x.trim());
  return lines.find((l) => /^([A-Z]\w*)?Error\b.*:/.test(l)) ?? lastLine(stderr);
}

/** Where a crash happened, from the stack trace on stderr ("process.js:12"), when it names a submitted file. */
function crashWhere(r: RunResult | { error: string }, sub: Submission): string | null {
  if ('error' in r || r.code === 0) return null;
  const files = new Set(sub.paths());
  for (const m of r.stderr.matchAll(/([\w.-]+\.js):(\d+)/g)) if (files.has(m[1]!)) return `${m[1]}:${m[2]}`;
  return null;
}

function exitDesc(r: RunResult | { error: string }, lang: 'ko' | 'en'): string {
  if ('error' in r) return lang === 'ko' ? `실행 결과를 받지 못했습니다 (${r.error})` : `no result came back (${r.error})`;
  if (r.timedOut)
    return lang === 'ko'
      ? '10초 안에 끝나지 않아 종료시켰습니다 (입력이 끝난 뒤에도 기다리고 있나요?)'
      : 'it did not finish within 10 s and was killed (does it keep waiting after the input ends?)';
  if (r.truncated) return lang === 'ko' ? '출력이 1 MiB를 넘어 종료시켰습니다' : 'it wrote more than 1 MiB and was killed';
  if (r.signal === 'SIGKILL')
    return lang === 'ko'
      ? 'SIGKILL로 종료되었습니다 (메모리를 너무 많이 썼을 수 있습니다)'
      : 'it was killed by SIGKILL (most likely for using too much memory)';
  if (r.signal) return lang === 'ko' ? `시그널 ${r.signal}로 종료되었습니다` : `it was killed by ${r.signal}`;
  const err = errorLine(r.stderr);
  return lang === 'ko' ? `종료 코드 ${r.code}${err ? `, stderr: ${clip(err, 160)}` : ''}` : `exit code ${r.code}${err ? `, stderr: ${clip(err, 160)}` : ''}`;
}

const exitedOk = (r: RunResult | { error: string }) => !('error' in r) && !r.timedOut && !r.truncated && r.code === 0;

/** Where in the program each part of the work happens, for messages to point at. */
type Where = Record<'read' | 'parse' | 'status' | 'time' | 'json' | 'stderr' | 'stdout', string>;

/** What every check reads: the runs of the four inputs, what came out of the two logs with records, and where. */
interface Seen {
  sub: Submission;
  runs: RunObs[];
  where: Where;
  access: RunObs;
  edge: RunObs;
  garbage: RunObs;
  empty: RunObs;
  /** The logs whose records are compared with the expected ones. */
  content: RunObs[];
  allMatches: { r: RunObs; m: Match }[];
  anyOutput: boolean;
}

const loc = (r: RunObs, l: ExpLine) => `${r.input.name} ${l.line}`;

function observe(sub: Submission, runs: RunObs[]): Seen {
  const where: Where = {
    read: at(sub, [/readline|process\.stdin/], [/on\(\s*['"](line|data|end)['"]/]),
    parse: at(sub, [/new RegExp|\/\^|\.exec\(|\.match\(/], [/\.split\(/], [/readline|process\.stdin/]),
    status: at(sub, [/>=?\s*5\d\d|<\s*600|\/\s*100|startsWith\(\s*['"]5|\[5\]|5\\d\\d/], [/status/], [/new RegExp|\/\^|\.exec\(|\.match\(/]),
    time: at(sub, [/toISOString|Date\.UTC/], [/new Date/], [/time/i]),
    json: at(sub, [/JSON\.stringify/], [/console\.log|process\.stdout/]),
    stderr: at(sub, [/console\.error|process\.stderr|console\.warn/], [/skip/i]),
    stdout: at(sub, [/console\.log|process\.stdout/], [/JSON\.stringify/]),
  };
  const byName = (n: string) => runs.find((r) => r.input.name === n)!;
  const access = byName('access.log');
  const edge = byName('edge.log');
  const content = [access, edge];
  return {
    sub,
    runs,
    where,
    access,
    edge,
    garbage: byName('garbage.log'),
    empty: byName('(empty input)'),
    content,
    allMatches: content.flatMap((r) => r.matches.map((m) => ({ r, m }))),
    anyOutput: (access.parsed?.objects.length ?? 0) > 0,
  };
}

export function judge(sub: Submission, runs: RunObs[]): CheckVerdict[] {
  const seen = observe(sub, runs);
  const { where } = seen;
  // The runner is gone (the program killed its parent, or everything it could see): say that, not "exit code".
  if (runs.every((r) => 'error' in r.result && /connection|socket|ECONNRESET|refused/i.test(r.result.error))) {
    const killer = findLine(sub, /process\.kill|\.kill\(|kill\s+-|pkill|killall/) ?? where.read;
    const msg = both(
      `프로그램을 실행하는 하네스가 실행 도중 응답을 멈췄습니다. process.js가 부모 프로세스나 보이는 프로세스를 모두 종료시키지는 않나요? (${killer})`,
      `The runner that starts your program stopped answering while it ran: does process.js kill its parent process, or every process it can see? (${killer})`,
    );
    return CHECK_IDS.map((id) => fail(id, msg));
  }
  return [checkRuns(seen), checkOnly5xx(seen), checkFields(seen), checkBadLines(seen), checkJsonLines(seen)];
}

/** runs: the program reads both logs to the end and exits 0, and writes nothing for empty input. */
function checkRuns({ sub, where, access, edge, empty }: Seen): CheckVerdict {
  const bad = [access, edge].find((r) => !exitedOk(r.result));
  const emptyOut = !('error' in empty.result) ? empty.result.stdout.trim() : '';
  return partial('runs', 1, [
    {
      ok: !bad,
      message: bad
        ? both(
            `${bad.input.name}를 입력했을 때: ${exitDesc(bad.result, 'ko')} (${crashWhere(bad.result, sub) ?? where.read}).`,
            `With ${bad.input.name} as input: ${exitDesc(bad.result, 'en')} (${crashWhere(bad.result, sub) ?? where.read}).`,
          )
        : '',
    },
    {
      ok: exitedOk(empty.result) && emptyOut === '',
      message: !exitedOk(empty.result)
        ? both(`빈 입력일 때: ${exitDesc(empty.result, 'ko')} (${where.read}).`, `With empty input: ${exitDesc(empty.result, 'en')} (${where.read}).`)
        : both(
            `빈 입력인데 표준 출력에 ${clip(emptyOut, 80)}을(를) 썼습니다 (${where.stdout}).`,
            `With empty input it still wrote ${clip(emptyOut, 80)} on stdout (${where.stdout}).`,
          ),
    },
  ]);
}

/** only-5xx: every 5xx line is passed on, once, and nothing else. */
function checkOnly5xx({ where, content, allMatches, anyOutput, access }: Seen): CheckVerdict {
  if (!anyOutput) {
    const why =
      access.parsed && access.parsed.lineCount > 0
        ? both('표준 출력에서 JSON 객체를 찾지 못했습니다', 'no JSON object was found on stdout')
        : both('표준 출력에 아무것도 없습니다', 'nothing was written on stdout');
    return fail('only-5xx', both(`access.log를 입력했을 때 ${why.ko} (${where.json}).`, `With access.log as input, ${why.en} (${where.json}).`));
  } else {
    const wrong = allMatches.find(({ m }) => m.line === null || m.line.kind === 'other' || m.duplicate);
    const withCount = (m: { ko: string; en: string }, n: number): Msg =>
      n > 1 ? both(`${m.ko} (5xx가 아닌 출력 모두 ${n}개)`, `${m.en} (${n} such objects in all)`) : m;
    const wrongMsg = (): { ko: string; en: string } => {
      const { r, m } = wrong!;
      if (m.line === null)
        return both(
          `${r.input.name}의 출력 중 입력의 어느 5xx 줄과도 맞지 않는 객체가 있습니다: ${clip(JSON.stringify(m.obj))} (${where.status}).`,
          `An object in the output for ${r.input.name} matches no 5xx line of the input: ${clip(JSON.stringify(m.obj))} (${where.status}).`,
        );
      if (m.duplicate)
        return both(
          `${loc(r, m.line)}번째 줄이 두 번 이상 출력되었습니다 (${where.stdout}).`,
          `${r.input.name} line ${m.line.line} was written more than once (${where.stdout}).`,
        );
      return both(
        `${loc(r, m.line)}번째 줄은 상태 코드가 ${m.line.want!.status}인데 출력되었습니다: ${clip(m.line.text)} (${where.status}).`,
        `${r.input.name} line ${m.line.line} has status ${m.line.want!.status} but was passed on: ${clip(m.line.text)} (${where.status}).`,
      );
    };
    const wrongCount = allMatches.filter(({ m }) => m.line === null || m.line.kind === 'other' || m.duplicate).length;
    const missed = content.flatMap((r) =>
      (r.input.expected?.lines ?? []).filter((l) => l.kind === '5xx' && !r.matches.some((m) => m.line?.line === l.line)).map((l) => ({ r, l })),
    );
    const total5xx = content.reduce((s, r) => s + (r.input.expected?.fivexx ?? 0), 0);
    return partial('only-5xx', 3, [
      {
        ok: wrongCount === 0,
        message: wrongCount ? withCount(wrongMsg(), wrongCount) : '',
      },
      {
        ok: missed.length === 0,
        message: missed.length
          ? both(
              `5xx 줄 ${total5xx}개 중 ${missed.length}개가 출력되지 않았습니다. 예: ${loc(missed[0]!.r, missed[0]!.l)}번째 줄 ${clip(missed[0]!.l.text)} (${where.parse}).`,
              `${missed.length} of the ${total5xx} 5xx lines were not passed on, e.g. ${missed[0]!.r.input.name} line ${missed[0]!.l.line}: ${clip(missed[0]!.l.text)} (${where.parse}).`,
            )
          : '',
      },
    ]);
  }
}

/** fields: each record passed on carries the seven fields of its line, as the lab defines them. */
function checkFields({ where, allMatches }: Seen): CheckVerdict {
  const pairs = allMatches.filter(({ m }) => m.line?.kind === '5xx' && !m.duplicate);
  if (pairs.length === 0) {
    return fail(
      'fields',
      both(
        `5xx 줄에서 나온 출력이 하나도 없어 필드를 확인할 수 없습니다 (${where.parse}).`,
        `No output came from a 5xx line, so no field can be checked (${where.parse}).`,
      ),
    );
  } else {
    const fieldWhere: Record<Key, string> = {
      time: where.time,
      ip: where.parse,
      method: where.parse,
      path: where.parse,
      status: where.status,
      bytes: where.parse,
      ua: where.parse,
    };
    const expectText = (k: Key, w: Want): string =>
      k === 'ua' && w.ua !== w.uaDecoded ? `${JSON.stringify(w.ua)} (or ${JSON.stringify(w.uaDecoded)})` : JSON.stringify(w[k]);
    return partial(
      'fields',
      4,
      KEYS.map((k) => {
        const bad = pairs.filter(({ m }) => !fieldOk(k, m.obj[k], m.line!.want!));
        if (bad.length === 0) return { ok: true, message: '' };
        const { r, m } = bad[0]!;
        const w = m.line!.want!;
        const got = m.obj[k] === undefined ? 'nothing' : JSON.stringify(m.obj[k]);
        const gotKo = m.obj[k] === undefined ? '없음' : JSON.stringify(m.obj[k]);
        return {
          ok: false,
          message: both(
            `${k}: ${loc(r, m.line!)}번째 줄은 ${expectText(k, w)}이어야 하는데 ${cut(gotKo)}입니다 (출력 ${pairs.length}개 중 ${bad.length}개 틀림; ${fieldWhere[k]}).`,
            `${k}: ${r.input.name} line ${m.line!.line} should give ${expectText(k, w)}, got ${cut(got)} (${bad.length} of ${pairs.length} records wrong; ${fieldWhere[k]}).`,
          ),
        };
      }),
    );
  }
}

/** bad-lines: malformed lines are skipped, the program survives them, and their count goes to stderr. */
function checkBadLines({ sub, where, access, garbage, anyOutput }: Seen): CheckVerdict {
  const g = garbage;
  const gObjects = g.parsed?.objects.length ?? 0;
  const gOut = !('error' in g.result) ? g.result.stdout.trim() : '';
  // Both logs with bad lines must be read to the end: a crash on one bad line loses everything after it.
  const crashed = [access, garbage].find((r) => !exitedOk(r.result));
  const survived = !crashed && gOut === '';
  const passedBad = [access, garbage].flatMap((r) => r.matches.filter((m) => m.line?.kind === 'malformed').map((m) => ({ r, m })));
  const countPart = [access, garbage].map((r) => {
    const want = r.input.expected!.malformed;
    const last = 'error' in r.result ? '' : lastLine(r.result.stderr);
    const nums = (last.match(/\d+/g) ?? []).map(Number);
    return { r, want, last, ok: nums.includes(want) };
  });
  const badCount = countPart.find((c) => !c.ok);
  // One too many on a log that ends with a newline: the empty text after it was counted as a line.
  const endsWithNewline = (r: RunObs) => r.input.body.length > 0 && r.input.body[r.input.body.length - 1] === 0x0a;
  const offByOne = badCount && endsWithNewline(badCount.r) && (badCount.last.match(/\d+/g) ?? []).map(Number).includes(badCount.want + 1);
  return partial('bad-lines', 3, [
    {
      ok: survived,
      message: crashed
        ? both(
            `깨진 줄이 섞인 ${crashed.input.name}에서 끝까지 처리하지 못했습니다: ${exitDesc(crashed.result, 'ko')} (${crashWhere(crashed.result, sub) ?? where.parse}).`,
            `On ${crashed.input.name}, which has malformed lines, it did not get to the end: ${exitDesc(crashed.result, 'en')} (${crashWhere(crashed.result, sub) ?? where.parse}).`,
          )
        : both(
            `쓸 만한 줄이 하나도 없는 로그(garbage.log)인데 표준 출력에 ${gObjects ? `객체 ${gObjects}개를` : clip(gOut, 80) + '을(를)'} 썼습니다 (${where.stdout}).`,
            `On a log with no usable line at all (garbage.log) it wrote ${gObjects ? `${gObjects} object(s)` : clip(gOut, 80)} on stdout (${where.stdout}).`,
          ),
    },
    {
      ok: anyOutput && passedBad.length === 0,
      message: !anyOutput
        ? both(
            `access.log를 입력했을 때 표준 출력에 아무것도 없어, 깨진 줄을 걸러 냈는지 알 수 없습니다 (${where.stdout}).`,
            `With access.log as input nothing came out on stdout, so whether bad lines are kept out cannot be told (${where.stdout}).`,
          )
        : passedBad.length
          ? (() => {
              const l = passedBad[0]!.m.line!;
              const why = l.why;
              const w = why ? where[why.part] : where.parse;
              return both(
                `깨진 줄이 출력되었습니다: ${passedBad[0]!.r.input.name} ${l.line}번째 줄 ${clip(l.text)}${why ? ` (${why.ko})` : ''} (${w}).`,
                `A malformed line was passed on: ${passedBad[0]!.r.input.name} line ${l.line}: ${clip(l.text)}${why ? ` (${why.en})` : ''} (${w}).`,
              );
            })()
          : '',
    },
    {
      ok: !badCount,
      message: badCount
        ? both(
            `${badCount.r.input.name}에는 깨진 줄이 ${badCount.want}개인데, 표준 오류의 마지막 줄에 그 수가 없습니다: ${badCount.last ? clip(badCount.last, 100) : '(비어 있음)'} (${where.stderr}).${offByOne ? " 하나가 더 셌습니다. 이 로그는 줄바꿈으로 끝나는데, 마지막 줄바꿈 뒤의 빈 문자열을 한 줄로 세지 않았나요? (split('\\n')의 마지막 원소)" : ''}`,
            `${badCount.r.input.name} has ${badCount.want} malformed lines, but the last line on stderr does not give that number: ${badCount.last ? clip(badCount.last, 100) : '(empty)'} (${where.stderr}).${offByOne ? " That is one too many: this log ends with a newline; is the empty text after it (the last element of split('\\n')) counted as a line?" : ''}`,
          )
        : '',
    },
  ]);
}

/** json-lines: one JSON object per line, with exactly the seven keys, in input order. */
function checkJsonLines({ where, runs, content, anyOutput, access }: Seen): CheckVerdict {
  if (!anyOutput && !(access.parsed && access.parsed.lineCount > 0)) {
    return fail(
      'json-lines',
      both(
        `access.log를 입력했을 때 표준 출력에 아무것도 없어 형식을 확인할 수 없습니다 (${where.json}).`,
        `With access.log as input nothing was written on stdout, so there is no format to check (${where.json}).`,
      ),
    );
  } else {
    const withBad = runs.find((r) => r.parsed?.badLine);
    const objs = runs.flatMap((r) => (r.parsed?.objects ?? []).map((o) => ({ r, o })));
    const keysOf = (o: Record<string, unknown>) => Object.keys(o).sort().join(',');
    const wantKeys = [...KEYS].sort().join(',');
    const wrongKeys = objs.find(({ o }) => keysOf(o) !== wantKeys);
    // Records come out in input order: the log lines they match must not go backwards.
    const disorder = content
      .map((r) => {
        const seq = r.matches.filter((m) => m.line && !m.duplicate).map((m) => m.line!.line);
        const i = seq.findIndex((n, k) => k > 0 && n < seq[k - 1]!);
        return i > 0 ? { r, after: seq[i - 1]!, line: seq[i]! } : null;
      })
      .find(Boolean);
    return partial('json-lines', 2, [
      {
        ok: !disorder,
        message: disorder
          ? both(
              `${disorder.r.input.name}: ${disorder.line}번째 줄의 레코드가 ${disorder.after}번째 줄의 레코드보다 뒤에 나왔습니다. 레코드는 입력 순서대로 써야 다음 단계가 시간 순서를 믿을 수 있습니다 (${where.stdout}).`,
              `${disorder.r.input.name}: the record for line ${disorder.line} came after the record for line ${disorder.after}. Write records in input order, so the next stage can trust their order (${where.stdout}).`,
            )
          : '',
      },
      {
        ok: !withBad && objs.length > 0,
        message: withBad
          ? both(
              `${withBad.input.name}의 출력 ${withBad.parsed!.badLine!.n}번째 줄이 JSON 객체 한 줄이 아닙니다: ${clip(withBad.parsed!.badLine!.text, 100)} (${where.json}).`,
              `Line ${withBad.parsed!.badLine!.n} of the output for ${withBad.input.name} is not a one-line JSON object: ${clip(withBad.parsed!.badLine!.text, 100)} (${where.json}).`,
            )
          : both(`JSON 객체가 하나도 없습니다 (${where.json}).`, `There is no JSON object at all (${where.json}).`),
      },
      {
        ok: objs.length > 0 && !wrongKeys,
        message: wrongKeys
          ? (() => {
              const have = Object.keys(wrongKeys.o);
              const missing = KEYS.filter((k) => !have.includes(k));
              const extra = have.filter((k) => !(KEYS as readonly string[]).includes(k)).slice(0, 5);
              const parts = [missing.length ? `missing ${missing.join(', ')}` : '', extra.length ? `extra ${extra.join(', ')}` : ''].filter(Boolean).join('; ');
              const partsKo = [missing.length ? `빠진 키 ${missing.join(', ')}` : '', extra.length ? `더 있는 키 ${extra.join(', ')}` : '']
                .filter(Boolean)
                .join('; ');
              return both(
                `객체의 키가 time, ip, method, path, status, bytes, ua가 아닙니다 (${partsKo}): ${clip(JSON.stringify(wrongKeys.o), 100)} (${where.json}).`,
                `An object's keys are not exactly time, ip, method, path, status, bytes, ua (${parts}): ${clip(JSON.stringify(wrongKeys.o), 100)} (${where.json}).`,
              );
            })()
          : both(`JSON 객체가 하나도 없습니다 (${where.json}).`, `There is no JSON object at all (${where.json}).`),
      },
    ]);
  }
}

const CHECK_IDS = ['runs', 'only-5xx', 'fields', 'bad-lines', 'json-lines'];

export async function grade(sub: Submission, cfg: Config, ctx?: GradeContext): Promise<GraderVerdict> {
  checkSource(sub);
  const inputs = loadInputs(cfg.dataDir);
  const up = await waitForPort(cfg.subjectUrl, cfg.startupMs ?? 6000);
  if (!up) {
    const msg = both(
      '프로그램을 실행하는 하네스가 응답하지 않았습니다. 다시 제출해 보세요.',
      'The harness that runs the program did not answer; please submit again.',
    );
    return { gradable: true, checks: CHECK_IDS.map((id) => fail(id, msg)) };
  }
  // All inputs at once: each is its own process behind the harness, so a program that never ends costs one 10 s
  // timeout, not one per input.
  const results = await Promise.all(inputs.map((input) => runOnce(cfg.subjectUrl, input.body)));
  const runs: RunObs[] = inputs.map((input, i) => {
    const result = results[i]!;
    const parsed = 'error' in result ? null : parseOutput(result.stdout);
    const matches = parsed && input.expected ? matchOutputs(parsed.objects, input.expected) : [];
    return { input, result, parsed, matches };
  });
  const checks = judge(sub, runs);
  for (const c of checks) ctx?.progress(c);
  return { gradable: true, checks };
}
