import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { Submission, NotGradable, type GraderVerdict } from '../../../grader-kit/index';
import { labManifest, maxPoints } from '../../../lib/labs/manifest';
import { readCase, readVariant } from '../../../lib/labs/registry';
import { graderOutput } from '../../../lib/grading/result';
import { CHECK_IDS, POINTS, grade, promtoolLines, type GradeConfig } from './checks';
import { codeSplit, counterUseOk, isCounter, parsePromQL, selects5xx } from '../../../grader-kit/promql';
import { exprOffsetInFile, loadRuleFile, parseDuration, removeRules } from './rules';
import { firedExpr, loadScenarios, parseTestOutput, promtoolRunner, stableError, testFile, type RunResult, type Runner } from '../../../grader-kit/promtool';

const LAB = path.resolve(import.meta.dirname, '..');
const DATA = path.join(LAB, 'grader', 'data');
const manifest = labManifest.parse(YAML.parse(fs.readFileSync(path.join(LAB, 'lab.yaml'), 'utf8')));
const max = Object.fromEntries(manifest.checks.map((c) => [c.id, c.points]));
const MAX = maxPoints(manifest);

/*
 * promtool is in the grader image (Debian forky's promtool 3.5). Where the host has that version too, the tests
 * run it for real; elsewhere (no promtool, or Debian 12's 2.42) they replay what it answered for the very same
 * files and arguments, recorded in testdata/promtool-recordings.json. After changing the scenarios, the cases or the
 * generated test files, refresh the recordings with the grader image's promtool (Debian forky's promtool package,
 * 3.5.3: `apt-get download promtool/forky` and `dpkg-deb -x` it anywhere; PROMTOOL names the binary):
 *   PROMTOOL=/path/to/promtool UPDATE_PROMTOOL_RECORDINGS=1 npx vitest run --project unit labs/week07-prometheus-alerts
 */
const PROMTOOL = process.env.PROMTOOL ?? '/usr/bin/promtool';
const REC_FILE = path.join(LAB, 'grader', 'testdata', 'promtool-recordings.json');
/** The promtool the grader image has (grader/Dockerfile): only that version's answers are the grader's answers. */
const GRADER_PROMTOOL = /\bversion 3\.5\.\d+/;
const hostVersion = fs.existsSync(PROMTOOL) ? (spawnSync(PROMTOOL, ['--version'], { encoding: 'utf8' }).stdout ?? '') : '';
// Run it for real only where the host's promtool is the grader's version: Debian 12's own (2.42, installed on the
// host by the deploy-files check) refuses Prometheus 3 syntax the grader accepts, and would make these tests lie.
const REAL = GRADER_PROMTOOL.test(hostVersion) && process.env.PROMTOOL_REPLAY !== '1';
const recordings: Record<string, RunResult> = fs.existsSync(REC_FILE) ? JSON.parse(fs.readFileSync(REC_FILE, 'utf8')) : {};
const used: Record<string, RunResult> = {};
const keyOf = (args: string[], files: Record<string, string>) =>
  crypto
    .createHash('sha256')
    .update(JSON.stringify([args, Object.entries(files).sort(([a], [b]) => a.localeCompare(b))]))
    .digest('hex')
    .slice(0, 32);
const real = promtoolRunner(PROMTOOL);
const runner: Runner = async (args, files, timeoutMs) => {
  const key = keyOf(args, files);
  if (REAL) {
    const r = await real(args, files, Math.max(timeoutMs, 30_000));
    if (!r.timedOut) used[key] = r;
    return r;
  }
  const r = recordings[key];
  if (!r) throw new Error(`no recorded promtool answer for "promtool ${args.join(' ')}": refresh testdata/promtool-recordings.json where ${PROMTOOL} exists`);
  return r;
};
afterAll(() => {
  if (REAL && process.env.UPDATE_PROMTOOL_RECORDINGS === '1') {
    // Only what this run asked for: answers of an older promtool, or for files no test uses any more, are dropped.
    const sorted = Object.fromEntries(
      Object.keys(used)
        .sort()
        .map((k) => [k, used[k]!]),
    );
    fs.writeFileSync(REC_FILE, JSON.stringify(sorted, null, 1) + '\n');
  }
});

const config: GradeConfig = { runner, dataDir: DATA, budgetMs: 120_000 };
const T = 60_000;

function load(rel: string): Submission {
  const p = path.join(LAB, rel);
  if (fs.statSync(p).isDirectory())
    return new Submission(
      new Map(
        fs
          .readdirSync(p)
          .filter((f) => f !== 'expect.json')
          .map((f) => [f, fs.readFileSync(path.join(p, f))]),
      ),
    );
  return new Submission(new Map([['alerts.yml', fs.readFileSync(p)]]));
}
const sub = (files: Record<string, string | Buffer>) =>
  new Submission(new Map(Object.entries(files).map(([k, v]) => [k, Buffer.isBuffer(v) ? v : Buffer.from(v)])));
