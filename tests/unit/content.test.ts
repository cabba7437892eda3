import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkContent } from '@/lib/content/index';

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

const mod = (week: number, lab?: string) => `week: ${week}\ntitle: { ko: 제목, en: Title }\nsummary: { ko: 요약, en: Summary }\ngoals: { ko: [목표], en: [Goal] }\n${lab ? `lab: ${lab}\n` : ''}`;
const lesson = (week: number, body = 'Text.') =>
  `---\ntitle: "A lesson"\ndescription: "A lesson about something."\nweek: ${week}\norder: 1\ngoals: ["Learn"]\nassumes: "Nothing"\nminutes: 5\ndocs:\n  - { title: "Docs", url: "https://example.org/docs" }\n---\n\n${body}\n`;

describe('checkContent', () => {
  it('accepts a complete module with its lab linked in both languages', () => {
    tree({ 'content/week-01/_module.yaml': mod(1, 'week01-x'), 'content/week-01/a.ko.mdx': lesson(1, '[lab](/labs/week01-x)'), 'content/week-01/a.en.mdx': lesson(1, '[lab](/labs/week01-x)') });
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
