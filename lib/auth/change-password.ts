import { z } from 'zod';
import { getDb } from '../db';
import { hashPassword, verifyPassword } from './password';
import type { Actor } from './actor';
import { AppError, msg } from '../errors';

export const changePasswordInput = z.object({
  current: z.string().min(1, 'Enter your current password.').max(200),
  next: z.string().min(10, 'Use at least 10 characters.').max(200, 'Use at most 200 characters.'),
});

/**
 * A new password ends every session of the account (the session version moves on), this one included: whoever
 * held a stolen cookie is out, and the owner signs in again with the new password.
 */
export async function changePassword(actor: Actor, raw: unknown): Promise<void> {
  const { current, next } = changePasswordInput.parse(raw);
  const db = getDb();
  const u = await db.user.findUniqueOrThrow({ where: { id: actor.id }, select: { passwordHash: true } });
  if (!(await verifyPassword(u.passwordHash, current))) throw new AppError('invalid_input', { message: msg('errors.wrongPassword') });
  if (current === next) throw new AppError('invalid_input', { message: msg('errors.samePassword') });
  await db.user.update({ where: { id: actor.id }, data: { passwordHash: await hashPassword(next), sessionVersion: { increment: 1 } } });
}
