import fs from 'node:fs';
import path from 'node:path';
import { createProcessor } from '@mdx-js/mdx';
import remarkFrontmatter from 'remark-frontmatter';
import YAML from 'yaml';
import { z } from 'zod';
import { projectRoot } from '../labs/registry';
import { moduleDir } from './schema';

/**
 * Content rules that read the text of lessons rather than their frontmatter: the Korean glossary (one Korean form
 * per term, so terms stop drifting between lessons) and the self-check quizzes (every option explained, correct
 * answers spread over the positions). Used by `bin/lms content check`; kept apart from lib/content/index.ts so the
 * site never loads the MDX parser.
 */

export interface CheckResult {
  problems: string[];
  warnings: string[];
}

const glossaryTerm = z
  .object({
    en: z.string().min(1),
    ko: z.string().min(1),
    /** Korean forms that must not appear in a Korean lesson; the check names `ko` as the replacement. */
    avoid: z.array(z.string().min(1)).optional(),
    note: z.string().optional(),
  })
  .strict();
const glossaryFile = z.object({ terms: z.array(glossaryTerm).min(1) }).strict();
type GlossaryTerm = z.infer<typeof glossaryTerm>;


/**
 * Weeks whose quiz problems are reported as warnings instead of failures, for a week that is being rewritten and
 * cannot follow the rules yet. Empty: every module follows them (December 2026).
 */
const QUIZ_RULES_WARN_ONLY_WEEKS: ReadonlySet<number> = new Set<number>();

function readGlossary(root = projectRoot()): { terms: GlossaryTerm[]; problems: string[] } {
  const file = path.join(root, 'content', 'glossary.yaml');
  if (!fs.existsSync(file)) return { terms: [], problems: ['content/glossary.yaml is missing'] };
  let raw: unknown;
  try {
    raw = YAML.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return { terms: [], problems: [`content/glossary.yaml: ${(e as Error).message.split('\n')[0]}`] };
  }
  const parsed = glossaryFile.safeParse(raw);
  if (!parsed.success) {
    return { terms: [], problems: [`content/glossary.yaml: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`] };
  }
  const problems: string[] = [];
  const terms = parsed.data.terms;
  const seen = new Set<string>();
  for (const t of terms) {
    const key = t.en.toLowerCase();
    if (seen.has(key)) problems.push(`content/glossary.yaml: "${t.en}" is listed twice`);
    seen.add(key);
    for (const a of t.avoid ?? []) {
      // A variant that is part of a preferred form would make the preferred form itself fail.
      const clash = terms.find((o) => o.ko.includes(a));
      if (clash) problems.push(`content/glossary.yaml: "${a}" (avoided for "${t.en}") is part of the preferred form "${clash.ko}" of "${clash.en}"`);
    }
  }
  return { terms, problems };
}

interface Hit {
  line: number;
  column: number;
  variant: string;
  term: GlossaryTerm;
}

/** Every avoided variant in a text, by line; where two variants overlap (에러 inside 에러율) the longer one is named. */
function findAvoided(text: string, terms: GlossaryTerm[]): Hit[] {
  const variants = terms.flatMap((term) => (term.avoid ?? []).map((variant) => ({ variant, term }))).sort((a, b) => b.variant.length - a.variant.length);
  const hits: Hit[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const taken: [number, number][] = [];
    for (const { variant, term } of variants) {
      let from = 0;
      for (;;) {
        const at = line.indexOf(variant, from);
        if (at < 0) break;
        from = at + variant.length;
        if (taken.some(([s, e]) => at < e && at + variant.length > s)) continue;
        taken.push([at, at + variant.length]);
        hits.push({ line: i + 1, column: at + 1, variant, term });
      }
    }
  });
  return hits.sort((a, b) => a.line - b.line || a.column - b.column);
}

function koreanFiles(root: string): { lessons: string[]; labs: string[] } {
  const lessons: string[] = [];
  const content = path.join(root, 'content');
  for (const mod of fs.existsSync(content) ? fs.readdirSync(content).sort() : []) {
    const dir = path.join(content, mod);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const f of fs.readdirSync(dir).sort()) if (f.endsWith('.ko.mdx')) lessons.push(path.join(dir, f));
  }
  const labs: string[] = [];
  const labsDir = path.join(root, 'labs');
  for (const lab of fs.existsSync(labsDir) ? fs.readdirSync(labsDir).sort() : []) {
    const f = path.join(labsDir, lab, 'instructions.ko.md');
    if (fs.existsSync(f)) labs.push(f);
  }
  return { lessons, labs };
}

