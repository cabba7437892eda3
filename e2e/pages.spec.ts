/**
 * Every page, as each role that may open it, in both languages, light and dark (VIEWS below: which combinations each
 * project looks at), at the project's width (desktop, and the phone project's 390×844): it answers 200, <html lang> is the reader's language, nothing is wider than the screen
 * (a wide table scrolls inside its own box), and on the desktop project axe finds no serious or critical violation.
 * The page list follows the authorization walk (e2e/authorization.spec.ts): page files are found on disk, and a page
 * with no entry here fails the test, so a new page cannot be missed. Each page is kept as a screenshot under
 * artifacts/screenshots/pages/<project>/<lang>-<theme>/ (CI keeps artifacts/), and the axe results under
 * artifacts/a11y/.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import AxeBuilder from '@axe-core/playwright';
import { test, expect, type BrowserContext, type Page } from '@playwright/test';

const ROOT = path.resolve(import.meta.dirname, '..');
const PASSWORD = 'devops-demo-2026';
type Role = 'guest' | 'learner1' | 'learner2' | 'instructor' | 'admin';
const EMAIL: Record<Exclude<Role, 'guest'>, string> = {
  learner1: 'learner1@demo.lms',
  learner2: 'learner2@demo.lms',
  instructor: 'instructor@demo.lms',
  admin: 'admin@demo.lms',
};

interface Ids {
  cohortId: string;
  cohortCode: string;
  groupId: string;
  learner1Id: string;
  batchId: string | null;
}

/**
 * Who looks at each page in this sweep: public pages as a guest and as a learner (the header and the lab's editor
 * differ), the rest as the role they are for. `url` null: nothing to show in this database (e.g. no regrade yet).
 */
interface PageRule {
  match: RegExp;
  name: string;
  url: (ids: Ids) => string | null;
  who: Role[];
  skip?: string;
}
const PAGES: PageRule[] = [
  { match: /^\/$/, name: 'home', url: () => '/', who: ['guest', 'learner1'] },
  { match: /^\/roadmap$/, name: 'roadmap', url: () => '/roadmap', who: ['guest', 'learner1'] },
  { match: /^\/weeks\/\[week\]$/, name: 'week', url: () => '/weeks/1', who: ['guest', 'learner1'] },
  // The lesson URL readers use: the language cookie picks the prerendered file (app/lessons/[lang]/...).
  { match: /^\/lessons\/\[lang\]\/\[week\]\/\[slug\]$/, name: 'lesson', url: () => '/weeks/1/terraform-basics', who: ['guest', 'learner1'] },
  { match: /^\/login$/, name: 'login', url: () => '/login', who: ['guest'] },
  { match: /^\/signup$/, name: 'signup', url: () => '/signup', who: ['guest'] },
  { match: /^\/labs\/\[id\]$/, name: 'lab', url: () => '/labs/week01-terraform-vpc', who: ['guest', 'learner1'] },
  { match: /^\/dashboard$/, name: 'dashboard', url: () => '/dashboard', who: ['learner1', 'instructor'] },
  { match: /^\/groups$/, name: 'groups', url: () => '/groups', who: ['learner1'] },
  { match: /^\/groups\/\[[a-zA-Z]+\]$/, name: 'group', url: (i) => `/groups/${i.groupId}`, who: ['learner1'] },
  { match: /^\/join\/cohort\/\[[a-zA-Z]+\]$/, name: 'join-cohort', url: (i) => `/join/cohort/${i.cohortCode}`, who: ['learner2'] },
  { match: /^\/join\/group\/\[[a-zA-Z]+\]$/, name: 'join-group', url: () => null, who: [], skip: 'a redirect to /groups?code=… (the groups page)' },
  { match: /^\/instructor$/, name: 'instructor', url: () => '/instructor', who: ['instructor'] },
  { match: /^\/instructor\/cohorts\/\[[a-zA-Z]+\]$/, name: 'cohort', url: (i) => `/instructor/cohorts/${i.cohortId}`, who: ['instructor'] },
  {
    match: /^\/instructor\/cohorts\/\[[a-zA-Z]+\]\/gradebook$/,
    name: 'gradebook',
    url: (i) => `/instructor/cohorts/${i.cohortId}/gradebook`,
    who: ['instructor'],
  },
  {
    match: /^\/instructor\/cohorts\/\[[a-zA-Z]+\]\/analytics$/,
    name: 'analytics',
    url: (i) => `/instructor/cohorts/${i.cohortId}/analytics`,
    who: ['instructor'],
  },
  {
    match: /^\/instructor\/cohorts\/\[[a-zA-Z]+\]\/learners\/\[[a-zA-Z]+\]$/,
    name: 'cohort-learner',
    url: (i) => `/instructor/cohorts/${i.cohortId}/learners/${i.learner1Id}`,
    who: ['instructor'],
  },
  {
    match: /^\/instructor\/cohorts\/\[[a-zA-Z]+\]\/regrades\/\[[a-zA-Z]+\]$/,
    name: 'regrade',
    url: (i) => (i.batchId ? `/instructor/cohorts/${i.cohortId}/regrades/${i.batchId}` : null),
    who: ['instructor'],
  },
  { match: /^\/admin$/, name: 'admin', url: () => '/admin', who: ['admin'] },
  { match: /^\/admin\/users$/, name: 'admin-users', url: () => '/admin/users', who: ['admin'] },
  { match: /^\/admin\/queue$/, name: 'admin-queue', url: () => '/admin/queue', who: ['admin'] },
  { match: /^\/admin\/audit$/, name: 'admin-audit', url: () => '/admin/audit', who: ['admin'] },
];

