/**
 * Verifying a lab through the real sandbox: the reference solution and every variant score full marks, every
 * known-wrong case fails exactly the checks its expect.json names, the starter stays below the pass mark. Shared by
 * `bin/lms labs verify` and the integration suite; grades run concurrently up to the worker's slots.
 */
import path from 'node:path';
import type Docker from 'dockerode';
import { gradeFiles } from '../grading/grade';
import { labPassed, type StoredResult } from '../grading/result';
import { getLab, labSubmissionDirs, readCase, readFolderFiles, readVariant, type Lab } from './registry';

export type VerifyKind = 'solution' | 'starter' | 'case' | 'variant' | 'startFrom';

export interface VerifyItem {
  kind: VerifyKind;
  /** "solution", "starter", or the case's / variant's folder name. */
  name: string;
  /** For a variant: how it is written. */
  style?: string;
  /** What it must do: "full marks", "below the pass mark", or "fail a, b". */
  expected: string;
  files: { path: string; content: Buffer }[];
  /** Checks a case must fail (exactly these). */
  mustFail?: string[];
}

export interface VerifyRow {
  kind: VerifyKind;
  name: string;
  style?: string;
  expected: string;
  ok: boolean;
  /** What happened, in one line: the score and the failed checks with their messages. */
  got: string;
  score?: number;
  maxScore?: number;
  failed?: string[];
  durationMs: number;
}

/** Every submission a lab folder holds, with what each must do. Throws on a malformed case or variant folder. */
export function labVerifyItems(lab: Lab): VerifyItem[] {
  const items: VerifyItem[] = [
    { kind: 'solution', name: 'solution', expected: 'full marks', files: readFolderFiles(path.join(lab.dir, 'solution')) },
    { kind: 'starter', name: 'starter', expected: 'below the pass mark', files: readFolderFiles(path.join(lab.dir, 'starter')) },
  ];
  for (const dir of labSubmissionDirs(lab, 'cases')) {
    const c = readCase(dir);
    items.push({ kind: 'case', name: path.basename(dir), expected: `fail ${[...c.expect.fail].sort().join(', ')}`, files: c.files, mustFail: c.expect.fail });
  }
  for (const dir of labSubmissionDirs(lab, 'variants')) {
    const v = readVariant(dir);
    items.push({ kind: 'variant', name: path.basename(dir), style: v.variant.style, expected: 'full marks', files: v.files });
  }
  for (const sf of lab.manifest.startFrom) {
    const from = getLab(sf.lab);
    if (!from) throw new Error(`startFrom: no lab ${sf.lab}`);
    items.push({
      kind: 'startFrom',
      name: sf.lab,
      expected: 'gradable, below the pass mark',
      files: startFromFiles(lab, readFolderFiles(path.join(from.dir, 'solution')), sf.files),
    });
  }
  return items;
}

/**
 * What a learner who passed `startFrom`'s lab gets in the editor: this lab's starter with their mapped files on top
 * (here the earlier lab's reference solution stands for their passing work). It must be a starting point: gradable and
 * below the pass mark.
 */
export function startFromFiles(lab: Lab, earlier: { path: string; content: Buffer }[], mapping: Record<string, string>): { path: string; content: Buffer }[] {
  const files = new Map(readFolderFiles(path.join(lab.dir, 'starter')).map((f) => [f.path, f]));
  for (const [src, target] of Object.entries(mapping)) {
    const f = earlier.find((x) => x.path === src);
    if (f) files.set(target, { path: target, content: f.content });
  }
  return [...files.values()].sort((a, b) => a.path.localeCompare(b.path));
}

/** Whether a graded result is what the item must do, and a one-line account of it. */
export function judgeItem(lab: Lab, item: VerifyItem, r: StoredResult): { ok: boolean; got: string; failed: string[] } {
  const failed = r.checks.filter((c) => !c.passed).map((c) => c.id);
  const detail = r.checks
    .filter((c) => !c.passed)
    .map((c) => `${c.id}: ${c.message.en}`)
    .join(' | ');
  const got = !r.gradable ? `not gradable: ${r.message?.en ?? ''}` : `${r.score}/${r.maxScore}${failed.length ? ` failed ${detail}` : ''}`;
  let ok: boolean;
  switch (item.kind) {
    case 'solution':
    case 'variant':
      ok = r.gradable && failed.length === 0 && r.score === r.maxScore && labPassed(lab.manifest, r);
      break;
    case 'starter':
    case 'startFrom':
      ok = r.gradable && r.score / r.maxScore < lab.manifest.passRatio && !labPassed(lab.manifest, r);
      break;
    case 'case': {
      const want = [...(item.mustFail ?? [])].sort();
      ok = r.gradable && JSON.stringify([...failed].sort()) === JSON.stringify(want);
      break;
    }
  }
  return { ok, got: got.slice(0, 2000), failed };
}

/** Runs `fn` over `items` with at most `concurrency` at once, keeping the order of the results. */
async function mapConcurrent<T, R>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      out[i] = await fn(items[i]!, i);
    }
  });
  await Promise.all(lanes);
  return out;
}

async function verifyItem(docker: Docker, lab: Lab, item: VerifyItem): Promise<VerifyRow> {
  const t0 = Date.now();
  const base = { kind: item.kind, name: item.name, style: item.style, expected: item.expected };
  try {
    const outcome = await gradeFiles({ docker, labId: lab.manifest.id, files: item.files });
    if (outcome.kind !== 'graded') return { ...base, ok: false, got: `timed out: ${outcome.message}`, durationMs: Date.now() - t0 };
    const r = outcome.result;
    const j = judgeItem(lab, item, r);
    return { ...base, ok: j.ok, got: j.got, score: r.score, maxScore: r.maxScore, failed: j.failed, durationMs: Date.now() - t0 };
  } catch (e) {
    return { ...base, ok: false, got: `grading could not run: ${(e as Error).message}`, durationMs: Date.now() - t0 };
  }
}

export async function verifyLab(docker: Docker, lab: Lab, opts: { concurrency?: number } = {}): Promise<VerifyRow[]> {
  const items = labVerifyItems(lab);
  return mapConcurrent(items, opts.concurrency ?? 2, (item) => verifyItem(docker, lab, item));
}

/** One line per lab: how many of each kind did what they must. */
export function summarise(rows: VerifyRow[]): Record<VerifyKind, { ok: number; total: number }> {
  const s = {
    solution: { ok: 0, total: 0 },
    starter: { ok: 0, total: 0 },
    case: { ok: 0, total: 0 },
    variant: { ok: 0, total: 0 },
    startFrom: { ok: 0, total: 0 },
  };
  for (const r of rows) {
    s[r.kind].total++;
    if (r.ok) s[r.kind].ok++;
  }
  return s;
}
