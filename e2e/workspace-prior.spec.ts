/**
 * A learner with an earlier attempt opens a workspace (issue 16): the lab page's editor starts from that attempt, the
 * first "Open terminal" takes it into the workspace, Reset goes back to the starter, a terminal edit shows in the
 * editor, and what the learner then types in the editor and uploads reaches the terminal. (e2e/workspace.spec.ts runs
 * the same steps for a learner with no attempt.)
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { test, expect, type Page } from '@playwright/test';
import { hashPassword } from '../lib/auth/password';

const ROOT = path.resolve(import.meta.dirname, '..');
const LAB = 'week01-terraform-vpc';
const PASSWORD = 'devops-demo-2026';
const SOLUTION = path.join(ROOT, 'labs', LAB, 'solution');
const solution = (f: string) => fs.readFileSync(path.join(SOLUTION, f), 'utf8');

const LEARNER = `ws-prior-${Date.now().toString(36)}@e2e.lms`;
test.beforeAll(async () => {
  const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  try {
    await db.query(
      `INSERT INTO "User" (id, email, name, role, "passwordHash") VALUES ($1, $2, 'Workspace Prior', 'LEARNER', $3) ON CONFLICT (email) DO NOTHING`,
      [`wsprior${Date.now().toString(36)}`, LEARNER, await hashPassword(PASSWORD)],
    );
  } finally {
    await db.end();
  }
});

const screen = (page: Page) => page.locator('[data-testid=terminal] .xterm-rows');

async function run(page: Page, cmd: string) {
  await page.locator('[data-testid=terminal] .xterm-screen').click();
  await page.keyboard.type(cmd);
  await page.keyboard.press('Enter');
}

test('a learner with an earlier attempt: after the first open and a reset, editor edits and uploads reach the terminal', async ({ page, context }) => {
  test.setTimeout(150_000);
  await context.addCookies([{ name: 'lang', value: 'ko', url: test.info().project.use.baseURL ?? 'http://localhost:3100' }]);
  await page.goto('/login');
  await page.locator('input[name=email]').fill(LEARNER);
  await page.locator('input[name=password]').fill(PASSWORD);
  await page.locator('form button[type=submit]').click();
  await expect(page).toHaveURL(/\/dashboard/);

  // The earlier attempt (what e2e/learner-flow.spec.ts leaves for learner1): an empty main.tf, the solution's others.
  const files = [
    { path: 'main.tf', content: 'terraform {}\n' },
    { path: 'variables.tf', content: solution('variables.tf') },
    { path: 'outputs.tf', content: solution('outputs.tf') },
  ];
  const submissionId = await page.evaluate(
    async ({ labId, files }) => {
      const r = await fetch('/api/submissions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ labId, files }) });
      if (r.status !== 202) throw new Error(`submit: ${r.status} ${await r.text()}`);
      return ((await r.json()) as { submissionId: string }).submissionId;
    },
    { labId: LAB, files },
  );
  await expect
    .poll(async () => page.evaluate(async (id) => ((await (await fetch(`/api/submissions/${id}`)).json()) as { status: string }).status, submissionId), {
      timeout: 90_000,
      intervals: [500],
    })
    .toBe('GRADED');

  // The editor starts from that attempt; the first open takes it into the workspace.
  await page.goto(`/labs/${LAB}`);
  await page.getByRole('tab', { name: 'main.tf' }).click();
  await expect(page.getByTestId('editor')).toContainText('terraform {}');
  await page.getByTestId('open-terminal').click();
  await expect(page.getByTestId('terminal')).toHaveAttribute('data-phase', 'open');
  await expect(screen(page)).toContainText('$');

  // Right after the prompt: back to the starter.
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('reset-files').click();
  await expect(page.getByTestId('editor')).toContainText("# Week 1 lab: the shop's VPC in Terraform");

  // A terminal edit shows in the editor; a practice check.
  await run(page, "clear; sed -i '1i # edited in the terminal' main.tf && head -1 main.tf");
  await expect(page.getByTestId('editor')).toContainText('# edited in the terminal');
  await run(page, 'clear; lms check');
  await expect(screen(page)).toContainText('아직 통과 전', { timeout: 90_000 });

  // The editor's text and two uploads reach the terminal. "Saved" (shown since the first open's save) comes back only
  // once they are sent: the learner reads it as "the terminal has it".
  let uploadsSent = false;
  page.on('request', (r) => {
    if (r.method() === 'PUT' && r.url().endsWith('/workspace/files') && (r.postData() ?? '').includes('"outputs.tf"')) uploadsSent = true;
  });
  await page.getByTestId('editor').fill(solution('main.tf'));
  await page.getByTestId('upload').setInputFiles(['variables.tf', 'outputs.tf'].map((f) => path.join(SOLUTION, f)));
  await expect(page.getByTestId('save-state')).toHaveText('저장됨');
  expect(uploadsSent, 'saved before the uploads were sent').toBe(true);
  await run(page, 'clear; grep -q enable_dns_hostnames main.tf && test -s outputs.tf && test -s variables.tf && echo SYNCED-$((40+2))');
  await expect(screen(page)).toContainText('SYNCED-42', { timeout: 10_000 });
  // And the editor still shows what was uploaded (nothing came back to empty it).
  await page.getByRole('tab', { name: 'outputs.tf' }).click();
  await expect(page.getByTestId('editor')).toContainText('output');
});
