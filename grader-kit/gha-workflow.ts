/**
 * GitHub Actions workflows read for what they do (the labs of week 3): the files under .github/workflows/, the events
 * `on:` triggers in its three spellings, branch and tag filters as GitHub matches them, one representative run per kind
 * of trigger (`probes`), `if:` conditions evaluated in a run (gha-expr.ts), the needs graph (walked iteratively),
 * which jobs run in a run, the steps of a job (a called local reusable workflow's included), the effective token
 * permissions and where untrusted text reaches a script. `simulateRun` plays a run with job results (a job that
 * fails, the `needs` context, success()/failure() over every job upstream) for labs that ask what happens after a
 * failure.
 */
import { msg, NotGradable, type Submission } from './index';
import { get, isObj, parseYamlFile, type Json, type Obj, type PathPart, type YamlDoc } from './yamldocs';
import { asCondition, conditionSource, evaluate, OPEN, parseExpr, UNKNOWN, usesStatusFunction, type Val } from './gha-expr';

export type B = { ko: string; en: string };
export const str = (v: Json | undefined) => (typeof v === 'string' ? v : undefined);
export const arr = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

// ---------------------------------------------------------------------------------------------------------------
// Reading the files

export interface WfFile {
  file: string;
  doc: YamlDoc;
  value: Obj;
  at: (p: PathPart[]) => string;
}

export function readWorkflowFile(sub: Submission, file: string): WfFile {
  const docs = parseYamlFile(sub, file);
  if (docs.length !== 1 || !isObj(docs[0]!.value))
    throw new NotGradable(msg(`${file}에는 YAML 문서(맵) 하나만 있어야 합니다.`, `${file} must hold exactly one YAML document (a map).`));
  const doc = docs[0]!;
  return { file, doc, value: doc.value as Obj, at: (p) => `${file}:${doc.line(p)}` };
}

/**
 * The workflow a lab grades (`main`) and every other workflow file under .github/workflows/ (a called reusable workflow
 * may be one of them). A missing main file, a file that is not one YAML map, or no jobs: not gradable.
 */
export function readWorkflows(sub: Submission, main: string): { main: WfFile; files: Map<string, WfFile> } {
  if (!sub.has(main))
    throw new NotGradable(
      msg(`${main} 파일이 없습니다. 워크플로는 이 경로에 있어야 GitHub가 찾습니다.`, `${main} is missing: GitHub looks for workflows at that path.`),
    );
  const wf = readWorkflowFile(sub, main);
  if (!isObj(wf.value.jobs)) throw new NotGradable(msg(`${wf.at(['jobs'])}: jobs가 없습니다.`, `${wf.at(['jobs'])}: there are no jobs.`));
  const files = new Map<string, WfFile>([[main, wf]]);
  for (const f of sub
    .paths()
    .filter((p) => p !== main && /^\.github\/workflows\/[^/]+\.ya?ml$/.test(p))
    .sort())
    files.set(f, readWorkflowFile(sub, f));
  return { main: wf, files };
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
  if (ignore !== undefined && ignore !== null)
    return !arr(ignore)
      .map(String)
      .some((p) => globToRegExp(p.startsWith('!') ? p.slice(1) : p).test(name));
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
  const push = (branch: string, describe: B) =>
    out.push({ id: `push:${branch}`, event: 'push', ref: `refs/heads/${branch}`, main: branch === 'main', describe });
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
        ? msg(
            'pull_request_target 실행(github.ref가 대상 브랜치 refs/heads/main입니다)',
            'a pull_request_target run (there github.ref is the base branch, refs/heads/main)',
          )
        : msg('풀 리퀘스트(github.ref는 refs/pull/42/merge)', 'a pull request (github.ref is refs/pull/42/merge)'),
      extra: { head_ref: 'feature/login', base_ref: 'main' },
    });
  }
  if ('workflow_dispatch' in on) {
    out.push({
      id: 'dispatch:main',
      event: 'workflow_dispatch',
      ref: 'refs/heads/main',
      main: true,
      describe: msg('main에서 수동 실행', 'a manual run on main'),
    });
    out.push({
      id: 'dispatch:feature',
      event: 'workflow_dispatch',
      ref: 'refs/heads/feature/login',
      main: false,
      describe: msg(
        '다른 브랜치에서 수동 실행(workflow_dispatch는 아무 브랜치에서나 실행할 수 있습니다)',
        'a manual run on another branch (workflow_dispatch can be started on any branch)',
      ),
    });
  }
  for (const ev of ['schedule', 'workflow_run']) {
    if (ev in on)
      out.push({
        id: ev,
        event: ev,
        ref: 'refs/heads/main',
        main: true,
        describe: msg(`${ev} 실행(기본 브랜치 main)`, `a ${ev} run (on the default branch, main)`),
      });
  }
  if ('merge_group' in on)
    out.push({
      id: 'merge_group',
      event: 'merge_group',
      ref: 'refs/heads/gh-readonly-queue/main/pr-42-0123abc',
      main: false,
      describe: msg('머지 큐 실행', 'a merge queue run'),
    });
  if ('workflow_call' in on)
    out.push({
      id: 'workflow_call',
      event: 'workflow_call',
      ref: UNKNOWN,
      main: false,
      describe: msg('다른 워크플로에서 호출한 실행', 'a run called from another workflow'),
    });
  const known = new Set(['push', 'pull_request', 'pull_request_target', 'workflow_dispatch', 'schedule', 'workflow_run', 'merge_group', 'workflow_call']);
  for (const ev of Object.keys(on)
    .filter((e) => !known.has(e))
    .slice(0, 10)) {
    out.push({
      id: ev,
      event: ev,
      ref: ev === 'release' ? 'refs/tags/v1.2.3' : UNKNOWN,
      main: false,
      describe: msg(`${ev} 이벤트 실행`, `a run for the ${ev} event`),
    });
  }
  return out;
}

