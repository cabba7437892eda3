/**
 * The contract between the grading engine (lib/grading) and a lab's grader, in one place: what the engine hands a
 * grader (the submission as a tar on stdin, with `.lms/build.json` and `.lms/run.json` for labs that build the
 * learner's image, and the subject's address in the environment) and what a grader answers (one verdict on stdout,
 * progress lines on stderr). Both sides import it from here; it imports nothing but zod, so it runs in the grader
 * container (Debian's Node 18) as well as in the engine.
 */
import { z } from 'zod';

// ── messages ──────────────────────────────────────────────────────────────────────────────────────────────────────

export type Lang = 'ko' | 'en';

/** A message to the learner in both languages. */
export const bilingualMessage = z.object({ ko: z.string().min(1), en: z.string().min(1) });

/** A message a grader writes: plain text, or one per language. */
export const graderMessage = z.union([z.string().max(4000), bilingualMessage]);
export type Msg = z.infer<typeof graderMessage>;

// ── the verdict (stdout) ──────────────────────────────────────────────────────────────────────────────────────────

export const checkVerdict = z
  .object({
    id: z.string().max(100),
    /** Points earned; partial credit is allowed. */
    points: z.number().min(0),
    passed: z.boolean(),
    message: graderMessage.optional(),
  })
  .strict();
export type CheckVerdict = z.infer<typeof checkVerdict>;

/** What a grader prints on stdout: one JSON document, nothing else. */
export const graderOutput = z
  .object({
    gradable: z.boolean(),
    message: graderMessage.optional(),
    checks: z.array(checkVerdict).max(200).default([]),
  })
  .strict();
export type GraderVerdict = z.infer<typeof graderOutput>;

// ── progress and crash lines (stderr) ─────────────────────────────────────────────────────────────────────────────

/** The engine reads these stderr lines for the live view only; the verdict on stdout is the result. */
export const PROGRESS_PREFIX = 'LMS-PROGRESS:';
/** Starts the stderr line with the stack of a crash the kit turned into a verdict (the engine logs it). */
export const KIT_STOPPED = 'LMS-GRADER-STOPPED:';

export const progressLine = z.object({ id: z.string().max(100), passed: z.boolean() }).strict();
export type ProgressLine = z.infer<typeof progressLine>;

/** The stderr line a grader writes when a check is decided. */
export function formatProgress(check: Pick<CheckVerdict, 'id' | 'passed'>): string {
  return `${PROGRESS_PREFIX}${JSON.stringify({ id: check.id, passed: check.passed })}`;
}

/** A progress line read back, or undefined when the line is not one. */
export function parseProgress(line: string): ProgressLine | undefined {
  if (!line.startsWith(PROGRESS_PREFIX)) return undefined;
  try {
    const p = progressLine.safeParse(JSON.parse(line.slice(PROGRESS_PREFIX.length)));
    return p.success ? p.data : undefined;
  } catch {
    return undefined;
  }
}

// ── what the engine adds to the submission (names under .lms/ that learners cannot submit) ──────────────────────

/** What the engine saw of the build from the learner's Dockerfile (BuildInfo). */
export const BUILD_INFO_PATH = '.lms/build.json';
/** What the engine saw when it started the built image as the subject (RunInfo). */
export const RUN_INFO_PATH = '.lms/run.json';
/** A lab's harness (`subject.harness` in lab.yaml), copied beside the learner's program in the subject container. */
export const HARNESS_PATH = '.lms/harness.js';

// ── the subject's environment ─────────────────────────────────────────────────────────────────────────────────────

/** Set in the subject's container: the port its program listens on (the lab's `subject.port`). */
export const SUBJECT_PORT_VAR = 'PORT';
/** Set in the grader's container of a subject lab: where it reaches the learner's program. */
export const SUBJECT_ENV = { url: 'SUBJECT_URL', host: 'SUBJECT_HOST', port: 'SUBJECT_PORT' } as const;
/** Where a grader reaches the subject when the engine set no SUBJECT_URL. */
export const DEFAULT_SUBJECT_URL = 'http://subject:8080';

/** The grader container's environment for a subject listening on `port` in the namespace it shares. */
export function graderSubjectEnv(port: number): string[] {
  return [`${SUBJECT_ENV.url}=http://127.0.0.1:${port}`, `${SUBJECT_ENV.host}=127.0.0.1`, `${SUBJECT_ENV.port}=${port}`];
}

// ── .lms/build.json ───────────────────────────────────────────────────────────────────────────────────────────────
// Every field beyond `ok` may be absent (an older engine writes fewer; a refused build has no image): graders fall
// back to reading the Dockerfile (grader-kit/dockerfile.ts) when one is.

export const buildStep = z.object({
  /** 1-based index of the instruction in the Dockerfile (global ARGs included), as the classic builder numbered steps. */
  step: z.number(),
  instruction: z.string(),
  /** From the builder's own report of the step (found in its cache). */
  cached: z.boolean(),
  /** Dockerfile line of the step, when the builder reports it. */
  line: z.number().optional(),
  stage: z.number().optional(),
  error: z.string().optional(),
});
export type BuildStep = z.infer<typeof buildStep>;

