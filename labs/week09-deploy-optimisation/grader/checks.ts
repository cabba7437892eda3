/**
 * Week 9: a multi-stage Dockerfile really built (twice: once more after a source change) and measured, plus the
 * rolling-update settings of the Deployment and a PodDisruptionBudget. Every check judges what the artefact is:
 * - the Dockerfile is read with Docker's semantics (grader-kit/dockerfile.ts: ARG scopes, stage aliases and
 *   indexes, the root image of each stage), and what each stage holds is worked out file by file (image-model.ts);
 *   the engine's list of the built image's files, when it gives one, is the truth;
 * - size is what the final image carries over the Node.js base it starts from (all of it, including the layers of an
 *   earlier stage it starts FROM), against a limit and the single-stage baseline (grader/data/baseline.json);
 * - the manifests are read with Kubernetes' semantics (rollout.ts) and validated as kubectl apply would (schema.ts).
 */
import crypto from 'node:crypto';
import { msg, partial, type CheckVerdict, type GraderVerdict, type Msg, type Submission } from '../../../grader-kit/index';
import { stagesNeeded, imageName, type Instruction, type ParsedDockerfile, type Stage } from '../../../grader-kit/dockerfile';
import {
  readSubmittedDockerfile,
  refusedBeforeBuilding,
  stageChain,
  stepInstruction,
  type BuildInfo,
  type BuildStep,
  type LayerFile,
  type RunInfo,
} from '../../../grader-kit/build-info';
import { get, isObj, parseYamlFile, type Json, type YamlDoc } from '../../../grader-kit/yamldocs';
import baseline from './data/baseline.json';
import { validateObject } from './schema';
import { dockerignoreFilter, modelStages, type ModelFile } from './image-model';
import { intOrPercent, preStopSeconds, probePort, readBudget, readRollout, selects } from '../../../grader-kit/rollout';

export type { BuildInfo, RunInfo };

