/**
 * Abuse limits against the real Redis and Postgres: sign-in lockout per account and per address with one answer
 * for every refusal, submissions per lab per minute, submissions waiting per learner, and queue fairness.
 */
import crypto from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { getDb } from '@/lib/db';
import { hashPassword } from '@/lib/auth/password';
import { authorizeCredentials } from '@/lib/auth/credentials';
import { LIMITS } from '@/lib/security/limits';
import { submitLabAttempt } from '@/lib/submissions/submit-lab-attempt';
import { getGradingQueue } from '@/lib/queue';
import { AppError } from '@/lib/errors';
import { createLearner, startWorker, waitFor } from './helpers';

async function account(password: string) {
  const email = `lock-${crypto.randomBytes(5).toString('hex')}@test.lms`;
  const u = await getDb().user.create({ data: { email, name: 'Lock', passwordHash: await hashPassword(password) } });
  return { email, id: u.id };
}
const addr = () => `10.${crypto.randomInt(255)}.${crypto.randomInt(255)}.${crypto.randomInt(255)}`;

describe('sign-in limits', () => {
  it('locks an account after repeated failures, even for the right password, and says nothing different', async () => {
    const { email, id } = await account('right-password-123');
    const ip = addr();
    expect(await authorizeCredentials({ email, password: 'right-password-123' }, ip)).toMatchObject({ id });
    for (let i = 0; i < LIMITS.loginPerAccount.max; i++) expect(await authorizeCredentials({ email, password: 'wrong' }, addr())).toBeNull();
    // locked: the right password from a new address gets the same null as a wrong one
    expect(await authorizeCredentials({ email, password: 'right-password-123' }, addr())).toBeNull();
    expect(await getDb().auditLog.count({ where: { action: 'user.lockout', targetId: id } })).toBe(1);
    // an unknown e-mail is refused in the same way
    expect(await authorizeCredentials({ email: `nobody-${crypto.randomUUID()}@test.lms`, password: 'x' }, ip)).toBeNull();
  });

  it('limits one address trying many accounts', async () => {
    const ip = addr();
    for (let i = 0; i < LIMITS.loginPerAddress.max; i++)
      await authorizeCredentials({ email: `spray-${i}-${crypto.randomUUID()}@test.lms`, password: 'guess' }, ip);
    const { email } = await account('good-password-456');
    expect(await authorizeCredentials({ email, password: 'good-password-456' }, ip)).toBeNull();
    expect(await authorizeCredentials({ email, password: 'good-password-456' }, addr())).not.toBeNull();
  });

  it('refuses malformed input without touching anything', async () => {
    expect(await authorizeCredentials({ email: 'not-an-email', password: 'x' }, null)).toBeNull();
    expect(await authorizeCredentials({ email: 'a@b.co', password: 'x'.repeat(500) }, null)).toBeNull();
    expect(await authorizeCredentials(null, null)).toBeNull();
  });
});

