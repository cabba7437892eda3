import { z } from 'zod';

/**
 * Every environment variable the web process, the worker and the CLI read, in one place: its schema, its default
 * and what it means. README's "Configuration" table is this list (tests/unit/env.test.ts compares them).
 * `bin/lms up` fills in what a newcomer leaves unset (an embedded Postgres, a local Redis, a generated secret); in
 * production every value comes from the environment.
 *
 * Not read here: code that runs inside containers (grader-kit/, lib/workspaces/agent and tools) reads the environment
 * the engine gives it, and next.config.js and prisma.config.ts are loaded by Next and Prisma before any of this code
 * (they read NEXTAUTH_URL, LMS_DIST_DIR and DATABASE_URL themselves). Libraries read their own (DOCKER_HOST, for one,
 * by dockerode).
 */

/** One variable: how it is read, and its row of the README table (the default as people read it, and the meaning). */
interface Variable<S extends z.ZodType> {
  schema: S;
  default: string;
  meaning: string;
}
const variable = <S extends z.ZodType>(schema: S, shown: string, meaning: string): Variable<S> => ({ schema, default: shown, meaning });

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const port = () => int(0, 65535);

export const ENV_VARIABLES = {
  NODE_ENV: variable(
    z.enum(['development', 'production', 'test']).default('development'),
    '`development`',
    '`production` for the served site (`bin/lms up` and the app images set it), `test` under the test runner',
  ),
  DATABASE_URL: variable(z.string().url().startsWith('postgres').optional(), 'embedded Postgres', 'PostgreSQL connection string'),
  REDIS_URL: variable(
    z.string().url().startsWith('redis').default('redis://127.0.0.1:6379'),
    '`redis://127.0.0.1:6379`',
    'Redis for the queue (transport only: losing it loses no submission)',
  ),
  /** Key prefix for BullMQ, so tests and the served instance can share one Redis without touching each other. */
  REDIS_PREFIX: variable(
    z
      .string()
      .regex(/^[a-z0-9-]+$/)
      .default('lms'),
    '`lms`',
    'key prefix (and the deployment label of sandboxes and workspaces); tests use their own',
  ),
  NEXTAUTH_SECRET: variable(z.string().min(16).optional(), 'generated into `.data/nextauth-secret`', 'session signing secret (set it in production)'),
  NEXTAUTH_URL: variable(z.string().url().optional(), '`http://localhost:3000`', "the site's public URL (`https://` turns on secure cookies and HSTS)"),
  GITHUB_ID: variable(z.string().optional(), 'unset', 'with `GITHUB_SECRET`: turns on GitHub sign-in'),
  GITHUB_SECRET: variable(z.string().optional(), 'unset', 'with `GITHUB_ID`: turns on GitHub sign-in'),
  DOCKER_HOST: variable(z.string().optional(), 'local socket', 'the Docker engine the worker runs sandboxes on, and the web process runs workspaces on'),
  /** Sandboxes one worker runs at once: its share of the Docker host's cores and memory. */
  WORKER_CONCURRENCY: variable(int(1, 64).default(2), '`2`', "sandboxes one worker runs at once (its host's slots)"),
  /** An OCI runtime for sandboxes, e.g. "runsc" (gVisor); used only when the Docker engine lists it. */
  SANDBOX_RUNTIME: variable(z.string().optional(), 'unset', 'e.g. `runsc` (gVisor), used when the engine has it'),
  SANDBOX_POOL_SIZE: variable(int(0, 16).default(0), '`0`', 'pre-started sandboxes kept per lab image in use (single-use; see docs/grading.md)'),
  WORKSPACE_IDLE_MS: variable(
    int(10_000, 24 * 3600_000).default(20 * 60_000),
    '`1200000`',
    "a workspace (a learner's terminal container) with no keystroke, file change, check or step for this long is saved and removed",
  ),
  /** Unset: 25 per grading slot (lib/workspaces/cap.ts). */
  WORKSPACE_MAX: variable(
    int(1, 2000).optional(),
    '25 × `WORKER_CONCURRENCY`',
    'workspace containers on the Docker host at once, pooled ones included; past it opening one answers "all workspaces are in use"',
  ),
  WORKSPACE_POOL_SIZE: variable(int(0, 16).default(1), '`1`', 'started workspaces kept per lab image in use, so "Open terminal" is fast (`0` turns it off)'),
  WORKER_METRICS_PORT: variable(port().default(9464), '`9464`', "the worker's Prometheus `/metrics` and `/healthz` (`0`: any free port)"),
  METRICS_TOKEN: variable(z.string().optional(), 'unset', 'when set, `/api/metrics` needs `Authorization: Bearer <token>`'),
  LOG_LEVEL: variable(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), '`info`', 'JSON logs (pino) on stdout'),
  LMS_SERVICE: variable(z.string().default('lms'), '`lms`', 'the `service` field of every log line (`web`, `worker`: the app images and `bin/lms up` set it)'),
  PORT: variable(port().default(3000), '`3000`', 'the port the web process (`server.ts`) listens on; `bin/lms up --port` sets it'),
  BIND_HOST: variable(z.string().default('::'), '`::`', 'the address the web process (`server.ts`) listens on'),
  LMS_DIST_DIR: variable(
    z.string().default('.next'),
    '`.next`',
    "the production build's folder (`next build`, `server.ts`); a second test run on one machine uses its own",
  ),
  LMS_ROOT: variable(z.string().optional(), 'the working directory', 'the project root, where `labs/` and `content/` are (the app images set `/app`)'),
  LMS_EXTRA_LABS_DIR: variable(z.string().optional(), 'unset', "labs from one more folder (the test suite's fixture labs)"),
  LMS_TRUSTED_PROXIES: variable(
    int(0, 10).default(0),
    '`0`',
    'reverse proxies in front of the web process; the client address (sign-in limits, audit) is read that many entries from the right of `X-Forwarded-For`',
  ),
  LMS_WEBHOOK_ALLOW_LOOPBACK: variable(
    z
      .enum(['0', '1'])
      .optional()
      .transform((v) => v === '1'),
    'unset',
    '`1` lets cohort webhooks reach 127.0.0.1 (tests only; private addresses are always refused)',
  ),
  LMS_DEADLINE_MS: variable(int(1000, 24 * 3600_000).default(600_000), '`600000`', 'how often each worker looks for due dates within a day to announce'),
  LMS_RECONCILE_MS: variable(
    int(100, 3600_000).default(15_000),
    '`15000`',
    'how often each worker re-enqueues submissions whose job is missing, completed or failed',
  ),
  LMS_SWEEP_MS: variable(int(100, 3600_000).default(60_000), '`60000`', 'how often each worker removes what dead workers left (sandboxes, images)'),
  LMS_HEARTBEAT_TTL_S: variable(
    int(1, 3600).default(30),
    '`30`',
    "a worker's heartbeat lifetime (renewed every third of it); its sandboxes count as a dead worker's once it lapses",
  ),
  LMS_LOCK_MS: variable(
    int(1000, 3600_000).default(30_000),
    '`30000`',
    "a grading job's lock: the job of a worker that vanished goes to another after this long",
  ),
  LMS_BASE_IMAGE: variable(
    z.string().default('debian:bookworm-slim'),
    '`debian:bookworm-slim`',
    'the Debian image the runtime and grader images build on (bootstrapped with debootstrap where no registry answers)',
  ),
  LMS_BUILDER_BASE_IMAGE: variable(
    z.string().default('debian:trixie-slim'),
    '`debian:trixie-slim`',
    'the Debian image the learner-image builder is installed from',
  ),
  LMS_BUILDERS: variable(int(1, 16).default(2), '`2`', 'learner-image builders per Docker engine: Dockerfile gradings (weeks 2 and 9) that run at once'),
  LMS_BUILDER_MEMORY_MB: variable(int(512, 65536).default(2560), '`2560`', "each builder container's memory"),
  LMS_BUILDER_CPUS: variable(int(1, 64).default(2), '`2`', "each builder container's CPUs"),
  LMS_BUILDER_PIDS: variable(int(256, 65536).default(2048), '`2048`', "each builder container's pid limit"),
  LMS_BUILDER_DISK_MB: variable(int(1024, 1 << 20).default(4096), '`4096`', "the size of each builder's data root"),
  LMS_BUILDER_TRANSPORT: variable(
    z.enum(['socket', 'exec']).optional(),
    '`socket`, or `exec` when `DOCKER_HOST` is remote',
    "how the worker reaches a builder's engine: a socket in `LMS_BUILDER_DIR` on the Docker host, or through the engine's API (compose, Kubernetes, remote engines; see docs/grading.md)",
  ),
  LMS_BUILDER_DIR: variable(
    z.string().optional(),
    '`.data/builders`',
    "builders' socket and data-root files (socket transport), lease folders; also names the builders",
  ),
  LMS_CACHE_DIR: variable(
    z.string().optional(),
    '`.data/cache`',
    'downloads kept between runs (Node and npm for the learner bases, checked against their pinned integrity)',
  ),
  LMS_TEST_DB: variable(
    z
      .string()
      .regex(/^lms_test[a-z0-9_]*$/, 'must start with lms_test (then a-z, 0-9, _)')
      .default('lms_test'),
    '`lms_test`',
    'the database `bin/lms test` creates afresh; with `LMS_TEST_REDIS_PREFIX`, `LMS_DIST_DIR` and `LMS_E2E_PORT`, lets two test runs share one machine',
  ),
  LMS_TEST_REDIS_PREFIX: variable(
    z
      .string()
      .regex(/^[a-z0-9-]+$/)
      .optional(),
    '`LMS_TEST_DB` with `-` for `_`',
    'the Redis key prefix of `bin/lms test`',
  ),
  LMS_E2E_PORT: variable(port().default(3100), '`3100`', 'the port of the production build `bin/lms test hostile` and `e2e` start'),
  NODE_IMAGE: variable(
    z.string().optional(),
    "`lms/node:20-bookworm-slim`, built from this machine's Node",
    'the Node base `bin/lms test images` builds the app images from (the official `node:20-bookworm-slim` where a registry answers)',
  ),
  LMS_IMAGE_CONTEXT: variable(
    z.enum(['head']).optional(),
    'the work tree',
    '`head`: `bin/lms test images` builds the last commit (git archive) instead of the work tree',
  ),
};

