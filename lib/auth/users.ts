import { getDb } from '../db';
import type { Role } from '../generated/prisma/enums';
import { isTheme, type Theme } from '../theme';

/** A signed-in user as every request sees them (app/_server/session.ts): read afresh, never from the token. */
export interface SessionUserRow {
  id: string;
  role: Role;
  email: string;
  name: string;
  lang: string;
  /** IANA zone or null (the course's, Asia/Seoul): use zoneOf(user). */
  timeZone: string | null;
  /** The colour scheme chosen on the account (lib/theme.ts): `system`, `light` or `dark`. */
  theme: Theme;
}

/**
 * The user a session token names, when its session version is still the user's: a password change or a sign-out
 * bumps the version, so every older token (copies of the cookie included) is refused. A deleted user is null too.
 */
export async function userForSession(userId: string, sessionVersion: unknown): Promise<SessionUserRow | null> {
  const user = await getDb().user.findUnique({
    where: { id: userId },
    select: { id: true, role: true, email: true, name: true, lang: true, timeZone: true, theme: true, sessionVersion: true },
  });
  if (!user || user.sessionVersion !== sessionVersion) return null;
  return {
    id: user.id,
    role: user.role,
    email: user.email,
    name: user.name,
    lang: user.lang,
    timeZone: user.timeZone,
    theme: isTheme(user.theme) ? user.theme : 'system',
  };
}

/** Ends every session of the account (signing out signs out everywhere, the safe default for a shared lab PC). */
export async function endSessions(userId: string): Promise<void> {
  await getDb().user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
}

/** GitHub sign-in: the account with this GitHub id, else the one with this e-mail (linked now), else a new learner. */
export async function linkGithubAccount(input: { githubId: string; email: string; name: string }): Promise<void> {
  const db = getDb();
  const email = input.email.toLowerCase();
  const existing = await db.user.findFirst({ where: { OR: [{ githubId: input.githubId }, { email }] } });
  if (existing) {
    if (!existing.githubId) await db.user.update({ where: { id: existing.id }, data: { githubId: input.githubId } });
  } else {
    await db.user.create({ data: { email, name: input.name, githubId: input.githubId } });
  }
}

/** What a new session token carries: the user's id and session version (by GitHub id, or by the user's own id). */
export async function tokenIdentity(who: { githubId: string } | { userId: string }): Promise<{ uid: string; sv: number } | null> {
  const db = getDb();
  const u = 'githubId' in who ? await db.user.findUnique({ where: { githubId: who.githubId } }) : await db.user.findUnique({ where: { id: who.userId } });
  return u ? { uid: u.id, sv: u.sessionVersion } : null;
}
