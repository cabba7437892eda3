import crypto from 'node:crypto';
import { getDb } from '../db';
import type { Actor } from '../auth/actor';
import { AppError, msg } from '../errors';
import { listLabs } from '../labs/registry';
import { audit } from '../audit';
import { fillSchedule } from './schedule';

/**
 * Cohorts as an instructor sees them. Every function takes the acting user and checks, next to the query, that they
 * teach the cohort (admins see every cohort). A cohort someone may not see does not exist for them: not_found, never
 * "forbidden", so ids cannot be probed.
 */

export async function teachableCohort(actor: Actor, cohortId: string) {
  if (actor.role !== 'INSTRUCTOR' && actor.role !== 'ADMIN') throw new AppError('not_found');
  const cohort = await getDb().cohort.findUnique({ where: { id: cohortId }, include: { schedule: { orderBy: { week: 'asc' } } } });
  if (!cohort || (actor.role !== 'ADMIN' && cohort.instructorId !== actor.id)) throw new AppError('not_found');
  return cohort;
}

export async function listTeachingCohorts(actor: Actor) {
  if (actor.role !== 'INSTRUCTOR' && actor.role !== 'ADMIN') throw new AppError('forbidden');
  return getDb().cohort.findMany({
    where: actor.role === 'ADMIN' ? {} : { instructorId: actor.id },
    orderBy: { createdAt: 'desc' },
    include: { _count: { select: { members: true } }, instructor: { select: { name: true } } },
  });
}

/** A cohort with the 10 weeks scheduled one week apart from `start` on the clock of `zone` (each due a week after it opens). */
export async function createCohort(actor: Actor, input: { name: string; start: Date; latePenaltyPct: number }, zone?: string) {
  if (actor.role !== 'INSTRUCTOR' && actor.role !== 'ADMIN') throw new AppError('forbidden');
  return getDb().$transaction(async (tx) => {
    const cohort = await tx.cohort.create({
      data: { name: input.name, instructorId: actor.id, inviteCode: crypto.randomBytes(9).toString('base64url'), latePenaltyPct: input.latePenaltyPct },
    });
    await tx.cohortWeek.createMany({
      data: fillSchedule(input.start, 10, zone).map((w) => ({ cohortId: cohort.id, ...w })),
    });
    return cohort;
  });
}

/**
 * What an invite link shows before joining: the cohort's name, its instructor, and whether the acting user is in it
 * already (its instructor counts as in). Null when the code is no cohort's. Only the actor's own membership is read.
 */
export async function cohortByInvite(actor: Actor, code: string): Promise<{ name: string; instructor: string; member: boolean } | null> {
  const db = getDb();
  const cohort = await db.cohort.findUnique({
    where: { inviteCode: code },
    select: { id: true, name: true, instructorId: true, instructor: { select: { name: true } } },
  });
  if (!cohort) return null;
  const member =
    cohort.instructorId === actor.id ||
    !!(await db.cohortMember.findUnique({ where: { cohortId_userId: { cohortId: cohort.id, userId: actor.id } }, select: { userId: true } }));
  return { name: cohort.name, instructor: cohort.instructor.name, member };
}

/** Joining by invite code: any signed-in user; idempotent. Following the link is the person's own click: consent. */
export async function joinCohort(actor: Actor, code: string) {
  const db = getDb();
  const cohort = await db.cohort.findUnique({ where: { inviteCode: code }, select: { id: true, name: true, instructorId: true } });
  if (!cohort) throw new AppError('invalid_input', { message: msg('errors.inviteLinkInvalid') });
  if (cohort.instructorId === actor.id) return cohort;
  await db.$transaction(async (tx) => {
    const existing = await tx.cohortMember.findUnique({ where: { cohortId_userId: { cohortId: cohort.id, userId: actor.id } } });
    if (existing) return;
    await tx.cohortMember.create({ data: { cohortId: cohort.id, userId: actor.id } });
    // an e-mail invite to the same cohort is answered by this (it would otherwise wait on both sides)
    const me = await tx.user.findUnique({ where: { id: actor.id }, select: { email: true } });
    if (me)
      await tx.cohortInvite.updateMany({ where: { cohortId: cohort.id, email: me.email.toLowerCase(), acceptedAt: null }, data: { acceptedAt: new Date() } });
    await audit({ actorId: actor.id, action: 'cohort.member.add', targetType: 'cohort', targetId: cohort.id, detail: { via: 'invite-link' } }, tx);
  });
  return cohort;
}

interface Cell {
  best: number | null;
  max: number;
  attempts: number;
  passed: boolean;
  /** The best counted score came from a late submission (after the learner's due date). */
  late: boolean;
  lateAttempts: number;
  /** The instructor's score replacing the graded best, when they set one. */
  override: { score: number; reason: string } | null;
  /** What counts: the override when there is one, else the best counted score. */
  score: number | null;
}