/**
 * The glossary rule: no avoided Korean variant in any Korean lesson or lab instructions file, reported as file:line
 * with the preferred form.
 */
export function checkGlossary(root = projectRoot()): CheckResult {
  const { terms, problems } = readGlossary(root);
  const warnings: string[] = [];
  if (!terms.length) return { problems, warnings };
  const { lessons, labs } = koreanFiles(root);
  for (const [files, sink] of [
    [lessons, problems],
    [labs, problems],
  ] as const) {
    for (const f of files) {
      for (const h of findAvoided(fs.readFileSync(f, 'utf8'), terms)) {
        sink.push(`${path.relative(root, f)}:${h.line}: "${h.variant}" is not the glossary's Korean for "${h.term.en}"; write "${h.term.ko}"`);
      }
    }
  }
  return { problems, warnings };
}

export interface QuizInfo {
  file: string;
  line: number;
  options: string[];
  answer: number;
  why?: string[];
  problems: string[];
}

// The estree subset quiz props are written in: string and number literals, arrays of them, plain template strings.
type Node = { type: string; [k: string]: unknown };
function evaluate(node: Node | null | undefined): unknown {
  if (!node) throw new Error('empty expression');
  switch (node.type) {
    case 'Program': {
      const [first, ...rest] = node.body as Node[];
      if (!first || rest.length || first.type !== 'ExpressionStatement') throw new Error('not a single expression');
      return evaluate(first.expression as Node);
    }
    case 'Literal':
      return node.value;
    case 'ArrayExpression':
      return (node.elements as Node[]).map((e) => evaluate(e));
    case 'TemplateLiteral':
      if ((node.expressions as Node[]).length) throw new Error('template with ${}');
      return (node.quasis as { value: { cooked: string } }[]).map((q) => q.value.cooked).join('');
    case 'UnaryExpression':
      if (node.operator === '-' && typeof evaluate(node.argument as Node) === 'number') return -(evaluate(node.argument as Node) as number);
      throw new Error(`operator ${String(node.operator)}`);
    default:
      throw new Error(node.type);
  }
}

const processor = createProcessor({ remarkPlugins: [remarkFrontmatter] });

/** The <Quiz> elements of one MDX text, with their props read as values and the problems of each. */
export function readQuizzes(text: string, file: string): QuizInfo[] {
  const tree = processor.parse(text) as unknown as Node;
  const quizzes: QuizInfo[] = [];
  const walk = (n: Node) => {
    if ((n.type === 'mdxJsxFlowElement' || n.type === 'mdxJsxTextElement') && n.name === 'Quiz') {
      const line = (n.position as { start: { line: number } } | undefined)?.start.line ?? 0;
      const props: Record<string, unknown> = {};
      const problems: string[] = [];
      for (const a of n.attributes as Node[]) {
        if (a.type !== 'mdxJsxAttribute') continue;
        const v = a.value as Node | string | null;
        try {
          props[a.name as string] = v === null ? true : typeof v === 'string' ? v : evaluate((v.data as { estree?: Node } | undefined)?.estree);
        } catch (e) {
          problems.push(`prop ${String(a.name)} cannot be read (${(e as Error).message}); write it as a literal`);
        }
      }
      const options = props.options;
      const answer = props.answer;
      const why = props.why;
      const okOptions = Array.isArray(options) && options.length >= 2 && options.every((o) => typeof o === 'string' && o.trim());
      if (!okOptions) problems.push('options must be an array of at least two non-empty strings');
      if (typeof props.question !== 'string' || !props.question.trim()) problems.push('question must be a non-empty string');
      if (!Number.isInteger(answer) || (okOptions && ((answer as number) < 0 || (answer as number) >= (options as string[]).length))) {
        problems.push(`answer must be the index of one of the options (0 to ${okOptions ? (options as string[]).length - 1 : '?'})`);
      }
      if (why !== undefined) {
        if (!Array.isArray(why) || !why.every((w) => typeof w === 'string' && w.trim())) problems.push('why must be an array of non-empty strings');
        else if (okOptions && why.length !== (options as string[]).length) problems.push(`why has ${why.length} sentence(s) for ${(options as string[]).length} options; give one per option, in the same order`);
      }
      quizzes.push({ file, line, options: okOptions ? (options as string[]) : [], answer: Number.isInteger(answer) ? (answer as number) : -1, why: Array.isArray(why) ? (why as string[]) : undefined, problems });
      return;
    }
    for (const c of (n.children as Node[] | undefined) ?? []) walk(c);
  };
  walk(tree);
  return quizzes;
}

