/**
 * The lab page's status poll (GET /api/submissions/<id>) answered by server.ts before Next: a learner watching a
 * grading asks every 700 ms, so with 200 learners grading at once this is the site's busiest request. Here it costs the
 * session token's decryption (the derived key kept, ../jwt.ts) and one indexed query that reads the session's user
 * (its session version checked) with the submission and its result (submissionViewForSession, where the access rule
 * sits next to the data). Only a readable submission is answered here, with the route handler's body and headers;
 * everything else (no session, a stale one, another learner's submission, an unknown id, a chunked cookie) goes on to
 * the route handler (app/api/submissions/[id]/route.ts), which refuses it in its usual words.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeSessionToken } from '../jwt';
import { getEnv } from '@/lib/env';
import { submissionViewForSession } from '@/lib/submissions/queries';

const STATUS = /^\/api\/submissions\/([a-z0-9]{10,40})$/;

/** A cookie's value from a Cookie header (the first of that name, as session.ts reads them). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

let settings: { cookie: string; secret: string | undefined } | undefined;
/** Tokens already decrypted, by their exact text, until their expiry: a learner's poll sends the same one each time. */
const decoded = new Map<string, { uid: string; sv: unknown; exp: number }>();

/**
 * The session token's user id and session version, from next-auth's session cookie (`__Secure-` prefixed behind TLS,
 * as session.ts reads it), or null. The version is still to be checked against the user's row by the caller's query.
 */
export async function sessionOf(req: IncomingMessage): Promise<{ uid: string; sv: unknown } | null> {
  if (!settings) {
    const env = getEnv();
    settings = {
      cookie: env.NEXTAUTH_URL?.startsWith('https://') ? '__Secure-next-auth.session-token' : 'next-auth.session-token',
      secret: env.NEXTAUTH_SECRET,
    };
  }
  const token = cookieValue(req.headers.cookie, settings.cookie);
  if (!token || !settings.secret) return null;
  const now = Date.now() / 1000;
  const known = decoded.get(token);
  if (known && known.exp > now) return known;
  const payload = await decodeSessionToken({ token, secret: settings.secret }).catch(() => null);
  if (!payload || typeof payload.uid !== 'string' || typeof payload.exp !== 'number') return null;
  if (decoded.size >= 10_000) decoded.clear();
  const out = { uid: payload.uid, sv: payload.sv, exp: payload.exp };
  decoded.set(token, out);
  return out;
}

/** Whether this request is a status poll this module may try (GET, the route's path, no Next router headers). */
export function isStatusPoll(req: IncomingMessage, pathname: string): RegExpExecArray | null {
  if (req.method !== 'GET' || req.headers.rsc || req.headers['next-router-state-tree']) return null;
  return STATUS.exec(pathname);
}

/**
 * Answers the poll when the session reads the submission; resolves false (nothing written) otherwise, for the route
 * handler to answer. `headers`: the ones next.config.js declares for the path (security headers).
 */
export async function answerStatusPoll(req: IncomingMessage, res: ServerResponse, id: string, headers: [string, string][]): Promise<boolean> {
  const session = await sessionOf(req);
  if (!session) return false;
  const view = await submissionViewForSession(session.uid, session.sv, id);
  if (!view) return false;
  const body = Buffer.from(JSON.stringify(view));
  for (const [k, v] of headers) res.setHeader(k, v);
  // As Next answers a route handler (it varies on its router headers, and on Accept-Encoding when it compresses).
  res.setHeader('Vary', 'rsc, next-router-state-tree, next-router-prefetch, next-router-segment-prefetch, Accept-Encoding');
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', body.length);
  res.end(body);
  return true;
}
