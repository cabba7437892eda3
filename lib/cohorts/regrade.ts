import crypto from 'node:crypto';
import { getDb } from '../db';
import type { Actor } from '../auth/actor';
import { AppError } from '../errors';
import { getLab } from '../labs/registry';
import { audit } from '../audit';
import { enqueueGrading } from '../queue';
import { teachableCohort } from './gradebook';

/**
 * Regrades after a grader changed: each a new submission with the same files (`regradeOfId`), queued like any other
 * and sharing a batch id, so the instructor sees before → after. A regrade is not the learner's attempt and does not
 * count against their limits; their progress takes each attempt's latest grading (lib/submissions/process-submission).
 */
async function copyForRegrade(originalId: string, batchId: string): Promise<string> {
  const db = getDb();
  const created = await db.$transaction(async (tx) => {
    const o = await tx.submission.findUniqueOrThrow({ where: { id: originalId }, include: { files: true } });
    return tx.submission.create({
      data: {
        userId: o.userId,
        labId: o.labId,
        status: 'QUEUED',
        phase: 'queued',
        late: o.late,
        regradeOfId: o.id,
        regradeBatchId: batchId,
        files: { create: o.files.map((f) => ({ path: f.path, content: f.content })) },
      },
      select: { id: true },
    });
  });
  await enqueueGrading(created.id, { priority: 50 }).catch(() => {}); // the reconciler enqueues it if Redis was away
  return created.id;
}

/** Every graded attempt (not regrades) of one lab by the cohort's members. */
export async function regradeLab(actor: Actor, cohortId: string, labId: string): Promise<{ batchId: string; count: number }> {
  await teachableCohort(actor, cohortId);
  const db = getDb();
  const members = (await db.cohortMember.findMany({ where: { cohortId }, select: { userId: true } })).map((m) => m.userId);
  const originals = await db.submission.findMany({
    where: { userId: { in: members }, labId, regradeOfId: null, practice: false, status: 'GRADED' },
    select: { id: true },
  });
  const batchId = `rg${crypto.randomBytes(10).toString('hex')}`;
  for (const o of originals) await copyForRegrade(o.id, batchId);
  await audit({ actorId: actor.id, action: 'lab.regrade', targetType: 'cohort', targetId: cohortId, detail: { labId, batchId, count: originals.length } });
  return { batchId, count: originals.length };
}

/** Admins only: every graded attempt of one lab, by anyone (a grader fix that concerns every cohort and none). */
export async function regradeLabEverywhere(actor: Actor, labId: string): Promise<{ batchId: string; count: number }> {
  if (actor.role !== 'ADMIN') throw new AppError('forbidden');
  if (!getLab(labId)) throw new AppError('not_found');
  const originals = await getDb().submission.findMany({ where: { labId, regradeOfId: null, practice: false, status: 'GRADED' }, select: { id: true } });
  const batchId = `rg${crypto.randomBytes(10).toString('hex')}`;
  for (const o of originals) await copyForRegrade(o.id, batchId);
  await audit({
    actorId: actor.id,
    action: 'lab.regrade',
    targetType: 'lab',
    targetId: labId,
    detail: { labId, batchId, count: originals.length, scope: 'all' },
  });
  return { batchId, count: originals.length };
}

/** One submission of a learner in a cohort the actor teaches. */
export async function regradeSubmission(actor: Actor, cohortId: string, submissionId: string): Promise<{ batchId: string }> {
  await teachableCohort(actor, cohortId);
  const db = getDb();
  const s = await db.submission.findUnique({ where: { id: submissionId }, select: { id: true, userId: true, regradeOfId: true, status: true } });
  if (!s || s.status !== 'GRADED') throw new AppError('not_found');
  if (!(await db.cohortMember.findUnique({ where: { cohortId_userId: { cohortId, userId: s.userId } } }))) throw new AppError('not_found');
  const batchId = `rg${crypto.randomBytes(10).toString('hex')}`;
  await copyForRegrade(s.regradeOfId ?? s.id, batchId);
  await audit({ actorId: actor.id, action: 'submission.regrade', targetType: 'submission', targetId: s.id, detail: { batchId } });
  return { batchId };
}

export interface RegradeSummary {
  rows: { submissionId: string; learner: string; labId: string; before: number | null; after: number | null; max: number | null; status: string }[];
  up: number;
  down: number;
  same: number;
  pending: number;
}

/** Before → after for a batch, limited to the cohort's members; `cohortId: null` (every learner) is for admins. */
export async function regradeSummary(actor: Actor, cohortId: string | null, batchId: string): Promise<RegradeSummary> {
  if (cohortId === null && actor.role !== 'ADMIN') throw new AppError('not_found');
  if (cohortId !== null) await teachableCohort(actor, cohortId);
  const db = getDb();
  const members = cohortId === null ? null : new Set((await db.cohortMember.findMany({ where: { cohortId }, select: { userId: true } })).map((m) => m.userId));
  const regrades = await db.submission.findMany({
    where: { regradeBatchId: batchId },
    select: {
      id: true,
      userId: true,
      labId: true,
      status: true,
      regradeOfId: true,
      user: { select: { name: true } },
      result: { select: { score: true, maxScore: true, gradable: true } },
    },
  });
  const mine = members ? regrades.filter((r) => members.has(r.userId)) : regrades;
  if (!mine.length) throw new AppError('not_found');
  const originals = await db.submission.findMany({
    where: { id: { in: mine.map((r) => r.regradeOfId!) } },
    select: { id: true, result: { select: { score: true, gradable: true } } },
  });
  const rows = mine.map((r) => {
    const o = originals.find((x) => x.id === r.regradeOfId);
    return {
      submissionId: r.regradeOfId!,
      learner: r.user.name,
      labId: r.labId,
      before: o?.result?.gradable ? o.result.score : null,
      after: r.status === 'GRADED' && r.result?.gradable ? r.result.score : null,
      max: r.result?.maxScore ?? null,
      status: r.status,
    };
  });
  const done = rows.filter((r) => r.after !== null && r.before !== null);
  return {
    rows,
    up: done.filter((r) => r.after! > r.before!).length,
    down: done.filter((r) => r.after! < r.before!).length,
    same: done.filter((r) => r.after === r.before).length,
    pending: rows.filter((r) => r.status === 'QUEUED' || r.status === 'RUNNING').length,
  };
}
