import 'server-only';
import { cookies } from 'next/headers';
import { isTheme, THEME_COOKIE, type Theme } from '@/lib/theme';
import type { SessionUser } from './session';

/**
 * The colour scheme a per-request page renders with: the account's when signed in (it follows the user to another
 * browser; the theme switch then brings this browser's cookie in line), else the `theme` cookie, else `system`.
 */
export async function currentTheme(user: SessionUser | null): Promise<Theme> {
  if (user) return user.theme;
  const c = (await cookies()).get(THEME_COOKIE)?.value;
  return isTheme(c) ? c : 'system';
}
