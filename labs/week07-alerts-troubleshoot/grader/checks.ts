/**
 * Week 7 troubleshooting grader: the shop's rule file (shop-rules.yml), whose alerts stayed silent through four
 * incidents and paged all evening for nothing. The learner fixes it; the grader checks each alert against hidden
 * incidents and healthy stretches (grader/data, written by make-data.mjs) with `promtool test rules`, as week 7's build
 * lab does (the kit's promtool.ts, prom-rules.ts and promql.ts), one check per broken alert: it must fire during its
 * incident and stay quiet on healthy data. rest-intact checks what worked: ShopTargetDown still fires and stays quiet,
 * the recording rules dashboards read are still there with their labels, every alert keeps its name, severity and
 * annotations, and no label changes with every evaluation.
 *
 * When an alert does not fire, the message says what in its expression cannot match the shop's series: a label the
 * series (or the recording rule it reads) does not have, a value no series has, rate() over a gauge, absent() over a
 * series that exists, a `for` longer than the incident. The series' labels come from the scenarios themselves.
 */
import {
  fail,
  msg as m,
  partial,
  pass,
  reporter,
  type CheckVerdict,
  type GradeContext,
  type GraderVerdict,
  type Msg,
  type Submission,
} from '../../../grader-kit/index';
import { loadRuleFile, parseDuration, removeRules, type Rule, type RuleFile } from '../../../grader-kit/prom-rules';
import { isCounter, parsePromQL, type Parsed } from '../../../grader-kit/promql';
import { loadScenarios, parseTestOutput, testFile, type Runner, type Scenario } from '../../../grader-kit/promtool';

export const RULE_FILE = 'shop-rules.yml';
export const CHECK_IDS = ['promtool-check', 'error-ratio', 'checkout-failures', 'latency', 'backlog', 'absent', 'rest-intact'] as const;
type CheckId = (typeof CHECK_IDS)[number];
export const POINTS: Record<CheckId, number> = {
  'promtool-check': 2,
  'error-ratio': 2,
  'checkout-failures': 2,
  latency: 2,
  backlog: 2,
  absent: 2,
  'rest-intact': 3,
};

/** The alerts of the working rule file: the check that owns each, and the severity it was routed by. */
export const ALERTS = [
  { name: 'ShopTargetDown', check: 'rest-intact', severity: 'critical' },
  { name: 'ShopMetricsAbsent', check: 'absent', severity: 'critical' },
  { name: 'ShopErrorRatioHigh', check: 'error-ratio', severity: 'warning' },
  { name: 'ShopCheckoutFailing', check: 'checkout-failures', severity: 'critical' },
  { name: 'ShopLatencyHigh', check: 'latency', severity: 'warning' },
  { name: 'ShopOrderBacklog', check: 'backlog', severity: 'warning' },
] as const;
type AlertName = (typeof ALERTS)[number]['name'];

/** The recording rules dashboards read, and the labels their series must keep. */
export const RECORDS: Record<string, string[]> = { 'job_code:http_requests:rate5m': ['job', 'code'], 'job:http_requests_errors:ratio_rate5m': ['job'] };

export interface GradeConfig {
  runner: Runner;
  dataDir: string;
  /** Wall-clock budget for all promtool runs together (the sandbox's limit is above it). */
  budgetMs?: number;
  runTimeoutMs?: number;
}

