/**
 * Cohorts against the real database: a schedule makes submissions late, the gradebook counts them by the late
 * policy, attempts exclude regrades, analytics find the checks failed most, the CSV is escaped, and another
 * instructor sees nothing.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { getDb } from '@/lib/db';
import {
  analytics,
  createCohort,
  csvCell,
  gradebook,
  gradebookCsv,
  joinCohort,
  learnerTimeline,
  listTeachingCohorts,
  setCohortWebhook,
} from '@/lib/cohorts/gradebook';
import { afterResult, deadlinesNear, notifyCohort, WEBHOOK_TIMEOUT_MS, webhookInput } from '@/lib/notify/webhook';
import { fillSchedule, isLate, learnerSchedule } from '@/lib/cohorts/schedule';
import {
  acceptCohortInvite,
  cohortOverview,
  fillCohortSchedule,
  inviteByEmail,
  listExtensions,
  myCohortInvites,
  parseEmailList,
  removeMember,
  revokeInvite,
  rotateInviteCode,
  setExtension,
  setGradeOverride,
  setLatePolicy,
  setSchedule,
} from '@/lib/cohorts/manage';
import { createAccount } from '@/lib/auth/create-account';
import { submitLabAttempt } from '@/lib/submissions/submit-lab-attempt';
import type { Actor } from '@/lib/auth/actor';
import { regradeLab, regradeLabEverywhere, regradeSummary } from '@/lib/cohorts/regrade';
import { recomputeLabProgress } from '@/lib/submissions/process-submission';
import { LIMITS } from '@/lib/security/limits';
import { createLearner } from './helpers';

const LAB = 'week05-k8s-manifests';
const DAY = 24 * 3600 * 1000;

async function instructor(): Promise<Actor> {
  const u = await getDb().user.create({
    data: { email: `ins-${crypto.randomUUID()}@test.lms`, name: 'Instructor', role: 'INSTRUCTOR' },
    select: { id: true, role: true },
  });
  return u;
}

/** A graded result written as the worker would, with the given failed checks. */
async function graded(userId: string, opts: { score: number; passed: boolean; failed: string[]; late?: boolean; regradeOfId?: string }) {
  const db = getDb();
  const s = await db.submission.create({
    data: { userId, labId: LAB, status: 'GRADED', phase: 'finished', late: opts.late ?? false, regradeOfId: opts.regradeOfId ?? null },
  });
  const checks = ['schema', 'selectors', 'service-port', 'resources', 'probes', 'image-tag', 'replicas'].map((id) => ({
    id,
    passed: !opts.failed.includes(id),
  }));
  await db.result.create({
    data: {
      submissionId: s.id,
      gradable: true,
      score: opts.score,
      maxScore: 13,
      passed: opts.passed,
      durationMs: 500,
      document: { labId: LAB, gradable: true, score: opts.score, maxScore: 13, checks, durationMs: 500 },
    },
  });
  return s.id;
}

