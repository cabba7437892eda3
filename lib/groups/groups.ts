import crypto from 'node:crypto';
import { getDb } from '../db';
import { AccessDenied, NotFound, UserInputError, type Actor } from '../auth/actor';
import { audit } from '../audit';
import { listLabs } from '../labs/registry';
import { loadContent } from '../content/index';

/**
 * Study groups. Members see each other's roadmap progress (lessons done per week, labs passed), never submissions,
 * files or feedback; the leaderboard shows only members who opted in. Access is checked here, next to the queries.
 */
const code = () => crypto.randomBytes(9).toString('base64url');

async function membership(actor: Actor, groupId: string) {
  const m = await getDb().groupMember.findUnique({ where: { groupId_userId: { groupId, userId: actor.id } }, include: { group: true } });
  if (!m) throw new NotFound();
  return m;
}

export async function createGroup(actor: Actor, name: string) {
  return getDb().$transaction(async (tx) => {
    const g = await tx.studyGroup.create({ data: { name, ownerId: actor.id, inviteCode: code() } });
    await tx.groupMember.create({ data: { groupId: g.id, userId: actor.id } });
    return g;
  });
}

export async function myGroups(actor: Actor) {
  return getDb().groupMember.findMany({ where: { userId: actor.id }, include: { group: { include: { _count: { select: { members: true } } } } }, orderBy: { joinedAt: 'desc' } });
}

export async function joinGroup(actor: Actor, inviteCode: string) {
  const db = getDb();
  const g = await db.studyGroup.findUnique({ where: { inviteCode }, select: { id: true, name: true } });
  if (!g) throw new UserInputError('This invite code is not valid (any more).', '이 초대 코드는 유효하지 않습니다.');
  await db.groupMember.upsert({ where: { groupId_userId: { groupId: g.id, userId: actor.id } }, create: { groupId: g.id, userId: actor.id }, update: {} });
  return g;
}

export async function leaveGroup(actor: Actor, groupId: string) {
  const m = await membership(actor, groupId);
  if (m.group.ownerId === actor.id) throw new UserInputError('The owner cannot leave; remove the other members or keep the group.', '그룹장은 나갈 수 없습니다.');
  await getDb().groupMember.delete({ where: { groupId_userId: { groupId, userId: actor.id } } });
}

export async function removeMember(actor: Actor, groupId: string, userId: string) {
  const m = await membership(actor, groupId);
  if (m.group.ownerId !== actor.id) throw new AccessDenied('Only the group owner can remove members.');
  if (userId === actor.id) throw new UserInputError('You own this group.', '그룹장은 자신을 내보낼 수 없습니다.');
  await getDb().$transaction(async (tx) => {
    const r = await tx.groupMember.deleteMany({ where: { groupId, userId } });
    if (r.count === 0) throw new NotFound();
    await audit({ actorId: actor.id, action: 'group.member.remove', targetType: 'group', targetId: groupId, detail: { userId } }, tx);
  });
}

/** A new invite code; the old one stops working at once. */
export async function rotateInvite(actor: Actor, groupId: string) {
  const m = await membership(actor, groupId);
  if (m.group.ownerId !== actor.id) throw new AccessDenied('Only the group owner can change the invite code.');
  return getDb().studyGroup.update({ where: { id: groupId }, data: { inviteCode: code() }, select: { inviteCode: true } });
}

export async function setLeaderboard(actor: Actor, groupId: string, on: boolean) {
  await membership(actor, groupId);
  await getDb().groupMember.update({ where: { groupId_userId: { groupId, userId: actor.id } }, data: { onLeaderboard: on } });
}

export interface BoardRow {
  userId: string;
  name: string;
  /** Per module (0 = introduction, 1-10): lessons marked done, of how many, and whether its lab passed. */
  weeks: { week: number; done: number; of: number; labPassed: boolean }[];
  labsPassed: number;
  onLeaderboard: boolean;
}

export async function groupBoard(actor: Actor, groupId: string) {
  const m = await membership(actor, groupId);
  const db = getDb();
  const members = await db.groupMember.findMany({ where: { groupId }, include: { user: { select: { id: true, name: true } } }, orderBy: { joinedAt: 'asc' } });
  const ids = members.map((x) => x.userId);
  const [lessons, labs] = await Promise.all([
    db.lessonProgress.findMany({ where: { userId: { in: ids }, state: 'DONE' }, select: { userId: true, week: true } }),
    db.labProgress.findMany({ where: { userId: { in: ids } }, select: { userId: true, labId: true, passed: true, bestScore: true } }),
  ]);
  const modules = loadContent();
  const labWeek = new Map(listLabs().map((l) => [l.manifest.id, l.manifest.week]));
  const rows: BoardRow[] = members.map((x) => {
    const passed = new Set(labs.filter((l) => l.userId === x.userId && l.passed).map((l) => labWeek.get(l.labId)));
    return {
      userId: x.userId,
      name: x.user.name,
      onLeaderboard: x.onLeaderboard,
      labsPassed: passed.size,
      weeks: modules.map((mod) => ({ week: mod.week, done: lessons.filter((l) => l.userId === x.userId && l.week === mod.week).length, of: mod.lessons.length, labPassed: passed.has(mod.week) })),
    };
  });
  const leaderboard = members
    .filter((x) => x.onLeaderboard)
    .map((x) => ({ name: x.user.name, userId: x.userId, labsPassed: rows.find((r) => r.userId === x.userId)!.labsPassed, points: labs.filter((l) => l.userId === x.userId).reduce((s, l) => s + l.bestScore, 0) }))
    .sort((a, b) => b.labsPassed - a.labsPassed || b.points - a.points);
  return { group: { id: m.group.id, name: m.group.name, inviteCode: m.group.ownerId === actor.id ? m.group.inviteCode : null, ownerId: m.group.ownerId }, me: { onLeaderboard: m.onLeaderboard, owner: m.group.ownerId === actor.id }, rows, leaderboard };
}
