import { NextResponse } from 'next/server';
import { readiness } from '@/lib/health';

export const dynamic = 'force-dynamic';

/** Readiness: this replica can serve when Postgres and Redis answer. (/api/health is liveness: the process is up.) */
export async function GET() {
  const { database, redis } = await readiness();
  const ok = database && redis;
  return NextResponse.json({ ok, database, redis }, { status: ok ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
}
