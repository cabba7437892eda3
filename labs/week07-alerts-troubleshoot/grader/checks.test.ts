import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { NotGradable, Submission, type GraderVerdict } from '../../../grader-kit/index';
import { labManifest, maxPoints } from '../../../lib/labs/manifest';
import { labSubmissionDirs, loadLab, readCase, readVariant } from '../../../lib/labs/registry';
import { graderOutput } from '../../../lib/grading/result';
import { loadRuleFile } from '../../../grader-kit/prom-rules';
import { loadScenarios, promtoolRunner, type RunResult, type Runner } from '../../../grader-kit/promtool';
import { ALERTS, CHECK_IDS, grade, Model, POINTS, RULE_FILE, seriesShapes, type GradeConfig } from './checks';

const LAB = path.resolve(import.meta.dirname, '..');
const DATA = path.join(LAB, 'grader', 'data');
const lab = loadLab(LAB);
const manifest = labManifest.parse(YAML.parse(fs.readFileSync(path.join(LAB, 'lab.yaml'), 'utf8')));
const MAX = maxPoints(manifest);

/*
 * promtool is in the grader image (Debian forky's promtool 3.5, grader/Dockerfile). Where the host has that version,
 * the tests run it for real; elsewhere (no promtool, or Debian 12's 2.42) they replay what it answered for the very
 * same files and arguments, recorded in testdata/promtool-recordings.json. After changing the scenarios, the rule
 * files or the generated test files, refresh the recordings with the grader image's promtool (PROMTOOL names it; it
 * can be copied out of the lms-grader-week07-* image with docker create + docker cp):
 *   PROMTOOL=/path/to/promtool UPDATE_PROMTOOL_RECORDINGS=1 npx vitest run --project unit labs/week07-alerts-troubleshoot
 */
const PROMTOOL = process.env.PROMTOOL ?? '/usr/bin/promtool';
const REC_FILE = path.join(LAB, 'grader', 'testdata', 'promtool-recordings.json');
const hostVersion = fs.existsSync(PROMTOOL) ? (spawnSync(PROMTOOL, ['--version'], { encoding: 'utf8' }).stdout ?? '') : '';
const REAL = /\bversion 3\.5\.\d+/.test(hostVersion) && process.env.PROMTOOL_REPLAY !== '1';
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
  if (!r)
    throw new Error(
      `no recorded promtool answer for "promtool ${args.join(' ')}": refresh testdata/promtool-recordings.json where ${PROMTOOL} is promtool 3.5`,
    );
  return r;
};
afterAll(() => {
  if (REAL && process.env.UPDATE_PROMTOOL_RECORDINGS === '1') {
    fs.mkdirSync(path.dirname(REC_FILE), { recursive: true });
    const sorted = Object.fromEntries(
      Object.keys(used)
        .sort()
        .map((k) => [k, used[k]!]),
    );
    fs.writeFileSync(REC_FILE, JSON.stringify(sorted, null, 1) + '\n');
  }
});

const config: GradeConfig = { runner, dataDir: DATA, budgetMs: 300_000, runTimeoutMs: 60_000 };
const T = 120_000;
const SOLUTION = fs.readFileSync(path.join(LAB, 'solution', RULE_FILE), 'utf8');
const STARTER = fs.readFileSync(path.join(LAB, 'starter', RULE_FILE), 'utf8');
const sub = (files: Record<string, string | Buffer>) =>
  new Submission(new Map(Object.entries(files).map(([k, v]) => [k, Buffer.isBuffer(v) ? v : Buffer.from(v)])));
const rules = (text: string) => sub({ [RULE_FILE]: text });
const failed = (v: GraderVerdict) =>
  v.checks
    .filter((c) => !c.passed)
    .map((c) => c.id)
    .sort();
const score = (v: GraderVerdict) => Math.round(v.checks.reduce((s, c) => s + c.points, 0) * 100) / 100;
const en = (v: GraderVerdict, id: string) => {
  const m = v.checks.find((c) => c.id === id)?.message;
  return typeof m === 'string' ? m : (m?.en ?? '');
};
const ko = (v: GraderVerdict, id: string) => {
  const m = v.checks.find((c) => c.id === id)?.message;
  return typeof m === 'string' ? m : (m?.ko ?? '');
};
function edit(from: string, to: string, text = SOLUTION): string {
  expect(text).toContain(from);
  return text.replace(from, to);
}
async function notGradable(s: Submission): Promise<string> {
  try {
    await grade(s, config);
  } catch (e) {
    if (e instanceof NotGradable) return typeof e.msg === 'string' ? e.msg : e.msg.en;
    throw e;
  }
  throw new Error('graded');
}

