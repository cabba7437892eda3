/** Study groups against the real database: join, leave, remove (audited), rotate, leaderboard opt-in, privacy. */
import { describe, it, expect } from 'vitest';
import { getDb } from '@/lib/db';
import { createGroup, groupBoard, joinGroup, leaveGroup, removeMember, rotateInvite, setLeaderboard } from '@/lib/groups/groups';
import { AccessDenied, NotFound, UserInputError } from '@/lib/auth/actor';
import { createLearner } from './helpers';

describe('study groups', () => {
  it('members see the board; outsiders see nothing; only opted-in members are on the leaderboard', async () => {
    const owner = await createLearner();
    const mate = await createLearner();
    const outsider = await createLearner();
    const g = await createGroup(owner, 'Weekend crew');
    await joinGroup(mate, g.inviteCode);
    await getDb().labProgress.create({ data: { userId: mate.id, labId: 'week01-terraform-vpc', bestScore: 13, maxScore: 13, passed: true, attempts: 1 } });
    await getDb().lessonProgress.create({ data: { userId: mate.id, week: 1, slug: 'terraform-basics', state: 'DONE' } });
    await setLeaderboard(mate, g.id, true);
    const board = await groupBoard(owner, g.id);
    const row = board.rows.find((r) => r.userId === mate.id)!;
    expect(row.weeks.find((w) => w.week === 1)).toMatchObject({ done: 1, labPassed: true });
    expect(board.leaderboard.map((l) => l.userId)).toEqual([mate.id]);
    expect(board.group.inviteCode).toBe(g.inviteCode); // the owner sees the code
    expect((await groupBoard(mate, g.id)).group.inviteCode).toBeNull(); // members do not
    await expect(groupBoard(outsider, g.id)).rejects.toBeInstanceOf(NotFound);
    await expect(setLeaderboard(outsider, g.id, true)).rejects.toBeInstanceOf(NotFound);
  });

  it('a member leaves; the owner removes (audited) and rotates the code, which retires the old one', async () => {
    const owner = await createLearner();
    const a = await createLearner();
    const b = await createLearner();
    const g = await createGroup(owner, 'Night owls');
    await joinGroup(a, g.inviteCode);
    await joinGroup(b, g.inviteCode);
    await leaveGroup(a, g.id);
    await expect(removeMember(b, g.id, owner.id)).rejects.toBeInstanceOf(AccessDenied);
    await removeMember(owner, g.id, b.id);
    expect(await getDb().groupMember.count({ where: { groupId: g.id } })).toBe(1);
    expect(await getDb().auditLog.count({ where: { action: 'group.member.remove', targetId: g.id } })).toBe(1);
    await expect(leaveGroup(owner, g.id)).rejects.toBeInstanceOf(UserInputError);
    const { inviteCode } = await rotateInvite(owner, g.id);
    expect(inviteCode).not.toBe(g.inviteCode);
    await expect(joinGroup(a, g.inviteCode)).rejects.toBeInstanceOf(UserInputError);
    await joinGroup(a, inviteCode);
    await expect(rotateInvite(a, g.id)).rejects.toBeInstanceOf(AccessDenied);
  });
});
