/**
 * Week 7 grader: Prometheus alerting rules for the shop's checkout (job "shop": up, http_requests_total{code},
 * http_request_duration_seconds_bucket{le}).
 *
 * - promtool-check: `promtool check rules alerts.yml` (Debian's prometheus package in the grader image), its message
 *   with the file's line numbers.
 * - promql: every expression parses with Prometheus's lezer grammar, and counters are read through rate()/increase().
 * - required-alerts: InstanceDown, HighErrorRate, HighLatencyP99 exist with their `for` and the building blocks the
 *   task asks for (recording rules they use are followed).
 * - labels-annotations: every alert has a severity label and summary/description annotations.
 * - fires / quiet: hidden scenarios (grader/data) run with `promtool test rules` against a copy of alerts.yml: the
 *   alerts must fire during the incidents and stay quiet on healthy data. Partial credit per scenario.
 *
 * promtool is reached only through a Runner (scenarios.ts), so the unit tests can point it at /usr/bin/promtool.
 */
import {
  reporter,
  msg as m,
  fail,
  partial,
  pass,
  type CheckVerdict,
  type GradeContext,
  type GraderVerdict,
  type Msg,
  type Submission,
} from '../../../grader-kit/index';
import { codeSplit, counterUseOk, isCounter, parsePromQL, type Agg, type Parsed } from '../../../grader-kit/promql';
import { loadRuleFile, parseDuration, removeRules, RULE_FILE, type Rule, type RuleFile } from './rules';
import { loadScenarios, parseTestOutput, testFile, type Runner, type Scenario } from '../../../grader-kit/promtool';

export const CHECK_IDS = ['promtool-check', 'promql', 'required-alerts', 'labels-annotations', 'fires', 'quiet'] as const;
type CheckId = (typeof CHECK_IDS)[number];
export const POINTS: Record<CheckId, number> = { 'promtool-check': 2, promql: 2, 'required-alerts': 2, 'labels-annotations': 2, fires: 3, quiet: 3 };

export const REQUIRED = [
  { name: 'InstanceDown', forSec: 60, forText: '1m' },
  { name: 'HighErrorRate', forSec: 300, forText: '5m' },
  { name: 'HighLatencyP99', forSec: 600, forText: '10m' },
] as const;

export interface GradeConfig {
  runner: Runner;
  /** The hidden scenarios: /grader/data in the image, grader/data next to the tests. */
  dataDir: string;
  /** Wall-clock budget for all promtool runs together (the sandbox's limit is above it). */
  budgetMs?: number;
  /** Limit for one promtool run. */
  runTimeoutMs?: number;
}

