import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkContent } from '@/lib/content/index';
import { checkGlossary, checkQuizzes } from '@/lib/content/checks';

/** The content check against small content trees made here, so each rule is seen to fail. */
let dir: string;
const prev = process.env.LMS_ROOT;
afterEach(() => {
  process.env.LMS_ROOT = prev;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function tree(files: Record<string, string>) {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-content-'));
  for (const [p, c] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), c);
  }
  process.env.LMS_ROOT = dir;
}

const mod = (week: number, lab?: string) =>
  `week: ${week}\ntitle: { ko: 제목, en: Title }\nsummary: { ko: 요약, en: Summary }\ngoals: { ko: [목표], en: [Goal] }\n${lab ? `lab: ${lab}\n` : ''}`;
const lesson = (week: number, body = 'Text.') =>
  `---\ntitle: "A lesson"\ndescription: "A lesson about something."\nweek: ${week}\norder: 1\ngoals: ["Learn"]\nassumes: "Nothing"\nminutes: 5\ndocs:\n  - { title: "Docs", url: "https://example.org/docs" }\n---\n\n${body}\n`;

describe('checkContent', () => {
  it('accepts a complete module with its lab linked in both languages', () => {
    tree({
      'content/week-01/_module.yaml': mod(1, 'week01-x'),
      'content/week-01/a.ko.mdx': lesson(1, '[lab](/labs/week01-x)'),
      'content/week-01/a.en.mdx': lesson(1, '[lab](/labs/week01-x)'),
    });
    expect(checkContent(['week01-x'])).toEqual([]);
  });

  it('reports a missing translation', () => {
    tree({ 'content/week-01/_module.yaml': mod(1), 'content/week-01/a.ko.mdx': lesson(1) });
    expect(checkContent([]).join('\n')).toMatch(/missing translation\(s\): en/);
  });

  it('reports a broken internal link', () => {
    tree({ 'content/week-01/_module.yaml': mod(1), 'content/week-01/a.ko.mdx': lesson(1, '[x](/weeks/1/nope)'), 'content/week-01/a.en.mdx': lesson(1) });
    expect(checkContent([]).join('\n')).toMatch(/broken internal link \/weeks\/1\/nope/);
  });

  it('reports a lesson whose frontmatter has no or the wrong week', () => {
    tree({ 'content/week-01/_module.yaml': mod(1), 'content/week-01/a.ko.mdx': lesson(2), 'content/week-01/a.en.mdx': lesson(1).replace('week: 1\n', '') });
    const p = checkContent([]).join('\n');
    expect(p).toMatch(/frontmatter week 2/);
    expect(p).toMatch(/week: /);
  });

  it('reports a lab its week does not link', () => {
    tree({ 'content/week-01/_module.yaml': mod(1, 'week01-x'), 'content/week-01/a.ko.mdx': lesson(1), 'content/week-01/a.en.mdx': lesson(1) });
    expect(checkContent(['week01-x']).join('\n')).toMatch(/no lesson links to \/labs\/week01-x/);
  });
});

describe('checkGlossary', () => {
  const glossary =
    'terms:\n  - { en: control plane, ko: 컨트롤 플레인, avoid: [제어 평면] }\n  - { en: error, ko: 오류, avoid: [에러] }\n  - { en: error rate, ko: 오류율, avoid: [에러율] }\n';

  it('reports an avoided variant in a Korean lesson with file:line and the preferred form, and ignores English lessons', () => {
    tree({
      'content/glossary.yaml': glossary,
      'content/week-05/a.ko.mdx': lesson(5, '첫 줄\n\n쿠버네티스의 제어 평면은 결정만 합니다.'),
      'content/week-05/a.en.mdx': lesson(5, 'The 제어 평면 quoted in English text is not checked.'),
    });
    const r = checkGlossary();
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(/^content\/week-05\/a\.ko\.mdx:15: "제어 평면" .*"control plane".*"컨트롤 플레인"/);
    expect(r.warnings).toEqual([]);
  });

  it('names the longer variant where two overlap, and every occurrence on a line', () => {
    tree({ 'content/glossary.yaml': glossary, 'content/intro/a.ko.mdx': lesson(0, '에러율이 올라가면 에러 로그를 봅니다.') });
    const p = checkGlossary().problems;
    expect(p).toHaveLength(2);
    expect(p[0]).toMatch(/"에러율" .*"오류율"/);
    expect(p[1]).toMatch(/"에러" .*"오류"/);
  });

  it('reports an avoided variant in lab instructions too', () => {
    tree({ 'content/glossary.yaml': glossary, 'labs/week05-x/instructions.ko.md': '# 실습\n\n제어 평면을 다룹니다.\n' });
    const r = checkGlossary();
    expect(r.warnings).toEqual([]);
    expect(r.problems).toEqual([expect.stringMatching(/^labs\/week05-x\/instructions\.ko\.md:3: "제어 평면"/)]);
  });

  it('reports a glossary whose avoided form is part of a preferred form, and a missing glossary', () => {
    tree({ 'content/glossary.yaml': 'terms:\n  - { en: error, ko: 오류, avoid: [오] }\n' });
    expect(checkGlossary().problems.join('\n')).toMatch(/"오" \(avoided for "error"\) is part of the preferred form "오류"/);
    tree({ 'content/intro/a.ko.mdx': lesson(0) });
    expect(checkGlossary().problems).toEqual(['content/glossary.yaml is missing']);
  });
});