const total = (v: GraderVerdict) => Math.round(v.checks.reduce((s, c) => s + c.points, 0) * 100) / 100;
const failed = (v: GraderVerdict) =>
  v.checks
    .filter((c) => !c.passed)
    .map((c) => c.id)
    .sort();
const en = (m: unknown) => (typeof m === 'string' ? m : (m as { en: string }).en);
const check = (v: GraderVerdict, id: string) => v.checks.find((c) => c.id === id)!;
const solution = () => fs.readFileSync(path.join(LAB, 'solution', 'alerts.yml'), 'utf8');

async function notGradable(s: Submission, cfg: GradeConfig = config): Promise<{ ko: string; en: string }> {
  try {
    await grade(s, cfg);
  } catch (e) {
    if (e instanceof NotGradable) return e.msg as { ko: string; en: string };
    throw e;
  }
  throw new Error('expected NotGradable, got a verdict');
}

/** A promtool that rejects every file: for tests about the grader's own parsing, where promtool's verdict is beside the point. */
const rejecting: Runner = async () => ({ code: 1, stdout: 'Checking alerts.yml\n', stderr: '  FAILED:\nalerts.yml: something\n', timedOut: false });

describe('the manifest', () => {
  it('is valid and matches the grader', () => {
    expect(manifest.id).toBe('week07-prometheus-alerts');
    expect(manifest.week).toBe(7);
    expect(manifest.kind).toBe('static');
    expect(manifest.passRatio).toBe(0.7);
    expect(manifest.files.map((f) => [f.path, f.required, f.language])).toEqual([['alerts.yml', true, 'yaml']]);
    expect(manifest.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
    for (const c of manifest.checks) {
      expect(c.points).toBe(POINTS[c.id as keyof typeof POINTS]);
      expect(c.hint.ko.length > 40 && c.hint.en.length > 40).toBe(true);
    }
  });
});

describe('the hidden scenarios', () => {
  const scenarios = loadScenarios(DATA);
  it('have incidents for each alert and several healthy stretches', () => {
    expect(
      scenarios
        .filter((s) => s.kind === 'fires')
        .map((s) => s.alert)
        .sort(),
    ).toEqual(['HighErrorRate', 'HighLatencyP99', 'InstanceDown']);
    expect(scenarios.filter((s) => s.kind === 'quiet').length).toBeGreaterThanOrEqual(3);
    for (const s of scenarios) expect(s.input_series.length).toBeGreaterThan(40);
  });
  it('become promtool test files that read ALERTS next to alerts.yml', () => {
    const doc = YAML.parse(testFile(scenarios[0]!, 'alerts.yml', ['InstanceDown']));
    expect(doc.rule_files).toEqual(['alerts.yml']);
    expect(doc.tests[0].promql_expr_test[0].expr).toBe(firedExpr('InstanceDown', scenarios[0]!.minutes));
    expect(doc.tests[0].input_series).toEqual(scenarios[0]!.input_series);
  });
  it('are what make-data.mjs writes (the generator is the source of truth)', () => {
    const text = fs.readFileSync(path.join(DATA, 'normal-day.yml'), 'utf8');
    expect(text.startsWith('# Generated by make-data.mjs')).toBe(true);
  });
});

describe('promtool output', () => {
  it('reads failed expectations and evaluation errors', () => {
    const out = parseTestOutput({
      code: 1,
      timedOut: false,
      stdout: 'Unit Testing:  scenario.test.yml\n',
      stderr:
        '  FAILED:\n    expr: "max by (alertname) (max_over_time(ALERTS{alertname=\\"HighErrorRate\\",alertstate=\\"firing\\"}[61m]))", time: 1h,\n        exp: {alertname="HighErrorRate"} 1E+00\n        got: nil\n\n',
    });
    expect(out.success).toBe(false);
    expect([...out.failed.keys()]).toEqual(['HighErrorRate']);
    const ev = parseTestOutput({
      code: 1,
      timedOut: false,
      stdout: '',
      stderr:
        '  FAILED:\n    rule: HighErrorRate, time: 30s, err: found duplicate series for the match group {instance="a"} on the right hand-side of the operation: [{code="1"}, {code="2"}];many-to-many matching not allowed\n',
    });
    expect(ev.evalErrors).toEqual([
      {
        rule: 'HighErrorRate',
        time: '30s',
        err: 'found duplicate series for the match group {…} on the right hand-side of the operation: […]; many-to-many matching not allowed',
      },
    ]);
    expect(parseTestOutput({ code: 0, timedOut: false, stdout: 'Unit Testing:  x\n  SUCCESS\n', stderr: '' }).success).toBe(true);
    expect(stableError('a {x="1"} b [{y="2"}]')).toBe('a {…} b […]');
  });

  it("adds the rule's line where promtool only counts rules", () => {
    const rf = loadRuleFile(load('cases/broken-template'));
    const lines = promtoolLines(
      rf,
      'Checking alerts.yml\n  FAILED:\nalerts.yml: group "shop-alerts", rule 2, "HighErrorRate": annotation "description": template: x\n',
    );
    const line =
      solution()
        .split('\n')
        .findIndex((l) => l.includes('- alert: HighErrorRate')) + 1;
    expect(lines).toEqual([`alerts.yml: group "shop-alerts", rule 2, "HighErrorRate": annotation "description": template: x (alerts.yml:${line})`]);
  });
});

describe('PromQL analysis', () => {
  it('finds syntax errors and their offset', () => {
    expect(parsePromQL('sum(rate(http_requests_total[5m])').errorAt).toBe(33);
    expect(parsePromQL('rat(x[5m])').errorAt).toBe(3);
    expect(parsePromQL('up == 0').errorAt).toBeNull();
    expect(parsePromQL('  ').errorAt).not.toBeNull();
    expect(parsePromQL('up' + ' '.repeat(20_001)).errorAt).toBe(20_000); // too long to read
    expect(parsePromQL('('.repeat(30_000)).errorAt).not.toBeNull();
  });
  it('knows counters and where they may appear raw', () => {
    const p = parsePromQL('sum(http_requests_total) / sum(rate(http_requests_total[5m])) + delta(x_sum[5m]) + absent(y_count) + count(z_bucket) + up');
    const raw = p.selectors.filter((s) => isCounter(s.name) && !counterUseOk(s)).map((s) => `${s.name}:${s.fn}`);
    expect(raw).toEqual(['http_requests_total:null', 'x_sum:delta']);
    expect(isCounter('job:http_requests_total:rate5m')).toBe(false);
  });
  it('reads ranges, aggregations and quantiles', () => {
    const p = parsePromQL('histogram_quantile((0.99), sum by (job, le) (rate(x_bucket{job="shop"}[300s] offset 1m)))');
    expect(p.selectors[0]).toMatchObject({
      name: 'x_bucket',
      fn: 'rate',
      rangeSec: 300,
      quantiles: [0.99],
      aggs: [{ op: 'sum', by: ['job', 'le'], without: null }],
    });
    expect(p.selectors[0]!.matchers).toEqual([{ label: 'job', op: '=', value: 'shop' }]);
  });
  it('tells which code matchers select the 5xx', () => {
    const ok = ['5..', '5.*', '5[0-9]{2}', '5\\d\\d', '50[0-9]|5[1-9][0-9]'];
    for (const v of ok) expect(selects5xx({ label: 'code', op: '=~', value: v }), v).toBe(true);
    expect(selects5xx({ label: 'code', op: '!~', value: '[1-4]..' })).toBe(true);
    for (const v of ['500', '[45]..', '.*', '5xx', '(']) expect(selects5xx({ label: 'code', op: v === '500' ? '=' : '=~', value: v }), v).toBe(false);
    expect(selects5xx({ label: 'status', op: '=~', value: '5..' })).toBe(false);
  });
  it('parses Prometheus durations', () => {
    expect(parseDuration('1m')).toBe(60);
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('90')).toBe(90);
    expect(parseDuration('500ms')).toBe(0.5);
    expect(parseDuration('5 minutes')).toBeNull();
    expect(parseDuration('')).toBeNull();
  });
  it('maps an offset in an expression to the file, for every kind of YAML scalar', () => {
    const text =
      'groups:\n  - name: g\n    rules:\n      - record: a\n        expr: |\n          sum(\n            foo bar)\n      - record: b\n        expr: >\n          sum(\n          foo bar)\n      - record: c\n        expr: "sum(foo bar)"\n      - record: d\n        expr: sum(foo\n          bar)\n';
    const rf = loadRuleFile(sub({ 'alerts.yml': text }));
    const got = rf.rules.map((r) => rf.exprPos(r.expr!, r.expr!.text.indexOf('bar')));
    expect(got).toEqual([
      { line: 7, col: 17 },
      { line: 11, col: 15 },
      { line: 13, col: 24 },
      { line: 16, col: 11 },
    ]);
    expect(exprOffsetInFile(text, rf.rules[0]!.expr!, 0)).toBe(text.indexOf('sum('));
  });
  it('reads YAML merge keys as Prometheus does', () => {
    const text =
      'groups:\n  - name: g\n    rules:\n      - &base\n        alert: A\n        expr: up == 0\n        for: 1m\n        labels: { severity: critical }\n        annotations: { summary: s, description: d }\n      - <<: *base\n        alert: B\n        expr: up == 2\n';
    const rf = loadRuleFile(sub({ 'alerts.yml': text }));
    expect(rf.rules.map((r) => [r.name, r.expr?.text, r.forText, r.labels?.get('severity'), r.annotations?.get('description'), r.line])).toEqual([
      ['A', 'up == 0', '1m', 'critical', 'd', 5],
      ['B', 'up == 2', '1m', 'critical', 'd', 10],
    ]);
  });
  it('removes rules by name and keeps the rest of the file', () => {
    const out = removeRules(solution(), new Set(['HighErrorRate']))!;
    const rf = loadRuleFile(sub({ 'alerts.yml': out }));
    expect(rf.rules.map((r) => r.name)).toEqual(['job_code:http_requests:rate5m', 'InstanceDown', 'HighLatencyP99']);
  });
});

