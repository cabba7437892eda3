/**
 * Every lab through the real sandbox: the reference solution scores full marks, each known-wrong case fails exactly
 * the checks its expect.json names, the starter stays below the pass mark, and wrong files are not gradable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradeFiles } from '@/lib/grading/grade';
import { labPassed } from '@/lib/grading/result';
import { listLabs, readCase, readFolderFiles } from '@/lib/labs/registry';
import { docker } from './helpers';

const labs = listLabs().filter((l) => !l.manifest.id.startsWith('test-'));

async function grade(labId: string, files: { path: string; content: Buffer }[]) {
  const outcome = await gradeFiles({ docker, labId, files });
  if (outcome.kind !== 'graded') throw new Error(`${labId}: ${outcome.kind}`);
  return outcome.result;
}

describe('labs', () => {
  it('there is at least one lab', () => {
    expect(labs.length).toBeGreaterThan(0);
  });

  for (const lab of labs) {
    const id = lab.manifest.id;
    describe(id, () => {
      it('the reference solution scores full marks', async () => {
        const r = await grade(id, readFolderFiles(path.join(lab.dir, 'solution')));
        expect(r.gradable).toBe(true);
        expect(r.checks.filter((c) => !c.passed).map((c) => `${c.id}: ${c.message.en}`)).toEqual([]);
        expect(r.score).toBe(r.maxScore);
        expect(labPassed(lab.manifest, r)).toBe(true);
        expect(r.checks.filter((c) => c.required).map((c) => c.id)).toEqual(lab.manifest.checks.filter((c) => c.required).map((c) => c.id));
      });

      const casesDir = path.join(lab.dir, 'cases');
      const cases = fs.existsSync(casesDir) ? fs.readdirSync(casesDir).filter((c) => fs.statSync(path.join(casesDir, c)).isDirectory()) : [];
      it('has known-wrong cases', () => {
        expect(cases.length).toBeGreaterThanOrEqual(2);
      });
      for (const c of cases) {
        it(`case ${c} fails exactly its expected checks`, async () => {
          const { expect: want, files } = readCase(path.join(casesDir, c));
          const expected = want.fail;
          const r = await grade(id, files);
          expect(r.gradable).toBe(true);
          expect(r.checks.filter((ch) => !ch.passed).map((ch) => ch.id).sort()).toEqual([...expected].sort());
          for (const ch of r.checks.filter((x) => !x.passed)) {
            expect(ch.message.en.length).toBeGreaterThan(10);
            expect(ch.hint.en.length).toBeGreaterThan(10);
          }
        });
      }

      it('the starter scores below the pass mark', async () => {
        const r = await grade(id, readFolderFiles(path.join(lab.dir, 'starter')));
        expect(r.score / r.maxScore).toBeLessThan(lab.manifest.passRatio);
        expect(labPassed(lab.manifest, r)).toBe(false);
      });

      it('a submission with the wrong files is not gradable, with a message', async () => {
        const r = await grade(id, [{ path: 'notes.md', content: Buffer.from('# wrong file\n') }]);
        expect(r.gradable).toBe(false);
        expect(r.message?.en).toMatch(/does not take|required/);
      });
    });
  }
});
