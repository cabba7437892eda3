import pg from 'pg';
import { databaseUrl } from './env';

const g = globalThis as unknown as { __lmsRawPool?: pg.Pool };

/**
 * A small pg pool beside Prisma's for the web process's hottest reads, each one SQL statement answered without Prisma's
 * query pipeline: the status poll and the hashes of the signed-in pages (server.ts). Dates are read as text in SQL
 * (pg would read Prisma's `timestamp` columns in the process's time zone).
 */
export function rawPool(): pg.Pool {
  if (!g.__lmsRawPool) {
    g.__lmsRawPool = new pg.Pool({ connectionString: databaseUrl(), max: 4, idleTimeoutMillis: 30_000 });
    g.__lmsRawPool.on('error', () => {}); // an idle client's lost connection: the next query opens another
  }
  return g.__lmsRawPool;
}