const LETTERS = 'ABCDEFGH';

/**
 * The quiz rules, per module and language: every quiz readable, with one `why` sentence per option; ko and en of a
 * lesson asking the same number of questions with the same answers; and no option position holding the correct
 * answer in more than half of a module's quizzes (a reader who always picks B must not pass).
 */
export function checkQuizzes(root = projectRoot(), warnOnlyWeeks: ReadonlySet<number> = QUIZ_RULES_WARN_ONLY_WEEKS): CheckResult {
  const problems: string[] = [];
  const warnings: string[] = [];
  for (let week = 0; week <= 10; week++) {
    const dir = path.join(root, 'content', moduleDir(week));
    if (!fs.existsSync(dir)) continue;
    const sink = warnOnlyWeeks.has(week) ? warnings : problems;
    const byLang: Record<'ko' | 'en', QuizInfo[]> = { ko: [], en: [] };
    const bySlug = new Map<string, Record<string, QuizInfo[]>>();
    let withoutWhy = 0; // counted, not listed, where the rules only warn
    for (const f of fs.readdirSync(dir).sort()) {
      const m = /^(.+)\.(ko|en)\.mdx$/.exec(f);
      if (!m) continue;
      const [, slug, lang] = m as unknown as [string, string, 'ko' | 'en'];
      const rel = `${moduleDir(week)}/${f}`;
      let quizzes: QuizInfo[];
      try {
        quizzes = readQuizzes(fs.readFileSync(path.join(dir, f), 'utf8'), rel);
      } catch {
        continue; // an MDX syntax error is reported by the compile step, with its position
      }
      for (const q of quizzes) {
        for (const p of q.problems) sink.push(`content/${rel}:${q.line}: Quiz: ${p}`);
        if (!q.why && q.options.length) {
          if (sink === problems) sink.push(`content/${rel}:${q.line}: Quiz has no why: give one sentence per option saying why it is right or wrong`);
          else withoutWhy++;
        }
      }
      byLang[lang].push(...quizzes);
      const e = bySlug.get(slug) ?? {};
      e[lang] = quizzes;
      bySlug.set(slug, e);
    }
    if (withoutWhy) sink.push(`content/${moduleDir(week)}: ${withoutWhy} quiz(zes) have no why`);
    for (const [slug, e] of bySlug) {
      if (!e.ko || !e.en) continue;
      const ko = e.ko.map((q) => q.answer).join(',');
      const en = e.en.map((q) => q.answer).join(',');
      if (e.ko.length !== e.en.length) sink.push(`content/${moduleDir(week)}/${slug}: ko has ${e.ko.length} quiz(zes), en has ${e.en.length}`);
      else if (ko !== en) sink.push(`content/${moduleDir(week)}/${slug}: the quizzes' answers differ between ko (${ko}) and en (${en})`);
    }
    for (const lang of ['ko', 'en'] as const) {
      const qs = byLang[lang].filter((q) => q.answer >= 0);
      const counts = new Map<number, number>();
      for (const q of qs) counts.set(q.answer, (counts.get(q.answer) ?? 0) + 1);
      for (const [pos, n] of counts) {
        if (n * 2 > qs.length) sink.push(`content/${moduleDir(week)} (${lang}): the correct answer is option ${LETTERS[pos] ?? pos} in ${n} of ${qs.length} quizzes, more than half; move some correct answers to other positions`);
      }
    }
  }
  return { problems, warnings };
}
