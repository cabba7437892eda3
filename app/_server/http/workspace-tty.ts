/**
 * A workspace terminal over a WebSocket (issue 16): server.ts hands every upgrade of `/api/workspaces/<id>/tty` to
 * `handleUpgrade`, which answers it with an HTTP refusal or relays the socket to the engine's terminal (a `docker exec`
 * TTY in the learner's container; never a published port).
 *
 * Checked on the upgrade request itself, before any terminal is started, in this order:
 *  1. the WebSocket handshake headers (400) and the method (405);
 *  2. the Origin: present and this site's, and Sec-Fetch-Site, when sent, same-origin (403). A browser always sends
 *     Origin on a WebSocket and a page cannot forge it, and cookies ride along on cross-site WebSocket requests, so
 *     this is the CSRF rule (the same one route() applies to unsafe methods: app/_server/http/request.ts);
 *  3. the session: next-auth's session cookie (JWT), and its session version still the user's (a sign-out or a
 *     password change refuses every older cookie) (401);
 *  4. the owner: the engine answers not_found to anyone but the workspace's owner, instructors and admins included,
 *     exactly as for an id that does not exist (404).
 * Then the terminal is attached and the socket upgraded. Frames: binary both ways are the terminal's bytes (keystrokes
 * in, TTY output out; UTF-8 split across frames is fine); text frames from the browser are JSON control messages
 * (`{"type":"resize","cols":..,"rows":..}`). The server pings every `pingMs` and drops a socket that did not answer the
 * last ping; at each ping it reads the session again and closes the socket (4401) once it has ended. Close codes: 1000
 * closed, 4000 the shell exited, 4001 the workspace stopped (idle, replaced, closed), 4401 signed out, 1012 the server
 * is restarting, 1009 a frame over `maxPayload`.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { getToken } from 'next-auth/jwt';
import { userForSession } from '@/lib/auth/users';
import type { Actor } from '@/lib/auth/actor';
import { AppError } from '@/lib/errors';
import { getEnv } from '@/lib/env';
import type { Lang } from '@/lib/i18n';
import type { WorkspaceEngine, Terminal } from '@/lib/workspaces';
import { errorAnswer } from './errors';
import { checkSameOrigin } from './request';
import { asAppError } from './workspace-errors';

export const TTY_PATH = /^\/api\/workspaces\/([A-Za-z0-9_-]{1,64})\/tty$/;
/** A frame from the browser: a keystroke, a paste (the client sends pastes in 16 KiB pieces) or a control message. */
export const TTY_MAX_FRAME_BYTES = 64 * 1024;
/** Output waiting in the socket's buffer past this pauses the terminal's stream until it drains below LOW. */
const HIGH_WATER = 1024 * 1024;
const LOW_WATER = 256 * 1024;
const WS_KEY = /^[+/0-9A-Za-z]{22}==$/;

export interface TtyRelayOptions {
  engine: () => WorkspaceEngine;
  /** Keep-alive ping and session re-check interval (default 25 s). */
  pingMs?: number;
  maxFrameBytes?: number;
  log?: (fields: Record<string, unknown>, msg: string) => void;
}

export interface TtyRelay {
  /** True when the request was a terminal upgrade (answered or relayed); false for any other path. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Closes every open terminal socket (code 1012 by default: the server is going away). */
  closeAll(code?: number, reason?: string): void;
  /** Open terminal sockets (tests, metrics). */
  readonly open: number;
}

function langOf(req: IncomingMessage): Lang {
  return /(?:^|;\s*)lang=en(?:;|$)/.test(req.headers.cookie ?? '') ? 'en' : 'ko';
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    const k = part.slice(0, i).trim();
    const v = part.slice(i + 1).trim();
    if (!k || k in out) continue;
    try {
      out[k] = decodeURIComponent(v);
    } catch {
      out[k] = v;
    }
  }
  return out;
}

