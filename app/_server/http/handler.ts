import 'server-only';
import { NextResponse } from 'next/server';
import type { z } from 'zod';
import { currentUser, type SessionUser } from '../session';
import type { Role } from '@/lib/generated/prisma/enums';
import { AppError } from '@/lib/errors';
import { errorAnswer, toAppError, zodForRoute, type ErrorBody } from './errors';
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
function requestLang(req: Request): Lang {
  return /(?:^|;\s*)lang=en(?:;|$)/.test(req.headers.get('cookie') ?? '') ? 'en' : 'ko';
}

/** An AppError as a JSON response: its status from the table in lib/errors.ts, `Retry-After` for a 429. */
function errorResponse(lang: Lang, e: AppError): NextResponse<ErrorBody> {
  const a = errorAnswer(e, lang);
  return NextResponse.json(a.body, { status: a.status, headers: a.headers });
}

/**
 * Every route handler goes through here, like every server action goes through app/_server/actions.ts `action()`:
 *  1. a state-changing method (POST/PUT/PATCH/DELETE) must come from this site (Origin / Sec-Fetch-Site, CSRF);
 *  2. the session and role are checked (unless `public`);
 *  3. the JSON body (bounded size, UTF-8, bounded depth, the right content type), the query and the path params
 *     are parsed with zod;
 *  4. an AppError becomes a JSON `{ error, code, message: {ko, en}, fields? }` with its code's status (lib/errors.ts);
 *     anything unexpected is logged and answered 500 with a generic message. No stack trace reaches the client.
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
        if (!p.success) throw new AppError('invalid_address');
        params = p.data;
      }
      const user = await currentUser();
      if (!opts.public) {
        if (!user) throw new AppError('sign_in');
        if (opts.roles && !opts.roles.includes(user.role)) throw new AppError('forbidden');
      }
      let query: unknown = undefined;
      if (opts.query) {
        const raw = Object.fromEntries(new URL(req.url).searchParams);
        const q = opts.query.safeParse(raw);
        if (!q.success) throw zodForRoute(q.error, 'invalid_query');
        query = q.data;
      }
      let body: unknown = undefined;
      if (opts.body) {
        const raw = await readJsonBody(req, opts.maxBytes ?? BODY_LIMIT_BYTES);
        const b = opts.body.safeParse(raw);
        if (!b.success) throw zodForRoute(b.error, 'invalid_body');
        body = b.data;
      }
      const out = await handler({ req, body: body as z.infer<B>, query: query as z.infer<Q>, params: params as z.infer<P>, user, lang });
      if (out instanceof Response) return out;
      return NextResponse.json(out, { headers: { 'Cache-Control': 'no-store' } });
    } catch (e) {
      const refusal = toAppError(e, 'route');
      if (refusal) return errorResponse(lang, refusal);
      console.error(`[route] ${req.method} ${new URL(req.url).pathname} failed:`, e);
      return errorResponse(lang, new AppError('server_error'));
    }
  };
}

/** Answers a method a route does not take with 405 and a readable JSON message (Next's own 405 has no body). */
export function methodNotAllowed(allowed: string[]): (req: Request) => Promise<Response> {
  return async (req) => {
    const r = errorResponse(requestLang(req), new AppError('method_not_allowed', { params: { allowed: allowed.join(', ') } }));
    r.headers.set('Allow', allowed.join(', '));
    return r;
  };
}
