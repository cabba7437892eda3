/**
 * Reading a Terraform submission (the labs of week 1): every top-level .tf file is checked (UTF-8, size, nesting),
 * parsed to JSON with HashiCorp's own HCL parser (Go compiled to WASM in @cdktf/hcl2json) and added to one Model
 * (tf-model.ts). A lab that uses it lists "@cdktf/hcl2json" in its grader/externals.json.
 *
 * Two defences against hostile input, because the WASM parser recurses on the JavaScript stack and, once that
 * overflows, leaves the Go runtime broken ("fatal error: malloc deadlock", the process dies a moment later):
 *  1. `findNestingIssue` scans the text first, minding strings, comments and heredocs, and refuses nesting deeper
 *     than any real configuration needs, long before the parser would run out of stack;
 *  2. the parser itself runs in a worker thread. If anything still goes wrong in there (a crash, a hang), the worker
 *     is thrown away and the submission is "not gradable"; the grader process itself carries on.
 */
import { Worker } from 'node:worker_threads';
import { NotGradable, type Submission } from './index';
import { Model, clip, isObj, type Block, type Obj } from './tf-model';

export const NESTING_LIMITS = { depth: 64, unary: 64, conditionals: 512 };
/** Above the lab's maxFileBytes (128 KiB): the engine refuses bigger files first; this is defence in depth. */
export const MAX_FILE_BYTES = 512 * 1024;
const PARSE_TIMEOUT_MS = 10_000;

export interface NestingIssue {
  line: number;
  kind: 'depth' | 'unary' | 'conditional';
}

type Frame = 'code' | 'bracket' | 'interp' | 'string' | { heredoc: string };

/** Finds nesting deeper than NESTING_LIMITS allows (brackets, blocks, interpolations, template directives), or null. */
export function findNestingIssue(text: string, limits = NESTING_LIMITS): NestingIssue | null {
  const stack: Frame[] = ['code'];
  let directives = 0;
  let unaryRun = 0;
  let conditionals = 0;
  let line = 1;
  let lineStart = true;
  let i = 0;
  const n = text.length;
  const tooDeep = () => stack.length - 1 + directives > limits.depth;
  while (i < n) {
    const top = stack[stack.length - 1]!;
    const c = text[i]!;
    if (top === 'string' || typeof top === 'object') {
      const heredoc = typeof top === 'object';
      if (heredoc && lineStart) {
        let j = i;
        while (text[j] === ' ' || text[j] === '\t') j++;
        if (text.startsWith(top.heredoc, j)) {
          let k = j + top.heredoc.length;
          while (text[k] === ' ' || text[k] === '\t' || text[k] === '\r') k++;
          if (k >= n || text[k] === '\n') {
            stack.pop();
            i = k;
            lineStart = false;
            continue;
          }
        }
      }
      lineStart = false;
      if (c === '\n') {
        line++;
        lineStart = true;
        i++;
        continue;
      }
      if (!heredoc && c === '\\') {
        if (text[i + 1] === '\n') line++;
        i += 2;
        continue;
      }
      if (!heredoc && c === '"') {
        stack.pop();
        i++;
        continue;
      }
      if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') {
        i += 3;
        continue;
      }
      if ((c === '$' || c === '%') && text[i + 1] === '{') {
        if (c === '%') {
          const kw = /^~?[ \t]*([a-z]+)/.exec(text.slice(i + 2, i + 20));
          if (kw && (kw[1] === 'if' || kw[1] === 'for')) directives++;
          else if (kw && (kw[1] === 'endif' || kw[1] === 'endfor')) directives = Math.max(0, directives - 1);
        }
        stack.push('interp');
        i += 2;
        if (tooDeep()) return { line, kind: 'depth' };
        continue;
      }
      i++;
      continue;
    }
    // Code: the top level, inside brackets, or inside an interpolation.
    if (c === '\n') {
      line++;
      lineStart = true;
      i++;
      continue;
    }
    lineStart = false;
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      for (let k = i; k < stop; k++) if (text[k] === '\n') line++;
      i = stop;
      continue;
    }
    if (c === '-' || (c === '!' && text[i + 1] !== '=')) {
      if (++unaryRun > limits.unary) return { line, kind: 'unary' };
      i++;
      continue;
    }
    unaryRun = 0;
    if (c === '?') {
      if (++conditionals > limits.conditionals) return { line, kind: 'conditional' };
    } else if (c === '"') {
      stack.push('string');
      if (tooDeep()) return { line, kind: 'depth' };
    } else if (c === '<' && text[i + 1] === '<') {
      const m = /^<<-?([A-Za-z_][A-Za-z0-9_-]*)\r?\n/.exec(text.slice(i, i + 200));
      if (m) {
        stack.push({ heredoc: m[1]! });
        if (tooDeep()) return { line, kind: 'depth' };
        i += m[0].length;
        line++;
        lineStart = true;
        continue;
      }
    } else if (c === '{' || c === '[' || c === '(') {
      stack.push('bracket');
      if (tooDeep()) return { line, kind: 'depth' };
    } else if (c === '}' || c === ']' || c === ')') {
      if (top === 'bracket' || (top === 'interp' && c === '}')) stack.pop();
    }
    i++;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// The parser in a worker thread

