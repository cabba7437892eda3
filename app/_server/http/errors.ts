import { z } from 'zod';
import { AppError, ERRORS, msg } from '@/lib/errors';
import type { Lang } from '@/lib/i18n';

/** What an error body looks like on every route handler: a readable message in the reader's language, never a stack. */
export interface ErrorBody {
  error: string;
  code: string;
  message: { ko: string; en: string };
  fields?: Record<string, string>;
}

/** What a server action answers when it refuses: the message in the reader's language, and the form's fields. */
export interface ActionFailure {
  ok: false;
  code: string;
  error: string;
  fields?: Record<string, string>;
}

/**
 * The one translation of anything thrown into what a person is shown, for server actions and route handlers alike:
 * an AppError as it is; a zod error (a schema checked inside the domain) as invalid_input; anything else is
 * unexpected: `null`, which the caller logs and answers as server_error.
 *
 * A zod error reads as a server action has always shown it (the first issue's own words; each field's last issue)
 * or, for a route handler, as its JSON has (`Invalid input: path: message`; each field's first issue).
 */
export function toAppError(e: unknown, via: 'action' | 'route'): AppError | null {
  if (e instanceof AppError) return e;
  if (e instanceof z.ZodError) return via === 'action' ? zodForAction(e) : zodForRoute(e, 'invalid_input');
  return null;
}

export function zodForAction(e: z.ZodError): AppError {
  const fields: Record<string, string> = {};
  for (const i of e.issues) fields[i.path.join('.') || '_'] = i.message;
  return new AppError('invalid_input', { message: { text: e.issues[0]?.message ?? 'Invalid input.' }, fields });
}

export function zodForRoute(e: z.ZodError, code: 'invalid_input' | 'invalid_body' | 'invalid_query'): AppError {
  const fields: Record<string, string> = {};
  for (const i of e.issues) fields[i.path.join('.') || '_'] ??= i.message;
  const i = e.issues[0];
  const detail = i ? `${i.path.length ? i.path.join('.') + ': ' : ''}${i.message}` : 'The input is not valid.';
  const message = code === 'invalid_query' ? msg('errors.invalid_query', { detail }) : msg('errors.invalid_body', { detail });
  return new AppError(code, { message, fields });
}

export function actionFailure(e: AppError, lang: Lang): ActionFailure {
  return { ok: false, code: e.code, error: e.text(lang), ...(e.fields ? { fields: e.fields } : {}) };
}

/** The status, headers and JSON body a route handler (or server.ts's guard) answers an AppError with. */
export function errorAnswer(e: AppError, lang: Lang): { status: number; headers: Record<string, string>; body: ErrorBody } {
  const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
  if (e.retryAfterS) headers['Retry-After'] = String(e.retryAfterS);
  const message = e.bilingual();
  return { status: ERRORS[e.code].status, headers, body: { error: message[lang], code: e.code, message, ...(e.fields ? { fields: e.fields } : {}) } };
}
