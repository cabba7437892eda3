/**
 * The web process's fast paths (server.ts): the hash a kept dashboard or lab page is stored under must change with
 * everything the page shows of its reader, whoever changes it, and never with another reader's rows; the status poll's
 * one query answers exactly what the route handler answers, to the owner (or an admin) only, and nothing for a stale
 * session.
 */
import crypto from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { getDb } from '@/lib/db';
import { createCohort, joinCohort } from '@/lib/cohorts/gradebook';
import { createGroup } from '@/lib/groups/groups';
import { pageFingerprint, type FingerprintedPage } from '@/lib/pages/fingerprint';
import { getSubmissionView, submissionViewForSession } from '@/lib/submissions/queries';
import { createLearner } from './helpers';

const LAB = 'week01-terraform-vpc';
const OTHER_LAB = 'week03-cicd-workflow';

async function instructor() {
  const u = await getDb().user.create({ data: { email: `pc-${crypto.randomUUID()}@test.lms`, name: 'PC Instructor', role: 'INSTRUCTOR' } });
  return { id: u.id, role: u.role };
}

describe('kept pages: the hash follows what the page shows', () => {
  it('the dashboard’s hash changes with each thing it shows, the reader’s or not, and only with the reader’s rows', async () => {
    const db = getDb();
    const [me, other] = await Promise.all([createLearner(), createLearner()]);
    const ins = await instructor();
    const page: FingerprintedPage = { kind: 'dashboard' };
    const fp = () => pageFingerprint(me.id, 0, page);
    const seen = new Set<string>();
    const changes = async (why: string, fn: () => Promise<unknown>) => {
      const before = await fp();
      expect(before, why).toMatch(/^[0-9a-f]{32}$/);
      seen.add(before!);
      await fn();
      const after = await fp();
      expect(after, why).not.toBe(before);
      expect(seen.has(after!), why).toBe(false);
    };
    const same = async (why: string, fn: () => Promise<unknown>) => {
      const before = await fp();
      await fn();
      expect(await fp(), why).toBe(before);
    };

    await changes('name', () => db.user.update({ where: { id: me.id }, data: { name: 'Renamed' } }));
    await changes('time zone', () => db.user.update({ where: { id: me.id }, data: { timeZone: 'Europe/Berlin' } }));
    await changes('a lesson marked', () => db.lessonProgress.create({ data: { userId: me.id, week: 1, slug: 'intro', state: 'LEARNING' } }));
    await changes('the lesson done', () =>
      db.lessonProgress.update({ where: { userId_week_slug: { userId: me.id, week: 1, slug: 'intro' } }, data: { state: 'DONE' } }),
    );
    const sub = await db.submission.create({ data: { userId: me.id, labId: LAB, status: 'QUEUED', phase: 'queued' } });
    await changes('a submission graded', () => db.submission.update({ where: { id: sub.id }, data: { status: 'GRADED', phase: 'finished', number: 1 } }));
    await changes('its result', () =>
      db.result.create({ data: { submissionId: sub.id, gradable: true, score: 5, maxScore: 13, passed: false, document: {}, durationMs: 10 } }),
    );
    await changes('a new submission', () => db.submission.create({ data: { userId: me.id, labId: OTHER_LAB, status: 'QUEUED', phase: 'queued' } }));
    await changes('lab progress', () => db.labProgress.create({ data: { userId: me.id, labId: LAB, bestScore: 5, maxScore: 13, passed: false, attempts: 1 } }));
    const cohort = await createCohort(ins, { name: 'Kept pages', start: new Date(), latePenaltyPct: 0 });
    const { email } = await db.user.findUniqueOrThrow({ where: { id: me.id } });
    await changes('an invite', () => db.cohortInvite.create({ data: { cohortId: cohort.id, email } }));
    await changes('joining a cohort', () => joinCohort(me, cohort.inviteCode));
    await changes('the instructor renames the cohort', () => db.cohort.update({ where: { id: cohort.id }, data: { name: 'Kept pages, renamed' } }));
    await changes('the instructor moves a week', () =>
      db.cohortWeek.update({ where: { cohortId_week: { cohortId: cohort.id, week: 2 } }, data: { dueAt: new Date(Date.now() + 86_400_000) } }),
    );
    await changes('an extension', () =>
      db.extension.create({ data: { cohortId: cohort.id, userId: me.id, week: 2, dueAt: new Date(Date.now() + 9 * 86_400_000) } }),
    );
    const group = await createGroup(other, 'Study');
    await changes('joining a group', () => db.groupMember.create({ data: { groupId: group.id, userId: me.id } }));
    await changes('its owner renames it', () => db.studyGroup.update({ where: { id: group.id }, data: { name: 'Study, renamed' } }));

    await same('another learner’s rows', async () => {
      await db.submission.create({ data: { userId: other.id, labId: LAB, status: 'QUEUED', phase: 'queued' } });
      await db.lessonProgress.create({ data: { userId: other.id, week: 1, slug: 'intro', state: 'DONE' } });
      await db.labProgress.create({ data: { userId: other.id, labId: LAB, bestScore: 13, maxScore: 13, passed: true, attempts: 1 } });
      await joinCohort(other, cohort.inviteCode);
      await db.extension.create({ data: { cohortId: cohort.id, userId: other.id, week: 2, dueAt: new Date() } });
    });
    await same('a column no page shows (the grader image)', () => db.submission.update({ where: { id: sub.id }, data: { imageTag: 'x' } }));
  });

  it('the lab page’s hash follows this lab’s submissions and workspace, not another lab’s', async () => {
    const db = getDb();
    const me = await createLearner();
    const fp = () => pageFingerprint(me.id, 0, { kind: 'lab', labId: LAB });
    const a = await fp();
    await db.submission.create({ data: { userId: me.id, labId: OTHER_LAB, status: 'QUEUED', phase: 'queued' } });
    expect(await fp()).toBe(a);
    const sub = await db.submission.create({ data: { userId: me.id, labId: LAB, status: 'QUEUED', phase: 'queued' } });
    const b = await fp();
    expect(b).not.toBe(a);
    await db.submission.update({ where: { id: sub.id }, data: { status: 'RUNNING' } });
    const c = await fp();
    expect(c).not.toBe(b);
    const ws = await db.workspace.create({ data: { userId: me.id, labId: LAB } });
    const d = await fp();
    expect(d).not.toBe(c);
    await db.workspaceFile.create({ data: { workspaceId: ws.id, path: 'main.tf', content: Buffer.from('x') } });
    const e = await fp();
    expect(e).not.toBe(d);
    await db.workspaceStep.create({ data: { workspaceId: ws.id, stepId: 'one' } });
    expect(await fp()).not.toBe(e);
  });

  it('a session that is not the user’s current one has no hash', async () => {
    const me = await createLearner();
    expect(await pageFingerprint(me.id, 0, { kind: 'dashboard' })).toMatch(/^[0-9a-f]{32}$/);
    await getDb().user.update({ where: { id: me.id }, data: { sessionVersion: { increment: 1 } } });
    expect(await pageFingerprint(me.id, 0, { kind: 'dashboard' })).toBeNull();
    expect(await pageFingerprint(me.id, 1, { kind: 'lab', labId: LAB })).toMatch(/^[0-9a-f]{32}$/);
    expect(await pageFingerprint(me.id, '1', { kind: 'dashboard' })).toBeNull();
    expect(await pageFingerprint('no-such-user-id', 0, { kind: 'dashboard' })).toBeNull();
  });
});

