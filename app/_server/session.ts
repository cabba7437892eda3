import 'server-only';
import { cache } from 'react';
import { cookies } from 'next/headers';
import { decodeSessionToken } from './jwt';
import { userForSession, type SessionUserRow } from '@/lib/auth/users';
import { getEnv } from '@/lib/env';

export type SessionUser = SessionUserRow;

/**
 * The signed-in user, read fresh from the database on every request. A token whose session version no longer
 * matches (password changed, signed out everywhere) is refused, as is a token for a deleted user. Wrapped in React's
 * `cache`: the layout and the page of one request share one token decode and one query (outside a render every call
 * reads afresh).
 */
export const currentUser = cache(readCurrentUser);

/** next-auth's session cookie: `__Secure-` prefixed behind TLS (auth-options.ts `useSecureCookies`). */
export function sessionCookieName(): string {
  return getEnv().NEXTAUTH_URL?.startsWith('https://') ? '__Secure-next-auth.session-token' : 'next-auth.session-token';
}

/**
 * The token is read straight from next-auth's cookie with next-auth's own format (./jwt.ts), not through
 * getServerSession: that builds next-auth's whole request, runs its callbacks and encodes a new token to roll the
 * expiry, which a page or a route handler cannot even store (the token keeps the expiry of its sign-in, 7 days).
 * An unreadable, expired or forged token is no session.
 */
async function readCurrentUser(): Promise<SessionUser | null> {
  const token = (await cookies()).get(sessionCookieName())?.value;
  const secret = getEnv().NEXTAUTH_SECRET;
  if (!token || !secret) return null;
  const payload = await decodeSessionToken({ token, secret }).catch(() => null);
  if (!payload || typeof payload.uid !== 'string') return null;
  return userForSession(payload.uid, payload.sv);
}
