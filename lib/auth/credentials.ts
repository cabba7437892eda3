import { z } from 'zod';
import { getDb } from '../db';
import { verifyPassword } from './password';
import { loginFailed, loginLocked, loginSucceeded } from '../security/limits';
import { audit } from '../audit';

const credentials = z.object({ email: z.string().trim().toLowerCase().email().max(254), password: z.string().min(1).max(200) });

/**
 * Email and password sign-in. Every refusal looks the same to the caller (null: "wrong email or password"): an
 * unknown email, a wrong password and a locked account alike, so nobody learns which accounts exist. The hash is
 * verified even for unknown emails, so timing does not tell either. After 5 failures an account is locked for 15
 * minutes; after 20 failures from one address, that address is.
 */
export async function authorizeCredentials(raw: unknown, address: string | null) {
  const parsed = credentials.safeParse(raw);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  const locked = await loginLocked(email, address);
  const user = await getDb().user.findUnique({ where: { email } });
  const ok = await verifyPassword(user?.passwordHash, password);
  if (locked || !user || !ok) {
    if (!locked && (await loginFailed(email, address)) && user) {
      await audit({ actorId: null, action: 'user.lockout', targetType: 'user', targetId: user.id, ip: address }).catch(() => {});
    }
    return null;
  }
  await loginSucceeded(email);
  return { id: user.id, email: user.email, name: user.name, role: user.role, sv: user.sessionVersion };
}
