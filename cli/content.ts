/** bin/lms content list | check: the lessons, and every rule a lesson and a lab folder must follow. */
import { log } from './sh';

export async function cmdContentList(opts: { json: boolean }): Promise<number> {
  const { listLessons } = await import('../lib/content/index');
  const rows = listLessons();
  if (opts.json) process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
  else for (const r of rows) process.stdout.write(`${String(r.week).padStart(2)}  ${r.slug.padEnd(36)} ${r.title}\n`);
  return 0;
}

export async function cmdContentCheck(): Promise<number> {
  const { listLessons, checkContent } = await import('../lib/content/index');
  const { labFolderProblems, listLabs } = await import('../lib/labs/registry');
  const problems = checkContent(listLabs().map((l) => l.manifest.id));
  problems.push(...listLabs().flatMap(labFolderProblems));
  const { compileAll } = await import('./content-compile');
  problems.push(...(await compileAll()));
  // Korean glossary and quiz rules; some report warnings only (see lib/content/checks.ts for which and why).
  const { checkGlossary, checkQuizzes } = await import('../lib/content/checks');
  const warnings: string[] = [];
  for (const r of [checkGlossary(), checkQuizzes()]) {
    problems.push(...r.problems);
    warnings.push(...r.warnings);
  }
  if (warnings.length) process.stderr.write(`content check warnings (${warnings.length}, not failing):\n  ${warnings.join('\n  ')}\n`);
  if (problems.length) {
    process.stderr.write(`content check failed:\n  ${problems.join('\n  ')}\n`);
    return 1;
  }
  log(`content ok: ${listLessons().length} lessons in ko and en`);
  return 0;
}
