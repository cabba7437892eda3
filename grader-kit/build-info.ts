/**
 * What the engine saw of a build from the learner's Dockerfile (`.lms/build.json`, written by lib/grading/build.ts),
 * as the graders of the Dockerfile labs read it, and the ways back from it to the Dockerfile: which instruction a
 * build step was, which stages the final image is made of. The documents themselves are part of the contract
 * (./protocol.ts `buildInfo`, `runInfo`).
 */
import { msg, NotGradable, type CheckVerdict, type Submission } from './index';
import { finalStage, readDockerfile, type Instruction, type ParsedDockerfile, type Stage } from './dockerfile';
import { BUILD_INFO_PATH, RUN_INFO_PATH, type BuildInfo, type BuildStep, type ImageConfigInfo, type RunInfo } from './protocol';

export type { AddedLayer, BuildInfo, BuildStep, ImageConfigInfo, LayerFile, RunInfo } from './protocol';

/** The engine's build information from `.lms/build.json`; a missing or unreadable file is a build that did not happen. */
export function readBuildInfo(sub: Submission): BuildInfo {
  const text = sub.text(BUILD_INFO_PATH);
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

export function readRunInfo(sub: Submission): RunInfo | undefined {
  const text = sub.text(RUN_INFO_PATH);
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

/**
 * The submitted Dockerfile, read with Docker's semantics. A file the lab needs that is missing, a Dockerfile that is
 * not UTF-8 text or one without FROM is not gradable.
 */
export function readSubmittedDockerfile(sub: Submission, required: readonly string[]): ParsedDockerfile {
  for (const f of required)
    if (!sub.has(f)) throw new NotGradable(msg(`${f} 파일이 없습니다. 시작 파일의 구조를 그대로 두세요.`, `${f} is missing. Keep the starter's layout.`));
  if (!sub.isValidUtf8('Dockerfile')) throw new NotGradable(msg('Dockerfile이 UTF-8 텍스트가 아닙니다.', 'The Dockerfile is not UTF-8 text.'));
  const df = readDockerfile(sub.text('Dockerfile')!);
  if (!df.stages.length) throw new NotGradable(msg('Dockerfile에 FROM이 없습니다.', 'The Dockerfile has no FROM.'));
  return df;
}

/** The failed verdict of a build check when the engine's gate refused the Dockerfile before building, with its lines. */
export function refusedBeforeBuilding(id: string, build: BuildInfo): CheckVerdict | undefined {
  const refusedKo = refusalText(build, 'ko');
  if (!refusedKo) return undefined;
  return { id, points: 0, passed: false, message: msg(`빌드 전에 거절되었습니다: ${refusedKo}`, `Refused before building: ${refusalText(build, 'en')}`) };
}
