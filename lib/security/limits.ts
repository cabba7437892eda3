import crypto from 'node:crypto';
import { Redis } from 'ioredis';
import { getEnv } from '../env';

/**
 * Abuse limits kept in Redis (shared by every web replica), each a fixed window counter. When Redis is down the
 * limits fail open: people can still sign in and submit; Postgres stays the source of truth.
 */
export const LIMITS = {
  /** Failed sign-ins per account before it is locked for the window. */
  loginPerAccount: { max: 5, windowS: 15 * 60 },
  /** Failed sign-ins per client address (many accounts from one place). */
  loginPerAddress: { max: 20, windowS: 15 * 60 },
  /** Submissions per learner per lab per minute. */
  submitPerLabPerMinute: { max: 6, windowS: 60 },
  /** Submissions of one learner waiting or grading at once. */
  queuedPerLearner: 3,
} as const;

const g = globalThis as unknown as { __lmsLimitsRedis?: Redis };
function redis(): Redis {
  g.__lmsLimitsRedis ??= new Redis(getEnv().REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
  return g.__lmsLimitsRedis;
}

const key = (...parts: string[]) => `${getEnv().REDIS_PREFIX}:limit:${parts.join(':')}`;
export const hashId = (s: string) => crypto.createHash('sha256').update(s.toLowerCase()).digest('base64url').slice(0, 22);

async function count(k: string): Promise<number> {
  try {
    return Number((await redis().get(k)) ?? 0);
  } catch {
    return 0;
  }
}

async function bump(k: string, windowS: number): Promise<number> {
  try {
    const [[, n]] = (await redis().multi().incr(k).expire(k, windowS, 'NX').exec()) as [[null, number], unknown];
    return n;
  } catch {
    return 0;
  }
}

/** Whether sign-in is refused right now for this account or address (before the password is even checked). */
export async function loginLocked(email: string, address: string | null): Promise<boolean> {
  const [acct, addr] = await Promise.all([count(key('login', 'acct', hashId(email))), address ? count(key('login', 'addr', hashId(address))) : 0]);
  return acct >= LIMITS.loginPerAccount.max || addr >= LIMITS.loginPerAddress.max;
}

/** Records a failed sign-in; returns true when this failure locked the account. */
export async function loginFailed(email: string, address: string | null): Promise<boolean> {
  const n = await bump(key('login', 'acct', hashId(email)), LIMITS.loginPerAccount.windowS);
  if (address) await bump(key('login', 'addr', hashId(address)), LIMITS.loginPerAddress.windowS);
  return n === LIMITS.loginPerAccount.max;
}

export async function loginSucceeded(email: string): Promise<void> {
  try {
    await redis().del(key('login', 'acct', hashId(email)));
  } catch {
    /* fail open */
  }
}

/** Counts one submission; true when over the per-lab per-minute limit. */
export async function submitRateExceeded(userId: string, labId: string): Promise<boolean> {
  const minute = Math.floor(Date.now() / 60_000);
  const n = await bump(key('submit', userId, labId, String(minute)), LIMITS.submitPerLabPerMinute.windowS);
  return n > LIMITS.submitPerLabPerMinute.max;
}
