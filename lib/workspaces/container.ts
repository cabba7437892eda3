/**
 * A workspace container: the grading sandbox's host configuration (lib/grading/sandbox.ts hostConfig: no network,
 * memory = swap, CPU quota, pid limit, read-only root, no capabilities, no-new-privileges, private IPC, no log files)
 * with the workspace's own numbers (lib/grading/limits.ts WORKSPACE_LIMITS) and three differences, each for a
 * terminal: a writable work folder /work (tmpfs, exec allowed: learners run their own scripts; nosuid, nodev), lower
 * CPU shares than graders (grading is never starved), and 1024 open files (a Prometheus needs more than 256).
 * PID 1 is tini with the agent under it, attached (stdin stays open across detaches: a restarted web process
 * attaches again). Labels find it again after a restart and let the sweep tell live workspaces from leftovers.
 */
import type Docker from 'dockerode';
import { getEnv } from '../env';
import { hostConfig } from '../grading/sandbox';
import { AgentLink } from './agent-link';
import type { FromAgent } from './agent/protocol';

/** How long a new workspace's agent may take to say it is ready (Node starting on a busy host). */
export const READY_TIMEOUT_MS = 30_000;
import { SANDBOX_USER, ULIMITS, type WorkspaceLimits } from '../grading/limits';

export const LABEL_WORKSPACE = 'lms.workspace';
export const LABEL_PREFIX = 'lms.prefix';
export const LABEL_LAB = 'lms.lab';
export const LABEL_OWNER = 'lms.owner';
export const LABEL_ENGINE = 'lms.engine';

export function workspaceHostConfig(limits: WorkspaceLimits, runtime?: string): Docker.HostConfig {
  const hc = hostConfig(limits, runtime);
  hc.Tmpfs = {
    '/tmp': `rw,noexec,nosuid,nodev,size=${limits.tmpfsMb}m,mode=1777`,
    '/work': `rw,exec,nosuid,nodev,size=${limits.workMb}m,mode=0755,uid=10001,gid=10001`,
  };
  hc.CpuShares = limits.cpuShares;
  hc.Ulimits = ULIMITS.map((u) => (u.Name === 'nofile' ? { ...u, Soft: 1024, Hard: 1024 } : u));
  return hc;
}

export interface CreateOptions {
  image: string;
  limits: WorkspaceLimits;
  labels: Record<string, string>;
  env: string[];
  runtime?: string;
}

/**
 * Creates a workspace container, attaches to its PID 1 before starting it (so the agent's first words are heard) and
 * starts it; the agent then waits for the engine on stdin.
 */
export async function createWorkspaceContainer(
  docker: Docker,
  o: CreateOptions,
  onStderr?: (line: string) => void,
): Promise<{ container: Docker.Container; link: AgentLink; ready: Promise<FromAgent | null> }> {
  const container = await docker.createContainer({
    Image: o.image,
    User: SANDBOX_USER,
    WorkingDir: '/work',
    Env: ['HOME=/tmp/home', 'TERM=xterm-256color', 'LANG=C.UTF-8', ...o.env],
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    OpenStdin: true,
    StdinOnce: false,
    Tty: false,
    NetworkDisabled: true,
    Labels: { [LABEL_WORKSPACE]: '1', [LABEL_PREFIX]: getEnv().REDIS_PREFIX, ...o.labels },
    HostConfig: workspaceHostConfig(o.limits, o.runtime),
  });
  try {
    const link = await AgentLink.attach(docker, container, onStderr);
    // Listening for the agent's first words before the start: they can arrive before start() returns.
    let timer: NodeJS.Timeout | undefined;
    const ready = new Promise<FromAgent | null>((resolve) => {
      link.once('message', (m: FromAgent) => resolve(m));
      link.once('close', () => resolve(null));
      timer = setTimeout(() => resolve(null), READY_TIMEOUT_MS);
    }).finally(() => clearTimeout(timer));
    await container.start();
    return { container, link, ready };
  } catch (e) {
    await container.remove({ force: true, v: true }).catch(() => {});
    throw e;
  }
}