describe('week07 grader', () => {
  it(
    "the solution gets full marks, as a valid grader output in the manifest's order",
    async () => {
      const v = await grade(load('solution'), config);
      expect(() => graderOutput.parse(v)).not.toThrow();
      expect(v.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
      expect(v.checks.filter((c) => !c.passed).map((c) => `${c.id}: ${en(c.message)}`)).toEqual([]);
      for (const c of v.checks) expect(c.points).toBe(max[c.id]);
      expect(total(v)).toBe(MAX);
    },
    T,
  );

  const valid = fs.readdirSync(path.join(LAB, 'grader', 'testdata')).filter((f) => f.startsWith('valid-'));
  it.each(valid)(
    'the valid variant %s gets full marks too',
    async (f) => {
      const v = await grade(load(`grader/testdata/${f}`), config);
      expect(v.checks.filter((c) => !c.passed).map((c) => `${c.id}: ${en(c.message)}`)).toEqual([]);
      expect(total(v)).toBe(MAX);
    },
    T,
  );

  const cases = fs.readdirSync(path.join(LAB, 'cases'));
  it('has at least 5 known-wrong cases', () => expect(cases.length).toBeGreaterThanOrEqual(5));
  it.each(cases)(
    'case %s fails exactly its expected checks, saying what and where',
    async (c) => {
      const expected = readCase(path.join(LAB, 'cases', c)).expect.fail;
      expect(expected.length).toBeGreaterThan(0);
      for (const id of expected) expect(CHECK_IDS as readonly string[]).toContain(id);
      const v = await grade(new Submission(new Map(readCase(path.join(LAB, 'cases', c)).files.map((f) => [f.path, f.content]))), config);
      expect(failed(v)).toEqual([...expected].sort());
      for (const f of v.checks.filter((x) => !x.passed)) {
        const msg = f.message as { ko: string; en: string };
        expect(typeof msg).toBe('object');
        expect(msg.ko.length).toBeGreaterThan(10);
        expect(msg.en.length).toBeGreaterThan(10);
        expect(msg.en).toMatch(/alerts\.yml(:\d+)?/);
        expect(msg.ko).toMatch(/alerts\.yml(:\d+)?/);
        expect(f.points).toBeGreaterThanOrEqual(0);
        expect(f.points).toBeLessThan(max[f.id]!);
      }
      for (const p of v.checks.filter((x) => x.passed)) expect(p.points).toBe(max[p.id]);
      expect(total(v)).toBeLessThan(MAX);
    },
    T,
  );

  const variants = fs.readdirSync(path.join(LAB, 'variants'));
  it('has at least 5 variants in other styles', () => expect(variants.length).toBeGreaterThanOrEqual(5));
  it.each(variants)(
    'variant %s gets full marks',
    async (name) => {
      const v = await grade(new Submission(new Map(readVariant(path.join(LAB, 'variants', name)).files.map((f) => [f.path, f.content]))), config);
      expect(v.checks.filter((c) => !c.passed).map((c) => `${c.id}: ${en(c.message)}`)).toEqual([]);
      expect(total(v)).toBe(MAX);
    },
    T,
  );

  it(
    'accepts current Prometheus 3 rule syntax: group labels (a group severity counts), query_offset, keep_firing_for, quoted UTF-8 names',
    async () => {
      const text = fs.readFileSync(path.join(LAB, 'variants', 'prometheus3-group-labels', 'alerts.yml'), 'utf8');
      for (const feature of ['query_offset:', 'keep_firing_for:', '    labels:\n      severity:', '{"up", job="shop"}', '"code"=~'])
        expect(text).toContain(feature);
      const v = await grade(sub({ 'alerts.yml': text }), config);
      expect(check(v, 'promtool-check').passed).toBe(true);
      expect(check(v, 'labels-annotations').passed).toBe(true);
      expect(failed(v)).toEqual([]);
    },
    T,
  );

  it('states the promtool version in both instructions', () => {
    for (const lang of ['ko', 'en']) expect(fs.readFileSync(path.join(LAB, `instructions.${lang}.md`), 'utf8')).toContain('promtool 3.5.3');
    expect(fs.readFileSync(path.join(LAB, 'grader', 'Dockerfile'), 'utf8')).toMatch(/promtool\/forky/);
  });

  it(
    'the starter stays below the pass mark',
    async () => {
      const v = await grade(load('starter'), config);
      expect(total(v)).toBeLessThan(manifest.passRatio * MAX);
      expect(total(v)).toBeGreaterThan(0);
    },
    T,
  );

  it(
    'is deterministic',
    async () => {
      for (const d of ['solution', 'cases/many-to-many-matching', 'cases/no-for-flapping']) {
        const a = JSON.stringify(await grade(load(d), config));
        const b = JSON.stringify(await grade(load(d), config));
        expect(a).toBe(b);
      }
    },
    3 * T,
  );

  it(
    "reports promtool's message with its line numbers",
    async () => {
      const v = await grade(load('cases/unclosed-paren'), config);
      expect(en(check(v, 'promtool-check').message)).toMatch(
        /alerts\.yml: 22:15: group "shop-alerts", rule 2, "HighErrorRate": could not parse expression: .*unclosed left parenthesis/,
      );
      expect(en(check(v, 'promql').message)).toMatch(/^alerts\.yml:26:\d+: PromQL syntax error in alert HighErrorRate/);
      expect(en(check(v, 'fires').message)).toMatch(/did not run/);
    },
    T,
  );

  it(
    'points a syntax error at its line and column',
    async () => {
      const text = solution().replace('sum by (job, le) (rate(', 'sum by (job, le) (rat(');
      const v = await grade(sub({ 'alerts.yml': text }), config);
      const line = text.split('\n').findIndex((l) => l.includes('(rat(')) + 1;
      const col = text.split('\n')[line - 1]!.indexOf('rat(') + 4;
      expect(en(check(v, 'promql').message)).toContain(`alerts.yml:${line}:${col}: PromQL syntax error in alert HighLatencyP99, near "(http_request_duration`);
      expect(check(v, 'promql').points).toBeGreaterThan(0); // the other expressions are fine: partial credit
    },
    T,
  );

  it(
    'gives partial credit per hidden scenario',
    async () => {
      const v = await grade(load('cases/no-for-flapping'), config);
      const quiet = check(v, 'quiet');
      // error-blip, latency-blip and restart-blip each have one of the three alerts firing; normal-day none.
      expect(quiet.points).toBe(2.25);
      expect(en(quiet.message)).toMatch(/Hidden scenario "restart-blip" .*InstanceDown \(alerts\.yml:4\): fired/);
      const m2m = await grade(load('cases/many-to-many-matching'), config);
      // HighErrorRate cannot be evaluated; the other two alerts are still judged on every scenario.
      expect(check(m2m, 'fires').points).toBe(2);
      expect(check(m2m, 'quiet').points).toBe(2);
      expect(en(check(m2m, 'fires').message)).toMatch(/could not evaluate rule HighErrorRate at 30s: found duplicate series/);
    },
    2 * T,
  );

  it(
    'an always-firing alert passes the incidents but not the healthy data',
    async () => {
      const text = solution().replace('expr: up{job="shop"} == 0', 'expr: up{job="shop"} >= 0');
      const v = await grade(sub({ 'alerts.yml': text }), config);
      expect(failed(v)).toEqual(['quiet']);
      expect(check(v, 'quiet').points).toBe(2);
    },
    T,
  );

  it(
    'a recording rule may not write ALERTS',
    async () => {
      const text = solution().replace(
        '  - name: shop-alerts\n',
        '  - name: spoof\n    rules:\n      - record: ALERTS\n        expr: vector(1)\n        labels:\n          alertname: HighErrorRate\n          alertstate: firing\n  - name: shop-alerts\n',
      );
      const v = await grade(sub({ 'alerts.yml': text }), config);
      expect(failed(v)).toEqual(['fires', 'quiet']);
      expect(en(check(v, 'fires').message)).toMatch(/alerts\.yml:\d+: ALERTS is where Prometheus records alert states/);
    },
    T,
  );

  it(
    'names an alert whose name differs only in case',
    async () => {
      const text = solution().replace('alert: HighLatencyP99', 'alert: HighLatencyp99');
      const v = await grade(sub({ 'alerts.yml': text }), config);
      expect(en(check(v, 'required-alerts').message)).toMatch(/no alert named HighLatencyP99 \(HighLatencyp99 at alerts\.yml:\d+ differs in case\)/);
      expect(en(check(v, 'fires').message)).toMatch(/there is no HighLatencyP99 alert/);
    },
    T,
  );
});

describe("promtool failures that are not the learner's", () => {
  it('a missing promtool is a grader error, not a score', async () => {
    const cfg = { ...config, runner: promtoolRunner('/nonexistent/promtool') };
    await expect(grade(load('solution'), cfg)).rejects.toThrow(/promtool is not available/);
  });
  it('a promtool that runs out of time fails the check with a message', async () => {
    const slow: Runner = async () => ({ code: null, stdout: '', stderr: '', timedOut: true });
    const v = await grade(load('solution'), { ...config, runner: slow });
    expect(failed(v)).toEqual(['fires', 'promtool-check', 'quiet']);
    expect(en(check(v, 'promtool-check').message)).toMatch(/did not finish/);
  });
  it('a scenario past the time budget fails with a message instead of hanging', async () => {
    let n = 0;
    const slowTests: Runner = async (args) => {
      if (args[0] === 'check') return { code: 0, stdout: 'SUCCESS', stderr: '', timedOut: false };
      n++;
      return { code: null, stdout: '', stderr: '', timedOut: true };
    };
    const v = await grade(load('solution'), { ...config, runner: slowTests, budgetMs: 60_000 });
    expect(failed(v)).toEqual(['fires', 'quiet']);
    expect(en(check(v, 'fires').message)).toMatch(/could not evaluate the rules within/);
    expect(n).toBe(loadScenarios(DATA).length);
  });
});

describe('submissions that cannot be graded', () => {
  const cfg = { ...config, runner: rejecting };
  it('a missing, empty or blank alerts.yml', async () => {
    expect((await notGradable(sub({ 'rules.yml': 'groups: []\n' }), cfg)).en).toMatch(/alerts\.yml is missing/);
    expect((await notGradable(sub({ 'alerts.yml': '' }), cfg)).en).toMatch(/alerts\.yml is empty/);
    expect((await notGradable(sub({ 'alerts.yml': ' \n\t\n' }), cfg)).en).toMatch(/alerts\.yml is empty/);
  });
  it('invalid UTF-8 or NUL bytes', async () => {
    expect((await notGradable(sub({ 'alerts.yml': Buffer.from([0x67, 0xff, 0xfe]) }), cfg)).en).toMatch(/not UTF-8/);
    expect((await notGradable(sub({ 'alerts.yml': 'groups:\n  - name: a\0\n' }), cfg)).en).toMatch(/line 2 contains a NUL/);
  });
  it('invalid YAML, with the line', async () => {
    const msg = await notGradable(sub({ 'alerts.yml': 'groups:\n  - name: shop\n    rules:\n      - alert: X\n        expr: "up == 0\n' }), cfg);
    expect(msg.en).toMatch(/^alerts\.yml:\d+: not valid YAML/);
    expect(msg.ko).toMatch(/alerts\.yml:\d+/);
    expect((await notGradable(sub({ 'alerts.yml': 'groups:\n  - name: a\n    name: b\n' }), cfg)).en).toMatch(/alerts\.yml:3: not valid YAML/);
    expect((await notGradable(sub({ 'alerts.yml': 'groups: []\n---\ngroups: []\n' }), cfg)).en).toMatch(/not valid YAML/);
  });
  it('YAML that is not a rule file', async () => {
    for (const text of ['rule_files:\n  - alerts.yml\nscrape_configs: []\n', '- alert: X\n  expr: up == 0\n', 'groups: 3\n', 'just text\n']) {
      expect((await notGradable(sub({ 'alerts.yml': text }), cfg)).en).toMatch(/not a Prometheus rule file/);
    }
  });
  it('a rule file with no rules is graded, not refused', async () => {
    const v = await grade(sub({ 'alerts.yml': 'groups: []\n' }), {
      ...config,
      runner: async () => ({ code: 0, stdout: 'SUCCESS: 0 rules found', stderr: '', timedOut: false }),
    });
    expect(v.gradable).toBe(true);
    expect(total(v)).toBe(2); // promtool accepts it; nothing else can pass
  });
});

describe('hostile input', () => {
  const cfg = { ...config, runner: rejecting };
  const outcome = (s: Submission) =>
    grade(s, cfg).then(
      (v) => (v.gradable ? 'graded' : 'not-gradable'),
      (e) => (e instanceof NotGradable ? 'not-gradable' : e),
    );

  it('a YAML alias bomb is refused', async () => {
    const bomb =
      'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ngroups: [*f]\n';
    expect((await notGradable(sub({ 'alerts.yml': bomb }), cfg)).en).toMatch(/YAML bomb|alias/i);
  });

  it.each([
    ['10000 nested flow sequences', 'groups: ' + '['.repeat(10_000) + ']'.repeat(10_000) + '\n'],
    ['10000 nested block mappings', 'groups:\n' + Array.from({ length: 2000 }, (_, i) => ' '.repeat(i + 2) + 'a:').join('\n') + ' 1\n'],
  ])('%s: refused, no crash', async (_, text) => {
    expect(await outcome(sub({ 'alerts.yml': text }))).toBe('not-gradable');
  });

  it('huge and deeply nested expressions are graded, not crashed on', async () => {
    const rule = (expr: string) => `groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: '${expr}'\n`;
    for (const expr of [
      '('.repeat(9000) + 'up' + ')'.repeat(9000),
      'up' + ' + up'.repeat(3000),
      '-'.repeat(19_000) + '1',
      'sum(' + 'x_total{a="b"},'.repeat(1200) + ')',
      'sum('.repeat(2000) + 'x_total + x_total' + ')'.repeat(2000),
      '('.repeat(30_000),
    ]) {
      const t = Date.now();
      expect(await outcome(sub({ 'alerts.yml': rule(expr) }))).toBe('graded');
      expect(Date.now() - t).toBeLessThan(5000);
    }
  });

  it('thousands of rules stay fast and the messages stay bounded', async () => {
    const rules = Array.from({ length: 1000 }, (_, i) => `      - alert: A${i}\n        expr: http_requests_total > ${i}\n`).join('');
    const text = `groups:\n  - name: g\n    rules:\n${rules}`;
    expect(text.length).toBeLessThan(65536);
    const t = Date.now();
    const v = await grade(sub({ 'alerts.yml': text }), cfg);
    expect(Date.now() - t).toBeLessThan(5000);
    expect(JSON.stringify(v).length).toBeLessThan(1024 * 1024);
    expect(check(v, 'promql').points).toBe(0);
  });

  it('recording rules that read each other in a cycle are answered', async () => {
    const text =
      'groups:\n  - name: g\n    rules:\n      - record: a:x\n        expr: b:x\n      - record: b:x\n        expr: a:x\n      - alert: HighErrorRate\n        expr: a:x > 0.05\n        for: 5m\n';
    expect(await outcome(sub({ 'alerts.yml': text }))).toBe('graded');
  });

  it('prototype keys do not pollute', async () => {
    const text =
      'groups:\n  - name: __proto__\n    rules:\n      - alert: constructor\n        expr: up == 0\n        labels:\n          __proto__: x\n          severity: critical\n        annotations: { toString: a, summary: s, description: d }\n';
    expect(await outcome(sub({ 'alerts.yml': text }))).toBe('graded');
    expect(({} as Record<string, unknown>).severity).toBeUndefined();
  });
});

/** A promtool that accepts every file and every test: for the static checks, where the hidden scenarios are beside the point. */
const accepting: Runner = async (args) => ({
  code: 0,
  stdout: args[0] === 'check' ? 'SUCCESS: 4 rules found\n' : 'Unit Testing:  scenario.test.yml\n  SUCCESS\n',
  stderr: '',
  timedOut: false,
});

describe('equivalent forms of the three alerts (static checks)', () => {
  const rule = (name: string, expr: string, forText: string) =>
    `      - alert: ${name}\n        expr: '${expr.replace(/'/g, "''")}'\n        for: ${forText}\n        labels: { severity: critical }\n        annotations: { summary: s, description: d }\n`;
  const file = (err: string, lat: string, down = 'up{job="shop"} == 0', fors = ['1m', '5m', '10m']) =>
    `groups:\n  - name: g\n    rules:\n${rule('InstanceDown', down, fors[0]!)}${rule('HighErrorRate', err, fors[1]!)}${rule('HighLatencyP99', lat, fors[2]!)}`;
  const LAT = 'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 0.5';
  const ERR = 'sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > 0.05';
  const requiredOf = async (text: string) => check(await grade(sub({ 'alerts.yml': text }), { ...config, runner: accepting }), 'required-alerts');

  it.each([
    ['the plain ratio', ERR],
    ['percent', 'sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) * 100 > 5'],
    ['5/100 on the right', 'sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > 5/100'],
    ['1 - success ratio', '1 - sum(rate(http_requests_total{code!~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > 0.05'],
    ['a raw-string 5\\d\\d', 'sum(rate(http_requests_total{code=~`5\\d\\d`}[5m])) / sum(rate(http_requests_total[5m])) > 0.05'],
    ['increase()', 'sum(increase(http_requests_total{code=~"5.."}[5m])) / sum(increase(http_requests_total[5m])) > 0.05'],
    ['300s window', 'sum(rate(http_requests_total{code=~"5.."}[300s])) / sum(rate(http_requests_total[300s])) > 0.05'],
    ['sum by (job) with on(job)', 'sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) / on(job) sum by (job) (rate(http_requests_total[5m])) > 0.05'],
    [
      'sum without (instance, code)',
      'sum without (instance, code) (rate(http_requests_total{code=~"5.."}[5m])) / sum without (instance, code) (rate(http_requests_total[5m])) > 0.05',
    ],
  ])('error rate as %s is accepted', async (_, expr) => {
    expect((await requiredOf(file(expr, LAT))).passed).toBe(true);
  });

  it.each([
    ['irate', 'sum(irate(http_requests_total{code=~"5.."}[5m])) / sum(irate(http_requests_total[5m])) > 0.05', /irate\(\) looks only at the last two samples/],
    ['a 1m window', 'sum(rate(http_requests_total{code=~"5.."}[1m])) / sum(rate(http_requests_total[1m])) > 0.05', /5-minute window/],
    ['no sum', 'rate(http_requests_total{code=~"5.."}[5m]) / ignoring(code) group_left rate(http_requests_total[5m]) > 0.05', /does not add up/],
    ['4xx counted', 'sum(rate(http_requests_total{code=~"[45].."}[5m])) / sum(rate(http_requests_total[5m])) > 0.05', /does not split the 5xx codes/],
    ['1 - 2xx ratio', '1 - sum(rate(http_requests_total{code=~"2.."}[5m])) / sum(rate(http_requests_total[5m])) > 0.05', /does not split the 5xx codes/],
    ['no code matcher', 'sum(rate(http_requests_total[5m])) > 0.05', /nothing picks the 5xx responses/],
  ])('error rate with %s is refused, saying why', async (_, expr, why) => {
    const c = await requiredOf(file(expr, LAT));
    expect(c.passed).toBe(false);
    expect(en(c.message)).toMatch(why);
  });

  it.each([
    ['sum by (le)', LAT],
    ['sum(...) by (le) after the body', 'histogram_quantile(0.99, sum(rate(http_request_duration_seconds_bucket[5m])) by (le)) > 0.5'],
    ['sum by (job, le)', 'histogram_quantile(0.99, sum by (job, le) (rate(http_request_duration_seconds_bucket{job="shop"}[5m]))) > 0.5'],
    ['sum without (instance)', 'histogram_quantile(0.99, sum without (instance) (rate(http_request_duration_seconds_bucket[5m]))) > 0.5'],
    ['increase()', 'histogram_quantile(0.99, sum by (le) (increase(http_request_duration_seconds_bucket[5m]))) > 0.5'],
    ['500ms as 0.5 on the left', '0.5 < histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))'],
  ])('latency as %s is accepted', async (_, expr) => {
    expect((await requiredOf(file(ERR, expr))).passed).toBe(true);
  });

  it.each([
    [
      'per instance (no sum)',
      'histogram_quantile(0.99, rate(http_request_duration_seconds_bucket[5m])) > 0.5',
      /does not sum the per-instance buckets while keeping le/,
    ],
    ['le dropped', 'histogram_quantile(0.99, sum by (job) (rate(http_request_duration_seconds_bucket[5m]))) > 0.5', /keeping le/],
    ['p95', 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 0.5', /99th percentile/],
  ])('latency %s is refused, saying why', async (_, expr, why) => {
    const c = await requiredOf(file(ERR, expr));
    expect(c.passed).toBe(false);
    expect(en(c.message)).toMatch(why);
  });

  it('reads for: in any spelling of the same duration, and names a different one', async () => {
    expect((await requiredOf(file(ERR, LAT, 'up{job="shop"} == 0', ['60s', '300s', '600s']))).passed).toBe(true);
    expect((await requiredOf(file(ERR, LAT, 'up{job="shop"} == 0', ['1m', '5m', '0h10m']))).passed).toBe(true);
    expect(en((await requiredOf(file(ERR, LAT, 'up{job="shop"} == 0', ['1m', '5m', '2m']))).message)).toMatch(
      /for is 2m at alerts\.yml:\d+ \(it should be 10m\)/,
    );
  });

  it('counts a severity set on the rule group (Prometheus 3 group labels)', async () => {
    const text =
      'groups:\n  - name: g\n    labels:\n      severity: critical\n    rules:\n      - alert: InstanceDown\n        expr: up == 0\n        for: 1m\n        annotations: { summary: s, description: d }\n';
    expect(check(await grade(sub({ 'alerts.yml': text }), { ...config, runner: accepting }), 'labels-annotations').passed).toBe(true);
    const without = text.replace('    labels:\n      severity: critical\n', '');
    expect(en(check(await grade(sub({ 'alerts.yml': without }), { ...config, runner: accepting }), 'labels-annotations').message)).toMatch(
      /has no labels\.severity/,
    );
  });

  it.each([
    ['=~"5.."', '=~', '5..', '5xx'],
    ['=~"5\\d\\d"', '=~', '5\\d\\d', '5xx'],
    ['=~"5[0-9]{2}"', '=~', '5[0-9]{2}', '5xx'],
    ['=~"5.*"', '=~', '5.*', '5xx'],
    ['!~"5.."', '!~', '5..', 'not-5xx'],
    ['=~"[1-4].."', '=~', '[1-4]..', 'not-5xx'],
    ['=~"2..|3..|4.."', '=~', '2..|3..|4..', 'not-5xx'],
    ['="500"', '=', '500', null],
    ['=~"[45].."', '=~', '[45]..', null],
    ['=~"2.."', '=~', '2..', null],
    ['=~"50[0-4]"', '=~', '50[0-4]', null],
  ])('code%s splits as %s', (_, op, value, want) => {
    expect(codeSplit({ label: 'code', op: op as '=~', value })).toBe(want);
  });
});
