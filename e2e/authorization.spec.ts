/**
 * The authorization walk: every page and route handler under app/ (found on disk, so a new one cannot be missed),
 * requested as a guest, as each role, and as the owner of someone else's data. Each URL has a rule saying who may
 * see it; a route with no rule fails the test. Where a page is allowed, it must not carry another user's data.
 * Server actions are covered by tests/unit/actions-guarded.test.ts (every exported action goes through `action()`).
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { test, expect, request as pwRequest, type APIRequestContext } from '@playwright/test';
import { hash } from '@node-rs/argon2';

const ROOT = path.resolve(import.meta.dirname, '..');
const BASE = process.env.E2E_BASE_URL ?? 'http://localhost:3100';
const PASSWORD = 'devops-demo-2026';

type Who = 'guest' | 'learner1' | 'learner2' | 'instructor' | 'otherInstructor' | 'admin';
const EVERYONE: Who[] = ['guest', 'learner1', 'learner2', 'instructor', 'otherInstructor', 'admin'];
const SIGNED_IN: Who[] = EVERYONE.filter((w) => w !== 'guest');

/** Route files → URL patterns: app/(site)/labs/[id]/page.tsx → /labs/[id]. */
function routes(): { pattern: string; kind: 'page' | 'api' }[] {
  const out: { pattern: string; kind: 'page' | 'api' }[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'page.tsx' || e.name === 'route.ts') {
        const rel = path.relative(path.join(ROOT, 'app'), path.dirname(p));
        const segs = rel.split(path.sep).filter((s) => s && !/^\(.*\)$/.test(s));
        out.push({ pattern: '/' + segs.join('/'), kind: e.name === 'page.tsx' ? 'page' : 'api' });
      }
    }
  };
  walk(path.join(ROOT, 'app'));
  return out;
}

interface Ids {
  cohortId: string;
  groupId: string;
  learner1Id: string;
  submissionId: string;
  batchId: string | null;
  cohortCode: string;
  groupCode: string;
  /** learner1's workspace (a stopped one, on a lab the workspace spec does not open). */
  workspaceId: string;
}

/**
 * Who may open each route. `allow` lists who gets a 200; everyone else must be refused (401/403/404 or a redirect to
 * the sign-in page). `secret` is text from data the refused must never see, and the allowed only when they own it.
 */
interface Rule {
  match: RegExp;
  url: (ids: Ids) => string | null;
  allow: Who[];
  /** Neither asserted allowed nor refused (a policy still open), listed so it is a decision, not an oversight. */
  maybe?: Who[];
  /** Not walked: with a reason (e.g. next-auth's own endpoints, which it guards itself). */
  skip?: string;
}

