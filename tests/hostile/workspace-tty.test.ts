/**
 * The workspace terminal's WebSocket on the running production build (server.ts): the upgrade request is refused
 * before anything starts, with the same JSON refusals as route handlers, for a missing session, another site's
 * Origin, a cookie copied before its session was signed out, another learner, an instructor and an unknown id; an
 * upgrade of any other path gets 404. (The relay itself, against a real workspace: tests/integration/workspace-tty.test.ts.)
 */
import crypto from 'node:crypto';
import { describe, it, expect, beforeAll } from 'vitest';
import WebSocket from 'ws';
import { getDb } from '@/lib/db';
import { hashPassword } from '@/lib/auth/password';
import { BASE, Session } from './client';

const PASSWORD = 'hostile-password-2026';

async function signedIn(role: 'LEARNER' | 'INSTRUCTOR' = 'LEARNER') {
  const email = `ws-${crypto.randomBytes(5).toString('hex')}@hostile.lms`;
  const u = await getDb().user.create({ data: { email, name: 'Terminal Tester', role, passwordHash: await hashPassword(PASSWORD) } });
  const s = new Session();
  expect((await s.signIn(email, PASSWORD)).status).toBe(200);
  return { id: u.id, s };
}

/** The HTTP answer to a terminal upgrade (101 when accepted; the socket is then closed at once). */
function upgrade(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${BASE.replace(/^http/, 'ws')}${path}`, { headers });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('open', () => {
      ws.close();
      resolve({ status: 101, body: '' });
    });
    ws.on('error', (e) => {
      if (!/Unexpected server response/.test(e.message)) reject(e);
    });
  });
}

let owner: { id: string; s: Session };
let wsId: string;

beforeAll(async () => {
  owner = await signedIn();
  // A stopped workspace row: every refusal below comes before anything would start it.
  wsId = (await getDb().workspace.create({ data: { userId: owner.id, labId: 'week01-terraform-vpc' } })).id;
});

describe('the terminal WebSocket on the production build', () => {
  it('refuses an upgrade without a session (401) and from another origin (403), as JSON', async () => {
    const none = await upgrade(`/api/workspaces/${wsId}/tty`, { origin: BASE });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({ code: 'sign_in', message: { en: expect.any(String), ko: expect.any(String) } });
    for (const origin of ['https://evil.example', 'null']) {
      const r = await upgrade(`/api/workspaces/${wsId}/tty`, { origin, cookie: owner.s.cookieHeader() });
      expect(r.status, origin).toBe(403);
      expect(JSON.parse(r.body)).toMatchObject({ code: 'csrf' });
    }
    const noOrigin = await upgrade(`/api/workspaces/${wsId}/tty`, { cookie: owner.s.cookieHeader() });
    expect(noOrigin.status).toBe(403);
  });

  it('gives another learner, an instructor and an unknown id one and the same 404', async () => {
    const other = await signedIn();
    const teacher = await signedIn('INSTRUCTOR');
    const a = await upgrade(`/api/workspaces/${wsId}/tty`, { origin: BASE, cookie: other.s.cookieHeader() });
    const b = await upgrade(`/api/workspaces/${wsId}/tty`, { origin: BASE, cookie: teacher.s.cookieHeader() });
    const c = await upgrade(`/api/workspaces/c${crypto.randomBytes(12).toString('hex')}/tty`, { origin: BASE, cookie: owner.s.cookieHeader() });
    expect([a.status, b.status, c.status]).toEqual([404, 404, 404]);
    expect(new Set([a.body, b.body, c.body]).size).toBe(1);
    // Nothing was started for anyone.
    expect((await getDb().workspace.findUniqueOrThrow({ where: { id: wsId } })).status).toBe('stopped');
  });

  it('refuses a cookie copied before its session was signed out (401)', async () => {
    const leaver = await signedIn();
    const id = (await getDb().workspace.create({ data: { userId: leaver.id, labId: 'week01-terraform-vpc' } })).id;
    const copy = leaver.s.copy();
    // Still signed in: past the session check, the owner check lets the owner through to the terminal's start, so a
    // foreign id (404) proves the session was accepted without starting anything.
    expect((await upgrade(`/api/workspaces/${wsId}/tty`, { origin: BASE, cookie: copy.cookieHeader() })).status).toBe(404);
    await leaver.s.signOut();
    const r = await upgrade(`/api/workspaces/${id}/tty`, { origin: BASE, cookie: copy.cookieHeader() });
    expect(r.status).toBe(401);
  });

  it('answers an upgrade of any other path with 404', async () => {
    expect((await upgrade('/api/health', { origin: BASE })).status).toBe(404);
    expect((await upgrade(`/api/workspaces/${wsId}/tty/extra`, { origin: BASE, cookie: owner.s.cookieHeader() })).status).toBe(404);
  });
});
