/**
 * Keyboard only: a learner signs in, reads a lesson and marks it done, writes in the lab's editor, leaves it (Escape
 * then Tab: the editor's one keyboard trap has an exit), submits and reads the result, which a screen reader hears
 * from a live region; an instructor reaches a cohort's gradebook and scrolls it. Every stop shows where the focus is.
 * No click and no fill in the journeys themselves (only Tab, Enter, Space, arrows and typing); the account is made
 * beforehand through the sign-up form.
 */
import crypto from 'node:crypto';
import { test, expect, type Locator, type Page } from '@playwright/test';

/** Presses Tab until `target` has the focus (at most `max` times; none if it has it), then checks the focus can be seen. */
async function tabTo(page: Page, target: Locator, max = 200, key: 'Tab' | 'Shift+Tab' = 'Tab') {
  for (let i = 0; i <= max; i++) {
    if (i > 0) await page.keyboard.press(key);
    if (await target.evaluate((el) => el === document.activeElement || el.contains(document.activeElement))) {
      await expectVisibleFocus(page);
      return;
    }
  }
  throw new Error(
    `${String(target)} not reached with ${max} × ${key}; focus is on ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120))}`,
  );
}

/** The focused element, or the box around it, draws an outline or a ring. */
async function expectVisibleFocus(page: Page) {
  const shown = await page.evaluate(() => {
    let el = document.activeElement as HTMLElement | null;
    for (let depth = 0; el && depth < 6; depth++, el = el.parentElement) {
      const s = getComputedStyle(el);
      if ((s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || (s.boxShadow !== 'none' && s.boxShadow !== '')) return true;
    }
    return false;
  });
  expect(shown, `focus not visible on ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 160))}`).toBe(true);
}

const focused = (page: Page) => page.evaluate(() => document.activeElement?.outerHTML.slice(0, 200) ?? '');

test('keyboard only: sign in, read a lesson, write in the editor and leave it, submit, hear and read the result', async ({ browser }) => {
  test.setTimeout(240_000);
  const email = `keys-${crypto.randomBytes(4).toString('hex')}@e2e.lms`;
  const password = 'a-long-password-keys';
  // The account, made through the sign-up form (not part of the journey).
  const setup = await browser.newContext();
  await setup.addCookies([{ name: 'lang', value: 'en', url: String(test.info().project.use.baseURL) }]);
  const s = await setup.newPage();
  await s.goto('/signup');
  await s.locator('input[name=name]').fill('Keyboard Kim');
  await s.locator('input[name=email]').fill(email);
  await s.locator('input[name=password]').fill(password);
  await s.locator('form button[type=submit]').click();
  await expect(s).toHaveURL(/\/dashboard/);
  await setup.close();

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addCookies([{ name: 'lang', value: 'en', url: String(test.info().project.use.baseURL) }]);
  const page = await context.newPage();
  await page.goto('/');
  // The first Tab reaches the skip link, which shows itself and moves to the content.
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await expectVisibleFocus(page);

  // Sign in.
  await tabTo(page, page.getByRole('banner').getByRole('link', { name: 'Sign in' }));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/login/);
  await tabTo(page, page.locator('input[name=email]'));
  await page.keyboard.type(email);
  await tabTo(page, page.locator('input[name=password]'));
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/dashboard/);
  await expect(page.getByTestId('user-name')).toHaveText('Keyboard Kim');

  // Read: the roadmap from the header, a week-1 lesson from the roadmap, marked as done.
  await tabTo(page, page.getByRole('banner').getByRole('link', { name: 'Roadmap', exact: true }));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/roadmap/);
  const lessonLink = page.locator('a[href^="/weeks/1/"]').first();
  await tabTo(page, lessonLink, 120);
  const href = await lessonLink.getAttribute('href');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`${href}$`));
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  const done = page.getByRole('button', { name: 'Mark as done' });
  await expect(done).toBeVisible();
  await tabTo(page, done, 200);
  await page.keyboard.press('Space');
  await expect(done).toHaveAttribute('aria-pressed', 'true');

  // The lab: into the editor, type, out again with Escape then Tab, submit.
  await page.goto('/labs/week01-terraform-vpc');
  const editor = page.getByTestId('editor');
  await expect(page.locator('[data-ready=true]')).toBeVisible();
  await tabTo(page, editor, 200);
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('terraform {\n');
  // Tab indents inside the editor (the focus stays)...
  await page.keyboard.press('Tab');
  await expect(editor).toBeFocused();
  await page.keyboard.type('required_version = ">= 1.9"\n}\n');
  await expect(editor).toContainText('required_version');
  // ...and Escape, then Tab, moves the focus on.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  await expect(editor).not.toBeFocused();
  expect(await page.evaluate(() => !!document.activeElement?.closest('.cm-editor'))).toBe(false);
  await tabTo(page, page.getByTestId('submit'), 20);
  await page.keyboard.press('Enter');

  // The status panel is a live region: a screen reader hears Queued, Running, Graded as they come.
  const panel = page.getByTestId('status-panel');
  await expect(panel).toHaveAttribute('aria-live', 'polite');
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'GRADED', { timeout: 90_000 });
  await expect(panel).toContainText('Graded');
  // A failed check's hint opens from the keyboard.
  const hint = page.locator('[data-check][data-passed=false] summary').first();
  await tabTo(page, hint, 40);
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-check][data-passed=false] details').first()).toHaveAttribute('open', '');
  await context.close();
});

test('keyboard only: an instructor opens a cohort gradebook, scrolls it sideways and opens a learner', async ({ browser }) => {
  test.setTimeout(180_000);
  // A narrow window: the gradebook is wider than the screen and scrolls inside its own box.
  const context = await browser.newContext({ viewport: { width: 800, height: 900 } });
  await context.addCookies([{ name: 'lang', value: 'en', url: String(test.info().project.use.baseURL) }]);
  const page = await context.newPage();
  await page.goto('/login');
  await tabTo(page, page.locator('input[name=email]'));
  await page.keyboard.type('instructor@demo.lms');
  await tabTo(page, page.locator('input[name=password]'));
  await page.keyboard.type('devops-demo-2026');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/dashboard/);

  await tabTo(page, page.getByRole('banner').getByRole('link', { name: 'Instructor', exact: true }));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/instructor$/);
  const cohort = page.locator('main a[href^="/instructor/cohorts/"]').first();
  await tabTo(page, cohort, 40);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/instructor\/cohorts\/[^/]+$/);
  await tabTo(page, page.locator('main').getByRole('link', { name: 'Gradebook' }), 40);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/gradebook$/);

  const region = page.getByRole('region', { name: 'Gradebook' });
  await tabTo(page, region, 60);
  const [scrollW, clientW] = await region.evaluate((el) => [el.scrollWidth, el.clientWidth]);
  expect(scrollW, 'the gradebook is wider than its box at this width').toBeGreaterThan(clientW);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(1);
  const firstCell = region.locator('tbody tr').first().locator('td, th').first();
  const x0 = (await firstCell.boundingBox())!.x;
  for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowRight');
  await expect.poll(() => region.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
  // The learners' column stays in view while the rest slides under it.
  expect(Math.abs((await firstCell.boundingBox())!.x - x0)).toBeLessThanOrEqual(1);

  const learner = region.locator('a[href*="/learners/"]').first();
  await tabTo(page, learner, 10);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/learners\//);
  expect(await focused(page)).toBeTruthy();
  await context.close();
});