/** The final image's configuration (docker image inspect .Config), as the engine reports it. */
export const imageConfigInfo = z.object({
  user: z.string().optional(),
  /** "8080/tcp" entries (an array, or Docker's object with those keys). */
  exposedPorts: z.union([z.array(z.string()), z.record(z.string(), z.unknown())]).optional(),
  healthcheck: z
    .object({
      test: z.array(z.string()).optional(),
      interval: z.number().optional(),
      timeout: z.number().optional(),
      startPeriod: z.number().optional(),
      retries: z.number().optional(),
    })
    .nullable()
    .optional(),
  cmd: z.array(z.string()).nullable().optional(),
  entrypoint: z.array(z.string()).nullable().optional(),
  env: z.array(z.string()).optional(),
  workingDir: z.string().optional(),
  volumes: z.array(z.string()).optional(),
});
export type ImageConfigInfo = z.infer<typeof imageConfigInfo>;

export const layerFile = z.object({
  path: z.string(),
  size: z.number(),
  /** 'file', 'dir', 'link', 'whiteout' or 'other'. */
  type: z.string().optional(),
  sha256: z.string().optional(),
});
export type LayerFile = z.infer<typeof layerFile>;

export const addedLayer = z.object({
  createdBy: z.string(),
  size: z.number(),
  files: z.array(layerFile),
  truncated: z.boolean().optional(),
});
export type AddedLayer = z.infer<typeof addedLayer>;

/** A line of the learner's Dockerfile (or of `file`, e.g. its .dockerignore) and what the engine's gate says of it. */
export const lineNote = z.object({ line: z.number(), message: bilingualMessage, file: z.string().optional() });
export type LineNote = z.infer<typeof lineNote>;

export const buildInfo = z.object({
  ok: z.boolean(),
  /** Why it did not build: the gate's first refusal, the builder's error, or the time limit (English). */
  error: z.string().optional(),
  /** What the engine's gate refused before building, each with its Dockerfile line. */
  refused: z.array(lineNote).optional(),
  /** What the gate rewrote (a dropped `# syntax=`, a digest built from the local tag). */
  notes: z.array(lineNote).optional(),
  /** The build's steps and their output, capped. */
  log: z.string().optional(),
  steps: z.array(buildStep).optional(),
  /** The steps of a second build after only the lab's cache-probe file changed ([] when that build failed). */
  rebuildSteps: z.array(buildStep).optional(),
  imageSize: z.number().optional(),
  /** Size of the image the final stage finally starts from (following FROM <stage>), when that is a base image. */
  baseImageSize: z.number().optional(),
  /** The image the final stage finally starts from, following FROM <stage> links, and its size. */
  rootImage: z.string().optional(),
  rootImageSize: z.number().optional(),
  /** Size in bytes of every learner base the builder holds, by tag (aliases of one image share its size). */
  baseImages: z.record(z.string(), z.number()).optional(),
  /**
   * The build context after the learner's ignore file (`<Dockerfile>.dockerignore`, else `.dockerignore`), as the docker
   * CLI sends it: the file used and the submitted paths it left out (200 at most). The Dockerfile and the ignore file
   * stay in the context whatever it says (the builder reads them there), so `COPY . .` still copies them.
   */
  context: z.object({ ignoreFile: z.string(), excluded: z.array(z.string()) }).optional(),
  /** The image's history, newest first (`docker history`). */
  layers: z.array(z.object({ createdBy: z.string(), size: z.number() })).optional(),
  image: imageConfigInfo.optional(),
  /** The final image's layers beyond rootImage, oldest first, with the files each adds (2,000 entries at most). */
  added: z.array(addedLayer).optional(),
  builder: z.object({ kind: z.string().optional(), version: z.string().optional() }).optional(),
  durationMs: z.number().optional(),
});
export type BuildInfo = z.infer<typeof buildInfo>;

// ── .lms/run.json ─────────────────────────────────────────────────────────────────────────────────────────────────

export const runInfo = z.object({
  /** Whether the engine started the subject. */
  started: z.boolean().optional(),
  /** The engine's reason when it did not (e.g. "unable to find user app: no matching entries in passwd file"). */
  error: z.string().optional(),
  /** The user the subject ran as: the image's USER, or the sandbox user for root/none. */
  user: z.string().optional(),
  /** Whether it accepted a connection on the lab's port in time. */
  answered: z.boolean().optional(),
  /** It exited before it answered. */
  exited: z.boolean().optional(),
  /**
   * The image's HEALTHCHECK run once after the subject answered: null when the image has none (or NONE); absent
   * when it was not run (the subject never answered). exitCode -1 when it exceeded its timeout, as Docker reports.
   */
  health: z
    .object({ exitCode: z.number(), output: z.string().optional(), timedOut: z.boolean().optional(), durationMs: z.number().optional() })
    .nullable()
    .optional(),
});
export type RunInfo = z.infer<typeof runInfo>;
