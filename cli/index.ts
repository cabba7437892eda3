/**
 * bin/lms: the one entry for people and CI. `up` serves the product; `test` runs every test; the rest are the
 * tools a lab author or operator reaches for. This file reads the command line and calls the command's module; the
 * stack the commands run on (services, images, the web and worker processes) is cli/stack.ts.
 */
import { CliError } from './sh';
import { stopPostgres } from './services';
import { getEnv } from '../lib/env';

const USAGE = `usage: bin/lms <command>

  up [--port N]              install what is missing, prepare, and serve the site (http://localhost:3000) and the worker
  test [<step>...] [-- <vitest args>]
                             run the whole test suite (types, lint, content, unit, deploy, integration, images, bench,
                             hostile, e2e), or the steps named
  labs list [--json]         the labs: id, week, kind (build or troubleshoot), grading (static or subject), title, maxPoints
  labs verify [<lab>...] [--json] [--concurrency N] [--verbose]
                             grade each lab's solution, starter, cases and variants; a table of what did as it must
  grade <lab-id> <file-or-dir>... [--json] [--lang ko|en]
                             grade files through the same sandbox as the worker
  content list [--json]      every lesson: week, slug, title, languages
  content check              validate lessons (schema, translations, internal links, glossary, quizzes)
  images build [--force]     build the base, runtime, grader, builder and workspace images
  worker                     run a grading worker (uses DATABASE_URL, REDIS_URL, DOCKER_HOST)
  backup [--out file]        a consistent dump of the database (gzip JSON; one snapshot), default .data/backups/
  restore <file> [--force]   load a backup into an empty database (--force replaces what is there)
  bench grading [--json] [--n 20] [--burst 200] [--concurrency 2] [--lab <id>]
                             the grading engine against raw docker run (see README)
  bench web [--json] [--seconds 10] [--connections 10] [--pollers 200] [--poll-ms 1000] [--port 3200] [--url http://host:port]
                             lesson, dashboard, lab page and status polls of the production build against a static floor
  bench load [--json] [--learners 200] [--seconds 30] [--url http://localhost:3000]
                             simulated learners browsing and submitting; counts by status, p50/p95 by route
  bench workspace [--json] [--n 10] [--echo 100] [--concurrent 50] [--burst 20] [--lab <id>]
                             workspaces: time to a prompt (cold, pooled) and keystroke echo against raw docker
`;

/** Takes `name` out of `args`; whether it was there. */
function flag(args: string[], name: string): boolean {
  const i = args.indexOf(name);
  if (i >= 0) args.splice(i, 1);
  return i >= 0;
}

/** Takes `name <value>` out of `args`; the value. */
function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
}

async function main(args: string[]): Promise<number> {
  const cmd = args.shift();
  switch (cmd) {
    case 'up': {
      const port = Number(option(args, '--port') ?? getEnv().PORT);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new CliError('--port must be a port number');
      const { cmdUp } = await import('./up');
      await cmdUp({ port });
      return 0;
    }
    case 'test': {
      const { cmdTest } = await import('./test');
      return cmdTest(args);
    }
    case 'labs': {
      const sub = args.shift();
      const json = flag(args, '--json');
      if (sub === 'list') return (await import('./labs')).cmdLabsList({ json });
      if (sub !== 'verify') throw new CliError(USAGE);
      const verbose = flag(args, '--verbose');
      const concurrency = Number(option(args, '--concurrency') ?? getEnv().WORKER_CONCURRENCY);
      return (await import('./labs')).cmdLabsVerify({ ids: args, json, verbose, concurrency });
    }
    case 'grade': {
      const json = flag(args, '--json');
      const lang = option(args, '--lang') ?? 'en';
      const [labId, ...inputs] = args;
      if (!labId || inputs.length === 0 || (lang !== 'ko' && lang !== 'en'))
        throw new CliError('usage: bin/lms grade <lab-id> <file-or-dir>... [--json] [--lang ko|en]');
      return (await import('./grade')).cmdGrade({ labId, inputs, json, lang });
    }
    case 'content': {
      const sub = args.shift();
      const json = flag(args, '--json');
      if (sub === 'list') return (await import('./content')).cmdContentList({ json });
      if (sub === 'check') return (await import('./content')).cmdContentCheck();
      throw new CliError(USAGE);
    }
    case 'images': {
      if (args[0] !== 'build') throw new CliError(USAGE);
      const { prepareImages, ensureLocalNodeImage } = await import('./images');
      const { ensureDocker } = await import('./services');
      const { log } = await import('./sh');
      await prepareImages(flag(args, '--force'));
      // The base the app's Dockerfile builds FROM where no registry answers (NODE_IMAGE=lms/node:20-bookworm-slim).
      log(`node base for the app images: ${await ensureLocalNodeImage(await ensureDocker())}`);
      return 0;
    }
    case 'worker': {
      const { startWorker } = await import('../worker/index');
      await startWorker();
      return new Promise(() => {}); // until a signal stops it (startWorker ends the process)
    }
    case 'backup':
    case 'restore': {
      // The database `bin/lms up` serves, or DATABASE_URL when set (startStack migrates it first).
      const { startStack } = await import('./stack');
      await startStack({ database: 'lms', redisPrefix: getEnv().REDIS_PREFIX });
      const { cmdBackup, cmdRestore } = await import('./backup');
      if (cmd === 'backup') return cmdBackup({ out: option(args, '--out') });
      const force = flag(args, '--force');
      return cmdRestore({ file: args.find((a) => !a.startsWith('--')), force });
    }
    case 'bench': {
      const what = args.shift();
      if (what === 'web') return (await import('./bench-web')).cmdBenchWeb(args);
      if (what === 'load') return (await import('./bench-load')).cmdBenchLoad(args);
      if (what === 'workspace') return (await import('./bench-workspace')).cmdBenchWorkspace(args);
      if (what === 'grading') return (await import('./bench')).cmdBench(args);
      throw new CliError(USAGE);
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

const command = process.argv[2] ?? '';
main(process.argv.slice(2))
  .then((code) => {
    if (code !== 0) process.exitCode = code;
    // `up` and `worker` keep running (their processes, their signal handlers); every other command ends here.
    if (!['up', 'worker'].includes(command)) void stopPostgres().then(() => process.exit(code));
  })
  .catch(async (e) => {
    process.stderr.write(`[lms] ${e instanceof CliError ? e.message : ((e as Error).stack ?? String(e))}\n`);
    await stopPostgres().catch(() => {});
    process.exit(1);
  });
