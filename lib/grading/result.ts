import { z } from 'zod';
import { bilingual, type LabManifest, type Bilingual } from '../labs/manifest';
import type { GraderVerdict, Msg } from '../../grader-kit/protocol';

/** A grader's message and verdict: the engine↔grader contract (grader-kit/protocol.ts). */
export { graderOutput } from '../../grader-kit/protocol';
export type GraderOutput = GraderVerdict;

/** Cap on the grader's result document, as PrairieLearn caps results.json. */
export const RESULT_MAX_BYTES = 1024 * 1024;

/** One check in a stored result: the grader's verdict joined with the manifest's title, points and hint. */
const resultCheck = z.object({
  id: z.string(),
  title: bilingual,
  points: z.number(),
  maxPoints: z.number(),
  passed: z.boolean(),
  message: bilingual,
  hint: bilingual,
  /** The lab is not passed while this check fails (absent in results stored before checks could be required). */
  required: z.boolean().optional(),
});
type ResultCheck = z.infer<typeof resultCheck>;

export const storedResult = z.object({
  labId: z.string(),
  gradable: z.boolean(),
  score: z.number(),
  maxScore: z.number(),
  message: bilingual.optional(),
  checks: z.array(resultCheck),
  durationMs: z.number(),
});
export type StoredResult = z.infer<typeof storedResult>;

function toBilingual(m: Msg | undefined, fallback: Bilingual): Bilingual {
  if (m === undefined) return fallback;
  if (typeof m === 'string') return { ko: m, en: m };
  return m;
}

const PASSED: Bilingual = { ko: '통과했습니다.', en: 'Passed.' };
const FAILED: Bilingual = { ko: '통과하지 못했습니다.', en: 'Not passed.' };

/**
 * Joins a grader's verdicts with the lab manifest. The manifest, not the grader, owns titles, hints and the
 * points each check is worth: a grader that claims more points than a check has is clamped, an unknown check id is
 * an error, and a check the grader did not report counts as failed. So a bug in one grader cannot inflate a score.
 */
export function assembleResult(manifest: LabManifest, out: GraderOutput, durationMs: number): StoredResult {
  const maxScore = manifest.checks.reduce((s, c) => s + c.points, 0);
  if (!out.gradable) {
    return {
      labId: manifest.id,
      gradable: false,
      score: 0,
      maxScore,
      message: toBilingual(out.message, { ko: '채점할 수 없는 제출입니다.', en: 'This submission could not be graded.' }),
      checks: [],
      durationMs,
    };
  }
  const byId = new Map(out.checks.map((c) => [c.id, c]));
  for (const id of byId.keys()) {
    if (!manifest.checks.some((c) => c.id === id)) throw new Error(`grader reported unknown check "${id}"`);
  }
  const checks: ResultCheck[] = manifest.checks.map((spec) => {
    const got = byId.get(spec.id);
    const points = got ? Math.max(0, Math.min(spec.points, got.points)) : 0;
    const passed = got ? got.passed && points === spec.points : false;
    return {
      id: spec.id,
      title: spec.title,
      points: Math.round(points * 100) / 100,
      maxPoints: spec.points,
      passed,
      message: got
        ? toBilingual(got.message, passed ? PASSED : FAILED)
        : { ko: '채점기가 이 항목을 보고하지 않았습니다.', en: 'The grader did not report this check.' },
      hint: spec.hint,
      ...(spec.required ? { required: true } : {}),
    };
  });
  const score = Math.round(checks.reduce((s, c) => s + c.points, 0) * 100) / 100;
  return {
    labId: manifest.id,
    gradable: true,
    score,
    maxScore,
    message: out.message === undefined ? undefined : toBilingual(out.message, PASSED),
    checks,
    durationMs,
  };
}

/**
 * Whether a result passes its lab: gradable, at or above the lab's pass mark, and every check the manifest requires
 * passed. The manifest (not the stored document) says which checks are required, so a regrade under a stricter
 * manifest applies the new rule.
 */
export function labPassed(
  manifest: Pick<LabManifest, 'passRatio' | 'checks'>,
  result: Pick<StoredResult, 'gradable' | 'score' | 'maxScore' | 'checks'>,
): boolean {
  if (!result.gradable || !(result.maxScore > 0)) return false;
  if (result.score / result.maxScore < manifest.passRatio - 1e-9) return false;
  const got = new Map(result.checks.map((c) => [c.id, c.passed]));
  return manifest.checks.every((c) => !c.required || got.get(c.id) === true);
}
