/** Admin functions against the real database and Redis: only admins, role changes audited, the last admin kept. */
import crypto from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { getDb } from '@/lib/db';
import { auditActions, auditEntries, listUsers, queueOverview, setRole } from '@/lib/admin/users';
import type { Actor } from '@/lib/auth/actor';
import { createLearner } from './helpers';

async function user(role: 'LEARNER' | 'INSTRUCTOR' | 'ADMIN'): Promise<Actor> {
  return getDb().user.create({ data: { email: `adm-${crypto.randomUUID()}@test.lms`, name: 'A', role }, select: { id: true, role: true } });
}

describe('admin', () => {
  it('only admins list users, change roles, read the audit log and the queue', async () => {
    const learner = await createLearner();
    const ins = await user('INSTRUCTOR');
    for (const a of [learner, ins]) {
      await expect(listUsers(a)).rejects.toMatchObject({ name: 'AppError', code: 'forbidden' });
      await expect(setRole(a, learner.id, 'ADMIN')).rejects.toMatchObject({ name: 'AppError', code: 'forbidden' });
      await expect(auditEntries(a)).rejects.toMatchObject({ name: 'AppError', code: 'forbidden' });
      await expect(queueOverview(a)).rejects.toMatchObject({ name: 'AppError', code: 'forbidden' });
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
    await expect(setRole(me, me.id, 'LEARNER')).rejects.toMatchObject({ name: 'AppError', code: 'invalid_input' });
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

describe('admin: sessions, paging and the audit log', () => {
  it('a role change bumps the user session version (their session picks up the new role); a no-op does not', async () => {
    const db = getDb();
    const admin = await user('ADMIN');
    const target = await createLearner();
    const before = (await db.user.findUniqueOrThrow({ where: { id: target.id } })).sessionVersion;
    await setRole(admin, target.id, 'INSTRUCTOR');
    expect((await db.user.findUniqueOrThrow({ where: { id: target.id } })).sessionVersion).toBe(before + 1);
    await setRole(admin, target.id, 'INSTRUCTOR');
    expect((await db.user.findUniqueOrThrow({ where: { id: target.id } })).sessionVersion).toBe(before + 1);
    expect(await db.auditLog.count({ where: { action: 'role.change', targetId: target.id } })).toBe(1);
  });

  it('an admin demoted a moment ago cannot change roles with the actor they still hold', async () => {
    const a = await user('ADMIN');
    const b = await user('ADMIN');
    const victim = await createLearner();
    await setRole(b, a.id, 'LEARNER');
    await expect(setRole(a, victim.id, 'ADMIN')).rejects.toMatchObject({ name: 'AppError', code: 'forbidden' });
    expect((await getDb().user.findUniqueOrThrow({ where: { id: victim.id } })).role).toBe('LEARNER');
  });

  it('two admins demoting each other at once leave one admin (the last-admin guard holds under concurrency)', async () => {
    const db = getDb();
    const others = await db.user.findMany({ where: { role: 'ADMIN' }, select: { id: true } });
    const a = await user('ADMIN');
    const b = await user('ADMIN');
    for (const o of others) await setRole(a, o.id, 'LEARNER');
    const results = await Promise.allSettled([setRole(a, b.id, 'LEARNER'), setRole(b, a.id, 'LEARNER')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await db.user.count({ where: { role: 'ADMIN' } })).toBe(1);
    const left = await db.user.findFirstOrThrow({ where: { role: 'ADMIN' }, select: { id: true, role: true } });
    for (const o of others) await setRole(left, o.id, 'ADMIN');
  });

  it('lists users a page at a time and searches by name or e-mail', async () => {
    const admin = await user('ADMIN');
    const tag = crypto.randomBytes(4).toString('hex');
    for (let i = 0; i < 5; i++) await getDb().user.create({ data: { email: `page-${tag}-${i}@test.lms`, name: `Pager ${tag}`, role: 'LEARNER' } });
    const p1 = await listUsers(admin, tag, 1, 2);
    const p3 = await listUsers(admin, tag.toUpperCase(), 3, 2);
    expect(p1.total).toBe(5);
    expect(p1.pages).toBe(3);
    expect(p1).toHaveLength(2);
    expect(p3).toHaveLength(1);
    const all = [...p1, ...(await listUsers(admin, tag, 2, 2)), ...p3].map((u) => u.email);
    expect(new Set(all).size).toBe(5);
  });

  it('reads the audit log newest first, filtered by action, page by page without gaps or repeats', async () => {
    const admin = await user('ADMIN');
    const targets = await Promise.all([createLearner(), createLearner(), createLearner()]);
    for (const t of targets) await setRole(admin, t.id, 'INSTRUCTOR');
    const first = await auditEntries(admin, { action: 'role.change', take: 2 });
    expect(first.map((e) => e.targetId)).toEqual([targets[2]!.id, targets[1]!.id]);
    const next = await auditEntries(admin, { action: 'role.change', take: 2, before: { at: first[1]!.createdAt, id: first[1]!.id } });
    expect(next[0]!.targetId).toBe(targets[0]!.id);
    expect(next.every((e) => e.action === 'role.change')).toBe(true);
    expect(await auditActions(admin)).toContain('role.change');
    await expect(auditActions(await createLearner())).rejects.toMatchObject({ name: 'AppError', code: 'forbidden' });
  });
});