describe('checkQuizzes', () => {
  const quiz = (answer: number, why = true) =>
    `<Quiz question="Q?" options={["a", "b", "c"]} answer={${answer}} explanation="e"${why ? ' why={["wa", "wb", "wc"]}' : ''} />`;
  const both = (week: number, body: string) => {
    const dir = week === 0 ? 'intro' : `week-${String(week).padStart(2, '0')}`;
    return { [`content/${dir}/a.ko.mdx`]: lesson(week, body), [`content/${dir}/a.en.mdx`]: lesson(week, body) };
  };

  it('accepts answers spread over the positions with one why per option', () => {
    tree(both(1, [quiz(0), quiz(1), quiz(2), quiz(1)].join('\n\n')));
    expect(checkQuizzes()).toEqual({ problems: [], warnings: [] });
  });

  it('fails a module whose correct answers sit in one position more than half the time', () => {
    tree(both(1, [quiz(1), quiz(1), quiz(0)].join('\n\n')));
    const p = checkQuizzes().problems;
    expect(p).toContain('content/week-01 (en): the correct answer is option B in 2 of 3 quizzes, more than half; move some correct answers to other positions');
    expect(p.some((x) => x.startsWith('content/week-01 (ko):'))).toBe(true);
  });

  it('reports a missing why, a why of the wrong length and an answer out of range, with the line', () => {
    tree(both(2, [quiz(0, false), '<Quiz question="Q?" options={["a", "b"]} answer={2} why={["only one"]} />', quiz(1)].join('\n\n')));
    const p = checkQuizzes().problems.join('\n');
    expect(p).toMatch(/week-02\/a\.en\.mdx:13: Quiz has no why/);
    expect(p).toMatch(/week-02\/a\.en\.mdx:15: Quiz: answer must be the index of one of the options \(0 to 1\)/);
    expect(p).toMatch(/week-02\/a\.en\.mdx:15: Quiz: why has 1 sentence\(s\) for 2 options/);
  });

  it('reports ko and en answering differently', () => {
    tree({ 'content/week-03/a.ko.mdx': lesson(3, [quiz(0), quiz(2)].join('\n\n')), 'content/week-03/a.en.mdx': lesson(3, [quiz(0), quiz(1)].join('\n\n')) });
    expect(checkQuizzes().problems).toContain("content/week-03/a: the quizzes' answers differ between ko (0,2) and en (0,1)");
  });

  it('fails every week by default, and only warns for a week named as being rewritten', () => {
    tree(both(7, [quiz(1, false), quiz(1, false)].join('\n\n')));
    const enforced = checkQuizzes();
    expect(enforced.warnings).toEqual([]);
    expect(enforced.problems.filter((p) => /week-07\/a\.(ko|en)\.mdx:\d+: Quiz has no why/.test(p))).toHaveLength(4);
    expect(enforced.problems.some((p) => /week-07 \(en\): the correct answer is option B in 2 of 2/.test(p))).toBe(true);
    const r = checkQuizzes(undefined, new Set([7]));
    expect(r.problems).toEqual([]);
    expect(r.warnings).toContain('content/week-07: 4 quiz(zes) have no why');
    expect(r.warnings.some((w) => /week-07 \(en\): the correct answer is option B in 2 of 2/.test(w))).toBe(true);
  });
});
