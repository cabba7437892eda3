import { describe, expect, it } from 'vitest';
import { labManifest, type LabManifest } from '@/lib/labs/manifest';
import { assembleResult, graderOutput, labPassed } from '@/lib/grading/result';

const manifest: LabManifest = labManifest.parse({
  id: 'unit-lab',
  week: 1,
  title: { ko: '실습', en: 'Lab' },
  summary: { ko: '요약', en: 'Summary' },
  files: [{ path: 'main.tf' }],
  checks: [
    { id: 'a', title: { ko: 'A', en: 'A' }, points: 3, hint: { ko: 'h', en: 'h' } },
    { id: 'b', title: { ko: 'B', en: 'B' }, points: 2, hint: { ko: 'h', en: 'h' } },
  ],
});

describe('labManifest', () => {
  it('fills defaults and rejects duplicates and bad ids', () => {
    expect(manifest.kind).toBe('static');
    expect(manifest.passRatio).toBe(0.7);
    expect(manifest.files[0]!.required).toBe(true);
    const dup = labManifest.safeParse({ ...manifest, checks: [manifest.checks[0], manifest.checks[0]] });
    expect(dup.success).toBe(false);
    expect(labManifest.safeParse({ ...manifest, id: 'Bad_Id' }).success).toBe(false);
    expect(labManifest.safeParse({ ...manifest, week: 11 }).success).toBe(false);
    expect(labManifest.safeParse({ ...manifest, unknown: 1 }).success).toBe(false);
  });
});

describe('graderOutput', () => {
  it('accepts the documented shape and rejects extras', () => {
    expect(graderOutput.safeParse({ gradable: true, checks: [{ id: 'a', points: 1, passed: false, message: 'x' }] }).success).toBe(true);
    expect(graderOutput.safeParse({ gradable: true, checks: [{ id: 'a', points: 1, passed: false, extra: 1 }] }).success).toBe(false);
    expect(graderOutput.safeParse({ gradable: 'yes' }).success).toBe(false);
  });
});

describe('assembleResult', () => {
  it('joins verdicts with the manifest and clamps inflated points', () => {
    const r = assembleResult(
      manifest,
      {
        gradable: true,
        checks: [
          { id: 'a', points: 99, passed: true },
          { id: 'b', points: 1, passed: false, message: { ko: '틀림', en: 'wrong' } },
        ],
      },
      12,
    );
    expect(r.score).toBe(4);
    expect(r.maxScore).toBe(5);
    expect(r.checks[0]).toMatchObject({ id: 'a', points: 3, maxPoints: 3, passed: true });
    expect(r.checks[1]).toMatchObject({ id: 'b', points: 1, maxPoints: 2, passed: false, message: { en: 'wrong' } });
  });

  it('counts a check the grader did not report as failed, and refuses unknown ids', () => {
    const r = assembleResult(manifest, { gradable: true, checks: [{ id: 'a', points: 3, passed: true }] }, 1);
    expect(r.checks[1]).toMatchObject({ id: 'b', points: 0, passed: false });
    expect(() => assembleResult(manifest, { gradable: true, checks: [{ id: 'zzz', points: 1, passed: true }] }, 1)).toThrow(/unknown check/);
  });

  it('a passed flag with missing points is not a pass', () => {
    const r = assembleResult(
      manifest,
      {
        gradable: true,
        checks: [
          { id: 'a', points: 1, passed: true },
          { id: 'b', points: 2, passed: true },
        ],
      },
      1,
    );
    expect(r.checks[0]!.passed).toBe(false);
  });

  it('an ungradable submission scores nothing and lists no checks', () => {
    const r = assembleResult(manifest, { gradable: false, message: 'main.tf is not HCL', checks: [] }, 1);
    expect(r).toMatchObject({ gradable: false, score: 0, checks: [], message: { en: 'main.tf is not HCL' } });
  });
});

describe('labPassed', () => {
  // 10 points: the required check (4) and two optional ones (3 each); the pass mark is 70 %
  const lab = labManifest.parse({
    ...manifest,
    checks: [
      { id: 'core', title: { ko: 'C', en: 'C' }, points: 4, hint: { ko: 'h', en: 'h' }, required: true },
      { id: 'x', title: { ko: 'X', en: 'X' }, points: 3, hint: { ko: 'h', en: 'h' } },
      { id: 'y', title: { ko: 'Y', en: 'Y' }, points: 3, hint: { ko: 'h', en: 'h' } },
    ],
  });
  const run = (core: number, x: number, y: number) =>
    assembleResult(
      lab,
      {
        gradable: true,
        checks: [
          { id: 'core', points: core, passed: core === 4 },
          { id: 'x', points: x, passed: x === 3 },
          { id: 'y', points: y, passed: y === 3 },
        ],
      },
      1,
    );

  it('needs the pass mark and every required check', () => {
    expect(lab.checks.map((c) => c.required)).toEqual([true, false, false]);
    expect(labPassed(lab, run(4, 3, 3))).toBe(true);
    expect(labPassed(lab, run(4, 3, 0))).toBe(true); // 7/10: at the mark, required check passed
    expect(labPassed(lab, run(4, 0, 0))).toBe(false); // required passed, below the mark
    expect(labPassed(lab, run(3, 3, 3))).toBe(false); // 9/10 with partial credit on the required check: not passed
    expect(run(3, 3, 3).checks[0]).toMatchObject({ required: true, passed: false });
    expect(run(3, 3, 3).checks[1]!.required).toBeUndefined();
  });

  it('an ungradable result or an empty lab never passes; results stored before required checks still count', () => {
    expect(labPassed(lab, { gradable: false, score: 0, maxScore: 10, checks: [] })).toBe(false);
    expect(labPassed({ passRatio: 0, checks: [] }, { gradable: true, score: 0, maxScore: 0, checks: [] })).toBe(false);
    // a stored document without `required` flags: the manifest decides
    const old = run(4, 3, 3);
    expect(labPassed(lab, { ...old, checks: old.checks.map(({ required: _r, ...c }) => c) })).toBe(true);
    expect(labPassed(manifest, { gradable: true, score: 4, maxScore: 5, checks: [] })).toBe(true); // no required checks: the mark alone
  });
});
