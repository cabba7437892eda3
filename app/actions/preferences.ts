'use server';
import { cookies } from 'next/headers';
import { z } from 'zod';
import { action } from '@/app/_server/actions';
import { saveLanguage, saveTheme, saveTimeZone } from '@/lib/auth/preferences';
import { LANG_COOKIE } from '@/app/_server/lang';
import { timeZoneSchema } from '@/lib/time-zone';
import { THEMES, THEME_COOKIE } from '@/lib/theme';

/** Remembers the language: a cookie for this browser, and on the account when signed in. */
export const setLanguage = action({ schema: z.enum(['ko', 'en']), public: true }, async (lang, user) => {
  (await cookies()).set(LANG_COOKIE, lang, { path: '/', maxAge: 365 * 24 * 3600, sameSite: 'lax', httpOnly: false });
  if (user) await saveLanguage(user, lang);
  return lang;
});

/** The time zone the signed-in user's streak days are counted and dates shown in. */
export const setTimeZone = action({ schema: timeZoneSchema }, async (timeZone, user) => {
  await saveTimeZone(user!, timeZone);
  return timeZone;
});

/** Remembers the colour scheme: a cookie for this browser (prerendered lessons read it), and on the account. */
export const setTheme = action({ schema: z.enum(THEMES), public: true }, async (theme, user) => {
  (await cookies()).set(THEME_COOKIE, theme, { path: '/', maxAge: 365 * 24 * 3600, sameSite: 'lax', httpOnly: false });
  if (user) await saveTheme(user, theme);
  return theme;
});
