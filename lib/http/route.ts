import 'server-only';
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { currentUser, type SessionUser } from '../auth/session';
import { AccessDenied, NotFound, UserInputError } from '../auth/actor';
import type { Role } from '../generated/prisma/enums';
import { HttpRefusal, type ErrorBody } from './errors';
import { checkSameOrigin, readJsonBody, BODY_LIMIT_BYTES } from './request';

type Lang = 'ko' | 'en';
type Params = Record<string, string | string[] | undefined>;
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface RouteContext<B, Q, P> {
  req: Request;
  body: B;
  query: Q;
  params: P;
  user: SessionUser | null;
  lang: Lang;
}

/** The reader's language for a route handler: the site's `lang` cookie, else Korean (as the pages do). */
export function requestLang(req: Request): Lang {
  return /(?:^|;\s*)lang=en(?:;|$)/.test(req.headers.get('cookie') ?? '') ? 'en' : 'ko';
}

export function errorResponse(lang: Lang, status: number, code: string, message: { ko: string; en: string }, extra: { fields?: Record<string, string>; retryAfterS?: number } = {}): NextResponse<ErrorBody> {
  const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
  if (extra.retryAfterS) headers['Retry-After'] = String(extra.retryAfterS);
  return NextResponse.json({ error: message[lang], code, message, ...(extra.fields ? { fields: extra.fields } : {}) }, { status, headers });
}

const M = {
  signIn: { ko: '먼저 로그인하세요.', en: 'Please sign in first.' },
  denied: { ko: '권한이 없습니다.', en: 'You do not have access to this.' },
  notFound: { ko: '찾을 수 없습니다.', en: 'Not found.' },
  invalid: { ko: '입력을 받을 수 없습니다.', en: 'The input is not valid.' },
  server: { ko: '서버에서 문제가 생겼습니다. 다시 시도해 주세요.', en: 'Something went wrong on our side. Please try again.' },
};

function zodFields(e: z.ZodError): { first: string; fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  for (const i of e.issues) fields[i.path.join('.') || '_'] ??= i.message;
  const i = e.issues[0];
  return { first: i ? `${i.path.length ? i.path.join('.') + ': ' : ''}${i.message}` : M.invalid.en, fields };
}

/**
 * Every route handler goes through here, like every server action goes through lib/actions.ts `action()`:
 *  1. a state-changing method (POST/PUT/PATCH/DELETE) must come from this site (Origin / Sec-Fetch-Site, CSRF);
 *  2. the session and role are checked (unless `public`);
 *  3. the JSON body (bounded size, UTF-8, bounded depth, the right content type), the query and the path params
 *     are parsed with zod;
 *  4. errors become a JSON `{ error, code, message: {ko, en}, fields? }` with a 4xx status; anything unexpected is
 *     logged and answered 500 with a generic message. No stack trace reaches the client.
 * The handler returns a Response, or a value sent as JSON (no-store).
 */
export function route<B extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, P extends z.ZodType = z.ZodUndefined>(
  opts: { body?: B; query?: Q; params?: P; roles?: Role[]; public?: boolean; csrf?: boolean; maxBytes?: number },
  handler: (ctx: RouteContext<z.infer<B>, z.infer<Q>, z.infer<P>>) => Promise<Response | object>,
): (req: Request, ctx: { params: Promise<Params> }) => Promise<Response> {
  return async (req, routeCtx) => {
    const lang = requestLang(req);
    try {
      const unsafe = UNSAFE.has(req.method.toUpperCase());
      if (unsafe && opts.csrf !== false) checkSameOrigin(req);
      let params: unknown = undefined;
      if (opts.params) {
        const p = opts.params.safeParse(await routeCtx.params);
        if (!p.success) return errorResponse(lang, 400, 'invalid_address', { ko: '주소의 형식이 맞지 않습니다.', en: 'The address is not valid.' });
        params = p.data;
      }
      const user = await currentUser();
      if (!opts.public) {
        if (!user) return errorResponse(lang, 401, 'sign_in', M.signIn);
        if (opts.roles && !opts.roles.includes(user.role)) return errorResponse(lang, 403, 'forbidden', M.denied);
      }
      let query: unknown = undefined;
      if (opts.query) {
        const raw = Object.fromEntries(new URL(req.url).searchParams);
        const q = opts.query.safeParse(raw);
        if (!q.success) {
          const { first, fields } = zodFields(q.error);
          return errorResponse(lang, 400, 'invalid_query', { ko: `잘못된 요청입니다: ${first}`, en: `Invalid request: ${first}` }, { fields });
        }
        query = q.data;
      }
      let body: unknown = undefined;
      if (opts.body) {
        const raw = await readJsonBody(req, opts.maxBytes ?? BODY_LIMIT_BYTES);
        const b = opts.body.safeParse(raw);
        if (!b.success) {
          const { first, fields } = zodFields(b.error);
          return errorResponse(lang, 400, 'invalid_body', { ko: `입력을 받을 수 없습니다: ${first}`, en: `Invalid input: ${first}` }, { fields });
        }
        body = b.data;
      }
      const out = await handler({ req, body: body as z.infer<B>, query: query as z.infer<Q>, params: params as z.infer<P>, user, lang });
      if (out instanceof Response) return out;
      return NextResponse.json(out, { headers: { 'Cache-Control': 'no-store' } });
    } catch (e) {
      if (e instanceof HttpRefusal) return errorResponse(lang, e.status, e.code, { ko: e.ko, en: e.message }, { retryAfterS: e.retryAfterS });
      if (e instanceof UserInputError) return errorResponse(lang, 400, 'invalid_input', { ko: e.ko, en: e.message });
      if (e instanceof AccessDenied) return errorResponse(lang, 403, 'forbidden', M.denied);
      if (e instanceof NotFound) return errorResponse(lang, 404, 'not_found', e.message ? { ko: M.notFound.ko, en: e.message } : M.notFound);
      if (e instanceof z.ZodError) {
        const { first, fields } = zodFields(e);
        return errorResponse(lang, 400, 'invalid_input', { ko: `입력을 받을 수 없습니다: ${first}`, en: `Invalid input: ${first}` }, { fields });
      }
      console.error(`[route] ${req.method} ${new URL(req.url).pathname} failed:`, e);
      return errorResponse(lang, 500, 'server_error', M.server);
    }
  };
}

/** Answers a method a route does not take with 405 and a readable JSON message (Next's own 405 has no body). */
export function methodNotAllowed(allowed: string[]): (req: Request) => Promise<Response> {
  return async (req) => {
    const r = errorResponse(requestLang(req), 405, 'method_not_allowed', {
      ko: `이 주소는 ${allowed.join(', ')} 요청만 받습니다.`,
      en: `This address only takes ${allowed.join(', ')}.`,
    });
    r.headers.set('Allow', allowed.join(', '));
    return r;
  };
}
