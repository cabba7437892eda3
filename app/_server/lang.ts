import 'server-only';
import { cookies } from 'next/headers';
import { isLang, type Lang } from '@/lib/i18n';

export const LANG_COOKIE = 'lang';

/** The reader's language: the cookie the language switch sets (also stored on the user), else Korean. */
export async function currentLang(): Promise<Lang> {
  const c = (await cookies()).get(LANG_COOKIE)?.value;
  return isLang(c) ? c : 'ko';
}