describe('cohorts', () => {
  it('a schedule in the past makes a new submission late; self-paced learners are never late', async () => {
    const ins = await instructor();
    const learner = await createLearner();
    const free = await createLearner();
    const cohort = await createCohort(ins, { name: 'Past cohort', start: new Date(Date.now() - 60 * DAY), latePenaltyPct: 50 });
    await joinCohort(learner, cohort.inviteCode);
    await joinCohort(learner, cohort.inviteCode); // idempotent
    expect((await learnerSchedule(learner.id)).size).toBe(10);
    expect(await isLate(learner.id, 5)).toBe(true); // week 5 was due 35 days after the start, 25 days ago
    expect(await isLate(learner.id, 10)).toBe(false);
    expect(await isLate(free.id, 5)).toBe(false);
    const { submissionId } = await submitLabAttempt(learner, {
      labId: LAB,
      files: [
        { path: 'k8s/deployment.yaml', content: 'kind: Deployment\n' },
        { path: 'k8s/service.yaml', content: 'kind: Service\n' },
      ],
    });
    expect((await getDb().submission.findUniqueOrThrow({ where: { id: submissionId } })).late).toBe(true);
    const audits = await getDb().auditLog.count({ where: { action: 'cohort.member.add', targetId: cohort.id, actorId: learner.id } });
    expect(audits).toBe(1);
    await expect(joinCohort(learner, 'no-such-code')).rejects.toMatchObject({ name: 'AppError', code: 'invalid_input' });
  });

  it('gradebook: best counted score by the late policy, attempts without regrades, passed and late marks', async () => {
    const ins = await instructor();
    const a = await createLearner();
    const b = await createLearner();
    const cohort = await createCohort(ins, { name: 'Gradebook cohort', start: new Date(), latePenaltyPct: 50 });
    await joinCohort(a, cohort.inviteCode);
    await joinCohort(b, cohort.inviteCode);
    // a: on time 9 (fail), late 13 (pass, counts 6.5) → best 9, passed, 2 attempts, a regrade that is no attempt
    const first = await graded(a.id, { score: 9, passed: false, failed: ['probes', 'resources'] });
    await graded(a.id, { score: 13, passed: true, failed: [], late: true });
    await graded(a.id, { score: 9, passed: false, failed: ['probes'], regradeOfId: first });
    // b: fails probes twice
    await graded(b.id, { score: 11, passed: false, failed: ['probes'] });
    await graded(b.id, { score: 11, passed: false, failed: ['probes'] });

    const gb = await gradebook(ins, cohort.id);
    const cell = (id: string) => gb.rows.find((r) => r.user.id === id)!.cells[LAB]!;
    expect(cell(a.id)).toMatchObject({ best: 9, attempts: 2, passed: true, late: false, lateAttempts: 1 });
    expect(cell(b.id)).toMatchObject({ best: 11, attempts: 2, passed: false });
    expect(gb.rows.find((r) => r.user.id === a.id)!.cells['week01-terraform-vpc']).toMatchObject({ best: null, attempts: 0 });

    const an = (await analytics(ins, cohort.id)).find((x) => x.labId === LAB)!;
    expect(an).toMatchObject({ learners: 2, started: 2, passed: 1, passRate: 0.5, medianAttempts: 2 });
    expect(an.failing[0]).toMatchObject({ id: 'probes', learners: 1 }); // a's latest own attempt passed everything
    const tl = await learnerTimeline(ins, cohort.id, b.id);
    expect(tl.events.filter((e) => e.kind === 'submission')).toHaveLength(2);

    const csv = gradebookCsv(gb);
    expect(csv.split('\r\n')[0]).toContain('"week05-k8s-manifests best"');
    expect(csv).toContain('"9","13","2","yes","no","1",""');
  });

  it('CSV cells are quoted and formula-like text is defused', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe(`"'+1"`);
    expect(csvCell('@cmd')).toBe(`"'@cmd"`);
    expect(csvCell('Kim, "Jay"')).toBe('"Kim, ""Jay"""');
    expect(csvCell(null)).toBe('""');
  });

  it('another instructor sees none of it; a learner cannot list cohorts', async () => {
    const ins = await instructor();
    const other = await instructor();
    const learner = await createLearner();
    const cohort = await createCohort(ins, { name: 'Private cohort', start: new Date(), latePenaltyPct: 0 });
    await expect(gradebook(other, cohort.id)).rejects.toMatchObject({ name: 'AppError', code: 'not_found' });
    await expect(analytics(other, cohort.id)).rejects.toMatchObject({ name: 'AppError', code: 'not_found' });
    await expect(learnerTimeline(other, cohort.id, learner.id)).rejects.toMatchObject({ name: 'AppError', code: 'not_found' });
    await expect(gradebook(learner, cohort.id)).rejects.toMatchObject({ name: 'AppError', code: 'not_found' });
    await expect(listTeachingCohorts(learner)).rejects.toThrow();
    expect((await listTeachingCohorts(other)).map((c) => c.id)).not.toContain(cohort.id);
    // not a member: the instructor cannot read an outsider's timeline through their cohort
    await expect(learnerTimeline(ins, cohort.id, learner.id)).rejects.toMatchObject({ name: 'AppError', code: 'not_found' });
  });

  it("invites by e-mail: only invitations, joined when the address's owner accepts; members can be removed", async () => {
    const ins = await instructor();
    const cohort = await createCohort(ins, { name: 'Invite cohort', start: new Date(), latePenaltyPct: 0 });
    const existing = await createLearner();
    const existingEmail = (await getDb().user.findUniqueOrThrow({ where: { id: existing.id } })).email;
    const fresh = `Fresh-${crypto.randomUUID()}@Test.lms`;
    const csv = `name,email\nKim,${existingEmail}\nLee,"${fresh}"\nBad,not-an@address@x\n`;
    const parsed = parseEmailList(csv);
    expect(parsed.emails).toEqual([existingEmail, fresh.toLowerCase()]);
    expect(parsed.invalid).toEqual(['not-an@address@x']);
    // the same answer for an address with an account and one without; nobody is enrolled by it
    const out = await inviteByEmail(ins, cohort.id, parsed.emails);
    expect(out).toEqual({ invited: [existingEmail, fresh.toLowerCase()], already: [] });
    expect(await getDb().cohortMember.count({ where: { cohortId: cohort.id } })).toBe(0);
    expect((await inviteByEmail(ins, cohort.id, [existingEmail])).invited).toEqual([existingEmail]); // idempotent
    await expect(inviteByEmail(ins, cohort.id, [])).rejects.toMatchObject({ name: 'AppError', code: 'invalid_input' });
    await expect(inviteByEmail(ins, cohort.id, ['x@'])).rejects.toMatchObject({ name: 'AppError', code: 'invalid_input' });

    // The account accepts on its dashboard; the new address signs up (any case), which alone joins nothing, then accepts.
    expect((await myCohortInvites(existing)).map((i) => i.cohortId)).toEqual([cohort.id]);
    await acceptCohortInvite(existing, cohort.id);
    await createAccount({ name: 'Fresh', email: fresh, password: 'a-long-password-2026', lang: 'en' });
    const newcomer = await getDb().user.findUniqueOrThrow({ where: { email: fresh.toLowerCase() }, select: { id: true, role: true } });
    expect(await getDb().cohortMember.count({ where: { cohortId: cohort.id, userId: newcomer.id } })).toBe(0);
    await acceptCohortInvite(newcomer, cohort.id);
    await expect(acceptCohortInvite(newcomer, cohort.id)).rejects.toMatchObject({ name: 'AppError', code: 'not_found' }); // answered once
    const ov = await cohortOverview(ins, cohort.id);
    expect(ov.members.map((m) => m.userId).sort()).toEqual([existing.id, newcomer.id].sort());
    expect(ov.invites).toHaveLength(0);
    expect(await getDb().cohortInvite.findUniqueOrThrow({ where: { cohortId_email: { cohortId: cohort.id, email: fresh.toLowerCase() } } })).toMatchObject({
      acceptedAt: expect.any(Date),
    });
    expect(await myCohortInvites(newcomer)).toEqual([]); // nothing left to accept
    expect(await getDb().auditLog.count({ where: { targetId: cohort.id, action: 'cohort.member.add' } })).toBe(2);
    expect(await getDb().auditLog.count({ where: { targetId: cohort.id, action: 'cohort.invite' } })).toBe(2);

    // A pending invite can be revoked; a revoked address that signs up has nothing to accept.
    const later = `later-${crypto.randomUUID()}@test.lms`;
    await inviteByEmail(ins, cohort.id, [later]);
    await revokeInvite(ins, cohort.id, later);
    await expect(revokeInvite(ins, cohort.id, later)).rejects.toMatchObject({ name: 'AppError', code: 'not_found' });
    await createAccount({ name: 'Later', email: later, password: 'a-long-password-2026' });
    const laterUser = await getDb().user.findUniqueOrThrow({ where: { email: later }, select: { id: true, role: true } });
    expect(await myCohortInvites(laterUser)).toEqual([]);
    await expect(acceptCohortInvite(laterUser, cohort.id)).rejects.toMatchObject({ name: 'AppError', code: 'not_found' });
    expect(await getDb().cohortMember.count({ where: { cohortId: cohort.id, userId: laterUser.id } })).toBe(0);

    // Removing a member drops their extensions in this cohort and is audited; another instructor can do none of it.
    await setExtension(ins, cohort.id, existing.id, 1, new Date(Date.now() + 30 * DAY));
    const other = await instructor();
    await expect(removeMember(other, cohort.id, existing.id)).rejects.toMatchObject({ name: 'AppError', code: 'not_found' });
    await expect(inviteByEmail(other, cohort.id, ['a@b.co'])).rejects.toMatchObject({ name: 'AppError', code: 'not_found' });
    await expect(cohortOverview(other, cohort.id)).rejects.toMatchObject({ name: 'AppError', code: 'not_found' });
    await expect(rotateInviteCode(other, cohort.id)).rejects.toMatchObject({ name: 'AppError', code: 'not_found' });
    await expect(inviteByEmail(existing, cohort.id, ['a@b.co'])).rejects.toMatchObject({ name: 'AppError', code: 'not_found' }); // a learner
    await removeMember(ins, cohort.id, existing.id);
    await expect(removeMember(ins, cohort.id, existing.id)).rejects.toMatchObject({ name: 'AppError', code: 'not_found' });
    expect(await getDb().extension.count({ where: { cohortId: cohort.id, userId: existing.id } })).toBe(0);
    expect(await getDb().auditLog.findFirst({ where: { targetId: cohort.id, action: 'cohort.member.remove' } })).toMatchObject({
      actorId: ins.id,
      detail: { userId: existing.id },
    });

    // A new invite link: the old code stops working.
    const code = await rotateInviteCode(ins, cohort.id);
    expect(code).not.toBe(cohort.inviteCode);
    await expect(joinCohort(existing, cohort.inviteCode)).rejects.toMatchObject({ name: 'AppError', code: 'invalid_input' });
    await joinCohort(existing, code);
    const rotated = await getDb().auditLog.findFirstOrThrow({
      where: { targetId: cohort.id, action: 'cohort.invite', actorId: ins.id },
      orderBy: { createdAt: 'desc' },
    });
    expect(rotated.detail).toEqual({ rotatedLink: true }); // the code itself is a credential and stays out of the log
  });

  it('schedule: fill, edit, validation, late policy; an extension keeps a learner on time', async () => {
    const ins = await instructor();
    const learner = await createLearner();
    const cohort = await createCohort(ins, { name: 'Schedule cohort', start: new Date(), latePenaltyPct: 0 });
    await joinCohort(learner, cohort.inviteCode);
    // the fill helper puts weeks one week apart (the dates' wall-clock editing is in tests/unit/time-zone.test.ts)
    const start = new Date(Date.now() - 40 * DAY);
    const weeks = fillSchedule(start);
    expect(weeks).toHaveLength(10);
    expect(weeks[4]!.unlockAt.getTime() - start.getTime()).toBe(28 * DAY);
    expect(weeks[4]!.dueAt.getTime()).toBe(weeks[5]!.unlockAt.getTime());
    // weeks are counted on the instructor's clock: Mondays 09:00 in Berlin stay 09:00 after the clocks go forward
    const berlin = fillSchedule(new Date('2026-03-16T08:00:00Z'), 10, 'Europe/Berlin');
    expect(berlin.map((w) => w.unlockAt.toISOString().slice(0, 16)).slice(0, 4)).toEqual([
      '2026-03-16T08:00',
      '2026-03-23T08:00',
      '2026-03-30T07:00',
      '2026-04-06T07:00',
    ]);
    await fillCohortSchedule(ins, cohort.id, start);
    expect(await isLate(learner.id, 5)).toBe(true); // due 35 days after the start: 5 days ago
    expect(await isLate(learner.id, 6)).toBe(false);

    // An extension for week 5 only, for this learner only
    await setExtension(ins, cohort.id, learner.id, 5, new Date(Date.now() + 2 * DAY));
    expect(await isLate(learner.id, 5)).toBe(false);
    expect((await learnerSchedule(learner.id)).get(5)).toMatchObject({ extended: true });
    const { submissionId } = await submitLabAttempt(learner, {
      labId: LAB,
      files: [
        { path: 'k8s/deployment.yaml', content: 'kind: Deployment\n' },
        { path: 'k8s/service.yaml', content: 'kind: Service\n' },
      ],
    });
    expect((await getDb().submission.findUniqueOrThrow({ where: { id: submissionId } })).late).toBe(false);
    await expect(setExtension(ins, cohort.id, learner.id, 5, new Date(Date.now() - 30 * DAY))).rejects.toMatchObject({
      name: 'AppError',
      code: 'invalid_input',
    }); // before the cohort's date
    await setExtension(ins, cohort.id, learner.id, 5, null);
    expect(await listExtensions(ins, cohort.id, learner.id)).toHaveLength(0);
    await setExtension(ins, cohort.id, learner.id, 5, null); // nothing to remove: no entry
    const extensionLog = await getDb().auditLog.findMany({ where: { targetId: cohort.id, action: 'cohort.extension' }, orderBy: { createdAt: 'asc' } });
    expect(extensionLog.map((e) => e.detail)).toEqual([
      expect.objectContaining({ userId: learner.id, week: 5, from: null, to: expect.any(String) }),
      expect.objectContaining({ userId: learner.id, week: 5, from: expect.any(String), to: null }),
    ]);
    const stranger = await createLearner();
    await expect(setExtension(ins, cohort.id, stranger.id, 5, new Date(Date.now() + 2 * DAY))).rejects.toMatchObject({ name: 'AppError', code: 'not_found' });

    // Editing: bad schedules are refused whole and change nothing
    const before = await getDb().cohortWeek.findMany({ where: { cohortId: cohort.id }, orderBy: { week: 'asc' } });
    const now = Date.now();
    await expect(setSchedule(ins, cohort.id, [{ week: 1, unlockAt: new Date(now), dueAt: new Date(now - DAY) }])).rejects.toMatchObject({
      name: 'AppError',
      code: 'invalid_input',
    });
    await expect(
      setSchedule(ins, cohort.id, [
        { week: 1, unlockAt: new Date(now), dueAt: new Date(now + DAY) },
        { week: 1, unlockAt: new Date(now), dueAt: new Date(now + DAY) },
      ]),
    ).rejects.toMatchObject({ name: 'AppError', code: 'invalid_input' });
    await expect(setSchedule(ins, cohort.id, [{ week: 11, unlockAt: new Date(now), dueAt: new Date(now + DAY) }])).rejects.toMatchObject({
      name: 'AppError',
      code: 'invalid_input',
    });
    expect(await getDb().cohortWeek.findMany({ where: { cohortId: cohort.id }, orderBy: { week: 'asc' } })).toEqual(before);
    const schedules = () => getDb().auditLog.count({ where: { targetId: cohort.id, action: 'cohort.schedule', actorId: ins.id } });
    expect(await schedules()).toBe(1); // the fill above; refused edits leave no entry
    await setSchedule(ins, cohort.id, [{ week: 5, unlockAt: new Date(now - 2 * DAY), dueAt: new Date(now - DAY) }]);
    expect([...(await learnerSchedule(learner.id)).keys()]).toEqual([5]);
    await setSchedule(ins, cohort.id, []);
    expect(await isLate(learner.id, 5)).toBe(false); // self-paced now
    expect(await schedules()).toBe(3);

    await setLatePolicy(ins, cohort.id, 35);
    expect((await getDb().cohort.findUniqueOrThrow({ where: { id: cohort.id } })).latePenaltyPct).toBe(35);
    await expect(setLatePolicy(ins, cohort.id, 101)).rejects.toMatchObject({ name: 'AppError', code: 'invalid_input' });
    expect((await getDb().auditLog.findMany({ where: { targetId: cohort.id, action: 'cohort.latePolicy' } })).map((e) => e.detail)).toEqual([
      { from: 0, to: 35 },
    ]);
    const other = await instructor();
    await expect(setSchedule(other, cohort.id, [])).rejects.toMatchObject({ name: 'AppError', code: 'not_found' });
    await expect(setLatePolicy(other, cohort.id, 0)).rejects.toMatchObject({ name: 'AppError', code: 'not_found' });
  });

  it('grade overrides count in the gradebook and the CSV, are audited, and stay within the lab', async () => {
    const ins = await instructor();
    const a = await createLearner();
    const cohort = await createCohort(ins, { name: 'Override =cohort', start: new Date(), latePenaltyPct: 50 });
    await joinCohort(a, cohort.inviteCode);
    await getDb().user.update({ where: { id: a.id }, data: { name: '=cmd|" /C calc"!A0' } });
    await graded(a.id, { score: 12, passed: true, failed: ['probes'], late: true }); // counts 6 under a 50 % policy
    let gb = await gradebook(ins, cohort.id);
    expect(gb.rows[0]!.cells[LAB]).toMatchObject({ best: 6, score: 6, late: true, lateAttempts: 1, override: null, passed: true });
    expect(gb.rows[0]!.total).toBe(6);

    await setGradeOverride(ins, cohort.id, a.id, LAB, 11, 'Late for a documented illness');
    gb = await gradebook(ins, cohort.id);
    expect(gb.rows[0]!.cells[LAB]).toMatchObject({ best: 6, score: 11, override: { score: 11, reason: 'Late for a documented illness' } });
    expect(gb.rows[0]!.total).toBe(11);
    const csv = gradebookCsv(gb);
    const line = csv.split('\r\n')[1]!;
    expect(line.startsWith(`"'=cmd|"" /C calc""!A0",`)).toBe(true); // a formula in a name is defused
    expect(line).toContain('"6","13","1","yes","yes","1","11"');
    expect(line.endsWith('"11"')).toBe(true);
    expect(await getDb().auditLog.findFirst({ where: { action: 'grade.override', targetId: cohort.id } })).toMatchObject({
      actorId: ins.id,
      detail: { userId: a.id, labId: LAB, score: 11, previous: null },
    });

    await expect(setGradeOverride(ins, cohort.id, a.id, LAB, 14, 'too much')).rejects.toMatchObject({ name: 'AppError', code: 'invalid_input' });
    await expect(setGradeOverride(ins, cohort.id, a.id, LAB, 5, '  ')).rejects.toMatchObject({ name: 'AppError', code: 'invalid_input' });
    await expect(setGradeOverride(ins, cohort.id, a.id, 'no-such-lab', 5, 'x')).rejects.toMatchObject({ name: 'AppError', code: 'not_found' });
    await expect(setGradeOverride(await instructor(), cohort.id, a.id, LAB, 5, 'x')).rejects.toMatchObject({ name: 'AppError', code: 'not_found' });
    await setGradeOverride(ins, cohort.id, a.id, LAB, null, '');
    expect((await gradebook(ins, cohort.id)).rows[0]!.cells[LAB]).toMatchObject({ score: 6, override: null });
    expect(await getDb().auditLog.count({ where: { action: 'grade.override', targetId: cohort.id } })).toBe(2);
  });
});

