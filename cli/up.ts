/** bin/lms up: the product on this machine, from nothing: services, images, demo data, the site and a worker. */
import { log } from './sh';
import { stopPostgres } from './services';
import { nextBuild } from './prepare';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, siteAnswers, startApp, startStack } from './stack';
import { getEnv } from '../lib/env';

export async function cmdUp(opts: { port: number }): Promise<void> {
  const { port } = opts;
  const t0 = Date.now();
  const env = await startStack({ database: 'lms', redisPrefix: getEnv().REDIS_PREFIX, images: true, seed: true });
  const publicUrl = getEnv().NEXTAUTH_URL ?? `http://localhost:${port}`;
  await nextBuild({ ...env, NODE_ENV: 'production', NEXTAUTH_URL: publicUrl });
  if (await siteAnswers(port)) {
    printWelcome(port);
    log(`the site is already running on port ${port}; nothing more to start`);
    return;
  }
  const app = await startApp(env, { port, publicUrl, output: 'inherit' });
  log(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  printWelcome(port);
  const stop = async () => {
    await app.stop();
    await stopPostgres();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  if (app.web.child.exitCode === null) await new Promise<void>((resolve) => app.web.child.on('exit', () => resolve()));
  await app.worker?.stop();
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
