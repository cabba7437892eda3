/**
 * The domain functions behind pages that used to query Prisma themselves (dashboard, week page, cohort invite link,
 * /api/me, preferences, the session): each reads only the acting user's own rows.
 */
import crypto from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { getDb } from '@/lib/db';
import { loadContent } from '@/lib/content/index';
import { cohortByInvite, createCohort, joinCohort } from '@/lib/cohorts/gradebook';
import { myCohorts } from '@/lib/cohorts/manage';
import { weekProgress } from '@/lib/progress/roadmap';
import { lessonState } from '@/lib/progress/set-lesson-state';
import { recentSubmissions } from '@/lib/submissions/queries';
import { saveLanguage, saveTimeZone } from '@/lib/auth/preferences';
import { endSessions, userForSession } from '@/lib/auth/users';
import { createLearner } from './helpers';

const LAB = 'week01-terraform-vpc';

async function instructor() {
  const u = await getDb().user.create({ data: { email: `pq-${crypto.randomUUID()}@test.lms`, name: 'PQ Instructor', role: 'INSTRUCTOR' } });
  return { id: u.id, role: u.role };
}

describe('page queries as domain functions', () => {
  it('an invite link shows the cohort and whether the actor is in it, never anyone else’s membership', async () => {
    const ins = await instructor();
    const [me, other] = await Promise.all([createLearner(), createLearner()]);
    const cohort = await createCohort(ins, { name: 'Invite preview', start: new Date(), latePenaltyPct: 0 });
    expect(await cohortByInvite(me, 'no-such-code-at-all')).toBeNull();
    expect(await cohortByInvite(me, cohort.inviteCode)).toEqual({ name: 'Invite preview', instructor: 'PQ Instructor', member: false });
    await joinCohort(other, cohort.inviteCode);
    expect((await cohortByInvite(me, cohort.inviteCode))!.member).toBe(false); // someone else joining changes nothing for me
    expect((await cohortByInvite(ins, cohort.inviteCode))!.member).toBe(true); // the instructor is in it
    await joinCohort(me, cohort.inviteCode);
    expect((await cohortByInvite(me, cohort.inviteCode))!.member).toBe(true);
    expect(await myCohorts(me)).toEqual([{ cohortId: cohort.id, name: 'Invite preview' }]);
    expect(await myCohorts(ins)).toEqual([]); // teaching is not membership
  });

  it('recent submissions, week progress and a lesson’s state are the actor’s own', async () => {
    const db = getDb();
    const [me, other] = await Promise.all([createLearner(), createLearner()]);
    const slug = loadContent().find((m) => m.week === 1)!.lessons[0]!.slug;
    for (const u of [me, other]) {
      await db.submission.create({ data: { userId: u.id, labId: LAB, status: 'GRADED', phase: 'finished' } });
      await db.labProgress.create({ data: { userId: u.id, labId: LAB, bestScore: u === me ? 5 : 13, maxScore: 13, passed: u !== me, attempts: 1 } });
    }
    await db.lessonProgress.create({ data: { userId: other.id, week: 1, slug, state: 'DONE' } });
    await db.lessonProgress.create({ data: { userId: me.id, week: 1, slug, state: 'LEARNING' } });

    const recent = await recentSubmissions(me, 8);
    expect(recent).toHaveLength(1);
    expect(recent[0]).toMatchObject({ labId: LAB, status: 'GRADED' });
    expect(await db.submission.count({ where: { id: recent[0]!.id, userId: me.id } })).toBe(1);

    const week = await weekProgress(me, 1, [LAB]);
    expect(week.lessons).toEqual([{ slug, state: 'LEARNING' }]);
    expect(week.labs).toEqual([{ labId: LAB, bestScore: 5, maxScore: 13, passed: false }]);
    expect(await weekProgress(null, 1, [LAB])).toEqual({ lessons: [], labs: [] });
    expect((await weekProgress(me, 2, [])).labs).toEqual([]);

    expect(await lessonState(me, 1, slug)).toBe('LEARNING');
    expect(await lessonState(other, 1, slug)).toBe('DONE');
    expect(await lessonState(me, 1, 'never-marked')).toBe('NONE');
  });

  it('preferences land on the actor’s account; a session dies with its version', async () => {
    const me = await createLearner();
    await saveLanguage(me, 'en');
    await saveTimeZone(me, 'Europe/Berlin');
    const row = await getDb().user.findUniqueOrThrow({ where: { id: me.id } });
    expect({ lang: row.lang, timeZone: row.timeZone }).toEqual({ lang: 'en', timeZone: 'Europe/Berlin' });
    expect(await userForSession(me.id, row.sessionVersion)).toMatchObject({ id: me.id, role: 'LEARNER', lang: 'en', timeZone: 'Europe/Berlin' });
    expect(await userForSession(me.id, row.sessionVersion + 1)).toBeNull();
    await endSessions(me.id);
    expect(await userForSession(me.id, row.sessionVersion)).toBeNull();
    expect(await userForSession(me.id, row.sessionVersion + 1)).not.toBeNull();
    expect(await userForSession('nobody-at-all', 0)).toBeNull();
  });
});
