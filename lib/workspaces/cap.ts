/**
 * The host-wide cap of live workspace containers (pooled ones included), from the configured grading slots:
 *
 *   WORKSPACE_MAX, or 25 × WORKER_CONCURRENCY (50 with the default 2 slots).
 *
 * Why per slot: a slot is what the operator sized the host for (about one core and 1 GiB of grading at a time). A
 * workspace mostly waits on a keystroke: measured idle, bash + the agent use ~0 % CPU and ~45 MB (the agent's Node
 * is most of it), so 25 of them cost about what one busy grader costs in memory (1.1 GB), and their CPU shares (256
 * against a grader's 1024) keep busy terminals from taking more than a fifth of a contended core from grading. The
 * memory limit of each (512 MiB) is a ceiling, not a reservation: the cap, not the sum of ceilings, is what bounds
 * the host. Past the cap `open` refuses with a message that says the files are saved and to try again in a minute.
 */
import type { Env } from '../env';

export const WORKSPACES_PER_SLOT = 25;

export function workspaceCap(env: Pick<Env, 'WORKER_CONCURRENCY' | 'WORKSPACE_MAX'>): number {
  return env.WORKSPACE_MAX ?? WORKSPACES_PER_SLOT * env.WORKER_CONCURRENCY;
}
