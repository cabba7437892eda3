import { Redis } from 'ioredis';
import { getEnv } from '../env';
import { hashId } from './limits';

/**
 * Sign-up limits, next to sign-in's (lib/security/limits.ts) and built the same way: fixed-window counters in Redis,
 * shared by every web replica, failing open when Redis is down. Every attempt counts (a sign-up cannot say whether it
 * created an account without telling who has one), checked before the password is hashed, so a flood costs no argon2.
 *
 * - per client address: one place trying many e-mails (finding accounts, or filling the user table). 30 an hour: a
 *   class signing up together behind one school NAT still fits.
 * - per e-mail: one address tried over and over from many places; the same number as sign-in's account lock.
 */
export const SIGNUP_LIMITS = {
  perAddress: { max: 30, windowS: 3600 },
  perEmail: { max: 5, windowS: 3600 },
} as const;

const g = globalThis as unknown as { __lmsSignupRedis?: Redis };
function redis(): Redis {
  g.__lmsSignupRedis ??= new Redis(getEnv().REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
  return g.__lmsSignupRedis;
}

const key = (...parts: string[]) => `${getEnv().REDIS_PREFIX}:limit:signup:${parts.join(':')}`;

async function bump(k: string, windowS: number): Promise<number> {
  try {
    const [[, n]] = (await redis().multi().incr(k).expire(k, windowS, 'NX').exec()) as [[null, number], unknown];
    return n;
  } catch {
    return 0; // fail open
  }
}

/**
 * Counts one sign-up attempt and says whether it is refused: over the limit for this client address, or for this
 * e-mail. An address already over its limit does not count against the e-mails it tries (it would otherwise lock
 * sign-up for other people's addresses). The answer is the same whether or not the e-mail has an account.
 */
export async function signupRefused(email: string, address: string | null): Promise<boolean> {
  if (address && (await bump(key('addr', hashId(address)), SIGNUP_LIMITS.perAddress.windowS)) > SIGNUP_LIMITS.perAddress.max) return true;
  return (await bump(key('email', hashId(email)), SIGNUP_LIMITS.perEmail.windowS)) > SIGNUP_LIMITS.perEmail.max;
}
