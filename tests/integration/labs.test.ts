/**
 * Every lab through the real sandbox (lib/labs/verify.ts, as `bin/lms labs verify`): the reference solution and every
 * variant (a legitimate solution in another style) score full marks, each known-wrong case fails exactly the checks its
 * expect.json names with a message and a hint, the starter stays below the pass mark, and wrong files are not
 * gradable. Gradings of one lab run concurrently up to the worker's slots.
 */
import { describe, expect, it } from 'vitest';
import { gradeFiles } from '@/lib/grading/grade';
import { labPassed } from '@/lib/grading/result';
import { listLabs } from '@/lib/labs/registry';
import { judgeItem, labVerifyItems } from '@/lib/labs/verify';
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
    const items = labVerifyItems(lab);
    describe.concurrent(id, () => {
      it('has known-wrong cases and legitimate variants', () => {
        expect(items.filter((i) => i.kind === 'case').length).toBeGreaterThanOrEqual(2);
      });

      for (const item of items) {
        const title =
          item.kind === 'solution'
            ? 'the reference solution scores full marks'
            : item.kind === 'starter'
              ? 'the starter scores below the pass mark'
              : item.kind === 'case'
                ? `case ${item.name} fails exactly its expected checks`
                : item.kind === 'startFrom'
                  ? `${item.name}'s solution mapped onto the starter (startFrom) stays below the pass mark`
                  : `variant ${item.name} scores full marks (${item.style})`;
        it(title, async () => {
          const r = await grade(id, item.files);
          expect(r.gradable).toBe(true);
          const j = judgeItem(lab, item, r);
          if (item.kind === 'case') {
            expect(j.failed.sort()).toEqual([...item.mustFail!].sort());
            for (const ch of r.checks.filter((x) => !x.passed)) {
              expect(ch.message.en.length).toBeGreaterThan(10);
              expect(ch.hint.en.length).toBeGreaterThan(10);
            }
          } else if (item.kind === 'starter' || item.kind === 'startFrom') {
            expect(r.score / r.maxScore).toBeLessThan(lab.manifest.passRatio);
            expect(labPassed(lab.manifest, r)).toBe(false);
          } else {
            expect(r.checks.filter((c) => !c.passed).map((c) => `${c.id}: ${c.message.en}`)).toEqual([]);
            expect(r.score).toBe(r.maxScore);
            expect(labPassed(lab.manifest, r)).toBe(true);
            expect(r.checks.filter((c) => c.required).map((c) => c.id)).toEqual(lab.manifest.checks.filter((c) => c.required).map((c) => c.id));
          }
          expect(j.ok).toBe(true);
        });
      }

      it('a submission with the wrong files is not gradable, with a message', async () => {
        const r = await grade(id, [{ path: 'notes.md', content: Buffer.from('# wrong file\n') }]);
        expect(r.gradable).toBe(false);
        expect(r.message?.en).toMatch(/does not take|required/);
      });
    });
  }
});
