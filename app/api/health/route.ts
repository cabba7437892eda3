import { NextResponse } from 'next/server';

export const dynamic = 'force-dynamic';

/** Liveness: the process answers. Readiness (database and Redis) is /api/ready. */
export async function GET() {
  return NextResponse.json({ ok: true });
}
