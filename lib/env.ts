import { z } from 'zod';

/**
 * The one environment schema for web, worker and CLI. `bin/lms up` fills in what a newcomer leaves unset
 * (an embedded Postgres, a local Redis, a generated secret); in production every value comes from the environment.
 */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z.string().url().startsWith('postgres'),
  REDIS_URL: z.string().url().startsWith('redis').default('redis://127.0.0.1:6379'),
  /** Key prefix for BullMQ, so tests and the served instance can share one Redis without touching each other. */
  REDIS_PREFIX: z.string().regex(/^[a-z0-9-]+$/).default('lms'),
  NEXTAUTH_SECRET: z.string().min(16).optional(),
  NEXTAUTH_URL: z.string().url().optional(),
  GITHUB_ID: z.string().optional(),
  GITHUB_SECRET: z.string().optional(),
  /** Sandboxes one worker runs at once: its share of the Docker host's cores and memory. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** An OCI runtime for sandboxes, e.g. "runsc" (gVisor); used only when the Docker engine lists it. */
  SANDBOX_RUNTIME: z.string().optional(),
  /** Pre-started sandboxes kept per lab image (0 turns the pool off). */
  SANDBOX_POOL_SIZE: z.coerce.number().int().min(0).max(16).default(0),
  /** A workspace with no terminal input, file change or editor write for this long is saved and removed (20 min). */
  WORKSPACE_IDLE_MS: z.coerce.number().int().min(10_000).max(24 * 3600_000).default(20 * 60_000),
  /** Live workspace containers on this Docker host (pool included); unset: 25 per grading slot (lib/workspaces/cap.ts). */
  WORKSPACE_MAX: z.coerce.number().int().min(1).max(2000).optional(),
  /** Pre-started workspace containers kept per lab image in use (0 turns the pool off). */
  WORKSPACE_POOL_SIZE: z.coerce.number().int().min(0).max(16).default(1),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

export function getEnv(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid environment:\n${lines}\n(bin/lms up sets these for a local run; see README "Configuration")`);
  }
  cached = parsed.data;
  return cached;
}

/** For tests that change the environment between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}
