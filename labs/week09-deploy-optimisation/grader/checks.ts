/**
 * Week 9: a multi-stage Dockerfile really built (twice: once more after a source change) and measured, plus the
 * rolling-update settings of the Deployment and a PodDisruptionBudget.
 * Size is what the Dockerfile added on top of its final base image (image size minus base size, from the engine),
 * compared with a limit and with the single-stage baseline measured from the starter (grader/data/baseline.json);
 * the largest layers are named by their Dockerfile line (the image history paired with the final stage's instructions).
 * What the final stage copies is resolved against the source stage's WORKDIR. The manifests are read for the rollout
 * (strategy, readiness on /readyz, grace period against preStop, a PodDisruptionBudget that selects and lets drains
 * through) and validated like kubectl apply would (schema.ts).
 */
import path from 'node:path';
import { NotGradable, partial, type CheckVerdict, type GraderVerdict, type Msg, type Submission } from '../../../lib/grader-kit/index';
import { parseDockerfile, type Instruction } from '../../../lib/grader-kit/dockerfile';
import { get, isObj, parseYamlFile, type Json, type YamlDoc } from '../../../lib/grader-kit/yamldocs';
import baseline from './data/baseline.json';
import { validateObject } from './schema';

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
  /** The image's history, newest first (`docker history`). */
  layers?: { createdBy: string; size: number }[];
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
    // A COPY --from naming no stage makes the builder look for an image of that name, on a network it does not have:
    // say which stage names exist instead of passing on a registry error.
    const badFrom = ins.find((x) => {
      const from = x.op === 'COPY' ? /--from=(\S+)/i.exec(x.args)?.[1] : undefined;
      if (!from) return false;
      const f = from.toLowerCase();
      return /^\d+$/.test(f) ? Number(f) >= x.stage : !stageNames.slice(0, x.stage).includes(f) && !f.includes('/') && !f.includes(':');
    });
    const names = stageNames.filter(Boolean).join(', ') || '(none)';
    const line = build.steps?.length ? ins[build.steps.at(-1)!.step - 1]?.line : undefined;
    const error = (build.error ?? '').replace(/\s+/g, ' ').slice(0, 300);
    checks.push({
      id: 'builds',
      points: 0,
      passed: false,
      message: badFrom
        ? msg(`Dockerfile:${badFrom.line}: COPY ${badFrom.args}가 앞에 없는 스테이지를 가리킵니다. 이 줄 앞의 스테이지 이름: ${names}. 빌더는 그 이름의 이미지를 내려받으려다 실패했습니다(${error}).`, `Dockerfile:${badFrom.line}: COPY ${badFrom.args} names no earlier stage; the stages before it are named: ${names}. The builder then tried to pull an image of that name and failed (${error}).`)
        : msg(`Dockerfile${line ? `:${line}` : ''}: 이미지를 빌드하지 못했습니다: ${error}`, `Dockerfile${line ? `:${line}` : ''}: the image did not build: ${error}`),
    });
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

  // size: what the Dockerfile added, against the limit and the single-stage baseline; the largest layers named by line
  {
    const added = build.ok && build.imageSize !== undefined && build.baseImageSize !== undefined ? build.imageSize - build.baseImageSize : undefined;
    const big = finalLayers(final, build.layers ?? [])
      .filter((l) => l.size >= 64 * 1024)
      .sort((a, b) => b.size - a.size)
      .slice(0, 3);
    const where = big.length ? { ko: ` 큰 레이어: ${big.map((l) => `Dockerfile:${l.at.line} ${l.at.op} ${l.at.args} (${mb(l.size)})`).join(', ')}.`, en: ` Largest layers: ${big.map((l) => `Dockerfile:${l.at.line} ${l.at.op} ${l.at.args} (${mb(l.size)})`).join(', ')}.` } : { ko: '', en: '' };
    checks.push(
      partial('size', 3, [
        {
          ok: added !== undefined && added <= baseline.limitBytes,
          message: added === undefined ? msg('이미지가 빌드되지 않았거나 마지막 스테이지가 기본 이미지에서 시작하지 않아 크기를 잴 수 없습니다.', 'The image did not build, or its final stage does not start from a base image, so its size could not be measured.') : msg(`Dockerfile이 베이스 이미지 위에 ${mb(added)}를 더했습니다. 한도는 ${mb(baseline.limitBytes)}입니다.${where.ko}`, `Your Dockerfile added ${mb(added)} on top of the base image; the limit is ${mb(baseline.limitBytes)}.${where.en}`),
        },
        {
          ok: added !== undefined && added < baseline.addedBytes / 4,
          message: msg(`한 스테이지짜리 기준 이미지는 ${mb(baseline.addedBytes)}를 더합니다. 여러분의 이미지는 ${added === undefined ? '잴 수 없었습니다' : mb(added)}. 기준의 4분의 1보다 작아야 합니다.`, `The single-stage baseline adds ${mb(baseline.addedBytes)}; yours ${added === undefined ? 'could not be measured' : `adds ${mb(added)}`}. It must be under a quarter of the baseline.`),
        },
      ]),
    );
  }

  // no build tools or sources in the final stage: what each COPY brings, resolved against the source stage's WORKDIR
  {
    const leaks = final.filter((x) => leaksBuildFiles(x, ins, stageNames));
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
    const message =
      'error' in r
        ? build.ok
          ? msg(`빌드한 이미지를 실행했지만 ${PORT}번 포트에서 아무것도 응답하지 않았습니다(${r.error}). 컨테이너가 시작하자마자 끝났을 가능성이 큽니다. docker build 후 docker run으로 직접 실행해 출력을 읽어 보세요.`, `The built image ran, but nothing answered on port ${PORT} (${r.error}). The container most likely stopped right at start; build it, docker run it yourself and read its output.`)
          : msg('이미지가 빌드되지 않아 실행할 수 없었습니다.', 'The image did not build, so it could not run.')
        : msg(`빌드한 이미지가 ${PORT}번 포트의 GET /readyz에 HTTP ${r.status}로 답했습니다. 200이어야 합니다.`, `The built image answered GET /readyz on port ${PORT} with HTTP ${r.status}; it must be 200.`);
    checks.push(partial('answers', 1, [{ ok: !('error' in r) && r.status === 200, message }]));
  }

  checks.push(rollout(sub));
  return { gradable: true, checks };
}

