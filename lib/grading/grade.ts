/**
 * Grades a set of files for a lab through the sandbox. The worker and `bin/lms grade` both call this, so a result
 * on the command line is the result the site would store.
 */
import type Docker from 'dockerode';
import { getEnv } from '../env';
import { getLab, type Lab } from '../labs/registry';
import { assembleResult, graderOutput, RESULT_MAX_BYTES, type StoredResult } from './result';
import { buildSubmissionTar, ArchiveError, type SubmittedFile } from './tar';
import { resolveLimits, type SandboxLimits } from './limits';
import { ensureLearnerBaseImages, graderImageTag, imageExists, runtimeImageTag } from './images';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prepareSandbox, type PreparedSandbox, type RunOutcome, LABEL_SANDBOX, LABEL_OWNER, LABEL_PREFIX, WORKER_ID } from './sandbox';
import { buildLearnerImage, gateLearnerDockerfile, LEARNER_BASE_IMAGES, type BuildInfo } from './build';
import { leaseBuilder, type BuilderLease } from './builder';
import { learnerStartError, runHealthcheck, subjectUser, SUBJECT_ANSWER_WAIT_MS, waitForPort, type RunInfo } from './subject-run';
import type { SandboxPool } from './pool';
import { BUILD_INFO_PATH, graderSubjectEnv, HARNESS_PATH, KIT_STOPPED, parseProgress, RUN_INFO_PATH, SUBJECT_PORT_VAR } from '../../grader-kit/protocol';
import { acceptFiles } from '../labs/files';
import { isAppError } from '../errors';

export type Phase = 'starting' | 'building' | 'running' | 'finished';

export type GradeOutcome = (
  | {
      kind: 'graded';
      result: StoredResult;
      imageTag: string;
      /** Set when the grader stopped on the submission and the result says so: what happened, for the operator's log. */
      stopped?: string;
    }
  | { kind: 'timed_out'; durationMs: number; imageTag: string; message: string }
) & {
  /** Resolves when every container of the run is gone (already resolved unless `deferCleanup` was set). */
  cleanup?: Promise<void>;
};

/**
 * The engine could not grade (engine unreachable, image missing, a container that could not be created or started,
 * the engine losing the run): retry, and never charge the learner. A grader that ran and stopped because of what it
 * was fed is not one of these: see `readOutcome`.
 */
export class InfraError extends Error {}

export interface GradeOptions {
  docker: Docker;
  labId: string;
  files: SubmittedFile[];
  onPhase?: (phase: Phase) => void | Promise<void>;
  runtime?: string;
  labels?: Record<string, string>;
  /** Pre-started sandboxes for static labs; without one every run is cold. */
  pool?: SandboxPool;
  /** Return as soon as the result is known and let the containers be removed after (the worker stores first). */
  deferCleanup?: boolean;
  /** Checks reported so far by the grader, for the live view (display only). */
  onProgress?: (checks: { id: string; passed: boolean }[]) => void;
}

function progressHook(lab: Lab, onProgress?: GradeOptions['onProgress']) {
  if (!onProgress) return undefined;
  const seen: { id: string; passed: boolean }[] = [];
  return (line: string) => {
    const p = parseProgress(line);
    if (!p || !lab.manifest.checks.some((c) => c.id === p.id) || seen.some((x) => x.id === p.id)) return;
    seen.push(p);
    onProgress([...seen]);
  };
}

function notGradable(lab: Lab, message: { ko: string; en: string }, durationMs = 0): StoredResult {
  return assembleResult(lab.manifest, { gradable: false, message, checks: [] }, durationMs);
}

