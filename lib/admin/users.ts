import { getDb } from '../db';
import type { Actor } from '../auth/actor';
import { AppError, msg } from '../errors';
import { audit } from '../audit';
import type { Role } from '../generated/prisma/enums';
import { getGradingQueue } from '../queue';

function adminOnly(actor: Actor) {
  if (actor.role !== 'ADMIN') throw new AppError('forbidden');
}

const USERS_PAGE = 50;

/** Users matching a name or e-mail fragment, newest first, one page at a time (page 1 is the first). */
export async function listUsers(actor: Actor, q = '', page = 1, take = USERS_PAGE) {
  adminOnly(actor);
  const query = q.trim().slice(0, 80);
  const where = query
    ? { OR: [{ email: { contains: query, mode: 'insensitive' as const } }, { name: { contains: query, mode: 'insensitive' as const } }] }
    : {};
  const p = Math.max(1, Math.min(Math.floor(page) || 1, 10_000));
  const db = getDb();
  const [rows, total] = await Promise.all([
    db.user.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      skip: (p - 1) * take,
      take,
      select: { id: true, email: true, name: true, role: true, createdAt: true, _count: { select: { submissions: true } } },
    }),
    db.user.count({ where }),
  ]);
  return Object.assign(rows, { total, page: p, pages: Math.max(1, Math.ceil(total / take)) });
}

/**
 * Changes a role, audited, in one transaction; the last admin cannot be demoted (nobody could undo it), themselves
 * included. The admins' rows are locked first, so two admins demoting each other at once cannot both succeed. The
 * user's session version is bumped: their open sessions end and they sign in again with the new role.
 */
export async function setRole(actor: Actor, userId: string, role: Role, ip: string | null = null) {
  adminOnly(actor);
  return getDb().$transaction(async (tx) => {
    // Re-read the actor inside the transaction: an admin demoted a moment ago cannot act on a stale session.
    const me = await tx.user.findUnique({ where: { id: actor.id }, select: { role: true } });
    if (me?.role !== 'ADMIN') throw new AppError('forbidden');
    const u = await tx.user.findUnique({ where: { id: userId }, select: { id: true, role: true } });
    if (!u) throw new AppError('not_found', { message: msg('errors.noSuchUser') });
    if (u.role === role) return u;
    if (u.role === 'ADMIN') {
      const admins = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "User" WHERE role = 'ADMIN' FOR UPDATE`;
      if (admins.length <= 1) throw new AppError('invalid_input', { message: msg('errors.lastAdmin') });
    }
    const updated = await tx.user.update({ where: { id: userId }, data: { role, sessionVersion: { increment: 1 } }, select: { id: true, role: true } });
    await audit({ actorId: actor.id, action: 'role.change', targetType: 'user', targetId: userId, detail: { from: u.role, to: role }, ip }, tx);
    return updated;
  });
}

/**
 * The audit log, newest first, a page at a time: `before` is the cursor (the last row of the previous page, as
 * createdAt and id so rows with the same instant are neither skipped nor repeated).
 */
export async function auditEntries(actor: Actor, opts: { action?: string; take?: number; before?: { at: Date; id: string } | Date } = {}) {
  adminOnly(actor);
  const before = opts.before instanceof Date ? { at: opts.before, id: '' } : opts.before;
  return getDb().auditLog.findMany({
    where: {
      ...(opts.action ? { action: opts.action } : {}),
      ...(before ? { OR: [{ createdAt: { lt: before.at } }, ...(before.id ? [{ createdAt: before.at, id: { lt: before.id } }] : [])] } : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: Math.max(1, Math.min(opts.take ?? 50, 500)),
    include: { actor: { select: { name: true, email: true } } },
  });
}

/** The actions the log holds, for the filter. */
export async function auditActions(actor: Actor): Promise<string[]> {
  adminOnly(actor);
  const rows = await getDb().auditLog.groupBy({ by: ['action'], orderBy: { action: 'asc' } });
  return rows.map((r) => r.action);
}

/** The grading queue as an operator needs it: depth by state and the latest jobs with their state and error. */
export async function queueOverview(actor: Actor) {
  adminOnly(actor);
  const q = getGradingQueue();
  const counts = await q.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed');
  // The latest jobs across every state (as Bull Board lists them), newest first; completed ones are those the queue
  // still keeps (removeOnComplete).
  const jobs = (await q.getJobs(['active', 'waiting', 'prioritized', 'delayed', 'failed', 'completed'], 0, 49, false))
    .filter(Boolean)
    .sort((a, b) => b.timestamp - a.timestamp)
    .slice(0, 50);
  const rows = await Promise.all(
    jobs.map(async (j) => ({
      id: j.id ?? '',
      state: await j.getState(),
      attempts: j.attemptsMade,
      priority: j.opts.priority ?? 0,
      failedReason: j.failedReason?.slice(0, 200) ?? null,
      timestamp: j.timestamp,
      finishedOn: j.finishedOn ?? null,
    })),
  );
  const subs = await getDb().submission.findMany({
    where: { id: { in: rows.map((r) => r.id) } },
    select: { id: true, labId: true, status: true, user: { select: { email: true } } },
  });
  const workers = await q.getWorkersCount().catch(() => null);
  return { counts, workers, jobs: rows.map((r) => ({ ...r, submission: subs.find((s) => s.id === r.id) ?? null })) };
}
