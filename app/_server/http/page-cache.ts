/**
 * Signed-in pages kept per reader in the web process (server.ts), the dashboard and the lab pages: Next renders such a
 * page in 10-20 ms of CPU (a dozen queries, the React server render, the RSC payload), while its reader mostly sees
 * the same page again (a reload, coming back from a lesson, a tab restored). The page Next answered is kept under
 *   the reader's user id, the URL, the language cookie, Accept-Encoding (Next compresses) and the page's hash,
 * the hash being what the page shows of its reader, computed by Postgres in one query (lib/pages/fingerprint.ts). A
 * request costs the session token's decryption and that query; the page is rendered again as soon as anything it
 * shows changes (the reader, the worker, an instructor), and after a minute at most, for what depends on the clock
 * alone (today's streak, a week that opens, a due date that passes).
 *
 * Only a complete 200 without Set-Cookie is kept; a session that is not valid, a client-side navigation (RSC), a HEAD
 * or anything else goes to Next as before. Bounded: 64 MB of pages, the least recently used dropped first.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { cookieValue, sessionOf } from './fast-status';
import { pageFingerprint, type FingerprintedPage } from '@/lib/pages/fingerprint';

const TTL_MS = 60_000;
const MAX_BYTES = 64 * 1024 * 1024;
const MAX_PAGE = 1024 * 1024;
const LAB = /^\/labs\/([a-z0-9-]{3,63})$/;
/** Per-connection and per-request headers Node or server.ts set themselves. */
const NOT_KEPT = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'x-request-id', 'content-length']);

interface Entry {
  at: number;
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
}
const pages = new Map<string, Entry>();
let bytes = 0;

function drop(key: string): void {
  const e = pages.get(key);
  if (!e) return;
  bytes -= e.body.length;
  pages.delete(key);
}

function keep(key: string, e: Entry): void {
  drop(key);
  pages.set(key, e);
  bytes += e.body.length;
  for (const k of pages.keys()) {
    if (bytes <= MAX_BYTES) break;
    drop(k);
  }
}

/** The page a URL names, when it is one kept here. */
export function cachedPageOf(req: IncomingMessage, pathname: string, search: string): FingerprintedPage | null {
  if (req.method !== 'GET' || req.headers.rsc || req.headers['next-router-state-tree'] || req.headers['next-router-prefetch'] || search.includes('_rsc='))
    return null;
  if (pathname === '/dashboard') return search ? null : { kind: 'dashboard' };
  const m = LAB.exec(pathname);
  return m ? { kind: 'lab', labId: m[1]! } : null;
}

/**
 * Answers from the kept page when its hash still holds (true), else lets Next answer (false), keeping what Next
 * sends when it may be kept. Nothing is written before it resolves false.
 */
export async function answerFromPageCache(req: IncomingMessage, res: ServerResponse, page: FingerprintedPage, url: string): Promise<boolean> {
  const session = await sessionOf(req);
  if (!session) return false;
  const fp = await pageFingerprint(session.uid, session.sv, page);
  if (!fp) return false;
  const lang = cookieValue(req.headers.cookie, 'lang') === 'en' ? 'en' : 'ko';
  const key = [session.uid, url, lang, req.headers['accept-encoding'] ?? '', fp].join('\u0000');
  const hit = pages.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) {
    pages.delete(key); // most recently used last
    pages.set(key, hit);
    res.statusCode = hit.status;
    for (const [k, v] of Object.entries(hit.headers)) if (v !== undefined) res.setHeader(k, v);
    res.setHeader('Content-Length', hit.body.length);
    res.end(hit.body);
    return true;
  }
  if (hit) drop(key);
  capture(res, (status, headers, body) => {
    if (status !== 200 || headers['set-cookie'] || body.length > MAX_PAGE) return;
    const kept: OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(headers)) if (!NOT_KEPT.has(k)) kept[k] = v;
    keep(key, { at: Date.now(), status, headers: kept, body });
  });
  return false;
}

type Chunk = string | Buffer | Uint8Array;

/** Calls `done` with what was sent once the response has been sent in full. */
function capture(res: ServerResponse, done: (status: number, headers: OutgoingHttpHeaders, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  let ok = true;
  const add = (chunk: unknown, encoding: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    if (typeof chunk === 'string') chunks.push(Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
    else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
    else ok = false;
  };
  const write = res.write.bind(res) as (chunk: Chunk, ...rest: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.write = ((chunk: Chunk, ...rest: unknown[]) => {
    add(chunk, rest[0]);
    return write(chunk, ...rest);
  }) as ServerResponse['write'];
  res.end = ((...args: unknown[]) => {
    add(args[0], args[1]);
    return end(...args);
  }) as ServerResponse['end'];
  res.on('finish', () => {
    if (ok) done(res.statusCode, res.getHeaders(), Buffer.concat(chunks));
  });
}