export async function gradeFiles(opts: GradeOptions): Promise<GradeOutcome> {
  const started = Date.now();
  const lab = getLab(opts.labId);
  if (!lab) throw new InfraError(`unknown lab "${opts.labId}"`);
  const imageTag = graderImageTag(lab);

  // Malformed submissions are answered before anything reaches Docker.
  let input: Buffer;
  try {
    input = await buildSubmissionTar(acceptFiles(lab.manifest, opts.files));
  } catch (e) {
    if (isAppError(e) || e instanceof ArchiveError) {
      const msg = isAppError(e) ? e.bilingual() : { ko: `제출 파일을 받을 수 없습니다: ${e.message}`, en: `The submission was refused: ${e.message}` };
      return { kind: 'graded', result: notGradable(lab, msg, Date.now() - started), imageTag };
    }
    throw e;
  }

  if (
    !(await imageExists(opts.docker, imageTag).catch((e) => {
      throw new InfraError(`Docker engine unreachable: ${(e as Error).message}`);
    }))
  ) {
    await opts.docker.ping().catch((e) => {
      throw new InfraError(`Docker engine unreachable: ${(e as Error).message}`);
    });
    throw new InfraError(`grader image ${imageTag} is missing; run bin/lms images build`);
  }
  await opts.onPhase?.('starting');
  const limits = resolveLimits(lab.manifest.limits.grader);
  const labels = { 'lms.lab': lab.manifest.id, ...(opts.labels ?? {}) };
  let outcome: RunOutcome;
  try {
    if (lab.manifest.kind === 'subject') {
      outcome = await runWithSubject(opts, lab, imageTag, input, labels);
    } else {
      const pooled = opts.pool?.take({ image: imageTag, limits, labels: { 'lms.lab': lab.manifest.id }, runtime: opts.runtime, labId: lab.manifest.id });
      const sb: PreparedSandbox =
        pooled ?? (await prepareSandbox(opts.docker, { image: imageTag, limits, labels, runtime: opts.runtime, resultOnFirstLine: true }));
      await opts.onPhase?.('running');
      try {
        outcome = await sb.run(input, { onStderrLine: progressHook(lab, opts.onProgress) });
      } finally {
        opts.pool?.refill(lab.manifest.id);
      }
    }
  } catch (e) {
    if (e instanceof InfraError) throw e;
    throw new InfraError(`sandbox failed: ${(e as Error).message}`);
  }
  const durationMs = Date.now() - started;
  const cleanup = outcome.removed;
  if (!opts.deferCleanup) await cleanup;
  if (outcome.timedOut) {
    return {
      cleanup,
      kind: 'timed_out',
      durationMs,
      imageTag,
      message: `The grader did not finish within ${Math.round(limits.timeoutMs / 1000)} s.`,
    };
  }
  const ended = readOutcome(lab, outcome, limits, durationMs);
  await opts.onPhase?.('finished');
  return { kind: 'graded', result: ended.result, imageTag, cleanup, ...(ended.stopped ? { stopped: ended.stopped } : {}) };
}

const SIGNALS = new Map(Object.entries(os.constants.signals).map(([name, n]) => [n, name]));

/**
 * What a grader run that ended (not timed out) produced. The verdict line on stdout is the result. Without a usable
 * verdict, how the grader ended decides whose problem it is:
 *
 *  - the grader ran and died because of what it was fed: killed at its memory limit, crashed (any exit code but
 *    0, or a signal the sandbox itself can raise: SIGSEGV, SIGABRT), printed garbage or more than the result cap,
 *    reported a check the lab does not have. Running it again gives the same answer, so it is the submission's
 *    result: gradable, every check failed, a message saying what happened (and counted, as a timeout is);
 *  - the engine failed: it stopped answering before it said how the grader ended, the output was lost on the way
 *    (exit 0 and nothing printed: the grader kit always prints a verdict before exiting 0), or the process was
 *    killed from outside the sandbox (SIGKILL or SIGTERM without the memory limit: the host's own OOM killer, the
 *    engine stopping; nothing inside the container can kill its first process so). That is an InfraError: retried.
 */
