/**
 * Hostile input against the running production build (server.ts + Next + a worker, started by `bin/lms test
 * hostile`). Every case asserts the status, the message the person sees, and the database's row counts before and
 * after: a refusal writes nothing, not even half of something.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Redis } from 'ioredis';
import { getDb } from '@/lib/db';
import { hashPassword } from '@/lib/auth/password';
import { LIMITS } from '@/lib/security/limits';
import { BASE, ROOT, Session, serverActions, snapshot, delta, loopback, type Res } from './client';

const PASSWORD = 'hostile-password-2026';
const LAB = 'week01-terraform-vpc';
const MAIN_TF = 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n';

async function account(opts: { password?: string; name?: string; role?: 'LEARNER' | 'INSTRUCTOR' | 'ADMIN' } = {}) {
  const email = `h-${crypto.randomBytes(5).toString('hex')}@hostile.lms`;
  const u = await getDb().user.create({
    data: { email, name: opts.name ?? 'Hostile Tester', role: opts.role ?? 'LEARNER', passwordHash: await hashPassword(opts.password ?? PASSWORD) },
  });
  return { email, id: u.id };
}

async function signedIn(opts: { name?: string; role?: 'LEARNER' | 'INSTRUCTOR' | 'ADMIN' } = {}) {
  const a = await account(opts);
  const s = new Session();
  const r = await s.signIn(a.email, PASSWORD);
  expect(r.status, r.text).toBe(200);
  expect((await s.me()).user).not.toBeNull();
  return { ...a, s };
}

/** Runs `fn` and asserts the database changed by exactly `expected` (by default: not at all). */
async function unchanged<T>(fn: () => Promise<T>, expected: Record<string, number> = {}): Promise<T> {
  const before = await snapshot();
  const out = await fn();
  // the worker may still be finishing earlier submissions: only counts are compared, and results of earlier
  // submissions are let settle first
  expect(delta(before, await snapshot())).toEqual(expected);
  return out;
}

function expectError(r: Res, status: number, message: RegExp) {
  expect(r.status, r.text.slice(0, 300)).toBe(status);
  expect(r.headers['content-type']).toMatch(/application\/json/);
  const body = r.json<{ error: string; message?: { en: string; ko: string } }>();
  expect(body.message?.en ?? body.error).toMatch(message);
  expect(r.text).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\.ts:\d+/); // no stack trace
}

