/**
 * Practice grading from a workspace (`lms check`, the web's "check"): the workspace's current files graded by the
 * lab's grader through the normal queue and worker, in a fresh sandbox, as a submission flagged `practice`. The
 * worker (lib/grading/process-submission.ts) gives it no attempt number and no LabProgress change, and attempt lists
 * and gradebooks leave it out. Rate-limited per learner (one waiting at a time, PRACTICE_LIMIT per window), queued
 * with a lower priority than the learner's real submissions of the same rank, and subject to the same fairness rule
 * when it runs (lib/grading/schedule.ts counts it as the learner's running grading).
 */
import { Redis } from 'ioredis';
import { getDb } from '../db';
import { getEnv } from '../env';
import { enqueueGrading } from '../queue';
import type { Lab } from '../labs/registry';
import { acceptFiles } from '../labs/files';
import { storedResult } from '../grading/result';
import { labPassed } from '../grading/result';
import { WorkspaceError, M, type Bi } from './errors';

export const PRACTICE_LIMIT = { max: 10, windowS: 10 * 60 };

export interface PracticeCheck {
  id: string;
  title: Bi;
  passed: boolean;
  points: number;
  maxPoints: number;
  required: boolean;
  message: Bi;
  hint: Bi;
}

export interface PracticeResult {
  submissionId: string;
  status: 'GRADED' | 'TIMED_OUT' | 'ERROR';
  gradable: boolean;
  score: number;
  maxScore: number;
  passed: boolean;
  checks: PracticeCheck[];
  message?: Bi;
  /** What `lms check` prints, in the workspace's language. */
  text: string;
}