export function githubContext(p: Probe): Val {
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
    event: pr
      ? { [OPEN]: true, pull_request: { [OPEN]: true, head: { [OPEN]: true, ref: 'feature/login' }, base: { [OPEN]: true, ref: 'main' } } }
      : { [OPEN]: true, ref },
    ...(p.extra ?? {}),
  };
}

export type Tri = boolean | typeof UNKNOWN;

/** Evaluates an `if:` (job or step) in a run; parse failures are UNKNOWN (actionlint reports them). */
/** Parsed conditions, kept for the next run of the same workflow (a few hundred at most; never grows past a bound). */
const parseCache = new Map<string, ReturnType<typeof parseExpr>>();
function parsed(expr: string): ReturnType<typeof parseExpr> {
  let node = parseCache.get(expr);
  if (!node) {
    node = parseExpr(expr);
    if (parseCache.size > 2000) parseCache.clear();
    parseCache.set(expr, node);
  }
  return node;
}

export function condition(
  raw: Json | undefined,
  p: Probe,
  needsOk: Tri,
  envCtx: Val = { [OPEN]: true },
  more: { failed?: Tri; needs?: Val } = {},
): { value: Tri; status: boolean } {
  if (raw === undefined || raw === null) return { value: needsOk, status: false };
  if (typeof raw === 'boolean' || typeof raw === 'number')
    return { value: needsOk === false ? false : asCondition(raw) === true ? needsOk : false, status: false };
  if (typeof raw !== 'string') return { value: UNKNOWN, status: false };
  const src = conditionSource(raw);
  if ('alwaysTrueTemplate' in src) return { value: needsOk, status: false };
  try {
    const node = parsed(src.expr);
    const status = usesStatusFunction(node);
    const contexts: Record<string, Val> = { github: githubContext(p), env: envCtx };
    if (more.needs !== undefined) contexts.needs = more.needs;
    const v = asCondition(evaluate(node, { contexts, needsOk, failed: more.failed }));
    if (status) return { value: v, status };
    if (v === false || needsOk === false) return { value: false, status };
    if (v === UNKNOWN || needsOk === UNKNOWN) return { value: UNKNOWN, status };
    return { value: true, status };
  } catch {
    return { value: UNKNOWN, status: false };
  }
}

