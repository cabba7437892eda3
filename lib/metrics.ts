import client from 'prom-client';

/**
 * Prometheus metrics, one registry per process. The worker serves them on its own port (WORKER_METRICS_PORT), the
 * web on /api/metrics. Names follow Prometheus conventions (base units, _total for counters).
 */
const g = globalThis as unknown as { __lmsMetrics?: ReturnType<typeof create> };

function create() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  return {
    registry,
    gradingDuration: new client.Histogram({
      name: 'lms_grading_duration_seconds',
      help: 'Time from submission to stored result, by lab and outcome',
      labelNames: ['lab', 'outcome'] as const,
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120],
      registers: [registry],
    }),
    sandboxFailures: new client.Counter({
      name: 'lms_sandbox_failures_total',
      help: 'Infrastructure failures while grading',
      labelNames: ['lab'] as const,
      registers: [registry],
    }),
    timeouts: new client.Counter({
      name: 'lms_grading_timeouts_total',
      help: 'Submissions that ran past their time limit',
      labelNames: ['lab'] as const,
      registers: [registry],
    }),
    queueDepth: new client.Gauge({ name: 'lms_queue_depth', help: 'Grading jobs by state', labelNames: ['state'] as const, registers: [registry] }),
    httpDuration: new client.Histogram({
      name: 'lms_http_request_duration_seconds',
      help: 'HTTP request latency of the API route handlers',
      labelNames: ['route', 'method', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  };
}

export function metrics() {
  g.__lmsMetrics ??= create();
  return g.__lmsMetrics;
}