/** The layers the final stage's instructions made, paired with them: history (newest first) against the
 *  instructions read backwards, by kind, skipping entries the engine adds itself (its build labels). */
export function finalLayers(final: Instruction[], layers: { createdBy: string; size: number }[]): { at: Instruction; size: number }[] {
  const own = final.filter((x) => x.op !== 'FROM').reverse();
  const out: { at: Instruction; size: number }[] = [];
  let j = 0;
  for (const l of layers) {
    if (j >= own.length) break;
    const nop = /#\(nop\)\s+([A-Z]+)/.exec(l.createdBy)?.[1];
    const op = nop ?? 'RUN';
    if (op === own[j]!.op || (op === 'COPY' && own[j]!.op === 'ADD')) out.push({ at: own[j++]!, size: l.size });
  }
  return j === own.length ? out : [];
}

const BUILD_ONLY = ['toolchain', 'src', 'scripts'];

/** Does this final-stage COPY/ADD bring the toolchain, the sources or the build scripts into the image? */
export function leaksBuildFiles(x: Instruction, ins: Instruction[], stageNames: (string | undefined)[]): boolean {
  if (x.op !== 'COPY' && x.op !== 'ADD') return false;
  const rest = x.args.replace(/^(--\S+\s+)*/, '');
  const words = rest.startsWith('[') ? safeJsonArray(rest) : rest.split(/\s+/).filter(Boolean);
  const sources = words.slice(0, -1);
  const from = /--from=(\S+)/i.exec(x.args)?.[1]?.toLowerCase();
  if (!from) {
    // from the build context, whose root is the project
    return sources.some((s) => {
      const p = path.posix.normalize(s).replace(/^\.\/?|\/$/g, '');
      return p === '' || p === '.' || p.includes('*') || BUILD_ONLY.some((d) => p === d || p.startsWith(`${d}/`));
    });
  }
  const idx = /^\d+$/.test(from) ? Number(from) : stageNames.indexOf(from);
  if (idx < 0) return false; // an image, not a stage
  // The project sits in the source stage's last WORKDIR; COPY --from paths start at that stage's root.
  let workdir = '/';
  for (const w of ins.filter((i) => i.stage === idx && i.op === 'WORKDIR')) workdir = path.posix.resolve(workdir, w.args.replace(/^["']|["']$/g, ''));
  return sources.some((s) => {
    const p = path.posix.resolve('/', s);
    if (p.includes('*')) return true;
    const rel = path.posix.relative(p, workdir);
    if (rel === '' || !rel.startsWith('..')) return true; // the project folder itself or a folder above it
    const inside = path.posix.relative(workdir, p);
    return BUILD_ONLY.some((d) => inside === d || inside.startsWith(`${d}/`));
  });
}

function safeJsonArray(s: string): string[] {
  try {
    const v = JSON.parse(s) as unknown;
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

/** Resolves an int-or-percent against a count, rounding up like the disruption controller. */
function scaled(v: Json | undefined, of: number): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+%$/.test(v)) return Math.ceil((of * Number(v.slice(0, -1))) / 100);
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

/** How long a preStop hook waits before SIGTERM: `sleep: { seconds }` or `exec: [..., "sleep N"]`. */
function preStopSeconds(c: Json): number {
  const s = get(c, ['lifecycle', 'preStop', 'sleep', 'seconds']);
  if (typeof s === 'number') return s;
  const cmd = get(c, ['lifecycle', 'preStop', 'exec', 'command']);
  const m = Array.isArray(cmd) ? /\bsleep\s+(\d+)/.exec(cmd.map(String).join(' ')) : null;
  return m ? Number(m[1]) : 0;
}

function rollout(sub: Submission): CheckVerdict {
  const docs: YamlDoc[] = [...parseYamlFile(sub, 'k8s/deployment.yaml'), ...parseYamlFile(sub, 'k8s/pdb.yaml')];
  const at = (d: YamlDoc, p: (string | number)[]) => `${d.file}:${d.line(p)}`;
  const dep = docs.find((d) => isObj(d.value) && d.value.kind === 'Deployment');
  if (!dep) return { id: 'rollout', points: 0, passed: false, message: msg('k8s/deployment.yaml에 Deployment가 없습니다.', 'k8s/deployment.yaml has no Deployment.') };
  const v = dep.value;

  // 1. the rolling update never has fewer ready Pods than replicas
  const strategyType = (get(v, ['spec', 'strategy', 'type']) as string | undefined) ?? 'RollingUpdate';
  const ru = get(v, ['spec', 'strategy', 'rollingUpdate']);
  const shown = (x: Json | undefined) => (x === undefined ? { ko: '25%(기본값)', en: '25% (the default)' } : { ko: String(x), en: String(x) });
  const rawUnavailable = get(ru, ['maxUnavailable']);
  const rawSurge = get(ru, ['maxSurge']);
  const replicas = typeof get(v, ['spec', 'replicas']) === 'number' ? (get(v, ['spec', 'replicas']) as number) : 1;
  const unavailable = scaled(rawUnavailable ?? '25%', replicas);
  const surgeOk = rawSurge === undefined || (typeof rawSurge === 'number' ? rawSurge >= 1 : typeof rawSurge === 'string' && /^\d+%?$/.test(rawSurge) && Number(rawSurge.replace('%', '')) > 0);
  const strategyOk = strategyType === 'RollingUpdate' && rawUnavailable !== undefined && (rawUnavailable === 0 || rawUnavailable === '0%') && surgeOk && replicas >= 2;
  const mu = shown(rawUnavailable);
  const ms = shown(rawSurge);

  // 2. new Pods get traffic only once ready; old ones have time to leave
  const containers = ((get(v, ['spec', 'template', 'spec', 'containers']) as Json[] | undefined) ?? []).filter(isObj);
  const grace = get(v, ['spec', 'template', 'spec', 'terminationGracePeriodSeconds']);
  const graceSeconds = typeof grace === 'number' ? grace : 30;
  const podProblems: { path: (string | number)[]; ko: string; en: string }[] = [];
  containers.forEach((c, i) => {
    const base = ['spec', 'template', 'spec', 'containers', i];
    const rp = get(c, ['readinessProbe']);
    if (!isObj(rp)) {
      podProblems.push({ path: base, ko: `컨테이너 ${String(c.name)}에 readinessProbe가 없어 새 파드가 준비되기 전에 트래픽을 받습니다`, en: `container ${String(c.name)} has no readinessProbe, so a new Pod gets traffic before it is ready` });
      return;
    }
    const probePath = get(rp, ['httpGet', 'path']);
    const port = get(rp, ['httpGet', 'port']);
    const ports = (get(c, ['ports']) as Json[] | undefined) ?? [];
    const portNumber = typeof port === 'string' ? get(ports.find((p) => isObj(p) && p.name === port), ['containerPort']) : port;
    if (probePath !== '/readyz' || portNumber !== PORT) {
      podProblems.push({
        path: [...base, 'readinessProbe'],
        ko: `readinessProbe가 ${isObj(get(rp, ['httpGet'])) ? `${String(probePath)}(포트 ${String(portNumber ?? port)})` : 'HTTP가 아닌 방법'}을 확인합니다. orders-api의 준비 상태는 ${PORT}번 포트의 /readyz입니다(/healthz는 워밍업 중에도, 종료 중에도 200을 돌려줍니다)`,
        en: `the readinessProbe checks ${isObj(get(rp, ['httpGet'])) ? `${String(probePath)} (port ${String(portNumber ?? port)})` : 'something other than HTTP'}; orders-api reports readiness on /readyz, port ${PORT} (/healthz answers 200 while warming up and while shutting down)`,
      });
    }
    const wait = preStopSeconds(c);
    if (wait > 0 && graceSeconds <= wait) {
      podProblems.push({
        path: typeof grace === 'number' ? ['spec', 'template', 'spec', 'terminationGracePeriodSeconds'] : [...base, 'lifecycle', 'preStop'],
        ko: `preStop이 ${wait}초 기다리는데 terminationGracePeriodSeconds가 ${graceSeconds}초라 앱이 SIGTERM을 처리할 시간 없이 강제 종료됩니다`,
        en: `preStop waits ${wait} s but terminationGracePeriodSeconds is ${graceSeconds} s, so the app is killed with no time left to handle SIGTERM`,
      });
    }
  });
  if (!containers.length) podProblems.push({ path: ['spec', 'template', 'spec'], ko: '컨테이너가 없습니다', en: 'there are no containers' });

  // 3. a PodDisruptionBudget that selects these Pods and lets a drain proceed one at a time
  const podLabels = (get(v, ['spec', 'template', 'metadata', 'labels']) ?? {}) as Record<string, Json>;
  const pdb = docs.find((d) => isObj(d.value) && d.value.kind === 'PodDisruptionBudget');
  const sel = (pdb ? get(pdb.value, ['spec', 'selector', 'matchLabels']) : undefined) as Record<string, Json> | undefined;
  const depNs = get(v, ['metadata', 'namespace']);
  const pdbNs = pdb ? get(pdb.value, ['metadata', 'namespace']) : undefined;
  const sameNs = depNs === undefined || pdbNs === undefined || depNs === pdbNs;
  const selects = !!sel && isObj(sel) && Object.keys(sel).length > 0 && Object.entries(sel).every(([k, x]) => podLabels[k] === x);
  const minAvailable = pdb ? get(pdb.value, ['spec', 'minAvailable']) : undefined;
  const pdbUnavailable = pdb ? get(pdb.value, ['spec', 'maxUnavailable']) : undefined;
  const mustStay = minAvailable !== undefined ? scaled(minAvailable, replicas) : pdbUnavailable !== undefined ? replicas - (scaled(pdbUnavailable, replicas) ?? replicas) : undefined;
  const allowsDrain = mustStay !== undefined && mustStay >= 1 && mustStay < replicas;

  // 4. what kubectl apply would refuse
  const invalid = docs.flatMap((d) => validateObject(d.value).map((p) => ({ d, p })));

  return partial('rollout', 3, [
    {
      ok: strategyOk,
      message:
        strategyType !== 'RollingUpdate'
          ? msg(`${at(dep, ['spec', 'strategy', 'type'])}: ${strategyType}는 모든 파드를 먼저 내립니다.`, `${at(dep, ['spec', 'strategy', 'type'])}: ${strategyType} takes every Pod down first.`)
          : msg(
              `${at(dep, ['spec', 'strategy', 'rollingUpdate'])}: 롤링 업데이트가 maxUnavailable ${mu.ko}, maxSurge ${ms.ko}, 복제본 ${replicas}개로 진행되어 준비된 파드가 ${unavailable ?? '?'}개까지 줄 수 있습니다${replicas < 2 ? '(복제본이 하나면 그 하나를 바꾸는 동안 여유가 없습니다)' : ''}. 준비된 파드 수가 한 번도 줄지 않아야 합니다.`,
              `${at(dep, ['spec', 'strategy', 'rollingUpdate'])}: the rollout runs with maxUnavailable ${mu.en}, maxSurge ${ms.en} and ${replicas} replica(s), so up to ${unavailable ?? '?'} ready Pod(s) may go missing${replicas < 2 ? ' (and a single replica leaves no room while it is replaced)' : ''}; the number of ready Pods must never drop.`,
            ),
    },
    {
      ok: podProblems.length === 0,
      message: msg(podProblems.map((p) => `${at(dep, p.path)}: ${p.ko}.`).join(' '), podProblems.map((p) => `${at(dep, p.path)}: ${p.en}.`).join(' ')),
    },
    {
      ok: !!pdb && (get(pdb.value, ['apiVersion']) as string) === 'policy/v1' && selects && sameNs && allowsDrain,
      message: !pdb
        ? msg('k8s/pdb.yaml에 PodDisruptionBudget이 없습니다.', 'k8s/pdb.yaml has no PodDisruptionBudget.')
        : get(pdb.value, ['apiVersion']) !== 'policy/v1'
          ? msg(`${at(pdb, ['apiVersion'])}: PodDisruptionBudget은 policy/v1로 써야 합니다(policy/v1beta1은 1.25에서 제거됨).`, `${at(pdb, ['apiVersion'])}: a PodDisruptionBudget is policy/v1 (policy/v1beta1 was removed in 1.25).`)
          : !selects || !sameNs
            ? msg(`${at(pdb, !sameNs ? ['metadata', 'namespace'] : ['spec', 'selector'])}: PodDisruptionBudget이 Deployment의 파드를 고르지 못합니다${!sameNs ? `(네임스페이스 ${String(pdbNs)} ≠ ${String(depNs)})` : '(셀렉터가 파드 레이블과 맞지 않음)'}.`, `${at(pdb, !sameNs ? ['metadata', 'namespace'] : ['spec', 'selector'])}: the PodDisruptionBudget does not select the Deployment's Pods${!sameNs ? ` (namespace ${String(pdbNs)}, not ${String(depNs)})` : ' (its selector does not match the Pod labels)'}.`)
            : msg(`${at(pdb, ['spec'])}: 복제본 ${replicas}개 중 ${mustStay ?? '?'}개를 지키라는 PodDisruptionBudget은 ${mustStay !== undefined && mustStay >= replicas ? '노드 비우기를 막습니다' : '아무것도 지키지 않습니다'}.`, `${at(pdb, ['spec'])}: a PodDisruptionBudget keeping ${mustStay ?? '?'} of ${replicas} replicas ${mustStay !== undefined && mustStay >= replicas ? 'blocks node drains' : 'protects nothing'}.`),
    },
    {
      ok: invalid.length === 0,
      message: msg(invalid.slice(0, 5).map(({ d, p }) => `${at(d, p.path)}: kubectl apply가 거절합니다: ${p.ko}.`).join(' '), invalid.slice(0, 5).map(({ d, p }) => `${at(d, p.path)}: kubectl apply refuses this: ${p.en}.`).join(' ')),
    },
  ]);
}
