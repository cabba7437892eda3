/**
 * The deployable images, built and run for real: `docker build --target web|worker` from the repo's Dockerfile (from
 * the local Node base where no registry answers), migrations from the worker image, then the web and the worker
 * containers against the test Postgres and Redis until each reports healthy. Used by `bin/lms test images`.
 */
import fs from 'node:fs';
import Docker from 'dockerode';
import { CliError, log, run } from './sh';
import { ROOT } from './services';
import { ensureLocalNodeImage, extraCaCerts } from './images';
import { getEnv } from '../lib/env';

const WEB_IMAGE = 'devops-lms-web:test';
const WORKER_IMAGE = 'devops-lms-worker:test';

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new CliError(`${what}: not within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function buildAppImages(): Promise<void> {
  const docker = new Docker();
  const nodeImage = getEnv().NODE_IMAGE ?? (await ensureLocalNodeImage(docker));
  const args = (target: string, tag: string) => [
    'build',
    '-q',
    '--build-arg',
    `NODE_IMAGE=${nodeImage}`,
    '--build-arg',
    `EXTRA_CA_CERTS=${extraCaCerts()}`,
    '--target',
    target,
    '-t',
    tag,
    ROOT,
  ];
  const t0 = Date.now();
  // LMS_IMAGE_CONTEXT=head builds the last commit (git archive) instead of the work tree, e.g. while a work tree
  // holds unfinished files.
  const fromHead = getEnv().LMS_IMAGE_CONTEXT === 'head';
  for (const [target, tag] of [
    ['web', WEB_IMAGE],
    ['worker', WORKER_IMAGE],
  ] as const) {
    if (fromHead) {
      const q = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
      await run('sh', ['-c', `git archive HEAD | docker ${args(target, tag).slice(0, -1).map(q).join(' ')} -`], { cwd: ROOT, quiet: true });
    } else await run('docker', args(target, tag), { cwd: ROOT, quiet: true });
  }
  log(`built ${WEB_IMAGE} and ${WORKER_IMAGE} from ${nodeImage} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** Runs the images against the services in `env` (the test database and Redis prefix); throws on any failure. */
export async function checkAppImages(env: NodeJS.ProcessEnv): Promise<void> {
  const docker = new Docker();
  for (const [tag, target] of [
    [WEB_IMAGE, 'web'],
    [WORKER_IMAGE, 'worker'],
  ] as const) {
    const info = await docker.getImage(tag).inspect();
    const user = info.Config.User ?? '';
    if (!user || user === 'root' || user === '0') throw new CliError(`${target} image runs as root`);
    if (!info.Config.Healthcheck?.Test?.length) throw new CliError(`${target} image has no HEALTHCHECK`);
    log(`${target} image: ${(info.Size / 1e6).toFixed(0)} MB, user ${user}`);
  }
  const base = [
    '--network',
    'host',
    '-e',
    `DATABASE_URL=${env.DATABASE_URL}`,
    '-e',
    `REDIS_URL=${env.REDIS_URL}`,
    '-e',
    `REDIS_PREFIX=${env.REDIS_PREFIX}`,
    '-e',
    `NEXTAUTH_SECRET=${env.NEXTAUTH_SECRET}`,
  ];
  // Migrations run once per release from the worker image (compose `migrate`, the Kubernetes Job): here the test
  // database is already migrated, so this must find nothing to do and succeed.
  await run('docker', ['run', '--rm', ...base, WORKER_IMAGE, 'npx', 'prisma', 'migrate', 'deploy'], { quiet: true });

  const names = [`lms-test-web-${process.pid}`, `lms-test-worker-${process.pid}`];
  const webPort = 3190 + (process.pid % 7);
  const metricsPort = 9470 + (process.pid % 7);
  const sock = '/var/run/docker.sock';
  const gid = fs.existsSync(sock) ? String(fs.statSync(sock).gid) : '0';
  try {
    await run('docker', ['run', '-d', '--name', names[0]!, ...base, '-e', `PORT=${webPort}`, '-e', `NEXTAUTH_URL=http://localhost:${webPort}`, WEB_IMAGE], {
      quiet: true,
    });
    await run(
      'docker',
      [
        'run',
        '-d',
        '--name',
        names[1]!,
        ...base,
        '-e',
        `WORKER_METRICS_PORT=${metricsPort}`,
        '-e',
        'WORKER_CONCURRENCY=1',
        '-e',
        'SANDBOX_POOL_SIZE=0',
        '--group-add',
        gid,
        '-v',
        `${sock}:${sock}`,
        WORKER_IMAGE,
      ],
      { quiet: true },
    );
    const web = `http://127.0.0.1:${webPort}`;
    const ready = await until('web container /api/ready', 90_000, async () => {
      const r = await fetch(`${web}/api/ready`);
      return r.ok ? ((await r.json()) as Record<string, unknown>) : undefined;
    });
    if (ready.database !== true || ready.redis !== true) throw new CliError(`web container not ready: ${JSON.stringify(ready)}`);
    const { loadContent } = await import('../lib/content/index');
    const lesson = loadContent().find((m) => m.week === 1)!.lessons[0]!;
    const html = await (await fetch(`${web}/weeks/1/${lesson.slug}`, { headers: { Cookie: 'lang=en' } })).text();
    if (!html.includes(lesson.meta.en.title.replace(/&/g, '&amp;').slice(0, 20))) throw new CliError('web container: the English lesson did not render');
    const roadmap = await fetch(`${web}/roadmap`);
    if (!roadmap.ok) throw new CliError(`web container: /roadmap answered ${roadmap.status}`);
    await until('worker container /healthz', 90_000, async () => ((await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).ok ? true : undefined));
    const health = await until('Docker HEALTHCHECK of both containers', 60_000, async () => {
      const states = await Promise.all(names.map(async (n) => (await docker.getContainer(n).inspect()).State.Health?.Status));
      return states.every((s) => s === 'healthy') ? states : undefined;
    });
    log(`web and worker containers healthy (${health.join(', ')}) against ${env.DATABASE_URL?.replace(/\/\/[^@]*@/, '//')}`);
  } catch (e) {
    for (const n of names) {
      const logs = await docker
        .getContainer(n)
        .logs({ stdout: true, stderr: true, tail: 30 })
        .catch(() => Buffer.from(''));
      // Docker's log stream frames each line with an 8-byte header: keep the printable text.
      const text = [...logs.toString('utf8')].filter((c) => c === '\n' || c.charCodeAt(0) >= 32).join('');
      log(`── last lines of ${n}:\n${text}`);
    }
    throw e;
  } finally {
    for (const n of names)
      await docker
        .getContainer(n)
        .remove({ force: true })
        .catch(() => undefined);
  }
}
