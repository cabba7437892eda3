import crypto from 'node:crypto';
import { z } from 'zod';
import { getDb } from '../db';
import type { Actor } from '../auth/actor';
import { AppError, msg, type ErrorMessage } from '../errors';
import { audit } from '../audit';
import { loadContent, moduleLabs } from '../content/index';

/**
 * Study groups. Members see each other's roadmap progress (lessons done per week, labs passed), never submissions,
 * files or feedback; the leaderboard shows only members who opted in. Access is checked here, next to the queries:
 * a non-member gets not_found (a group's existence is not revealed), a member who is not the owner forbidden on
 * owner actions.
 */
const code = () => crypto.randomBytes(9).toString('base64url');
const MAX_MEMBERS = 50;
const MAX_OWNED = 20;

/** A group's name: 2-60 characters after trimming, no control characters. Rendered as text everywhere. */
export const groupName = z
  .string()
  .trim()
  .min(2, 'At least 2 characters.')
  .max(60, 'At most 60 characters.')
  .refine((s) => ![...s].some((c) => c.charCodeAt(0) < 32 || (c.charCodeAt(0) >= 127 && c.charCodeAt(0) < 160)), 'No control characters.');
export const inviteCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{6,40}$/, 'Not an invite code.');

async function membership(actor: Actor, groupId: string) {
  const m = await getDb().groupMember.findUnique({ where: { groupId_userId: { groupId, userId: actor.id } }, include: { group: true } });
  if (!m) throw new AppError('not_found', { message: msg('errors.noSuchGroup') });
  return m;
}

async function ownerOf(actor: Actor, groupId: string, refusal: ErrorMessage) {
  const m = await membership(actor, groupId);
  if (m.group.ownerId !== actor.id) throw new AppError('forbidden', { message: refusal });
  return m;
}

/** A cohort the actor may make a group follow: one they belong to (or teach). */
async function assertCohortOfOwner(actor: Actor, cohortId: string) {
  const db = getDb();
  const [member, taught] = await Promise.all([
    db.cohortMember.findUnique({ where: { cohortId_userId: { cohortId, userId: actor.id } }, select: { cohortId: true } }),
    db.cohort.findFirst({ where: { id: cohortId, instructorId: actor.id }, select: { id: true } }),
  ]);
  if (!member && !taught) throw new AppError('invalid_input', { message: msg('errors.followOwnCohort') });
}

/** The cohorts a group owned by the actor could follow. */
export async function cohortChoices(actor: Actor) {
  const db = getDb();
  const [member, taught] = await Promise.all([
    db.cohortMember.findMany({ where: { userId: actor.id }, select: { cohort: { select: { id: true, name: true } } } }),
    db.cohort.findMany({ where: { instructorId: actor.id }, select: { id: true, name: true } }),
  ]);
  const all = new Map([...member.map((m) => m.cohort), ...taught].map((c) => [c.id, c]));
  return [...all.values()];
}

export async function createGroup(actor: Actor, name: string, cohortId: string | null = null) {
  const clean = groupName.parse(name);
  if (cohortId) await assertCohortOfOwner(actor, cohortId);
  return getDb().$transaction(async (tx) => {
    if ((await tx.studyGroup.count({ where: { ownerId: actor.id } })) >= MAX_OWNED) {
      throw new AppError('invalid_input', { message: msg('errors.tooManyGroups', { max: MAX_OWNED }) });
    }
    const g = await tx.studyGroup.create({ data: { name: clean, ownerId: actor.id, inviteCode: code(), cohortId } });
    await tx.groupMember.create({ data: { groupId: g.id, userId: actor.id } });
    return g;
  });
}

export async function myGroups(actor: Actor) {
  return getDb().groupMember.findMany({
    where: { userId: actor.id },
    include: { group: { select: { id: true, name: true, ownerId: true, cohort: { select: { name: true } }, _count: { select: { members: true } } } } },
    orderBy: { joinedAt: 'desc' },
  });
}

export async function joinGroup(actor: Actor, rawCode: string) {
  const parsed = inviteCode.safeParse(rawCode);
  const invalid = new AppError('invalid_input', { message: msg('errors.groupCodeInvalid') });
  if (!parsed.success) throw invalid;
  const db = getDb();
  return db.$transaction(async (tx) => {
    const g = await tx.studyGroup.findUnique({ where: { inviteCode: parsed.data }, select: { id: true, name: true } });
    if (!g) throw invalid;
    const already = await tx.groupMember.findUnique({ where: { groupId_userId: { groupId: g.id, userId: actor.id } } });
    if (already) return g;
    if ((await tx.groupMember.count({ where: { groupId: g.id } })) >= MAX_MEMBERS) {
      throw new AppError('invalid_input', { message: msg('errors.groupFull', { max: MAX_MEMBERS }) });
    }
    await tx.groupMember.create({ data: { groupId: g.id, userId: actor.id } });
    return g;
  });
}

/** A member leaves. The owner may leave only when alone, which deletes the group. */
export async function leaveGroup(actor: Actor, groupId: string): Promise<{ deleted: boolean }> {
  const m = await membership(actor, groupId);
  const db = getDb();
  if (m.group.ownerId === actor.id) {
    const count = await db.groupMember.count({ where: { groupId } });
    if (count > 1) throw new AppError('invalid_input', { message: msg('errors.ownerCannotLeave') });
    await db.studyGroup.delete({ where: { id: groupId } });
    return { deleted: true };
  }
  await db.groupMember.delete({ where: { groupId_userId: { groupId, userId: actor.id } } });
  return { deleted: false };
}