export function readOutcome(lab: Lab, outcome: RunOutcome, limits: SandboxLimits, durationMs: number): { result: StoredResult; stopped?: string } {
  const stderrTail = () => outcome.stderr.toString('utf8').slice(-500);
  const stopped = (why: GraderStop, diagnostic: string) => ({
    result: assembleResult(lab.manifest, { gradable: true, message: stopMessage(why, limits), checks: [] }, durationMs),
    stopped: `${diagnostic}: ${stderrTail()}`,
  });
  if (outcome.stdoutTruncated || outcome.stdout.length > RESULT_MAX_BYTES) return stopped({ kind: 'flood' }, 'grader printed more than the result cap');
  if (outcome.stdout.length > 0) {
    let doc: unknown;
    try {
      doc = JSON.parse(outcome.stdout.toString('utf8'));
    } catch {
      return stopped({ kind: 'garbage' }, 'grader printed something other than one JSON document');
    }
    const parsed = graderOutput.safeParse(doc);
    if (!parsed.success) return stopped({ kind: 'garbage' }, `grader output failed validation: ${parsed.error.issues[0]?.message}`);
    try {
      const result = assembleResult(lab.manifest, parsed.data, durationMs);
      // The grader kit caught a crash itself and said so in the verdict; its stack is on stderr for the operator.
      const caught = outcome.stderr.toString('utf8').indexOf(KIT_STOPPED);
      return caught < 0
        ? { result }
        : { result, stopped: `the grader kit caught a crash: ${outcome.stderr.toString('utf8').slice(caught + KIT_STOPPED.length, caught + 1500)}` };
    } catch (e) {
      return stopped({ kind: 'garbage' }, (e as Error).message);
    }
  }
  // Nothing on stdout.
  if (outcome.oomKilled) return stopped({ kind: 'memory' }, 'grader killed at its memory limit');
  if (outcome.exitCode === null || !outcome.exitKnown) throw new InfraError('the engine stopped answering before the grader ended');
  const code = outcome.exitCode;
  if (code === 0) throw new InfraError('the grader exited 0 and its output was lost on the way');
  const signal = code > 128 ? SIGNALS.get(code - 128) : undefined;
  if (signal === 'SIGKILL' || signal === 'SIGTERM') throw new InfraError(`the grader was killed from outside its sandbox (${signal}): ${stderrTail()}`);
  if (/heap out of memory|Reached heap limit|Allocation failed/i.test(outcome.stderr.toString('utf8')))
    return stopped({ kind: 'memory' }, `grader ran out of heap (exit ${code})`);
  return stopped({ kind: 'crash', code, signal }, `grader exited with ${code}${signal ? ` (${signal})` : ''}`);
}

type GraderStop = { kind: 'memory' } | { kind: 'garbage' } | { kind: 'flood' } | { kind: 'crash'; code: number; signal?: string };

const REGRADE = {
  ko: '이 제출은 0점으로 기록됩니다. 제출물이 문제가 아니라고 생각되면 강사에게 알려 주세요. 다시 채점할 수 있습니다.',
  en: 'This attempt scores 0; if you believe your submission is fine, tell your instructor: it can be regraded.',
};

function stopMessage(why: GraderStop, limits: SandboxLimits): { ko: string; en: string } {
  const m = (ko: string, en: string) => ({ ko: `${ko} ${REGRADE.ko}`, en: `${en} ${REGRADE.en}` });
  switch (why.kind) {
    case 'memory':
      return m(
        `채점기가 제출물을 처리하다가 메모리 한도(${limits.memoryMb} MB)를 넘어 멈췄고, 어떤 항목도 채점하지 못했습니다. 입력이 지나치게 크거나, 깊게 중첩되었거나, 끝없이 펼쳐지지 않는지 확인하세요.`,
        `The grader ran out of memory (its limit is ${limits.memoryMb} MB) while processing your submission, before it could report any check. Look for input that is extremely large, deeply nested or that expands without end.`,
      );
    case 'garbage':
      return m(
        '채점기가 제출물을 채점하다가 결과 대신 다른 것을 출력해서, 어떤 항목도 읽을 수 없었습니다.',
        'The grader printed something other than its result while grading your submission, so no check could be read.',
      );
    case 'flood':
      return m(
        '채점기가 제출물을 채점하다가 결과 크기 한도(1 MiB)보다 많이 출력해서, 어떤 항목도 읽을 수 없었습니다.',
        'The grader printed more than the result size limit (1 MiB) while grading your submission, so no check could be read.',
      );
    case 'crash': {
      const how = `exit code ${why.code}${why.signal ? `, ${why.signal}` : ''}`;
      return m(
        `채점기가 제출물을 채점하다가 멈췄고(${how}), 어떤 항목도 채점하지 못했습니다.`,
        `The grader stopped (${how}) while grading your submission, before it could report any check.`,
      );
    }
  }
}

