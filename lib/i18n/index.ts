import type { Lang } from '../content/schema';
import { ko } from './ko';
import { en } from './en';
import { format } from './format';
import type { MessageKey, Messages, ParamArgs, Section } from './types';

export type { Lang };
export type { MessageKey, Messages, MessageParams, ParamArgs, ParamValue, PlainKey, Section } from './types';
export { format };

/** The message catalogue: one typed dictionary per language (ko.ts, en.ts). */
const catalogues: Record<Lang, Messages> = { ko, en };

/** A message in the reader's language, with its `{placeholders}` filled: `t(lang, 'lab.dueAt', { when })`. */
export function t<K extends MessageKey>(lang: Lang, key: K, ...params: ParamArgs<K>): string {
  const dot = key.indexOf('.');
  const section = catalogues[lang][key.slice(0, dot) as Section] as Record<string, string>;
  return format(section[key.slice(dot + 1)]!, params[0] as Record<string, string | number> | undefined);
}

/** Both languages of a message, for what is stored or sent as `{ ko, en }`. */
export function bilingual<K extends MessageKey>(key: K, ...params: ParamArgs<K>): { ko: string; en: string } {
  return { ko: t('ko', key, ...params), en: t('en', key, ...params) };
}

/** One section of the catalogue in the reader's language: what a server component hands to a client component. */
export function messages<S extends Section>(lang: Lang, section: S): Messages[S] {
  return catalogues[lang][section];
}

/** The locale dates and numbers are written in for this language (toLocaleString). */
export function dateLocale(lang: Lang): string {
  return t(lang, 'common.locale');
}

export function isLang(x: unknown): x is Lang {
  return x === 'ko' || x === 'en';
}

/** "1주차" in Korean, "Week 1" in English; week 0 is the introduction. */
export function weekLabel(lang: Lang, week: number): string {
  return week === 0 ? t(lang, 'common.intro') : t(lang, 'common.weekN', { week });
}
