import fs from 'node:fs';
import path from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import { loadContent } from '../lib/content/index';

const ROOT = path.resolve(import.meta.dirname, '..');
const LAB = 'week01-terraform-vpc';
const shots = path.join(ROOT, 'artifacts', 'screenshots');
fs.mkdirSync(shots, { recursive: true });

async function login(page: Page, email: string) {
  await page.goto('/login');
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill('devops-demo-2026');
  await page.locator('form button[type=submit]').click();
  await expect(page).toHaveURL(/\/dashboard/);
}

test('a learner reads a lesson in both languages, submits the week-1 lab and sees it graded', async ({ page, context }) => {
  await context.clearCookies();
  await login(page, 'learner1@demo.lms');

  // Roadmap: the introduction and the 10 weeks.
  await page.goto('/roadmap');
  const nodes = page.locator('[data-testid=roadmap] [data-week]');
  await expect(nodes).toHaveCount(11);
  // The demo cohort started three days ago: week 1 is open and due, week 2 opens later.
  await expect(page.locator('[data-week="1"] [data-schedule]')).toHaveAttribute('data-schedule', 'due');
  await expect(page.locator('[data-week="2"] [data-schedule]')).toHaveAttribute('data-schedule', 'locked');
  await page.screenshot({ path: path.join(shots, 'roadmap.png'), fullPage: true });

  // A week-1 lesson, first in Korean (the default), then in English.
  const week1 = loadContent().find((m) => m.week === 1)!;
  const lesson = week1.lessons[0]!;
  await page.goto(`/weeks/1/${lesson.slug}`);
  await expect(page.locator('h1')).toHaveText(lesson.meta.ko.title);
  await expect(page.locator('[data-testid=lesson-body] h2').first()).toBeVisible();
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('h1')).toHaveText(lesson.meta.en.title);
  await page.screenshot({ path: path.join(shots, 'lesson-en.png'), fullPage: true });
  // The lesson is one prerendered file for everyone; who is reading and their progress arrive in islands.
  await expect(page.getByTestId('user-name')).toHaveText('Learner Lee');
  const done = page.getByRole('button', { name: 'Mark as done' });
  await done.click();
  await expect(done).toHaveAttribute('aria-pressed', 'true');
  await page.reload();
  await expect(page.getByRole('button', { name: 'Mark as done' })).toHaveAttribute('aria-pressed', 'true');
  // The choice is remembered across pages.
  await page.goto('/roadmap');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  // The lab: write the reference solution into the editor and submit.
  await page.goto(`/labs/${LAB}`);
  const solution = fs.readFileSync(path.join(ROOT, 'labs', LAB, 'solution', 'main.tf'), 'utf8');
  await page.getByRole('tab', { name: 'main.tf' }).click();
  await page.getByTestId('editor').fill(solution);
  const extra = fs.readdirSync(path.join(ROOT, 'labs', LAB, 'solution')).filter((f) => f !== 'main.tf');
  if (extra.length) {
    await page.getByTestId('upload').setInputFiles(extra.map((f) => path.join(ROOT, 'labs', LAB, 'solution', f)));
  }
  await page.getByTestId('submit').click();

  // Live status without a reload: it reaches Graded and shows the full score with one line per check.
  const status = page.getByTestId('status');
  await expect(status).toBeVisible();
  await expect(status).toHaveAttribute('data-status', 'GRADED', { timeout: 60_000 });
  const score = page.getByTestId('score');
  await expect(score).toBeVisible();
  const [got, max] = (await score.textContent())!
    .split(':')[1]!
    .split('/')
    .map((x) => Number(x.trim()));
  expect(got).toBe(max);
  const checks = page.locator('[data-check]');
  expect(await checks.count()).toBeGreaterThanOrEqual(4);
  await expect(page.locator('[data-check][data-passed=false]')).toHaveCount(0);
  await page.screenshot({ path: path.join(shots, 'lab-graded.png'), fullPage: true });

  // A wrong submission: graded with failed checks and hints; the history lists both attempts.
  // (the upload left its first file's tab open: back to main.tf, the file this attempt breaks)
  await page.getByRole('tab', { name: 'main.tf' }).click();
  await page.getByTestId('editor').fill('terraform {}\n');
  await page.getByTestId('submit').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'GRADED', { timeout: 60_000 });
  await expect(page.locator('[data-check][data-passed=false]').first()).toBeVisible();
  await page.getByText('Show hint').first().click();
  await expect(page.getByTestId('history').locator('tbody tr')).toHaveCount(2);
  // What changed between the two attempts, as text
  await page.getByTestId('diff-link').first().click();
  await expect(page.getByTestId('attempt-diff')).toContainText('+terraform {}');
  await expect(page.getByTestId('attempt-diff')).toContainText('main.tf');
});

test('sign-up creates a learner who lands on the dashboard; a wrong password gets one message', async ({ page, context }) => {
  await context.clearCookies();
  await page.goto('/login');
  await page.locator('input[name=email]').fill('learner1@demo.lms');
  await page.locator('input[name=password]').fill('wrong-password');
  await page.locator('form button[type=submit]').click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page).toHaveURL(/\/login/);

  const email = `new-${Date.now()}@e2e.lms`;
  await page.goto('/signup');
  await page.locator('input[name=name]').fill('New Learner');
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill('a-long-password-1');
  await page.locator('form button[type=submit]').click();
  await expect(page).toHaveURL(/\/dashboard/);
  await expect(page.getByTestId('user-name')).toHaveText('New Learner');
});
