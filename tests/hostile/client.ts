/**
 * A small HTTP client for the hostile suite: raw bytes in and out (invalid UTF-8, chunked bodies, any header), a
 * cookie jar per session, a chosen loopback source address per session (so per-address limits can be exercised from
 * "different places" on one machine), next-auth sign-in, and server actions called the way the browser calls them.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import crypto from 'node:crypto';
import { getDb } from '@/lib/db';
import { MAX_REQUEST_BODY_BYTES } from '@/app/_server/http/node-guard';

export const BASE = process.env.HOSTILE_BASE_URL ?? 'http://localhost:3100';
const target = new URL(BASE);
export const ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface Res {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json: <T = Record<string, unknown>>() => T;
}

export interface Req {
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Send the body with Transfer-Encoding: chunked (no Content-Length). */
  chunked?: boolean;
}

/** A random loopback address (127.0.0.2-250): one "client" as far as per-address limits go. */
export const loopback = () => `127.0.${crypto.randomInt(1, 250)}.${crypto.randomInt(2, 250)}`;

export class Session {
  readonly cookies = new Map<string, string>();
  readonly setCookies: string[] = [];
  constructor(readonly from: string = loopback()) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** A second client holding a copy of this one's cookies (a stolen cookie, another device). */
  copy(): Session {
    const s = new Session(this.from);
    for (const [k, v] of this.cookies) s.cookies.set(k, v);
    return s;
  }

  request(method: string, p: string, opts: Req = {}): Promise<Res> {
    const headers: Record<string, string> = { host: target.host, ...(opts.headers ?? {}) };
    if (this.cookies.size && !headers.cookie) headers.cookie = this.cookieHeader();
    const body = typeof opts.body === 'string' ? Buffer.from(opts.body, 'utf8') : opts.body;
    if (body && !opts.chunked) headers['content-length'] = String(body.length);
    if (body && opts.chunked) headers['transfer-encoding'] = 'chunked';
    return new Promise((resolve, reject) => {
      // A refused body is answered (413) and the connection closed before the client has sent all of it, as a
      // server should; like a browser, this client then stops sending and reads the answer, and a broken pipe
      // after the answer has started is not an error.
      let responded = false;
      let settled = false;
      const r = http.request({ host: '127.0.0.1', port: Number(target.port || 80), localAddress: this.from, method, path: p, headers }, (res) => {
        responded = true;
        const chunks: Buffer[] = [];
        const finish = () => {
          if (settled) return;
          settled = true;
          for (const c of res.headers['set-cookie'] ?? []) {
            this.setCookies.push(c);
            const [pair] = c.split(';');
            const i = pair!.indexOf('=');
            const k = pair!.slice(0, i).trim();
            const v = pair!.slice(i + 1).trim();
            if (!v || /max-age=0|expires=thu, 01 jan 1970/i.test(c)) this.cookies.delete(k);
            else this.cookies.set(k, v);
          }
          const buf = Buffer.concat(chunks);
          const text = buf.toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: buf, text, json: <T>() => JSON.parse(text) as T });
        };
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', finish);
        res.on('close', finish);
        res.on('error', () => finish());
      });
      r.on('error', (e) => {
        if (responded || settled) return;
        settled = true;
        reject(e);
      });
      if (!body) {
        r.end();
        return;
      }
      // Several chunks (also so nothing relies on one read), each after the last has drained, stopping once the
      // server has answered. A body the server refuses by its headers alone (over the size limit, or chunked with no
      // length) is held back until it has had the chance to answer, as a client sending `Expect: 100-continue` would.
      const step = 64 * 1024;
      const send = async () => {
        if (opts.chunked || body.length > MAX_REQUEST_BODY_BYTES) {
          r.flushHeaders();
          for (let waited = 0; waited < 3000 && !responded && !r.destroyed; waited += 20) await new Promise((ok) => setTimeout(ok, 20));
        }
        for (let i = 0; i < body.length && !responded && !r.destroyed; i += step) {
          if (!r.write(body.subarray(i, i + step)))
            await new Promise<void>((ok) => {
              r.once('drain', ok);
              r.once('close', ok);
            });
        }
        if (!r.destroyed) r.end();
      };
      void send().catch(() => undefined);
    });
  }

  get(p: string, headers: Record<string, string> = {}) {
    return this.request('GET', p, { headers });
  }

  /** JSON to a route handler, from this site (Origin set) unless told otherwise. */
  postJson(p: string, value: unknown, headers: Record<string, string> = {}) {
    return this.request('POST', p, { headers: { 'content-type': 'application/json', origin: BASE, ...headers }, body: JSON.stringify(value) });
  }

  /** next-auth's credentials sign-in, as the login form posts it. */
  async signIn(email: string, password: string, opts: { csrf?: boolean; headers?: Record<string, string> } = {}): Promise<Res> {
    const { csrfToken } = (await this.get('/api/auth/csrf')).json<{ csrfToken: string }>();
    const form = new URLSearchParams({ email, password, json: 'true', callbackUrl: `${BASE}/dashboard`, ...(opts.csrf === false ? {} : { csrfToken }) });
    return this.request('POST', '/api/auth/callback/credentials', {
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: BASE, ...(opts.headers ?? {}) },
      body: form.toString(),
    });
  }

  async signOut(): Promise<Res> {
    const { csrfToken } = (await this.get('/api/auth/csrf')).json<{ csrfToken: string }>();
    return this.request('POST', '/api/auth/signout', {
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: BASE },
      body: new URLSearchParams({ csrfToken, callbackUrl: BASE, json: 'true' }).toString(),
    });
  }

  async me(): Promise<{ user: { name: string; role: string } | null }> {
    return (await this.get('/api/me')).json();
  }

  /**
   * A server action, called the way React's client calls it: POST to a page that uses it, `Next-Action: <id>`, the
   * arguments as JSON text (or, for one FormData argument, multipart with its fields under "_1_" and "0" = ["$K1"]).
   * Returns the HTTP response and the action's return value read from the RSC payload (null when there is none).
   */
  async action(file: string, name: string, arg: unknown, opts: { headers?: Record<string, string> } = {}): Promise<{ res: Res; value: ActionValue | null }> {
    const { id, page } = actionRef(file, name);
    let body: Buffer;
    let type: string;
    if (arg instanceof FormData) {
      const fd = new FormData();
      // the root ("0") goes last, as React's client appends it: the server resolves $K1 from the entries before it
      for (const [k, v] of arg.entries()) fd.append(`_1_${k}`, v);
      fd.append('0', '["$K1"]');
      const r = new Response(fd);
      body = Buffer.from(await r.arrayBuffer());
      type = r.headers.get('content-type')!;
    } else {
      body = Buffer.from(JSON.stringify([arg]), 'utf8');
      type = 'text/plain;charset=UTF-8';
    }
    const res = await this.request('POST', page, {
      headers: { 'content-type': type, 'next-action': id, accept: 'text/x-component', origin: BASE, ...(opts.headers ?? {}) },
      body,
    });
    return { res, value: actionValue(res.text) };
  }
}