describe('the status poll’s one query', () => {
  it('answers the owner (and an admin) what the route handler answers; nothing for anyone else or a stale session', async () => {
    const db = getDb();
    const [me, other] = await Promise.all([createLearner(), createLearner()]);
    const admin = await db.user.create({ data: { email: `pc-admin-${crypto.randomUUID()}@test.lms`, name: 'Admin', role: 'ADMIN' } });
    const running = await db.submission.create({
      data: { userId: me.id, labId: LAB, status: 'RUNNING', phase: 'running', progress: [{ id: 'no-such-check', passed: true }] },
    });
    const graded = await db.submission.create({ data: { userId: me.id, labId: LAB, status: 'GRADED', phase: 'finished', number: 1, finishedAt: new Date() } });
    await db.result.create({
      data: { submissionId: graded.id, gradable: true, score: 13, maxScore: 13, passed: true, document: { not: 'a stored result' }, durationMs: 10 },
    });
    for (const s of [running, graded]) {
      expect(await submissionViewForSession(me.id, 0, s.id)).toEqual(await getSubmissionView(me, s.id));
      expect(await submissionViewForSession(admin.id, 0, s.id)).toEqual(await getSubmissionView({ id: admin.id, role: 'ADMIN' }, s.id));
      expect(await submissionViewForSession(other.id, 0, s.id)).toBeNull();
      expect(await submissionViewForSession(me.id, 1, s.id)).toBeNull();
      expect(await submissionViewForSession(me.id, undefined, s.id)).toBeNull();
    }
    const view = (await submissionViewForSession(me.id, 0, graded.id))!;
    expect(view).toMatchObject({ status: 'GRADED', labPassed: true, result: null, number: 1 });
    expect(view.createdAt).toBe(graded.createdAt.toISOString());
    expect(view.finishedAt).toBe(graded.finishedAt!.toISOString());
    expect(await submissionViewForSession(me.id, 0, 'nosuchsubmission00')).toBeNull();
    await db.user.update({ where: { id: me.id }, data: { sessionVersion: 3 } });
    expect(await submissionViewForSession(me.id, 0, graded.id)).toBeNull();
    expect(await submissionViewForSession(me.id, 3, graded.id)).not.toBeNull();
  });
});
