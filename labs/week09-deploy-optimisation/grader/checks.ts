/**
 * Week 9: a multi-stage Dockerfile really built (twice: once more after a source change) and measured, plus the
 * rolling-update settings of the Deployment and a PodDisruptionBudget.
 * Size is what the Dockerfile added on top of its final base image (image size minus base size, from the engine),
 * compared with a limit and with the single-stage baseline measured from the starter (grader/data/baseline.json).
 */
import { NotGradable, partial, type CheckVerdict, type GraderVerdict, type Msg, type Submission } from '../../../lib/grader-kit/index';
import { parseDockerfile } from '../../../lib/grader-kit/dockerfile';
import { get, isObj, parseYamlFile, type Json, type YamlDoc } from '../../../lib/grader-kit/yamldocs';
import baseline from './data/baseline.json';

export const PORT = 8080;
const msg = (ko: string, en: string): Msg => ({ ko, en });
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MB`;

export interface BuildInfo {
  ok: boolean;
  error?: string;
  steps?: { step: number; instruction: string; cached: boolean }[];
  rebuildSteps?: { step: number; instruction: string; cached: boolean }[];
  imageSize?: number;
  baseImageSize?: number;
}

export interface Probe {
  get(path: string): Promise<{ status: number; body: string } | { error: string }>;
}

const REQUIRED = ['Dockerfile', 'package.json', 'src/app.js', 'k8s/deployment.yaml', 'k8s/pdb.yaml'];

export async function gradeWith(sub: Submission, build: BuildInfo, probe: Probe | null): Promise<GraderVerdict> {
  for (const f of REQUIRED) if (!sub.has(f)) throw new NotGradable(msg(`${f} 파일이 없습니다. 시작 파일의 구조를 그대로 두세요.`, `${f} is missing. Keep the starter's layout.`));
  if (!sub.isValidUtf8('Dockerfile')) throw new NotGradable(msg('Dockerfile이 UTF-8 텍스트가 아닙니다.', 'The Dockerfile is not UTF-8 text.'));
  const ins = parseDockerfile(sub.text('Dockerfile')!);
  const froms = ins.filter((x) => x.op === 'FROM');
  if (!froms.length) throw new NotGradable(msg('Dockerfile에 FROM이 없습니다.', 'The Dockerfile has no FROM.'));
  const last = froms.length - 1;
  const final = ins.filter((x) => x.stage === last);
  const stageNames = froms.map((f) => /\s+AS\s+(\S+)/i.exec(f.args)?.[1]?.toLowerCase());
  const checks: CheckVerdict[] = [];

  // builds
  if (build.ok) checks.push({ id: 'builds', points: 2, passed: true });
  else {
    const line = build.steps?.length ? ins[build.steps.at(-1)!.step - 1]?.line : undefined;
    checks.push({ id: 'builds', points: 0, passed: false, message: msg(`Dockerfile${line ? `:${line}` : ''}: 이미지를 빌드하지 못했습니다: ${(build.error ?? '').replace(/\s+/g, ' ').slice(0, 300)}`, `Dockerfile${line ? `:${line}` : ''}: the image did not build: ${(build.error ?? '').replace(/\s+/g, ' ').slice(0, 300)}`) });
  }

  // multi-stage: the final stage takes artefacts from an earlier one and builds nothing itself
  {
    const copiesFrom = final.filter((x) => x.op === 'COPY' && /--from=/i.test(x.args));
    const buildsHere = final.filter((x) => x.op === 'RUN' && /scripts\/build\.js|npm run build/.test(x.args));
    checks.push(
      partial('multi-stage', 2, [
        { ok: froms.length >= 2 && copiesFrom.length > 0, message: froms.length < 2 ? msg(`Dockerfile:${froms[0]!.line}: 스테이지가 하나뿐입니다. 빌드하는 스테이지와 실행하는 스테이지를 나누세요.`, `Dockerfile:${froms[0]!.line}: there is a single stage; separate the stage that builds from the one that runs.`) : msg(`Dockerfile:${froms[last]!.line}: 마지막 스테이지가 앞 스테이지에서 아무것도 COPY --from으로 가져오지 않습니다.`, `Dockerfile:${froms[last]!.line}: the final stage takes nothing from an earlier stage with COPY --from.`) },
        { ok: buildsHere.length === 0, message: msg(`${buildsHere.map((x) => `Dockerfile:${x.line}`).join(', ')}: 마지막 스테이지에서 빌드를 실행합니다. 빌드는 빌드 스테이지의 일입니다.`, `${buildsHere.map((x) => `Dockerfile:${x.line}`).join(', ')}: the final stage runs the build; that is the build stage's job.`) },
      ]),
    );
  }

  // size: what the Dockerfile added, against the limit and the single-stage baseline
  {
    const added = build.ok && build.imageSize !== undefined && build.baseImageSize !== undefined ? build.imageSize - build.baseImageSize : undefined;
    checks.push(
      partial('size', 3, [
        {
          ok: added !== undefined && added <= baseline.limitBytes,
          message: added === undefined ? msg('이미지가 빌드되지 않았거나 마지막 스테이지가 기본 이미지에서 시작하지 않아 크기를 잴 수 없습니다.', 'The image did not build, or its final stage does not start from a base image, so its size could not be measured.') : msg(`Dockerfile이 베이스 이미지 위에 ${mb(added)}를 더했습니다. 한도는 ${mb(baseline.limitBytes)}입니다.`, `Your Dockerfile added ${mb(added)} on top of the base image; the limit is ${mb(baseline.limitBytes)}.`),
        },
        {
          ok: added !== undefined && added < baseline.addedBytes / 4,
          message: msg(`한 스테이지짜리 기준 이미지는 ${mb(baseline.addedBytes)}를 더합니다. 여러분의 이미지는 ${added === undefined ? '잴 수 없었습니다' : mb(added)}. 기준의 4분의 1보다 작아야 합니다.`, `The single-stage baseline adds ${mb(baseline.addedBytes)}; yours ${added === undefined ? 'could not be measured' : `adds ${mb(added)}`}. It must be under a quarter of the baseline.`),
        },
      ]),
    );
  }

  // no build tools or sources in the final stage
  {
    const leaks = final.filter((x) => {
      if (x.op !== 'COPY' && x.op !== 'ADD') return false;
      const words = x.args.split(/\s+/).filter((w) => !w.startsWith('--'));
      const from = /--from=(\S+)/i.exec(x.args)?.[1]?.toLowerCase();
      const sources = words.slice(0, -1);
      if (!from) return sources.some((s) => /^(\.\/?|toolchain\/?.*|src\/?.*|scripts\/?.*)$/.test(s));
      if (!stageNames.includes(from) && !/^\d+$/.test(from)) return false;
      return sources.some((s) => /^(\/app\/?|\.\/?|\/app\/toolchain.*|\/app\/src.*|\/)$/.test(s));
    });
    checks.push(
      partial('no-build-tools', 2, [
        {
          ok: leaks.length === 0,
          message: msg(`${leaks.map((x) => `Dockerfile:${x.line}: ${x.op} ${x.args}`).join('; ')}: 빌드 도구나 소스까지 실행 이미지에 들어갑니다. 실행에 필요한 결과물만 골라 복사하세요.`, `${leaks.map((x) => `Dockerfile:${x.line}: ${x.op} ${x.args}`).join('; ')}: this brings build tools or sources into the runtime image; copy only what the service runs.`),
        },
      ]),
    );
  }

  // cache: changing src/ must not re-run the dependency install
  {
    const rerun = (build.rebuildSteps ?? []).filter((s) => /^RUN\b/i.test(s.instruction) && /install/.test(s.instruction) && !s.cached);
    checks.push(
      partial('cache', 2, [
        {
          ok: build.ok && (build.rebuildSteps?.length ?? 0) > 0 && rerun.length === 0,
          message: !build.ok ? msg('빌드되지 않아 캐시를 확인할 수 없습니다.', 'Not built, so the cache could not be checked.') : msg(`src/app.js만 바꿔 다시 빌드했더니 의존성 설치(${rerun.map((s) => `Dockerfile:${ins[s.step - 1]?.line ?? '?'} ${s.instruction}`).join('; ')})가 다시 실행되었습니다.`, `After changing only src/app.js, the rebuild installed the dependencies again (${rerun.map((s) => `Dockerfile:${ins[s.step - 1]?.line ?? '?'} ${s.instruction}`).join('; ')}).`),
        },
      ]),
    );
  }

  // answers
  {
    const r = probe ? await probe.get('/readyz') : { error: 'not built' };
    checks.push(partial('answers', 1, [{ ok: !('error' in r) && r.status === 200, message: msg(`빌드한 이미지를 실행해 ${PORT}번 포트에 GET /readyz를 보냈더니: ${'error' in r ? r.error : `HTTP ${r.status}`}.`, `The built image, run, answered GET /readyz on port ${PORT} with: ${'error' in r ? r.error : `HTTP ${r.status}`}.`) }]));
  }

  checks.push(rollout(sub));
  return { gradable: true, checks };
}