/** The session's user id and version, from next-auth's session cookie only (never an Authorization header). */
async function sessionToken(req: IncomingMessage): Promise<{ uid: string; sv: unknown } | null> {
  const env = getEnv();
  const secure = env.NEXTAUTH_URL?.startsWith('https://') ?? false;
  const token = await getToken({
    req: { cookies: parseCookies(req.headers.cookie), headers: {} } as unknown as Parameters<typeof getToken>[0]['req'],
    secureCookie: secure,
    secret: env.NEXTAUTH_SECRET,
    logger: { error: () => {}, warn: () => {}, debug: () => {} } as never,
  }).catch(() => null);
  if (!token || typeof token.uid !== 'string') return null;
  return { uid: token.uid, sv: token.sv };
}

/** The Origin rule of route() (request.ts), with Origin required: a browser always sends it on a WebSocket. */
function checkOrigin(req: IncomingMessage): void {
  const origin = req.headers.origin;
  if (typeof origin !== 'string' || !origin) throw new AppError('csrf');
  checkSameOrigin({
    headers: {
      get: (name: string) => {
        const v = req.headers[name.toLowerCase()];
        return Array.isArray(v) ? v.join(', ') : (v ?? null);
      },
    },
  });
}

/** An HTTP answer on the raw socket of a refused upgrade: the same JSON body as a route handler's refusal. */
function refuse(socket: Duplex, lang: Lang, e: AppError, extra: Record<string, string> = {}): void {
  if (socket.destroyed) return;
  const a = errorAnswer(e, lang);
  const body = Buffer.from(JSON.stringify(a.body), 'utf8');
  const headers: Record<string, string> = {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(body.length),
    Connection: 'close',
    ...a.headers,
    ...extra,
  };
  const reason =
    (
      {
        400: 'Bad Request',
        401: 'Unauthorized',
        403: 'Forbidden',
        404: 'Not Found',
        405: 'Method Not Allowed',
        429: 'Too Many Requests',
        500: 'Internal Server Error',
      } as Record<number, string>
    )[a.status] ?? 'Error';
  const head = `HTTP/1.1 ${a.status} ${reason}\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\n`;
  socket.end(Buffer.concat([Buffer.from(head, 'latin1'), body]));
  setTimeout(() => socket.destroy(), 1000).unref();
}

const clampInt = (v: unknown, lo: number, hi: number, dflt: number) => {
  const n = Number(v);
  return Number.isFinite(n) ? Math.max(lo, Math.min(hi, Math.round(n))) : dflt;
};

