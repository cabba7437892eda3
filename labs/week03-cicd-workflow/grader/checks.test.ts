import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { Submission, NotGradable, type GraderVerdict } from '../../../lib/grader-kit/index';
import { labManifest } from '../../../lib/labs/manifest';
import { grade, WORKFLOW } from './checks';
import { actionlint } from './actionlint';

const LAB = path.resolve(import.meta.dirname, '..');
const manifest = labManifest.parse(YAML.parse(fs.readFileSync(path.join(LAB, 'lab.yaml'), 'utf8')));
const maxScore = manifest.checks.reduce((s, c) => s + c.points, 0);
const solution = fs.readFileSync(path.join(LAB, 'solution', WORKFLOW), 'utf8');
const dirSub = (dir: string) => new Submission(new Map([[WORKFLOW, fs.readFileSync(path.join(LAB, dir, WORKFLOW))]]));
const wf = (text: string) => new Submission(new Map([[WORKFLOW, Buffer.from(text)]]));
const failed = (v: GraderVerdict) => v.checks.filter((c) => !c.passed).map((c) => c.id).sort();
const score = (v: GraderVerdict) => v.checks.reduce((s, c) => s + c.points, 0);
const en = (v: GraderVerdict, id: string) => {
  const m = v.checks.find((c) => c.id === id)?.message;
  return typeof m === 'object' ? m.en : (m ?? '');
};
const edit = (from: string, to: string) => {
  expect(solution).toContain(from);
  return wf(solution.replace(from, to));
};

describe('week 3 CI/CD workflow grader', () => {
  it('runs actionlint from WebAssembly and reports rule, line and column', async () => {
    const f = await actionlint('on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    needs: [b]\n    steps:\n      - run: "true"\n', 'x.yml');
    expect(f).toEqual([expect.objectContaining({ kind: 'job-needs', line: 3, column: 3 })]);
  });

  it('scores the reference solution full marks with no actionlint finding', async () => {
    const v = await grade(dirSub('solution'));
    expect(v.checks.map((c) => c.id)).toEqual(manifest.checks.map((c) => c.id));
    expect(failed(v)).toEqual([]);
    expect(score(v)).toBe(maxScore);
    expect(await actionlint(solution, WORKFLOW)).toEqual([]);
  });

  it('keeps the starter below the pass mark', async () => {
    expect(score(await grade(dirSub('starter')))).toBeLessThan(maxScore * manifest.passRatio);
  });

  const cases = fs.readdirSync(path.join(LAB, 'cases'));
  it('has at least five known-wrong cases', () => expect(cases.length).toBeGreaterThanOrEqual(5));
  for (const c of cases) {
    it(`case ${c} fails exactly its expected checks`, async () => {
      const expected = (JSON.parse(fs.readFileSync(path.join(LAB, 'cases', c, 'expect.json'), 'utf8')) as { fail: string[] }).fail.sort();
      const v = await grade(dirSub(`cases/${c}`));
      expect(failed(v)).toEqual(expected);
    });
  }

  it('names file, line and column of an injection, and accepts the value through env', async () => {
    const bad = await grade(edit('      - run: npm test\n', '      - run: npm test\n      - run: git checkout "${{ github.head_ref }}"\n'));
    expect(en(bad, 'injection')).toMatch(/\.github\/workflows\/ci\.yml:\d+:\d+: github\.head_ref/);
    const good = await grade(edit('      - run: npm test\n', '      - run: git checkout "$HEAD_REF"\n        env:\n          HEAD_REF: ${{ github.head_ref }}\n      - run: npm test\n'));
    expect(failed(good)).toEqual([]);
  });

  it('accepts other spellings of the same intent', async () => {
    // on as a list, ref_name guard, read-all, actions/cache keyed on the lock file
    const v = await grade(
      wf(
        solution
          .replace("if: github.event_name == 'push' && github.ref == 'refs/heads/main'", "if: github.ref_name == 'main'")
          .replace('permissions:\n  contents: read\n\nconcurrency', 'permissions: read-all\n\nconcurrency'),
      ),
    );
    expect(failed(v)).toEqual([]);
  });

  it('lists every action referenced by a tag, with its line', async () => {
    const v = await grade(edit('actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v5.0.0', 'actions/upload-artifact@main'));
    expect(failed(v)).toEqual(['pinning']);
    expect(en(v, 'pinning')).toMatch(/ci\.yml:\d+ actions\/upload-artifact@main/);
  });

  it('is not gradable without the workflow file, or with broken YAML', async () => {
    await expect(grade(new Submission(new Map([['notes.md', Buffer.from('hi')]])))).rejects.toBeInstanceOf(NotGradable);
    await expect(grade(wf('jobs: [1, 2\n'))).rejects.toThrow(/YAML/);
    await expect(grade(wf('name: nothing\n'))).rejects.toThrow(/no jobs/);
  });
});
