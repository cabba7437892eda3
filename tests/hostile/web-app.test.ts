/**
 * The web app under attack from its own users, against the running production build (cases 50-55; `bin/lms test
 * hostile`): a diff that froze the web process, an open redirect after sign-in, sign-up telling who has an account and
 * taking unlimited tries. Each case asserts what the attacker gets back and that nothing else was touched.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Redis } from 'ioredis';
import { getDb } from '@/lib/db';
import { hashPassword } from '@/lib/auth/password';
import { BASE, Session, snapshot, delta, loopback } from './client';

const PASSWORD = 'hostile-password-2026';
const LAB = 'week01-terraform-vpc';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function account(opts: { name?: string } = {}) {
  const email = `w-${crypto.randomBytes(5).toString('hex')}@hostile.lms`;
  const u = await getDb().user.create({ data: { email, name: opts.name ?? 'Web Tester', role: 'LEARNER', passwordHash: await hashPassword(PASSWORD) } });
  return { email, id: u.id };
}

async function signedIn() {
  const a = await account();
  const s = new Session();
  const r = await s.signIn(a.email, PASSWORD);
  expect(r.status, r.text).toBe(200);
  expect((await s.me()).user).not.toBeNull();
  return { ...a, s };
}

let redis: Redis;
beforeAll(async () => {
  expect((await fetch(`${BASE}/api/health`)).ok).toBe(true);
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
});
afterAll(async () => {
  // the sign-in and sign-up counters of the addresses used here would otherwise outlive the suite
  const keys = await redis.keys(`${process.env.REDIS_PREFIX}:limit:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

describe('the attempt diff (lab page)', () => {
  /** Two attempts of the learner's, stored as if submitted (the files within the lab's limits). */
  async function attempts(userId: string, before: Record<string, string>, after: Record<string, string>) {
    const db = getDb();
    const make = (files: Record<string, string>, at: Date) =>
      db.submission.create({
        data: {
          userId,
          labId: LAB,
          status: 'ERROR',
          phase: 'finished',
          error: 'stored by the hostile suite',
          createdAt: at,
          files: { create: Object.entries(files).map(([path, c]) => ({ path, content: Buffer.from(c) })) },
        },
      });
    const older = await make(before, new Date(Date.now() - 60_000));
    const newer = await make(after, new Date());
    return `/labs/${LAB}?s=${newer.id}&diff=${older.id}`;
  }

  /** Requests `path` while another client asks /api/health every 50 ms; the slowest health answer and the page. */
  async function whileHealthPolled(s: Session, path: string) {
    let done = false;
    const health: number[] = [];
    const poll = (async () => {
      const probe = new Session();
      while (!done) {
        const t0 = performance.now();
        const r = await probe.get('/api/health');
        health.push(performance.now() - t0);
        expect(r.status).toBe(200);
        await sleep(50);
      }
    })();
    await sleep(120);
    const t0 = performance.now();
    const page = await s.get(path);
    const took = performance.now() - t0;
    done = true;
    await poll;
    return { page, took, slowestHealth: Math.max(...health), polls: health.length };
  }

  it('50. two large unrelated attempts: the health check keeps answering (under 1 s) while the diff is drawn, and the page says what it left out', async () => {
    const { s, id } = await signedIn();
    s.cookies.set('lang', 'en');
    // 5,000 lines each, 110 KB (the lab takes 128 KB a file): 8.6 s of a frozen web process with the quadratic diff
    const lines = (tag: string) => Array.from({ length: 5000 }, (_, i) => `# ${tag}${i} ${crypto.randomBytes(6).toString('hex')}\n`).join('');
    const url = await attempts(id, { 'main.tf': lines('a') }, { 'main.tf': lines('b') });
    const r = await whileHealthPolled(s, url);
    expect(r.page.status).toBe(200);
    expect(r.slowestHealth, `slowest /api/health ${Math.round(r.slowestHealth)} ms over ${r.polls} polls`).toBeLessThan(1000);
    expect(r.took).toBeLessThan(5000);
    expect(r.page.text).toContain('data-testid="attempt-diff"');
    // 10,000 changed lines: a bounded number drawn, the rest counted and said
    const omitted = Number(/data-omitted="(\d+)"/.exec(r.page.text)?.[1]);
    expect(omitted).toBeGreaterThan(5000);
    expect(r.page.text).toContain('more changed lines are not shown here');

    // The worst the lab allows: four files of 128 KB, 2-byte lines that half match (far past the diff's step budget).
    const short = () => Array.from({ length: 64 * 1024 }, () => `${crypto.randomInt(4)}\n`).join('');
    const files = (n: number) => Object.fromEntries([['main.tf', short()], ...Array.from({ length: n - 1 }, (_, i) => [`extra${i}.tf`, short()])]);
    const worst = await whileHealthPolled(s, await attempts(id, files(4), files(4)));
    expect(worst.page.status).toBe(200);
    expect(worst.slowestHealth, `slowest /api/health ${Math.round(worst.slowestHealth)} ms`).toBeLessThan(1000);
    expect(worst.page.text).toContain('data-exact="false"');
    expect(worst.page.text).toContain('shown as replaced whole');
  });
});

