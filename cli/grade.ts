/** bin/lms grade <lab-id> <file-or-dir>...: files graded through the same sandbox as the worker, without a database. */
import fs from 'node:fs';
import path from 'node:path';
import { CliError, log } from './sh';
import { ensureDocker } from './services';
import { ensureBaseImage } from './images';

export async function cmdGrade(opts: { labId: string; inputs: string[]; json: boolean; lang: 'ko' | 'en' }): Promise<number> {
  const { labId, inputs, json, lang } = opts;
  const { getLab, readFolderFiles, readCase, listLabs } = await import('../lib/labs/registry');
  if (!getLab(labId)) throw new CliError(`no lab "${labId}" (bin/lms labs list)`);
  const files: { path: string; content: Buffer }[] = [];
  for (const input of inputs) {
    const abs = path.resolve(input);
    if (!fs.existsSync(abs)) throw new CliError(`${input}: no such file or folder`);
    const st = fs.lstatSync(abs);
    // A case folder (with expect.json) is read as the case is graded: an overlay on the solution when it says so.
    if (st.isDirectory() && fs.existsSync(path.join(abs, 'expect.json'))) {
      try {
        files.push(...readCase(abs).files);
      } catch (e) {
        throw new CliError((e as Error).message);
      }
    } else if (st.isDirectory()) files.push(...readFolderFiles(abs));
    else files.push({ path: path.basename(abs), content: fs.readFileSync(abs) });
  }
  const docker = await ensureDocker();
  const { gradeFiles } = await import('../lib/grading/grade');
  const { ensureGraderImages } = await import('../lib/grading/images');
  await ensureBaseImage(docker);
  await ensureGraderImages(
    docker,
    listLabs().filter((l) => l.manifest.id === labId),
    log,
  );
  const outcome = await gradeFiles({ docker, labId, files });
  if (outcome.kind === 'timed_out') {
    const doc = { labId, gradable: false, timedOut: true, score: 0, maxScore: 0, message: outcome.message, checks: [], durationMs: outcome.durationMs };
    process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
    return 0;
  }
  const r = outcome.result;
  if (json) {
    const doc = {
      labId: r.labId,
      gradable: r.gradable,
      score: r.score,
      maxScore: r.maxScore,
      ...(r.message ? { message: r.message[lang] } : {}),
      checks: r.checks.map((c) => ({
        id: c.id,
        title: c.title[lang],
        points: c.points,
        maxPoints: c.maxPoints,
        passed: c.passed,
        message: c.message[lang],
        hint: c.hint[lang],
      })),
      durationMs: r.durationMs,
    };
    process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
  } else {
    process.stdout.write(`${r.labId}: ${r.gradable ? `${r.score} / ${r.maxScore}` : 'not gradable'}  (${r.durationMs} ms)\n`);
    if (r.message) process.stdout.write(`  ${r.message[lang]}\n`);
    for (const c of r.checks) process.stdout.write(`  ${c.passed ? 'PASS' : 'FAIL'} ${c.id} ${c.points}/${c.maxPoints}  ${c.message[lang]}\n`);
  }
  return 0;
}
