import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkContent, moduleLabs, moduleMeta } from '@/lib/content/index';

/** A week may name several labs (`labs:`): the build lab, then a troubleshooting lab. */
let dir: string;
const prev = process.env.LMS_ROOT;
afterEach(() => {
  process.env.LMS_ROOT = prev;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});
function tree(files: Record<string, string>) {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-weeklabs-'));
  for (const [p, c] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), c);
  }
  process.env.LMS_ROOT = dir;
}
const head = 'week: 1\ntitle: { ko: 제목, en: Title }\nsummary: { ko: 요약, en: Summary }\ngoals: { ko: [목표], en: [Goal] }\n';
const lesson = (body: string) =>
  `---\ntitle: "A lesson"\ndescription: "A lesson about something."\nweek: 1\norder: 1\ngoals: ["Learn"]\nassumes: "Nothing"\nminutes: 5\ndocs:\n  - { title: "Docs", url: "https://example.org/docs" }\n---\n\n${body}\n`;

describe('a week with several labs', () => {
  it('moduleLabs reads `labs` in order, or the single `lab`, and refuses both at once', () => {
    const base = { week: 1, title: { ko: 'a', en: 'a' }, summary: { ko: 'a', en: 'a' }, goals: { ko: ['a'], en: ['a'] } };
    expect(moduleLabs(moduleMeta.parse({ ...base, labs: ['week01-a', 'week01-b'] }))).toEqual(['week01-a', 'week01-b']);
    expect(moduleLabs(moduleMeta.parse({ ...base, lab: 'week01-a' }))).toEqual(['week01-a']);
    expect(moduleLabs(moduleMeta.parse(base))).toEqual([]);
    expect(moduleMeta.safeParse({ ...base, lab: 'week01-a', labs: ['week01-b'] }).success).toBe(false);
  });
  it('the content check wants every lab of the week named and linked, and every named lab to exist', () => {
    const both = '[build](/labs/week01-a) [fix](/labs/week01-b)';
    tree({
      'content/week-01/_module.yaml': `${head}labs: [week01-a, week01-b]\n`,
      'content/week-01/a.ko.mdx': lesson(both),
      'content/week-01/a.en.mdx': lesson(both),
    });
    expect(checkContent(['week01-a', 'week01-b'])).toEqual([]);
    expect(checkContent(['week01-a', 'week01-b', 'week01-c']).join('\n')).toMatch(/does not name its lab "week01-c"/);
    expect(checkContent(['week01-a']).join('\n')).toMatch(/lab "week01-b" does not exist/);
    tree({
      'content/week-01/_module.yaml': `${head}labs: [week01-a, week01-b]\n`,
      'content/week-01/a.ko.mdx': lesson(both),
      'content/week-01/a.en.mdx': lesson('[build](/labs/week01-a)'),
    });
    expect(checkContent(['week01-a', 'week01-b']).join('\n')).toMatch(/no lesson links to \/labs\/week01-b/);
  });
});