export const PORT = 8080;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MB`;

export interface Probe {
  get(path: string): Promise<{ status: number; body: string } | { error: string }>;
}

const REQUIRED = ['Dockerfile', 'package.json', 'src/app.js', 'k8s/deployment.yaml', 'k8s/pdb.yaml'];
/** What only the build needs: the toolchain, the sources and the build scripts. */
const BUILD_ONLY = ['toolchain', 'src', 'scripts'];
const isBuildOnly = (p: string) => BUILD_ONLY.some((d) => p === d || p.startsWith(`${d}/`));
/** RUN steps that build (the lab's build script or npm's) and that install (the lab's installer or npm's). */
const BUILDS = /scripts\/build\.js|npm\s+run\s+build/;
const INSTALLS = /scripts\/install\.js|\bnpm\s+(ci|install|i)\b/;

export async function gradeWith(sub: Submission, build: BuildInfo, probe: Probe | null, run?: RunInfo): Promise<GraderVerdict> {
  const df = readSubmittedDockerfile(sub, REQUIRED);
  const ignore = dockerignoreFilter(sub.isValidUtf8('.dockerignore') ? sub.text('.dockerignore') : null);
  const contextFiles = sub.paths().filter((p) => !p.startsWith('.lms/') && ignore(p));
  const models = modelStages(df, { files: contextFiles, isBuildOnly });
  const final = df.stages.at(-1)!;
  const chain = stageChain(df);
  const checks: CheckVerdict[] = [];

  checks.push(checkBuilds(df, build));
  checks.push(checkMultiStage(df, final, chain));
  checks.push(checkSize(df, build, chain));
  checks.push(checkNoBuildTools(df, sub, build, models[final.index]!.shipped, chain));
  checks.push(checkCache(df, build));
  checks.push(await checkAnswers(build, probe, run));
  checks.push(rollout(sub));
  return { gradable: true, checks };
}

function stageLabel(s: Stage): string {
  return s.name ?? String(s.index);
}

function checkBuilds(df: ParsedDockerfile, build: BuildInfo): CheckVerdict {
  if (build.ok) return { id: 'builds', points: 2, passed: true };
  // Refused before building (an image that is not here, a network mount...): the engine's own reasons, with lines.
  const refused = refusedBeforeBuilding('builds', build);
  if (refused) return refused;
  // A COPY --from naming no earlier stage makes the builder look for an image of that name, on a network it does not
  // have: say which stage names exist instead of passing on a registry error.
  const badFrom = df.references.find((r) => r.kind === 'copy-from' && !/[:/@]/.test(r.value));
  const before = (stage: number) =>
    df.stages
      .filter((s) => s.index < stage)
      .map(stageLabel)
      .join(', ') || '(none)';
  const failed = build.steps?.at(-1);
  const ins = failed ? stepInstruction(df, failed) : undefined;
  const problem = df.problems[0];
  const line = ins?.line ?? problem?.line;
  const error = (build.error ?? '').replace(/\s+/g, ' ').slice(0, 300);
  const copy = badFrom ? df.instructions.find((i) => i.line === badFrom.line) : undefined;
  return {
    id: 'builds',
    points: 0,
    passed: false,
    message: badFrom
      ? msg(
          `Dockerfile:${badFrom.line}: ${copy?.op ?? 'COPY'} --from=${badFrom.value}이(가) 앞에 없는 스테이지를 가리킵니다. 이 줄 앞의 스테이지: ${before(badFrom.stage)}. 빌더는 그 이름의 이미지를 내려받으려다 실패했습니다(${error}).`,
          `Dockerfile:${badFrom.line}: ${copy?.op ?? 'COPY'} --from=${badFrom.value} names no earlier stage; the stages before it are: ${before(badFrom.stage)}. The builder then tried to pull an image of that name and failed (${error}).`,
        )
      : msg(
          `Dockerfile${line ? `:${line}` : ''}: 이미지를 빌드하지 못했습니다: ${error}${problem && (!ins || problem.line === ins.line) ? ` (${problem.message})` : ''}`,
          `Dockerfile${line ? `:${line}` : ''}: the image did not build: ${error}${problem && (!ins || problem.line === ins.line) ? ` (${problem.message})` : ''}`,
        ),
  };
}

/** The final image takes results from another stage, and neither it nor a stage it starts FROM runs the build. */
function checkMultiStage(df: ParsedDockerfile, final: Stage, chain: Stage[]): CheckVerdict {
  const needed = stagesNeeded(df);
  const takesFrom = final.instructions.filter((i) => (i.op === 'COPY' || i.op === 'ADD') && i.flags.some((f) => f.name === 'from'));
  const fromStage = takesFrom.filter((i) => !df.references.some((r) => r.kind === 'copy-from' && r.line === i.line));
  // A COPY --from that names no stage (a typo) fails the build, and the builds check says so: the split is there.
  const misnamed = takesFrom.length > fromStage.length;
  const buildsHere = final.instructions.filter((i) => i.op === 'RUN' && BUILDS.test(i.args));
  // Starting FROM the stage that builds makes the final image that stage plus more: its layers all ship.
  const inherited = chain
    .slice(1)
    .filter((s) =>
      s.instructions.some((i) => i.op === 'RUN' && (BUILDS.test(i.args) || (/scripts\/install\.js/.test(i.args) && !/--omit[= ]dev/.test(i.args)))),
    );
  return partial('multi-stage', 2, [
    {
      ok: df.stages.length >= 2 && (fromStage.length > 0 ? needed.size >= 2 : misnamed),
      message:
        df.stages.length < 2
          ? msg(
              `Dockerfile:${final.line}: 스테이지가 하나뿐입니다. 빌드하는 스테이지와 실행하는 스테이지를 나누세요.`,
              `Dockerfile:${final.line}: there is a single stage; separate the stage that builds from the one that runs.`,
            )
          : msg(
              `Dockerfile:${final.line}: 마지막 스테이지가 앞 스테이지에서 COPY --from으로 아무것도 가져오지 않습니다.`,
              `Dockerfile:${final.line}: the final stage takes nothing from an earlier stage with COPY --from.`,
            ),
    },
    {
      ok: buildsHere.length === 0 && inherited.length === 0,
      message: inherited.length
        ? msg(
            `Dockerfile:${final.line}: 마지막 스테이지가 FROM ${final.fromRaw}로 시작해서, 빌드한 스테이지 ${inherited.map(stageLabel).join(', ')}(Dockerfile:${inherited[0]!.line})의 레이어를 모두 물려받습니다. 툴체인도 함께 실립니다. 나중 RUN으로 파일을 지워도 새 레이어에서 가려질 뿐 앞 레이어의 바이트는 그대로 실립니다. 새 FROM(베이스 이미지)에서 시작해 결과물만 COPY --from으로 가져오세요.`,
            `Dockerfile:${final.line}: the final stage starts FROM ${final.fromRaw}, so it inherits every layer of the stage that builds, ${inherited.map(stageLabel).join(', ')} (Dockerfile:${inherited[0]!.line}), toolchain included. Deleting files in a later RUN only hides them in a new layer; the bytes of the earlier layers still ship. Start the final stage from a base image and COPY --from only the results.`,
          )
        : msg(
            `${buildsHere.map((x) => `Dockerfile:${x.line}`).join(', ')}: 마지막 스테이지에서 빌드를 실행합니다. 빌드는 빌드 스테이지의 일입니다.`,
            `${buildsHere.map((x) => `Dockerfile:${x.line}`).join(', ')}: the final stage runs the build; that is the build stage's job.`,
          ),
    },
  ]);
}

/**
 * What the final image carries over the Node.js base it runs on: its size minus the size of the image its final stage
 * starts from (following FROM <stage>, so the layers of an inherited stage count). A final stage that starts from an
 * image without Node.js (distroless-style: Debian plus the node binary) is compared with the Node.js base on the same
 * Debian release (the one it replaces), or the smallest one.
 */
