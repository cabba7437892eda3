import { getDb } from './db';
import type { Prisma } from './generated/prisma/client';

/** What the audit log records; admins read it at /admin/audit. */
export type AuditAction =
  | 'role.change'
  | 'submission.regrade'
  | 'lab.regrade'
  | 'grade.override'
  | 'cohort.member.add'
  | 'cohort.member.remove'
  | 'cohort.invite'
  | 'cohort.export'
  | 'cohort.schedule'
  | 'cohort.latePolicy'
  | 'cohort.extension'
  | 'cohort.webhook'
  | 'group.member.remove'
  | 'backup.create'
  | 'backup.restore'
  | 'user.lockout';

/**
 * Record who did what to whom. Pass the transaction client when the change itself runs in a transaction, so the
 * entry and the change land together or not at all.
 */
export async function audit(
  entry: { actorId: string | null; action: AuditAction; targetType: string; targetId?: string | null; detail?: Prisma.InputJsonValue; ip?: string | null },
  tx: Pick<Prisma.TransactionClient, 'auditLog'> = getDb(),
): Promise<void> {
  await tx.auditLog.create({
    data: {
      actorId: entry.actorId,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      detail: entry.detail,
      ip: entry.ip ?? null,
    },
  });
}
