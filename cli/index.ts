/**
 * bin/lms: the one entry for people and CI. `up` serves the product; `test` runs every test; the rest are the
 * tools a lab author or operator reaches for.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { CliError, log } from './sh';
import { ROOT, DATA_DIR, ensureDocker, ensurePostgres, ensureDatabase, ensureRedis, stopPostgres } from './services';
import { prismaGenerate, migrate, localSecret, nextBuild, webCommand } from './prepare';
import { ensureBaseImage, prepareBuilder } from './images';

const USAGE = `usage: bin/lms <command>

  up                         install what is missing, prepare, and serve the site (http://localhost:3000) and the worker
  test                       run the whole test suite (types, lint, unit, integration, end-to-end)
  labs list [--json]         the labs: id, week, kind (build or troubleshoot), grading (static or subject), title, maxPoints
  labs verify [<lab>...] [--json] [--concurrency N] [--verbose]
                             grade each lab's solution, starter, cases and variants; a table of what did as it must
  grade <lab-id> <file-or-dir>... [--json] [--lang ko|en]
                             grade files through the same sandbox as the worker
  content list [--json]      every lesson: week, slug, title, languages
  content check              validate lessons (schema, translations, internal links, glossary, quizzes)
  images build [--force]     build the base, runtime and grader images
  worker                     run a grading worker (uses DATABASE_URL, REDIS_URL, DOCKER_HOST)
  backup [--out file]        a consistent dump of the database (gzip JSON; one snapshot), default .data/backups/
  restore <file> [--force]   load a backup into an empty database (--force replaces what is there)
  bench grading [--json] [--n 20] [--burst 200] [--concurrency 2] [--lab <id>]
                             the grading engine against raw docker run (see README)
  bench web [--json] [--seconds 10] [--connections 10]
                             lesson page and dashboard of the production build against a static floor
  bench load [--json] [--learners 200] [--seconds 30] [--url http://localhost:3000]
                             simulated learners browsing and submitting; counts by status, p50/p95 by route
  bench workspace [--json] [--n 10] [--echo 100] [--concurrent 50] [--burst 20] [--lab <id>]
                             workspaces: time to a prompt (cold, pooled) and keystroke echo against raw docker
`;

export const DEMO_PASSWORD = 'devops-demo-2026';
export const DEMO_ACCOUNTS = [
  { email: 'instructor@demo.lms', name: 'Instructor Kim', role: 'INSTRUCTOR' as const },
  { email: 'learner1@demo.lms', name: 'Learner Lee', role: 'LEARNER' as const },
  { email: 'learner2@demo.lms', name: 'Learner Park', role: 'LEARNER' as const },
  { email: 'admin@demo.lms', name: 'Admin Choi', role: 'ADMIN' as const },
];

function flag(args: string[], name: string): boolean {
  const i = args.indexOf(name);
  if (i >= 0) args.splice(i, 1);
  return i >= 0;
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
}

/** Services and database for a run; returns the env the web and worker processes get. */
export async function prepareStack(opts: { database: string; redisPrefix: string; fresh?: boolean }): Promise<NodeJS.ProcessEnv> {
  const { serverUrl } = await ensurePostgres();
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl || opts.fresh) {
    if (opts.fresh) {
      const { dropDatabase } = await import('./services');
      await dropDatabase(serverUrl, opts.database);
    }
    databaseUrl = await ensureDatabase(serverUrl, opts.database);
  }
  const redisUrl = await ensureRedis();
  await prismaGenerate();
  await migrate(databaseUrl);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: opts.redisPrefix,
    NEXTAUTH_SECRET: localSecret(),
    LMS_ROOT: ROOT,
  };
  Object.assign(process.env, env);
  return env;
}

export async function prepareImages(force = false): Promise<void> {
  const docker = await ensureDocker();
  await ensureBaseImage(docker);
  const { listLabs } = await import('../lib/labs/registry');
  const { ensureGraderImages, buildGraderImage, ensureRuntimeImage } = await import('../lib/grading/images');
  await ensureRuntimeImage(docker);
  if (force) for (const lab of listLabs()) await buildGraderImage(docker, lab, { force: true });
  else await ensureGraderImages(docker, listLabs(), log);
  // The learner-image builders (Dockerfile labs): their base, the learner bases and the builder image.
  await prepareBuilder(docker);
  // The workspace images (lib/workspaces/images.ts): the common base and one per lab with `workspace:`.
  const { ensureWorkspaceImages } = await import('../lib/workspaces/images');
  await ensureWorkspaceImages(docker, listLabs(), log);
}

