/**
 * `lms hcl` in the week-1 workspace: HashiCorp's own HCL parser (Go compiled to WebAssembly in @cdktf/hcl2json, the
 * parser the grader uses) as a command. `lms hcl validate [files]` parses each file (every *.tf here by default) and
 * prints each syntax error with its place; `lms hcl json <file>` prints the file as JSON (what hcl2json prints). It
 * checks syntax only: Terraform itself (`terraform validate` resolves providers and types) is not installed here.
 */
import fs from 'node:fs';
import { findNestingIssue } from '../../../grader-kit/hcl';

type Parse = (file: string, text: string) => Promise<Record<string, unknown>>;

export async function main(args: string[], lang: 'ko' | 'en' = 'ko'): Promise<number> {
  const say = (ko: string, en: string) => (lang === 'ko' ? ko : en);
  const [sub, ...rest] = args;
  if (sub !== 'validate' && sub !== 'json') {
    process.stdout.write(
      say(
        '사용법: lms hcl validate [파일...]   (HCL 문법 검사)\n       lms hcl json <파일>          (JSON으로 보기)\n',
        'usage: lms hcl validate [files...]   (HCL syntax check)\n       lms hcl json <file>          (show as JSON)\n',
      ),
    );
    return sub ? 2 : 0;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parse } = require('@cdktf/hcl2json') as { parse: Parse };
  const files = rest.length
    ? rest
    : fs
        .readdirSync('.')
        .filter((f) => f.endsWith('.tf'))
        .sort();
  if (files.length === 0) {
    process.stderr.write(say('.tf 파일이 없습니다.\n', 'no .tf files here.\n'));
    return 1;
  }
  let bad = 0;
  for (const f of files) {
    let text: string;
    try {
      text = fs.readFileSync(f, 'utf8');
    } catch (e) {
      process.stderr.write(`${f}: ${(e as Error).message}\n`);
      bad++;
      continue;
    }
    const deep = findNestingIssue(text);
    if (deep) {
      process.stdout.write(say(`${f}:${deep.line}: 중첩이 너무 깊습니다.\n`, `${f}:${deep.line}: nested too deeply.\n`));
      bad++;
      continue;
    }
    try {
      const doc = await parse(f, text);
      if (sub === 'json') process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
      else process.stdout.write(say(`${f}: 문법 문제 없음\n`, `${f}: syntax OK\n`));
    } catch (e) {
      bad++;
      process.stdout.write(
        `${String((e as Error).message ?? e)
          .replace(/^parse config: /, '')
          .trim()}\n`,
      );
    }
  }
  if (sub === 'validate')
    process.stdout.write(
      bad
        ? say(`${bad}개 파일에 문제가 있습니다.\n`, `${bad} file(s) with problems.\n`)
        : say(
            '모든 파일의 HCL 문법이 맞습니다. (Terraform의 타입·프로바이더 검사는 여기서 하지 않습니다)\n',
            "All files are valid HCL. (Terraform's type and provider checks are not run here.)\n",
          ),
    );
  return bad ? 1 : 0;
}
