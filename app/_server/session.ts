import 'server-only';
import { cache } from 'react';
import { getServerSession } from 'next-auth';
import { authOptions } from './auth-options';
import { userForSession, type SessionUserRow } from '@/lib/auth/users';

export type SessionUser = SessionUserRow;

/**
 * The signed-in user, read fresh from the database on every request. A token whose session version no longer
 * matches (password changed, signed out everywhere) is refused, as is a token for a deleted user. Wrapped in React's
 * `cache`: the layout and the page of one request share one token decode and one query (outside a render every call
 * reads afresh).
 */
export const currentUser = cache(readCurrentUser);

async function readCurrentUser(): Promise<SessionUser | null> {
  const session = (await getServerSession(authOptions)) as { uid?: unknown; sv?: unknown } | null;
  if (!session || typeof session.uid !== 'string') return null;
  return userForSession(session.uid, session.sv);
}
