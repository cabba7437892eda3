/** Study groups against the real database: join, leave, remove (audited), rotate, leaderboard opt-in, privacy. */
import crypto from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { getDb } from '@/lib/db';
import { cohortChoices, createGroup, groupBoard, joinGroup, leaveGroup, removeMember, rotateInvite, setGroupPace, setLeaderboard } from '@/lib/groups/groups';
import { createLearner } from './helpers';

describe('study groups', () => {
  it('members see the board; outsiders see nothing; only opted-in members are on the leaderboard', async () => {
    const owner = await createLearner();
    const mate = await createLearner();
    const outsider = await createLearner();
    const g = await createGroup(owner, 'Weekend crew');
    await joinGroup(mate, g.inviteCode);
    await getDb().labProgress.create({ data: { userId: mate.id, labId: 'week01-terraform-vpc', bestScore: 13, maxScore: 13, passed: true, attempts: 1 } });
    // A week counts as passed when both its labs are (the build lab and the troubleshooting lab).
    expect((await groupBoard(owner, g.id)).rows.find((r) => r.userId === mate.id)!.weeks.find((w) => w.week === 1)!.labPassed).toBe(false);
    await getDb().labProgress.create({ data: { userId: mate.id, labId: 'week01-vpc-troubleshoot', bestScore: 15, maxScore: 15, passed: true, attempts: 1 } });
    await getDb().lessonProgress.create({ data: { userId: mate.id, week: 1, slug: 'terraform-basics', state: 'DONE' } });
    await setLeaderboard(mate, g.id, true);
    const board = await groupBoard(owner, g.id);
    const row = board.rows.find((r) => r.userId === mate.id)!;
    expect(row.weeks.find((w) => w.week === 1)).toMatchObject({ done: 1, labPassed: true });
    expect(board.leaderboard.map((l) => l.userId)).toEqual([mate.id]);
    expect(board.group.inviteCode).toBe(g.inviteCode); // the owner sees the code
    expect((await groupBoard(mate, g.id)).group.inviteCode).toBeNull(); // members do not
    await expect(groupBoard(outsider, g.id)).rejects.toMatchObject({ name: 'AppError', code: 'not_found' });
    await expect(setLeaderboard(outsider, g.id, true)).rejects.toMatchObject({ name: 'AppError', code: 'not_found' });
  });

  it('a member leaves; the owner removes (audited) and rotates the code, which retires the old one', async () => {
    const owner = await createLearner();
    const a = await createLearner();
    const b = await createLearner();
    const g = await createGroup(owner, 'Night owls');
    await joinGroup(a, g.inviteCode);
    await joinGroup(b, g.inviteCode);
    await leaveGroup(a, g.id);
    await expect(removeMember(b, g.id, owner.id)).rejects.toMatchObject({ name: 'AppError', code: 'forbidden' });
    // The owner cannot leave while others are in the group.
    await expect(leaveGroup(owner, g.id)).rejects.toMatchObject({ name: 'AppError', code: 'invalid_input' });
    await removeMember(owner, g.id, b.id);
    expect(await getDb().groupMember.count({ where: { groupId: g.id } })).toBe(1);
    const entry = await getDb().auditLog.findFirstOrThrow({ where: { action: 'group.member.remove', targetId: g.id } });
    expect(entry).toMatchObject({ actorId: owner.id, detail: { userId: b.id } });
    const { inviteCode } = await rotateInvite(owner, g.id);
    expect(inviteCode).not.toBe(g.inviteCode);
    await expect(joinGroup(a, g.inviteCode)).rejects.toMatchObject({ name: 'AppError', code: 'invalid_input' });
    await joinGroup(a, inviteCode);
    await expect(rotateInvite(a, g.id)).rejects.toMatchObject({ name: 'AppError', code: 'forbidden' });
  });
});