function rollout(sub: Submission): CheckVerdict {
  const docs: YamlDoc[] = [...parseYamlFile(sub, 'k8s/deployment.yaml'), ...parseYamlFile(sub, 'k8s/pdb.yaml')];
  const at = (d: YamlDoc, p: (string | number)[]) => `${d.file}:${d.line(p)}`;
  const dep = docs.find((d) => isObj(d.value) && d.value.kind === 'Deployment');
  if (!dep) return { id: 'rollout', points: 0, passed: false, message: msg('k8s/deployment.yaml에 Deployment가 없습니다.', 'k8s/deployment.yaml has no Deployment.') };
  const v = dep.value;
  const strategyType = (get(v, ['spec', 'strategy', 'type']) as string | undefined) ?? 'RollingUpdate';
  const ru = get(v, ['spec', 'strategy', 'rollingUpdate']);
  const num = (x: Json | undefined, dflt: string) => String(x ?? dflt);
  const maxUnavailable = num(get(ru, ['maxUnavailable']), '25%');
  const maxSurge = num(get(ru, ['maxSurge']), '25%');
  const replicas = typeof get(v, ['spec', 'replicas']) === 'number' ? (get(v, ['spec', 'replicas']) as number) : 1;
  const containers = (get(v, ['spec', 'template', 'spec', 'containers']) as Json[] | undefined) ?? [];
  const ready = containers.every((c) => isObj(get(c, ['readinessProbe'])));
  const podLabels = (get(v, ['spec', 'template', 'metadata', 'labels']) ?? {}) as Record<string, Json>;
  const pdb = docs.find((d) => isObj(d.value) && d.value.kind === 'PodDisruptionBudget');
  const sel = (pdb ? get(pdb.value, ['spec', 'selector', 'matchLabels']) : undefined) as Record<string, Json> | undefined;
  const selects = !!sel && Object.keys(sel).length > 0 && Object.entries(sel).every(([k, x]) => podLabels[k] === x);
  const minAvailable = pdb ? get(pdb.value, ['spec', 'minAvailable']) : undefined;
  const pdbUnavailable = pdb ? get(pdb.value, ['spec', 'maxUnavailable']) : undefined;
  const allowsDrain = typeof minAvailable === 'number' ? minAvailable < replicas && minAvailable >= 1 : pdbUnavailable !== undefined ? String(pdbUnavailable) !== '0' : typeof minAvailable === 'string';
  return partial('rollout', 3, [
    {
      ok: strategyType === 'RollingUpdate' && (maxUnavailable === '0' || maxUnavailable === '0%') && maxSurge !== '0' && maxSurge !== '0%' && replicas >= 2,
      message: strategyType !== 'RollingUpdate'
        ? msg(`${at(dep, ['spec', 'strategy', 'type'])}: ${strategyType}는 모든 파드를 먼저 내립니다.`, `${at(dep, ['spec', 'strategy', 'type'])}: ${strategyType} takes every Pod down first.`)
        : msg(`${at(dep, ['spec', 'strategy'])}: 롤링 업데이트가 maxUnavailable ${maxUnavailable}, maxSurge ${maxSurge}, 복제본 ${replicas}개로 진행됩니다. 준비된 파드 수가 한 번도 줄지 않아야 합니다.`, `${at(dep, ['spec', 'strategy'])}: the rollout runs with maxUnavailable ${maxUnavailable}, maxSurge ${maxSurge} and ${replicas} replica(s); the number of ready Pods must never drop.`),
    },
    { ok: ready, message: msg(`${at(dep, ['spec', 'template', 'spec', 'containers'])}: readinessProbe가 없으면 새 파드가 준비되기 전에 트래픽을 받습니다.`, `${at(dep, ['spec', 'template', 'spec', 'containers'])}: without a readinessProbe a new Pod gets traffic before it is ready.`) },
    {
      ok: !!pdb && (get(pdb.value, ['apiVersion']) as string) === 'policy/v1' && selects && allowsDrain,
      message: !pdb
        ? msg('k8s/pdb.yaml에 PodDisruptionBudget이 없습니다.', 'k8s/pdb.yaml has no PodDisruptionBudget.')
        : !selects
          ? msg(`${at(pdb, ['spec', 'selector'])}: PodDisruptionBudget의 셀렉터가 Deployment의 파드 레이블과 맞지 않습니다.`, `${at(pdb, ['spec', 'selector'])}: the PodDisruptionBudget's selector does not match the Deployment's Pod labels.`)
          : msg(`${at(pdb, ['spec'])}: 이 PodDisruptionBudget(policy/v1)은 노드 비우기를 막거나(복제본 ${replicas}개) 아무것도 지키지 않습니다.`, `${at(pdb, ['spec'])}: this PodDisruptionBudget (policy/v1) either blocks node drains (with ${replicas} replicas) or protects nothing.`),
    },
  ]);
}