export function addedBytes(build: BuildInfo, chain: Stage[]): number | undefined {
  if (!build.ok || build.imageSize === undefined) return undefined;
  const root = chain.at(-1)!.root;
  const isNode = root !== 'scratch' && /(^|\/)node$/.test(root.repository);
  if (!isNode) {
    // The Node base it replaces: the one on the same Debian release when the root is a Debian image, else any.
    const release = root !== 'scratch' && root.repository === 'debian' ? /^([a-z]+)/.exec(root.tag ?? '')?.[1] : undefined;
    const nodeBases = Object.entries(build.baseImages ?? {}).filter(([name]) => /^node:/.test(name));
    const sameRelease = release ? nodeBases.filter(([name]) => name.includes(`-${release}-`)) : [];
    const nodeSizes = (sameRelease.length ? sameRelease : nodeBases).map(([, size]) => size);
    return nodeSizes.length ? build.imageSize - Math.min(...nodeSizes) : undefined;
  }
  if (build.rootImageSize !== undefined) return build.imageSize - build.rootImageSize;
  // Older engines report the base's size only when the final FROM names a base image itself.
  if (chain.length === 1 && build.baseImageSize !== undefined) return build.imageSize - build.baseImageSize;
  // Otherwise: the history's layers above the learner base's last entry (its label).
  const layers = build.layers ?? [];
  const mark = layers.findIndex((l) => /lms\.kind=learner-base/.test(l.createdBy));
  return mark > 0 ? layers.slice(0, mark).reduce((s, l) => s + l.size, 0) : undefined;
}

function checkSize(df: ParsedDockerfile, build: BuildInfo, chain: Stage[]): CheckVerdict {
  const added = addedBytes(build, chain);
  const big = finalLayers(chain, build.layers ?? [])
    .filter((l) => l.size >= 64 * 1024)
    .sort((a, b) => b.size - a.size)
    .slice(0, 3);
  const list = big.map((l) => `Dockerfile:${l.at.line} ${l.at.op} ${l.at.args.replace(/\s+/g, ' ').slice(0, 80)} (${mb(l.size)})`).join(', ');
  const root = chain.at(-1)!.root;
  const plain = root === 'scratch' || !/(^|\/)node$/.test(root.repository);
  const rootName = (lang: 'ko' | 'en') =>
    root === 'scratch'
      ? 'scratch'
      : !plain
        ? imageName(root)
        : lang === 'ko'
          ? `${imageName(root)}(Node.js가 없는 이미지라 같은 Debian의 Node.js 베이스와 비교)`
          : `${imageName(root)} (compared with the Node.js base on the same Debian, since it has no Node.js of its own)`;
  // One rule, all the points: under a quarter of what the single-stage baseline adds (limitBytes), which leaves room
  // for what a package manager leaves behind (npm ci in the runtime stage: ~1.1 MB) but not for the toolchain.
  return partial('size', 3, [
    {
      ok: added !== undefined && added <= baseline.limitBytes,
      message:
        added === undefined
          ? msg(
              build.ok ? '엔진이 베이스 이미지의 크기를 알려 주지 않아 크기를 잴 수 없습니다.' : '이미지가 빌드되지 않아 크기를 잴 수 없습니다.',
              build.ok
                ? 'The engine reported no size for the base image, so the size could not be measured.'
                : 'The image did not build, so its size could not be measured.',
            )
          : msg(
              `최종 이미지가 베이스 ${rootName('ko')} 위에 ${mb(added)}를 더 싣습니다. 한 스테이지짜리 기준(${mb(baseline.addedBytes)})의 4분의 1인 ${mb(baseline.limitBytes)} 이하여야 합니다.${list ? ` 큰 레이어: ${list}.` : ''}`,
              `The final image carries ${mb(added)} over its base ${rootName('en')}; it must be at most ${mb(baseline.limitBytes)}, a quarter of what the single-stage baseline adds (${mb(baseline.addedBytes)}).${list ? ` Largest layers: ${list}.` : ''}`,
            ),
    },
  ]);
}

/** The layers the chain's instructions made, paired with them: history (newest first) against the instructions read
 *  backwards (final stage first, then the stages it starts FROM), by kind, skipping entries the engine adds itself. */
export function finalLayers(chain: Stage[], layers: { createdBy: string; size: number }[]): { at: Instruction; size: number }[] {
  const own = chain.flatMap((s) => s.instructions.filter((x) => x.op !== 'FROM').reverse());
  const out: { at: Instruction; size: number }[] = [];
  let j = 0;
  for (const l of layers) {
    if (j >= own.length) break;
    const nop = /#\(nop\)\s+([A-Z]+)/.exec(l.createdBy)?.[1] ?? /^([A-Z]+)\s.*# buildkit$/.exec(l.createdBy)?.[1];
    const op = nop ?? 'RUN';
    if (op === own[j]!.op || (op === 'COPY' && own[j]!.op === 'ADD')) out.push({ at: own[j++]!, size: l.size });
  }
  return j === own.length ? out : [];
}