/** Page files → URL patterns, as the authorization walk finds them: app/(site)/labs/[id]/page.tsx → /labs/[id]. */
function pagePatterns(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'page.tsx') {
        const rel = path.relative(path.join(ROOT, 'app'), path.dirname(p));
        out.push(
          '/' +
            rel
              .split(path.sep)
              .filter((s) => s && !/^\(.*\)$/.test(s))
              .join('/'),
        );
      }
    }
  };
  walk(path.join(ROOT, 'app'));
  return out.map((p) => (p === '/' ? '/' : p.replace(/\/$/, '')));
}

let ids: Ids;
test.beforeAll(async () => {
  const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  try {
    const one = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows[0] as Record<string, string> | undefined;
    const learner1 = (await one(`SELECT id FROM "User" WHERE email = 'learner1@demo.lms'`))!;
    const cohort = (await one(
      `SELECT c.id, c."inviteCode" FROM "Cohort" c JOIN "User" u ON u.id = c."instructorId" WHERE u.email = 'instructor@demo.lms' ORDER BY c."createdAt" LIMIT 1`,
    ))!;
    const group = (await one(
      `SELECT g.id FROM "StudyGroup" g JOIN "User" u ON u.id = g."ownerId" WHERE u.email = 'learner1@demo.lms' ORDER BY g."createdAt" LIMIT 1`,
    ))!;
    const batch = await one(
      `SELECT s."regradeBatchId" AS id FROM "Submission" s JOIN "CohortMember" m ON m."userId" = s."userId" AND m."cohortId" = $1 WHERE s."regradeBatchId" IS NOT NULL LIMIT 1`,
      [cohort.id],
    );
    ids = { cohortId: cohort.id!, cohortCode: cohort.inviteCode!, groupId: group.id!, learner1Id: learner1.id!, batchId: batch?.id ?? null };
  } finally {
    await db.end();
  }
});

test('every page file has an entry in the sweep', { tag: '@desktop-only' }, () => {
  const found = pagePatterns();
  expect(found.length).toBeGreaterThan(15);
  expect(
    found.filter((p) => !PAGES.some((r) => r.match.test(p))),
    'pages with no entry in e2e/pages.spec.ts',
  ).toEqual([]);
});

async function signIn(context: BrowserContext, role: Role) {
  if (role === 'guest') return;
  const { csrfToken } = (await (await context.request.get('/api/auth/csrf')).json()) as { csrfToken: string };
  const res = await context.request.post('/api/auth/callback/credentials', {
    form: { csrfToken, email: EMAIL[role], password: PASSWORD, json: 'true' },
    maxRedirects: 0,
  });
  expect([200, 302]).toContain(res.status());
}

