import { NextResponse } from 'next/server';
import { getDb } from '@/lib/db';
import { getGradingQueue } from '@/lib/queue';

export const dynamic = 'force-dynamic';

/** Readiness: this replica can serve when Postgres and Redis answer. (/api/health is liveness: the process is up.) */
export async function GET() {
  const [database, redis] = await Promise.all([
    getDb().$queryRaw`SELECT 1`.then(() => true, () => false),
    getGradingQueue()
      .getJobCounts('waiting')
      .then(() => true, () => false),
  ]);
  const ok = database && redis;
  return NextResponse.json({ ok, database, redis }, { status: ok ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
}
