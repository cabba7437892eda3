/** Roadmap and dashboard data against the real database: states from self-reported lessons and graded labs, schedule. */
import crypto from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { getDb } from '@/lib/db';
import { loadContent } from '@/lib/content/index';
import { currentWeek, getRoadmap, nextStep } from '@/lib/progress/roadmap';
import { learnerStreak } from '@/lib/progress/streak';
import { createLearner } from './helpers';

const DAY = 86_400_000;

async function cohortFor(userId: string, startedDaysAgo: number) {
  const db = getDb();
  const ins = await db.user.create({ data: { email: `ins-${crypto.randomUUID()}@test.lms`, name: 'Ins', role: 'INSTRUCTOR' } });
  const c = await db.cohort.create({ data: { name: 'Roadmap cohort', instructorId: ins.id, inviteCode: crypto.randomUUID() } });
  const start = Date.now() - startedDaysAgo * DAY;
  await db.cohortWeek.createMany({
    data: Array.from({ length: 10 }, (_, i) => ({
      cohortId: c.id,
      week: i + 1,
      unlockAt: new Date(start + i * 7 * DAY),
      dueAt: new Date(start + (i * 7 + 6) * DAY),
    })),
  });
  await db.cohortMember.create({ data: { cohortId: c.id, userId } });
  return c;
}

describe('roadmap', () => {
  it('lessons are self-reported per lesson; a lab counts as passed only from a graded pass', async () => {
    const db = getDb();
    const me = await createLearner();
    const week1 = loadContent().find((m) => m.week === 1)!;
    const [l1, l2] = week1.lessons;
    await db.lessonProgress.create({ data: { userId: me.id, week: 1, slug: l1!.slug, state: 'DONE' } });
    await db.lessonProgress.create({ data: { userId: me.id, week: 1, slug: l2!.slug, state: 'SKIPPED' } });
    // A high score that is still below the pass mark is "attempted", not passed.
    await db.labProgress.create({ data: { userId: me.id, labId: 'week01-terraform-vpc', bestScore: 8, maxScore: 13, passed: false, attempts: 2 } });
    let nodes = await getRoadmap(me.id);
    expect(nodes).toHaveLength(11);
    const w1 = nodes.find((n) => n.week === 1)!;
    expect(w1.lessons.find((l) => l.slug === l1!.slug)!.state).toBe('done');
    expect(w1.lessons.find((l) => l.slug === l2!.slug)!.state).toBe('skipped');
    expect(w1.state).toBe('learning');
    expect(w1).toMatchObject({ labState: 'attempted', labPassed: false, labBest: 8, labAttempts: 2, locked: false, overdue: false });
    // Next step: the first lesson neither done nor skipped, then the lab.
    const step = nextStep(w1);
    expect(step.kind).toBe(week1.lessons.length > 2 ? 'lesson' : 'lab');
    await db.labProgress.update({ where: { userId_labId: { userId: me.id, labId: 'week01-terraform-vpc' } }, data: { bestScore: 13, passed: true } });
    nodes = await getRoadmap(me.id);
    // Week 1 has two labs: with the build lab passed the week is still being learned, and the lab it leads with is the
    // troubleshooting lab; with both passed, the week is passed.
    expect(nodes.find((n) => n.week === 1)).toMatchObject({ state: 'learning', labPassed: false, labId: 'week01-vpc-troubleshoot', labState: 'attempted' });
    expect(nodes.find((n) => n.week === 1)!.labs.map((l) => [l.id, l.purpose, l.state])).toEqual([
      ['week01-terraform-vpc', 'build', 'passed'],
      ['week01-vpc-troubleshoot', 'troubleshoot', 'not-started'],
    ]);
    await db.labProgress.create({ data: { userId: me.id, labId: 'week01-vpc-troubleshoot', bestScore: 15, maxScore: 15, passed: true, attempts: 1 } });
    nodes = await getRoadmap(me.id);
    expect(nodes.find((n) => n.week === 1)).toMatchObject({ state: 'lab-passed', labPassed: true, labState: 'passed' });
    // Another learner's rows never show on my roadmap.
    const other = await getRoadmap((await createLearner()).id);
    expect(other.find((n) => n.week === 1)).toMatchObject({ state: 'not-started', labPassed: false, lessonsDone: 0 });
  });

  it('with a cohort: locked weeks show when they open, due dates, overdue when the lab is not passed; current week follows the schedule', async () => {
    const db = getDb();
    const me = await createLearner();
    await cohortFor(me.id, 10); // week 1 was due 4 days ago, week 2 is open and due in 3 days, week 3 opens in 4 days
    const nodes = await getRoadmap(me.id);
    const w = (n: number) => nodes.find((x) => x.week === n)!;
    expect(w(1)).toMatchObject({ locked: false, overdue: true });
    expect(w(2)).toMatchObject({ locked: false, overdue: false });
    expect(w(2).dueAt!.getTime()).toBeGreaterThan(Date.now());
    expect(w(3).locked).toBe(true);
    expect(w(3).opensAt!.getTime()).toBeGreaterThan(Date.now());
    expect(w(3).lessons.length).toBeGreaterThan(0); // a locked week stays readable
    expect(w(0)).toMatchObject({ locked: false, overdue: false, dueAt: undefined });
    // The cohort is in week 2: that is the current week, and its first lesson the next step.
    expect(currentWeek(nodes).week).toBe(2);
    expect(nextStep(w(2))).toMatchObject({ kind: 'lesson', week: 2, slug: loadContent().find((m) => m.week === 2)!.lessons[0]!.slug });
    await db.labProgress.create({ data: { userId: me.id, labId: 'week01-terraform-vpc', bestScore: 13, maxScore: 13, passed: true, attempts: 1 } });
    expect((await getRoadmap(me.id)).find((n) => n.week === 1)!.overdue).toBe(true); // the troubleshooting lab is still due
    await db.labProgress.create({ data: { userId: me.id, labId: 'week01-vpc-troubleshoot', bestScore: 15, maxScore: 15, passed: true, attempts: 1 } });
    const after = await getRoadmap(me.id);
    expect(after.find((n) => n.week === 1)!.overdue).toBe(false);
    // Self-paced (no cohort): the first week not finished.
    const solo = await createLearner();
    expect(currentWeek(await getRoadmap(solo.id)).week).toBe(0);
    const intro = loadContent().find((m) => m.week === 0)!;
    for (const l of intro.lessons) await db.lessonProgress.create({ data: { userId: solo.id, week: 0, slug: l.slug, state: 'DONE' } });
    expect(currentWeek(await getRoadmap(solo.id)).week).toBe(1);
  });
});

