import { describe, expect, it } from 'vitest';
import { labManifest, type LabManifest } from '@/lib/labs/manifest';
import { assembleResult, graderOutput } from '@/lib/grading/result';

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
    const r = assembleResult(manifest, { gradable: true, checks: [{ id: 'a', points: 99, passed: true }, { id: 'b', points: 1, passed: false, message: { ko: '틀림', en: 'wrong' } }] }, 12);
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
    const r = assembleResult(manifest, { gradable: true, checks: [{ id: 'a', points: 1, passed: true }, { id: 'b', points: 2, passed: true }] }, 1);
    expect(r.checks[0]!.passed).toBe(false);
  });

  it('an ungradable submission scores nothing and lists no checks', () => {
    const r = assembleResult(manifest, { gradable: false, message: 'main.tf is not HCL', checks: [] }, 1);
    expect(r).toMatchObject({ gradable: false, score: 0, checks: [], message: { en: 'main.tf is not HCL' } });
  });
});
