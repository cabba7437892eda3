/**
 * A learner's path and a study group, in the browser against the production build and a real grading worker:
 * two new learners sign up; one follows the demo cohort's schedule, marks a lesson, passes the week-1 lab in the
 * CodeMirror editor and then submits an attempt that fails two checks (hint opened, diff between the attempts);
 * the roadmap and dashboard show it; the two form a group (one creates, shares the code, the other joins), one opts in
 * to the leaderboard, both see the board, and nothing of one's submissions reaches the other.
 * Screenshots (artifacts/screenshots): roadmap-path, lab-editor (a graded result with a hint open), group-board-leaderboard,
 * dashboard.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { test, expect, type Browser, type Page } from '@playwright/test';
import { loadContent } from '../lib/content/index';
import { readCase } from '../lib/labs/registry';
import { otherLabsOfWeek, passLabByApi } from './labs';

const ROOT = path.resolve(import.meta.dirname, '..');
const LAB = 'week01-terraform-vpc';
const shots = path.join(ROOT, 'artifacts', 'screenshots');
fs.mkdirSync(shots, { recursive: true });
const read = (dir: string, f: string) => fs.readFileSync(path.join(ROOT, 'labs', LAB, dir, f), 'utf8');

async function signUp(browser: Browser, name: string, email: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addCookies([{ name: 'lang', value: 'en', url: test.info().project.use.baseURL ?? process.env.E2E_BASE_URL ?? 'http://localhost:3100' }]);
  const page = await context.newPage();
  await page.goto('/signup');
  await page.locator('input[name=name]').fill(name);
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill('a-long-password-1');
  await page.locator('form button[type=submit]').click();
  await expect(page).toHaveURL(/\/dashboard/);
  return page;
}

/** Types into the CodeMirror editor of one file tab. */
async function setFile(page: Page, file: string, text: string) {
  await page.getByRole('tab', { name: file }).click();
  const editor = page.getByTestId('editor');
  await expect(editor).toHaveAttribute('aria-label', file);
  await editor.fill(text);
}

async function submitAndWait(page: Page) {
  const before = await page
    .getByTestId('history')
    .locator('tbody tr')
    .count()
    .catch(() => 0);
  await page.getByTestId('submit').click();
  await expect(page).toHaveURL(/[?&]s=/);
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'GRADED', { timeout: 90_000 });
  await expect(page.getByTestId('history').locator('tbody tr')).toHaveCount(before + 1);
}