type Outcome = { doc: unknown } | { syntax: string } | { crash: string };

const WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { parse } = require(workerData.modulePath);
parentPort.on('message', (m) => {
  parse(m.file, m.text).then(
    (doc) => {
      let json;
      try { json = JSON.stringify(doc); } catch (e) { parentPort.postMessage({ id: m.id, crash: String((e && e.message) || e) }); return; }
      parentPort.postMessage({ id: m.id, json });
    },
    (e) => {
      const msg = String((e && e.message) || e);
      parentPort.postMessage(/^parse config:/.test(msg) ? { id: m.id, syntax: msg } : { id: m.id, crash: msg });
    },
  );
});
`;

function hclModulePath(): string {
  return require.resolve('@cdktf/hcl2json');
}

class ParserHost {
  private worker: Worker | null = null;
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (o: Outcome) => void; timer: NodeJS.Timeout }>();
  private inProcess: ((file: string, text: string) => Promise<unknown>) | null = null;

  private start(): Worker | null {
    if (this.worker) return this.worker;
    let w: Worker;
    try {
      w = new Worker(WORKER_SOURCE, { eval: true, workerData: { modulePath: hclModulePath() } });
    } catch {
      return null;
    }
    w.on('message', (m: { id: number; json?: string; syntax?: string; crash?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      let o: Outcome;
      if (m.json !== undefined) {
        try {
          o = { doc: JSON.parse(m.json) };
        } catch (e) {
          o = { crash: (e as Error).message };
        }
      } else if (m.syntax !== undefined) o = { syntax: m.syntax };
      else {
        o = { crash: m.crash ?? 'unknown failure' };
        // The Go runtime may be broken after a failure that is not a syntax error: never reuse it.
        this.discard(w, o.crash);
      }
      this.settle(m.id, o);
    });
    w.on('error', (e) => this.discard(w, e.message));
    w.on('exit', (code) => this.discard(w, `the parser stopped (exit code ${code})`));
    w.unref();
    this.worker = w;
    return w;
  }

  private settle(id: number, o: Outcome) {
    const p = this.pending.get(id);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker?.unref();
    p.resolve(o);
  }

  private discard(w: Worker, why: string) {
    if (this.worker !== w) return;
    this.worker = null;
    void w.terminate();
    for (const id of [...this.pending.keys()]) this.settle(id, { crash: why });
  }

  parse(file: string, text: string): Promise<Outcome> {
    const w = this.start();
    if (!w) return this.parseInProcess(file, text);
    const id = ++this.seq;
    return new Promise<Outcome>((resolve) => {
      const timer = setTimeout(() => this.discard(w, `the parser did not finish within ${PARSE_TIMEOUT_MS / 1000} s`), PARSE_TIMEOUT_MS);
      this.pending.set(id, { resolve, timer });
      w.ref();
      w.postMessage({ id, file, text });
    });
  }

  /** Only when no worker can be started: the nesting check above is then the only guard. */
  private async parseInProcess(file: string, text: string): Promise<Outcome> {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      this.inProcess ??= (require(hclModulePath()) as { parse: (f: string, t: string) => Promise<unknown> }).parse;
      return { doc: await this.inProcess(file, text) };
    } catch (e) {
      const msg = (e as Error).message ?? String(e);
      return /^parse config:/.test(msg) ? { syntax: msg } : { crash: msg };
    }
  }
}

const host = new ParserHost();

/** Parses one file in the worker, without the nesting check (loadModel does that first). */
export function parseHcl(file: string, text: string): Promise<Outcome> {
  return host.parse(file, text);
}

/** Starts the parser (worker and WASM) before the submission arrives. */
export function warmup(): Promise<unknown> {
  return host.parse('warmup.tf', 'warmup = true\n');
}

/** "parse config: [main.tf:21,29-22,1: Summary; Detail]" to its line, column and text. */
export function describeSyntaxError(file: string, raw: string): { line: number | null; col: number | null; text: string } {
  const body = raw.replace(/^parse config:\s*\[?/, '').replace(/\]\s*$/, '');
  const m = /^([^:]*):(\d+),(\d+)(?:-\d+(?:,\d+)?)?:\s*/.exec(body);
  let text = m ? body.slice(m[0].length) : body;
  // Several diagnostics follow one another, each starting with "<file>:<line>,<col>"; keep the first.
  const next = text.search(new RegExp(`\\s${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+,\\d+`));
  if (next > 0) text = text.slice(0, next);
  text = text.replace(/\s+/g, ' ').trim();
  if (text.length > 300) text = text.slice(0, 299) + '…';
  return { line: m ? Number(m[2]) : null, col: m ? Number(m[3]) : null, text };
}

/** The submission's .tf files in the top folder (Terraform reads no others), sorted. */
export function tfFiles(sub: Submission): string[] {
  return sub.paths().filter((p) => p.endsWith('.tf') && !p.includes('/'));
}

/**
 * Parses every .tf file into one Model. A malformed submission is NotGradable, naming the file (and line). `main` is
 * the file the lab requires (main.tf unless the lab says otherwise): missing or blank, the submission is not gradable.
 */
export async function loadModel(sub: Submission, opts: { main?: string } = {}): Promise<Model> {
  const main = opts.main ?? 'main.tf';
  if (!sub.has(main)) {
    const others = sub.paths().filter((p) => p.endsWith(main));
    const also = others.length ? ` (${others.slice(0, 3).join(', ')}${others.length > 3 ? ', …' : ''} ≠ ${main})` : '';
    throw new NotGradable({
      ko: `${main} 파일이 없습니다${also}. 제출물의 맨 위 폴더에 ${main}가 있어야 합니다.`,
      en: `${main} is missing${also}. The submission needs ${main} at its top level.`,
    });
  }
  const model = new Model();
  for (const file of tfFiles(sub)) {
    const bytes = sub.files.get(file)!;
    if (bytes.length > MAX_FILE_BYTES)
      throw new NotGradable({ ko: `${file}가 너무 큽니다 (${bytes.length} 바이트).`, en: `${file} is too large (${bytes.length} bytes).` });
    if (!sub.isValidUtf8(file))
      throw new NotGradable({
        ko: `${file}는 UTF-8 텍스트가 아닙니다. UTF-8로 저장해 다시 제출하세요.`,
        en: `${file} is not UTF-8 text. Save it as UTF-8 and submit again.`,
      });
    const text = sub.text(file)!.replace(/^\uFEFF/, '');
    if (file === main && text.trim() === '') throw new NotGradable({ ko: `${main}가 비어 있습니다.`, en: `${main} is empty.` });
    if (text.includes('\0'))
      throw new NotGradable({ ko: `${file}에 NUL 문자가 있습니다. 텍스트 파일이 아닙니다.`, en: `${file} contains NUL characters: it is not a text file.` });
    const deep = findNestingIssue(text);
    if (deep) {
      const what = {
        depth: {
          ko: `괄호·블록·보간이 ${NESTING_LIMITS.depth}단계보다 깊게 중첩되어 있습니다`,
          en: `brackets, blocks or interpolations nest deeper than ${NESTING_LIMITS.depth} levels`,
        },
        unary: { ko: `단항 연산자(-, !)가 ${NESTING_LIMITS.unary}개 넘게 이어집니다`, en: `more than ${NESTING_LIMITS.unary} unary operators (-, !) in a row` },
        conditional: {
          ko: `조건식(? :)이 ${NESTING_LIMITS.conditionals}개를 넘습니다`,
          en: `more than ${NESTING_LIMITS.conditionals} conditional expressions (? :)`,
        },
      }[deep.kind];
      throw new NotGradable({ ko: `${file} ${deep.line}번째 줄: ${what.ko}. 채점할 수 없습니다.`, en: `${file} line ${deep.line}: ${what.en}; not gradable.` });
    }
    const out = await host.parse(file, text);
    if ('syntax' in out) {
      const d = describeSyntaxError(file, out.syntax);
      const at = d.line === null ? { ko: '', en: '' } : { ko: ` (${d.line}번째 줄, ${d.col}번째 칸)`, en: ` at line ${d.line}, column ${d.col}` };
      throw new NotGradable({ ko: `${file}를 HCL로 읽을 수 없습니다${at.ko}: ${d.text}`, en: `${file} is not valid HCL${at.en}: ${d.text}` });
    }
    if ('crash' in out) {
      // Is it this file, or is the parser broken for everyone? A broken grader must not cost the learner anything.
      const probe = await host.parse('probe.tf', 'probe = 1\n');
      if (!('doc' in probe))
        throw new Error(`the HCL parser does not work: ${out.crash}; then ${'crash' in probe ? probe.crash : 'syntax error on a valid probe'}`);
      throw new NotGradable({
        ko: `${file}를 HCL 파서가 처리하지 못했습니다 (${out.crash.slice(0, 120)}).`,
        en: `The HCL parser could not process ${file} (${out.crash.slice(0, 120)}).`,
      });
    }
    if (!isObj(out.doc)) throw new NotGradable({ ko: `${file}를 HCL로 읽을 수 없습니다.`, en: `${file} could not be read as HCL.` });
    model.addDocument(file, text, out.doc as Obj);
  }
  // Terraform refuses a configuration that declares the same resource twice; so does the grader, saying where.
  const seen = new Map<string, Block>();
  for (const b of model.blocks) {
    const key = `${b.kind}.${b.type}.${b.name}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, b);
      continue;
    }
    const what = clip(`${b.kind === 'data' ? 'data.' : ''}${b.type}.${b.name}`);
    throw new NotGradable({
      ko: `${what}가 두 번 선언되어 있습니다 (${first.file}:${first.line}, ${b.file}:${b.line}). Terraform도 이런 설정은 거부합니다.`,
      en: `${what} is declared twice (${first.file}:${first.line} and ${b.file}:${b.line}); Terraform refuses such a configuration too.`,
    });
  }
  return model;
}