describe('regrades without a worker', () => {
  it('are not attempts and do not count against the learner; progress follows the regrade, down as well as up', async () => {
    const t0 = new Date();
    const ins = await instructor();
    const learner = await createLearner();
    const cohort = await createCohort(ins, { name: 'Regrade limits', start: new Date(), latePenaltyPct: 0 });
    await joinCohort(learner, cohort.inviteCode);
    const first = await graded(learner.id, { score: 13, passed: true, failed: [] });
    for (let i = 0; i < LIMITS.queuedPerLearner + 1; i++) await regradeLab(ins, cohort.id, LAB);
    expect(await getDb().submission.count({ where: { userId: learner.id, regradeOfId: first, status: 'QUEUED' } })).toBe(LIMITS.queuedPerLearner + 1);
    // the learner's own queue is still free
    await expect(
      submitLabAttempt(learner, {
        labId: LAB,
        files: [
          { path: 'k8s/deployment.yaml', content: 'kind: Deployment\n' },
          { path: 'k8s/service.yaml', content: 'kind: Service\n' },
        ],
      }),
    ).resolves.toMatchObject({ submissionId: expect.any(String) });

    // A regrade that scores lower (the grader was too lenient) lowers the progress; attempts stay the learner's own.
    const db = getDb();
    await db.labProgress.create({ data: { userId: learner.id, labId: LAB, bestScore: 13, maxScore: 13, passed: true, attempts: 1, bestSubmissionId: first } });
    await graded(learner.id, { score: 7, passed: false, failed: ['probes', 'resources'], regradeOfId: first });
    await db.$transaction((tx) => recomputeLabProgress(tx, learner.id, LAB));
    expect(await db.labProgress.findUniqueOrThrow({ where: { userId_labId: { userId: learner.id, labId: LAB } } })).toMatchObject({
      bestScore: 7,
      passed: false,
      attempts: 1,
    });
    expect((await gradebook(ins, cohort.id)).rows[0]!.cells[LAB]).toMatchObject({ best: 7, attempts: 1, passed: false });
    const an = (await analytics(ins, cohort.id)).find((x) => x.labId === LAB)!;
    expect(an).toMatchObject({ passed: 0, medianAttempts: 1 });
    expect(an.failing.map((f) => f.id).sort()).toEqual(['probes', 'resources']);

    // Everyone's attempts at once is for admins only
    await expect(regradeLabEverywhere(ins, LAB)).rejects.toMatchObject({ name: 'AppError', code: 'forbidden' });
    const admin = await getDb().user.create({
      data: { email: `adm-${crypto.randomUUID()}@test.lms`, name: 'Admin', role: 'ADMIN' },
      select: { id: true, role: true },
    });
    const all = await regradeLabEverywhere(admin, LAB);
    expect(all.count).toBeGreaterThanOrEqual(2);
    expect((await regradeSummary(admin, null, all.batchId)).rows.length).toBe(all.count);
    await expect(regradeSummary(ins, null, all.batchId)).rejects.toMatchObject({ name: 'AppError', code: 'not_found' });
    expect(await db.auditLog.count({ where: { action: 'lab.regrade', actorId: admin.id } })).toBe(1);
    // the batch's rows stay QUEUED here (no worker): cancel them so no other test's worker spends time on them
    await db.submission.updateMany({
      where: { regradeBatchId: { not: null }, status: 'QUEUED', createdAt: { gte: t0 } },
      data: { status: 'ERROR', error: 'test cleanup' },
    });
  });
});