/** What sticks out past the right edge of the viewport: the page must not scroll sideways. */
async function overflow(page: Page): Promise<{ extra: number; culprits: string[] }> {
  return page.evaluate(() => {
    const root = document.documentElement;
    const extra = root.scrollWidth - root.clientWidth;
    const culprits: string[] = [];
    if (extra > 0) {
      for (const el of Array.from(document.body.querySelectorAll('*'))) {
        const r = el.getBoundingClientRect();
        if (r.right > root.clientWidth + 1 && r.width > 0 && !el.closest('.scroll-table, .cm-scroller, pre, [data-overflow-ok]')) {
          culprits.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${String(el.className).slice(0, 60)} right=${Math.round(r.right)}`);
          if (culprits.length >= 5) break;
        }
      }
    }
    return { extra, culprits };
  });
}

/** The body's background, drawn on a canvas (any CSS colour syntax), is dark. */
function bodyIsDark(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const ctx = document.createElement('canvas').getContext('2d')!;
    ctx.fillStyle = getComputedStyle(document.body).backgroundColor;
    ctx.fillRect(0, 0, 1, 1);
    const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data;
    return (r! + g! + b!) / 3 < 100;
  });
}

const ROLES: Role[] = ['guest', 'learner1', 'learner2', 'instructor', 'admin'];
/**
 * Which language and scheme each project looks at, so the sweep stays a few minutes. Desktop: axe in both languages,
 * light, as every role; dark once per page (as the first role that may open it, in Korean): contrast is what a scheme
 * changes, and it does not depend on the language. Phone: Korean light as every role (the header differs), English
 * dark once per page (English words are longer; both schemes are kept as screenshots). The tags keep a view to its
 * project (playwright.config.ts: grepInvert).
 */
const VIEWS: { lang: 'ko' | 'en'; theme: 'light' | 'dark'; once?: true; tag?: '@desktop-only' | '@phone-only' }[] = [
  { lang: 'ko', theme: 'light' },
  { lang: 'en', theme: 'light', tag: '@desktop-only' },
  { lang: 'ko', theme: 'dark', once: true, tag: '@desktop-only' },
  { lang: 'en', theme: 'dark', once: true, tag: '@phone-only' },
];
for (const role of ROLES) {
  for (const { lang, theme, once, tag } of VIEWS) {
    const rules = PAGES.filter((r) => (once ? r.who[0] === role : r.who.includes(role)));
    if (rules.length === 0) continue;
    test(
      `${role}, ${lang}, ${theme}: ${once ? 'the pages first opened as this role' : 'all its pages'} fit the screen, are in ${lang}, pass axe on the desktop`,
      { tag: tag ? [tag] : [] },
      async ({ browser }, info) => {
        test.setTimeout(60_000 + rules.length * 30_000);
        const phone = info.project.name === 'phone';
        // Screenshots at one device pixel per CSS pixel: the layout is the phone's, the files (and the time) a quarter.
        const { viewport, isMobile, hasTouch, baseURL } = info.project.use;
        const context = await browser.newContext({ viewport, deviceScaleFactor: 1, isMobile, hasTouch, baseURL, colorScheme: theme });
        await context.addCookies([{ name: 'lang', value: lang, url: String(info.project.use.baseURL) }]);
        await signIn(context, role);
        const page = await context.newPage();
        const dir = path.join(ROOT, 'artifacts', 'screenshots', 'pages', info.project.name, `${lang}-${theme}`);
        fs.mkdirSync(dir, { recursive: true });
        const problems: string[] = [];
        const axeLog: { page: string; violations: { id: string; impact: string | null | undefined; nodes: number; help: string }[] }[] = [];
        for (const rule of rules) {
          const url = rule.url(ids);
          if (!url) continue;
          const res = await page.goto(url);
          if (res?.status() !== 200) {
            problems.push(`${url}: HTTP ${res?.status()}`);
            continue;
          }
          await page.waitForLoadState('load');
          // The user corner of a prerendered page is an island: in once /api/me has answered (hidden in a closed menu).
          await page
            .getByRole('banner')
            .locator(role === 'guest' ? 'a[href="/login"]' : '[data-testid=user-name]')
            .first()
            .waitFor({ state: 'attached' });
          // The lab's editor is an island loaded after the page: wait until it has replaced its placeholder.
          if ((await page.locator('[data-ready]').count()) > 0) await expect(page.locator('[data-ready]').first()).toHaveAttribute('data-ready', 'true');
          const htmlLang = await page.locator('html').getAttribute('lang');
          if (htmlLang !== lang) problems.push(`${url}: <html lang="${htmlLang}">, expected ${lang}`);
          // Dark follows the device by default (colorScheme), and the page's background says so.
          const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
          const dark = await bodyIsDark(page);
          if (dark !== (theme === 'dark')) problems.push(`${url}: body background ${bg} in ${theme}`);
          const o = await overflow(page);
          if (o.extra > 1) problems.push(`${url}: ${o.extra}px wider than the screen: ${o.culprits.join('; ')}`);
          if (phone) {
            // A compact header: the name and a Menu button on one row; the links wait behind the button.
            const header = await page.getByRole('banner').boundingBox();
            if (!header || header.height > 80) problems.push(`${url}: header ${header?.height}px tall on a phone`);
            if (!(await page.getByTestId('menu-button').isVisible())) problems.push(`${url}: no Menu button on a phone`);
          }
          if (!phone) {
            const result = await new AxeBuilder({ page }).analyze();
            const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
            axeLog.push({ page: url, violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help })) });
            for (const v of bad)
              problems.push(
                `${url}: axe ${v.impact} ${v.id} (${v.help}): ${v.nodes
                  .slice(0, 3)
                  .map((n) => n.target.join(' '))
                  .join(' | ')}`,
              );
          }
          await page.screenshot({ path: path.join(dir, `${role}-${rule.name}.png`), fullPage: true });
          if (phone) {
            // The narrowest phone the course is made for.
            await page.setViewportSize({ width: 360, height: viewport!.height });
            const narrow = await overflow(page);
            if (narrow.extra > 1) problems.push(`${url}: ${narrow.extra}px wider than a 360 px screen: ${narrow.culprits.join('; ')}`);
            await page.setViewportSize(viewport!);
          }
        }
        if (!phone) {
          const out = path.join(ROOT, 'artifacts', 'a11y');
          fs.mkdirSync(out, { recursive: true });
          fs.writeFileSync(path.join(out, `${role}-${lang}-${theme}.json`), JSON.stringify(axeLog, null, 2));
        }
        await context.close();
        expect(problems).toEqual([]);
      },
    );
  }
}