/** Waits until no submission is waiting, so result rows stop appearing under a case's feet. */
async function settle() {
  for (let i = 0; i < 120; i++) {
    if ((await getDb().submission.count({ where: { status: { in: ['QUEUED', 'RUNNING'] } } })) === 0) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

let redis: Redis;
beforeAll(async () => {
  expect((await fetch(`${BASE}/api/health`)).ok).toBe(true);
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
});
afterAll(async () => {
  // The login counters of the addresses used here would otherwise outlive the suite (15 minutes).
  const keys = await redis.keys(`${process.env.REDIS_PREFIX}:limit:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

describe('sign-in', () => {
  it('1. gives a wrong password and an unknown e-mail the same answer', async () => {
    const a = await account();
    const s = new Session();
    const [wrongPw, unknown] = await unchanged(async () => [
      await s.signIn(a.email, 'not-the-password'),
      await s.signIn(`nobody-${a.id}@hostile.lms`, 'not-the-password'),
    ]);
    expect(wrongPw.status).toBe(unknown.status);
    expect(wrongPw.text).toBe(unknown.text);
    expect(wrongPw.status).toBe(401);
    expect(wrongPw.text).toMatch(/error=CredentialsSignin/);
    expect(s.cookies.has('next-auth.session-token')).toBe(false);
    // what the person reads: the login page carries one message for every refusal
    expect((await s.get('/login')).text).toMatch(/이메일 또는 비밀번호|email or password/i);
  });

  it('2. locks an account after repeated failures, answers a locked account like a wrong password, and audits it', async () => {
    const a = await account();
    await unchanged(
      async () => {
        for (let i = 0; i < LIMITS.loginPerAccount.max; i++) await new Session().signIn(a.email, `wrong-${i}`);
      },
      { audit: 1 },
    );
    const s = new Session();
    const locked = await s.signIn(a.email, PASSWORD); // the right password, from a fresh address
    const unknown = await new Session().signIn(`nobody-${a.id}@hostile.lms`, PASSWORD);
    expect(locked.status).toBe(unknown.status);
    expect(locked.text).toBe(unknown.text);
    expect((await s.me()).user).toBeNull();
    expect(await getDb().auditLog.count({ where: { action: 'user.lockout', targetId: a.id } })).toBe(1);
  });

  it('3. an unknown e-mail gets locked the same way (no way to tell which accounts exist)', async () => {
    const email = `ghost-${crypto.randomUUID()}@hostile.lms`;
    const answers = await unchanged(async () => {
      const out: string[] = [];
      for (let i = 0; i <= LIMITS.loginPerAccount.max; i++) out.push((await new Session().signIn(email, `wrong-${i}`)).text);
      return out;
    });
    expect(new Set(answers).size).toBe(1);
  });

  it('4. limits one address trying many accounts; another address is not affected', async () => {
    const from = loopback();
    await unchanged(async () => {
      for (let i = 0; i < LIMITS.loginPerAddress.max; i++) await new Session(from).signIn(`spray-${i}-${crypto.randomUUID()}@hostile.lms`, 'guess');
    });
    const a = await account();
    const same = new Session(from);
    expect((await same.signIn(a.email, PASSWORD)).text).toMatch(/error=CredentialsSignin/);
    expect((await same.me()).user).toBeNull();
    // a forged X-Forwarded-For does not move the attacker to another address
    const forged = new Session(from);
    await forged.signIn(a.email, PASSWORD, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect((await forged.me()).user).toBeNull();
    const elsewhere = new Session();
    expect((await elsewhere.signIn(a.email, PASSWORD)).status).toBe(200);
    expect((await elsewhere.me()).user).not.toBeNull();
  });

  it('5. refuses a sign-in without the CSRF token', async () => {
    const a = await account();
    const s = new Session();
    const r = await unchanged(() => s.signIn(a.email, PASSWORD, { csrf: false }));
    expect(r.text).not.toMatch(/dashboard/);
    expect((await s.me()).user).toBeNull();
  });

  it('6. a 100 KB password or a malformed e-mail is just a failed sign-in', async () => {
    const a = await account();
    const s = new Session();
    const [long, bad] = await unchanged(async () => [await s.signIn(a.email, 'x'.repeat(100_000)), await s.signIn('not an email <script>', 'x')]);
    for (const r of [long, bad]) {
      expect(r.status).toBe(401);
      expect(r.text).toMatch(/error=CredentialsSignin/);
    }
  });

  it('7. a sign-in body over the size limit is refused with 413 and a message, not read', async () => {
    const r = await unchanged(() =>
      new Session().request('POST', '/api/auth/callback/credentials', {
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: BASE },
        body: Buffer.alloc(3 * 1024 * 1024, 'a'),
      }),
    );
    expectError(r, 413, /too large/);
  });

  it('8. the session cookie is HttpOnly and SameSite=Lax; signing out ends it, also for a copy of the cookie', async () => {
    const { s } = await signedIn();
    const cookie = s.setCookies.find((c) => c.startsWith('next-auth.session-token='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i); // plain http here; Secure behind TLS (NEXTAUTH_URL https)
    const stolen = s.copy();
    expect((await stolen.me()).user).not.toBeNull();
    await s.signOut();
    expect((await stolen.me()).user).toBeNull();
  });

  it('9. changing the password needs the current one, and then ends every session', async () => {
    const { s, id } = await signedIn();
    const stolen = s.copy();
    const wrong = await unchanged(() => s.action('app/actions/account.ts', 'changePasswordAction', { current: 'not-it', next: 'a-brand-new-password' }));
    expect(wrong.value).toMatchObject({ ok: false });
    expect(wrong.value!.error).toMatch(/현재 비밀번호|current password/);
    const short = await s.action('app/actions/account.ts', 'changePasswordAction', { current: PASSWORD, next: 'short' });
    expect(short.value).toMatchObject({ ok: false });
    const good = await s.action('app/actions/account.ts', 'changePasswordAction', { current: PASSWORD, next: 'a-brand-new-password' });
    expect(good.value, good.res.text.slice(0, 300)).toMatchObject({ ok: true });
    expect((await stolen.me()).user).toBeNull();
    expect((await s.me()).user).toBeNull();
    expect((await getDb().user.findUniqueOrThrow({ where: { id } })).sessionVersion).toBe(1);
  });
});

describe('sign-up (server action)', () => {
  const signUp = (s: Session, input: unknown) => s.action('app/actions/account.ts', 'signUp', input);

  it('10. missing fields: a message per field, no account', async () => {
    const { res, value } = await unchanged(() => signUp(new Session(), {}));
    expect(res.status).toBe(200);
    expect(value).toMatchObject({ ok: false });
    expect(Object.keys(value!.fields ?? {})).toEqual(expect.arrayContaining(['name', 'email', 'password']));
  });

  it('11. a malformed e-mail and a short password are explained', async () => {
    const { value } = await unchanged(() => signUp(new Session(), { name: 'X', email: 'nope', password: 'short', lang: 'en' }));
    expect(value!.fields!.email).toMatch(/valid email/);
    expect(value!.fields!.password).toMatch(/at least 10/);
  });

  it('12. a 100 KB name and the wrong types are refused', async () => {
    const s = new Session();
    const big = await unchanged(() => signUp(s, { name: 'n'.repeat(100_000), email: `big-${crypto.randomUUID()}@hostile.lms`, password: PASSWORD }));
    expect(big.value!.error).toMatch(/80 characters/);
    const arr = await unchanged(() => signUp(s, ['name', 'email']));
    expect(arr.value).toMatchObject({ ok: false });
  });

  it('13. an e-mail already taken: the answer a new one gets, adds nothing (cases 52-53 in web-app.test.ts go further)', async () => {
    const a = await account();
    const { value } = await unchanged(() => signUp(new Session(), { name: 'Dup', email: a.email.toUpperCase(), password: PASSWORD, lang: 'en' }));
    expect(value).toEqual({ ok: true, data: { next: 'sign-in' } });
  });

  it('14. a server action from another site is refused with 403, nothing written', async () => {
    const { res, value } = await unchanged(
      () => signUp(new Session(), { name: 'Evil', email: `evil-${crypto.randomUUID()}@hostile.lms`, password: PASSWORD }),
      { users: 1 },
    );
    expect(value).toMatchObject({ ok: true }); // control: from this site it works…
    expect(res.status).toBe(200);
    const cross = await unchanged(() =>
      new Session().action(
        'app/actions/account.ts',
        'signUp',
        { name: 'Evil', email: `evil-${crypto.randomUUID()}@hostile.lms`, password: PASSWORD },
        { headers: { origin: 'https://evil.example' } },
      ),
    );
    expect(cross.value).toBeNull(); // …from another origin it does not run at all
    expectError(cross.res, 403, /CSRF/);
  });

  it('15. HTML in a name is stored as text and shown as text', async () => {
    const { s } = await signedIn({ name: '<img src=x onerror=alert(1)>' });
    const r = await s.get('/dashboard');
    expect(r.status).toBe(200);
    expect(r.text).not.toContain('<img src=x onerror=alert(1)>');
    expect((await s.me()).user!.name).toBe('<img src=x onerror=alert(1)>');
  });
});

describe('submissions (JSON API)', () => {
  const submit = (s: Session, value: unknown, headers: Record<string, string> = {}) => s.postJson('/api/submissions', value, headers);
  const good = { labId: LAB, files: [{ path: 'main.tf', content: MAIN_TF }] };
  let me: Awaited<ReturnType<typeof signedIn>>;
  beforeAll(async () => {
    me = await signedIn();
  });

  it('16. no Origin and no Sec-Fetch-Site: refused as CSRF (403)', async () => {
    const r = await unchanged(() => me.s.request('POST', '/api/submissions', { headers: { 'content-type': 'application/json' }, body: JSON.stringify(good) }));
    expectError(r, 403, /CSRF/);
  });

  it('17. another site as Origin: 403', async () => {
    expectError(await unchanged(() => submit(me.s, good, { origin: 'https://evil.example' })), 403, /CSRF/);
  });

  it('18. Sec-Fetch-Site: cross-site: 403 (even with a matching Origin)', async () => {
    expectError(await unchanged(() => submit(me.s, good, { 'sec-fetch-site': 'cross-site' })), 403, /CSRF/);
  });

  it('19. not signed in: 401', async () => {
    expectError(await unchanged(() => submit(new Session(), good)), 401, /sign in/);
  });

  it('20. wrong content type: 415', async () => {
    const r = await unchanged(() =>
      me.s.request('POST', '/api/submissions', { headers: { 'content-type': 'text/plain', origin: BASE }, body: JSON.stringify(good) }),
    );
    expectError(r, 415, /JSON/);
  });

  it('21. invalid UTF-8: 400', async () => {
    const body = Buffer.concat([Buffer.from('{"labId":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('","files":[]}')]);
    const r = await unchanged(() => me.s.request('POST', '/api/submissions', { headers: { 'content-type': 'application/json', origin: BASE }, body }));
    expectError(r, 400, /UTF-8/);
  });

  it('22. malformed JSON and an empty body: 400', async () => {
    const bad = await unchanged(() =>
      me.s.request('POST', '/api/submissions', { headers: { 'content-type': 'application/json', origin: BASE }, body: '{"labId": ' }),
    );
    expectError(bad, 400, /not valid JSON/);
    const empty = await unchanged(() => me.s.request('POST', '/api/submissions', { headers: { 'content-type': 'application/json', origin: BASE }, body: '' }));
    expectError(empty, 400, /empty/);
  });

  it('23. JSON nested 100,000 deep: 400, the server stays up', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const r = await unchanged(() => me.s.request('POST', '/api/submissions', { headers: { 'content-type': 'application/json', origin: BASE }, body: deep }));
    expectError(r, 400, /nested too deeply/);
    expect((await fetch(`${BASE}/api/health`)).ok).toBe(true);
  });

  it('24. a 3 MB JSON body: 413 before it is read', async () => {
    const r = await unchanged(() => submit(me.s, { labId: LAB, files: [{ path: 'main.tf', content: 'x'.repeat(3 * 1024 * 1024) }] }));
    expectError(r, 413, /too large/);
  });

  it('25. a chunked body with no length: 411', async () => {
    const r = await unchanged(() =>
      me.s.request('POST', '/api/submissions', { headers: { 'content-type': 'application/json', origin: BASE }, body: JSON.stringify(good), chunked: true }),
    );
    expectError(r, 411, /Content-Length/);
  });

  it('26. missing fields: 400 naming them', async () => {
    const r = await unchanged(() => submit(me.s, {}));
    expectError(r, 400, /Invalid input/);
    expect(Object.keys(r.json<{ fields: Record<string, string> }>().fields)).toEqual(expect.arrayContaining(['labId', 'files']));
  });

  it('27. an unknown lab: 404', async () => {
    expectError(await unchanged(() => submit(me.s, { labId: 'week99-nothing', files: good.files })), 404, /No lab/);
  });

  it('28. a file the lab does not take, and a path that climbs out: 400', async () => {
    expectError(
      await unchanged(() => submit(me.s, { labId: LAB, files: [...good.files, { path: 'run.sh', content: 'rm -rf /' }] })),
      400,
      /does not take run\.sh/,
    );
    expectError(await unchanged(() => submit(me.s, { labId: LAB, files: [{ path: '../../etc/passwd', content: 'x' }] })), 400, /name refused/);
  });

  it('29. more files than the manifest allows, or a file over its size: 413', async () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ path: `f${i}.tf`, content: 'x' }));
    expectError(await unchanged(() => submit(me.s, { labId: LAB, files: many })), 413, /At most \d+ files/);
    expectError(await unchanged(() => submit(me.s, { labId: LAB, files: [{ path: 'main.tf', content: 'x'.repeat(600 * 1024) }] })), 413, /too large|add up/);
  });

  it('30. content marked base64 that is not: 400', async () => {
    expectError(
      await unchanged(() => submit(me.s, { labId: LAB, files: [{ path: 'main.tf', content: '@@not base64@@', encoding: 'base64' }] })),
      400,
      /base64/,
    );
  });

  it('31. a burst: accepted ones stored whole, the rest 429 with Retry-After, never a 500', async () => {
    const sec = new Date().getSeconds();
    if (sec > 45) await new Promise((r) => setTimeout(r, (61 - sec) * 1000)); // stay inside one per-minute window
    const l = await signedIn();
    const before = await snapshot();
    const rs: Res[] = [];
    for (let i = 0; i < LIMITS.submitPerLabPerMinute.max + 2; i++) rs.push(await submit(l.s, good));
    const accepted = rs.filter((r) => r.status === 202);
    const refused = rs.filter((r) => r.status === 429);
    expect(accepted.length + refused.length).toBe(rs.length);
    expect(refused.length).toBeGreaterThanOrEqual(2);
    for (const r of refused) {
      expectError(r, 429, /waiting to be graded|per lab per minute/);
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    }
    const after = await snapshot();
    expect(after.submissions! - before.submissions!).toBe(accepted.length);
    expect(after.files! - before.files!).toBe(accepted.length); // one file each: nothing half-written
    // the accepted ones are graded by the worker
    const id = accepted[0]!.json<{ submissionId: string }>().submissionId;
    for (let i = 0; i < 120; i++) {
      const v = (await l.s.get(`/api/submissions/${id}`)).json<{ status: string }>();
      if (v.status === 'GRADED') break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect((await l.s.get(`/api/submissions/${id}`)).json<{ status: string }>().status).toBe('GRADED');
    await settle();
  });
});

describe('uploads (the lab page server action)', () => {
  const upload = (s: Session, entries: [string, string | Blob][]) => {
    const fd = new FormData();
    for (const [k, v] of entries) fd.append(k, v);
    return s.action('app/actions/submissions.ts', 'submitLab', fd);
  };

  it("32. an uploaded file over the lab limit: refused with the lab's limit, nothing stored", async () => {
    const { s } = await signedIn();
    const { value } = await unchanged(() =>
      upload(s, [
        ['labId', LAB],
        ['file:main.tf', new Blob([Buffer.alloc(600 * 1024, 'a')])],
      ]),
    );
    expect(value).toMatchObject({ ok: false });
    expect(value!.error).toMatch(/너무 큽니다|too large|바이트를 넘습니다/);
  });

  it('33. an upload body over 2 MB: 413 with a message, never a 500', async () => {
    const { s } = await signedIn();
    const { res } = await unchanged(() =>
      upload(s, [
        ['labId', LAB],
        ['file:main.tf', new Blob([Buffer.alloc(3 * 1024 * 1024, 'a')])],
      ]),
    );
    expectError(res, 413, /too large/);
  });

  it('34. an upload for an unknown lab, or with no file: explained, nothing stored', async () => {
    const { s } = await signedIn();
    const bad = await unchanged(() =>
      upload(s, [
        ['labId', 'nope-lab'],
        ['file:main.tf', 'x'],
      ]),
    );
    expect(bad.value).toMatchObject({ ok: false });
    const none = await unchanged(() => upload(s, [['labId', LAB]]));
    expect(none.value).toMatchObject({ ok: false });
    expect(none.value!.error).toMatch(/at least one file|파일/i);
  });

  it('35. not signed in: asked to sign in, nothing stored', async () => {
    const { value } = await unchanged(() =>
      upload(new Session(), [
        ['labId', LAB],
        ['file:main.tf', MAIN_TF],
      ]),
    );
    expect(value).toMatchObject({ ok: false });
    expect(value!.error).toMatch(/로그인|sign in/i);
  });
});

describe('group and cohort invites', () => {
  it('36. a group invite code that does not exist, and one that is not a code: explained, no membership', async () => {
    const { s } = await signedIn();
    const none = await unchanged(() => s.action('app/actions/groups.ts', 'joinGroupAction', { code: 'ZZZZZZZZZZ' }));
    expect(none.value).toMatchObject({ ok: false });
    const junk = await unchanged(() => s.action('app/actions/groups.ts', 'joinGroupAction', { code: '\'; DROP TABLE "User"; --' }));
    expect(junk.value!.error).toMatch(/invite code/);
    // the join link with junk lands on the groups page, not on an error
    const link = await s.get(`/join/group/${encodeURIComponent('<script>x</script>')}`);
    expect([302, 303, 307, 308]).toContain(link.status);
    expect(link.headers.location).toMatch(/\/groups$/);
  });

  it('37. a group name with HTML is rendered as text; a name with control characters is refused', async () => {
    const { s } = await signedIn();
    const ctrl = await unchanged(() => s.action('app/actions/groups.ts', 'createGroupAction', { name: 'bad\u0000name' }));
    expect(ctrl.value!.error).toMatch(/control characters/);
    const made = await s.action('app/actions/groups.ts', 'createGroupAction', { name: '<b>bold</b><script>alert(1)</script>' });
    expect(made.value, made.res.text.slice(0, 200)).toMatchObject({ ok: true });
    const page = await s.get(`/groups/${(made.value!.data as { id: string }).id}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('<script>alert(1)</script>');
    expect(page.text).toContain('&lt;b&gt;bold&lt;/b&gt;');
  });

  it('38. a cohort invite code that does not exist, or junk: explained, no membership', async () => {
    const { s } = await signedIn();
    const none = await unchanged(() => s.action('app/actions/cohorts.ts', 'joinCohortAction', { code: 'NOPE-NOPE-NOPE' }));
    expect(none.value).toMatchObject({ ok: false });
    expect(none.value!.error).toBeTruthy();
    const junk = await unchanged(() => s.action('app/actions/cohorts.ts', 'joinCohortAction', { code: 'x'.repeat(10_000) }));
    expect(junk.value!.error).toMatch(/invite code/);
    const page = await s.get(`/join/cohort/${'A'.repeat(300)}`);
    expect(page.status).toBeLessThan(500);
  });

  it('39. a learner cannot create a cohort (role checked in the action)', async () => {
    const { s } = await signedIn();
    const r = await unchanged(() => s.action('app/actions/cohorts.ts', 'createCohortAction', { name: 'Mine', start: '2026-01-01', latePenaltyPct: 10 }));
    expect(r.value!.error).toMatch(/권한|access/);
  });
});

describe('API routes', () => {
  it("40. another learner's submission: 404; a malformed id: 400", async () => {
    const a = await signedIn();
    const b = await signedIn();
    const r = await a.s.postJson('/api/submissions', { labId: LAB, files: [{ path: 'main.tf', content: MAIN_TF }] });
    expect(r.status).toBe(202);
    const id = r.json<{ submissionId: string }>().submissionId;
    expectError(await unchanged(() => b.s.get(`/api/submissions/${id}`)), 404, /./);
    expectError(await unchanged(() => b.s.get('/api/submissions/..%2F..%2Fetc')), 400, /address/);
    await settle();
  });

  it('41. a method a route does not take: 405 with a message and Allow', async () => {
    const r = await unchanged(() => new Session().request('POST', '/api/me', { headers: { origin: BASE } }));
    expectError(r, 405, /only takes GET/);
    expect(r.headers.allow).toBe('GET');
    expectError(await new Session().request('DELETE', '/api/submissions/abcdefghijkl', { headers: { origin: BASE } }), 405, /only takes GET/);
  });

  it('42. bad query parameters: 400 with the reason', async () => {
    const { s } = await signedIn();
    expectError(await unchanged(() => s.get('/api/me?week=99&slug=intro')), 400, /week must be 0-10/);
    expectError(await unchanged(() => s.get('/api/me?week=1&slug=%3Cscript%3E')), 400, /slug/);
  });

  it('43. a lab id that is not one: 400; one that does not exist: 404', async () => {
    expectError(await new Session().get('/api/labs/..%2F..%2Fetc/starter'), 400, /address/);
    expectError(await new Session().get('/api/labs/week99-nothing/starter'), 404, /No such lab/);
  });

  it('44. an unknown page: 404 with a readable page, no stack', async () => {
    const r = await new Session().get('/no/such/page');
    expect(r.status).toBe(404);
    expect(r.text).not.toMatch(/\bat [\w.<>]+ \(/);
  });
});

describe('security headers (production build)', () => {
  const expectHeaders = (r: Res) => {
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(r.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['strict-transport-security']).toBeUndefined(); // plain http: no HSTS
  };

  it('45. on pages, lessons served by server.ts, API answers and errors', async () => {
    const s = new Session();
    const week = await s.get('/weeks/1');
    const slug = /href="\/weeks\/1\/([a-z0-9-]+)"/.exec(week.text)?.[1];
    expect(slug).toBeTruthy();
    for (const p of ['/', '/login', `/weeks/1/${slug}`, '/api/health', '/no/such/page']) expectHeaders(await s.get(p));
    expectHeaders(await s.request('POST', '/api/submissions', { headers: { 'content-type': 'application/json' }, body: '{}' }));
  });

  it('46. HSTS when the site is behind TLS (NEXTAUTH_URL https)', async () => {
    const load = async (url: string) => {
      process.env.NEXTAUTH_URL = url;
      const mod = (await import(`${path.join(ROOT, 'next.config.js')}?t=${crypto.randomUUID()}`)) as {
        default: { headers: () => Promise<{ headers: { key: string; value: string }[] }[]> };
      };
      return (await mod.default.headers())[0]!.headers;
    };
    const saved = process.env.NEXTAUTH_URL;
    try {
      expect((await load('https://lms.example.org')).find((h) => h.key === 'Strict-Transport-Security')?.value).toMatch(/max-age=\d{7,}/);
      expect((await load('http://localhost:3000')).find((h) => h.key === 'Strict-Transport-Security')).toBeUndefined();
    } finally {
      process.env.NEXTAUTH_URL = saved;
    }
  });

  it('47. lessons and the lab page run under the CSP in Chromium: no violation, islands work', async () => {
    const { chromium } = await import('playwright');
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
    try {
      const page = await browser.newPage();
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
      });
      await page.goto(`${BASE}/weeks/1`);
      const href = await page.locator('a[href^="/weeks/1/"]').first().getAttribute('href');
      // the header island asks /api/me once its script runs: proof the page's JavaScript is allowed to run
      const island = page.waitForResponse((r) => r.url().includes('/api/me'), { timeout: 20_000 });
      await page.goto(`${BASE}${href}`);
      expect((await island).status()).toBe(200);
      await page.waitForLoadState('networkidle');
      await page.goto(`${BASE}/labs/${LAB}`);
      await page.waitForLoadState('networkidle');
      await page.goto(`${BASE}/login`);
      await page.waitForLoadState('networkidle');
      expect(violations).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe('server actions, walked as every role', () => {
  type Role = 'anonymous' | 'learner' | 'insider' | 'instructor';
  /**
   * Every server action in the build, with an input that is valid for it and aims at somebody else's data, and the
   * callers that must be refused: `anonymous` (no session), `learner` (signed in, in nothing of the victim's),
   * `insider` (a learner in the victim's cohort and group, neither its instructor nor the group's owner) and
   * `instructor` (teaches another cohort). Actions that act only on the caller (sign-up, password, preferences,
   * progress, submitting, joining or creating one's own group) are walked as `anonymous` only: any signed-in caller
   * acts on themselves. A new action fails this test until it is added here.
   */
  type Victim = { cohortId: string; learnerId: string; submissionId: string; groupId: string; ownerId: string; email: string };
  const table: Record<string, { as: Role[]; input: (v: Victim) => unknown }> = {
    'app/actions/account.ts#signUp': { as: [], input: () => ({}) }, // public: cases 10-14
    'app/actions/account.ts#changePasswordAction': { as: ['anonymous'], input: () => ({ current: PASSWORD, next: 'another-password-2026' }) },
    'app/actions/admin.ts#setRoleAction': { as: ['anonymous', 'learner', 'insider', 'instructor'], input: (v) => ({ userId: v.learnerId, role: 'ADMIN' }) },
    'app/actions/cohorts.ts#createCohortAction': {
      as: ['anonymous', 'learner', 'insider'],
      input: () => ({ name: 'Mine', start: '2026-01-05', latePenaltyPct: 0 }),
    },
    'app/actions/cohorts.ts#joinCohortAction': { as: ['anonymous'], input: () => ({ code: 'AAAAAAAAAAAA' }) },
    // an e-mail invite is answered only by the person whose address it is: nobody here has one for the victim's cohort
    'app/actions/cohorts.ts#acceptInviteAction': { as: ['anonymous', 'learner', 'insider', 'instructor'], input: (v) => ({ cohortId: v.cohortId }) },
    'app/actions/cohorts.ts#declineInviteAction': { as: ['anonymous', 'learner', 'insider', 'instructor'], input: (v) => ({ cohortId: v.cohortId }) },
    'app/actions/cohorts.ts#regradeLabAction': { as: ['anonymous', 'learner', 'insider', 'instructor'], input: (v) => ({ cohortId: v.cohortId, labId: LAB }) },
    'app/actions/cohorts.ts#regradeSubmissionAction': {
      as: ['anonymous', 'learner', 'insider', 'instructor'],
      input: (v) => ({ cohortId: v.cohortId, submissionId: v.submissionId }),
    },
    'app/actions/cohorts.ts#setWebhookAction': {
      as: ['anonymous', 'learner', 'insider', 'instructor'],
      input: (v) => ({ cohortId: v.cohortId, webhook: { url: 'https://hooks.example.org/x', kind: 'slack' }, stuckAfter: 1 }),
    },
    'app/actions/cohorts.ts#inviteEmailsAction': {
      as: ['anonymous', 'learner', 'insider', 'instructor'],
      input: (v) => ({ cohortId: v.cohortId, text: 'intruder@hostile.lms' }),
    },
    'app/actions/cohorts.ts#revokeInviteAction': {
      as: ['anonymous', 'learner', 'insider', 'instructor'],
      input: (v) => ({ cohortId: v.cohortId, email: v.email }),
    },
    'app/actions/cohorts.ts#removeMemberAction': {
      as: ['anonymous', 'learner', 'insider', 'instructor'],
      input: (v) => ({ cohortId: v.cohortId, userId: v.learnerId }),
    },
    'app/actions/cohorts.ts#rotateInviteAction': { as: ['anonymous', 'learner', 'insider', 'instructor'], input: (v) => ({ cohortId: v.cohortId }) },
    'app/actions/cohorts.ts#setScheduleAction': { as: ['anonymous', 'learner', 'insider', 'instructor'], input: (v) => ({ cohortId: v.cohortId, weeks: [] }) },
    'app/actions/cohorts.ts#fillScheduleAction': {
      as: ['anonymous', 'learner', 'insider', 'instructor'],
      input: (v) => ({ cohortId: v.cohortId, start: '2020-01-06T09:00' }),
    },
    'app/actions/cohorts.ts#setLatePolicyAction': {
      as: ['anonymous', 'learner', 'insider', 'instructor'],
      input: (v) => ({ cohortId: v.cohortId, latePenaltyPct: 100 }),
    },
    'app/actions/cohorts.ts#setExtensionAction': {
      as: ['anonymous', 'learner', 'insider', 'instructor'],
      input: (v) => ({ cohortId: v.cohortId, userId: v.learnerId, week: 1, dueAt: '2099-01-01T09:00' }),
    },
    'app/actions/cohorts.ts#overrideGradeAction': {
      as: ['anonymous', 'learner', 'insider', 'instructor'],
      input: (v) => ({ cohortId: v.cohortId, userId: v.learnerId, labId: LAB, score: 0, reason: 'mine now' }),
    },
    'app/actions/cohorts.ts#regradeEverywhereAction': { as: ['anonymous', 'learner', 'insider', 'instructor'], input: () => ({ labId: LAB }) },
    'app/actions/groups.ts#createGroupAction': { as: ['anonymous'], input: () => ({ name: 'A group' }) },
    'app/actions/groups.ts#joinGroupAction': { as: ['anonymous'], input: () => ({ code: 'AAAAAAAAAAAA' }) },
    'app/actions/groups.ts#leaveGroupAction': { as: ['anonymous', 'learner', 'instructor'], input: (v) => ({ groupId: v.groupId }) }, // the insider may leave: it is their own membership
    'app/actions/groups.ts#removeMemberAction': {
      as: ['anonymous', 'learner', 'insider', 'instructor'],
      input: (v) => ({ groupId: v.groupId, userId: v.ownerId }),
    },
    'app/actions/groups.ts#rotateInviteAction': { as: ['anonymous', 'learner', 'insider', 'instructor'], input: (v) => ({ groupId: v.groupId }) },
    'app/actions/groups.ts#setLeaderboardAction': { as: ['anonymous', 'learner', 'instructor'], input: (v) => ({ groupId: v.groupId, on: true }) }, // a member sets their own flag
    'app/actions/groups.ts#setGroupPaceAction': {
      as: ['anonymous', 'learner', 'insider', 'instructor'],
      input: (v) => ({ groupId: v.groupId, cohortId: v.cohortId }),
    },
    'app/actions/preferences.ts#setLanguage': { as: [], input: () => 'en' }, // public: a cookie for this browser
    'app/actions/preferences.ts#setTimeZone': { as: ['anonymous'], input: () => 'Europe/Berlin' },
    'app/actions/preferences.ts#setTheme': { as: [], input: () => 'dark' }, // public: the theme cookie for this browser (and the account when signed in)
    'app/actions/progress.ts#markLesson': { as: ['anonymous'], input: () => ({ week: 1, slug: 'intro', state: 'DONE' }) },
    'app/actions/submissions.ts#submitLab': { as: ['anonymous'], input: () => Object.assign(new FormData(), {}) },
  };

  /** Everything about the victim's cohort, group and people that an action could change, as one comparable value. */
  async function fingerprint(v: Victim) {
    const db = getDb();
    const [cohort, weeks, members, invites, extensions, overrides, submissions, group, groupMembers, people] = await Promise.all([
      db.cohort.findUniqueOrThrow({ where: { id: v.cohortId } }),
      db.cohortWeek.findMany({ where: { cohortId: v.cohortId }, orderBy: { week: 'asc' } }),
      db.cohortMember.findMany({ where: { cohortId: v.cohortId }, orderBy: { userId: 'asc' } }),
      db.cohortInvite.findMany({ where: { cohortId: v.cohortId }, orderBy: { email: 'asc' } }),
      db.extension.findMany({ where: { cohortId: v.cohortId } }),
      db.gradeOverride.findMany({ where: { cohortId: v.cohortId } }),
      db.submission.count(),
      db.studyGroup.findUniqueOrThrow({ where: { id: v.groupId } }),
      db.groupMember.findMany({ where: { groupId: v.groupId }, orderBy: { userId: 'asc' } }),
      db.user.findMany({ where: { id: { in: [v.learnerId, v.ownerId] } }, select: { id: true, role: true, sessionVersion: true }, orderBy: { id: 'asc' } }),
    ]);
    return { cohort, weeks, members, invites, extensions, overrides, submissions, group, groupMembers, people };
  }

  it('48. every server action, as each caller who must be refused: a readable refusal, nothing written', async () => {
    const db = getDb();
    // The victim: an instructor's cohort (one member with a graded submission, one open invite, a schedule) and a
    // study group following it, owned by the member.
    const teacher = await account({ role: 'INSTRUCTOR' });
    const learner = await account();
    const cohort = await db.cohort.create({
      data: { name: 'Victim cohort', instructorId: teacher.id, inviteCode: crypto.randomBytes(9).toString('base64url'), latePenaltyPct: 10 },
    });
    await db.cohortWeek.create({
      data: { cohortId: cohort.id, week: 1, unlockAt: new Date(Date.now() - 86_400_000), dueAt: new Date(Date.now() + 86_400_000) },
    });
    await db.cohortInvite.create({ data: { cohortId: cohort.id, email: `invited-${cohort.id}@hostile.lms` } });
    const sub = await db.submission.create({ data: { userId: learner.id, labId: LAB, status: 'GRADED', phase: 'finished' } });
    const group = await db.studyGroup.create({
      data: { name: 'Victim group', ownerId: learner.id, inviteCode: crypto.randomBytes(9).toString('base64url'), cohortId: cohort.id },
    });
    await db.groupMember.create({ data: { groupId: group.id, userId: learner.id } });
    const v: Victim = {
      cohortId: cohort.id,
      learnerId: learner.id,
      submissionId: sub.id,
      groupId: group.id,
      ownerId: learner.id,
      email: `invited-${cohort.id}@hostile.lms`,
    };

    const insider = await signedIn();
    await db.cohortMember.createMany({
      data: [
        { cohortId: cohort.id, userId: learner.id },
        { cohortId: cohort.id, userId: insider.id },
      ],
    });
    await db.groupMember.create({ data: { groupId: group.id, userId: insider.id } });
    const callers: Record<Role, Session> = {
      anonymous: new Session(),
      learner: (await signedIn()).s,
      insider: insider.s,
      instructor: (await signedIn({ role: 'INSTRUCTOR' })).s,
    };

    // The table covers the build: no action is left out, none is listed that the build does not have.
    const built = Object.values(serverActions())
      .filter((e) => e.filename.startsWith('app/actions/'))
      .map((e) => `${e.filename}#${e.exportedName}`);
    expect([...new Set(built)].sort()).toEqual(Object.keys(table).sort());

    const before = await fingerprint(v);
    const refusals: string[] = [];
    for (const [key, entry] of Object.entries(table)) {
      const [file, name] = key.split('#') as [string, string];
      for (const role of entry.as) {
        const { res, value } = await unchanged(() => callers[role].action(file, name, entry.input(v)));
        const what = `${key} as ${role}`;
        expect(res.status, what).toBe(200);
        expect(value, `${what}: ${res.text.slice(0, 200)}`).toMatchObject({ ok: false });
        // refused for who is asking (not for a malformed input, which would prove nothing about access)
        expect(value!.fields, what).toBeUndefined();
        expect(value!.error, what).toMatch(role === 'anonymous' ? /sign in|로그인/i : /access|권한|not found|no such|owner|찾을 수/i);
        refusals.push(what);
      }
    }
    expect(await fingerprint(v)).toEqual(before);
    expect(refusals.length).toBeGreaterThanOrEqual(80);

    // Control: the same calls from the right people do run (the walk above reached the actions).
    const owner = new Session();
    expect((await owner.signIn(learner.email, PASSWORD)).status).toBe(200);
    const teacherSession = new Session();
    expect((await teacherSession.signIn(teacher.email, PASSWORD)).status).toBe(200);
    const rotated = await teacherSession.action('app/actions/cohorts.ts', 'rotateInviteAction', table['app/actions/cohorts.ts#rotateInviteAction']!.input(v));
    expect(rotated.value, rotated.res.text.slice(0, 200)).toMatchObject({ ok: true });
    const late = await teacherSession.action('app/actions/cohorts.ts', 'setLatePolicyAction', table['app/actions/cohorts.ts#setLatePolicyAction']!.input(v));
    expect(late.value).toMatchObject({ ok: true });
    const kicked = await owner.action('app/actions/groups.ts', 'removeMemberAction', { groupId: group.id, userId: insider.id });
    expect(kicked.value).toMatchObject({ ok: true });
    const after = await fingerprint(v);
    expect(after.cohort.inviteCode).not.toBe(before.cohort.inviteCode);
    expect(after.cohort.latePenaltyPct).toBe(100);
    expect(after.groupMembers.map((m) => m.userId)).toEqual([learner.id]);
  });
});

describe('the course, as a guest', () => {
  it('49. every lab page, week page and lesson renders for a guest in both languages (a missing part of the course is a failure, not a 500 in production)', async () => {
    const { listLabs } = await import('@/lib/labs/registry');
    const { listLessons } = await import('@/lib/content/index');
    const labs = listLabs().filter((l) => !l.manifest.id.startsWith('test-'));
    const lessons = listLessons();
    // Every week of the ten has its build lab and its troubleshooting lab (issue 17), and at least five lessons.
    for (let w = 1; w <= 10; w++) {
      expect(new Set(labs.filter((l) => l.manifest.week === w).map((l) => l.manifest.purpose)), `week ${w}'s labs`).toEqual(new Set(['build', 'troubleshoot']));
    }
    expect(lessons.length).toBeGreaterThanOrEqual(50);
    const bad: string[] = [];
    for (const lang of ['ko', 'en']) {
      const s = new Session();
      s.cookies.set('lang', lang);
      const pages = [
        ...labs.map((l) => `/labs/${l.manifest.id}`),
        ...[...new Set(lessons.map((l) => l.week))].map((w) => `/weeks/${w}`),
        ...lessons.map((l) => `/weeks/${l.week}/${l.slug}`),
      ];
      for (const p of pages) {
        const r = await s.get(p);
        if (r.status !== 200) bad.push(`${lang} ${p}: ${r.status}`);
        else if (p.startsWith('/labs/') && !r.text.includes(`/api/labs/${p.slice(6)}/starter`))
          bad.push(`${lang} ${p}: no starter link (instructions not rendered?)`);
      }
    }
    expect(bad).toEqual([]);
  });
});