const RULES: Rule[] = [
  { match: /^\/$/, url: () => '/', allow: EVERYONE },
  { match: /^\/roadmap$/, url: () => '/roadmap', allow: EVERYONE },
  { match: /^\/weeks\/\[week\]$/, url: () => '/weeks/1', allow: EVERYONE },
  { match: /^\/lessons\/\[lang\]\/\[week\]\/\[slug\]$/, url: () => '/lessons/en/1/terraform-basics', allow: EVERYONE },
  { match: /^\/login$/, url: () => '/login', allow: EVERYONE },
  { match: /^\/signup$/, url: () => '/signup', allow: EVERYONE },
  { match: /^\/labs\/\[id\]$/, url: () => '/labs/week01-terraform-vpc', allow: EVERYONE },
  { match: /^\/dashboard$/, url: () => '/dashboard', allow: SIGNED_IN },
  { match: /^\/groups$/, url: () => '/groups', allow: SIGNED_IN },
  { match: /^\/groups\/\[[a-zA-Z]+\]$/, url: (i) => `/groups/${i.groupId}`, allow: ['learner1', 'learner2'] },
  { match: /^\/join\/group\/\[[a-zA-Z]+\]$/, url: () => null, allow: [], skip: 'joining changes membership: covered by the groups tests' },
  { match: /^\/join\/cohort\/\[[a-zA-Z]+\]$/, url: () => null, allow: [], skip: 'joining changes membership: covered by the cohorts tests' },
  { match: /^\/instructor$/, url: () => '/instructor', allow: ['instructor', 'otherInstructor', 'admin'] },
  { match: /^\/instructor\/cohorts\/\[[a-zA-Z]+\]$/, url: (i) => `/instructor/cohorts/${i.cohortId}`, allow: ['instructor', 'admin'] },
  { match: /^\/instructor\/cohorts\/\[[a-zA-Z]+\]\/gradebook$/, url: (i) => `/instructor/cohorts/${i.cohortId}/gradebook`, allow: ['instructor', 'admin'] },
  { match: /^\/instructor\/cohorts\/\[[a-zA-Z]+\]\/analytics$/, url: (i) => `/instructor/cohorts/${i.cohortId}/analytics`, allow: ['instructor', 'admin'] },
  {
    match: /^\/instructor\/cohorts\/\[[a-zA-Z]+\]\/learners\/\[[a-zA-Z]+\]$/,
    url: (i) => `/instructor/cohorts/${i.cohortId}/learners/${i.learner1Id}`,
    allow: ['instructor', 'admin'],
  },
  {
    match: /^\/instructor\/cohorts\/\[[a-zA-Z]+\]\/regrades\/\[[a-zA-Z]+\]$/,
    url: (i) => (i.batchId ? `/instructor/cohorts/${i.cohortId}/regrades/${i.batchId}` : null),
    allow: ['instructor', 'admin'],
  },
  { match: /^\/admin(\/.*)?$/, url: () => null, allow: ['admin'] },
  { match: /^\/api\/auth\/\[\.\.\.nextauth\]$/, url: () => null, allow: [], skip: "next-auth's own endpoints (CSRF token, callbacks)" },
  { match: /^\/api\/health$/, url: () => '/api/health', allow: EVERYONE },
  { match: /^\/api\/ready$/, url: () => '/api/ready', allow: EVERYONE },
  { match: /^\/api\/metrics$/, url: () => '/api/metrics', allow: EVERYONE, skip: 'guarded by METRICS_TOKEN when set; scraped by Prometheus, not people' },
  { match: /^\/api\/me$/, url: () => '/api/me', allow: EVERYONE },
  {
    match: /^\/api\/quiz-answers$/,
    url: () => null,
    allow: [],
    skip: "POST only (a signed-in reader's own answers): session, CSRF, bad input and judging in tests/hostile",
  },
  { match: /^\/api\/labs\/\[id\]\/starter$/, url: () => '/api/labs/week01-terraform-vpc/starter', allow: EVERYONE },
  { match: /^\/api\/submissions$/, url: () => null, allow: [], skip: 'POST only (JSON submissions): CSRF, session, limits and bad input in tests/hostile' },
  // The owner and admins; the instructor who teaches the learner's cohort may be given read access for the gradebook.
  { match: /^\/api\/submissions\/\[id\]$/, url: (i) => `/api/submissions/${i.submissionId}`, allow: ['learner1', 'admin'], maybe: ['instructor'] },
  // Workspaces (issue 16): the caller's own, never anyone else's (instructors and admins included: 404, as for an id
  // that does not exist). The terminal's WebSocket (/api/workspaces/<id>/tty) is server.ts's, not a route file: its
  // checks are in tests/integration/workspace-tty.test.ts and e2e/workspace.spec.ts.
  { match: /^\/api\/labs\/\[id\]\/workspace$/, url: () => '/api/labs/week01-terraform-vpc/workspace', allow: SIGNED_IN },
  {
    match: /^\/api\/labs\/\[id\]\/workspace\/(files|reset|submit)$/,
    url: () => null,
    allow: [],
    skip: "PUT/POST only, on the caller's own workspace: e2e/workspace.spec.ts",
  },
  { match: /^\/api\/workspaces\/\[id\]$/, url: (i) => `/api/workspaces/${i.workspaceId}`, allow: ['learner1'] },
  {
    match: /^\/api\/workspaces\/\[id\]\/(check|step)$/,
    url: () => null,
    allow: [],
    skip: 'POST only: 404 for everyone but the owner in e2e/workspace.spec.ts',
  },
  {
    match: /^\/api\/workspaces\/\[id\]\/events$/,
    url: () => null,
    allow: [],
    skip: 'an event stream that stays open: 404 for everyone but the owner in e2e/workspace.spec.ts',
  },
  { match: /^\/api\/cohorts\/\[[a-zA-Z]+\]\/gradebook(\.csv)?$/, url: (i) => `/api/cohorts/${i.cohortId}/gradebook.csv`, allow: ['instructor', 'admin'] },
];