interface GradebookRow {
  user: { id: string; name: string; email: string };
  cells: Record<string, Cell>;
  total: number;
}

export interface Gradebook {
  cohort: { id: string; name: string; latePenaltyPct: number };
  labs: { id: string; week: number; purpose: 'build' | 'troubleshoot'; title: { ko: string; en: string }; max: number }[];
  rows: GradebookRow[];
}

/**
 * Learners × labs: best counted score (a late result counts by the cohort's late policy), attempts (the learner's own
 * graded submissions; regrades are not attempts), passed (a result at or above the lab's pass mark), late marks.
 */
export async function gradebook(actor: Actor, cohortId: string): Promise<Gradebook> {
  const cohort = await teachableCohort(actor, cohortId);
  const db = getDb();
  const members = await db.cohortMember.findMany({
    where: { cohortId },
    include: { user: { select: { id: true, name: true, email: true } } },
    orderBy: { user: { name: 'asc' } },
  });
  const labs = listLabs().map((l) => ({
    id: l.manifest.id,
    week: l.manifest.week,
    purpose: l.manifest.purpose,
    title: l.manifest.title,
    max: l.manifest.checks.reduce((s, c) => s + c.points, 0),
    passRatio: l.manifest.passRatio,
  }));
  const subs = await db.submission.findMany({
    where: { userId: { in: members.map((m) => m.userId) }, status: 'GRADED', practice: false },
    orderBy: { createdAt: 'asc' },
    select: {
      id: true,
      userId: true,
      labId: true,
      late: true,
      regradeOfId: true,
      result: { select: { score: true, maxScore: true, gradable: true, passed: true } },
    },
  });
  // Each attempt counts by its latest gradable grading: a regrade replaces its original's score (and keeps its late
  // mark), as LabProgress does (lib/submissions/process-submission.ts recomputeLabProgress).
  const originals = new Map(subs.filter((s) => !s.regradeOfId).map((s) => [s.id, s]));
  const latest = new Map<string, (typeof subs)[number]>();
  for (const s of subs) {
    if (!s.result?.gradable) continue;
    latest.set(s.regradeOfId ?? s.id, s.regradeOfId ? { ...s, late: originals.get(s.regradeOfId)?.late ?? s.late } : s);
  }
  const effective = [...latest.values()];
  const overrides = await db.gradeOverride.findMany({ where: { cohortId }, select: { userId: true, labId: true, score: true, reason: true } });
  const factor = 1 - cohort.latePenaltyPct / 100;
  const rows: GradebookRow[] = members.map((m) => {
    const cells: Record<string, Cell> = {};
    for (const lab of labs) {
      const mine = effective.filter((s) => s.userId === m.userId && s.labId === lab.id && s.result?.gradable);
      let best: number | null = null;
      let late = false;
      for (const s of mine) {
        const counted = Math.round(s.result!.score * (s.late ? factor : 1) * 100) / 100;
        if (best === null || counted > best) {
          best = counted;
          late = s.late;
        }
      }
      const o = overrides.find((x) => x.userId === m.userId && x.labId === lab.id);
      cells[lab.id] = {
        override: o ? { score: o.score, reason: o.reason } : null,
        score: o ? o.score : best,
        best,
        max: lab.max,
        attempts: mine.length,
        passed: mine.some((s) => s.result!.passed),
        late,
        lateAttempts: mine.filter((s) => s.late).length,
      };
    }
    return { user: m.user, cells, total: Math.round(Object.values(cells).reduce((s, c) => s + (c.score ?? 0), 0) * 100) / 100 };
  });
  return { cohort: { id: cohort.id, name: cohort.name, latePenaltyPct: cohort.latePenaltyPct }, labs: labs.map(({ passRatio: _p, ...l }) => l), rows };
}

export interface LabAnalytics {
  labId: string;
  week: number;
  learners: number;
  started: number;
  passed: number;
  passRate: number;
  medianAttempts: number | null;
  /** Checks by how many learners' latest graded attempt failed them, most first. */
  failing: { id: string; title: { ko: string; en: string }; learners: number }[];
}

