import { getDb } from '../db';
import type { Actor } from './actor';
import type { Lang } from '../i18n';
import type { Theme } from '../theme';

/** The signed-in user's language, kept on the account (the browser keeps it in a cookie too). */
export async function saveLanguage(actor: Actor, lang: Lang): Promise<void> {
  await getDb().user.update({ where: { id: actor.id }, data: { lang } });
}

/** The time zone the user's streak days are counted and dates shown in (checked by timeZoneSchema before). */
export async function saveTimeZone(actor: Actor, timeZone: string): Promise<void> {
  await getDb().user.update({ where: { id: actor.id }, data: { timeZone } });
}

/** The colour scheme the user chose (`system` follows the device), so it follows them to another browser. */
export async function saveTheme(actor: Actor, theme: Theme): Promise<void> {
  await getDb().user.update({ where: { id: actor.id }, data: { theme } });
}
