import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError, msg } from '@/lib/errors';
import { errorAnswer } from './errors';

/**
 * The largest request body the web process lets through to Next: the server-action limit in next.config.js
 * (`serverActions.bodySizeLimit: '2mb'`) plus a margin for multipart framing. Route handlers cap their own bodies
 * lower (app/_server/http/request.ts).
 */
export const MAX_REQUEST_BODY_BYTES = 2 * 1024 * 1024;

function refuse(req: IncomingMessage, res: ServerResponse, e: AppError): true {
  const lang = /(?:^|;\s*)lang=en(?:;|$)/.test(req.headers.cookie ?? '') ? 'en' : 'ko';
  const a = errorAnswer(e, lang);
  res.statusCode = a.status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  for (const [k, v] of Object.entries(a.headers)) res.setHeader(k, v);
  res.setHeader('Connection', 'close');
  res.end(JSON.stringify(a.body));
  // Do not read a body we refused; drop the rest of it.
  req.resume();
  return true;
}

/**
 * Called by server.ts for every request before Next sees it. Returns true when it answered the request itself.
 *
 * - The client address: the socket's address is appended to X-Forwarded-For, so its right end is always a hop we
 *   saw (lib/security/client-address.ts reads it from the right; a client's own X-Forwarded-For is ignored).
 * - A server action whose Origin is another site: 403 with a message (Next's own check answers 500).
 * - Body size: Next answers an over-limit server action with a 500 (its own TODO in action-handler.js), and
 *   next-auth's routes read whatever they are sent. A body over MAX_REQUEST_BODY_BYTES is refused here with 413 and
 *   a readable message; a server action or sign-in without Content-Length (chunked, which no browser sends for
 *   these) with 411, since its size cannot be known before it is read.
 */
export function guardRequest(req: IncomingMessage, res: ServerResponse): boolean {
  const remote = req.socket.remoteAddress;
  if (remote) {
    const xff = req.headers['x-forwarded-for'];
    const prior = Array.isArray(xff) ? xff.join(', ') : xff;
    req.headers['x-forwarded-for'] = prior ? `${prior}, ${remote}` : remote;
  }
  const method = req.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return false;
  // A server action from another origin: Next refuses it too, but with a 500; answer 403 with a message instead.
  const origin = req.headers.origin;
  if (req.headers['next-action'] !== undefined && origin !== undefined) {
    let host: string | null = null;
    try {
      host = new URL(origin).host;
    } catch {
      /* "null" or garbage: not this site */
    }
    const own = String(req.headers['x-forwarded-host'] ?? req.headers.host ?? '')
      .split(',')[0]!
      .trim();
    if (!host || host !== own) {
      return refuse(req, res, new AppError('csrf'));
    }
  }
  const len = req.headers['content-length'];
  if (len !== undefined) {
    const n = Number(len);
    if (!Number.isFinite(n) || n > MAX_REQUEST_BODY_BYTES) {
      const kb = Math.round(MAX_REQUEST_BODY_BYTES / 1024);
      return refuse(req, res, new AppError('too_large', { message: msg('errors.requestTooLarge', { kb }) }));
    }
    return false;
  }
  const chunked = /chunked/i.test(String(req.headers['transfer-encoding'] ?? ''));
  if (chunked && (req.headers['next-action'] !== undefined || (req.url ?? '').startsWith('/api/'))) {
    return refuse(req, res, new AppError('length_required'));
  }
  return false;
}
