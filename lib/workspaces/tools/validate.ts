/**
 * `lms validate <files>` in the Kubernetes workspaces (weeks 5, 9 and 10): each YAML document checked the way the
 * lab's grader checks it before reading it, which is the way `kubectl apply` would (the OpenAPI schema, strict unknown
 * fields, the API server's own rules; Istio kinds against the CRDs' structural schemas). The lab's own validator is
 * passed in by the generated entry (lib/workspaces/images.ts), so the command and the grader cannot disagree.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Submission } from '../../../grader-kit/index';
import { dotted, isObj, parseYamlFile, type Json, type PathPart } from '../../../grader-kit/yamldocs';

export interface Problem {
  path: PathPart[];
  en: string;
  ko: string;
}
export type Validator = (doc: Json) => Problem[] | null;

function listYaml(dir: string, depth = 0): string[] {
  if (depth > 4) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = dir === '.' ? e.name : path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listYaml(p, depth + 1));
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

export async function main(args: string[], lang: 'ko' | 'en', validators: Validator[]): Promise<number> {
  const say = (ko: string, en: string) => (lang === 'ko' ? ko : en);
  if (args.includes('-h') || args.includes('--help')) {
    process.stdout.write(
      say(
        '사용법: lms validate [파일...]   (기본: 이 폴더 아래 모든 .yaml/.yml)\n',
        'usage: lms validate [files...]   (default: every .yaml/.yml under this folder)\n',
      ),
    );
    return 0;
  }
  const files = args.length ? args : listYaml('.');
  if (!files.length) {
    process.stderr.write(say('YAML 파일이 없습니다.\n', 'no YAML files here.\n'));
    return 1;
  }
  let problems = 0;
  let objects = 0;
  for (const file of files) {
    let buf: Buffer;
    try {
      buf = fs.readFileSync(file);
    } catch (e) {
      process.stdout.write(`${file}: ${(e as Error).message}\n`);
      problems++;
      continue;
    }
    let docs;
    try {
      docs = parseYamlFile(new Submission(new Map([[file, buf]])), file);
    } catch (e) {
      const m = (e as { message?: unknown; msg?: { ko: string; en: string } }).msg;
      process.stdout.write(`${m ? m[lang] : String((e as Error).message)}\n`);
      problems++;
      continue;
    }
    for (const d of docs) {
      objects++;
      const v = d.value;
      const name = isObj(v) ? `${String(v.kind ?? '?')}/${String((isObj(v.metadata) && v.metadata.name) || '?')}` : '?';
      let found: Problem[] | null = null;
      for (const val of validators) {
        found = val(v);
        if (found) break;
      }
      if (!found) {
        process.stdout.write(
          say(
            `${file}:${d.line([])}: ${name}: 이 명령이 모르는 kind입니다 (검사하지 않음)\n`,
            `${file}:${d.line([])}: ${name}: a kind this command does not know (not checked)\n`,
          ),
        );
        continue;
      }
      for (const p of found) {
        problems++;
        process.stdout.write(`${file}:${d.line(p.path)}: ${name}: ${p.path.length ? dotted(p.path) + ': ' : ''}${p[lang]}\n`);
      }
    }
  }
  process.stdout.write(
    problems
      ? say(`문제 ${problems}건 (객체 ${objects}개 검사)\n`, `${problems} problem(s) in ${objects} object(s)\n`)
      : say(`객체 ${objects}개 모두 스키마에 맞습니다.\n`, `All ${objects} object(s) are valid.\n`),
  );
  return problems ? 1 : 0;
}