test('a learner follows the roadmap and passes a lab in the editor; two learners form a group and see its board', async ({ browser }) => {
  test.setTimeout(300_000);
  const stamp = Date.now().toString(36);
  const ada = await signUp(browser, 'Ada <i>Lovelace</i>', `ada-${stamp}@e2e.lms`);
  const bo = await signUp(browser, 'Bo Kim', `bo-${stamp}@e2e.lms`);

  // Ada follows the demo cohort (started three days ago: week 1 open and due, week 2 locked).
  const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  try {
    await db.query(
      `INSERT INTO "CohortMember" ("cohortId", "userId", "joinedAt")
       SELECT c.id, u.id, now() FROM "Cohort" c, "User" u WHERE c.name = 'DevOps 2026 Autumn' AND u.email = $1`,
      [`ada-${stamp}@e2e.lms`],
    );
  } finally {
    await db.end();
  }

  // A lesson of week 1, marked done on the (prerendered) lesson page.
  const week1 = loadContent().find((m) => m.week === 1)!;
  const lesson = week1.lessons[0]!;
  await ada.goto(`/weeks/1/${lesson.slug}`);
  const done = ada.getByRole('button', { name: /Mark as done|완료로 표시/ });
  await done.click();
  await expect(done).toHaveAttribute('aria-pressed', 'true');

  // The lab page: CodeMirror with the HCL mode, loaded as a client island of this page only.
  await ada.goto(`/labs/${LAB}`);
  const editor = ada.getByTestId('editor');
  await expect(editor).toBeVisible();
  await expect(ada.locator('[data-language=hcl][data-ready=true]')).toBeVisible();
  await expect(ada.locator('.cm-editor .cm-lineNumbers')).toBeVisible();
  await expect(ada.getByTestId('lab-schedule')).toHaveAttribute('data-schedule', 'due');
  // Real keystrokes: Enter keeps the indentation, undo takes the typing back.
  await ada.getByRole('tab', { name: 'main.tf' }).click();
  await editor.click();
  await ada.keyboard.press('ControlOrMeta+a');
  await ada.keyboard.type('terraform {');
  await ada.keyboard.press('Enter');
  await ada.keyboard.type('x = 1');
  await expect(editor).toContainText('terraform {');
  expect(await ada.locator('.cm-line').nth(1).textContent()).toBe('  x = 1');
  await ada.keyboard.press('ControlOrMeta+z');
  await expect(editor).not.toContainText('x = 1');
  // KeyZ with Shift sends "Z", as a real keyboard does ("Shift+z" would send a lower-case z, which CodeMirror reads as Mod-z).
  await ada.keyboard.press('ControlOrMeta+Shift+KeyZ');
  await expect(editor).toContainText('x = 1');
  // Syntax highlighting: the HCL parser marks tokens with classes.
  expect(await ada.locator('.cm-line span[class]').count()).toBeGreaterThan(0);

  // The reference solution passes...
  for (const f of ['main.tf', 'variables.tf', 'outputs.tf']) await setFile(ada, f, read('solution', f));
  await submitAndWait(ada);
  await expect(ada.locator('[data-check][data-passed=false]')).toHaveCount(0);
  // ...then an attempt without the provider pin and DNS settings fails those two checks, with hints on demand.
  // (a case is an overlay on the solution: read it the way the graders' tests do)
  const wrong = readCase(path.join(ROOT, 'labs', LAB, 'cases', 'unpinned-provider-no-dns')).files;
  for (const f of ['main.tf', 'variables.tf', 'outputs.tf']) await setFile(ada, f, wrong.find((x) => x.path === f)!.content.toString('utf8'));
  await submitAndWait(ada);
  const failed = ada.locator('[data-check][data-passed=false]');
  await expect(failed).toHaveCount(2);
  const hint = failed.first().locator('details');
  await expect(hint).not.toHaveAttribute('open', '');
  await hint.locator('summary').click();
  await expect(hint).toHaveAttribute('open', '');
  await expect(hint.locator('p')).not.toBeEmpty();
  // The diff between the two attempts, as text lines.
  await ada.getByTestId('diff-link').first().click();
  await expect(ada.getByTestId('attempt-diff')).toContainText('main.tf');
  await expect(ada.getByTestId('attempt-diff')).toContainText('-      version = "~> 6.0"');
  // Back on the attempt with the failing checks, hint open, for the picture.
  await ada.goto(ada.url().replace(/#.*$/, ''));
  await expect(ada.getByTestId('status')).toHaveAttribute('data-status', 'GRADED');
  await ada.locator('[data-check][data-passed=false] details summary').first().click();
  await expect(ada.locator('[data-language=hcl][data-ready=true]')).toBeVisible();
  await ada.screenshot({ path: path.join(shots, 'lab-editor.png'), fullPage: true });
  // The same page in the dark theme (the editor's colours follow it).
  await ada.emulateMedia({ colorScheme: 'dark' });
  await ada.screenshot({ path: path.join(shots, 'lab-editor-dark.png') });
  await ada.emulateMedia({ colorScheme: 'light' });

  // The week's other lab (troubleshooting), passed as a script would: a week is passed when every lab of it is.
  const others = otherLabsOfWeek(LAB);
  expect(others.length).toBeGreaterThan(0);
  await ada.goto('/roadmap');
  await expect(ada.locator('[data-testid=roadmap] [data-week="1"]')).not.toHaveAttribute('data-state', 'lab-passed');
  for (const other of others) await passLabByApi(ada, other);

  // The roadmap: the lab passed (from the graded result, even though the latest attempt failed), the lesson done,
  // week 1 due, week 2 locked but readable, with the date it opens.
  await ada.goto('/roadmap');
  const w1 = ada.locator('[data-testid=roadmap] [data-week="1"]');
  await expect(w1.locator(`[data-lab="${LAB}"]`)).toHaveAttribute('data-lab-state', 'passed');
  await expect(w1).toHaveAttribute('data-state', 'lab-passed');
  await expect(w1.locator(`[data-lesson="${lesson.slug}"]`)).toHaveAttribute('data-lesson-state', 'done');
  await expect(w1.locator('[data-schedule]')).toHaveAttribute('data-schedule', 'due');
  const w2 = ada.locator('[data-testid=roadmap] [data-week="2"]');
  await expect(w2.locator('[data-schedule]')).toHaveAttribute('data-schedule', 'locked');
  await expect(w2.locator('[data-schedule]')).toContainText(/Opens|열림/);
  await expect(w2.locator('[data-lesson]').first()).toBeVisible();
  await expect(ada.locator('.cm-editor')).toHaveCount(0);
  await ada.screenshot({ path: path.join(shots, 'roadmap-path.png'), fullPage: true });

  // The dashboard: current week, next step, lab score, recent submissions, a one-day streak.
  await ada.goto('/dashboard');
  await expect(ada.getByTestId('streak')).toHaveAttribute('data-days', '1');
  await expect(ada.getByTestId('lab-scores').locator(`tr[data-lab="${LAB}"]`)).toContainText('13/13');
  await expect(ada.getByTestId('recent').locator('li')).toHaveCount(2 + others.length);
  await expect(ada.getByTestId('current-week')).toHaveAttribute('data-week', '1');
  await expect(ada.getByTestId('next-step')).toHaveAttribute('data-kind', 'lesson');
  await expect(ada.getByTestId('next-step')).toContainText(week1.lessons[1]!.meta.en.title);
  await ada.screenshot({ path: path.join(shots, 'dashboard.png'), fullPage: true });

  // Her time zone: days are counted in Korea time until she picks another; the browser's own zone is offered.
  await expect(ada.getByTestId('streak-zone')).toContainText('Asia/Seoul');
  await ada.getByTestId('time-zone-current').click();
  const browserZone = await ada.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  if (browserZone !== 'Asia/Seoul') {
    await ada.getByRole('button', { name: `This browser's zone (${browserZone})` }).click();
    await expect(ada.getByTestId('streak-zone')).toContainText(browserZone);
  }
  await ada.getByTestId('time-zone-select').selectOption('Europe/Berlin');
  await ada.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(ada.getByTestId('streak-zone')).toContainText('Europe/Berlin');
  await ada.reload();
  await expect(ada.getByTestId('streak-zone')).toContainText('Europe/Berlin');
  await expect(ada.getByTestId('streak')).toHaveAttribute('data-days', '1');

  // A study group: Ada creates it (the name is text, never HTML) and shares the code; Bo joins by the link.
  await ada.goto('/groups');
  await ada.getByTestId('group-name').fill('Ada’s <b>crew</b>');
  // The group follows the cohort Ada belongs to (the only one she may pick).
  await ada.locator('select[name=cohortId]').selectOption({ label: 'Follow cohort: DevOps 2026 Autumn' });
  await ada.getByTestId('create-group').click();
  await expect(ada).toHaveURL(/\/groups\/[a-z0-9]+$/);
  await expect(ada.locator('h1')).toHaveText('Ada’s <b>crew</b>');
  await expect(ada.getByTestId('group-pace-label')).toContainText('DevOps 2026 Autumn');
  const groupUrl = ada.url();
  const code = (await ada.getByTestId('group-code').textContent())!.trim();
  await bo.goto(`/join/group/${code}`);
  await expect(bo.getByTestId('join-code')).toHaveValue(code);
  await bo.getByTestId('join-group').click();
  await expect(bo).toHaveURL(groupUrl);
  await expect(bo.getByTestId('group-code')).toHaveCount(0); // only the owner sees the code

  // Ada opts in to the leaderboard; Bo does not.
  await ada.reload();
  await ada.getByTestId('leaderboard-optin').check();
  await expect(ada.getByTestId('leaderboard').locator('li')).toHaveCount(1);
  for (const p of [ada, bo]) {
    await p.reload();
    const board = p.getByTestId('board');
    await expect(board.locator('tbody tr')).toHaveCount(2);
    await expect(board.locator('tr[data-member="Ada <i>Lovelace</i>"] td[data-week="1"]')).toHaveAttribute('data-lab-passed', 'true');
    await expect(board.locator('tr[data-member="Ada <i>Lovelace</i>"] td[data-week="1"]')).toHaveAttribute('data-done', '1');
    await expect(board.locator('tr[data-member="Bo Kim"] td[data-week="1"]')).toHaveAttribute('data-lab-passed', 'false');
    await expect(p.getByTestId('leaderboard').locator('li')).toHaveCount(1);
    await expect(p.getByTestId('leaderboard')).toContainText('Ada <i>Lovelace</i>');
    await expect(p.getByTestId('leaderboard')).not.toContainText('Bo Kim');
  }
  await ada.screenshot({ path: path.join(shots, 'group-board-leaderboard.png'), fullPage: true });

  // A member sees what the group shares and nothing more: not Ada's submissions.
  const adaSubmission = await db2Submission(`ada-${stamp}@e2e.lms`);
  expect((await bo.request.get(`/api/submissions/${adaSubmission}`)).status()).toBe(404);
  await bo.goto(`/labs/${LAB}?s=${adaSubmission}`);
  await expect(bo.getByTestId('history')).toHaveCount(0);

  // The owner rotates the code: the old one stops working. Bo leaves and the group is gone for him.
  bo.once('dialog', (d) => void d.accept());
  ada.once('dialog', (d) => void d.accept());
  await ada.getByTestId('rotate-code').click();
  await expect(ada.getByTestId('group-code')).not.toHaveText(code);
  await bo.goto(groupUrl);
  await bo.getByTestId('leave-group').click();
  await expect(bo).toHaveURL(/\/groups$/);
  expect((await bo.goto(groupUrl))!.status()).toBe(404);
  await bo.goto(`/join/group/${code}`);
  await bo.getByTestId('join-group').click();
  await expect(bo.locator('p[role=alert]')).toContainText(/not valid|유효하지/);
});

async function db2Submission(email: string): Promise<string> {
  const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  try {
    const r = await db.query(`SELECT s.id FROM "Submission" s JOIN "User" u ON u.id = s."userId" WHERE u.email = $1 ORDER BY s."createdAt" LIMIT 1`, [email]);
    return r.rows[0].id as string;
  } finally {
    await db.end();
  }
}

test('an admin changes a role (audited); the user’s session ends and they sign in again with the new role', async ({ browser }) => {
  const stamp = Date.now().toString(36);
  const email = `cy-${stamp}@e2e.lms`;
  const cy = await signUp(browser, 'Cy Park', email);
  await expect(cy.getByRole('link', { name: /^Instructor$|^강사$/ })).toHaveCount(0);

  const admin = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await admin.goto('/login');
  await admin.locator('input[name=email]').fill('admin@demo.lms');
  await admin.locator('input[name=password]').fill('devops-demo-2026');
  await admin.locator('form button[type=submit]').click();
  await expect(admin).toHaveURL(/\/dashboard/);
  await admin.goto(`/admin/users?q=${encodeURIComponent(email)}`);
  const row = admin.getByTestId('users').locator(`tr[data-email="${email}"]`);
  await expect(admin.getByTestId('users').locator('tbody tr')).toHaveCount(1);
  await row.getByTestId('role-select').selectOption('INSTRUCTOR');
  await expect(row.getByText(/Saved|저장됨/)).toBeVisible();

  // Cy's session was issued for the old role: it is refused, and signing in again brings the new one.
  await cy.goto('/dashboard');
  await expect(cy).toHaveURL(/\/login/);
  await cy.locator('input[name=email]').fill(email);
  await cy.locator('input[name=password]').fill('a-long-password-1');
  await cy.locator('form button[type=submit]').click();
  await expect(cy).toHaveURL(/\/dashboard/);
  await expect(cy.getByRole('link', { name: /^Instructor$|^강사$/ })).toBeVisible();
  expect((await cy.goto('/admin/users'))!.status()).toBe(404);

  // The audit log has it; the queue page shows the grading queue by state.
  await admin.goto('/admin/audit?action=role.change');
  await expect(admin.getByTestId('audit').locator('tbody tr').first()).toHaveAttribute('data-action', 'role.change');
  await expect(admin.getByTestId('audit').locator('tbody tr').first()).toContainText('"to":"INSTRUCTOR"');
  await admin.goto('/admin/queue');
  for (const s of ['waiting', 'active', 'delayed', 'failed']) await expect(admin.getByTestId('queue-counts').locator(`[data-state=${s}]`)).toBeVisible();
  await admin.screenshot({ path: path.join(shots, 'admin-queue.png'), fullPage: true });
});
