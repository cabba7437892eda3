/**
 * The main journeys on a phone (the `phone` project: Chromium at 390×844, touch): a new learner finds sign-up behind
 * the Menu button, switches to English, reads a lesson, and on the lab page gets the instructions, the editor and the
 * result stacked, types in the editor and submits; an instructor's gradebook and schedule scroll inside their own box
 * with the first column kept. Nothing on the way is wider than the screen. Screenshots: artifacts/screenshots/phone/.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { test, expect, type Locator, type Page } from '@playwright/test';

const ROOT = path.resolve(import.meta.dirname, '..');
const shots = path.join(ROOT, 'artifacts', 'screenshots', 'phone');
fs.mkdirSync(shots, { recursive: true });

async function fits(page: Page) {
  await expect
    .poll(() => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), { message: `${page.url()} scrolls sideways` })
    .toBeLessThanOrEqual(1);
}

/** An element's box in page coordinates (boundingBox() is relative to the viewport, which moves as the page scrolls). */
async function pageBox(locator: Locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height };
  });
}

async function openMenu(page: Page) {
  const button = page.getByTestId('menu-button');
  await expect(button).toBeVisible();
  await button.tap();
  await expect(button).toHaveAttribute('aria-expanded', 'true');
}

test('a learner on a phone: sign up from the menu, English, a lesson, the lab stacked, type, submit, result', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/');
  await fits(page);
  // The header is one row: the course's name and Menu; the links and controls wait behind the button.
  const header = (await page.getByRole('banner').boundingBox())!;
  expect(header.height).toBeLessThanOrEqual(80);
  await expect(page.locator('#site-menu')).toBeHidden();
  await page.screenshot({ path: path.join(shots, 'home-ko.png') });
  await openMenu(page);
  await expect(page.locator('#site-menu')).toBeVisible();
  // Nothing in the open menu breaks a word over two lines (한국어, 로그인).
  for (const b of await page.locator('#site-menu button, #site-menu a').all()) {
    const box = await b.boundingBox();
    if (box) expect(box.height, `${await b.textContent()} wraps`).toBeLessThanOrEqual(44);
  }
  await page.screenshot({ path: path.join(shots, 'menu-open-ko.png') });
  // Escape closes the menu and gives the focus back to its button.
  await page.locator('#site-menu a').first().focus();
  await page.keyboard.press('Escape');
  await expect(page.locator('#site-menu')).toBeHidden();
  await expect(page.getByTestId('menu-button')).toBeFocused();

  await openMenu(page);
  await page.getByRole('button', { name: 'English' }).tap();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.goto('/signup');
  await fits(page);
  await page.locator('input[name=name]').fill('Phone Park');
  await page.locator('input[name=email]').fill(`phone-${crypto.randomBytes(4).toString('hex')}@e2e.lms`);
  await page.locator('input[name=password]').fill('a-long-password-phone');
  await page.locator('form button[type=submit]').tap();
  await expect(page).toHaveURL(/\/dashboard/);
  await fits(page);
  await page.screenshot({ path: path.join(shots, 'dashboard-en.png'), fullPage: true });

  // A lesson from the roadmap.
  await page.goto('/roadmap');
  await fits(page);
  await page.locator('a[href^="/weeks/1/"]').first().tap();
  await expect(page).toHaveURL(/\/weeks\/1\//);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await fits(page);
  await page.getByRole('button', { name: 'Mark as done' }).tap();
  await expect(page.getByRole('button', { name: 'Mark as done' })).toHaveAttribute('aria-pressed', 'true');
  await page.screenshot({ path: path.join(shots, 'lesson-en.png') });

  // The lab: instructions, then the editor, then the result, one under the other, none wider than the screen.
  await page.goto('/labs/week01-terraform-vpc');
  await fits(page);
  const editor = page.getByTestId('editor');
  await expect(page.locator('[data-ready=true]')).toBeVisible();
  const heading = await pageBox(page.locator('main h1'));
  const instructions = await pageBox(page.locator('main .prose').first());
  const editorBox = await pageBox(page.locator('[data-ready=true]'));
  expect(heading.y).toBeLessThan(editorBox.y);
  expect(instructions.y + instructions.height).toBeLessThanOrEqual(editorBox.y);
  expect(editorBox.x).toBeGreaterThanOrEqual(0);
  expect(editorBox.x + editorBox.width).toBeLessThanOrEqual(390);
  expect(editorBox.width).toBeGreaterThan(300);
  // The instructions can be long: a link under the title takes the reader to the editor.
  await page.getByTestId('to-editor').tap();
  await expect(page.locator('[data-ready=true]')).toBeInViewport();
  await editor.tap();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('terraform {}\n');
  await expect(editor).toContainText('terraform {}');
  await editor.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, 'lab-editor-en.png') });
  await page.getByTestId('submit').tap();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'GRADED', { timeout: 90_000 });
  const result = await pageBox(page.getByTestId('status-panel'));
  expect(result.y).toBeGreaterThan(editorBox.y);
  expect(result.x + result.width).toBeLessThanOrEqual(390);
  await fits(page);
  await page.getByTestId('status-panel').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, 'lab-result-en.png') });
  await page.screenshot({ path: path.join(shots, 'lab-full-en.png'), fullPage: true });
});

test('an instructor on a phone: the gradebook and the schedule scroll in their own box, first column kept', async ({ page, context }) => {
  test.setTimeout(180_000);
  await context.addCookies([{ name: 'lang', value: 'ko', url: String(test.info().project.use.baseURL) }]);
  await page.goto('/login');
  await page.locator('input[name=email]').fill('instructor@demo.lms');
  await page.locator('input[name=password]').fill('devops-demo-2026');
  await page.locator('form button[type=submit]').tap();
  await expect(page).toHaveURL(/\/dashboard/);
  await openMenu(page);
  await page.locator('#site-menu').getByRole('link', { name: '강사' }).tap();
  await expect(page).toHaveURL(/\/instructor$/);
  await page.locator('main a[href^="/instructor/cohorts/"]').first().tap();
  await expect(page).toHaveURL(/\/instructor\/cohorts\/[^/]+$/);
  await fits(page);
  const schedule = page.getByRole('region', { name: '주차별 일정' });
  await expect(schedule).toBeVisible();
  expect(await schedule.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  await page.screenshot({ path: path.join(shots, 'cohort-ko.png'), fullPage: true });

  await page.getByRole('link', { name: '성적표' }).first().tap();
  await expect(page).toHaveURL(/\/gradebook$/);
  await fits(page);
  const region = page.locator('.scroll-table').filter({ has: page.getByTestId('gradebook') });
  expect(await region.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  const firstCell = page.getByTestId('gradebook').locator('tbody tr').first().locator('td, th').first();
  const x0 = (await firstCell.boundingBox())!.x;
  await region.evaluate((el) => el.scrollBy({ left: 300 }));
  await expect.poll(() => region.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
  expect(Math.abs((await firstCell.boundingBox())!.x - x0)).toBeLessThanOrEqual(1);
  await fits(page);
  await page.screenshot({ path: path.join(shots, 'gradebook-ko-scrolled.png') });
});