function checkNoBuildTools(df: ParsedDockerfile, sub: Submission, build: BuildInfo, shipped: Map<string, ModelFile>, chain: Stage[]): CheckVerdict {
  // The engine's list of what the built image carries over its base, when it gives one: the truth.
  if (build.ok && build.added) {
    // A submitted build-only file found by content when the engine hashes files, else by the path it keeps under the
    // folder it was copied into (…/src/app.js), outside node_modules. (Not by name and size: greeting's and the
    // minifier's package.json are the same length.)
    const buildOnly = sub.paths().filter(isBuildOnly);
    const hashes = new Map<string, string>();
    for (const p of buildOnly) hashes.set(crypto.createHash('sha256').update(sub.files.get(p)!).digest('hex'), p);
    const bySuffix = (f: LayerFile) => (/(^|\/)node_modules\//.test(f.path) ? undefined : buildOnly.find((p) => f.path === p || f.path.endsWith(`/${p}`)));
    const found: { path: string; as: string; layer: string }[] = [];
    for (const l of build.added)
      for (const f of l.files ?? []) {
        if (f.type !== undefined && f.type !== 'file' && f.type !== 'link') continue;
        const same = (f.sha256 ? hashes.get(f.sha256) : undefined) ?? bySuffix(f);
        if (same) found.push({ path: f.path, as: same, layer: l.createdBy });
        else if (/(^|\/)toolchain\//.test(f.path) || /(^|\/)\.cache\/table-\d+\.bin$/.test(f.path))
          found.push({ path: f.path, as: 'toolchain', layer: l.createdBy });
      }
    const shown = found
      .slice(0, 4)
      .map((f) => `${f.path}${f.as !== 'toolchain' && !f.path.endsWith(f.as) ? ` (= ${f.as})` : ''} [${f.layer.replace(/\s+/g, ' ').slice(0, 60)}]`)
      .join(', ');
    return partial('no-build-tools', 2, [
      {
        ok: found.length === 0,
        message: msg(
          `빌드 이미지에 빌드 도구나 소스가 실려 있습니다: ${shown}${found.length > 4 ? ` 외 ${found.length - 4}개` : ''}. 실행에 필요한 결과물(dist/, node_modules/)만 가져오세요.`,
          `The built image carries build tools or sources: ${shown}${found.length > 4 ? ` and ${found.length - 4} more` : ''}. Take only what the service runs (dist/, node_modules/).`,
        ),
      },
    ]);
  }
  // Otherwise the Dockerfile's own account of every file, by the instruction that put it there.
  // The biggest first: generated files (the toolchain's cache), then the toolchain, the sources, the scripts.
  const rank = (f: ModelFile) => (f.origin.startsWith('generated:') ? 0 : 1 + BUILD_ONLY.findIndex((d) => f.origin.startsWith(`${d}/`)));
  const leaks = [...shipped.values()].filter((f) => f.buildOnly).sort((a, b) => rank(a) - rank(b));
  const finalIndex = chain[0]!.index;
  // One entry per final-stage instruction that brings them, one per inherited stage.
  const groups = new Map<string, ModelFile[]>();
  for (const f of leaks) {
    const key = f.stage === finalIndex ? `line:${f.line}` : `stage:${f.stage}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const describe = (lang: 'ko' | 'en') =>
    [...groups.values()]
      .map((fs) => {
        const f = fs[0]!;
        const cache = lang === 'ko' ? '툴체인의 6 MB 캐시' : "the toolchain's 6 MB cache";
        const what = [...new Set(fs.map((x) => (x.origin.startsWith('generated:') ? cache : `${x.origin.split('/')[0]}/`)))].join(', ');
        const deleted = fs.find((x) => x.deletedAt)?.deletedAt;
        if (f.stage !== finalIndex) {
          const st = df.stages[f.stage]!;
          return lang === 'ko'
            ? `Dockerfile:${chain[0]!.line}: 마지막 스테이지가 물려받는 스테이지 ${stageLabel(st)}(Dockerfile:${st.line})의 레이어에 ${what}이(가) 있습니다${deleted ? `. Dockerfile:${deleted}의 RUN이 지워도 그 바이트는 앞 레이어에 그대로 실립니다` : ''}`
            : `Dockerfile:${chain[0]!.line}: the layers of stage ${stageLabel(st)} (Dockerfile:${st.line}), which the final stage starts FROM, hold ${what}${deleted ? `; the RUN at Dockerfile:${deleted} deletes them, but their bytes still ship in those layers` : ''}`;
        }
        const ins = df.instructions.find((i) => i.line === f.line);
        return `Dockerfile:${f.line}: ${ins ? `${ins.op} ${ins.args.replace(/\s+/g, ' ').slice(0, 70)}` : ''} → ${what}`;
      })
      .join('; ');
  return partial('no-build-tools', 2, [
    {
      ok: leaks.length === 0,
      message: msg(
        `${describe('ko')}: 빌드 도구나 소스, 빌드 스크립트가 실행 이미지에 들어갑니다. 서비스가 실행할 때 읽는 것(dist/, node_modules/)만 골라 복사하세요.`,
        `${describe('en')}: build tools, sources or build scripts end up in the runtime image. Copy only what the service reads when it runs (dist/, node_modules/).`,
      ),
    },
  ]);
}

function checkCache(df: ParsedDockerfile, build: BuildInfo): CheckVerdict {
  const fail = (ko: string, en: string) => partial('cache', 2, [{ ok: false, message: msg(ko, en) }]);
  if (!build.ok) return fail('빌드되지 않아 캐시를 확인할 수 없습니다.', 'Not built, so the cache could not be checked.');
  const isInstall = (s: BuildStep) => /^RUN\b/i.test(s.instruction.trim()) && INSTALLS.test(stepInstruction(df, s)?.args ?? s.instruction);
  if (!(build.steps ?? []).some(isInstall))
    return fail(
      'Dockerfile: 의존성을 설치하는 RUN 단계(node scripts/install.js)가 없어 캐시에 남길 설치 단계가 없습니다.',
      'Dockerfile: no RUN step installs the dependencies (node scripts/install.js), so there is no install to keep cached.',
    );
  if (!build.rebuildSteps?.length)
    return fail(
      'src/app.js만 바꾼 두 번째 빌드가 실패해서 캐시를 확인할 수 없습니다.',
      'The second build, after changing only src/app.js, failed, so the cache could not be checked.',
    );
  const rerun = build.rebuildSteps.filter((s) => isInstall(s) && !s.cached);
  if (!rerun.length) return partial('cache', 2, [{ ok: true, message: msg('', '') }]);
  const list = rerun.map((s) => `Dockerfile:${stepInstruction(df, s)?.line ?? '?'} ${s.instruction.slice(0, 80)}`).join('; ');
  return fail(
    `src/app.js만 바꿔 다시 빌드했더니 의존성 설치(${list})가 다시 실행되었습니다. 설치 전에 src/까지 복사하는 COPY가 있습니다. 설치가 읽는 파일(package.json, scripts/, vendor/, toolchain/)만 먼저 복사하고 src/는 설치 뒤에 복사하세요.`,
    `After changing only src/app.js, the rebuild installed the dependencies again (${list}): a COPY before the install also brings src/. Copy only what the install reads (package.json, scripts/, vendor/, toolchain/) first, and src/ after the install.`,
  );
}

async function checkAnswers(build: BuildInfo, probe: Probe | null, run: RunInfo | undefined): Promise<CheckVerdict> {
  const r = probe ? await probe.get('/readyz') : { error: 'not built' };
  const startErr = run?.started === false ? (run.error ?? '').replace(/\s+/g, ' ').slice(0, 200) : undefined;
  const message =
    'error' in r
      ? build.ok
        ? startErr !== undefined
          ? msg(`Docker가 빌드한 이미지를 시작하지 못했습니다: ${startErr}.`, `Docker could not start the built image: ${startErr}.`)
          : run?.exited
            ? msg(
                `빌드한 이미지가 ${PORT}번 포트에서 응답하기 전에 끝났습니다(${r.error}). 시작하다 죽은 것입니다: 실행 스테이지에 없는 라이브러리나 모듈(node_modules), 잘못된 CMD. docker build 후 docker run으로 직접 실행해 오류를 읽어 보세요.`,
                `The built image exited before it answered on port ${PORT} (${r.error}): it died at start (a library or module, such as node_modules, missing from the runtime stage, or a wrong CMD). Build it, docker run it yourself and read its error.`,
              )
            : msg(
                `빌드한 이미지를 실행했지만 ${PORT}번 포트에서 아무것도 응답하지 않았습니다(${r.error}). 컨테이너가 시작하자마자 끝났을 가능성이 큽니다. docker build 후 docker run으로 직접 실행해 출력을 읽어 보세요.`,
                `The built image ran, but nothing answered on port ${PORT} (${r.error}). The container most likely stopped right at start; build it, docker run it yourself and read its output.`,
              )
        : msg('이미지가 빌드되지 않아 실행할 수 없었습니다.', 'The image did not build, so it could not run.')
      : msg(
          `빌드한 이미지가 ${PORT}번 포트의 GET /readyz에 HTTP ${r.status}로 답했습니다. 200이어야 합니다.`,
          `The built image answered GET /readyz on port ${PORT} with HTTP ${r.status}; it must be 200.`,
        );
  return partial('answers', 1, [{ ok: !('error' in r) && r.status === 200, message }]);
}

/** The container that serves the app: the one with containerPort 8080, else one whose image is the shop's checkout, else the first. */
function appContainers(containers: Json[]): number[] {
  const withPort = containers
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => Array.isArray(get(c, ['ports'])) && (get(c, ['ports']) as Json[]).some((p) => get(p, ['containerPort']) === PORT));
  if (withPort.length) return withPort.map((x) => x.i);
  const byImage = containers.map((c, i) => ({ c, i })).filter(({ c }) => /checkout/.test(String(get(c, ['image']) ?? '')));
  if (byImage.length) return byImage.map((x) => x.i);
  return containers.length ? [0] : [];
}

function rollout(sub: Submission): CheckVerdict {
  const docs: YamlDoc[] = [...parseYamlFile(sub, 'k8s/deployment.yaml'), ...parseYamlFile(sub, 'k8s/pdb.yaml')];
  const at = (d: YamlDoc, p: (string | number)[]) => `${d.file}:${d.line(p)}`;
  const deps = docs.filter((d) => isObj(d.value) && d.value.kind === 'Deployment');
  const dep = deps.find((d) => get(d.value, ['metadata', 'name']) === 'checkout') ?? deps[0];
  if (!dep)
    return { id: 'rollout', points: 0, passed: false, message: msg('k8s/deployment.yaml에 Deployment가 없습니다.', 'k8s/deployment.yaml has no Deployment.') };
  const v = dep.value;

  // 1. the rolling update never has fewer ready Pods than replicas
  const ro = readRollout(v);
  const shown = (x: Json | undefined) => (x === undefined ? { ko: '25%(기본값)', en: '25% (the default)' } : { ko: JSON.stringify(x), en: JSON.stringify(x) });
  const strategyPart = ((): { ok: boolean; message: Msg } => {
    const where = at(dep, ['spec', 'strategy', 'rollingUpdate']);
    if (ro.problems.length) {
      const p = ro.problems[0]!;
      return {
        ok: false,
        message: msg(
          `${at(dep, p.path)}: API 서버가 이 Deployment를 거절합니다: ${p.ko}.`,
          `${at(dep, p.path)}: the API server refuses this Deployment: ${p.en}.`,
        ),
      };
    }
    if (ro.type !== 'RollingUpdate')
      return {
        ok: false,
        message: msg(
          `${at(dep, ['spec', 'strategy', 'type'])}: ${ro.type}는 새 Pod를 띄우기 전에 모든 Pod를 먼저 내립니다.`,
          `${at(dep, ['spec', 'strategy', 'type'])}: ${ro.type} takes every Pod down before new ones start.`,
        ),
      };
    if (ro.replicas < 2)
      return {
        ok: false,
        message: msg(
          `${at(dep, ['spec', 'replicas'])}: 복제본이 ${ro.replicas}개뿐이라 노드 하나가 비워지거나 Pod 하나가 죽으면 서비스가 멈춥니다. 2개 이상으로 하세요.`,
          `${at(dep, ['spec', 'replicas'])}: with ${ro.replicas} replica, one drained node or one crashed Pod stops the service; run at least 2.`,
        ),
      };
    if (ro.unavailable > 0) {
      const fence = ro.rawUnavailable !== undefined && ro.surge === 0;
      return {
        ok: false,
        message: msg(
          `${where}: 복제본 ${ro.replicas}개에 maxUnavailable ${shown(ro.rawUnavailable).ko}, maxSurge ${shown(ro.rawSurge).ko}이면 컨트롤러는 준비된 Pod를 ${ro.unavailable}개까지 먼저 내립니다${fence ? '(둘 다 0으로 계산되면 maxUnavailable을 1로 씁니다)' : ''}. maxUnavailable: 0과 1 이상의 maxSurge로 새 Pod가 준비된 뒤에 예전 Pod를 내리게 하세요.`,
          `${where}: with ${ro.replicas} replicas, maxUnavailable ${shown(ro.rawUnavailable).en} and maxSurge ${shown(ro.rawSurge).en}, the controller takes up to ${ro.unavailable} ready Pod(s) down first${fence ? ' (when both come to 0 it uses maxUnavailable 1)' : ''}. Set maxUnavailable: 0 and a maxSurge of at least 1, so old Pods go only after new ones are ready.`,
        ),
      };
    }
    // A percentage rounds down: 0 Pods at this replica count, but not once the Deployment is scaled up.
    const uv = intOrPercent(ro.rawUnavailable) ?? { kind: 'percent' as const, n: 25 };
    if (uv.kind === 'percent' && uv.n > 0) {
      const breaksAt = Math.ceil(100 / uv.n);
      return {
        ok: false,
        message: msg(
          `${where}: maxUnavailable ${shown(ro.rawUnavailable).ko}은 복제본 ${ro.replicas}개에서는 내림해서 0개라 지금은 준비된 Pod가 줄지 않지만, 복제본이 ${breaksAt}개 이상이 되면(kubectl scale, 오토스케일러) Pod를 먼저 내립니다. 몇 개로 늘려도 지켜지도록 maxUnavailable: 0을 쓰세요.`,
          `${where}: maxUnavailable ${shown(ro.rawUnavailable).en} rounds down to 0 Pods at ${ro.replicas} replicas, so this rollout happens to keep them all ready, but at ${breaksAt} replicas or more (kubectl scale, an autoscaler) it takes Pods down first. Write maxUnavailable: 0 so it holds at any scale.`,
        ),
      };
    }
    return { ok: true, message: msg('', '') };
  })();

  // 2. new Pods get traffic only once ready; old ones have time to leave
  const containers = ((get(v, ['spec', 'template', 'spec', 'containers']) as Json[] | undefined) ?? []).filter(isObj);
  const grace = get(v, ['spec', 'template', 'spec', 'terminationGracePeriodSeconds']);
  const graceSeconds = typeof grace === 'number' ? grace : 30;
  const podProblems: { path: (string | number)[]; ko: string; en: string }[] = [];
  for (const i of appContainers(containers)) {
    const c = containers[i]!;
    const base = ['spec', 'template', 'spec', 'containers', i];
    const rp = get(c, ['readinessProbe']);
    if (!isObj(rp)) {
      podProblems.push({
        path: base,
        ko: `컨테이너 ${String(c.name)}에 readinessProbe가 없어 새 Pod가 준비되기 전에 트래픽을 받습니다`,
        en: `container ${String(c.name)} has no readinessProbe, so a new Pod gets traffic before it is ready`,
      });
      continue;
    }
    const http = get(rp, ['httpGet']);
    const cmd = get(rp, ['exec', 'command']);
    if (isObj(http)) {
      const probePath = get(http, ['path']) ?? '/';
      const portNumber = probePort(c, get(http, ['port']));
      const scheme = get(http, ['scheme']) ?? 'HTTP';
      if (typeof get(http, ['port']) === 'string' && portNumber === undefined) {
        podProblems.push({
          path: [...base, 'readinessProbe', 'httpGet', 'port'],
          ko: `readinessProbe의 포트 이름 ${String(get(http, ['port']))}은 이 컨테이너의 ports에 없어서 검사가 늘 실패합니다`,
          en: `the readinessProbe's port name ${String(get(http, ['port']))} is not one of this container's ports, so the probe always fails`,
        });
      } else if (String(probePath).split('?')[0] !== '/readyz' || portNumber !== PORT || scheme !== 'HTTP') {
        podProblems.push({
          path: [...base, 'readinessProbe'],
          ko: `readinessProbe가 ${String(scheme).toLowerCase()}://…:${String(portNumber ?? get(http, ['port']))}${String(probePath)}를 확인합니다. checkout의 준비 상태는 ${PORT}번 포트의 HTTP /readyz입니다(/healthz는 워밍업 중에도, 종료 중에도 200을 돌려줍니다)`,
          en: `the readinessProbe checks ${String(scheme).toLowerCase()}://…:${String(portNumber ?? get(http, ['port']))}${String(probePath)}; checkout reports readiness over HTTP on /readyz, port ${PORT} (/healthz answers 200 while warming up and while shutting down)`,
        });
      }
    } else if (!(Array.isArray(cmd) && /\/readyz\b/.test(cmd.map(String).join(' ')))) {
      podProblems.push({
        path: [...base, 'readinessProbe'],
        ko: `readinessProbe가 checkout의 준비 상태 엔드포인트(${PORT}번 포트의 /readyz)를 묻지 않습니다`,
        en: `the readinessProbe does not ask checkout's readiness endpoint (/readyz on port ${PORT})`,
      });
    }
    const wait = preStopSeconds(c);
    if (wait > 0 && graceSeconds <= wait) {
      podProblems.push({
        path: typeof grace === 'number' ? ['spec', 'template', 'spec', 'terminationGracePeriodSeconds'] : [...base, 'lifecycle', 'preStop'],
        ko: `preStop이 ${wait}초 기다리는데 terminationGracePeriodSeconds가 ${graceSeconds}초${typeof grace === 'number' ? '' : '(기본값)'}라 앱이 SIGTERM을 처리할 시간 없이 강제 종료됩니다`,
        en: `preStop waits ${wait} s but terminationGracePeriodSeconds is ${graceSeconds} s${typeof grace === 'number' ? '' : ' (the default)'}, so the app is killed with no time left to handle SIGTERM`,
      });
    }
  }
  if (!containers.length) podProblems.push({ path: ['spec', 'template', 'spec'], ko: '컨테이너가 없습니다', en: 'there are no containers' });

  // 3. a PodDisruptionBudget that selects these Pods and lets a drain proceed one at a time
  const podLabels = (isObj(get(v, ['spec', 'template', 'metadata', 'labels'])) ? get(v, ['spec', 'template', 'metadata', 'labels']) : {}) as Record<
    string,
    Json
  >;
  const depNs = get(v, ['metadata', 'namespace']);
  const pdbs = docs.filter((d) => isObj(d.value) && d.value.kind === 'PodDisruptionBudget');
  const sameNs = (p: YamlDoc) =>
    depNs === undefined || get(p.value, ['metadata', 'namespace']) === undefined || get(p.value, ['metadata', 'namespace']) === depNs;
  const pdb = pdbs.find((p) => sameNs(p) && selects(get(p.value, ['spec', 'selector']), podLabels)) ?? pdbs[0];
  const budget = pdb ? readBudget(pdb.value, ro.replicas) : undefined;
  const pdbPart = ((): { ok: boolean; message: Msg } => {
    if (!pdb) return { ok: false, message: msg('k8s/pdb.yaml에 PodDisruptionBudget이 없습니다.', 'k8s/pdb.yaml has no PodDisruptionBudget.') };
    if (get(pdb.value, ['apiVersion']) !== 'policy/v1')
      return {
        ok: false,
        message: msg(
          `${at(pdb, ['apiVersion'])}: PodDisruptionBudget은 policy/v1로 써야 합니다(policy/v1beta1은 1.25에서 제거됨).`,
          `${at(pdb, ['apiVersion'])}: a PodDisruptionBudget is policy/v1 (policy/v1beta1 was removed in 1.25).`,
        ),
      };
    if (!sameNs(pdb))
      return {
        ok: false,
        message: msg(
          `${at(pdb, ['metadata', 'namespace'])}: PodDisruptionBudget이 네임스페이스 ${String(get(pdb.value, ['metadata', 'namespace']))}에 있어 ${String(depNs)}의 Pod를 고르지 못합니다.`,
          `${at(pdb, ['metadata', 'namespace'])}: the PodDisruptionBudget is in namespace ${String(get(pdb.value, ['metadata', 'namespace']))}, so it cannot select the Pods in ${String(depNs)}.`,
        ),
      };
    if (!isObj(get(pdb.value, ['spec', 'selector'])) || !selects(get(pdb.value, ['spec', 'selector']), podLabels))
      return {
        ok: false,
        message: msg(
          `${at(pdb, ['spec', 'selector'])}: PodDisruptionBudget의 셀렉터가 Deployment의 Pod 레이블(${JSON.stringify(podLabels)})과 맞지 않아 아무 Pod도 지키지 않습니다.`,
          `${at(pdb, ['spec', 'selector'])}: the PodDisruptionBudget's selector does not match the Deployment's Pod labels (${JSON.stringify(podLabels)}), so it protects no Pod.`,
        ),
      };
    if (budget!.problems.length)
      return {
        ok: false,
        message: msg(
          `${at(pdb, budget!.problems[0]!.path)}: API 서버가 거절합니다: ${budget!.problems[0]!.ko}.`,
          `${at(pdb, budget!.problems[0]!.path)}: the API server refuses this: ${budget!.problems[0]!.en}.`,
        ),
      };
    const stay = budget!.mustStay;
    if (stay === undefined)
      return {
        ok: false,
        message: msg(
          `${at(pdb, ['spec'])}: minAvailable도 maxUnavailable도 없어 PodDisruptionBudget이 아무것도 정하지 않습니다.`,
          `${at(pdb, ['spec'])}: with neither minAvailable nor maxUnavailable the PodDisruptionBudget sets nothing.`,
        ),
      };
    if (stay >= ro.replicas)
      return {
        ok: false,
        message: msg(
          `${at(pdb, ['spec'])}: 복제본 ${ro.replicas}개 중 ${stay}개를 지키라는 PodDisruptionBudget은 한 Pod도 내보내지 못하게 해서 노드 비우기를 막습니다.`,
          `${at(pdb, ['spec'])}: a PodDisruptionBudget keeping ${stay} of ${ro.replicas} replicas allows no eviction at all, so it blocks node drains.`,
        ),
      };
    if (stay < 1)
      return {
        ok: false,
        message: msg(
          `${at(pdb, ['spec'])}: 복제본 ${ro.replicas}개 중 ${stay}개를 지키라는 PodDisruptionBudget은 모든 Pod를 한꺼번에 내보낼 수 있어 아무것도 지키지 않습니다.`,
          `${at(pdb, ['spec'])}: a PodDisruptionBudget keeping ${stay} of ${ro.replicas} replicas lets every Pod be evicted at once, so it protects nothing.`,
        ),
      };
    return { ok: true, message: msg('', '') };
  })();

  // 4. what kubectl apply would refuse: the schema, unknown fields, and the API server's own rules
  const invalid = docs.flatMap((d) =>
    [...validateObject(d.value), ...(d === dep ? ro.problems : []), ...(d === pdb && budget ? budget.problems : [])].map((p) => ({ d, p })),
  );

  return partial('rollout', 3, [
    strategyPart,
    {
      ok: podProblems.length === 0,
      message: msg(podProblems.map((p) => `${at(dep, p.path)}: ${p.ko}.`).join(' '), podProblems.map((p) => `${at(dep, p.path)}: ${p.en}.`).join(' ')),
    },
    pdbPart,
    {
      ok: invalid.length === 0,
      message: msg(
        invalid
          .slice(0, 5)
          .map(({ d, p }) => `${at(d, p.path)}: kubectl apply가 거절합니다: ${p.ko}.`)
          .join(' '),
        invalid
          .slice(0, 5)
          .map(({ d, p }) => `${at(d, p.path)}: kubectl apply refuses this: ${p.en}.`)
          .join(' '),
      ),
    },
  ]);
}
