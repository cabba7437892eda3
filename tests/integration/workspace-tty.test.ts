/**
 * The workspace terminal's WebSocket (app/_server/http/workspace-tty.ts, what server.ts runs on upgrade) against a
 * real workspace container: every check on the upgrade request (no session, another origin or none, a bad handshake,
 * another learner, an instructor, an admin, an unknown id, a signed-out session), then the relay itself (keystrokes,
 * UTF-8 split across frames, raw bytes out, resize, exit, a frame over the limit, terminals released on close, the
 * terminal limit, a session ended while connected).
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { encode } from 'next-auth/jwt';
import { getDb, disconnectDb } from '@/lib/db';
import { closeQueue } from '@/lib/queue';
import { getLab } from '@/lib/labs/registry';
import { endSessions } from '@/lib/auth/users';
import type { Actor } from '@/lib/auth/actor';
import { WorkspaceEngine, MAX_TERMINALS } from '@/lib/workspaces';
import { ensureWorkspaceImage } from '@/lib/workspaces/images';
import { LABEL_PREFIX, LABEL_WORKSPACE } from '@/lib/workspaces/container';
import { createTtyRelay, type TtyRelay } from '@/app/_server/http/workspace-tty';
import { docker, waitFor } from './helpers';

const LAB = 'week01-terraform-vpc';
const SECRET = 'workspace-tty-integration-secret-0123456789';
const PING_MS = 300;

let engine: WorkspaceEngine;
let relay: TtyRelay;
let server: http.Server;
let base: string;
let owner: Actor;
let wsId: string;
const cookies = new Map<string, string>();

async function user(role: 'LEARNER' | 'INSTRUCTOR' | 'ADMIN'): Promise<Actor> {
  const u = await getDb().user.create({ data: { email: `tty-${crypto.randomBytes(6).toString('hex')}@test.lms`, name: `TTY ${role}`, role } });
  cookies.set(u.id, `next-auth.session-token=${await encode({ token: { uid: u.id, sv: u.sessionVersion }, secret: SECRET, maxAge: 3600 })}`);
  return { id: u.id, role: u.role };
}

interface Outcome {
  status: number;
  body: string;
  ws?: WebSocket;
}

/** Opens the terminal socket; a refused upgrade resolves with its HTTP status and body. */
function connect(id: string, opts: { as?: Actor | null; origin?: string | null; headers?: Record<string, string>; query?: string } = {}): Promise<Outcome> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.as) headers.cookie = cookies.get(opts.as.id)!;
  const origin = opts.origin === undefined ? base : opts.origin;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/api/workspaces/${id}/tty${opts.query ?? '?cols=100&rows=30'}`, {
      headers,
      ...(origin ? { origin } : {}),
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('open', () => resolve({ status: 101, body: '', ws }));
    ws.on('error', (e) => {
      if (!/Unexpected server response/.test(e.message)) reject(e);
    });
  });
}

/** Everything the terminal sends, as bytes and as text; `until` waits for text after `from`. */
function output(ws: WebSocket) {
  const chunks: Buffer[] = [];
  ws.on('message', (d: Buffer) => chunks.push(Buffer.from(d)));
  const bytes = () => Buffer.concat(chunks);
  return {
    bytes,
    text: () => bytes().toString('utf8'),
    mark: () => bytes().length,
    until: async (re: RegExp, from = 0, ms = 20_000) => {
      await waitFor(async () => re.test(bytes().subarray(from).toString('utf8')), ms, 30).catch(() => {
        throw new Error(`the terminal never showed ${re}; it showed:\n${bytes().subarray(from).toString('utf8').slice(-1500)}`);
      });
    },
  };
}

const closed = (ws: WebSocket) =>
  new Promise<{ code: number; reason: string }>((r) => ws.once('close', (code, reason) => r({ code, reason: reason.toString() })));
const PROMPT = /\$ $/m;

beforeAll(async () => {
  process.env.NEXTAUTH_SECRET = SECRET;
  await ensureWorkspaceImage(docker, getLab(LAB)!);
  engine = new WorkspaceEngine({ poolSize: 0, sweepMs: 3600_000, max: 500, log: () => {} });
  relay = createTtyRelay({ engine: () => engine, pingMs: PING_MS });
  server = http.createServer((_req, res) => {
    res.statusCode = 404;
    res.end();
  });
  server.on('upgrade', (req, socket, head) => {
    if (!relay.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.NEXTAUTH_URL = base;
  owner = await user('LEARNER');
  wsId = (await engine.open(owner, LAB, { lang: 'en' })).id;
}, 600_000);

afterAll(async () => {
  relay?.closeAll(1001);
  await new Promise((r) => server?.close(r));
  await engine?.shutdown({ stopWorkspaces: true }).catch(() => {});
  for (const c of await docker.listContainers({ all: true, filters: { label: [LABEL_WORKSPACE, `${LABEL_PREFIX}=${process.env.REDIS_PREFIX ?? 'lms'}`] } })) {
    await docker
      .getContainer(c.Id)
      .remove({ force: true })
      .catch(() => {});
  }
  await closeQueue();
  await disconnectDb();
});

describe('the upgrade request', () => {
  it('is refused without a session (401), with a forged or foreign session cookie (401)', async () => {
    const none = await connect(wsId, { as: null });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({ code: 'sign_in' });
    const forged = await connect(wsId, {
      headers: { cookie: `next-auth.session-token=${await encode({ token: { uid: owner.id, sv: 0 }, secret: 'another-secret-entirely-0123456789' })}` },
    });
    expect(forged.status).toBe(401);
    // A bearer token is not a session here (only the cookie is read).
    const bearer = await connect(wsId, { headers: { authorization: `Bearer ${cookies.get(owner.id)!.split('=')[1]}` } });
    expect(bearer.status).toBe(401);
  });

  it('is refused from another origin, with no Origin, or cross-site (403), even with the owner cookie', async () => {
    for (const o of [{ origin: 'http://evil.example' }, { origin: 'null' }, { origin: null }, { headers: { 'sec-fetch-site': 'cross-site' } }]) {
      const r = await connect(wsId, { as: owner, ...o });
      expect(r.status, JSON.stringify(o)).toBe(403);
      expect(JSON.parse(r.body)).toMatchObject({ code: 'csrf' });
    }
  });

  it('gives another learner, an instructor, an admin and an unknown id the same 404', async () => {
    const answers: string[] = [];
    for (const who of [await user('LEARNER'), await user('INSTRUCTOR'), await user('ADMIN')]) {
      const r = await connect(wsId, { as: who });
      expect(r.status, who.role).toBe(404);
      answers.push(r.body);
    }
    const unknown = await connect('c' + crypto.randomBytes(12).toString('hex'), { as: owner });
    expect(unknown.status).toBe(404);
    answers.push(unknown.body);
    expect(new Set(answers).size).toBe(1);
    expect(JSON.parse(answers[0]!)).toMatchObject({ code: 'not_found' });
  });

  it('refuses a handshake that is not a WebSocket one (400), and a path id that is not an id (not relayed)', async () => {
    const res = await new Promise<http.IncomingMessage>((resolve) => {
      const r = http.request(`${base}/api/workspaces/${wsId}/tty`, {
        headers: {
          connection: 'Upgrade',
          upgrade: 'websocket',
          origin: base,
          cookie: cookies.get(owner.id)!,
          'sec-websocket-version': '13',
          'sec-websocket-key': 'short',
        },
      });
      r.on('response', resolve);
      r.end();
    });
    expect(res.statusCode).toBe(400);
    expect(relay.handleUpgrade({ url: '/api/workspaces/../../x/tty', headers: {} } as http.IncomingMessage, null as never, Buffer.alloc(0))).toBe(false);
  });
});

describe('the terminal', () => {
  it('relays keystrokes and output both ways, binary-safe, with resize', async () => {
    const r = await connect(wsId, { as: owner });
    expect(r.status).toBe(101);
    const ws = r.ws!;
    const out = output(ws);
    await out.until(PROMPT);
    let m = out.mark();
    ws.send(Buffer.from('echo "ok-$((6*7))"\r'));
    await out.until(/ok-42/, m);
    // A Korean word whose UTF-8 is split across two frames.
    const word = Buffer.from('echo 한글-끝\r', 'utf8');
    m = out.mark();
    ws.send(word.subarray(0, 7));
    ws.send(word.subarray(7));
    await out.until(/한글-끝\r?\n/, m);
    // Bytes that are not UTF-8 arrive as they are.
    m = out.mark();
    ws.send(Buffer.from("printf 'A\\377\\376B\\n'\r"));
    await out.until(/B\r?\n/, m);
    expect(
      out
        .bytes()
        .subarray(m)
        .includes(Buffer.from([0x41, 0xff, 0xfe, 0x42])),
    ).toBe(true);
    // Control messages are text frames; anything else in a text frame is ignored.
    ws.send('not json');
    ws.send(JSON.stringify({ type: 'resize', cols: 91, rows: 33 }));
    await new Promise((res) => setTimeout(res, 300));
    m = out.mark();
    ws.send(Buffer.from('stty size\r'));
    await out.until(/33 91/, m);
    // The shell exits: the socket closes with 4000.
    const end = closed(ws);
    ws.send(Buffer.from('exit\r'));
    expect((await end).code).toBe(4000);
  });

  it('closes a socket that sends a frame over the limit (1009); closed sockets give their terminal back', async () => {
    const r = await connect(wsId, { as: owner });
    const end = closed(r.ws!);
    r.ws!.send(Buffer.alloc(65 * 1024, 0x61));
    expect((await end).code).toBe(1009);
    // More sockets one after another than a workspace has terminals: each close released its terminal.
    for (let i = 0; i < MAX_TERMINALS + 1; i++) {
      const c = await connect(wsId, { as: owner });
      expect(c.status, `connection ${i + 1}`).toBe(101);
      const done = closed(c.ws!);
      c.ws!.close();
      await done;
    }
    await new Promise((res) => setTimeout(res, 1500));
    // At once: MAX_TERMINALS work, one more is refused with 429.
    const open = [];
    for (let i = 0; i < MAX_TERMINALS; i++) open.push(await connect(wsId, { as: owner }));
    expect(open.map((o) => o.status)).toEqual(Array(MAX_TERMINALS).fill(101));
    const extra = await connect(wsId, { as: owner });
    expect(extra.status).toBe(429);
    for (const o of open) o.ws!.close();
    await Promise.all(open.map((o) => (o.ws!.readyState === WebSocket.CLOSED ? null : closed(o.ws!))));
  });

  it('is closed (4401) when its session ends, and the same cookie is refused afterwards (401)', async () => {
    await new Promise((res) => setTimeout(res, 1500));
    const r = await connect(wsId, { as: owner });
    expect(r.status).toBe(101);
    const end = closed(r.ws!);
    await endSessions(owner.id);
    const c = await end;
    expect(c.code).toBe(4401);
    const again = await connect(wsId, { as: owner });
    expect(again.status).toBe(401);
  });
});