function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Where the cohort is stuck, per lab: pass rate, median attempts of those who tried, checks failed most. */
export async function analytics(actor: Actor, cohortId: string): Promise<LabAnalytics[]> {
  await teachableCohort(actor, cohortId);
  const db = getDb();
  const members = await db.cohortMember.findMany({ where: { cohortId }, select: { userId: true } });
  const ids = members.map((m) => m.userId);
  const all = await db.submission.findMany({
    where: { userId: { in: ids }, status: 'GRADED', practice: false },
    orderBy: { createdAt: 'asc' },
    select: { id: true, userId: true, labId: true, regradeOfId: true, result: { select: { gradable: true, passed: true, document: true } } },
  });
  // One entry per attempt, by its latest gradable grading (a regrade after a grader change replaces its original).
  const latest = new Map<string, (typeof all)[number]>();
  for (const s of all) if (s.result?.gradable) latest.set(s.regradeOfId ?? s.id, s);
  const subs = [...latest.values()];
  return listLabs().map((lab) => {
    const byUser = new Map<string, typeof subs>();
    for (const s of subs) if (s.labId === lab.manifest.id && s.result?.gradable) byUser.set(s.userId, [...(byUser.get(s.userId) ?? []), s]);
    const passedUsers = [...byUser.values()].filter((list) => list.some((s) => s.result!.passed)).length;
    const fails = new Map<string, number>();
    for (const list of byUser.values()) {
      const latest = list.at(-1)!.result!.document as { checks?: { id: string; passed: boolean }[] };
      for (const c of latest.checks ?? []) if (!c.passed) fails.set(c.id, (fails.get(c.id) ?? 0) + 1);
    }
    return {
      labId: lab.manifest.id,
      week: lab.manifest.week,
      learners: ids.length,
      started: byUser.size,
      passed: passedUsers,
      passRate: ids.length ? passedUsers / ids.length : 0,
      medianAttempts: median([...byUser.values()].map((l) => l.length)),
      failing: [...fails.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([id, n]) => ({ id, title: lab.manifest.checks.find((c) => c.id === id)?.title ?? { ko: id, en: id }, learners: n })),
    };
  });
}

/** A CSV cell: quoted, quotes doubled, and text a spreadsheet would run as a formula (= + - @) defused. */
export function csvCell(v: string | number | boolean | null): string {
  let s = v === null ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

export function gradebookCsv(gb: Gradebook): string {
  const head = [
    'name',
    'email',
    ...gb.labs.flatMap((l) => [
      `${l.id} best`,
      `${l.id} max`,
      `${l.id} attempts`,
      `${l.id} passed`,
      `${l.id} late`,
      `${l.id} late attempts`,
      `${l.id} override`,
    ]),
    'total',
  ];
  const lines = [head.map(csvCell).join(',')];
  for (const r of gb.rows) {
    lines.push(
      [
        r.user.name,
        r.user.email,
        ...gb.labs.flatMap((l) => {
          const c = r.cells[l.id]!;
          return [c.best, c.max, c.attempts, c.passed ? 'yes' : 'no', c.late ? 'yes' : 'no', c.lateAttempts, c.override?.score ?? null];
        }),
        r.total,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}

/** A learner's timeline in a cohort: submissions and lesson progress, in time order. */
export async function learnerTimeline(actor: Actor, cohortId: string, userId: string) {
  await teachableCohort(actor, cohortId);
  const db = getDb();
  const member = await db.cohortMember.findUnique({
    where: { cohortId_userId: { cohortId, userId } },
    include: { user: { select: { id: true, name: true, email: true } } },
  });
  if (!member) throw new AppError('not_found');
  const [subs, lessons] = await Promise.all([
    db.submission.findMany({
      where: { userId, practice: false },
      orderBy: { createdAt: 'asc' },
      select: {
        id: true,
        labId: true,
        createdAt: true,
        status: true,
        late: true,
        regradeOfId: true,
        result: { select: { score: true, maxScore: true, passed: true, gradable: true } },
      },
    }),
    db.lessonProgress.findMany({ where: { userId }, orderBy: { updatedAt: 'asc' } }),
  ]);
  const events = [
    ...subs.map((s) => ({
      at: s.createdAt,
      kind: 'submission' as const,
      id: s.id,
      labId: s.labId,
      status: s.status,
      late: s.late,
      regrade: !!s.regradeOfId,
      score: s.result?.gradable ? s.result.score : null,
      max: s.result?.maxScore ?? null,
      passed: s.result?.passed ?? false,
    })),
    ...lessons.map((l) => ({ at: l.updatedAt, kind: 'lesson' as const, week: l.week, slug: l.slug, state: l.state })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  return { user: member.user, events };
}

/** Where the cohort's events go (null turns them off) and after how many failed attempts a learner counts as stuck. */
export async function setCohortWebhook(actor: Actor, cohortId: string, webhook: { url: string; kind: 'slack' | 'discord' } | null, stuckAfter: number) {
  await teachableCohort(actor, cohortId);
  await getDb().$transaction(async (tx) => {
    await tx.cohort.update({ where: { id: cohortId }, data: { webhookUrl: webhook?.url ?? null, webhookKind: webhook?.kind ?? null, stuckAfter } });
    // Where a cohort's events go is worth knowing after the fact; the URL's path is often its secret, so only the host is kept.
    await audit(
      {
        actorId: actor.id,
        action: 'cohort.webhook',
        targetType: 'cohort',
        targetId: cohortId,
        detail: { host: webhook ? new URL(webhook.url).host : null, kind: webhook?.kind ?? null, stuckAfter },
      },
      tx,
    );
  });
}