describe('the lab folder', () => {
  it(
    'the reference solution gets full marks, with the checks of the manifest in its order',
    async () => {
      const v = await grade(rules(SOLUTION), config);
      expect(failed(v)).toEqual([]);
      expect(score(v)).toBe(MAX);
      expect(graderOutput.safeParse(v).success).toBe(true);
      expect(v.checks.map((c) => c.id)).toEqual(manifest.checks.map((c) => c.id));
      expect([...CHECK_IDS]).toEqual(manifest.checks.map((c) => c.id));
      for (const c of manifest.checks) expect(POINTS[c.id as keyof typeof POINTS]).toBe(c.points);
    },
    T,
  );

  it(
    'the starter fails exactly the five broken alerts, below the pass mark, and each message names the cause',
    async () => {
      const v = await grade(rules(STARTER), config);
      expect(failed(v)).toEqual(['absent', 'backlog', 'checkout-failures', 'error-ratio', 'latency']);
      expect(score(v) / MAX).toBeLessThan(manifest.passRatio);
      expect(en(v, 'error-ratio')).toMatch(/never fired.*aggregates down to job, so no series of it has a service label/);
      expect(en(v, 'checkout-failures')).toMatch(/http_requests_total has no status label \(its labels: code,/);
      expect(en(v, 'latency')).toMatch(/for: 30m \(shop-rules\.yml:61\)/);
      expect(en(v, 'backlog')).toMatch(/On healthy data: ShopOrderBacklog .*"normal-day".*fired.*checkout_orders_pending is a gauge/);
      expect(en(v, 'absent')).toMatch(/no series has job="checkout" \(its values: shop\)/);
      expect(ko(v, 'absent')).toMatch(/울렸습니다/);
    },
    T,
  );

  it(
    'every case fails exactly the checks its expect.json names',
    async () => {
      const dirs = labSubmissionDirs(lab, 'cases');
      expect(dirs.length).toBeGreaterThanOrEqual(5);
      for (const d of dirs) {
        const c = readCase(d);
        const v = await grade(new Submission(new Map(c.files.map((f) => [f.path, f.content]))), config);
        expect(failed(v), path.basename(d)).toEqual([...c.expect.fail].sort());
      }
    },
    T * 4,
  );

  it(
    'every variant (another valid repair) gets full marks',
    async () => {
      const dirs = labSubmissionDirs(lab, 'variants');
      expect(dirs.length).toBeGreaterThanOrEqual(5);
      for (const d of dirs) {
        const v = await grade(new Submission(new Map(readVariant(d).files.map((f) => [f.path, f.content]))), config);
        expect(failed(v), path.basename(d)).toEqual([]);
      }
    },
    T * 3,
  );

  it(
    "the team's own tests pass on the solution and show the symptoms of the instructions on the starter",
    async () => {
      const tests = fs.readFileSync(path.join(LAB, 'starter', 'shop-rules_test.yml'), 'utf8');
      expect(fs.readFileSync(path.join(LAB, 'solution', 'shop-rules_test.yml'), 'utf8')).toBe(tests);
      const ok = await runner(['test', 'rules', 'shop-rules_test.yml'], { [RULE_FILE]: SOLUTION, 'shop-rules_test.yml': tests }, 30_000);
      expect(ok.code).toBe(0);
      const bad = await runner(['test', 'rules', 'shop-rules_test.yml'], { [RULE_FILE]: STARTER, 'shop-rules_test.yml': tests }, 30_000);
      expect(bad.code).not.toBe(0);
      const text = `${bad.stdout}\n${bad.stderr}`;
      for (const a of ['ShopErrorRatioHigh', 'ShopCheckoutFailing', 'ShopLatencyHigh', 'ShopOrderBacklog'])
        expect(text).toMatch(new RegExp(`alertname: ${a}, time: \\d+m, \\n\\s+exp:\\[[\\s\\S]*?got:\\[\\]`));
      expect(text).toContain('Labels:{alertname="ShopMetricsAbsent", job="checkout", severity="critical"}');
      // The instructions quote this output.
      const instr = fs.readFileSync(path.join(LAB, 'instructions.en.md'), 'utf8');
      expect(instr).toContain('Labels:{alertname="ShopMetricsAbsent", job="checkout", severity="critical"}');
    },
    T,
  );
});

describe('fixes and non-fixes', () => {
  const good: [string, string][] = [
    [
      'the error ratio without any matcher',
      edit('expr: job:http_requests_errors:ratio_rate5m{job="shop"} > 0.02', 'expr: job:http_requests_errors:ratio_rate5m > 0.02'),
    ],
    ['absent of a successful scrape written with bool', edit('expr: absent(up{job="shop"} == 1)', 'expr: absent(up{job="shop"} == bool 1 == 1)')],
    [
      'the backlog by max_over_time',
      edit(
        'expr: sum by (job) (checkout_orders_pending{job="shop"}) > 100',
        'expr: sum by (job) (max_over_time(checkout_orders_pending{job="shop"}[2m])) > 100',
      ),
    ],
    [
      'latency with for: 15m',
      edit(
        '        for: 10m\n        labels:\n          severity: warning\n        annotations:\n          summary: "{{ $labels.job }}: p99',
        '        for: 15m\n        labels:\n          severity: warning\n        annotations:\n          summary: "{{ $labels.job }}: p99',
      ),
    ],
  ];
  for (const [name, text] of good) {
    it(
      `passes: ${name}`,
      async () => {
        const v = await grade(rules(text), config);
        expect(failed(v)).toEqual([]);
      },
      T,
    );
  }
  const bad: [string, string, string[], RegExp][] = [
    [
      'status on the error ratio too',
      edit('expr: job:http_requests_errors:ratio_rate5m{job="shop"} > 0.02', 'expr: job:http_requests_errors:ratio_rate5m{job="shop", status="5xx"} > 0.02'),
      ['error-ratio'],
      /no series of it has a status label/,
    ],
    [
      'rate() over the gauge, with a threshold high enough to stay quiet',
      edit('expr: sum by (job) (checkout_orders_pending{job="shop"}) > 100', 'expr: sum by (job) (rate(checkout_orders_pending{job="shop"}[5m])) > 1000'),
      ['backlog'],
      /During the incidents: ShopOrderBacklog.*never fired.*is a gauge/,
    ],
    ['an absent() on a metric that is always there', edit('expr: absent(up{job="shop"} == 1)', 'expr: absent(up)'), ['absent'], /never fired/],
    [
      'the alert renamed',
      edit('- alert: ShopCheckoutFailing', '- alert: ShopCheckoutFailure'),
      ['checkout-failures', 'rest-intact'],
      /There is no alert ShopCheckoutFailing any more/,
    ],
    ['the alert twice', SOLUTION + SOLUTION.slice(SOLUTION.indexOf('      - alert: ShopOrderBacklog')), ['rest-intact'], /ShopOrderBacklog is there 2 times/],
  ];
  for (const [name, text, want, re] of bad) {
    it(
      `fails: ${name}`,
      async () => {
        const v = await grade(rules(text), config);
        expect(failed(v)).toEqual(want);
        expect(want.map((id) => en(v, id)).join(' ')).toMatch(re);
      },
      T,
    );
  }
});

describe('what the grader knows about the shop', () => {
  it('reads the series labels from the scenarios, and what a recording rule keeps', () => {
    const shapes = seriesShapes(loadScenarios(DATA));
    expect([...shapes.keys()].sort()).toEqual(['checkout_orders_pending', 'http_request_duration_seconds_bucket', 'http_requests_total', 'up']);
    expect([...shapes.get('http_requests_total')!.labels.keys()].sort()).toEqual([
      'code',
      'endpoint',
      'instance',
      'job',
      'namespace',
      'pod',
      'route',
      'service',
    ]);
    expect([...shapes.get('up')!.labels.get('job')!]).toEqual(['shop']);
    const model = new Model(loadRuleFile(rules(SOLUTION), RULE_FILE), shapes);
    expect([...model.labelsOf('job_code:http_requests:rate5m')!].sort()).toEqual(['code', 'job']);
    expect([...model.labelsOf('job:http_requests_errors:ratio_rate5m')!]).toEqual(['job']);
    expect(model.labelsOf('nothing')).toBeNull();
    const without = new Model(
      loadRuleFile(
        rules(
          edit('sum by (job, code) (rate(http_requests_total{job="shop"}[5m]))', 'sum without (pod, instance) (rate(http_requests_total{job="shop"}[5m]))'),
        ),
        RULE_FILE,
      ),
      shapes,
    );
    expect([...without.labelsOf('job_code:http_requests:rate5m')!].sort()).toEqual(['code', 'endpoint', 'job', 'namespace', 'route', 'service']);
  });

  it('the working rule file names every alert the checks own', () => {
    const rf = loadRuleFile(rules(SOLUTION), RULE_FILE);
    expect(
      rf.rules
        .filter((r) => r.kind === 'alert')
        .map((r) => r.name)
        .sort(),
    ).toEqual(ALERTS.map((a) => a.name).sort());
  });

  it('the scenarios are what make-data.mjs writes (deterministic)', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'w7t-data-'));
    try {
      const r = spawnSync(process.execPath, [path.join(LAB, 'grader', 'make-data.mjs')], { env: { ...process.env, OUT_DIR: out }, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const names = fs
        .readdirSync(DATA)
        .filter((f) => f.endsWith('.yml'))
        .sort();
      expect(fs.readdirSync(out).sort()).toEqual(names);
      for (const f of names) expect(fs.readFileSync(path.join(out, f), 'utf8'), f).toBe(fs.readFileSync(path.join(DATA, f), 'utf8'));
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('input that cannot be graded', () => {
  it('says what is wrong with the file, naming it', async () => {
    expect(await notGradable(sub({ 'shop-rules_test.yml': 'x: 1\n' }))).toMatch(/shop-rules\.yml is missing/);
    expect(await notGradable(rules('   \n'))).toMatch(/shop-rules\.yml is empty/);
    expect(await notGradable(rules('groups: [\n'))).toMatch(/shop-rules\.yml:\d+: not valid YAML/);
    expect(await notGradable(rules('alert: X\n'))).toMatch(/not a Prometheus rule file/);
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(', ')}]`,
      ),
      'groups: []',
    ].join('\n');
    expect(await notGradable(rules(bomb))).toMatch(/YAML bomb/);
    expect(await notGradable(sub({ [RULE_FILE]: Buffer.from([0xff, 0xfe, 0x41]) }))).toMatch(/not UTF-8/);
  });
});
