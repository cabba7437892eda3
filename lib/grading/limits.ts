/**
 * Every limit the sandbox applies, in one place. A lab's manifest may ask for other values; `resolveLimits`
 * clamps them to the ceilings, so no lab can ask for more than the operator allows.
 */
export interface SandboxLimits {
  /** Wall-clock time the worker lets a container run; Docker has no timeout of its own. */
  timeoutMs: number;
  /** Memory, and memory+swap set to the same value so a container cannot swap its way past the limit. */
  memoryMb: number;
  /** CPU quota in cores: one runaway grader must not starve the others on the host. */
  cpus: number;
  /** Processes and threads: stops fork bombs (Judge0 allows 60, Piston 64). */
  pids: number;
  /** The only writable place (/tmp), in memory and size-capped, so a disk fill stops here. */
  tmpfsMb: number;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  timeoutMs: 20_000, // a static lab grades in well under a second; 20 s leaves room on a loaded host
  memoryMb: 256, // enough for Node plus a WASM parser; PrairieLearn's 2 GiB is for whole language toolchains
  cpus: 1,
  pids: 128,
  tmpfsMb: 32,
};

export const CEILING_LIMITS: SandboxLimits = {
  timeoutMs: 120_000, // the hard ceiling; PrairieLearn allows 600 s but our labs are seconds, not minutes
  memoryMb: 1024,
  cpus: 2,
  pids: 512,
  tmpfsMb: 256,
};

/** Open files, and the largest file a process may write (fsize): a single runaway write stops at 64 MiB. */
export const ULIMITS = [
  { Name: 'nofile', Soft: 256, Hard: 256 },
  { Name: 'fsize', Soft: 64 * 1024 * 1024, Hard: 64 * 1024 * 1024 },
  { Name: 'core', Soft: 0, Hard: 0 }, // no core dumps: they can be large and can hold secrets
];

/** Captured stdout/stderr per container; the rest is dropped so an output flood cannot exhaust the worker. */
export const OUTPUT_CAP_BYTES = 1024 * 1024 + 64 * 1024;

/** The user every sandbox process runs as (created in the runtime image): never root. */
export const SANDBOX_USER = '10001:10001';

/** Limits for one submission's archive, checked before anything reaches Docker. */
export const ARCHIVE_LIMITS = {
  maxEntries: 200,
  maxFileBytes: 4 * 1024 * 1024,
  maxTotalBytes: 16 * 1024 * 1024,
  maxPathLength: 200,
  maxDepth: 8,
};

export function resolveLimits(requested: Partial<SandboxLimits> | undefined): SandboxLimits {
  const out = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(out) as (keyof SandboxLimits)[]) {
    const v = requested?.[key];
    if (typeof v === 'number' && v > 0) out[key] = Math.min(v, CEILING_LIMITS[key]);
  }
  return out;
}

/**
 * A learner's workspace (lib/workspaces): one long-lived container per learner, mostly waiting on a keystroke. Same
 * isolation as a grader (lib/grading/sandbox.ts hostConfig); these numbers are its budget.
 * - memory 512 MiB (= swap): bash, the agent (Node, ~45 MB), an editor and the week's tool at once; week 7 runs a
 *   Prometheus server (~120 MB) beside its demo app. A lab may ask for less or more up to the ceiling.
 * - cpus 1: one runaway loop in a terminal takes at most one core of the host's two...
 * - cpuShares 256 (Docker's default is 1024, which graders keep): under contention the kernel gives a grader four
 *   times a workspace's share of CPU time, so a roomful of busy terminals cannot starve grading (fair sharing, and
 *   "grading is never starved"); an idle host still gives a workspace its full core.
 * - pids 256: a shell, the agent, a bot or a Prometheus (Go: ~20 threads) and a few tools; a fork bomb stops there.
 * - tmpfsMb 64: /tmp (noexec); the work folder /work gets `workMb` (exec allowed: learners run their scripts).
 * - timeoutMs: not a run time; the idle timeout (WORKSPACE_IDLE_MS, 20 min) ends a workspace nobody uses.
 */
export interface WorkspaceLimits extends SandboxLimits {
  cpuShares: number;
  workMb: number;
}

export const WORKSPACE_LIMITS: WorkspaceLimits = {
  timeoutMs: 0,
  memoryMb: 512,
  cpus: 1,
  pids: 256,
  tmpfsMb: 64,
  cpuShares: 256,
  workMb: 64,
};

/** What a lab's `workspace.limits` may reach. */
export const WORKSPACE_CEILING: Pick<SandboxLimits, 'memoryMb' | 'cpus' | 'pids' | 'tmpfsMb'> = { memoryMb: 1024, cpus: 1, pids: 512, tmpfsMb: 256 };

export function resolveWorkspaceLimits(requested: Partial<SandboxLimits> | undefined): WorkspaceLimits {
  const out = { ...WORKSPACE_LIMITS };
  for (const key of ['memoryMb', 'cpus', 'pids', 'tmpfsMb'] as const) {
    const v = requested?.[key];
    if (typeof v === 'number' && v > 0) out[key] = Math.min(v, WORKSPACE_CEILING[key]);
  }
  return out;
}