describe('submission limits', () => {
  const files = [{ path: 'input.txt', content: 'hello' }];

  it('allows a few waiting submissions per learner, then explains', async () => {
    const l = await createLearner();
    for (let i = 0; i < LIMITS.queuedPerLearner; i++) await submitLabAttempt(l, { labId: 'test-echo', files });
    const before = await getDb().submission.count({ where: { userId: l.id } });
    const err = await submitLabAttempt(l, { labId: 'test-echo', files }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('queue_full');
    expect((err as Error).message).toMatch(/already have 3 submissions waiting/);
    expect(await getDb().submission.count({ where: { userId: l.id } })).toBe(before); // nothing half-written
  });

  it('limits submissions per lab per minute', async () => {
    const l = await createLearner();
    let refused: unknown;
    for (let i = 0; i <= LIMITS.submitPerLabPerMinute.max; i++) {
      // finish the previous one so only the rate limit can refuse
      await getDb().submission.updateMany({ where: { userId: l.id }, data: { status: 'GRADED', phase: 'finished' } });
      refused = await submitLabAttempt(l, { labId: 'test-echo', files }).then(
        () => null,
        (e: unknown) => e,
      );
    }
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('rate_limited');
    expect((refused as Error).message).toMatch(/per lab per minute/);
    expect(await getDb().submission.count({ where: { userId: l.id } })).toBe(LIMITS.submitPerLabPerMinute.max);
  });

  it("keeps the queue fair: a learner's first job outranks another learner's later ones", async () => {
    const a = await createLearner();
    const b = await createLearner();
    const aIds: string[] = [];
    for (let i = 0; i < 3; i++) aIds.push((await submitLabAttempt(a, { labId: 'test-echo', files })).submissionId);
    const bId = (await submitLabAttempt(b, { labId: 'test-echo', files })).submissionId;
    const q = getGradingQueue();
    const prio = async (id: string) => (await q.getJob(id))?.opts.priority ?? 0;
    expect(await prio(bId)).toBe(1);
    expect(await prio(aIds[0]!)).toBe(1);
    expect(await prio(aIds[2]!)).toBe(3);
  });
});

describe('queue fairness, measured with a real worker', () => {
  it("a learner who queues one job after another learner's burst is graded before most of the burst", async () => {
    const a = await createLearner();
    const b = await createLearner();
    const files = [{ path: 'input.txt', content: 'hello' }];
    const burst = 8;
    // the burst is queued first (limits off, as a regrade-sized burst would be), then B's one job
    const aIds: string[] = [];
    for (let i = 0; i < burst; i++) aIds.push((await submitLabAttempt(a, { labId: 'test-echo', files }, { limits: false })).submissionId);
    const bId = (await submitLabAttempt(b, { labId: 'test-echo', files })).submissionId;
    const worker = startWorker({ WORKER_CONCURRENCY: '1' });
    try {
      const ids = [...aIds, bId];
      await waitFor(async () => (await getDb().submission.count({ where: { id: { in: ids }, status: 'GRADED' } })) === ids.length, 150_000, 500);
      const done = await getDb().submission.findMany({ where: { id: { in: ids } }, select: { id: true, finishedAt: true } });
      const bAt = done.find((d) => d.id === bId)!.finishedAt!.getTime();
      const aBefore = done.filter((d) => d.id !== bId && d.finishedAt!.getTime() < bAt).length;
      // without priorities B would be last (after all 8); with them only A's first job (same priority, earlier) may
      // come before it, and one more may already be running when B arrives
      expect(aBefore).toBeLessThanOrEqual(2);
    } finally {
      await worker.stop();
    }
  });
});

describe('password change', () => {
  it('needs the current password, and ends every session of the account', async () => {
    const { changePassword } = await import('@/lib/auth/change-password');
    const { email, id } = await account('first-password-123');
    const before = (await getDb().user.findUniqueOrThrow({ where: { id } })).sessionVersion;
    await expect(changePassword({ id, role: 'LEARNER' }, { current: 'wrong-password', next: 'second-password-456' })).rejects.toMatchObject({
      name: 'AppError',
      code: 'invalid_input',
    });
    await expect(changePassword({ id, role: 'LEARNER' }, { current: 'first-password-123', next: 'short' })).rejects.toThrow();
    expect((await getDb().user.findUniqueOrThrow({ where: { id } })).sessionVersion).toBe(before);
    await changePassword({ id, role: 'LEARNER' }, { current: 'first-password-123', next: 'second-password-456' });
    expect((await getDb().user.findUniqueOrThrow({ where: { id } })).sessionVersion).toBe(before + 1);
    expect(await authorizeCredentials({ email, password: 'first-password-123' }, addr())).toBeNull();
    expect(await authorizeCredentials({ email, password: 'second-password-456' }, addr())).toMatchObject({ id });
  });
});
