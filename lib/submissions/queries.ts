import { getDb } from '../db';
import { rawPool } from '../db-raw';
import type { Actor } from '../auth/actor';
import { AppError, msg } from '../errors';
import { storedResult, type StoredResult } from '../grading/result';
import { getLab } from '../labs/registry';
import { queueEstimate } from './schedule';
import type { SubmissionStatus } from '../generated/prisma/enums';
import type { Submission as SubmissionRow } from '../generated/prisma/client';

export interface SubmissionView {
  id: string;
  labId: string;
  status: SubmissionStatus;
  phase: string;
  number: number | null;
  /** Submitted after the learner's due date (cohort schedule): graded in full, counted by the cohort's late policy. */
  late: boolean;
  createdAt: string;
  finishedAt: string | null;
  error: string | null;
  /** Waiting submissions that will start before this one (only while QUEUED). */
  queuePosition: number | null;
  /** While queued: when the result is expected (ms from now), from the queue played forward with recent grading times. */
  estimateMs: number | null;
  result: StoredResult | null;
  /** Whether this result passes the lab (the pass mark and every required check); null until graded. */
  labPassed: boolean | null;
  /** While running: the checks the grader has reported so far, with their titles. */
  progress: { id: string; title: { ko: string; en: string }; passed: boolean }[];
}

/** Owners see their own submissions; admins see all. (Instructors' access to their cohort comes with cohorts.) */
async function canSee(actor: Actor, ownerId: string): Promise<boolean> {
  return actor.id === ownerId || actor.role === 'ADMIN';
}

export async function getSubmissionView(actor: Actor, id: string): Promise<SubmissionView> {
  const db = getDb();
  const s = await db.submission.findUnique({ where: { id }, include: { result: true } });
  if (!s || !(await canSee(actor, s.userId))) throw new AppError('not_found', { message: msg('errors.noSuchSubmission') });
  return viewOf(s, s.result);
}

type ViewRow = Pick<SubmissionRow, 'id' | 'labId' | 'status' | 'phase' | 'number' | 'late' | 'createdAt' | 'finishedAt' | 'error' | 'progress'>;

async function viewOf(s: ViewRow, result: { document: unknown; passed: boolean } | null): Promise<SubmissionView> {
  // The queue played forward under the fairness rule (lib/submissions/schedule.ts): who really starts first, and when.
  const estimate = s.status === 'QUEUED' ? await queueEstimate(s.id) : null;
  const queuePosition = estimate?.position ?? null;
  const estimateMs = estimate?.estimateMs ?? null;
  const parsed = result ? storedResult.safeParse(result.document) : null;
  return {
    id: s.id,
    labId: s.labId,
    status: s.status,
    phase: s.phase,
    number: s.number,
    late: s.late,
    createdAt: s.createdAt.toISOString(),
    finishedAt: s.finishedAt?.toISOString() ?? null,
    error: s.error,
    queuePosition,
    estimateMs,
    result: parsed?.success ? parsed.data : null,
    labPassed: result ? result.passed : null,
    progress: s.status === 'RUNNING' ? progressOf(s.labId, s.progress) : [],
  };
}

/**
 * The lab page's status poll in one query, for the web process's fast path (server.ts): the session's user, its
 * session version checked, and the submission with its result. The access rule is getSubmissionView's (the owner, or
 * an admin). Anything but a readable submission is null, and the caller leaves the request to the route handler,
 * which answers the refusal (401, 404) in its usual words.
 */
export async function submissionViewForSession(uid: string, sessionVersion: unknown, id: string): Promise<SubmissionView | null> {
  if (typeof sessionVersion !== 'number') return null;
  // Prisma's DateTime columns are timestamps without a zone holding UTC.
  const iso = (col: string) => `to_char(${col}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  const { rows } = await rawPool().query<
    Omit<ViewRow, 'createdAt' | 'finishedAt'> & {
      role: string;
      sv: number;
      userId: string | null;
      createdAt: string;
      finishedAt: string | null;
      document: unknown;
      passed: boolean | null;
    }
  >({
    name: 'lms-status-poll',
    text: `SELECT u.role::text AS role, u."sessionVersion" AS sv, s."userId", s.id, s."labId", s.status::text AS status, s.phase, s.number,
             s.late, ${iso('s."createdAt"')} AS "createdAt", ${iso('s."finishedAt"')} AS "finishedAt", s.error, s.progress, r.document, r.passed
           FROM "User" u
           LEFT JOIN "Submission" s ON s.id = $2
           LEFT JOIN "Result" r ON r."submissionId" = s.id
           WHERE u.id = $1`,
    values: [uid, id],
  });
  const r = rows[0];
  if (!r || r.sv !== sessionVersion || !r.userId) return null;
  if (!(await canSee({ id: uid, role: r.role as Actor['role'] }, r.userId))) return null;
  return viewOf(
    { ...r, createdAt: new Date(r.createdAt), finishedAt: r.finishedAt === null ? null : new Date(r.finishedAt) },
    r.passed === null ? null : { document: r.document, passed: r.passed },
  );
}

export async function listLabSubmissions(actor: Actor, labId: string, take = 50) {
  const rows = await getDb().submission.findMany({
    // Practice runs from a workspace (`lms check`) are not attempts: not listed.
    where: { userId: actor.id, labId, practice: false },
    orderBy: { createdAt: 'desc' },
    take,
    select: {
      id: true,
      status: true,
      number: true,
      late: true,
      regradeOfId: true,
      createdAt: true,
      result: { select: { score: true, maxScore: true, gradable: true, passed: true } },
    },
  });
  return rows;
}

/** The acting user's latest submissions of any lab (their dashboard), newest first. */
export async function recentSubmissions(actor: Actor, take = 8) {
  return getDb().submission.findMany({
    where: { userId: actor.id, practice: false },
    orderBy: { createdAt: 'desc' },
    take,
    select: {
      id: true,
      labId: true,
      status: true,
      number: true,
      late: true,
      createdAt: true,
      result: { select: { score: true, maxScore: true, gradable: true, passed: true } },
    },
  });
}

export async function getSubmissionFiles(actor: Actor, id: string): Promise<{ path: string; content: Buffer }[]> {
  const s = await getDb().submission.findUnique({ where: { id }, select: { userId: true, files: true } });
  if (!s || !(await canSee(actor, s.userId))) throw new AppError('forbidden');
  return s.files.map((f) => ({ path: f.path, content: Buffer.from(f.content) }));
}

function progressOf(labId: string, raw: unknown) {
  const lab = getLab(labId);
  if (!lab || !Array.isArray(raw)) return [];
  return raw
    .filter((x): x is { id: string; passed: boolean } => typeof x?.id === 'string' && typeof x?.passed === 'boolean')
    .flatMap((x) => {
      const spec = lab.manifest.checks.find((c) => c.id === x.id);
      return spec ? [{ id: x.id, title: spec.title, passed: x.passed }] : [];
    });
}
