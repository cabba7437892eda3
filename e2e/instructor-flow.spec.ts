/**
 * An instructor creates a cohort with a schedule and invites two learners (one by e-mail, who accepts on the
 * dashboard; one by the link); one passes the week-5 lab, the other fails the same check twice; the gradebook, the
 * analytics and the CSV export show exactly that.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { test, expect, type Page, type Browser } from '@playwright/test';
import { otherLabsOfWeek, passLabByApi } from './labs';

const ROOT = path.resolve(import.meta.dirname, '..');
const LAB = 'week05-k8s-manifests';
const shots = path.join(ROOT, 'artifacts', 'screenshots');
fs.mkdirSync(shots, { recursive: true });
const read = (rel: string) => fs.readFileSync(path.join(ROOT, 'labs', LAB, rel), 'utf8');

async function login(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill(password);
  await page.locator('form button[type=submit]').click();
  await expect(page).toHaveURL(/\/dashboard/);
}

const freshEmail = (name: string) => `${name.toLowerCase()}-${crypto.randomBytes(4).toString('hex')}@e2e.lms`;

async function signUp(browser: Browser, name: string, email = freshEmail(name)): Promise<{ page: Page; email: string }> {
  const page = await (await browser.newContext()).newPage();
  await page.goto('/signup');
  await page.locator('input[name=name]').fill(name);
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill('a-long-password-2026');
  await page.locator('form button[type=submit]').click();
  await expect(page).toHaveURL(/\/dashboard/);
  return { page, email };
}

async function submit(page: Page, files: Record<string, string>) {
  await page.goto(`/labs/${LAB}`);
  for (const [p, content] of Object.entries(files)) {
    await page.getByRole('tab', { name: p }).click();
    await page.getByTestId('editor').fill(content);
  }
  const before = new URL(page.url()).searchParams.get('s');
  await page.getByTestId('submit').click();
  // The page moves to the new submission (?s=<id>) before its status means anything.
  await page.waitForURL((u) => !!u.searchParams.get('s') && u.searchParams.get('s') !== before, { timeout: 30_000 });
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'GRADED', { timeout: 90_000 });
}

test('cohort with a schedule: one learner passes, one fails a check twice; gradebook, analytics and CSV agree', async ({ browser }) => {
  test.setTimeout(240_000);
  const ins = await (await browser.newContext()).newPage();
  await login(ins, 'instructor@demo.lms', 'devops-demo-2026');
  await ins.goto('/instructor');
  const name = `E2E cohort ${crypto.randomBytes(3).toString('hex')}`;
  await ins.locator('input[name=name]').fill(name);
  await ins.locator('input[name=start]').fill(new Date().toISOString().slice(0, 10));
  await ins.locator('input[name=latePenaltyPct]').fill('20');
  await ins.getByRole('button', { name: /Create cohort|코호트 만들기/ }).click();
  await expect(ins).toHaveURL(/\/instructor\/cohorts\/[a-z0-9]+$/);
  await expect(ins.getByTestId('schedule').locator('tbody tr')).toHaveCount(10);
  // Dates are edited on the instructor's own clock: week 1 opens 09:00 Korea time on the start date (the default
  // zone); in UTC the same instant reads 00:00. The demo instructor's zone is put back afterwards.
  const start = new Date().toISOString().slice(0, 10);
  const week1Opens = ins.getByLabel(/^(Week 1 opens|1주차 열림)$/);
  await expect(week1Opens).toHaveValue(`${start}T09:00`);
  const setZone = async (zone: string) => {
    await ins.goto('/dashboard');
    await ins.getByTestId('time-zone-current').click();
    await ins.getByTestId('time-zone-select').selectOption(zone);
    await ins.getByRole('button', { name: /^(Save|저장)$/ }).click();
    await expect(ins.getByTestId('time-zone-current')).toHaveText(zone);
  };
  const cohortPage = ins.url();
  await setZone('UTC');
  try {
    await ins.goto(cohortPage);
    await expect(week1Opens).toHaveValue(`${start}T00:00`);
    await expect(ins.getByTestId('schedule-zone')).toContainText('UTC');
  } finally {
    await setZone('Asia/Seoul');
  }
  await ins.goto(cohortPage);
  await expect(week1Opens).toHaveValue(`${start}T09:00`);
  const invite = (await ins.getByTestId('invite-link').textContent())!.trim();
  const cohortUrl = ins.url();

  // Two ways in: the Struggler is invited by e-mail before having an account, signs up with that address and accepts
  // the invitation on the dashboard (an invite alone enrols nobody); the Passer signs up first and joins by the link.
  const strugglerEmail = freshEmail('Struggler');
  await ins.locator('textarea[name=emails]').fill(`name,email\nStruggler,${strugglerEmail}\n`);
  await ins.getByTestId('invite-emails').click();
  await expect(ins.getByRole('status')).toContainText(/1 invited|초대 1명/);
  await expect(ins.getByTestId('invites').locator(`li[data-email="${strugglerEmail}"]`)).toBeVisible();
  const pass = await signUp(browser, 'Passer');
  const fail = await signUp(browser, 'Struggler', strugglerEmail);
  const offered = fail.page.getByTestId('cohort-invites').locator(`li[data-cohort-name="${name}"]`);
  await expect(offered).toBeVisible();
  await offered.getByTestId('accept-invite').click();
  await expect(fail.page.getByTestId('my-cohorts')).toContainText(name);
  await expect(fail.page.getByTestId('cohort-invites')).toHaveCount(0);
  await pass.page.goto(new URL(invite).pathname);
  await pass.page.getByTestId('join-cohort').click();
  await expect(pass.page).toHaveURL(/\/dashboard/);
  await ins.reload();
  await expect(ins.getByTestId('members').locator('li')).toHaveCount(2);
  await expect(ins.getByTestId('members').locator(`li[data-email="${strugglerEmail}"]`)).toBeVisible();
  await expect(ins.getByTestId('invites')).toHaveCount(0);

  await submit(pass.page, { 'k8s/deployment.yaml': read('solution/k8s/deployment.yaml'), 'k8s/service.yaml': read('solution/k8s/service.yaml') });
  await expect(pass.page.locator('[data-check][data-passed=false]')).toHaveCount(0);
  await expect(pass.page.getByTestId('lab-verdict')).toHaveAttribute('data-passed', 'true');
  // The week's troubleshooting lab too: a week counts as passed on the group board when all its labs are.
  for (const other of otherLabsOfWeek(LAB)) await passLabByApi(pass.page, other);
  // The starter as it is: below the pass mark, failing the service-port check among others.
  const wrong = { 'k8s/deployment.yaml': read('starter/k8s/deployment.yaml'), 'k8s/service.yaml': read('starter/k8s/service.yaml') };
  for (let i = 0; i < 2; i++) {
    await submit(fail.page, wrong);
    await expect(fail.page.locator('[data-check="service-port"][data-passed=false]')).toBeVisible();
  }
  // service-port is one of the checks the week is about: marked required, and named in the verdict
  await expect(fail.page.locator('[data-check="service-port"]').getByTestId('required-check')).toBeVisible();
  await expect(fail.page.getByTestId('lab-verdict')).toHaveAttribute('data-passed', 'false');
  await expect(fail.page.getByTestId('lab-verdict')).toContainText(/Service|서비스/);

  // Gradebook: exactly one pass, two attempts for the other
  await ins.goto(`${cohortUrl}/gradebook?lab=${LAB}`);
  const cell = (email: string) => ins.locator(`tr[data-learner="${email}"] td[data-lab="${LAB}"]`);
  await expect(cell(pass.email)).toHaveAttribute('data-passed', 'true');
  await expect(cell(pass.email)).toHaveAttribute('data-attempts', '1');
  await expect(cell(pass.email)).toHaveAttribute('data-best', '13');
  await expect(cell(fail.email)).toHaveAttribute('data-passed', 'false');
  await expect(cell(fail.email)).toHaveAttribute('data-attempts', '2');
  await expect(cell(fail.email)).toHaveAttribute('data-best', '5');
  await ins.screenshot({ path: path.join(shots, 'gradebook.png'), fullPage: true });
  await ins.goto(`${cohortUrl}/gradebook?lab=${LAB}&status=passed`);
  await expect(ins.locator('tbody tr')).toHaveCount(1);

  // Analytics: 50 % pass rate, 1.5 median attempts, the struggler's failed checks listed once each
  await ins.goto(`${cohortUrl}/analytics`);
  const lab = ins.locator(`[data-testid=analytics] section[data-lab="${LAB}"]`);
  await expect(lab).toHaveAttribute('data-pass-rate', '0.5');
  await expect(lab).toHaveAttribute('data-median-attempts', '1.5');
  await expect(lab.locator('li[data-check="service-port"]')).toHaveAttribute('data-learners', '1');
  await expect(lab.locator('li[data-check="schema"]')).toHaveCount(0);
  await ins.screenshot({ path: path.join(shots, 'analytics.png'), fullPage: true });

  // CSV: the same numbers
  const id = cohortUrl.split('/').pop()!;
  const csv = await (await ins.request.get(`/api/cohorts/${id}/gradebook.csv`)).text();
  const line = (email: string) => csv.split('\r\n').find((l) => l.includes(email))!;
  const header = csv.split('\r\n')[0]!.split(',');
  const col = header.indexOf(`"${LAB} best"`);
  expect(col).toBeGreaterThan(1);
  // best, max, attempts, passed, late, late attempts, override
  expect(
    line(pass.email)
      .split(',')
      .slice(col, col + 7),
  ).toEqual(['"13"', '"13"', '"1"', '"yes"', '"no"', '"0"', '""']);
  expect(
    line(fail.email)
      .split(',')
      .slice(col, col + 7),
  ).toEqual(['"5"', '"13"', '"2"', '"no"', '"no"', '"0"', '""']);
  expect(csv.split('\r\n').filter((l) => l.includes('@e2e.lms'))).toHaveLength(2);

  // The two learners form a study group: one creates it and shares the code, the other joins; one opts in to the
  // leaderboard; both see the board with the lab passed by one of them.
  await pass.page.goto('/groups');
  await pass.page.locator('input[name=name]').fill('Friday <b>study</b>');
  await pass.page.getByRole('button', { name: /Create group|그룹 만들기/ }).click();
  await expect(pass.page).toHaveURL(/\/groups\/[a-z0-9]+$/);
  await expect(pass.page.locator('h1')).toHaveText('Friday <b>study</b>'); // text, never HTML
  const code = (await pass.page.getByTestId('group-code').textContent())!.trim();
  await fail.page.goto(`/join/group/${code}`);
  await expect(fail.page.getByTestId('join-code')).toHaveValue(code);
  await fail.page.getByTestId('join-group').click();
  await expect(fail.page).toHaveURL(pass.page.url());
  await pass.page.getByTestId('leaderboard-optin').check();
  // the opt-in is a server action: wait for the page to show it before reloading, or the reload can cut it off
  await expect(pass.page.getByTestId('leaderboard').locator('li')).toHaveCount(1);
  for (const p of [pass.page, fail.page]) {
    await p.reload();
    await expect(p.getByTestId('board').locator('tbody tr')).toHaveCount(2);
    await expect(p.locator('tr[data-member="Passer"] td[data-week="5"]')).toHaveAttribute('data-lab-passed', 'true');
    await expect(p.locator('tr[data-member="Struggler"] td[data-week="5"]')).toHaveAttribute('data-lab-passed', 'false');
    await expect(p.getByTestId('leaderboard').locator('li')).toHaveCount(1);
    await expect(p.getByTestId('leaderboard')).toContainText('Passer');
  }
  await fail.page.screenshot({ path: path.join(shots, 'group-board.png'), fullPage: true });
});
