import 'server-only';
import type { z } from 'zod';
import { currentUser, type SessionUser } from './session';
import type { Role } from '@/lib/generated/prisma/enums';
import { currentLang } from './lang';
import { AppError } from '@/lib/errors';
import { actionFailure, toAppError, zodForAction, type ActionFailure } from './http/errors';

export type ActionResult<T> = { ok: true; data: T } | ActionFailure;

/**
 * Every server action goes through here: the session and role are checked and the input parsed with zod before
 * the handler runs, because a page's own check does not protect the actions on it. A refusal (an AppError, from the
 * one table in lib/errors.ts) becomes its message in the reader's language; no stack trace reaches the browser.
 */
export function action<S extends z.ZodType, T>(
  opts: { schema: S; roles?: Role[]; public?: boolean },
  handler: (input: z.infer<S>, user: SessionUser | null) => Promise<T>,
): (raw: unknown) => Promise<ActionResult<T>> {
  return async (raw: unknown) => {
    const user = await currentUser();
    const lang = await currentLang();
    if (!opts.public) {
      if (!user) return actionFailure(new AppError('sign_in'), lang);
      if (opts.roles && !opts.roles.includes(user.role)) return actionFailure(new AppError('forbidden'), lang);
    }
    const parsed = opts.schema.safeParse(raw);
    if (!parsed.success) return actionFailure(zodForAction(parsed.error), lang);
    try {
      return { ok: true, data: await handler(parsed.data, user) };
    } catch (e) {
      const refusal = toAppError(e, 'action');
      if (refusal) return actionFailure(refusal, lang);
      console.error('[action] failed:', e);
      return actionFailure(new AppError('server_error'), lang);
    }
  };
}