/** Admin pages are walked from the files themselves: every /admin/... page without dynamic segments. */
function urlFor(rule: Rule, pattern: string, ids: Ids): string | null {
  if (rule.match.source.startsWith('^\\/admin')) return /\[/.test(pattern) ? null : pattern;
  return rule.url(ids);
}

const contexts = new Map<Who, APIRequestContext>();

async function signedIn(email: string | null): Promise<APIRequestContext> {
  const ctx = await pwRequest.newContext({ baseURL: BASE });
  if (!email) return ctx;
  const { csrfToken } = (await (await ctx.get('/api/auth/csrf')).json()) as { csrfToken: string };
  const res = await ctx.post('/api/auth/callback/credentials', { form: { csrfToken, email, password: PASSWORD, json: 'true' }, maxRedirects: 0 });
  expect([200, 302]).toContain(res.status());
  const me = (await (await ctx.get('/api/me')).json()) as { user: { name: string } | null };
  expect(me.user, `${email} signed in`).not.toBeNull();
  return ctx;
}

let ids: Ids;
let db: pg.Client;

test.beforeAll(async () => {
  db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  // A second instructor who teaches nothing of the demo data: the "owner of something else".
  const other = 'other-instructor@authz.test';
  await db.query(
    `INSERT INTO "User" (id, email, name, "passwordHash", role, lang, "sessionVersion", "createdAt")
     VALUES ($1, $2, 'Other Instructor', $3, 'INSTRUCTOR', 'en', 0, now()) ON CONFLICT (email) DO NOTHING`,
    ['authzotherinstructor01', other, await hash(PASSWORD)],
  );
  const one = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows[0] as Record<string, string> | undefined;
  const learner1 = (await one(`SELECT id FROM "User" WHERE email = 'learner1@demo.lms'`))!;
  const cohort = (await one(
    `SELECT c.id, c."inviteCode" FROM "Cohort" c JOIN "User" u ON u.id = c."instructorId" WHERE u.email = 'instructor@demo.lms' ORDER BY c."createdAt" LIMIT 1`,
  ))!;
  const group = (await one(
    `SELECT g.id, g."inviteCode" FROM "StudyGroup" g JOIN "User" u ON u.id = g."ownerId" WHERE u.email = 'learner1@demo.lms' ORDER BY g."createdAt" LIMIT 1`,
  ))!;
  // learner1 owns a submission (with a file holding a marker nobody else may ever see).
  let sub = await one(`SELECT id FROM "Submission" WHERE "userId" = $1 AND "labId" = 'week05-k8s-manifests' ORDER BY "createdAt" DESC LIMIT 1`, [learner1.id]);
  if (!sub) {
    await db.query(
      `INSERT INTO "Submission" (id, "userId", "labId", status, phase, attempt, "createdAt") VALUES ('authzsubmission000001', $1, 'week05-k8s-manifests', 'ERROR', 'finished', 0, now())`,
      [learner1.id],
    );
    sub = { id: 'authzsubmission000001' };
  }
  // A regrade batch that touched the demo cohort's members (other specs make batches for their own cohorts).
  const batch = await one(
    `SELECT s."regradeBatchId" AS id FROM "Submission" s JOIN "CohortMember" m ON m."userId" = s."userId" AND m."cohortId" = $1
     WHERE s."regradeBatchId" IS NOT NULL LIMIT 1`,
    [cohort.id],
  );
  // learner1's workspace on week 3's lab (stopped; nothing is started by reading it).
  await db.query(
    `INSERT INTO "Workspace" (id, "userId", "labId", "updatedAt") VALUES ('authzworkspace0000001', $1, 'week03-cicd-workflow', now()) ON CONFLICT ("userId", "labId") DO NOTHING`,
    [learner1.id],
  );
  const ws = (await one(`SELECT id FROM "Workspace" WHERE "userId" = $1 AND "labId" = 'week03-cicd-workflow'`, [learner1.id]))!;
  ids = {
    cohortId: cohort.id!,
    groupId: group.id!,
    learner1Id: learner1.id!,
    submissionId: sub.id!,
    batchId: batch?.id ?? null,
    cohortCode: cohort.inviteCode!,
    groupCode: group.inviteCode!,
    workspaceId: ws.id!,
  };
  const emails: Record<Who, string | null> = {
    guest: null,
    learner1: 'learner1@demo.lms',
    learner2: 'learner2@demo.lms',
    instructor: 'instructor@demo.lms',
    otherInstructor: other,
    admin: 'admin@demo.lms',
  };
  for (const w of EVERYONE) contexts.set(w, await signedIn(emails[w]));
});

test.afterAll(async () => {
  for (const c of contexts.values()) await c.dispose();
  await db?.end();
});

test('every page and route handler refuses whoever its rule does not allow, and has a rule', async () => {
  const found = routes();
  expect(found.length).toBeGreaterThan(10);
  const unruled = found.filter((r) => !RULES.some((x) => x.match.test(r.pattern)));
  expect(
    unruled.map((r) => r.pattern),
    'routes with no authorization rule',
  ).toEqual([]);

  let walked = 0;
  const failures: string[] = [];
  for (const r of found) {
    const rule = RULES.find((x) => x.match.test(r.pattern))!;
    if (rule.skip) continue;
    const url = urlFor(rule, r.pattern, ids);
    if (!url) continue;
    for (const who of EVERYONE) {
      if (rule.maybe?.includes(who)) continue;
      const res = await contexts.get(who)!.get(url, { maxRedirects: 0 });
      const status = res.status();
      const location = res.headers()['location'] ?? '';
      const allowed = rule.allow.includes(who);
      const refused = [401, 403, 404].includes(status) || (status >= 300 && status < 400 && /\/login/.test(location));
      if (allowed && status !== 200) failures.push(`${who} GET ${url}: expected 200, got ${status} ${location}`);
      if (!allowed && !refused) failures.push(`${who} GET ${url}: expected refusal, got ${status} ${location}`);
      if (status >= 500) failures.push(`${who} GET ${url}: server error ${status}`);
      walked++;
    }
  }
  expect(failures).toEqual([]);
  expect(walked).toBeGreaterThan(50);
});

test("no page shows one learner's submission to another", async () => {
  // learner1's submission id appears on their own lab page history and status endpoint, never on learner2's.
  const mine = await (await contexts.get('learner1')!.get(`/api/submissions/${ids.submissionId}`)).json();
  expect(mine).toHaveProperty('status');
  for (const who of ['learner2', 'instructor', 'otherInstructor'] as const) {
    const page = await (await contexts.get(who)!.get('/labs/week05-k8s-manifests')).text();
    expect(page.includes(ids.submissionId), `${who}'s lab page leaks learner1's submission`).toBe(false);
    const dash = await contexts.get(who)!.get('/dashboard');
    expect((await dash.text()).includes(ids.submissionId), `${who}'s dashboard leaks learner1's submission`).toBe(false);
  }
});

test('signing out ends the session, even for a cookie copied before', async () => {
  const ctx = await signedIn('other-instructor@authz.test');
  const state = await ctx.storageState();
  const copy = await pwRequest.newContext({ baseURL: BASE, storageState: state });
  expect(((await (await copy.get('/api/me')).json()) as { user: unknown }).user).not.toBeNull();
  const { csrfToken } = (await (await ctx.get('/api/auth/csrf')).json()) as { csrfToken: string };
  await ctx.post('/api/auth/signout', { form: { csrfToken, callbackUrl: '/' }, maxRedirects: 0 });
  expect(((await (await copy.get('/api/me')).json()) as { user: unknown }).user).toBeNull();
  expect((await copy.get('/instructor', { maxRedirects: 0 })).status()).toBe(307);
  await copy.dispose();
  await ctx.dispose();
});
