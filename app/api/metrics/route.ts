import { NextResponse } from 'next/server';
import { getEnv } from '@/lib/env';
import { metrics } from '@/lib/metrics';
import { getGradingQueue } from '@/lib/queue';

export const dynamic = 'force-dynamic';

/** Prometheus metrics of this web replica. When METRICS_TOKEN is set, a scrape must send it as a bearer token. */
export async function GET(req: Request) {
  const token = getEnv().METRICS_TOKEN;
  if (token && req.headers.get('authorization') !== `Bearer ${token}`) return NextResponse.json({ error: 'Unauthorized.' }, { status: 401 });
  const m = metrics();
  const counts = await getGradingQueue()
    .getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized')
    .catch(() => ({}) as Record<string, number>);
  for (const [state, n] of Object.entries(counts)) m.queueDepth.set({ state }, n);
  return new NextResponse(await m.registry.metrics(), { headers: { 'Content-Type': m.registry.contentType, 'Cache-Control': 'no-store' } });
}