type B = { ko: string; en: string };
const at = (line: number) => `${RULE_FILE}:${line}`;
const clip = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n)}…` : s);

export async function grade(sub: Submission, config: GradeConfig, ctx?: GradeContext): Promise<GraderVerdict> {
  const rf = loadRuleFile(sub);
  const started = Date.now();
  const deadline = started + (config.budgetMs ?? 22_000);
  const runTimeout = config.runTimeoutMs ?? 10_000;
  const { checks, report } = reporter(ctx);

  const parsed = new Map<Rule, Parsed>();
  for (const r of rf.rules) if (r.expr) parsed.set(r, parsePromQL(r.expr.text));
  const model = new Model(rf, parsed);

  const syntax = await checkPromtool(rf, config.runner, Math.min(runTimeout, 15_000));
  report(syntax);
  report(checkPromQL(rf, parsed));
  report(checkRequired(model));
  report(checkLabels(rf));
  const scenarios = await runScenarios(model, config, syntax.passed, deadline, runTimeout);
  report(checkFires(scenarios));
  report(checkQuiet(scenarios));
  return { gradable: true, checks };
}

// ---------------------------------------------------------------------------------------------------------------
// The rules and what their expressions read, recording rules followed.

/** What an alert measures, after following the recording rules it reads. */
interface RateUse {
  metric: string;
  /** rate, irate or increase. */
  fn: string;
  rangeSec: number | null;
  /** Aggregations around the rate, innermost first (across recording rules). */
  aggs: Agg[];
  quantiles: (number | null)[];
}

class Model {
  readonly records = new Map<string, Rule[]>();
  constructor(
    readonly rf: RuleFile,
    readonly parsed: Map<Rule, Parsed>,
  ) {
    for (const r of rf.rules) if (r.kind === 'record') this.records.set(r.name, [...(this.records.get(r.name) ?? []), r]);
  }

  alerts(name: string): Rule[] {
    return this.rf.rules.filter((r) => r.kind === 'alert' && r.name === name);
  }

  /** The rule and every recording rule it reads, directly or through others. */
  closure(rule: Rule): Rule[] {
    const out: Rule[] = [];
    const seen = new Set<Rule>();
    const stack = [rule];
    while (stack.length > 0 && out.length < 200) {
      const r = stack.pop()!;
      if (seen.has(r)) continue;
      seen.add(r);
      out.push(r);
      for (const s of this.parsed.get(r)?.selectors ?? []) if (s.name) stack.push(...(this.records.get(s.name) ?? []));
    }
    return out;
  }

  /** rate()/irate()/increase() uses reachable from a rule, with the aggregations and quantiles around them. */
  rateUses(rule: Rule, depth = 0, seen = new Set<Rule>()): RateUse[] {
    if (depth > 20 || seen.has(rule)) return [];
    seen.add(rule);
    const out: RateUse[] = [];
    for (const s of this.parsed.get(rule)?.selectors ?? []) {
      if (s.name && (s.fn === 'rate' || s.fn === 'irate' || s.fn === 'increase'))
        out.push({ metric: s.name, fn: s.fn, rangeSec: s.rangeSec, aggs: s.aggs, quantiles: s.quantiles });
      for (const rec of s.name ? (this.records.get(s.name) ?? []) : []) {
        for (const u of this.rateUses(rec, depth + 1, new Set(seen)))
          out.push({ ...u, aggs: [...u.aggs, ...s.aggs], quantiles: [...u.quantiles, ...s.quantiles] });
        if (out.length > 1000) return out;
      }
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// promtool check rules

async function checkPromtool(rf: RuleFile, runner: Runner, timeoutMs: number): Promise<CheckVerdict> {
  const id = 'promtool-check';
  const r = await runner(['check', 'rules', RULE_FILE], { [RULE_FILE]: rf.text }, timeoutMs);
  if (r.code === null && !r.timedOut && /could not start/.test(r.stderr)) throw new Error(`promtool is not available: ${r.stderr}`);
  if (r.timedOut) {
    return fail(
      id,
      m(
        `promtool check rules가 ${timeoutMs / 1000}초 안에 끝나지 않았습니다. ${RULE_FILE}이 지나치게 크거나 복잡합니다.`,
        `promtool check rules did not finish within ${timeoutMs / 1000} s: ${RULE_FILE} is too large or complex.`,
      ),
    );
  }
  if (r.code === 0) return pass(id, POINTS[id]);
  const lines = promtoolLines(rf, `${r.stdout}\n${r.stderr}`);
  return fail(
    id,
    m(
      `promtool check rules가 ${RULE_FILE}을 거부합니다. Prometheus도 이 파일을 읽지 못합니다: ${lines.join(' | ')}`,
      `promtool check rules rejects ${RULE_FILE}, so Prometheus would not load it either: ${lines.join(' | ')}`,
    ),
  );
}

/** promtool's error lines, deduplicated, with the line of the rule added where promtool names only its number. */
export function promtoolLines(rf: RuleFile, out: string): string[] {
  const byGroup = new Map<string, Rule[]>();
  for (const r of rf.rules) byGroup.set(r.group, [...(byGroup.get(r.group) ?? []), r]);
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const raw of out.split('\n')) {
    const l = raw.trim();
    if (!l || /^Checking /.test(l) || l === 'FAILED:' || /^SUCCESS/.test(l) || seen.has(l)) continue;
    seen.add(l);
    let line = clip(l);
    const g = /group "(.*?)", rule (\d+), /.exec(l);
    if (g && !/^\S+: \d+:\d+: /.test(l)) {
      const rule = byGroup.get(g[1]!)?.[Number(g[2]) - 1];
      if (rule) line += ` (${at(rule.line)})`;
    }
    lines.push(line);
  }
  if (lines.length > 8) return [...lines.slice(0, 8), `… (+${lines.length - 8})`];
  return lines.length > 0 ? lines : ['(no message)'];
}

// ---------------------------------------------------------------------------------------------------------------
// PromQL: syntax and counters

function checkPromQL(rf: RuleFile, parsed: Map<Rule, Parsed>): CheckVerdict {
  const id = 'promql';
  if (rf.rules.length === 0) return fail(id, m(`${RULE_FILE}에 규칙이 하나도 없습니다.`, `${RULE_FILE} has no rules.`));
  const parts: { ok: boolean; message: Msg }[] = [];
  for (const r of rf.rules) {
    const what = r.kind === 'record' ? `record ${r.name}` : r.kind === 'alert' ? `alert ${r.name}` : 'rule';
    if (!r.expr) {
      parts.push({ ok: false, message: m(`${at(r.line)}: ${what}에 expr이 없습니다.`, `${at(r.line)}: ${what} has no expr.`) });
      continue;
    }
    const p = parsed.get(r)!;
    if (p.errorAt !== null) {
      const pos = rf.exprPos(r.expr, p.errorAt);
      const near = r.expr.text.slice(p.errorAt, p.errorAt + 24).trim();
      const nearKo = near ? `"${near}" 부근` : '식의 끝';
      const nearEn = near ? `near "${near}"` : 'at the end of the expression';
      parts.push({
        ok: false,
        message: m(
          `${RULE_FILE}:${pos.line}:${pos.col}: ${what}의 PromQL 문법 오류 (${nearKo}).`,
          `${RULE_FILE}:${pos.line}:${pos.col}: PromQL syntax error in ${what}, ${nearEn}.`,
        ),
      });
      continue;
    }
    const raw = p.selectors.filter((s) => isCounter(s.name) && !counterUseOk(s));
    if (raw.length > 0) {
      const s = raw[0]!;
      const line = rf.exprPos(r.expr, s.from).line;
      const how = s.fn ? m(`${s.fn}()로 읽습니다`, `is read with ${s.fn}()`) : m('누적값 그대로 씁니다', 'is used as a raw value');
      if (s.fn === null && s.directAgg !== null && ['rate', 'irate', 'increase'].some((f) => p.fns.has(f))) {
        parts.push({
          ok: false,
          message: m(
            `${at(line)}: ${what}이 카운터 ${s.name}를 ${s.directAgg}()로 먼저 합친 뒤 속도를 잽니다. 인스턴스 하나가 재시작하면 합계가 줄어들고, rate()는 그것을 카운터 초기화로 읽어 엉뚱한 값을 냅니다. 시계열마다 rate()를 먼저 구하고 그다음에 합치세요.`,
            `${at(line)}: in ${what}, the counter ${s.name} is added up with ${s.directAgg}() before its rate is taken. When one instance restarts the sum drops, and rate() reads that as a counter reset and returns nonsense: take rate() of each series first, then add them up.`,
          ),
        });
        continue;
      }
      parts.push({
        ok: false,
        message: m(
          `${at(line)}: ${what}이 카운터 ${s.name}를 ${how.ko}. 카운터는 계속 커지기만 하고 재시작하면 0으로 돌아가므로 rate(...[5m])나 increase()로 변화 속도를 비교하세요.`,
          `${at(line)}: in ${what}, the counter ${s.name} ${how.en}. A counter only grows and goes back to 0 on restart: compare its rate(...[5m]) or increase() instead.`,
        ),
      });
      continue;
    }
    parts.push({ ok: true, message: '' });
  }
  return partial(id, POINTS[id], parts);
}

// ---------------------------------------------------------------------------------------------------------------
// The three alerts and their building blocks

function checkRequired(model: Model): CheckVerdict {
  const id = 'required-alerts';
  const parts = REQUIRED.map((req) => {
    const rules = model.alerts(req.name);
    if (rules.length === 0) {
      const similar = model.rf.rules.find((r) => r.kind === 'alert' && r.name.toLowerCase() === req.name.toLowerCase());
      const hint = similar
        ? m(` (${at(similar.line)}의 ${similar.name}은 대소문자가 다릅니다)`, ` (${similar.name} at ${at(similar.line)} differs in case)`)
        : m('', '');
      return { ok: false, message: m(`${RULE_FILE}에 ${req.name} 알림이 없습니다${hint.ko}.`, `${RULE_FILE} has no alert named ${req.name}${hint.en}.`) };
    }
    // With several rules of that name, the best one counts.
    let best: { problems: B[]; rule: Rule } | null = null;
    for (const rule of rules) {
      const problems = requiredProblems(model, rule, req);
      if (!best || problems.length < best.problems.length) best = { problems, rule };
    }
    if (best!.problems.length === 0) return { ok: true, message: '' };
    const where = at(best!.rule.line);
    return {
      ok: false,
      message: m(
        `${req.name} (${where}): ${best!.problems.map((p) => p.ko).join('; ')}.`,
        `${req.name} (${where}): ${best!.problems.map((p) => p.en).join('; ')}.`,
      ),
    };
  });
  return partial(id, POINTS[id], parts);
}

function requiredProblems(model: Model, rule: Rule, req: (typeof REQUIRED)[number]): B[] {
  const problems: B[] = [];
  const forSec = rule.forText === null ? 0 : parseDuration(rule.forText);
  if (forSec !== req.forSec) {
    problems.push(
      rule.forText === null
        ? m(
            `for가 없어 조건이 한 번만 맞아도 바로 알립니다 (for: ${req.forText}이어야 합니다)`,
            `it has no for, so it fires the moment the condition holds once (it should be for: ${req.forText})`,
          )
        : m(
            `for가 ${rule.forText}입니다 (${at(rule.forLine)}, ${req.forText}이어야 합니다)`,
            `for is ${rule.forText} at ${at(rule.forLine)} (it should be ${req.forText})`,
          ),
    );
  }
  if (!rule.expr) return [...problems, m('expr이 없습니다', 'it has no expr')];
  const closure = model.closure(rule);
  const selectors = closure.flatMap((r) => model.parsed.get(r)?.selectors ?? []);
  const uses = model.rateUses(rule);
  const keepsLe = (a: Agg | undefined) => a !== undefined && (a.by ? a.by.includes('le') : a.without ? !a.without.includes('le') : false);
  if (req.name === 'InstanceDown') {
    if (!selectors.some((s) => s.name === 'up')) problems.push(m('up 지표를 읽지 않습니다', 'it does not read the up metric'));
  } else if (req.name === 'HighErrorRate') {
    const reqs = uses.filter((u) => u.metric === 'http_requests_total');
    const windowed = reqs.filter((u) => u.fn !== 'irate');
    if (reqs.length > 0 && windowed.length === 0) {
      problems.push(
        m(
          'irate()는 구간의 마지막 두 샘플만 보므로 "최근 5분 동안"의 비율이 아닙니다. 구간 전체를 보는 함수를 쓰세요',
          'irate() looks only at the last two samples of its window, so it does not measure "over the last 5 minutes"; use a function that covers the whole window',
        ),
      );
    } else if (!windowed.some((u) => u.rangeSec === 300)) {
      problems.push(
        m(
          'http_requests_total의 증가 속도를 5분 구간으로 재지 않습니다 (요청 카운터를 5분 창으로 읽으세요)',
          'it does not measure http_requests_total over a 5-minute window (read the request counter over a 5m range)',
        ),
      );
    }
    if (!reqs.some((u) => u.aggs.some((a) => a.op === 'sum')))
      problems.push(
        m(
          '인스턴스·코드별 속도를 sum으로 합치지 않아 서비스 전체의 비율이 되지 않습니다',
          'it does not add up the per-instance, per-code rates with sum, so it is not the ratio of the whole service',
        ),
      );
    const splits = selectors
      .filter((s) => s.name === 'http_requests_total' || (s.name !== null && model.records.has(s.name)))
      .flatMap((s) => s.matchers.map(codeSplit))
      .filter((x) => x !== null);
    if (splits.length === 0) {
      const mixed = selectors.some((s) => s.matchers.some((mt) => mt.label === 'code'));
      problems.push(
        mixed
          ? m(
              'code 선택자가 5xx와 나머지를 정확히 나누지 않습니다 (모든 5xx는 오류이고, 4xx나 2xx는 오류가 아닙니다)',
              'the code matcher does not split the 5xx codes from the rest exactly (every 5xx is an error; 4xx and 2xx are not)',
            )
          : m('code 레이블로 5xx 응답을 고르는 부분이 없습니다', 'nothing picks the 5xx responses with the code label'),
      );
    }
  } else {
    const buckets = uses.filter((u) => u.metric === 'http_request_duration_seconds_bucket');
    const windowed = buckets.filter((u) => u.fn !== 'irate');
    if (buckets.length > 0 && windowed.length === 0)
      problems.push(
        m(
          'irate()는 마지막 두 샘플만 보므로 "최근 5분 동안"의 지연이 아닙니다',
          'irate() looks only at the last two samples, so it does not measure latency "over the last 5 minutes"',
        ),
      );
    else if (!windowed.some((u) => u.rangeSec === 300))
      problems.push(m('지연 히스토그램 버킷을 5분 구간으로 재지 않습니다', 'it does not read the latency histogram buckets over a 5-minute window'));
    if (!windowed.some((u) => u.quantiles.some((x) => x === 0.99)))
      problems.push(m('히스토그램에서 99번째 백분위수(0.99)를 구하지 않습니다', 'it does not compute the 99th percentile (0.99) from the histogram'));
    if (!windowed.some((u) => u.aggs[0]?.op === 'sum' && keepsLe(u.aggs[0])))
      problems.push(
        m(
          '인스턴스별 버킷을 le를 남긴 채 sum으로 합치지 않습니다 (서비스 전체의 백분위수여야 하고, histogram_quantile은 le 레이블이 필요합니다)',
          "it does not sum the per-instance buckets while keeping le (the percentile is the whole service's, and histogram_quantile needs the le label)",
        ),
      );
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Labels and annotations

function checkLabels(rf: RuleFile): CheckVerdict {
  const id = 'labels-annotations';
  const alerts = rf.rules.filter((r) => r.kind === 'alert');
  if (alerts.length === 0) return fail(id, m(`${RULE_FILE}에 알림 규칙이 없습니다.`, `${RULE_FILE} has no alerting rules.`));
  const parts = alerts.map((r) => {
    const missing: string[] = [];
    if (!r.labels?.get('severity')?.trim()) missing.push('labels.severity');
    if (!r.annotations?.get('summary')?.trim()) missing.push('annotations.summary');
    if (!r.annotations?.get('description')?.trim()) missing.push('annotations.description');
    if (missing.length === 0) return { ok: true, message: '' };
    return {
      ok: false,
      message: m(`${r.name} (${at(r.line)})에 ${missing.join(', ')}이(가) 없습니다.`, `${r.name} (${at(r.line)}) has no ${missing.join(', ')}.`),
    };
  });
  return partial(id, POINTS[id], parts);
}

// ---------------------------------------------------------------------------------------------------------------
// Hidden scenarios through promtool test rules

interface ScenarioResult {
  scenario: Scenario;
  /** Alerts tested and why each failed (absent: passed). */
  tested: string[];
  failed: Map<string, B>;
}

/** The hidden scenarios run once for both checks that read them, or why they could not run. */
type ScenarioRun = { notRun: B } | { model: Model; fires: Scenario[]; quiet: Scenario[]; present: string[]; results: ScenarioResult[] };

async function runScenarios(model: Model, config: GradeConfig, loads: boolean, deadline: number, runTimeout: number): Promise<ScenarioRun> {
  const scenarios = loadScenarios(config.dataDir);
  const fires = scenarios.filter((s) => s.kind === 'fires');
  const quiet = scenarios.filter((s) => s.kind === 'quiet');
  if (!loads) {
    return {
      notRun: m(
        `숨은 시나리오를 실행하지 못했습니다: Prometheus가 ${RULE_FILE}을 읽지 못합니다 (promtool check rules 결과를 보세요).`,
        `The hidden scenarios did not run: Prometheus cannot load ${RULE_FILE} (see the promtool check).`,
      ),
    };
  }
  const spoof = model.rf.rules.find((r) => r.kind === 'record' && (r.name === 'ALERTS' || r.name === 'ALERTS_FOR_STATE'));
  if (spoof) {
    return {
      notRun: m(
        `${at(spoof.line)}: ${spoof.name}은 Prometheus가 알림 상태를 기록하는 이름이라 기록 규칙에 쓸 수 없습니다.`,
        `${at(spoof.line)}: ${spoof.name} is where Prometheus records alert states; a recording rule may not write it.`,
      ),
    };
  }
  const present = REQUIRED.map((r) => r.name).filter((n) => model.alerts(n).length > 0);
  const results: ScenarioResult[] = [];
  for (const s of scenarios) {
    const tested = s.kind === 'fires' ? present.filter((a) => a === s.alert) : present;
    results.push({ scenario: s, tested, failed: tested.length ? await runScenario(model, config.runner, s, tested, deadline, runTimeout) : new Map() });
  }
  return { model, fires, quiet, present, results };
}

const lineOf = (model: Model, a: string) => at(model.alerts(a)[0]?.line ?? 1);
const title = (s: Scenario) => m(`숨은 시나리오 "${s.name}" (${s.title.ko})`, `Hidden scenario "${s.name}" (${s.title.en})`);

/** fires: in each incident scenario, its alert fires. One part per scenario. */
function checkFires(run: ScenarioRun): CheckVerdict {
  if ('notRun' in run) return fail('fires', run.notRun);
  const { model, fires, results } = run;
  const fireParts = fires.map((s) => {
    const r = results.find((x) => x.scenario === s)!;
    const t = title(s);
    if (!r.tested.includes(s.alert!))
      return {
        ok: false,
        message: m(
          `${t.ko}: ${RULE_FILE}에 ${s.alert} 알림이 없어 아무것도 울리지 않았습니다.`,
          `${t.en}: there is no ${s.alert} alert in ${RULE_FILE}, so nothing fired.`,
        ),
      };
    const why = r.failed.get(s.alert!);
    if (!why) return { ok: true, message: '' };
    return {
      ok: false,
      message: m(`${t.ko}: ${s.alert} (${lineOf(model, s.alert!)}): ${why.ko}`, `${t.en}: ${s.alert} (${lineOf(model, s.alert!)}): ${why.en}`),
    };
  });
  return partial('fires', POINTS.fires, fireParts);
}

/** quiet: on healthy data, per scenario, the share of the three alerts that exist and stayed quiet. */
function checkQuiet(run: ScenarioRun): CheckVerdict {
  if ('notRun' in run) return fail('quiet', run.notRun);
  const { model, quiet, present, results } = run;
  const missing = REQUIRED.map((r) => r.name).filter((n) => !present.includes(n));
  let sum = 0;
  // The same failure in several scenarios is said once, naming the scenarios.
  const grouped = new Map<string, { alert: string; why: B; scenarios: Scenario[] }>();
  for (const s of quiet) {
    const r = results.find((x) => x.scenario === s)!;
    const ok = r.tested.filter((a) => !r.failed.has(a)).length;
    sum += ok / REQUIRED.length;
    for (const [a, why] of r.failed) {
      const key = `${a}\0${why.en}`;
      if (!grouped.has(key)) grouped.set(key, { alert: a, why, scenarios: [] });
      grouped.get(key)!.scenarios.push(s);
    }
  }
  const msgs: B[] = [...grouped.values()].map((g) => {
    const names = m(g.scenarios.map((s) => `"${s.name}" (${s.title.ko})`).join(', '), g.scenarios.map((s) => `"${s.name}" (${s.title.en})`).join(', '));
    const lead =
      g.scenarios.length > 1 ? m(`숨은 시나리오 ${names.ko}`, `Hidden scenarios ${names.en}`) : m(`숨은 시나리오 ${names.ko}`, `Hidden scenario ${names.en}`);
    return m(`${lead.ko}: ${g.alert} (${lineOf(model, g.alert)}): ${g.why.ko}`, `${lead.en}: ${g.alert} (${lineOf(model, g.alert)}): ${g.why.en}`);
  });
  if (missing.length > 0) {
    msgs.push(
      m(
        `${missing.join(', ')} 알림이 없어 조용히 있는지 확인할 수 없습니다.`,
        `${missing.join(', ')} ${missing.length > 1 ? 'are missing, so nothing shows they stay quiet' : 'is missing, so nothing shows it stays quiet'}.`,
      ),
    );
  }
  const quietPoints = quiet.length ? Math.round(((POINTS.quiet * sum) / quiet.length) * 100) / 100 : 0;
  return msgs.length === 0 && quiet.length > 0
    ? pass('quiet', POINTS.quiet)
    : {
        id: 'quiet',
        points: Math.min(quietPoints, POINTS.quiet - 0.01),
        passed: false,
        message: { ko: msgs.map((x) => x.ko).join(' '), en: msgs.map((x) => x.en).join(' ') },
      };
}

/**
 * Runs one scenario. promtool stops a test at the first evaluation where a rule fails (a vector-matching error, say):
 * the alerts that use that rule fail the scenario with the error, and the scenario runs again without it, so the
 * other alerts are still judged.
 */
async function runScenario(model: Model, runner: Runner, s: Scenario, tested: string[], deadline: number, runTimeout: number): Promise<Map<string, B>> {
  const failed = new Map<string, B>();
  const removed = new Set<string>();
  let text = model.rf.text;
  const fires = s.kind === 'fires';
  for (let round = 0; round < 4; round++) {
    const remaining = tested.filter((a) => !failed.has(a));
    if (remaining.length === 0) break;
    const left = deadline - Date.now();
    if (left < 500) {
      for (const a of remaining)
        failed.set(
          a,
          m(
            '시간 예산이 다 되어 이 시나리오를 실행하지 못했습니다 (규칙 평가가 너무 느립니다).',
            'could not be tested: the time budget ran out (the rules are too slow to evaluate).',
          ),
        );
      break;
    }
    const timeout = Math.min(runTimeout, left);
    const r = await runner(['test', 'rules', 'scenario.test.yml'], { [RULE_FILE]: text, 'scenario.test.yml': testFile(s, RULE_FILE, remaining) }, timeout);
    if (r.code === null && !r.timedOut && /could not start/.test(r.stderr)) throw new Error(`promtool is not available: ${r.stderr}`);
    if (r.timedOut) {
      for (const a of remaining)
        failed.set(
          a,
          m(
            `promtool이 ${Math.round(timeout / 1000)}초 안에 평가를 끝내지 못했습니다 (식이 너무 무겁습니다).`,
            `promtool could not evaluate the rules within ${Math.round(timeout / 1000)} s (the expressions are too heavy).`,
          ),
        );
      break;
    }
    const out = parseTestOutput(r);
    if (out.success) break;
    if (out.evalErrors.length > 0) {
      const names = new Set(out.evalErrors.map((e) => e.rule));
      for (const e of out.evalErrors) {
        for (const a of remaining) {
          const uses = model.alerts(a).some((rule) => model.closure(rule).some((x) => x.name === e.rule));
          if (a === e.rule || uses) {
            failed.set(
              a,
              m(
                `Prometheus가 ${e.time} 시점에 규칙 ${e.rule}을 평가하지 못했습니다: ${clip(e.err, 200)}`,
                `Prometheus could not evaluate rule ${e.rule} at ${e.time}: ${clip(e.err, 200)}`,
              ),
            );
          }
        }
      }
      const before = removed.size;
      for (const n of names) removed.add(n);
      const next = removed.size > before ? removeRules(model.rf.text, removed) : null;
      if (next === null) {
        for (const a of tested.filter((x) => !failed.has(x)))
          failed.set(
            a,
            m(
              `Prometheus가 규칙을 평가하지 못했습니다: ${clip(out.evalErrors[0]!.err, 200)}`,
              `Prometheus could not evaluate the rules: ${clip(out.evalErrors[0]!.err, 200)}`,
            ),
          );
        break;
      }
      text = next;
      continue;
    }
    if (out.failed.size > 0) {
      for (const a of remaining) {
        if (!out.failed.has(a)) continue;
        failed.set(
          a,
          fires
            ? m('한 번도 울리지(firing) 않았습니다.', 'never fired.')
            : m('울렸습니다(firing). 이 정도로 사람을 깨우면 안 됩니다.', 'fired, but nothing here should page anyone.'),
        );
      }
      break;
    }
    const first = out.text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !/^Unit Testing:/.test(l) && l !== 'FAILED:')
      .slice(0, 3)
      .join(' | ');
    for (const a of remaining) failed.set(a, m(`promtool test rules가 실패했습니다: ${clip(first)}`, `promtool test rules failed: ${clip(first)}`));
    break;
  }
  return failed;
}

export async function warmup(dataDir: string, runner?: Runner): Promise<void> {
  loadScenarios(dataDir);
  // Pull promtool into the page cache while the submission is on its way.
  if (runner) await runner(['--version'], {}, 5000);
}