describe('sign-in redirects', () => {
  let attacker: http.Server;
  const hits: string[] = [];
  let evil = '';
  beforeAll(async () => {
    attacker = http.createServer((req, res) => {
      hits.push(req.url ?? '');
      res.end('phished');
    });
    await new Promise<void>((ok) => attacker.listen(0, '127.0.0.1', () => ok()));
    evil = `127.0.0.1:${(attacker.address() as { port: number }).port}`;
  });
  afterAll(() => {
    attacker.closeAllConnections();
    attacker.close();
  });

  it('51. a callbackUrl aimed at another host (/\\host, /<tab>/host, //host, absolute, dot segments) lands on this site after signing in, in Chromium', async () => {
    const payloads = [
      `/\\${evil}/backslash`,
      `/\t/${evil}/tab`,
      `/\n/${evil}/newline`,
      `//${evil}/double`,
      `/\\/${evil}/mixed`,
      `\\\\${evil}/two-backslashes`,
      `http://${evil}/absolute`,
      `/.//${evil}/dot`,
      ` //${evil}/space`,
    ];
    const a = await account();
    const { chromium } = await import('playwright');
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
    const landed: Record<string, string> = {};
    try {
      const signIn = async (callbackUrl: string) => {
        const ctx = await browser.newContext();
        try {
          const page = await ctx.newPage();
          await page.goto(`${BASE}/login?callbackUrl=${encodeURIComponent(callbackUrl)}`);
          await page.locator('input[name=email]').fill(a.email);
          await page.locator('input[name=password]').fill(PASSWORD);
          await page.locator('form button[type=submit]').click();
          // wherever the browser goes: this site's pages, or the attacker's
          await page.waitForURL((u) => u.host === evil || (u.origin === new URL(BASE).origin && !u.pathname.startsWith('/login')), { timeout: 30_000 });
          return page.url();
        } finally {
          await ctx.close();
        }
      };
      for (const p of payloads) landed[p] = await signIn(p);
      // control: a path on this site is kept, query and all
      expect(new URL(await signIn('/labs/week01-terraform-vpc?from=login')).pathname).toBe('/labs/week01-terraform-vpc');
    } finally {
      await browser.close();
    }
    expect(hits).toEqual([]);
    for (const [p, url] of Object.entries(landed)) expect(new URL(url).origin, JSON.stringify(p)).toBe(new URL(BASE).origin);

    // next-auth's own redirect (the callbackUrl it reads from a form post) stays on this site too
    const s = new Session();
    for (const callbackUrl of [`/\\${evil}/x`, `http://${evil}/x`, `//${evil}/x`]) {
      const { csrfToken } = (await s.get('/api/auth/csrf')).json<{ csrfToken: string }>();
      const r = await s.request('POST', '/api/auth/callback/credentials', {
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: BASE },
        body: new URLSearchParams({ email: a.email, password: PASSWORD, csrfToken, callbackUrl, json: 'true' }).toString(),
      });
      expect(new URL(r.json<{ url: string }>().url).origin, callbackUrl).toBe(new URL(BASE).origin);
    }
  });
});

