/** bin/lms labs list | verify: the labs, and each one's solution, starter, cases and variants through the sandbox. */
import { CliError, log } from './sh';
import { ensureDocker } from './services';
import { ensureBaseImage } from './images';

export async function cmdLabsList(opts: { json: boolean }): Promise<number> {
  const { listLabs } = await import('../lib/labs/registry');
  const { maxPoints } = await import('../lib/labs/manifest');
  const rows = listLabs().map((l) => ({
    id: l.manifest.id,
    week: l.manifest.week,
    kind: l.manifest.purpose,
    grading: l.manifest.kind,
    title: l.manifest.title.en,
    maxPoints: maxPoints(l.manifest),
  }));
  if (opts.json) process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
  else for (const r of rows) process.stdout.write(`${String(r.week).padStart(2)}  ${r.id.padEnd(28)} ${String(r.maxPoints).padStart(3)} pts  ${r.title}\n`);
  return 0;
}

/**
 * bin/lms labs verify [<lab>...] [--json] [--concurrency N]: each lab's solution, starter, known-wrong cases and
 * variants through the real sandbox, a table per lab of what did what it must. Exit 1 when anything did not.
 */
export async function cmdLabsVerify(opts: { ids: string[]; json: boolean; verbose: boolean; concurrency: number }): Promise<number> {
  const { json, verbose, concurrency } = opts;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) throw new CliError('--concurrency must be a whole number from 1 to 16');
  const { listLabs } = await import('../lib/labs/registry');
  const { verifyLab, summarise } = await import('../lib/labs/verify');
  const { ensureGraderImages } = await import('../lib/grading/images');
  const all = listLabs();
  const find = (id: string) => all.find((l) => l.manifest.id === id || `week${String(l.manifest.week).padStart(2, '0')}` === id);
  const labs = opts.ids.length
    ? opts.ids.map(
        (id) =>
          find(id) ??
          (() => {
            throw new CliError(`no lab "${id}" (bin/lms labs list)`);
          })(),
      )
    : all.filter((l) => !l.manifest.id.startsWith('test-'));
  const docker = await ensureDocker();
  await ensureBaseImage(docker);
  await ensureGraderImages(docker, labs, log);
  const report: { lab: string; ok: boolean; summary: ReturnType<typeof summarise>; rows: Awaited<ReturnType<typeof verifyLab>> }[] = [];
  for (const lab of labs) {
    const t0 = Date.now();
    const rows = await verifyLab(docker, lab, { concurrency });
    const summary = summarise(rows);
    report.push({ lab: lab.manifest.id, ok: rows.every((r) => r.ok), summary, rows });
    if (!json) log(`${lab.manifest.id}: ${rows.filter((r) => r.ok).length}/${rows.length} as expected (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
  if (json) {
    process.stdout.write(JSON.stringify({ ok: report.every((r) => r.ok), labs: report }, null, 2) + '\n');
  } else {
    const cell = (s: { ok: number; total: number }) => `${s.ok}/${s.total}`.padStart(7);
    process.stdout.write(`\n${'lab'.padEnd(28)} solution starter   cases variants    from  verdict\n`);
    for (const r of report) {
      process.stdout.write(
        `${r.lab.padEnd(28)} ${cell(r.summary.solution)} ${cell(r.summary.starter)} ${cell(r.summary.case)} ${cell(r.summary.variant)} ${cell(r.summary.startFrom)}  ${r.ok ? 'as expected' : 'NOT as expected'}\n`,
      );
    }
    for (const r of report) {
      for (const row of r.rows.filter((x) => !x.ok || verbose)) {
        process.stdout.write(`  ${row.ok ? 'ok ' : 'BAD'} ${r.lab} ${row.kind} ${row.name}: must ${row.expected}; got ${row.got}\n`);
      }
    }
  }
  return report.every((r) => r.ok) ? 0 : 1;
}