type Variables = typeof ENV_VARIABLES;
type Schemas = { [K in keyof Variables]: Variables[K]['schema'] };
const NAMES = Object.keys(ENV_VARIABLES) as (keyof Variables)[];
const envSchema = z.object(Object.fromEntries(NAMES.map((n) => [n, ENV_VARIABLES[n].schema])) as Schemas);

export type Env = z.infer<typeof envSchema>;

const HELP = '(bin/lms up sets these for a local run; see README "Configuration")';
let cached: { key: string; env: Env } | undefined;

/**
 * The environment, validated. An empty value counts as unset (compose files write `GITHUB_ID: ${GITHUB_ID:-}`). Parsed
 * again only when a variable changed since the last call, so tests that set one between cases see it.
 */
export function getEnv(): Env {
  const raw: Record<string, string | undefined> = {};
  for (const n of NAMES) raw[n] = process.env[n] || undefined;
  const key = NAMES.map((n) => raw[n] ?? '\u0000').join('\u0001');
  if (cached?.key === key) return cached.env;
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid environment:\n${lines}\n${HELP}`);
  }
  cached = { key, env: parsed.data };
  return parsed.data;
}

/** DATABASE_URL, which the web process, the worker and the CLI's database commands cannot do without. */
export function databaseUrl(): string {
  const url = getEnv().DATABASE_URL;
  if (!url) throw new Error(`Invalid environment:\n  DATABASE_URL: not set\n${HELP}`);
  return url;
}
