/**
 * Labs for the journeys: a week counts as passed on the roadmap, the group board and the gradebook only when every lab
 * of the week is (its build lab and its troubleshooting lab). The journeys pass the lab they are about in the editor;
 * `passLabByApi` passes the week's other lab the way a script would (POST /api/submissions from the signed-in page,
 * same origin, then the status endpoint the lab page polls), through the real worker.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { listLabs } from '../lib/labs/registry';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Every file of a folder, relative paths, UTF-8. */
function folderFiles(dir: string, prefix = ''): { path: string; content: string }[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    return e.isDirectory() ? folderFiles(path.join(dir, e.name), rel) : [{ path: rel, content: fs.readFileSync(path.join(dir, e.name), 'utf8') }];
  });
}

/** The other labs of a lab's week (today: its troubleshooting lab). */
export function otherLabsOfWeek(labId: string): string[] {
  const labs = listLabs().filter((l) => !l.manifest.id.startsWith('test-'));
  const week = labs.find((l) => l.manifest.id === labId)!.manifest.week;
  return labs.filter((l) => l.manifest.week === week && l.manifest.id !== labId).map((l) => l.manifest.id);
}

/** Submits a lab's reference solution as the page's signed-in user and waits until it is graded and passed. */
export async function passLabByApi(page: Page, labId: string): Promise<void> {
  const files = folderFiles(path.join(ROOT, 'labs', labId, 'solution'));
  const submissionId = await page.evaluate(
    async ({ labId, files }) => {
      const r = await fetch('/api/submissions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ labId, files }) });
      if (r.status !== 202) throw new Error(`submit ${labId}: ${r.status} ${await r.text()}`);
      return ((await r.json()) as { submissionId: string }).submissionId;
    },
    { labId, files },
  );
  await expect
    .poll(
      async () =>
        page.evaluate(async (id) => {
          const s = (await (await fetch(`/api/submissions/${id}`)).json()) as { status: string; labPassed: boolean | null };
          return s.status === 'GRADED' ? `GRADED passed=${s.labPassed}` : s.status;
        }, submissionId),
      { timeout: 120_000, intervals: [500] },
    )
    .toBe('GRADED passed=true');
}
