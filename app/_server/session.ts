import 'server-only';
import { cache } from 'react';
import { getServerSession } from 'next-auth';
import { authOptions } from './auth-options';
import { getDb } from '@/lib/db';
import type { Actor } from '@/lib/auth/actor';

export interface SessionUser extends Actor {
  email: string;
  name: string;
  lang: string;
  /** IANA zone or null (the course's, Asia/Seoul): use zoneOf(user). */
  timeZone: string | null;
}

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
  const user = await getDb().user.findUnique({
    where: { id: session.uid },
    select: { id: true, role: true, email: true, name: true, lang: true, timeZone: true, sessionVersion: true },
  });
  if (!user || user.sessionVersion !== session.sv) return null;
  return { id: user.id, role: user.role, email: user.email, name: user.name, lang: user.lang, timeZone: user.timeZone };
}
