/**
 * One running project (issue 17 §3): week 9's multi-stage lab offers a learner who passed week 2 their own week-2
 * Dockerfile as its starting point (and one who passed week 5 their checkout Deployment; not passed here, so that offer
 * stays locked). Before they pass week 2 the page says what passing would give; after (through the
 * real worker and grader) "Start from your week 2 work" puts their Dockerfile into the editor without submitting, and
 * Undo puts the starter's back.
 */
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { passLabByApi } from './labs';

const ROOT = path.resolve(import.meta.dirname, '..');
const LAB = 'week09-deploy-optimisation';
const EARLIER = 'week02-docker-server';
const WEEK5 = 'week05-k8s-manifests';

test('a learner who passed week 2 starts week 9 from their own Dockerfile', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addCookies([{ name: 'lang', value: 'en', url: test.info().project.use.baseURL ?? process.env.E2E_BASE_URL ?? 'http://localhost:3100' }]);
  const page = await context.newPage();
  await page.goto('/signup');
  await page.locator('input[name=name]').fill('Start From');
  await page.locator('input[name=email]').fill(`start-from-${Date.now()}@e2e.lms`);
  await page.locator('input[name=password]').fill('a-long-password-1');
  await page.locator('form button[type=submit]').click();
  await expect(page).toHaveURL(/\/dashboard/);

  // Not passed yet: what passing week 2 would give, and no button.
  await page.goto(`/labs/${LAB}`);
  const panel = page.getByTestId('start-from');
  const locked = (lab: string) => panel.locator(`[data-testid="start-from-locked"][data-lab="${lab}"]`);
  await expect(locked(EARLIER)).toContainText('Pass week 2’s lab');
  await expect(locked(EARLIER)).toContainText('Dockerfile');
  await expect(locked(WEEK5)).toContainText('Pass week 5’s lab');
  await expect(locked(WEEK5)).toContainText('k8s/deployment.yaml');
  await expect(panel.getByTestId('start-from-use')).toHaveCount(0);

  // Week 2 passed through the real grader (its image built from the reference Dockerfile).
  await passLabByApi(page, EARLIER);
  await page.goto(`/labs/${LAB}`);
  const editor = page.getByTestId('editor');
  await page.getByRole('tab', { name: 'Dockerfile' }).click();
  await expect(editor).toContainText('COPY . .'); // the starter's single stage
  await expect(locked(EARLIER)).toHaveCount(0);
  await expect(locked(WEEK5)).toBeVisible(); // week 5 not passed: still what passing would give
  const use = panel.getByTestId('start-from-use');
  await expect(use).toHaveText('Start from your week 2 work');
  await expect(panel.getByTestId('start-from-offer')).toContainText(/\((\d+)\/\1\)/);
  await use.click();

  // Their own Dockerfile, in the editor only.
  const mine = fs.readFileSync(path.join(ROOT, 'labs', EARLIER, 'solution', 'Dockerfile'), 'utf8');
  await expect(page.getByRole('tab', { name: 'Dockerfile' })).toHaveAttribute('aria-selected', 'true');
  await expect(editor).toHaveAttribute('aria-label', 'Dockerfile');
  await expect(editor).toContainText('COPY server.js ./');
  await expect(editor).toContainText(mine.split('\n').find((l) => l.startsWith('FROM '))!);
  await expect(editor).not.toContainText('COPY . .');
  await expect(panel.getByTestId('start-from-note')).toHaveText('Dockerfile now holds your week 2 work. Nothing was submitted.');
  // The other files are still the starter's, and nothing was submitted.
  await page.getByRole('tab', { name: 'k8s/deployment.yaml' }).click();
  await expect(editor).toContainText('matchLabels: { app.kubernetes.io/name: checkout }'); // week 9's starter, not week 5's
  await expect(page.getByTestId('history')).toHaveCount(0);
  await expect(page.getByTestId('status-panel')).toHaveCount(0);

  // Undo: the starter's Dockerfile again.
  await panel.getByTestId('start-from-undo').click();
  await expect(editor).toHaveAttribute('aria-label', 'Dockerfile');
  await expect(editor).toContainText('COPY . .');
  await expect(editor).not.toContainText('COPY server.js ./');
  await expect(panel.getByTestId('start-from-undo')).toHaveCount(0);
  await context.close();
});