describe('study groups: names, pace and privacy', () => {
  async function cohortWith(member: { id: string } | null) {
    const db = getDb();
    const ins = await db.user.create({ data: { email: `ins-${crypto.randomUUID()}@test.lms`, name: 'Ins', role: 'INSTRUCTOR' } });
    const c = await db.cohort.create({ data: { name: 'Spring', instructorId: ins.id, inviteCode: crypto.randomUUID() } });
    const start = Date.now() - 3 * 86_400_000;
    await db.cohortWeek.createMany({
      data: Array.from({ length: 10 }, (_, i) => ({
        cohortId: c.id,
        week: i + 1,
        unlockAt: new Date(start + i * 7 * 86_400_000),
        dueAt: new Date(start + (i * 7 + 6) * 86_400_000),
      })),
    });
    if (member) await db.cohortMember.create({ data: { cohortId: c.id, userId: member.id } });
    return c;
  }

  it('validates the name and keeps it as text; refuses control characters and empty names', async () => {
    const owner = await createLearner();
    const g = await createGroup(owner, '  <b>Friday</b> & co  ');
    expect(g.name).toBe('<b>Friday</b> & co');
    await expect(createGroup(owner, ' x ')).rejects.toThrow();
    await expect(createGroup(owner, 'bad\u0007name')).rejects.toThrow();
    await expect(createGroup(owner, 'a'.repeat(61))).rejects.toThrow();
  });

  it('follows only a cohort the owner belongs to; the board carries that cohort schedule', async () => {
    const owner = await createLearner();
    const mine = await cohortWith(owner);
    const other = await cohortWith(null);
    await expect(createGroup(owner, 'Followers', other.id)).rejects.toMatchObject({ name: 'AppError', code: 'invalid_input' });
    const g = await createGroup(owner, 'Followers', mine.id);
    let board = await groupBoard(owner, g.id);
    expect(board.group.cohort?.id).toBe(mine.id);
    expect(board.weeks.find((w) => w.week === 1)?.dueAt).toBeInstanceOf(Date);
    expect(board.weeks.find((w) => w.week === 2)!.unlockAt!.getTime()).toBeGreaterThan(Date.now());
    await expect(setGroupPace(owner, g.id, other.id)).rejects.toMatchObject({ name: 'AppError', code: 'invalid_input' });
    const mate = await createLearner();
    await joinGroup(mate, g.inviteCode);
    await expect(setGroupPace(mate, g.id, null)).rejects.toMatchObject({ name: 'AppError', code: 'forbidden' });
    await setGroupPace(owner, g.id, null);
    board = await groupBoard(mate, g.id);
    expect(board.group.cohort).toBeNull();
    expect(board.weeks.every((w) => !w.dueAt)).toBe(true);
    expect((await cohortChoices(owner)).map((c) => c.id)).toEqual([mine.id]);
  });

  it('shares progress only: no submissions, files or feedback of others; leaderboard ranked by labs passed then points', async () => {
    const db = getDb();
    const owner = await createLearner();
    const a = await createLearner();
    const b = await createLearner();
    const g = await createGroup(owner, 'Rankers');
    await joinGroup(a, g.inviteCode);
    await joinGroup(b, g.inviteCode);
    await joinGroup(b, g.inviteCode); // joining twice changes nothing
    expect(await db.groupMember.count({ where: { groupId: g.id } })).toBe(3);
    await db.labProgress.createMany({
      data: [
        { userId: a.id, labId: 'week01-terraform-vpc', bestScore: 13, maxScore: 13, passed: true, attempts: 1 },
        { userId: b.id, labId: 'week01-terraform-vpc', bestScore: 10, maxScore: 13, passed: true, attempts: 2 },
        { userId: b.id, labId: 'week05-k8s-manifests', bestScore: 4, maxScore: 13, passed: false, attempts: 1 },
        { userId: owner.id, labId: 'week01-terraform-vpc', bestScore: 13, maxScore: 13, passed: true, attempts: 1 },
      ],
    });
    // A failing score never shows as passed, whatever the number.
    await setLeaderboard(a, g.id, true);
    await setLeaderboard(b, g.id, true);
    const board = await groupBoard(a, g.id);
    // b has 14 points, a 13: same labs passed, so points decide. The owner did not opt in.
    expect(board.leaderboard.map((l) => l.userId)).toEqual([b.id, a.id]);
    expect(board.rows.find((r) => r.userId === b.id)!.weeks.find((w) => w.week === 5)!.labPassed).toBe(false);
    const json = JSON.stringify(board);
    for (const leak of ['submission', 'files', 'feedback', 'hint', 'email', 'inviteCode":"']) expect(json).not.toContain(leak);
    await setLeaderboard(b, g.id, false);
    expect((await groupBoard(a, g.id)).leaderboard.map((l) => l.userId)).toEqual([a.id]);
  });

  it('an owner alone may leave, which deletes the group; a removed member loses access at once', async () => {
    const db = getDb();
    const owner = await createLearner();
    const mate = await createLearner();
    const g = await createGroup(owner, 'Short lived');
    await joinGroup(mate, g.inviteCode);
    await removeMember(owner, g.id, mate.id);
    await expect(groupBoard(mate, g.id)).rejects.toMatchObject({ name: 'AppError', code: 'not_found' });
    await expect(removeMember(owner, g.id, mate.id)).rejects.toMatchObject({ name: 'AppError', code: 'not_found' });
    expect(await leaveGroup(owner, g.id)).toEqual({ deleted: true });
    expect(await db.studyGroup.findUnique({ where: { id: g.id } })).toBeNull();
    await expect(joinGroup(mate, 'not a code!')).rejects.toMatchObject({ name: 'AppError', code: 'invalid_input' });
  });
});
