import path from 'node:path';
import Docker from 'dockerode';

/** Integration tests run only under `bin/lms test`, which starts the services and sets their addresses. */
export default async function setup() {
  for (const v of ['DATABASE_URL', 'REDIS_URL', 'REDIS_PREFIX']) {
    if (!process.env[v]) throw new Error(`${v} is not set: run integration tests with \`bin/lms test integration\``);
  }
  if (!/lms_test/.test(process.env.DATABASE_URL!)) throw new Error('integration tests refuse to run against a database not named lms_test');
  process.env.LMS_EXTRA_LABS_DIR = path.resolve(import.meta.dirname, '..', 'fixtures', 'labs');
  const { listLabs } = await import('../../lib/labs/registry');
  const { ensureGraderImages } = await import('../../lib/grading/images');
  await ensureGraderImages(new Docker(), listLabs());
}