describe('sign-up', () => {
  const signUp = (s: Session, input: unknown) => s.action('app/actions/account.ts', 'signUp', input);

  it('52. an e-mail that already has an account gets exactly the answer a new one gets, and that account is left as it was', async () => {
    const db = getDb();
    const owner = await account({ name: 'The Owner' });
    const before = await db.user.findUniqueOrThrow({ where: { id: owner.id } });
    const fresh = `fresh-${crypto.randomUUID()}@hostile.lms`;
    const counts = await snapshot();
    const taken = await signUp(new Session(), { name: 'Intruder', email: owner.email.toUpperCase(), password: 'intruder-password-2026', lang: 'en' });
    const created = await signUp(new Session(), { name: 'Newcomer', email: fresh, password: 'newcomer-password-2026', lang: 'en' });
    expect(taken.res.status).toBe(created.res.status);
    expect(taken.value, taken.res.text.slice(0, 300)).toEqual(created.value);
    expect(created.value).toMatchObject({ ok: true });
    expect(taken.res.text).toBe(created.res.text); // byte for byte: nothing else in the answer tells them apart
    expect(delta(counts, await snapshot())).toEqual({ users: 1 }); // only the new address became an account
    // the owner's account: every column as it was; their password still opens it, the intruder's does not
    expect(await db.user.findUniqueOrThrow({ where: { id: owner.id } })).toEqual(before);
    const intruder = new Session();
    await intruder.signIn(owner.email, 'intruder-password-2026');
    expect((await intruder.me()).user).toBeNull();
    const self = new Session();
    expect((await self.signIn(owner.email, PASSWORD)).status).toBe(200);
    expect((await self.me()).user?.name).toBe('The Owner');
  });

  it('53. sign-up is limited per address and per e-mail; the limit reads the same for an e-mail with an account and one without', async () => {
    const input = (email: string) => ({ name: 'Sprayer', email, password: 'sprayer-password-2026', lang: 'en' });
    /** Sign-ups until one is refused (at most `cap`); the number accepted first and the refusal's message. */
    const until = async (cap: number, next: () => [Session, string]) => {
      for (let n = 0; n < cap; n++) {
        const [s, email] = next();
        const { value } = await signUp(s, input(email));
        if (!value?.ok) return { accepted: n, error: value?.error ?? '' };
      }
      return { accepted: cap, error: '' };
    };
    // one address, many e-mails (finding accounts, or filling the user table)
    const from = loopback();
    const perAddress = await until(100, () => [new Session(from), `spray-${crypto.randomUUID()}@hostile.lms`]);
    expect(perAddress.accepted).toBeLessThan(100);
    expect(perAddress.error).toMatch(/too many|너무 많/i);
    const counts = await snapshot();
    expect((await signUp(new Session(from), input(`spray-${crypto.randomUUID()}@hostile.lms`))).value).toMatchObject({ ok: false });
    expect(delta(counts, await snapshot())).toEqual({}); // refused before anything is written
    expect((await signUp(new Session(), input(`elsewhere-${crypto.randomUUID()}@hostile.lms`))).value).toMatchObject({ ok: true }); // another place is not affected

    // one e-mail from many places: an account's, and one that has none yet; refused at the same count, same words
    const owner = await account();
    const newcomer = `newcomer-${crypto.randomUUID()}@hostile.lms`;
    const taken = await until(20, () => [new Session(), owner.email]);
    const free = await until(20, () => [new Session(), newcomer]);
    expect(taken.accepted).toBeLessThan(20);
    expect(taken).toEqual(free);
    // the owner is not locked out of their account by it
    const self = new Session();
    expect((await self.signIn(owner.email, PASSWORD)).status).toBe(200);
    expect((await self.me()).user).not.toBeNull();

    const { SIGNUP_LIMITS } = await import('@/lib/security/signup-limit');
    expect(perAddress.accepted).toBe(SIGNUP_LIMITS.perAddress.max);
    expect(taken.accepted).toBe(SIGNUP_LIMITS.perEmail.max);
  });
});

