/**
 * Cohorts against the real database: a schedule makes submissions late, the gradebook counts them by the late
 * policy, attempts exclude regrades, analytics find the checks failed most, the CSV is escaped, and another
 * instructor sees nothing.
 */
import crypto from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { getDb } from '@/lib/db';
import { analytics, createCohort, csvCell, gradebook, gradebookCsv, joinCohort, learnerTimeline, listTeachingCohorts } from '@/lib/cohorts/gradebook';
import { isLate, learnerSchedule } from '@/lib/cohorts/schedule';
import { submitLabAttempt } from '@/lib/submissions/submit-lab-attempt';
import { NotFound, UserInputError, type Actor } from '@/lib/auth/actor';
import { createLearner } from './helpers';

const LAB = 'week05-k8s-manifests';
const DAY = 24 * 3600 * 1000;

async function instructor(): Promise<Actor> {
  const u = await getDb().user.create({ data: { email: `ins-${crypto.randomUUID()}@test.lms`, name: 'Instructor', role: 'INSTRUCTOR' }, select: { id: true, role: true } });
  return u;
}

/** A graded result written as the worker would, with the given failed checks. */
async function graded(userId: string, opts: { score: number; passed: boolean; failed: string[]; late?: boolean; regradeOfId?: string }) {
  const db = getDb();
  const s = await db.submission.create({ data: { userId, labId: LAB, status: 'GRADED', phase: 'finished', late: opts.late ?? false, regradeOfId: opts.regradeOfId ?? null } });
  const checks = ['schema', 'selectors', 'service-port', 'resources', 'probes', 'image-tag', 'replicas'].map((id) => ({ id, passed: !opts.failed.includes(id) }));
  await db.result.create({ data: { submissionId: s.id, gradable: true, score: opts.score, maxScore: 13, passed: opts.passed, durationMs: 500, document: { labId: LAB, gradable: true, score: opts.score, maxScore: 13, checks, durationMs: 500 } } });
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
    const { submissionId } = await submitLabAttempt(learner, { labId: LAB, files: [{ path: 'k8s/deployment.yaml', content: 'kind: Deployment\n' }, { path: 'k8s/service.yaml', content: 'kind: Service\n' }] });
    expect((await getDb().submission.findUniqueOrThrow({ where: { id: submissionId } })).late).toBe(true);
    const audits = await getDb().auditLog.count({ where: { action: 'cohort.member.add', targetId: cohort.id, actorId: learner.id } });
    expect(audits).toBe(1);
    await expect(joinCohort(learner, 'no-such-code')).rejects.toBeInstanceOf(UserInputError);
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
    expect(csv).toContain('"9","13","2","yes","no"');
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
    await expect(gradebook(other, cohort.id)).rejects.toBeInstanceOf(NotFound);
    await expect(analytics(other, cohort.id)).rejects.toBeInstanceOf(NotFound);
    await expect(learnerTimeline(other, cohort.id, learner.id)).rejects.toBeInstanceOf(NotFound);
    await expect(gradebook(learner, cohort.id)).rejects.toBeInstanceOf(NotFound);
    await expect(listTeachingCohorts(learner)).rejects.toThrow();
    expect((await listTeachingCohorts(other)).map((c) => c.id)).not.toContain(cohort.id);
    // not a member: the instructor cannot read an outsider's timeline through their cohort
    await expect(learnerTimeline(ins, cohort.id, learner.id)).rejects.toBeInstanceOf(NotFound);
  });
});