describe('cohort webhooks against a loopback server', () => {
  const got: { path: string; body: Record<string, unknown> }[] = [];
  let server: http.Server;
  let base = '';
  beforeAll(async () => {
    process.env.LMS_WEBHOOK_ALLOW_LOOPBACK = '1';
    server = http.createServer((req, res) => {
      let b = '';
      req.on('data', (c) => (b += c));
      req.on('end', () => {
        if (req.url?.startsWith('/hang')) return; // never answers
        got.push({ path: req.url ?? '', body: JSON.parse(b) as Record<string, unknown> });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('validates the URL: https, or http to loopback only', () => {
    expect(webhookInput.safeParse({ url: 'https://hooks.slack.com/services/T/B/x', kind: 'slack' }).success).toBe(true);
    expect(webhookInput.safeParse({ url: `${base}/x`, kind: 'discord' }).success).toBe(true);
    expect(webhookInput.safeParse({ url: 'http://hooks.slack.com/services/T/B/x', kind: 'slack' }).success).toBe(false);
    expect(webhookInput.safeParse({ url: 'ftp://example.com/x', kind: 'slack' }).success).toBe(false);
    expect(webhookInput.safeParse({ url: 'https://example.com/x', kind: 'teams' }).success).toBe(false);
  });

  it('a webhook that never answers is given up after about 3 s and recorded; private targets are refused', async () => {
    const ins = await instructor();
    const cohort = await createCohort(ins, { name: 'Hang', start: new Date(), latePenaltyPct: 0 });
    await setCohortWebhook(ins, cohort.id, { url: `${base}/hang`, kind: 'slack' }, 3);
    // audited with the host only: the path of a webhook URL is its secret
    expect((await getDb().auditLog.findFirstOrThrow({ where: { action: 'cohort.webhook', targetId: cohort.id } })).detail).toEqual({
      host: new URL(base).host,
      kind: 'slack',
      stuckAfter: 3,
    });
    const t0 = Date.now();
    await expect(notifyCohort(cohort.id, 'test.hang', 'x')).resolves.toBeUndefined();
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(WEBHOOK_TIMEOUT_MS - 100);
    expect(took).toBeLessThan(WEBHOOK_TIMEOUT_MS + 1500);
    expect(await getDb().webhookDelivery.findFirst({ where: { cohortId: cohort.id, event: 'test.hang' } })).toMatchObject({
      status: null,
      error: expect.stringMatching(/timed out/),
    });

    // Stored directly (as if set before the rules), private and metadata addresses are still never contacted.
    for (const url of ['https://10.1.2.3/hook', 'https://169.254.169.254/latest/meta-data', 'https://[fd00::1]/x']) {
      await getDb().cohort.update({ where: { id: cohort.id }, data: { webhookUrl: url } });
      await notifyCohort(cohort.id, `test.private`, 'x');
    }
    const refused = await getDb().webhookDelivery.findMany({ where: { cohortId: cohort.id, event: 'test.private' } });
    expect(refused).toHaveLength(3);
    for (const r of refused) expect(r).toMatchObject({ status: null, error: expect.stringMatching(/not delivered/) });
    // A name that resolves to loopback is refused when loopback is not allowed (production)
    process.env.LMS_WEBHOOK_ALLOW_LOOPBACK = '0';
    try {
      await getDb().cohort.update({ where: { id: cohort.id }, data: { webhookUrl: `https://localhost:${new URL(base).port}/x` } });
      await notifyCohort(cohort.id, 'test.loopback', 'x');
      expect(await getDb().webhookDelivery.findFirst({ where: { cohortId: cohort.id, event: 'test.loopback' } })).toMatchObject({
        status: null,
        error: expect.stringMatching(/refused/),
      });
    } finally {
      process.env.LMS_WEBHOOK_ALLOW_LOOPBACK = '1';
    }
  }, 15_000);

  it('two workers ticking at once announce a near due date once', async () => {
    const ins = await instructor();
    const cohort = await createCohort(ins, { name: 'Race', start: new Date(Date.now() - 7 * DAY + 3600 * 1000), latePenaltyPct: 0 });
    await setCohortWebhook(ins, cohort.id, { url: `${base}/race/${cohort.id}`, kind: 'discord' }, 3);
    await Promise.all([deadlinesNear(), deadlinesNear(), deadlinesNear()]);
    await deadlinesNear();
    const posts = got.filter((g) => g.path === `/race/${cohort.id}`);
    expect(posts).toHaveLength(1);
    expect(String(posts[0]!.body.content)).toMatch(/^⏰ Week 1 is due .* KST/);
    expect(await getDb().webhookDelivery.count({ where: { cohortId: cohort.id, event: 'deadline.near:1' } })).toBe(1);
  });

  it('a learner passing through the real submit path notifies; a failing webhook does not fail anything', async () => {
    const ins = await instructor();
    const cohort = await createCohort(ins, { name: 'Pass', start: new Date(), latePenaltyPct: 0 });
    await setCohortWebhook(ins, cohort.id, { url: `${base}/pass/${cohort.id}`, kind: 'slack' }, 2);
    const l = await createLearner();
    await joinCohort(l, cohort.inviteCode);
    await afterResult(await graded(l.id, { score: 5, passed: false, failed: ['probes'] }));
    await afterResult(await graded(l.id, { score: 5, passed: false, failed: ['probes'] }));
    await afterResult(await graded(l.id, { score: 13, passed: true, failed: [] }));
    const texts = got.filter((g) => g.path === `/pass/${cohort.id}`).map((g) => String(g.body.text));
    expect(texts).toHaveLength(2);
    expect(texts[0]).toMatch(/^🆘 .*failed .* 2 times/);
    expect(texts[1]).toMatch(/^✅ .*passed/);
  });
});