export function createTtyRelay(opts: TtyRelayOptions): TtyRelay {
  const pingMs = opts.pingMs ?? 25_000;
  const maxFrame = opts.maxFrameBytes ?? TTY_MAX_FRAME_BYTES;
  const log = opts.log ?? (() => {});
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxFrame, perMessageDeflate: false, clientTracking: true });

  function relay(ws: WebSocket, term: Terminal, actor: Actor, workspaceId: string, session: { uid: string; sv: unknown }): void {
    const engine = opts.engine();
    const out = term.stream;
    let closed = false;
    const closeWith = (code: number, reason: string) => {
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, reason);
    };

    // Terminal → browser, with backpressure: a flood of output (cat of a big file) waits for the socket.
    let draining: NodeJS.Timeout | null = null;
    out.on('data', (chunk: Buffer) => {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(chunk, { binary: true });
      if (ws.bufferedAmount > HIGH_WATER && !draining) {
        out.pause();
        draining = setInterval(() => {
          if (ws.readyState !== ws.OPEN || ws.bufferedAmount < LOW_WATER) {
            clearInterval(draining!);
            draining = null;
            out.resume();
          }
        }, 20);
      }
    });
    out.on('error', () => {});

    // Browser → terminal: bytes as they are; text frames are control messages.
    ws.on('message', (data: RawData, isBinary: boolean) => {
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
      if (isBinary) {
        if (!out.writable) return;
        if (!out.write(buf)) {
          ws.pause();
          out.once('drain', () => ws.resume());
        }
        return;
      }
      if (buf.length > 1024) return;
      let m: unknown;
      try {
        m = JSON.parse(buf.toString('utf8'));
      } catch {
        return;
      }
      if (m && typeof m === 'object' && (m as { type?: unknown }).type === 'resize') {
        const { cols, rows } = m as { cols?: unknown; rows?: unknown };
        void term.resize({ cols: clampInt(cols, 1, 500, 80), rows: clampInt(rows, 1, 200, 24) });
        engine.touch(actor, workspaceId);
      }
    });

    // Keep-alive, and the session read again: a socket of a signed-out session does not outlive it by more than a ping.
    let alive = true;
    ws.on('pong', () => (alive = true));
    const ping = setInterval(() => {
      if (!alive) {
        ws.terminate();
        return;
      }
      alive = false;
      ws.ping();
      void userForSession(session.uid, session.sv)
        .then((u) => {
          if (!u && !closed) closeWith(4401, 'signed out');
        })
        .catch(() => {});
    }, pingMs);
    ping.unref();

    const cleanup = () => {
      if (closed) return;
      closed = true;
      clearInterval(ping);
      if (draining) clearInterval(draining);
      void term.close().catch(() => {});
    };
    ws.on('close', cleanup);
    ws.on('error', cleanup);
    void term.ended.then(({ reason }) => {
      if (reason === 'exit') closeWith(4000, 'exit');
      else if (reason === 'stopped') closeWith(4001, 'stopped');
      else closeWith(1000, 'closed');
      cleanup();
    });
  }

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, workspaceId: string, query: URLSearchParams): Promise<void> {
    const lang = langOf(req);
    let term: Terminal | null = null;
    try {
      if ((req.method ?? 'GET') !== 'GET') throw new AppError('method_not_allowed', { params: { allowed: 'GET' } });
      const key = req.headers['sec-websocket-key'];
      if (
        String(req.headers.upgrade ?? '').toLowerCase() !== 'websocket' ||
        typeof key !== 'string' ||
        !WS_KEY.test(key.trim()) ||
        req.headers['sec-websocket-version'] !== '13'
      ) {
        throw new AppError('invalid_input');
      }
      checkOrigin(req);
      const session = await sessionToken(req);
      const user = session ? await userForSession(session.uid, session.sv) : null;
      if (!session || !user) throw new AppError('sign_in');
      const actor: Actor = { id: user.id, role: user.role };
      const engine = opts.engine();
      // The owner check first (a database read), so nobody else starts anything.
      await engine.info(actor, workspaceId);
      term = await engine.attachTerminal(actor, workspaceId, { cols: clampInt(query.get('cols'), 1, 500, 80), rows: clampInt(query.get('rows'), 1, 200, 24) });
      if (socket.destroyed) {
        await term.close();
        return;
      }
      const attached = term;
      let upgraded = false;
      socket.once('close', () => {
        if (!upgraded) void attached.close().catch(() => {});
      });
      wss.handleUpgrade(req, socket, head, (ws) => {
        upgraded = true;
        relay(ws, attached, actor, workspaceId, session);
      });
    } catch (e) {
      if (term) await term.close().catch(() => {});
      const known = asAppError(e);
      if (!known) log({ err: e, path: req.url }, 'terminal upgrade failed');
      refuse(socket, lang, known ?? new AppError('server_error'), known?.code === 'method_not_allowed' ? { Allow: 'GET' } : {});
    }
  }

  return {
    handleUpgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const m = TTY_PATH.exec(url.pathname);
      if (!m) return false;
      socket.on('error', () => {});
      void upgrade(req, socket, head, m[1]!, url.searchParams);
      return true;
    },
    closeAll(code = 1012, reason = 'server restarting') {
      for (const ws of wss.clients) ws.close(code, reason);
    },
    get open() {
      return wss.clients.size;
    },
  };
}