export interface ActionValue {
  ok: boolean;
  error?: string;
  fields?: Record<string, string>;
  data?: unknown;
}

function actionValue(payload: string): ActionValue | null {
  for (const line of payload.split('\n')) {
    const m = /^[0-9a-f]+:(\{.*\})$/.exec(line);
    if (!m) continue;
    try {
      const v = JSON.parse(m[1]!) as Record<string, unknown>;
      if (typeof v.ok === 'boolean') return v as unknown as ActionValue;
    } catch {
      /* not this row */
    }
  }
  return null;
}

/** A lesson of week 1 that exists (its pages are prerendered, so a made-up slug is a 404 before any action runs). */
function lessonSlug(): string {
  const file = fs.readdirSync(path.join(ROOT, 'content', 'week-01')).find((f) => f.endsWith('.en.mdx'));
  if (!file) throw new Error('content/week-01 has no lesson');
  return file.replace(/\.en\.mdx$/, '');
}

/** The build's server actions by id: the file and export each comes from and the pages that load it. */
export function serverActions(): Record<string, { workers: Record<string, unknown>; filename: string; exportedName: string }> {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, process.env.LMS_DIST_DIR || '.next', 'server', 'server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { workers: Record<string, unknown>; filename: string; exportedName: string }>;
  };
  return manifest.node;
}

/** The action's id and a page that loads it, from the build's server-reference manifest. */
export function actionRef(file: string, name: string): { id: string; page: string } {
  for (const [id, e] of Object.entries(serverActions())) {
    if (e.filename !== file || e.exportedName !== name) continue;
    const pages = Object.keys(e.workers)
      .map(
        (w) =>
          '/' +
          w
            .replace(/^app\//, '')
            .replace(/\/page$/, '')
            .split('/')
            .filter((s) => !/^\(.*\)$/.test(s))
            .join('/'),
      )
      .map((p) => p.replace(/\/+$/, '') || '/')
      // a lesson is addressed by its public URL (/weeks/<week>/<slug>, rewritten to /lessons/<lang>/...), with a real slug
      .map((p) => (p.startsWith('/lessons/') ? `/weeks/1/${lessonSlug()}` : p))
      .sort((x, y) => Number(x.includes('[')) - Number(y.includes('[')))
      // a dynamic page is addressed with a harmless value; only the route (which loads the action) matters
      .map((p) => p.replace(/\[id\]/g, 'week01-terraform-vpc').replace(/\[[^\]]+\]/g, 'AAAAAAAA'));
    if (pages.length) return { id, page: pages[0]! };
  }
  throw new Error(`server action ${file}#${name} not found in the build's manifest`);
}

/** Row counts of every table the features write to, to prove a refusal wrote nothing (and nothing half). */
export async function snapshot(): Promise<Record<string, number>> {
  const db = getDb();
  const [users, submissions, files, results, groups, groupMembers, cohorts, cohortMembers, audit, lessonProgress, labProgress] = await Promise.all([
    db.user.count(),
    db.submission.count(),
    db.submissionFile.count(),
    db.result.count(),
    db.studyGroup.count(),
    db.groupMember.count(),
    db.cohort.count(),
    db.cohortMember.count(),
    db.auditLog.count(),
    db.lessonProgress.count(),
    db.labProgress.count(),
  ]);
  return { users, submissions, files, results, groups, groupMembers, cohorts, cohortMembers, audit, lessonProgress, labProgress };
}

/** The difference after - before, only where it is not zero. */
export function delta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(before)) if (after[k] !== before[k]) out[k] = after[k]! - before[k]!;
  return out;
}
