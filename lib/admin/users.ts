import { getDb } from '../db';
import { AccessDenied, NotFound, UserInputError, type Actor } from '../auth/actor';
import { audit } from '../audit';
import type { Role } from '../generated/prisma/enums';
import { getGradingQueue } from '../queue';

function adminOnly(actor: Actor) {
  if (actor.role !== 'ADMIN') throw new AccessDenied();
}

export async function listUsers(actor: Actor, q = '', take = 100) {
  adminOnly(actor);
  const query = q.trim().slice(0, 80);
  return getDb().user.findMany({
    where: query ? { OR: [{ email: { contains: query, mode: 'insensitive' } }, { name: { contains: query, mode: 'insensitive' } }] } : {},
    orderBy: { createdAt: 'desc' },
    take,
    select: { id: true, email: true, name: true, role: true, createdAt: true, _count: { select: { submissions: true } } },
  });
}

/** Changes a role, audited, in one transaction; the last admin cannot be demoted (nobody could undo it). */
export async function setRole(actor: Actor, userId: string, role: Role, ip: string | null = null) {
  adminOnly(actor);
  return getDb().$transaction(async (tx) => {
    const u = await tx.user.findUnique({ where: { id: userId }, select: { id: true, role: true } });
    if (!u) throw new NotFound();
    if (u.role === role) return u;
    if (u.role === 'ADMIN') {
      const admins = await tx.user.count({ where: { role: 'ADMIN' } });
      if (admins <= 1) throw new UserInputError('This is the last admin: make someone else an admin first.', '마지막 관리자입니다. 먼저 다른 사람을 관리자로 만드세요.');
    }
    const updated = await tx.user.update({ where: { id: userId }, data: { role }, select: { id: true, role: true } });
    await audit({ actorId: actor.id, action: 'role.change', targetType: 'user', targetId: userId, detail: { from: u.role, to: role }, ip }, tx);
    return updated;
  });
}

export async function auditEntries(actor: Actor, opts: { action?: string; take?: number; before?: Date } = {}) {
  adminOnly(actor);
  return getDb().auditLog.findMany({
    where: { ...(opts.action ? { action: opts.action } : {}), ...(opts.before ? { createdAt: { lt: opts.before } } : {}) },
    orderBy: { createdAt: 'desc' },
    take: Math.min(opts.take ?? 100, 500),
    include: { actor: { select: { name: true, email: true } } },
  });
}

/** The grading queue as an operator needs it: depth by state and the latest jobs with their state and error. */
export async function queueOverview(actor: Actor) {
  adminOnly(actor);
  const q = getGradingQueue();
  const counts = await q.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed');
  const jobs = await q.getJobs(['active', 'waiting', 'prioritized', 'delayed', 'failed'], 0, 49, false);
  const rows = await Promise.all(
    jobs.map(async (j) => ({ id: j.id ?? '', state: await j.getState(), attempts: j.attemptsMade, priority: j.opts.priority ?? 0, failedReason: j.failedReason?.slice(0, 200) ?? null, timestamp: j.timestamp })),
  );
  const subs = await getDb().submission.findMany({ where: { id: { in: rows.map((r) => r.id) } }, select: { id: true, labId: true, status: true, user: { select: { email: true } } } });
  return { counts, jobs: rows.map((r) => ({ ...r, submission: subs.find((s) => s.id === r.id) ?? null })) };
}
