import { AppError } from '@/lib/errors';
import { getEnv } from '@/lib/env';

/** Default cap for a JSON request body (a lab submission as JSON fits; bigger is refused before it is parsed). */
export const BODY_LIMIT_BYTES = 2 * 1024 * 1024;
/** Nesting deeper than this is refused: no legitimate body here nests past a handful of levels. */
const MAX_JSON_DEPTH = 32;

/** What the origin rule reads of a request: its headers (a fetch Request, or server.ts's view of a WebSocket upgrade). */
type WithHeaders = { headers: { get(name: string): string | null } };

/** The site's own origins: NEXTAUTH_URL's and the one the request was addressed to (Host, as the browser sent it). */
function siteOrigins(req: WithHeaders): Set<string> {
  const out = new Set<string>();
  const configured = getEnv().NEXTAUTH_URL;
  if (configured) {
    try {
      out.add(new URL(configured).origin);
    } catch {
      /* env validated elsewhere */
    }
  }
  const host = req.headers.get('host');
  if (host) {
    const proto = (req.headers.get('x-forwarded-proto') ?? 'http').split(',')[0]!.trim();
    out.add(`${proto}://${host}`);
  }
  return out;
}

/**
 * CSRF for route handlers that change state (server actions have Next's own Origin check; next-auth's routes their
 * token). A browser always sends Origin on a cross-site POST and Sec-Fetch-Site on any request; neither can be set by
 * a page. So: an Origin must be this site's; without one, Sec-Fetch-Site must say same-origin; with neither, the
 * request is refused (a script or CLI sets `Origin` to the site's URL).
 */
export function checkSameOrigin(req: WithHeaders): void {
  const origin = req.headers.get('origin');
  const site = req.headers.get('sec-fetch-site');
  const refuse = () => {
    throw new AppError('csrf');
  };
  if (site && site !== 'same-origin') refuse();
  if (origin) {
    if (origin === 'null' || !siteOrigins(req).has(origin)) refuse();
    return;
  }
  if (site !== 'same-origin') refuse();
}

/** Reads at most `max` bytes of the body; more is refused with 413 as soon as it is seen, whatever Content-Length said. */
async function readBodyBytes(req: Request, max: number): Promise<Uint8Array> {
  const tooLarge = () => new AppError('too_large', { params: { kb: Math.round(max / 1024) } });
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > max) throw tooLarge();
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** Deepest nesting of a parsed JSON value, walked without recursion (a deep value cannot overflow the stack here). */
function jsonDepth(value: unknown, stopAt = Infinity): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > max) max = d;
    if (max > stopAt) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, d + 1]);
  }
  return max;
}

/** Cheap pre-check on the text: the bracket depth, so `[[[[…` a million deep never reaches JSON.parse. */
function textDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash escape
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > limit) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

/**
 * The body as JSON: Content-Type must be application/json (415 otherwise), at most `max` bytes (413), valid UTF-8
 * (400), valid JSON (400) and at most MAX_JSON_DEPTH deep (400).
 */
export async function readJsonBody(req: Request, max: number): Promise<unknown> {
  const type = (req.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new AppError('content_type');
  }
  const bytes = await readBodyBytes(req, max);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AppError('invalid_utf8');
  }
  if (!text.trim()) throw new AppError('empty_body');
  const tooDeep = () => new AppError('too_deep', { params: { max: MAX_JSON_DEPTH } });
  if (textDepthExceeds(text, MAX_JSON_DEPTH)) throw tooDeep();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('invalid_json');
  }
  if (jsonDepth(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) throw tooDeep();
  return value;
}
