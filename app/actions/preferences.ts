'use server';
import { cookies } from 'next/headers';
import { z } from 'zod';
import { action } from '@/app/_server/actions';
import { saveLanguage, saveTimeZone } from '@/lib/auth/preferences';
import { LANG_COOKIE } from '@/app/_server/lang';
import { timeZoneSchema } from '@/lib/time-zone';

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