export async function removeMember(actor: Actor, groupId: string, userId: string) {
  await ownerOf(actor, groupId, msg('errors.ownerOnlyRemove'));
  if (userId === actor.id) throw new AppError('invalid_input', { message: msg('errors.ownerSelf') });
  await getDb().$transaction(async (tx) => {
    const r = await tx.groupMember.deleteMany({ where: { groupId, userId } });
    if (r.count === 0) throw new AppError('not_found', { message: msg('errors.notGroupMember') });
    await audit({ actorId: actor.id, action: 'group.member.remove', targetType: 'group', targetId: groupId, detail: { userId } }, tx);
  });
}

/** A new invite code; the old one stops working at once. */
export async function rotateInvite(actor: Actor, groupId: string) {
  await ownerOf(actor, groupId, msg('errors.ownerOnlyInvite'));
  return getDb().studyGroup.update({ where: { id: groupId }, data: { inviteCode: code() }, select: { inviteCode: true } });
}

/** Follow a cohort's schedule (one the owner belongs to) or, with null, the group's own pace. */
export async function setGroupPace(actor: Actor, groupId: string, cohortId: string | null) {
  await ownerOf(actor, groupId, msg('errors.ownerOnlySchedule'));
  if (cohortId) await assertCohortOfOwner(actor, cohortId);
  await getDb().studyGroup.update({ where: { id: groupId }, data: { cohortId } });
}

export async function setLeaderboard(actor: Actor, groupId: string, on: boolean) {
  await membership(actor, groupId);
  await getDb().groupMember.update({ where: { groupId_userId: { groupId, userId: actor.id } }, data: { onLeaderboard: on } });
}

interface BoardRow {
  userId: string;
  name: string;
  owner: boolean;
  /** Per module (0 = introduction, 1-10): lessons marked done, of how many, and whether its lab passed. */
  weeks: { week: number; done: number; of: number; hasLab: boolean; labPassed: boolean }[];
  lessonsDone: number;
  labsPassed: number;
  onLeaderboard: boolean;
}

interface BoardWeek {
  week: number;
  title: { ko: string; en: string } | null;
  /** From the followed cohort's schedule; absent on the group's own pace. */
  unlockAt?: Date;
  dueAt?: Date;
}

/**
 * What a group shares with its members: names, lessons done per week, labs passed (and, for members who opted in,
 * the leaderboard's total of best scores). Nothing else about another member is read.
 */
export async function groupBoard(actor: Actor, groupId: string) {
  const m = await membership(actor, groupId);
  const db = getDb();
  const [members, cohort] = await Promise.all([
    db.groupMember.findMany({ where: { groupId }, include: { user: { select: { id: true, name: true } } }, orderBy: { joinedAt: 'asc' } }),
    m.group.cohortId
      ? db.cohort.findUnique({ where: { id: m.group.cohortId }, select: { id: true, name: true, schedule: { orderBy: { week: 'asc' } } } })
      : null,
  ]);
  const ids = members.map((x) => x.userId);
  const [lessons, labs] = await Promise.all([
    db.lessonProgress.findMany({ where: { userId: { in: ids }, state: 'DONE' }, select: { userId: true, week: true } }),
    db.labProgress.findMany({ where: { userId: { in: ids } }, select: { userId: true, labId: true, passed: true, bestScore: true } }),
  ]);
  const modules = loadContent();
  const weeks: BoardWeek[] = [];
  for (let w = 0; w <= 10; w++) {
    const mod = modules.find((x) => x.week === w);
    const s = cohort?.schedule.find((x) => x.week === w);
    weeks.push({ week: w, title: mod?.meta.title ?? null, unlockAt: s?.unlockAt, dueAt: s?.dueAt });
  }
  const rows: BoardRow[] = members.map((x) => {
    const passedIds = new Set(labs.filter((l) => l.userId === x.userId && l.passed).map((l) => l.labId));
    const cells = weeks.map((w) => {
      const mod = modules.find((mm) => mm.week === w.week);
      return {
        week: w.week,
        done: lessons.filter((l) => l.userId === x.userId && l.week === w.week).length,
        of: mod?.lessons.length ?? 0,
        hasLab: !!mod && moduleLabs(mod.meta).length > 0,
        labPassed: !!mod && moduleLabs(mod.meta).length > 0 && moduleLabs(mod.meta).every((id) => passedIds.has(id)),
      };
    });
    return {
      userId: x.userId,
      name: x.user.name,
      owner: x.userId === m.group.ownerId,
      onLeaderboard: x.onLeaderboard,
      labsPassed: passedIds.size,
      lessonsDone: cells.reduce((s, c) => s + c.done, 0),
      weeks: cells,
    };
  });
  const leaderboard = rows
    .filter((r) => r.onLeaderboard)
    .map((r) => ({
      name: r.name,
      userId: r.userId,
      labsPassed: r.labsPassed,
      points: Math.round(labs.filter((l) => l.userId === r.userId).reduce((s, l) => s + l.bestScore, 0) * 10) / 10,
    }))
    .sort((a, b) => b.labsPassed - a.labsPassed || b.points - a.points || a.name.localeCompare(b.name));
  const owner = m.group.ownerId === actor.id;
  return {
    group: {
      id: m.group.id,
      name: m.group.name,
      inviteCode: owner ? m.group.inviteCode : null,
      ownerId: m.group.ownerId,
      cohort: cohort ? { id: cohort.id, name: cohort.name } : null,
    },
    me: { onLeaderboard: m.onLeaderboard, owner },
    weeks,
    rows,
    leaderboard,
  };
}
