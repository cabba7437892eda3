import { t, type Lang, type MessageKey, type MessageParams, type ParamArgs, type ParamValue } from './i18n';

/**
 * The one table of refusals: every code the domain or the web edge can refuse with, the HTTP status a route handler
 * answers it with, and the message (lib/i18n) a person reads when the error carries none of its own. Server actions
 * show the message; route handlers answer `{ error, code, message: { ko, en }, fields? }` with the status
 * (app/_server/errors.ts). The domain names a code, never a status.
 */
export const ERRORS = {
  sign_in: { status: 401, message: 'errors.sign_in' },
  forbidden: { status: 403, message: 'errors.forbidden' },
  csrf: { status: 403, message: 'errors.csrf' },
  // Something a person may not see reads the same as something that does not exist (no probing for ids).
  not_found: { status: 404, message: 'errors.not_found' },
  method_not_allowed: { status: 405, message: 'errors.method_not_allowed' },
  invalid_input: { status: 400, message: 'errors.invalid_input' },
  invalid_address: { status: 400, message: 'errors.invalid_address' },
  invalid_query: { status: 400, message: 'errors.invalid_query' },
  invalid_body: { status: 400, message: 'errors.invalid_body' },
  invalid_utf8: { status: 400, message: 'errors.invalid_utf8' },
  invalid_json: { status: 400, message: 'errors.invalid_json' },
  empty_body: { status: 400, message: 'errors.empty_body' },
  too_deep: { status: 400, message: 'errors.too_deep' },
  length_required: { status: 411, message: 'errors.length_required' },
  too_large: { status: 413, message: 'errors.too_large' },
  too_many_files: { status: 413, message: 'errors.too_many_files' },
  file_too_large: { status: 413, message: 'errors.file_too_large' },
  files_too_large: { status: 413, message: 'errors.files_too_large' },
  content_type: { status: 415, message: 'errors.content_type' },
  rate_limited: { status: 429, message: 'errors.rate_limited' },
  queue_full: { status: 429, message: 'errors.queue_full' },
  server_error: { status: 500, message: 'errors.server_error' },
} as const satisfies Record<string, { status: number; message: MessageKey }>;

export type ErrorCode = keyof typeof ERRORS;

/** What a refusal says: a catalogue message (with its values), or a text taken as is (a zod schema's own words). */
export type ErrorMessage = { key: MessageKey; params?: Record<string, ParamValue> } | { text: string };

/** A catalogue message for an AppError, its values checked against the message's placeholders. */
export function msg<K extends MessageKey>(key: K, ...params: ParamArgs<K>): ErrorMessage {
  return { key, params: params[0] as MessageParams<K> | undefined };
}

export interface AppErrorOptions {
  /** The message, when not the code's own (ERRORS[code].message). */
  message?: ErrorMessage;
  /** Values for the code's own message (e.g. `{ max }` of too_many_files). */
  params?: Record<string, ParamValue>;
  /** Per-field messages of a form or body (zod paths). */
  fields?: Record<string, string>;
  /** For 429: when to try again. */
  retryAfterS?: number;
}

/**
 * The one error type that reaches people: a code from ERRORS, a message, optional fields. Anything else thrown is a
 * bug, logged and answered with a generic server_error. `message` (Error's) is the English text, for logs and tests.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields?: Record<string, string>;
  readonly retryAfterS?: number;
  readonly #said: ErrorMessage;

  constructor(code: ErrorCode, opts: AppErrorOptions = {}) {
    const said: ErrorMessage = opts.message ?? { key: ERRORS[code].message, params: opts.params };
    super(render('en', said));
    this.name = 'AppError';
    this.code = code;
    this.#said = said;
    if (opts.fields) this.fields = opts.fields;
    if (opts.retryAfterS !== undefined) this.retryAfterS = opts.retryAfterS;
  }

  /** The message in the reader's language. */
  text(lang: Lang): string {
    return render(lang, this.#said);
  }

  /** The message in both languages, as route handlers answer it and the grading engine stores it. */
  bilingual(): { ko: string; en: string } {
    return { ko: this.text('ko'), en: this.text('en') };
  }
}

function render(lang: Lang, m: ErrorMessage): string {
  if ('text' in m) return m.text;
  return (t as (lang: Lang, key: MessageKey, params?: Record<string, ParamValue>) => string)(lang, m.key, m.params);
}

export function isAppError(e: unknown, code?: ErrorCode): e is AppError {
  return e instanceof AppError && (code === undefined || e.code === code);
}