describe('self-check answers', () => {
  it('56. a quiz answer is judged by the server against the lesson, recorded once per quiz (first and latest), and refused without a session, from another site, or for a quiz the lesson does not have', async () => {
    const week = 7;
    const slug = 'prometheus-and-promql';
    const { quizKey } = await import('@/lib/progress/quiz-answers');
    const key = quizKey(week, slug, 'en')!;
    expect(key.length).toBeGreaterThan(0);
    const wrong = (key[0]!.answer + 1) % key[0]!.options;
    const { id, s } = await signedIn();
    const rows = () => getDb().quizAnswer.findMany({ where: { userId: id } });
    // no session
    const anon = await new Session().postJson('/api/quiz-answers', { week, slug, quiz: 0, choice: 0, lang: 'en' });
    expect(anon.status).toBe(401);
    // another site (CSRF)
    const cross = await s.postJson('/api/quiz-answers', { week, slug, quiz: 0, choice: 0, lang: 'en' }, { origin: 'https://evil.example' });
    expect(cross.status).toBe(403);
    // a quiz or an option the lesson does not have, a lesson that does not exist, a client that claims correctness
    expect((await s.postJson('/api/quiz-answers', { week, slug, quiz: key.length, choice: 0, lang: 'en' })).status).toBe(404);
    expect((await s.postJson('/api/quiz-answers', { week, slug, quiz: 0, choice: key[0]!.options, lang: 'en' })).status).toBe(404);
    expect((await s.postJson('/api/quiz-answers', { week, slug: 'no-such-lesson', quiz: 0, choice: 0, lang: 'en' })).status).toBe(404);
    expect((await s.postJson('/api/quiz-answers', { week, slug, quiz: 0, choice: 0, lang: 'en', correct: true })).status).toBe(400);
    expect(await rows()).toEqual([]);
    // a wrong first answer, then the right one: both judged by the lesson, the first kept
    const first = await s.postJson('/api/quiz-answers', { week, slug, quiz: 0, choice: wrong, lang: 'en' });
    expect(first.status, first.text).toBe(200);
    expect(first.json<{ correct: boolean }>().correct).toBe(false);
    const second = await s.postJson('/api/quiz-answers', { week, slug, quiz: 0, choice: key[0]!.answer, lang: 'ko' });
    expect(second.json<{ correct: boolean; attempts: number }>()).toEqual({ correct: true, attempts: 2 });
    const [row] = await rows();
    expect(row).toMatchObject({ week, slug, quiz: 0, firstChoice: wrong, firstCorrect: false, lastChoice: key[0]!.answer, lastCorrect: true, attempts: 2 });
    // the reader's page gets their answers back, and a stable seed for their own order (not their id)
    const me = (await s.get(`/api/me?week=${week}&slug=${slug}`)).json<{
      quizSeed: string;
      quizzes: { quiz: number; choice: number; firstCorrect: boolean }[];
    }>();
    expect(me.quizzes).toEqual([{ quiz: 0, choice: key[0]!.answer, firstCorrect: false }]);
    expect(me.quizSeed).toMatch(/^[\w-]{16}$/);
    expect(me.quizSeed).not.toContain(id);
    expect((await s.get(`/api/me?week=${week}&slug=${slug}`)).json<{ quizSeed: string }>().quizSeed).toBe(me.quizSeed);
  });
});