export function unreadable(raw: Json | undefined): boolean {
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

export function needsOf(job: Json | undefined): string[] {
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

export type JobResult = 'success' | 'failure' | 'skipped' | typeof UNKNOWN;

/** Every job `name` waits for, directly or through other jobs (breadth-first, each visited once). */
export function upstreamOf(jobs: Obj, name: string): Set<string> {
  const seen = new Set<string>();
  const queue = [name];
  for (let i = 0; i < queue.length; i++) {
    for (const n of needsOf(jobs[queue[i]!])) {
      if (n in jobs && !seen.has(n) && n !== name) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return seen;
}

/**
 * Plays one run with job results, as GitHub decides them: a job runs when its `if:` holds, and an `if:` without a
 * status function means `success() && ...`. At job level success() and failure() look at every job upstream, not
 * only the direct `needs` (a skip or a failure anywhere up the chain makes success() false); `needs.<job>.result` is
 * there for the direct ones. `fail` names a job that fails when it runs, to see what runs after a failure. Jobs in a
 * cycle are skipped (GitHub refuses such a workflow); UNKNOWN where a condition depends on what the run cannot tell.
 */
export function simulateRun(jobs: Obj, p: Probe, opts: { fail?: string } = {}): Map<string, JobResult> {
  const res = new Map<string, JobResult>();
  // Per job, over everything upstream, gathered along the edges in order (no per-job sets: a chain of thousands of
  // jobs stays linear): every upstream job succeeded / some failed, each true, false or UNKNOWN.
  const allOk = new Map<string, Tri>();
  const anyFailed = new Map<string, Tri>();
  for (const n of topoOrder(jobs)) {
    let ok: Tri = true;
    let failedUp: Tri = false;
    const needs: Record<string, Val> = {};
    for (const d of new Set(needsOf(jobs[n]).filter((x) => x in jobs))) {
      const r = res.get(d) ?? 'skipped';
      needs[d] = { [OPEN]: true, result: r === UNKNOWN ? UNKNOWN : r };
      const dOk: Tri = r === 'success' ? (allOk.get(d) ?? true) : r === UNKNOWN ? UNKNOWN : false;
      if (dOk === false) ok = false;
      else if (dOk === UNKNOWN && ok === true) ok = UNKNOWN;
      const dFail: Tri = r === 'failure' ? true : r === UNKNOWN ? UNKNOWN : (anyFailed.get(d) ?? false);
      if (dFail === true) failedUp = true;
      else if (dFail === UNKNOWN && failedUp === false) failedUp = UNKNOWN;
    }
    allOk.set(n, ok);
    anyFailed.set(n, failedUp);
    const v = condition(get(jobs[n], ['if']), p, ok, { [OPEN]: true }, { failed: failedUp, needs }).value;
    res.set(n, v === true ? (n === opts.fail ? 'failure' : 'success') : v === false ? 'skipped' : UNKNOWN);
  }
  for (const n of Object.keys(jobs)) if (!res.has(n)) res.set(n, 'skipped');
  return res;
}

// ---------------------------------------------------------------------------------------------------------------
// Steps, including those of a called local reusable workflow

export interface StepRef {
  wf: WfFile;
  job: string;
  i: number;
  step: Obj;
  at: string;
}

export function ownSteps(wf: WfFile, job: string): StepRef[] {
  return arr(get(wf.value.jobs, [job, 'steps'])).flatMap((s, i) => (isObj(s) ? [{ wf, job, i, step: s, at: wf.at(['jobs', job, 'steps', i]) }] : []));
}

/** A job's steps: its own, or those of the local reusable workflow it calls. */
export function jobSteps(files: Map<string, WfFile>, wf: WfFile, job: string): StepRef[] {
  const uses = str(get(wf.value.jobs, [job, 'uses']));
  if (uses?.startsWith('./')) {
    const called = files.get(uses.slice(2).replace(/@.*$/, ''));
    if (called && isObj(called.value.jobs) && called !== wf) return Object.keys(called.value.jobs).flatMap((j) => ownSteps(called, j));
  }
  return ownSteps(wf, job);
}

export function allSteps(files: Map<string, WfFile>): StepRef[] {
  return [...files.values()].flatMap((wf) => (isObj(wf.value.jobs) ? Object.keys(wf.value.jobs).flatMap((j) => ownSteps(wf, j)) : []));
}

export const action = (s: StepRef) => (str(s.step.uses) ?? '').toLowerCase().replace(/@.*$/, '');

// ---------------------------------------------------------------------------------------------------------------
// Permissions

export type Perms = Map<string, 'read' | 'write' | 'none'> | 'unset';
export const SCOPES = [
  'actions',
  'attestations',
  'checks',
  'contents',
  'deployments',
  'discussions',
  'id-token',
  'issues',
  'models',
  'packages',
  'pages',
  'pull-requests',
  'repository-projects',
  'security-events',
  'statuses',
];

export function permsOf(v: Json | undefined): Perms {
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
export const UNTRUSTED_CTX =
  /\b(github\.head_ref|github\.event\.(issue|pull_request|comment|review|review_comment|discussion|discussion_comment|pages|commits|head_commit|workflow_run|release)\b[\w.[\]*'"-]*?\b(title|body|message|name|email|label|ref|head_ref|head_branch|display_title|default_branch|page_name|tag_name))\b/;
export const EXPRS = /\$\{\{([\s\S]*?)\}\}/g;

export function untrustedIn(text: string, taintedEnv: Set<string>): string | null {
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

export function taintedEnvNames(...envs: (Json | undefined)[]): Set<string> {
  const out = new Set<string>();
  for (const env of envs) {
    if (!isObj(env)) continue;
    for (const [k, v] of Object.entries(env))
      if (typeof v === 'string' && [...v.matchAll(EXPRS)].some((m) => UNTRUSTED_CTX.test(m[1]!))) out.add(k.toUpperCase());
  }
  return out;
}