export async function seedDemo(): Promise<void> {
  const { seedDemoData } = await import('../lib/seed');
  await seedDemoData(DEMO_ACCOUNTS, DEMO_PASSWORD);
}

function startChild(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
  child.on('exit', (code, sig) => log(`${name} exited (${code ?? sig})`));
  return child;
}

async function cmdUp(args: string[]): Promise<void> {
  const port = Number(option(args, '--port') ?? process.env.PORT ?? 3000);
  const t0 = Date.now();
  const env = await prepareStack({ database: 'lms', redisPrefix: process.env.REDIS_PREFIX ?? 'lms' });
  await prepareImages();
  await seedDemo();
  env.NEXTAUTH_URL = process.env.NEXTAUTH_URL ?? `http://localhost:${port}`;
  (env as Record<string, string>).NODE_ENV = 'production';
  await nextBuild(env);
  const inUse = await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.ok).catch(() => false);
  if (inUse) {
    printWelcome(port);
    log(`the site is already running on port ${port}; nothing more to start`);
    return;
  }
  const wc = webCommand(port);
  const web = startChild('web', wc.cmd, wc.args, { ...env, ...wc.env });
  const worker = startChild('worker', process.execPath, ['--import', 'tsx', path.join(ROOT, 'worker', 'index.ts')], env);
  for (let i = 0; i < 120; i++) {
    if (await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.ok).catch(() => false)) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  log(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  printWelcome(port);
  const stop = async () => {
    worker.kill('SIGTERM');
    web.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1500));
    await stopPostgres();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  await new Promise<void>((resolve) => {
    web.on('exit', () => resolve());
  });
  worker.kill('SIGTERM');
  await stopPostgres();
}

function printWelcome(port: number): void {
  const lines = [
    '',
    `  DevOps LMS is running:  http://localhost:${port}`,
    '',
    '  Demo accounts (password for all: ' + DEMO_PASSWORD + ')',
    ...DEMO_ACCOUNTS.map((a) => `    ${a.role.padEnd(10)} ${a.email}`),
    '',
    '  Stop with Ctrl-C. Run `bin/lms up` again any time; it reuses what is already there.',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

async function cmdLabs(args: string[]): Promise<number> {
  const sub = args.shift();
  if (sub === 'verify') return cmdLabsVerify(args);
  if (sub !== 'list') throw new CliError(USAGE);
  const json = flag(args, '--json');
  const { listLabs } = await import('../lib/labs/registry');
  const { maxPoints } = await import('../lib/labs/manifest');
  const rows = listLabs().map((l) => ({ id: l.manifest.id, week: l.manifest.week, kind: l.manifest.purpose, grading: l.manifest.kind, title: l.manifest.title.en, maxPoints: maxPoints(l.manifest) }));
  if (json) process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
  else for (const r of rows) process.stdout.write(`${String(r.week).padStart(2)}  ${r.id.padEnd(28)} ${String(r.maxPoints).padStart(3)} pts  ${r.title}\n`);
  return 0;
}

/**
 * bin/lms labs verify [<lab>...] [--json] [--concurrency N]: each lab's solution, starter, known-wrong cases and
 * variants through the real sandbox, a table per lab of what did what it must. Exit 1 when anything did not.
 */
async function cmdLabsVerify(args: string[]): Promise<number> {
  const json = flag(args, '--json');
  const verbose = flag(args, '--verbose');
  const concurrency = Number(option(args, '--concurrency') ?? process.env.WORKER_CONCURRENCY ?? 2);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) throw new CliError('--concurrency must be a whole number from 1 to 16');
  const { listLabs } = await import('../lib/labs/registry');
  const { verifyLab, summarise } = await import('../lib/labs/verify');
  const { ensureGraderImages } = await import('../lib/grading/images');
  const all = listLabs();
  const labs = args.length ? args.map((id) => all.find((l) => l.manifest.id === id || `week${String(l.manifest.week).padStart(2, '0')}` === id) ?? (() => { throw new CliError(`no lab "${id}" (bin/lms labs list)`); })()) : all.filter((l) => !l.manifest.id.startsWith('test-'));
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
    process.stdout.write(`\n${'lab'.padEnd(28)} solution starter   cases variants  verdict\n`);
    for (const r of report) {
      process.stdout.write(`${r.lab.padEnd(28)} ${cell(r.summary.solution)} ${cell(r.summary.starter)} ${cell(r.summary.case)} ${cell(r.summary.variant)}  ${r.ok ? 'as expected' : 'NOT as expected'}\n`);
    }
    for (const r of report) {
      for (const row of r.rows.filter((x) => !x.ok || verbose)) {
        process.stdout.write(`  ${row.ok ? 'ok ' : 'BAD'} ${r.lab} ${row.kind} ${row.name}: must ${row.expected}; got ${row.got}\n`);
      }
    }
  }
  return report.every((r) => r.ok) ? 0 : 1;
}

