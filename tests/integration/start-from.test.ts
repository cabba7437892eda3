/**
 * One running project (issue 17 §3): a learner's passing work of an earlier lab offered as the starting point of a
 * later one (lib/submissions/start-from.ts). Only the owner's passing graded attempt is offered, the best of them, its
 * files under the later lab's paths; and every pair of the course, mapped onto its starter, is gradable and still
 * below the pass mark through the real sandbox.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db';
import { gradeFiles } from '@/lib/grading/grade';
import { labPassed } from '@/lib/grading/result';
import { listLabs, readFolderFiles } from '@/lib/labs/registry';
import { startFromFiles } from '@/lib/labs/verify';
import { startFromOffers } from '@/lib/submissions/start-from';
import { createLearner, docker } from './helpers';

const LATER = 'week09-deploy-optimisation';
const EARLIER = 'week02-docker-server';
const WEEK5 = 'week05-k8s-manifests';

/** A graded attempt as the worker leaves it: files, status, and a result row. */
async function attempt(
  userId: string,
  opts: { labId?: string; passed: boolean; score: number; dockerfile: string; practice?: boolean; status?: 'GRADED' | 'ERROR'; number?: number },
) {
  return getDb().submission.create({
    data: {
      userId,
      labId: opts.labId ?? EARLIER,
      status: opts.status ?? 'GRADED',
      phase: 'finished',
      practice: opts.practice ?? false,
      number: opts.number ?? null,
      files: {
        create: [
          { path: 'Dockerfile', content: Buffer.from(opts.dockerfile) },
          { path: 'server.js', content: Buffer.from('// week 2 server\n') },
        ],
      },
      result: { create: { gradable: true, score: opts.score, maxScore: 25, passed: opts.passed, document: {}, durationMs: 1000 } },
    },
  });
}

describe('start from your earlier work', () => {
  it('offers the owner’s best passing attempt, its Dockerfile only, under the later lab’s path', async () => {
    const [me, other] = await Promise.all([createLearner(), createLearner()]);
    await attempt(me.id, { passed: true, score: 20, dockerfile: 'FROM node:26 # mine, 20\n', number: 1 });
    const best = await attempt(me.id, { passed: true, score: 25, dockerfile: 'FROM node:26 # mine, 25\n', number: 2 });
    await attempt(me.id, { passed: true, score: 21, dockerfile: 'FROM node:26 # mine, 21, newest\n', number: 3 });
    const offers = await startFromOffers(me, LATER);
    expect(offers).toHaveLength(2);
    expect(offers[0]).toMatchObject({ lab: EARLIER, week: 2, targets: ['Dockerfile'] });
    // week 9's other pair: week 5's Deployment, not passed by this learner
    expect(offers[1]).toMatchObject({ lab: WEEK5, week: 5, targets: ['k8s/deployment.yaml'], attempt: null });
    expect(offers[0]!.title.en.length).toBeGreaterThan(5);
    expect(offers[0]!.attempt).toEqual({
      submissionId: best.id,
      number: 2,
      score: 25,
      maxScore: 25,
      files: [{ path: 'Dockerfile', content: 'FROM node:26 # mine, 25\n' }],
    });
    // Someone else's work is never theirs: the other learner has nothing to start from.
    expect((await startFromOffers(other, LATER))[0]!.attempt).toBeNull();
  });

  it('a failing, an ungraded, a practice or another lab’s attempt is not offered; the offer then says what passing would give', async () => {
    const [me, other] = await Promise.all([createLearner(), createLearner()]);
    await attempt(me.id, { passed: false, score: 12, dockerfile: 'FROM node:26 # failing\n', number: 1 });
    await attempt(me.id, { passed: true, score: 25, dockerfile: 'FROM node:26 # practice\n', practice: true });
    await attempt(me.id, { passed: true, score: 25, dockerfile: 'FROM node:26 # errored\n', status: 'ERROR' });
    await attempt(me.id, { labId: 'week02-docker-troubleshoot', passed: true, score: 25, dockerfile: 'FROM node:26 # another lab\n', number: 1 });
    // Another learner's passing attempt of the very lab.
    await attempt(other.id, { passed: true, score: 25, dockerfile: 'FROM node:26 # theirs\n', number: 1 });
    const offers = await startFromOffers(me, LATER);
    expect(offers).toEqual([
      { lab: EARLIER, week: 2, title: expect.any(Object), targets: ['Dockerfile'], attempt: null },
      { lab: WEEK5, week: 5, title: expect.any(Object), targets: ['k8s/deployment.yaml'], attempt: null },
    ]);
    expect((await startFromOffers(other, LATER))[0]!.attempt?.files).toEqual([{ path: 'Dockerfile', content: 'FROM node:26 # theirs\n' }]);
  });

  it('an admin gets their own work too, not a learner’s; a lab without startFrom offers nothing', async () => {
    const learner = await createLearner();
    const u = await getDb().user.create({ data: { email: `sf-admin-${Date.now()}@test.lms`, name: 'SF Admin', role: 'ADMIN' } });
    const admin = { id: u.id, role: u.role };
    await attempt(learner.id, { passed: true, score: 25, dockerfile: 'FROM node:26 # the learner\n', number: 1 });
    expect((await startFromOffers(admin, LATER))[0]!.attempt).toBeNull();
    expect(await startFromOffers(learner, EARLIER)).toEqual([]);
    expect(await startFromOffers(learner, 'no-such-lab')).toEqual([]);
  });

  it('a passing attempt whose mapped file is missing or not text offers nothing to start from', async () => {
    const me = await createLearner();
    await getDb().submission.create({
      data: {
        userId: me.id,
        labId: EARLIER,
        status: 'GRADED',
        phase: 'finished',
        number: 1,
        files: { create: [{ path: 'Dockerfile', content: Uint8Array.from([0xff, 0xfe, 0xfd]) }] },
        result: { create: { gradable: true, score: 25, maxScore: 25, passed: true, document: {}, durationMs: 1000 } },
      },
    });
    expect((await startFromOffers(me, LATER))[0]!.attempt).toBeNull();
  });

  // Per pair: the earlier lab's reference solution stands for a learner's passing work.
  for (const lab of listLabs()) {
    for (const sf of lab.manifest.startFrom) {
      it(`${sf.lab} → ${lab.manifest.id}: the mapped work on the starter is gradable and below the pass mark`, async () => {
        const earlier = listLabs().find((l) => l.manifest.id === sf.lab)!;
        const files = startFromFiles(lab, readFolderFiles(path.join(earlier.dir, 'solution')), sf.files);
        const outcome = await gradeFiles({ docker, labId: lab.manifest.id, files });
        expect(outcome.kind).toBe('graded');
        if (outcome.kind !== 'graded') return;
        expect(outcome.result.gradable).toBe(true);
        expect(outcome.result.score / outcome.result.maxScore).toBeLessThan(lab.manifest.passRatio);
        expect(labPassed(lab.manifest, outcome.result)).toBe(false);
      });
    }
  }
});
