/**
 * Running the image built from a learner's Dockerfile as the subject, as `docker run` would run it, inside the
 * sandbox's hardening (read-only root, no capabilities, no-new-privileges, the lab's limits, no network):
 *
 * - as the image's USER when it is set and not root (`root`, `0`, `root:<group>`, `0:<group>` or empty keep the
 *   sandbox user); a USER the image does not have fails to start, as on Docker, and the reason is reported;
 * - once the subject accepts connections on its port, the image's HEALTHCHECK test runs once inside it (as its user,
 *   with its timeout, capped output), as the engine's health monitor would, and the result is reported.
 *
 * What was seen goes to the grader as `.lms/run.json` (RunInfo), next to `.lms/build.json`.
 */
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import type { BuilderLease } from './builder';
import type { ImageConfigInfo, RunInfo } from '../../grader-kit/protocol';
import { SANDBOX_USER } from './limits';
import type { PreparedSandbox } from './sandbox';

/** `.lms/run.json`: the contract's RunInfo (grader-kit/protocol.ts). */
export type { RunInfo };

/** How long the engine waits for the subject to accept a connection before it starts the grader anyway. */
export const SUBJECT_ANSWER_WAIT_MS = 8000;
/** The longest a HEALTHCHECK may run here (its own timeout when shorter; Docker's default is 30 s). */
const HEALTHCHECK_MAX_MS = 10_000;
/** Docker keeps this much of a health check's output. */
const HEALTH_OUTPUT_MAX = 4096;

/** The user to run a learner's image as: its own USER unless that is root or unset. */
export function subjectUser(imageUser: string | undefined): string {
  const u = (imageUser ?? '').trim();
  if (!u || /^(root|0)(:.*)?$/.test(u)) return SANDBOX_USER;
  return u;
}

/**
 * The engine's reason when a container could not start because of what the image says (a user or group it does not
 * have, a command that is not there or not executable, a working directory it cannot enter), or undefined when the
 * failure is the engine's own (then the grading is retried).
 */
export function learnerStartError(e: unknown): string | undefined {
  const raw = e instanceof Error ? e.message : String(e);
  const m = raw.replace(/^\(HTTP code \d+\)\s*(unexpected|server error)?\s*-\s*/i, '').trim();
  // runc's refusals (a missing command or working directory, exec format) all come as "OCI runtime create failed".
  const learner =
    /unable to find (user|group)|no matching entries in (passwd|group) file|executable file not found|OCI runtime (create|exec|start) failed|exec format error/i;
  if (!learner.test(m)) return undefined;
  return m.slice(0, 600);
}

/**
 * Waits until something in the subject's network namespace accepts a TCP connection on `port`, probing from the
 * builder itself (nsenter into the namespace; the subject's image may have no shell or tools).
 */
export async function waitForPort(lease: BuilderLease, subject: PreparedSandbox, port: number, ms: number): Promise<'answered' | 'exited' | 'timeout'> {
  const info = await subject.container.inspect().catch(() => null);
  const pid = info?.State.Pid;
  if (!pid || !info?.State.Running) return 'exited';
  const script = `pid=$1; port=$2; end=$(( $(date +%s%N) / 1000000 + $3 ))
while [ $(( $(date +%s%N) / 1000000 )) -lt $end ]; do
  kill -0 "$pid" 2>/dev/null || exit 2
  nsenter -t "$pid" -n timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null && exit 0
  sleep 0.1
done
exit 1`;
  const r = await lease.exec(['bash', '-c', script, 'probe', String(pid), String(port), String(ms)], ms + 5000);
  return r.code === 0 ? 'answered' : r.code === 2 ? 'exited' : 'timeout';
}

/** Runs the image's HEALTHCHECK test once inside the running subject, as Docker's health monitor runs it. */
export async function runHealthcheck(
  engine: Docker,
  containerId: string,
  hc: NonNullable<ImageConfigInfo['healthcheck']>,
): Promise<NonNullable<RunInfo['health']>> {
  const test = hc.test ?? [];
  const cmd = test[0] === 'CMD-SHELL' ? ['/bin/sh', '-c', test.slice(1).join(' ')] : test[0] === 'CMD' ? test.slice(1) : test;
  const timeoutMs = Math.min(hc.timeout ? Math.ceil(hc.timeout / 1e6) : 30_000, HEALTHCHECK_MAX_MS);
  const t0 = Date.now();
  let output = '';
  const add = (c: Buffer) => {
    if (output.length < HEALTH_OUTPUT_MAX) output = (output + c.toString('utf8')).slice(0, HEALTH_OUTPUT_MAX);
  };
  try {
    // No User: an exec runs as the container's user, which is the subject's.
    const exec = await engine.getContainer(containerId).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({ hijack: true, stdin: false });
    const so = new PassThrough();
    so.on('data', add);
    engine.modem.demuxStream(stream, so, so);
    const ended = await new Promise<boolean>((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      const done = () => (clearTimeout(t), resolve(true));
      stream.on('end', done);
      stream.on('close', done);
      stream.on('error', done);
    });
    if (!ended) {
      stream.destroy();
      return { exitCode: -1, output: `Health check exceeded timeout (${Math.round(timeoutMs / 1000)}s)`, timedOut: true, durationMs: Date.now() - t0 };
    }
    const info = await exec.inspect().catch(() => null);
    return { exitCode: info?.ExitCode ?? -1, output, durationMs: Date.now() - t0 };
  } catch (e) {
    // The exec could not start (the command does not exist in the image): Docker records that as a failed check.
    return {
      exitCode: -1,
      output: (e instanceof Error ? e.message : String(e)).replace(/^\(HTTP code \d+\)\s*[^-]*-\s*/, '').slice(0, HEALTH_OUTPUT_MAX),
      durationMs: Date.now() - t0,
    };
  }
}