type B = { ko: string; en: string };
const at = (line: number) => `${RULE_FILE}:${line}`;
const clip = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n)}…` : s);

// ---------------------------------------------------------------------------------------------------------------
// What the shop's series look like, read from the scenarios: each metric's label names and values.

export interface SeriesShape {
  labels: Map<string, Set<string>>;
}

export function seriesShapes(scenarios: Scenario[]): Map<string, SeriesShape> {
  const out = new Map<string, SeriesShape>();
  for (const s of scenarios) {
    for (const is of s.input_series) {
      const mm = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\}$/.exec(is.series);
      if (!mm) continue;
      const shape = out.get(mm[1]!) ?? { labels: new Map() };
      out.set(mm[1]!, shape);
      for (const lv of mm[2]!.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="([^"]*)"/g)) {
        const set = shape.labels.get(lv[1]!) ?? new Set<string>();
        set.add(lv[2]!);
        shape.labels.set(lv[1]!, set);
      }
    }
  }
  return out;
}

export class Model {
  readonly records = new Map<string, Rule[]>();
  readonly parsed = new Map<Rule, Parsed>();
  constructor(
    readonly rf: RuleFile,
    readonly shapes: Map<string, SeriesShape>,
  ) {
    for (const r of rf.rules) {
      if (r.expr) this.parsed.set(r, parsePromQL(r.expr.text));
      if (r.kind === 'record') this.records.set(r.name, [...(this.records.get(r.name) ?? []), r]);
    }
  }

  alerts(name: string): Rule[] {
    return this.rf.rules.filter((r) => r.kind === 'alert' && r.name === name);
  }

  /**
   * The label names a series of `metric` can carry: a raw metric's own, or what a recording rule keeps (the `by` of
   * its outermost aggregation, the input's labels minus `without`, or its inputs' labels), null when unknown.
   */
  labelsOf(metric: string, depth = 0): Set<string> | null {
    const raw = this.shapes.get(metric);
    if (raw) return new Set(raw.labels.keys());
    const recs = this.records.get(metric);
    if (!recs || depth > 10) return null;
    const out = new Set<string>();
    for (const r of recs) {
      const p = this.parsed.get(r);
      if (!p || p.errorAt !== null || !p.selectors.length) return null;
      for (const s of p.selectors) {
        const outer = s.aggs[s.aggs.length - 1];
        if (outer?.by) outer.by.forEach((l) => out.add(l));
        else {
          const inner = s.name ? this.labelsOf(s.name, depth + 1) : null;
          if (!inner) return null;
          for (const l of inner) if (!outer || !outer.without?.includes(l)) out.add(l);
          if (outer && !outer.without) return new Set(); // sum(x) without by keeps no label
        }
      }
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Why an expression may not match the shop's series: said when an alert never fires (and when it fires for nothing).

function diagnose(model: Model, rule: Rule): B[] {
  const out: B[] = [];
  const p = model.parsed.get(rule);
  if (!p || p.errorAt !== null) return out;
  for (const s of p.selectors) {
    if (!s.name) continue;
    const known = model.labelsOf(s.name);
    const raw = model.shapes.get(s.name);
    const rec = model.records.has(s.name);
    if (!raw && !rec) {
      out.push(m(`${s.name}라는 시계열이 쇼핑몰에 없습니다`, `the shop has no series named ${s.name}`));
      continue;
    }
    for (const mt of s.matchers) {
      if (mt.op !== '=' && mt.op !== '=~') continue;
      if (known && !known.has(mt.label) && !(mt.op === '=~' && new RegExp(`^(?:${safe(mt.value)})$`).test(''))) {
        const list = [...known].sort().join(', ');
        out.push(
          rec
            ? m(
                `${s.name}{${mt.label}${mt.op}"${mt.value}"}: 기록 규칙 ${s.name}는 집계하면서 ${list || '레이블 없이'}만 남기므로 ${mt.label} 레이블이 있는 시계열이 하나도 없습니다`,
                `${s.name}{${mt.label}${mt.op}"${mt.value}"}: the recording rule ${s.name} aggregates down to ${list || 'no labels'}, so no series of it has a ${mt.label} label`,
              )
            : m(
                `${s.name}{${mt.label}${mt.op}"${mt.value}"}: ${s.name}에는 ${mt.label} 레이블이 없습니다 (레이블: ${list})`,
                `${s.name}{${mt.label}${mt.op}"${mt.value}"}: ${s.name} has no ${mt.label} label (its labels: ${list})`,
              ),
        );
      } else if (raw && mt.op === '=' && raw.labels.has(mt.label) && !raw.labels.get(mt.label)!.has(mt.value)) {
        const vals = [...raw.labels.get(mt.label)!].sort().slice(0, 6).join(', ');
        out.push(
          m(
            `${s.name}{${mt.label}="${mt.value}"}: ${mt.label}="${mt.value}"인 시계열이 없습니다 (값: ${vals})`,
            `${s.name}{${mt.label}="${mt.value}"}: no series has ${mt.label}="${mt.value}" (its values: ${vals})`,
          ),
        );
      }
    }
    if (raw && !isCounter(s.name) && (s.fn === 'rate' || s.fn === 'irate' || s.fn === 'increase')) {
      out.push(
        m(
          `${s.fn}(${s.name}...): ${s.name}는 오르내리는 게이지입니다. ${s.fn}()는 값이 줄어들 때마다 카운터가 초기화되었다고 보고 그 값을 통째로 더하므로, 평소의 오르내림에는 크게 반응하고 멈춰 있는 큰 값에는 0을 냅니다. 게이지는 값 자체를(필요하면 avg_over_time, max_over_time으로) 비교하세요`,
          `${s.fn}(${s.name}...): ${s.name} is a gauge, it goes up and down. ${s.fn}() reads every drop as a counter reset and adds the whole value, so it reacts to ordinary ups and downs and gives 0 for a large value that stays put. Compare a gauge's value itself (with avg_over_time or max_over_time if needed)`,
        ),
      );
    }
    if (s.fn === 'absent' && s.name === 'up' && raw && !/==\s*1\b|>\s*0\b|==\s*bool\s*1/.test(rule.expr!.text)) {
      out.push(
        m(
          `absent(up{...}): 스크레이프가 모두 실패해도 대상이 남아 있는 동안에는 up 시계열이 값 0으로 있으므로 absent()가 아무것도 돌려주지 않습니다. 올라와 있는 대상이 없을 때를 잡으려면 up이 1인 시계열이 없는지를 물으세요`,
          `absent(up{...}): while the targets are there, up exists with the value 0 even when every scrape fails, so absent() returns nothing. To catch "no target is up", ask whether there is no up series with the value 1`,
        ),
      );
    }
  }
  const forSec = rule.forText === null ? 0 : parseDuration(rule.forText);
  if (forSec !== null && forSec >= 20 * 60) {
    out.push(
      m(
        `for: ${rule.forText} (${at(rule.forLine)}): 조건이 ${rule.forText} 동안 평가할 때마다 참이어야 울립니다. 이번 장애들은 그보다 짧았습니다`,
        `for: ${rule.forText} (${at(rule.forLine)}): the condition has to hold at every evaluation for ${rule.forText} before the alert fires, and the incidents were shorter`,
      ),
    );
  }
  return out;
}