/**
 * A lab that runs the learner's code: the learner's program in its own "subject" container with no network, and the
 * grader in another container that joins the subject's network namespace, so it reaches the program on 127.0.0.1
 * and neither has any other interface. (An "internal" Docker network is not enough: containers on it can still open
 * connections to the host's own addresses, such as the bridge gateway; see docs/grading.md.) Only the grader's stdout
 * is read as the result; nothing the subject does reaches it except through the behaviour the grader observes.
 *
 * When the subject is built from the learner's Dockerfile, the build, the subject and its grader all run in a
 * learner-image builder (lib/grading/builder.ts), which is wiped when the grading ends; nothing reaches the host's engine.
 */
async function runWithSubject(opts: GradeOptions, lab: Lab, graderImage: string, input: Buffer, labels: Record<string, string>): Promise<RunOutcome> {
  const spec = lab.manifest.subject!;
  let engine = opts.docker;
  let runtime = opts.runtime;
  let subject: PreparedSandbox | undefined;
  let lease: BuilderLease | undefined;
  try {
    const subjectLimits = resolveLimits(lab.manifest.limits.subject ?? lab.manifest.limits.grader);
    // Trusted additions under .lms/ (learners cannot submit names there).
    const extra: SubmittedFile[] = [];
    let graderInput = input;
    let image = runtimeImageTag();
    let cmd: string[] | undefined;
    let volumes: string[] = [];
    let built: BuildInfo | undefined;
    if (spec.build) {
      await opts.onPhase?.('building');
      const gated = gateLearnerDockerfile(opts.files, spec.build.dockerfile);
      let info: BuildInfo;
      const builtTag = `lms-learner-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`.toLowerCase();
      if (gated.info) info = gated.info;
      else {
        await ensureLearnerBaseImages(opts.docker).catch((e: Error) => {
          throw new InfraError(`the learner base images could not be prepared: ${e.message}`);
        });
        lease = await leaseBuilder(opts.docker, { images: [graderImage, ...LEARNER_BASE_IMAGES] }).catch((e: Error) => {
          throw new InfraError(`no learner-image builder: ${e.message}`);
        });
        engine = lease.docker;
        runtime = undefined; // the builder's engine has runc only
        info = await buildLearnerImage(lease, {
          files: opts.files,
          dockerfile: spec.build.dockerfile,
          gate: gated.gate,
          tag: builtTag,
          limits: subjectLimits,
          labels: { [LABEL_SANDBOX]: 'image', [LABEL_OWNER]: WORKER_ID, [LABEL_PREFIX]: getEnv().REDIS_PREFIX, ...labels },
          cacheProbe: spec.build.cacheProbe,
        });
      }
      // The grader reads what the engine saw of the build; the learner's code never writes this file.
      graderInput = await buildSubmissionTar([...opts.files, { path: BUILD_INFO_PATH, content: Buffer.from(JSON.stringify(info)) }]);
      if (!info.ok) {
        const grader = await prepareSandbox(engine, {
          image: graderImage,
          limits: resolveLimits(lab.manifest.limits.grader),
          labels: { ...labels, 'lms.role': 'grader' },
          runtime,
          resultOnFirstLine: true,
        });
        await opts.onPhase?.('running');
        const out = await grader.run(graderInput, { onStderrLine: progressHook(lab, opts.onProgress) });
        const held = lease;
        lease = undefined;
        return { ...out, removed: out.removed.then(() => held?.release()).catch(() => {}) };
      }
      image = builtTag;
      volumes = info.image?.volumes ?? [];
      built = info;
    } else {
      cmd = [
        'sh',
        '-c',
        'mkdir -p /tmp/work && tar -x -C /tmp/work -f - --no-same-owner --no-same-permissions && cd /tmp/work && exec "$@"',
        'subject',
        ...spec.cmd!,
      ];
      if (spec.harness) extra.push({ path: HARNESS_PATH, content: fs.readFileSync(path.join(lab.dir, spec.harness)) });
    }
    const subjectInput = extra.length ? await buildSubmissionTar([...opts.files, ...extra]) : input;
    const subjectOpts = {
      image,
      cmd,
      limits: subjectLimits,
      labels: { ...labels, 'lms.role': 'subject' },
      runtime,
      role: 'subject' as const,
      keepWorkdir: !cmd,
      env: [`${SUBJECT_PORT_VAR}=${spec.port}`, ...Object.entries(spec.env).map(([k, v]) => `${k}=${v}`)],
      // A VOLUME of the learner's image would be a writable volume on the engine's disk: each becomes a small tmpfs.
      volumeTmpfs: volumes,
    };
    if (!built) {
      subject = await prepareSandbox(engine, subjectOpts);
      subject.feed(subjectInput);
    } else {
      // The learner's image runs as its own USER when that is not root (as `docker run` would), else as the sandbox
      // user; a USER the image does not have fails to start, as on Docker, and the grader learns why (.lms/run.json).
      const run: RunInfo = { started: false, user: subjectUser(built.image?.user) };
      try {
        subject = await prepareSandbox(engine, { ...subjectOpts, user: run.user });
        subject.feed(Buffer.alloc(0));
        run.started = true;
      } catch (e) {
        const why = learnerStartError(e);
        if (!why) throw e;
        run.error = why;
      }
      if (subject && lease) {
        const answered = await waitForPort(lease, subject, spec.port, SUBJECT_ANSWER_WAIT_MS);
        run.answered = answered === 'answered';
        if (answered === 'exited') run.exited = true;
        const hc = built.image?.healthcheck;
        if (!hc?.test?.length || hc.test[0] === 'NONE') run.health = null;
        else if (answered === 'answered') run.health = await runHealthcheck(engine, subject.id, hc);
      }
      graderInput = await buildSubmissionTar([
        ...opts.files,
        { path: BUILD_INFO_PATH, content: Buffer.from(JSON.stringify(built)) },
        { path: RUN_INFO_PATH, content: Buffer.from(JSON.stringify(run)) },
      ]);
    }
    const graderOpts = {
      image: graderImage,
      limits: resolveLimits(lab.manifest.limits.grader),
      labels: { ...labels, 'lms.role': 'grader' },
      runtime,
      resultOnFirstLine: true,
      env: graderSubjectEnv(spec.port),
    };
    let grader: PreparedSandbox;
    try {
      if (!subject) throw new Error('the subject did not start');
      grader = await prepareSandbox(engine, { ...graderOpts, networkMode: `container:${subject.id}` });
    } catch {
      // The learner's program already exited and took its namespace with it: grade with no network at all, so the
      // grader finds nothing listening and says so.
      grader = await prepareSandbox(engine, graderOpts);
    }
    await opts.onPhase?.('running');
    const out = await grader.run(graderInput, { onStderrLine: progressHook(lab, opts.onProgress) });
    const sub = subject;
    const held = lease;
    subject = undefined;
    lease = undefined;
    const removed = Promise.all([out.removed, sub?.stop().catch(() => {})]).then(async () => {
      await held?.release();
    });
    return { ...out, removed: removed.catch(() => {}) };
  } finally {
    await subject?.stop().catch(() => {});
    await lease?.release().catch(() => {});
  }
}