describe('streak', () => {
  it('counts days with a lesson marked or a submission made (regrades do not count), in Asia/Seoul', async () => {
    const db = getDb();
    const me = await createLearner();
    const now = new Date('2026-05-10T03:00:00Z'); // 12:00 in Seoul
    const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY);
    await db.submission.create({ data: { userId: me.id, labId: 'week01-terraform-vpc', status: 'GRADED', createdAt: at(0) } });
    await db.submission.create({ data: { userId: me.id, labId: 'week01-terraform-vpc', status: 'GRADED', createdAt: at(1) } });
    const original = await db.submission.create({ data: { userId: me.id, labId: 'week01-terraform-vpc', status: 'GRADED', createdAt: at(4) } });
    // An instructor's regrade two days ago is not the learner's activity.
    await db.submission.create({ data: { userId: me.id, labId: 'week01-terraform-vpc', status: 'GRADED', createdAt: at(2), regradeOfId: original.id } });
    expect(await learnerStreak(me.id, now)).toMatchObject({ days: 2, activeToday: true, timeZone: 'Asia/Seoul' });
    await db.lessonProgress.create({ data: { userId: me.id, week: 1, slug: 'x', state: 'DONE', updatedAt: at(2) } });
    await db.lessonProgress.create({ data: { userId: me.id, week: 1, slug: 'y', state: 'LEARNING', updatedAt: at(3) } });
    expect((await learnerStreak(me.id, now)).days).toBe(5);
    // 20:00 UTC the day before "now" is 05:00 in Seoul on "now"'s day: the same Seoul day as today.
    const late = await createLearner();
    await db.submission.create({ data: { userId: late.id, labId: 'week01-terraform-vpc', status: 'GRADED', createdAt: new Date('2026-05-09T20:00:00Z') } });
    expect(await learnerStreak(late.id, now)).toMatchObject({ days: 1, activeToday: true });
    expect(await learnerStreak(late.id, now, 'UTC')).toMatchObject({ days: 1, activeToday: false });
  });
});
