/**
 * Guided steps (lab.yaml `steps:`): each has its text and an optional verification command that the platform runs
 * inside the learner's workspace, as Killercoda's verify scripts and Instruqt's check scripts do: bash in /work as the
 * learner's user, no network (the container has none), 20 s. Exit 0 means done; otherwise the first stdout line that
 * starts with "FAIL: " is the message. The command comes from lab.yaml and runs through the engine's own `docker
 * exec`, whose exit status Docker reports: nothing in the container can claim a step done without doing it. Scripts
 * get `fail "한국어" "English"` (prints the FAIL line in the learner's language and exits 1) and $LMS_LANG.
 */
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { getDb } from '../db';
import type { Lab } from '../labs/registry';
import { WorkspaceError, M, type Bi } from './errors';

export interface StepView {
  id: string;
  title: Bi;
  text: Bi;
  verifiable: boolean;
  done: boolean;
  doneAt: string | null;
}

/** A verification's time limit: generous, for a busy host (a verify is a few tool runs). */
export const STEP_TIMEOUT_S = 20;
const PRELUDE = `fail() { if [ "$LMS_LANG" = en ]; then echo "FAIL: $2"; else echo "FAIL: $1"; fi; exit 1; }\n`;

export async function stepViews(workspaceId: string, lab: Lab): Promise<StepView[]> {
  const done = new Map((await getDb().workspaceStep.findMany({ where: { workspaceId } })).map((s) => [s.stepId, s.doneAt]));
  return lab.manifest.steps.map((s) => ({
    id: s.id,
    title: s.title,
    text: s.text,
    verifiable: !!s.verify,
    done: done.has(s.id),
    doneAt: done.get(s.id)?.toISOString() ?? null,
  }));
}

/** Runs a verification command in a running container: exit code and stdout (capped). */
export async function execVerify(
  docker: Docker,
  container: Docker.Container,
  script: string,
  env: string[],
): Promise<{ exitCode: number | null; stdout: string }> {
  const exec = await container.exec({
    Cmd: ['timeout', '-s', 'KILL', String(STEP_TIMEOUT_S), 'bash', '-c', PRELUDE + script],
    AttachStdin: false,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    User: '10001:10001',
    WorkingDir: '/work',
    Env: ['PATH=/opt/lms/bin:/usr/local/bin:/usr/bin:/bin', 'HOME=/tmp/home', ...env],
  });
  const stream = (await exec.start({ hijack: true, stdin: false } as Docker.ExecStartOptions)) as unknown as NodeJS.ReadableStream;
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  out.on('data', (c: Buffer) => {
    if (stdout.length < 16_384) stdout += c.toString('utf8');
  });
  err.resume();
  docker.modem.demuxStream(stream, out, err);
  await Promise.race([
    new Promise<void>((resolve) => {
      stream.on('end', () => resolve());
      stream.on('close', () => resolve());
      stream.on('error', () => resolve());
    }),
    new Promise<void>((resolve) => setTimeout(resolve, (STEP_TIMEOUT_S + 5) * 1000)),
  ]);
  let info = await exec.inspect().catch(() => null);
  for (let i = 0; info?.Running && i < 20; i++) {
    await new Promise((r) => setTimeout(r, 50));
    info = await exec.inspect().catch(() => null);
  }
  return { exitCode: info && !info.Running ? info.ExitCode : null, stdout };
}

export async function runStep(
  docker: Docker,
  container: Docker.Container,
  lab: Lab,
  workspaceId: string,
  stepId: string,
  lang: 'ko' | 'en',
  env: string[],
): Promise<{ done: boolean; message?: string }> {
  const step = lab.manifest.steps.find((s) => s.id === stepId);
  if (!step) throw new WorkspaceError('not_found', M.noStep);
  let done = true;
  let message: string | undefined;
  if (step.verify) {
    const r = await execVerify(docker, container, step.verify, [`LMS_LANG=${lang}`, ...env]);
    done = r.exitCode === 0;
    if (!done) {
      const line = r.stdout.split('\n').find((l) => l.startsWith('FAIL: '));
      // 137: killed by the time limit (timeout -s KILL); null: still running when the engine stopped waiting.
      const late = r.exitCode === null || r.exitCode === 137;
      message = line
        ? line.slice(6).trim().slice(0, 500)
        : late
          ? lang === 'ko'
            ? `확인이 ${STEP_TIMEOUT_S}초 안에 끝나지 않았습니다. 잠시 뒤 다시 확인해 보세요.`
            : `The check did not finish within ${STEP_TIMEOUT_S} s. Try again in a moment.`
          : lang === 'ko'
            ? '아직입니다. 단계 설명을 다시 읽어 보세요.'
            : 'Not yet. Read the step again.';
    }
  }
  const db = getDb();
  if (done) await db.workspaceStep.upsert({ where: { workspaceId_stepId: { workspaceId, stepId } }, create: { workspaceId, stepId }, update: {} });
  return { done, ...(message ? { message } : {}) };
}