const g = globalThis as unknown as { __lmsPracticeRedis?: Redis };
function redis(): Redis {
  g.__lmsPracticeRedis ??= new Redis(getEnv().REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  return g.__lmsPracticeRedis;
}

/** Counts one practice check; the seconds to wait when over the limit (fails open when Redis is down). */
async function overLimit(userId: string): Promise<number> {
  const win = Math.floor(Date.now() / 1000 / PRACTICE_LIMIT.windowS);
  const k = `${getEnv().REDIS_PREFIX}:limit:practice:${userId}:${win}`;
  try {
    const [[, n]] = (await redis().multi().incr(k).expire(k, PRACTICE_LIMIT.windowS, 'NX').exec()) as [[null, number], unknown];
    return n > PRACTICE_LIMIT.max ? (win + 1) * PRACTICE_LIMIT.windowS - Math.floor(Date.now() / 1000) : 0;
  } catch {
    return 0;
  }
}

/** Queues a practice grading of these files; throws a WorkspaceError for files the lab refuses or a limit. */
export async function queuePractice(userId: string, lab: Lab, files: { path: string; content: Buffer }[]): Promise<string> {
  acceptFiles(lab.manifest, files);
  const db = getDb();
  const { id, waiting } = await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext('lms:submit'), hashtext(${userId}))::text`;
    const busy = await tx.submission.count({ where: { userId, practice: true, status: { in: ['QUEUED', 'RUNNING'] } } });
    if (busy > 0) throw new WorkspaceError('rate_limited', M.practiceBusy, { retryAfterS: 10 });
    const wait = await overLimit(userId);
    if (wait > 0) throw new WorkspaceError('rate_limited', M.practiceLimit(PRACTICE_LIMIT.max, PRACTICE_LIMIT.windowS / 60), { retryAfterS: wait });
    const waiting = await tx.submission.count({ where: { userId, status: { in: ['QUEUED', 'RUNNING'] }, regradeOfId: null } });
    const s = await tx.submission.create({
      data: {
        userId,
        labId: lab.manifest.id,
        practice: true,
        status: 'QUEUED',
        phase: 'queued',
        files: { create: files.map((f) => ({ path: f.path, content: new Uint8Array(f.content) })) },
      },
      select: { id: true },
    });
    return { id: s.id, waiting };
  });
  try {
    // Behind the learner's own real submissions of the same rank (BullMQ runs lower numbers first).
    await enqueueGrading(id, { priority: waiting + 2 });
  } catch (e) {
    console.warn(`[workspace] enqueue of practice ${id} failed; the reconciler will retry: ${(e as Error).message}`);
  }
  return id;
}

/** Waits for a practice grading to end (polling its row), reporting its phase; null after `timeoutMs`. */
export async function waitPractice(
  lab: Lab,
  submissionId: string,
  lang: 'ko' | 'en',
  onPhase?: (phase: string) => void,
  timeoutMs = 5 * 60_000,
): Promise<PracticeResult | null> {
  const db = getDb();
  const until = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < until) {
    const s = await db.submission.findUnique({
      where: { id: submissionId },
      select: { status: true, phase: true, error: true, result: { select: { document: true } } },
    });
    if (!s) return null;
    if (s.phase !== last) {
      last = s.phase;
      onPhase?.(s.phase);
    }
    if (s.status === 'GRADED' || s.status === 'TIMED_OUT' || s.status === 'ERROR')
      return practiceResult(lab, submissionId, s.status, s.result?.document, s.error, lang);
    await new Promise((r) => setTimeout(r, 400));
  }
  return null;
}

export function practiceResult(
  lab: Lab,
  submissionId: string,
  status: 'GRADED' | 'TIMED_OUT' | 'ERROR',
  document: unknown,
  error: string | null,
  lang: 'ko' | 'en',
): PracticeResult {
  const parsed = storedResult.safeParse(document);
  const maxScore = lab.manifest.checks.reduce((n, c) => n + c.points, 0);
  let r: PracticeResult;
  if (status !== 'GRADED' || !parsed.success) {
    const message: Bi =
      status === 'TIMED_OUT'
        ? { ko: `채점이 시간 제한을 넘었습니다. ${error ?? ''}`.trim(), en: `Grading ran past its time limit. ${error ?? ''}`.trim() }
        : { ko: '채점 중에 서버 쪽 문제가 생겼습니다. 다시 해 보세요.', en: 'Grading failed for a reason on our side. Try again.' };
    r = { submissionId, status: status === 'GRADED' ? 'ERROR' : status, gradable: false, score: 0, maxScore, passed: false, checks: [], message, text: '' };
  } else {
    const d = parsed.data;
    r = {
      submissionId,
      status,
      gradable: d.gradable,
      score: d.score,
      maxScore: d.maxScore,
      passed: labPassed(lab.manifest, d),
      checks: d.checks.map((c) => ({
        id: c.id,
        title: c.title,
        passed: c.passed,
        points: c.points,
        maxPoints: c.maxPoints,
        required: !!c.required,
        message: c.message,
        hint: c.hint,
      })),
      ...(d.message ? { message: d.message } : {}),
      text: '',
    };
  }
  r.text = formatPractice(r, lang);
  return r;
}

const C = { green: '\x1b[32m', red: '\x1b[31m', bold: '\x1b[1m', dim: '\x1b[2m', off: '\x1b[0m' };

/** The terminal's rendering: one line per check (✓/✗, points, required), the message and the hint of each failure. */
export function formatPractice(r: PracticeResult, lang: 'ko' | 'en'): string {
  const L = (b: Bi) => b[lang];
  const out: string[] = [];
  if (!r.gradable) {
    out.push(`${C.red}${C.bold}${lang === 'ko' ? '채점하지 못했습니다' : 'Not graded'}${C.off}`);
    if (r.message) out.push(L(r.message));
    out.push(C.dim + (lang === 'ko' ? '(연습 채점: 제출 횟수에 들어가지 않습니다)' : '(practice: not counted as an attempt)') + C.off);
    return out.join('\n') + '\n';
  }
  for (const c of r.checks) {
    const mark = c.passed ? `${C.green}✓${C.off}` : `${C.red}✗${C.off}`;
    const req = c.required ? (lang === 'ko' ? ' [필수]' : ' [required]') : '';
    out.push(`${mark} ${L(c.title)}${req}  ${C.dim}${c.points}/${c.maxPoints}${C.off}`);
    if (!c.passed) {
      if (L(c.message)) out.push(`    ${L(c.message).replace(/\n/g, '\n    ')}`);
      out.push(`    ${C.dim}${lang === 'ko' ? '힌트' : 'Hint'}: ${L(c.hint)}${C.off}`);
    }
  }
  if (r.message) out.push('', L(r.message));
  const verdict = r.passed
    ? `${C.green}${C.bold}${lang === 'ko' ? '통과' : 'PASS'}${C.off}`
    : `${C.red}${C.bold}${lang === 'ko' ? '아직 통과 전' : 'NOT YET'}${C.off}`;
  out.push(
    '',
    `${verdict}  ${r.score}/${r.maxScore}  ${C.dim}${lang === 'ko' ? '(연습 채점: 제출 횟수에 들어가지 않습니다. 제출은 실습 페이지나 lms submit 으로)' : '(practice: not an attempt. Submit from the lab page or with lms submit)'}${C.off}`,
  );
  return out.join('\n') + '\n';
}
