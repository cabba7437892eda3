/**
 * For the labs whose grader talks to the learner's Node.js program (weeks 4 and 8): refusing sources that cannot run
 * at all, pointing messages at a line of the program, and waiting for its port. Everything here runs in the grader.
 */
import net from 'node:net';
import vm from 'node:vm';
import { NotGradable, type Submission } from './index';

/** The line of a SyntaxError from vm.Script: V8 puts "file:line" on the first stack line; the CommonJS wrapper adds one. */
export function syntaxErrorLine(err: Error): number | null {
  const m = /:(\d+)\s*\n/.exec(String(err.stack ?? ''));
  return m ? Math.max(1, Number(m[1]) - 1) : null;
}

/**
 * Refuses a submission that cannot run at all: no `main` file, an empty one, a .js file that is not UTF-8, or one
 * that is not valid CommonJS. Each file is compiled (never run) the way Node's CommonJS loader wraps it, so `return`
 * at the top level is allowed and `import` statements are not (Node 18 runs a .js file as CommonJS).
 */
export function checkCommonJsSources(sub: Submission, main: string): void {
  if (!sub.has(main)) throw new NotGradable({ ko: `${main} 파일이 없습니다.`, en: `${main} is missing.` });
  for (const file of sub.paths().filter((p) => p.endsWith('.js'))) {
    if (!sub.isValidUtf8(file)) throw new NotGradable({ ko: `${file}: UTF-8 텍스트가 아닙니다.`, en: `${file} is not UTF-8 text.` });
    const text = sub.text(file)!;
    if (file === main && text.trim().length === 0) throw new NotGradable({ ko: `${main}가 비어 있습니다.`, en: `${main} is empty.` });
    try {
      new vm.Script(`(function (exports, require, module, __filename, __dirname) {\n${text.replace(/^#!.*/, '')}\n})`, { filename: file });
    } catch (e) {
      const err = e as Error;
      if (err instanceof RangeError || /call stack/i.test(String(err.message))) {
        throw new NotGradable({ ko: `${file}: 코드가 너무 깊게 중첩되어 읽을 수 없습니다.`, en: `${file}: the code is nested too deeply to read.` });
      }
      const line = syntaxErrorLine(err);
      const where = line ? `${file}:${line}` : file;
      const msg = String(err.message).split('\n')[0]!.slice(0, 200);
      const esm = /import statement|export/i.test(msg)
        ? {
            ko: ' Node 18은 .js 파일을 CommonJS로 실행하므로 import 대신 require()를 쓰세요.',
            en: ' Node 18 runs a .js file as CommonJS: use require() instead of import.',
          }
        : { ko: '', en: '' };
      throw new NotGradable({ ko: `${where}: JavaScript 문법 오류입니다 (${msg}).${esm.ko}`, en: `${where}: JavaScript syntax error (${msg}).${esm.en}` });
    }
  }
}

/** "main.js:12" for the first code line (the `main` file first, then the other .js files) that every pattern matches; null if none. */
export function findCodeLine(sub: Submission, main: string, ...patterns: RegExp[]): string | null {
  const files = [main, ...sub.paths().filter((p) => p.endsWith('.js') && p !== main)];
  for (const f of files) {
    const text = sub.text(f);
    if (text === null) continue;
    const lines = text.split('\n');
    for (let i = 0; i < lines.length && i < 5000; i++) {
      const l = lines[i]!.slice(0, 2000);
      if (/^\s*(\/\/|\*|\/\*)/.test(l)) continue;
      if (patterns.every((p) => p.test(l))) return `${f}:${i + 1}`;
    }
  }
  return null;
}

/** Waits until something accepts TCP connections on the address's port: no HTTP request, so nothing is judged yet. */
export async function waitForPort(base: string, ms: number): Promise<boolean> {
  const u = new URL(base);
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: u.hostname, port: Number(u.port) });
      const t = setTimeout(() => {
        s.destroy();
        resolve(false);
      }, 500);
      s.once('connect', () => {
        clearTimeout(t);
        s.destroy();
        resolve(true);
      });
      s.once('error', () => {
        clearTimeout(t);
        resolve(false);
      });
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
