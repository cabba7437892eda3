/**
 * Dark mode: by default the page follows the device (prefers-color-scheme); a reader may choose light or dark, which
 * is kept in a cookie and, when signed in, on the account, so another browser signing in gets it too. It is applied
 * before the first paint: per-request pages carry the class in their HTML, prerendered lessons set it from a one-line
 * script in <head> (run before <body> exists), under the site's CSP.
 */
import crypto from 'node:crypto';
import { test, expect, type BrowserContext, type Page } from '@playwright/test';

/** The <html> class at the moment <body> is first inserted: what the first paint uses. */
async function recordClassAtBody(context: BrowserContext) {
  await context.addInitScript(() => {
    const w = window as unknown as { __classAtBody?: string };
    new MutationObserver((_, obs) => {
      if (document.body && w.__classAtBody === undefined) {
        w.__classAtBody = document.documentElement.className;
        obs.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
}
const classAtBody = (page: Page) => page.evaluate(() => (window as unknown as { __classAtBody?: string }).__classAtBody);
/** The body's background, drawn on a canvas (any CSS colour syntax), is dark. */
const bodyIsDark = (page: Page) =>
  page.evaluate(() => {
    const ctx = document.createElement('canvas').getContext('2d')!;
    ctx.fillStyle = getComputedStyle(document.body).backgroundColor;
    ctx.fillRect(0, 0, 1, 1);
    const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data;
    return (r! + g! + b!) / 3 < 100;
  });
const cookieTheme = async (context: BrowserContext) => (await context.cookies()).find((c) => c.name === 'theme')?.value;

test('the device decides by default; a choice is kept, applied before the first paint, on lessons too', async ({ browser }) => {
  const violations: string[] = [];
  const context = await browser.newContext({ colorScheme: 'dark' });
  await recordClassAtBody(context);
  const page = await context.newPage();
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.goto('/');
  expect(await page.locator('html').getAttribute('class')).toBeNull();
  expect(await bodyIsDark(page)).toBe(true);
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await bodyIsDark(page)).toBe(false);

  // Dark, chosen on a light device.
  await page.getByTestId('theme-switch').selectOption('dark');
  await expect(page.locator('html')).toHaveClass('dark');
  expect(await bodyIsDark(page)).toBe(true);
  await expect.poll(() => cookieTheme(context)).toBe('dark');
  await page.reload();
  expect(await classAtBody(page)).toBe('dark');
  await expect(page.getByTestId('theme-switch')).toHaveValue('dark');

  // A prerendered lesson: the same file for every reader, the class set by the head script before <body>.
  await page.goto('/weeks/1/terraform-basics');
  expect(await classAtBody(page)).toBe('dark');
  expect(await bodyIsDark(page)).toBe(true);
  await expect(page.getByTestId('theme-switch')).toHaveValue('dark');

  // Light on a dark device.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.getByTestId('theme-switch').selectOption('light');
  await expect(page.locator('html')).toHaveClass('light');
  expect(await bodyIsDark(page)).toBe(false);
  await page.reload();
  expect(await classAtBody(page)).toBe('light');
  expect(await bodyIsDark(page)).toBe(false);

  // Back to the device's setting.
  await page.getByTestId('theme-switch').selectOption('system');
  await expect.poll(() => cookieTheme(context)).toBe('system');
  await page.reload();
  expect(await classAtBody(page)).toBe('');
  expect(await bodyIsDark(page)).toBe(true);
  expect(violations).toEqual([]);
  await context.close();
});

test('the choice is remembered on the account: another browser signing in gets it, lessons included', async ({ browser }) => {
  const email = `theme-${crypto.randomBytes(4).toString('hex')}@e2e.lms`;
  const first = await browser.newContext({ colorScheme: 'light' });
  const a = await first.newPage();
  await a.goto('/signup');
  await a.locator('input[name=name]').fill('Theme Tester');
  await a.locator('input[name=email]').fill(email);
  await a.locator('input[name=password]').fill('a-long-password-theme');
  await a.locator('form button[type=submit]').click();
  await expect(a).toHaveURL(/\/dashboard/);
  await a.getByTestId('theme-switch').selectOption('dark');
  await expect(a.locator('html')).toHaveClass('dark');
  // The server action stored it: the next request renders it.
  await expect.poll(async () => /<html[^>]*class="dark"/.test(await (await a.request.get('/dashboard')).text())).toBe(true);
  await first.close();

  // Another browser, light device, no cookie: signing in brings the account's choice, and the cookie follows it.
  const second = await browser.newContext({ colorScheme: 'light' });
  await recordClassAtBody(second);
  const b = await second.newPage();
  await b.goto('/weeks/1/terraform-basics');
  expect(await bodyIsDark(b)).toBe(false);
  await b.goto('/login');
  await b.locator('input[name=email]').fill(email);
  await b.locator('input[name=password]').fill('a-long-password-theme');
  await b.locator('form button[type=submit]').click();
  await expect(b).toHaveURL(/\/dashboard/);
  await expect(b.locator('html')).toHaveClass('dark');
  await expect.poll(() => cookieTheme(second)).toBe('dark');
  await b.reload();
  expect(await classAtBody(b)).toBe('dark');
  await b.goto('/weeks/1/terraform-basics');
  expect(await classAtBody(b)).toBe('dark');
  await second.close();
});
