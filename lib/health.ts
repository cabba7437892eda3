import { getDb } from './db';
import { getGradingQueue } from './queue';

/** Readiness of this process: whether Postgres and Redis answer now. */
export async function readiness(): Promise<{ database: boolean; redis: boolean }> {
  const [database, redis] = await Promise.all([
    getDb().$queryRaw`SELECT 1`.then(
      () => true,
      () => false,
    ),
    getGradingQueue()
      .getJobCounts('waiting')
      .then(
        () => true,
        () => false,
      ),
  ]);
  return { database, redis };
}