function safe(re: string): string {
  try {
    new RegExp(re);
    return re;
  } catch {
    return '(?!)';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Running the scenarios

interface Run {
  scenarios: Scenario[];
  /** Per alert: the fires scenarios it did not fire in, and the quiet scenarios it fired in (with why). */
  missed: Map<string, { s: Scenario; why: B }[]>;
  noisy: Map<string, { s: Scenario; why: B }[]>;
  notRun: B | null;
}

async function runScenarios(model: Model, config: GradeConfig, loads: boolean): Promise<Run> {
  const scenarios = loadScenarios(config.dataDir);
  const missed = new Map<string, { s: Scenario; why: B }[]>();
  const noisy = new Map<string, { s: Scenario; why: B }[]>();
  if (!loads)
    return {
      scenarios,
      missed,
      noisy,
      notRun: m(
        `숨은 장애 데이터를 실행하지 못했습니다: Prometheus가 ${RULE_FILE}을 읽지 못합니다 (promtool check rules 항목을 보세요).`,
        `The hidden incidents did not run: Prometheus cannot load ${RULE_FILE} (see the promtool check).`,
      ),
    };
  const spoof = model.rf.rules.find((r) => r.kind === 'record' && (r.name === 'ALERTS' || r.name === 'ALERTS_FOR_STATE'));
  if (spoof)
    return {
      scenarios,
      missed,
      noisy,
      notRun: m(
        `${at(spoof.line)}: ${spoof.name}은 Prometheus가 알림 상태를 기록하는 이름이라 기록 규칙에 쓸 수 없습니다.`,
        `${at(spoof.line)}: ${spoof.name} is where Prometheus records alert states; a recording rule may not write it.`,
      ),
    };
  const present = ALERTS.map((a) => a.name).filter((n) => model.alerts(n).length > 0);
  const deadline = Date.now() + (config.budgetMs ?? 24_000);
  for (const s of scenarios) {
    const tested = s.kind === 'fires' ? present.filter((a) => a === s.alert) : present;
    if (!tested.length) continue;
    const failed = await runScenario(model, config, s, tested, deadline);
    for (const [a, why] of failed) {
      const into = s.kind === 'fires' ? missed : noisy;
      into.set(a, [...(into.get(a) ?? []), { s, why }]);
    }
  }
  return { scenarios, missed, noisy, notRun: null };
}

/**
 * One scenario through promtool. promtool stops a test at the first evaluation where a rule fails (a many-to-many
 * match, say): the alerts that use that rule fail with the error, and the scenario runs again without it.
 */
async function runScenario(model: Model, config: GradeConfig, s: Scenario, tested: string[], deadline: number): Promise<Map<string, B>> {
  const failed = new Map<string, B>();
  const removed = new Set<string>();
  let text = model.rf.text;
  for (let round = 0; round < 4; round++) {
    const remaining = tested.filter((a) => !failed.has(a));
    if (!remaining.length) break;
    const left = deadline - Date.now();
    if (left < 500) {
      for (const a of remaining)
        failed.set(
          a,
          m(
            '시간 예산이 다 되어 이 데이터로 시험하지 못했습니다 (규칙 평가가 너무 느립니다).',
            'could not be tested: the time budget ran out (the rules are too slow to evaluate).',
          ),
        );
      break;
    }
    const timeout = Math.min(config.runTimeoutMs ?? 10_000, left);
    const r = await config.runner(
      ['test', 'rules', 'scenario.test.yml'],
      { [RULE_FILE]: text, 'scenario.test.yml': testFile(s, RULE_FILE, remaining) },
      timeout,
    );
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
    if (out.evalErrors.length) {
      for (const e of out.evalErrors) {
        for (const a of remaining) {
          const uses = model.alerts(a).some((rule) => rule.name === e.rule || (model.parsed.get(rule)?.selectors ?? []).some((x) => x.name === e.rule));
          if (a === e.rule || uses)
            failed.set(
              a,
              m(
                `Prometheus가 ${e.time} 시점에 규칙 ${e.rule}을 평가하지 못했습니다: ${clip(e.err, 200)}`,
                `Prometheus could not evaluate rule ${e.rule} at ${e.time}: ${clip(e.err, 200)}`,
              ),
            );
        }
      }
      const before = removed.size;
      for (const e of out.evalErrors) removed.add(e.rule);
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
    if (out.failed.size) {
      for (const a of remaining)
        if (out.failed.has(a))
          failed.set(
            a,
            s.kind === 'fires'
              ? m('한 번도 울리지(firing) 않았습니다', 'never fired')
              : m('울렸습니다(firing). 이런 때 사람을 깨우면 안 됩니다', 'fired, and nothing here should page anyone'),
          );
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

const title = (s: Scenario) => m(`"${s.name}" (${s.title.ko})`, `"${s.name}" (${s.title.en})`);

/** The two parts of an alert's check: it fires in its incidents, it stays quiet on healthy data. */
function alertParts(model: Model, run: Run, alert: AlertName): { ok: boolean; message: Msg }[] {
  if (run.notRun) return [{ ok: false, message: run.notRun }];
  const rules = model.alerts(alert);
  if (!rules.length) {
    const similar = model.rf.rules.find((r) => r.kind === 'alert' && r.name.toLowerCase() === alert.toLowerCase());
    const msg = similar
      ? m(
          `${alert} 알림이 없습니다 (${at(similar.line)}의 ${similar.name}은 이름의 대소문자가 다릅니다. Alertmanager의 경로와 런북은 원래 이름을 씁니다).`,
          `There is no alert ${alert} (${similar.name} at ${at(similar.line)} differs in case; Alertmanager's routes and the runbook use the original name).`,
        )
      : m(
          `${alert} 알림이 없습니다. 울리지 않는 알림을 지우는 것은 고치는 것이 아닙니다.`,
          `There is no alert ${alert} any more. Deleting an alert that stays silent is not a fix.`,
        );
    return [{ ok: false, message: msg }];
  }
  const where = at(rules[0]!.line);
  const notes = diagnose(model, rules[0]!);
  const noteText = notes.length ? m(` 원인 후보: ${notes.map((n) => n.ko).join('; ')}.`, ` What may be why: ${notes.map((n) => n.en).join('; ')}.`) : m('', '');
  const say = (xs: { s: Scenario; why: B }[] | undefined, lead: B) =>
    !xs?.length
      ? { ok: true, message: '' }
      : {
          ok: false,
          message: m(
            `${lead.ko} ${alert} (${where}): ${xs.map((x) => `${title(x.s).ko}: ${x.why.ko}`).join('; ')}.${noteText.ko}`,
            `${lead.en} ${alert} (${where}): ${xs.map((x) => `${title(x.s).en}: ${x.why.en}`).join('; ')}.${noteText.en}`,
          ),
        };
  const missed = say(run.missed.get(alert), m('장애 때:', 'During the incidents:'));
  const noisy = say(run.noisy.get(alert), m('정상일 때:', 'On healthy data:'));
  // The diagnosis is said once, with the first part that fails.
  if (!missed.ok && !noisy.ok)
    noisy.message = m(
      `정상일 때: ${alert}: ${run.noisy
        .get(alert)!
        .map((x) => `${title(x.s).ko}: ${x.why.ko}`)
        .join('; ')}.`,
      `On healthy data: ${alert}: ${run.noisy
        .get(alert)!
        .map((x) => `${title(x.s).en}: ${x.why.en}`)
        .join('; ')}.`,
    );
  return [missed, noisy];
}

function alertCheck(id: CheckId, model: Model, run: Run, alert: AlertName): CheckVerdict {
  return partial(id, POINTS[id], alertParts(model, run, alert));
}

// ---------------------------------------------------------------------------------------------------------------
// promtool check rules

async function checkPromtool(rf: RuleFile, runner: Runner, timeoutMs: number): Promise<CheckVerdict> {
  const id = 'promtool-check';
  const r = await runner(['check', 'rules', RULE_FILE], { [RULE_FILE]: rf.text }, timeoutMs);
  if (r.code === null && !r.timedOut && /could not start/.test(r.stderr)) throw new Error(`promtool is not available: ${r.stderr}`);
  if (r.timedOut)
    return fail(
      id,
      m(`promtool check rules가 ${timeoutMs / 1000}초 안에 끝나지 않았습니다.`, `promtool check rules did not finish within ${timeoutMs / 1000} s.`),
    );
  if (r.code === 0) return pass(id, POINTS[id]);
  const lines = `${r.stdout}\n${r.stderr}`
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^Checking /.test(l) && l !== 'FAILED:' && !/^SUCCESS/.test(l))
    .slice(0, 6)
    .map((l) => clip(l));
  return fail(
    id,
    m(
      `promtool check rules가 ${RULE_FILE}을 거부합니다. Prometheus도 이 파일 전체를 읽지 않습니다: ${lines.join(' | ')}`,
      `promtool check rules rejects ${RULE_FILE}, so Prometheus would not load any of it: ${lines.join(' | ')}`,
    ),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// rest-intact

function checkRestIntact(model: Model, run: Run): CheckVerdict {
  const behaviour = alertParts(model, run, 'ShopTargetDown');
  const names: B[] = [];
  const meta: B[] = [];
  for (const a of ALERTS) {
    const rules = model.alerts(a.name);
    if (!rules.length) {
      if (a.check !== 'rest-intact') names.push(m(`${a.name}가 없습니다`, `${a.name} is gone`));
      continue;
    }
    if (rules.length > 1)
      names.push(
        m(
          `${a.name}가 ${rules.length}번 있습니다 (${rules.map((r) => at(r.line)).join(', ')}). 같은 알림이 두 번 울립니다`,
          `${a.name} is there ${rules.length} times (${rules.map((r) => at(r.line)).join(', ')}), so it would page twice`,
        ),
      );
    for (const r of rules) {
      const sev = r.labels?.get('severity');
      if (sev !== a.severity) {
        meta.push(
          m(
            `${at(r.line)}: ${a.name}의 severity가 ${sev === undefined ? '없습니다' : `"${sev}"입니다`}. 원래 "${a.severity}"였고 Alertmanager가 그 값으로 알릴 곳을 정합니다`,
            `${at(r.line)}: ${a.name}'s severity is ${sev === undefined ? 'gone' : `"${sev}"`}; it was "${a.severity}", which Alertmanager routes by`,
          ),
        );
      }
      for (const k of ['summary', 'description']) {
        if (!r.annotations?.get(k)?.trim())
          meta.push(m(`${at(r.line)}: ${a.name}에 ${k} 어노테이션이 없습니다`, `${at(r.line)}: ${a.name} has no ${k} annotation`));
      }
      for (const [k, v] of r.labels ?? []) {
        if (/\{\{/.test(v))
          meta.push(
            m(
              `${at(r.line)}: ${a.name}의 레이블 ${k}에 템플릿(${clip(v, 40)})이 있습니다. 레이블은 알림의 이름표라 값이 바뀔 때마다 새 알림이 생깁니다. 바뀌는 값은 어노테이션에 두세요`,
              `${at(r.line)}: ${a.name}'s label ${k} holds a template (${clip(v, 40)}); labels identify an alert, so every new value makes a new alert. Put changing values in annotations`,
            ),
          );
      }
    }
  }
  for (const [rec, keep] of Object.entries(RECORDS)) {
    const rules = model.records.get(rec);
    if (!rules?.length) {
      names.push(m(`기록 규칙 ${rec}가 없습니다. 쇼핑몰 대시보드가 이 시계열을 읽습니다`, `the recording rule ${rec} is gone; the shop's dashboards read it`));
      continue;
    }
    const labels = model.labelsOf(rec);
    const lost = labels ? keep.filter((l) => !labels.has(l)) : [];
    if (lost.length)
      names.push(
        m(
          `${at(rules[0]!.line)}: 기록 규칙 ${rec}가 ${lost.join(', ')} 레이블을 잃었습니다. 대시보드가 그 레이블로 나눕니다`,
          `${at(rules[0]!.line)}: the recording rule ${rec} no longer keeps ${lost.join(', ')}, which the dashboards split by`,
        ),
      );
  }
  const joined = (xs: B[]) =>
    m(
      xs
        .slice(0, 4)
        .map((x) => `${x.ko}.`)
        .join(' ') + (xs.length > 4 ? ` (외 ${xs.length - 4}건)` : ''),
      xs
        .slice(0, 4)
        .map((x) => `${x.en}.`)
        .join(' ') + (xs.length > 4 ? ` (and ${xs.length - 4} more)` : ''),
    );
  const targetDown = behaviour.every((p) => p.ok)
    ? { ok: true, message: '' }
    : {
        ok: false,
        message: m(
          `고장 나지 않았던 ShopTargetDown: ${behaviour
            .filter((p) => !p.ok)
            .map((p) => (typeof p.message === 'string' ? p.message : p.message.ko))
            .join(' ')}`,
          `ShopTargetDown, which was not broken: ${behaviour
            .filter((p) => !p.ok)
            .map((p) => (typeof p.message === 'string' ? p.message : p.message.en))
            .join(' ')}`,
        ),
      };
  return partial('rest-intact', POINTS['rest-intact'], [
    targetDown,
    { ok: names.length === 0, message: joined(names) },
    { ok: meta.length === 0, message: joined(meta) },
  ]);
}

// ---------------------------------------------------------------------------------------------------------------

export async function grade(sub: Submission, config: GradeConfig, ctx?: GradeContext): Promise<GraderVerdict> {
  const rf = loadRuleFile(sub, RULE_FILE);
  const { checks, report } = reporter(ctx);
  const model = new Model(rf, seriesShapes(loadScenarios(config.dataDir)));
  const syntax = await checkPromtool(rf, config.runner, Math.min(config.runTimeoutMs ?? 10_000, 15_000));
  report(syntax);
  const run = await runScenarios(model, config, syntax.passed);
  for (const a of ALERTS) if (a.check !== 'rest-intact') report(alertCheck(a.check, model, run, a.name));
  report(checkRestIntact(model, run));
  // Reported in the order of the manifest.
  const order = new Map(CHECK_IDS.map((id, i) => [id as string, i]));
  checks.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  return { gradable: true, checks };
}

export async function warmup(dataDir: string, runner?: Runner): Promise<void> {
  loadScenarios(dataDir);
  if (runner) await runner(['--version'], {}, 5000);
}
