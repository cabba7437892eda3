import 'server-only';
import { z } from 'zod';
import { currentUser, type SessionUser } from './auth/session';
import { AccessDenied, NotFound, UserInputError } from './auth/actor';
import type { Role } from './generated/prisma/enums';
import { currentLang } from './lang';

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: string; fields?: Record<string, string> };

/**
 * Every server action goes through here: the session and role are checked and the input parsed with zod before
 * the handler runs, because a page's own check does not protect the actions on it. Errors become messages; no stack
 * trace reaches the browser.
 */
export function action<S extends z.ZodType, T>(
  opts: { schema: S; roles?: Role[]; public?: boolean },
  handler: (input: z.infer<S>, user: SessionUser | null) => Promise<T>,
): (raw: unknown) => Promise<ActionResult<T>> {
  return async (raw: unknown) => {
    const user = await currentUser();
    const ko = (await currentLang()) === 'ko';
    if (!opts.public) {
      if (!user) return { ok: false, error: ko ? '먼저 로그인하세요.' : 'Please sign in first.' };
      if (opts.roles && !opts.roles.includes(user.role)) return { ok: false, error: ko ? '권한이 없습니다.' : 'You do not have access to this.' };
    }
    const parsed = opts.schema.safeParse(raw);
    if (!parsed.success) {
      const fields: Record<string, string> = {};
      for (const i of parsed.error.issues) fields[i.path.join('.') || '_'] = i.message;
      return { ok: false, error: parsed.error.issues[0]?.message ?? 'Invalid input.', fields };
    }
    try {
      return { ok: true, data: await handler(parsed.data, user) };
    } catch (e) {
      if (e instanceof UserInputError) return { ok: false, error: ko ? e.ko : e.message };
      if (e instanceof AccessDenied) return { ok: false, error: e.message };
      // Something the user may not see reads the same as something that does not exist (no probing for ids).
      if (e instanceof NotFound) return { ok: false, error: ko ? '찾을 수 없거나 권한이 없습니다.' : e.message || 'Not found, or you do not have access to it.' };
      if (e instanceof z.ZodError) return { ok: false, error: e.issues[0]?.message ?? 'Invalid input.' };
      console.error('[action] failed:', e);
      return { ok: false, error: ko ? '서버에서 문제가 생겼습니다. 다시 시도해 주세요.' : 'Something went wrong on our side. Please try again.' };
    }
  };
}
