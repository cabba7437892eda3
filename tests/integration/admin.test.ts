/** Admin functions against the real database and Redis: only admins, role changes audited, the last admin kept. */
import crypto from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { getDb } from '@/lib/db';
import { auditEntries, listUsers, queueOverview, setRole } from '@/lib/admin/users';
import { AccessDenied, UserInputError, type Actor } from '@/lib/auth/actor';
import { createLearner } from './helpers';

async function user(role: 'LEARNER' | 'INSTRUCTOR' | 'ADMIN'): Promise<Actor> {
  return getDb().user.create({ data: { email: `adm-${crypto.randomUUID()}@test.lms`, name: 'A', role }, select: { id: true, role: true } });
}

describe('admin', () => {
  it('only admins list users, change roles, read the audit log and the queue', async () => {
    const learner = await createLearner();
    const ins = await user('INSTRUCTOR');
    for (const a of [learner, ins]) {
      await expect(listUsers(a)).rejects.toBeInstanceOf(AccessDenied);
      await expect(setRole(a, learner.id, 'ADMIN')).rejects.toBeInstanceOf(AccessDenied);
      await expect(auditEntries(a)).rejects.toBeInstanceOf(AccessDenied);
      await expect(queueOverview(a)).rejects.toBeInstanceOf(AccessDenied);
    }
    expect((await getDb().user.findUniqueOrThrow({ where: { id: learner.id } })).role).toBe('LEARNER');
  });

  it('a role change is audited with before and after', async () => {
    const admin = await user('ADMIN');
    const target = await createLearner();
    await setRole(admin, target.id, 'INSTRUCTOR', '10.0.0.1');
    expect((await getDb().user.findUniqueOrThrow({ where: { id: target.id } })).role).toBe('INSTRUCTOR');
    const [entry] = await auditEntries(admin, { action: 'role.change' });
    expect(entry).toMatchObject({ actorId: admin.id, targetId: target.id, detail: { from: 'LEARNER', to: 'INSTRUCTOR' }, ip: '10.0.0.1' });
  });

  it('never demotes the last admin', async () => {
    const db = getDb();
    const admins = await db.user.findMany({ where: { role: 'ADMIN' }, select: { id: true } });
    const me = await user('ADMIN');
    // demote every other admin, then try the last one
    for (const a of admins) await setRole(me, a.id, 'LEARNER');
    await expect(setRole(me, me.id, 'LEARNER')).rejects.toBeInstanceOf(UserInputError);
    expect((await db.user.findUniqueOrThrow({ where: { id: me.id } })).role).toBe('ADMIN');
    for (const a of admins) await setRole(me, a.id, 'ADMIN');
  });

  it('shows the queue by state', async () => {
    const admin = await user('ADMIN');
    const q = await queueOverview(admin);
    for (const k of ['waiting', 'active', 'failed']) expect(typeof q.counts[k]).toBe('number');
    expect(Array.isArray(q.jobs)).toBe(true);
  });
});
