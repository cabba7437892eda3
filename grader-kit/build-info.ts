/**
 * What the engine saw of a build from the learner's Dockerfile (`.lms/build.json`, written by lib/grading/build.ts),
 * as the graders of the Dockerfile labs read it, and the ways back from it to the Dockerfile: which instruction a
 * build step was, which stages the final image is made of. Every field beyond `ok` is optional: an older engine
 * writes fewer, and graders fall back to reading the Dockerfile (grader-kit/dockerfile.ts) when one is absent.
 */
import type { Msg, Submission } from './index';
import { finalStage, type Instruction, type ParsedDockerfile, type Stage } from './dockerfile';

export interface BuildStep {
  /** 1-based step number in the builder's output. */
  step: number;
  instruction: string;
  cached: boolean;
  /** Dockerfile line of the step, when the builder reports it. */
  line?: number;
  stage?: number;
}

/** The final image's configuration (docker image inspect .Config), as the engine reports it. */
export interface ImageConfigInfo {
  user?: string;
  /** "8080/tcp" keys (an array, or the engine's object with those keys). */
  exposedPorts?: string[] | Record<string, unknown>;
  healthcheck?: { test?: string[]; interval?: number; timeout?: number; startPeriod?: number; retries?: number } | null;
  cmd?: string[] | null;
  entrypoint?: string[] | null;
  env?: string[];
  workingDir?: string;
}

export interface LayerFile {
  path: string;
  size: number;
  type?: 'file' | 'dir' | 'link' | 'whiteout' | string;
  sha256?: string;
}

export interface AddedLayer {
  createdBy: string;
  size: number;
  files?: LayerFile[];
  truncated?: boolean;
}

export interface BuildInfo {
  ok: boolean;
  error?: string;
  /** What the engine's gate refused before building, each with its Dockerfile line. */
  refused?: { line: number; message: Msg }[];
  /** What the gate rewrote (a dropped `# syntax=`, a digest built from the local tag). */
  notes?: { line: number; message: Msg }[];
  log?: string;
  steps?: BuildStep[];
  /** The steps of a second build after only the lab's cache-probe file changed ([] when that build failed). */
  rebuildSteps?: BuildStep[];
  imageSize?: number;
  /** Size of the final stage's base image when the final FROM names a base image (older engines). */
  baseImageSize?: number;
  /** The image the final stage finally starts from, following FROM <stage> links, and its size. */
  rootImage?: string;
  rootImageSize?: number;
  /** Every local base image a learner's Dockerfile may start from, with its size. */
  baseImages?: Record<string, number>;
  /** The image's history, newest first (`docker history`). */
  layers?: { createdBy: string; size: number }[];
  image?: ImageConfigInfo;
  /** The final image's layers beyond rootImage, oldest first, with the files each adds. */
  added?: AddedLayer[];
  builder?: { kind?: string; version?: string };
}

/** The engine's build information from `.lms/build.json`; a missing or unreadable file is a build that did not happen. */
export function readBuildInfo(sub: Submission): BuildInfo {
  const text = sub.text('.lms/build.json');
  if (text === null) return { ok: false, error: 'no build information' };
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v === 'object' && v !== null && typeof (v as BuildInfo).ok === 'boolean') return v as BuildInfo;
  } catch {
    /* below */
  }
  return { ok: false, error: 'unreadable build information' };
}

/**
 * The Dockerfile instruction a build step ran: by its line when the builder reports one, otherwise by its number
 * (the classic builder numbers every instruction in order, global ARGs included: "Step 3/7").
 */
export function stepInstruction(df: ParsedDockerfile, step: BuildStep): Instruction | undefined {
  if (step.line !== undefined) return df.instructions.find((i) => i.line === step.line);
  return df.instructions[step.step - 1];
}

/** The final stage and the stages it starts FROM, nearest first (`FROM build` → [final, build, ...]). */
export function stageChain(df: ParsedDockerfile, start: Stage | undefined = finalStage(df)): Stage[] {
  const out: Stage[] = [];
  let s = start;
  while (s && !out.includes(s)) {
    out.push(s);
    s = s.parent.kind === 'stage' ? df.stages[s.parent.stage] : undefined;
  }
  return out;
}

/** Exposed ports of the image config as "port/proto" strings. */
export function exposedPortList(cfg: ImageConfigInfo | undefined): string[] | undefined {
  const e = cfg?.exposedPorts;
  if (e === undefined) return undefined;
  return Array.isArray(e) ? e.map(String) : Object.keys(e ?? {});
}

/** What the engine saw when it started the built image as the subject (`.lms/run.json`, when the engine writes it). */
export interface RunInfo {
  started?: boolean;
  /** The engine's start error, e.g. "unable to find user app: no matching entries in passwd file". */
  error?: string;
  /** The user the subject ran as. */
  user?: string;
  /** Whether it accepted a connection on the lab's port in time, and whether it exited before it did. */
  answered?: boolean;
  exited?: boolean;
  /** The image's HEALTHCHECK run once inside the running subject (exitCode -1 and timedOut past its timeout). */
  health?: { exitCode: number; output?: string; timedOut?: boolean; durationMs?: number } | null;
}

export function readRunInfo(sub: Submission): RunInfo | undefined {
  const text = sub.text('.lms/run.json');
  if (text === null) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null ? (v as RunInfo) : undefined;
  } catch {
    return undefined;
  }
}

/** The gate's refusals as `Dockerfile:<line>: <why>` in one language, or undefined when the gate refused nothing. */
export function refusalText(build: BuildInfo, lang: 'ko' | 'en', file = 'Dockerfile'): string | undefined {
  if (!build.refused?.length) return undefined;
  return build.refused
    .slice(0, 3)
    .map((r) => `${file}:${r.line}: ${typeof r.message === 'string' ? r.message : r.message[lang]}`)
    .join(' ');
}
