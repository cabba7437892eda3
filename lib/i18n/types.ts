import type { ko } from './ko';

type Ko = typeof ko;

/** Every language has this shape: ko.ts's sections and keys, each a string. */
export type Messages = { readonly [S in keyof Ko]: { readonly [K in keyof Ko[S]]: string } };
export type Section = keyof Messages;
/** `section.key`, e.g. `'dashboard.streak'`. */
export type MessageKey = { [S in Section]: `${S}.${keyof Ko[S] & string}` }[Section];

type TemplateOf<K extends MessageKey> = K extends `${infer S extends Section}.${infer N}` ? (N extends keyof Ko[S] ? Ko[S][N] : never) : never;
type ParamNames<T> = T extends `${string}{${infer P}}${infer R}` ? P | ParamNames<R> : never;
export type ParamValue = string | number;
/** The values a message needs, named by its `{placeholders}` (checked against the Korean text). */
export type MessageParams<K extends MessageKey> = Record<ParamNames<TemplateOf<K>>, ParamValue>;
export type ParamArgs<K extends MessageKey> = [ParamNames<TemplateOf<K>>] extends [never] ? [] : [params: MessageParams<K>];
/** A message with no placeholders: what a table of labels (state → message) may hold. */
export type PlainKey = { [K in MessageKey]: ParamArgs<K> extends [] ? K : never }[MessageKey];