async function cmdGrade(args: string[]): Promise<number> {
  const json = flag(args, '--json');
  const lang = (option(args, '--lang') ?? 'en') as 'ko' | 'en';
  const [labId, ...inputs] = args;
  if (!labId || inputs.length === 0) throw new CliError('usage: bin/lms grade <lab-id> <file-or-dir>... [--json]');
  const { getLab, readFolderFiles, readCase } = await import('../lib/labs/registry');
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
  const { listLabs } = await import('../lib/labs/registry');
  await ensureBaseImage(docker);
  await ensureGraderImages(docker, listLabs().filter((l) => l.manifest.id === labId), log);
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
      checks: r.checks.map((c) => ({ id: c.id, title: c.title[lang], points: c.points, maxPoints: c.maxPoints, passed: c.passed, message: c.message[lang], hint: c.hint[lang] })),
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

async function cmdContent(args: string[]): Promise<number> {
  const sub = args.shift();
  const json = flag(args, '--json');
  const { listLessons, checkContent } = await import('../lib/content/index');
  const { labFolderProblems, listLabs } = await import('../lib/labs/registry');
  if (sub === 'list') {
    const rows = listLessons();
    if (json) process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    else for (const r of rows) process.stdout.write(`${String(r.week).padStart(2)}  ${r.slug.padEnd(36)} ${r.title}\n`);
    return 0;
  }
  if (sub === 'check') {
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
  throw new CliError(USAGE);
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const cmd = args.shift();
  switch (cmd) {
    case 'up':
      await cmdUp(args);
      return 0;
    case 'test': {
      const { cmdTest } = await import('./test');
      return cmdTest(args);
    }
    case 'labs':
      return cmdLabs(args);
    case 'grade':
      return cmdGrade(args);
    case 'content':
      return cmdContent(args);
    case 'images':
      if (args[0] !== 'build') throw new CliError(USAGE);
      await prepareImages(args.includes('--force'));
      {
        // The base the app's Dockerfile builds FROM where no registry answers (NODE_IMAGE=lms/node:20-bookworm-slim).
        const { ensureLocalNodeImage } = await import('./images');
        const Docker = (await import('dockerode')).default;
        log(`node base for the app images: ${await ensureLocalNodeImage(new Docker())}`);
      }
      return 0;
    case 'worker':
      await import('../worker/index');
      return new Promise(() => {});
    case 'backup':
    case 'restore': {
      // The database `bin/lms up` serves, or DATABASE_URL when set (prepareStack migrates it first).
      await prepareStack({ database: 'lms', redisPrefix: process.env.REDIS_PREFIX ?? 'lms' });
      const { cmdBackup, cmdRestore } = await import('./backup');
      return cmd === 'backup' ? cmdBackup(args) : cmdRestore(args, migrate);
    }
    case 'bench': {
      if (args[0] === 'web') {
        const { cmdBenchWeb } = await import('./bench-web');
        return cmdBenchWeb(args.slice(1));
      }
      if (args[0] === 'load') {
        const { cmdBenchLoad } = await import('./bench-load');
        return cmdBenchLoad(args.slice(1));
      }
      if (args[0] === 'workspace') {
        const { cmdBenchWorkspace } = await import('./bench-workspace');
        return cmdBenchWorkspace(args.slice(1));
      }
      const { cmdBench } = await import('./bench');
      return cmdBench(args);
    }
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return 0;
    default:
      throw new CliError(`unknown command "${cmd}"\n\n${USAGE}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(ROOT, 'cli', 'index.ts')) {
  main()
    .then((code) => {
      if (code !== 0) process.exitCode = code;
      if (!['up', 'worker'].includes(process.argv[2] ?? '')) void stopPostgres().then(() => process.exit(code));
    })
    .catch(async (e) => {
      process.stderr.write(`[lms] ${e instanceof CliError ? e.message : (e as Error).stack ?? String(e)}\n`);
      await stopPostgres().catch(() => {});
      process.exit(1);
    });
}
void DATA_DIR;
