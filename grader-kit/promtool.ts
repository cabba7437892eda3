/**
 * Hidden scenarios and promtool, for the labs that grade Prometheus rules (week 7's). Each scenario in a lab's data/
 * holds the series a service exposed during an incident (an alert must fire) or a healthy stretch (no alert may fire).
 * At grade time it becomes a `promtool test rules` file next to a copy of the learner's rule file in a fresh folder
 * under /tmp, and promtool (Debian's package in the lab's grader image) evaluates the learner's rules over it exactly
 * as Prometheus would. Whether an alert fired is read from the ALERTS
 * series Prometheus writes for every pending and firing alert, so the test does not depend on the labels the
 * learner's expression keeps.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';

export interface RunResult {
  /** Exit code, or null when the process was killed (time limit, out of memory). */
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs promtool with `args` in a fresh folder holding `files` (name → content). */
export type Runner = (args: string[], files: Record<string, string>, timeoutMs: number) => Promise<RunResult>;

const OUTPUT_CAP = 64 * 1024;

/** The real thing: promtool at `bin`, in a folder under the system temp dir (in the sandbox: /tmp, noexec, fine). */
export function promtoolRunner(bin = '/usr/bin/promtool'): Runner {
  return async (args, files, timeoutMs) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'promtool-'));
    try {
      for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
      return await new Promise<RunResult>((resolve) => {
        let stdout = '';
        let stderr = '';
        let timedOut = false;
        let settled = false;
        const child = spawn(bin, args, {
          cwd: dir,
          stdio: ['ignore', 'pipe', 'pipe'],
          // One thread for Go's scheduler and a soft memory ceiling: several runs share a small sandbox.
          env: { PATH: '/usr/bin:/bin', HOME: dir, TMPDIR: dir, GOMAXPROCS: '1', GOMEMLIMIT: '192MiB', NODE_ENV: 'production' },
        });
        const timer = setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, timeoutMs);
        child.stdout.on('data', (c: Buffer) => {
          if (stdout.length < OUTPUT_CAP) stdout += c.toString('utf8');
        });
        child.stderr.on('data', (c: Buffer) => {
          if (stderr.length < OUTPUT_CAP) stderr += c.toString('utf8');
        });
        const finish = (code: number | null) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ code, stdout: stdout.slice(0, OUTPUT_CAP), stderr: stderr.slice(0, OUTPUT_CAP), timedOut });
        };
        child.on('error', (e) => {
          stderr += `could not start ${bin}: ${e.message}`;
          finish(null);
        });
        child.on('close', (code) => finish(code));
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
}

export interface Scenario {
  name: string;
  kind: 'fires' | 'quiet';
  /** For `fires`: the alert that must fire. */
  alert?: string;
  title: { ko: string; en: string };
  interval: string;
  minutes: number;
  input_series: { series: string; values: string }[];
}

let cache: { dir: string; list: Scenario[] } | null = null;

/** The scenarios in `dir`, incidents first, each group by name (a stable order: deterministic messages). */
export function loadScenarios(dir: string): Scenario[] {
  if (cache?.dir === dir) return cache.list;
  const list: Scenario[] = [];
  for (const f of fs
    .readdirSync(dir)
    .filter((x) => x.endsWith('.yml'))
    .sort()) {
    const s = YAML.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Scenario;
    if (!s || (s.kind !== 'fires' && s.kind !== 'quiet') || !Array.isArray(s.input_series) || !(s.minutes > 0)) throw new Error(`bad scenario ${f}`);
    list.push(s);
  }
  list.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'fires' ? -1 : 1));
  cache = { dir, list };
  return list;
}

/** The PromQL that tells whether `alert` was firing at any evaluation during the scenario. */
export function firedExpr(alert: string, minutes: number): string {
  return `max by (alertname) (max_over_time(ALERTS{alertname="${alert}",alertstate="firing"}[${minutes + 1}m]))`;
}

/** A `promtool test rules` file for one scenario, testing `alerts` (fire for a `fires` scenario, stay quiet otherwise). */
export function testFile(s: Scenario, ruleFile: string, alerts: string[]): string {
  const doc = {
    rule_files: [ruleFile],
    evaluation_interval: s.interval,
    tests: [
      {
        interval: s.interval,
        input_series: s.input_series,
        promql_expr_test: alerts.map((a) => ({
          expr: firedExpr(a, s.minutes),
          eval_time: `${s.minutes}m`,
          exp_samples: s.kind === 'fires' ? [{ labels: `{alertname="${a}"}`, value: 1 }] : [],
        })),
      },
    ],
  };
  return YAML.stringify(doc, { lineWidth: 0 });
}

export interface TestOutput {
  success: boolean;
  /** Rules whose evaluation failed (promtool stops the test at the first evaluation with errors). */
  evalErrors: { rule: string; time: string; err: string }[];
  /** Alerts whose expectation failed, with what promtool got instead. */
  failed: Map<string, string>;
  /** The output, for failures that are neither of the above (a rule file that does not load, a crash). */
  text: string;
}

export function parseTestOutput(r: RunResult): TestOutput {
  const text = `${r.stdout}\n${r.stderr}`;
  const evalErrors: TestOutput['evalErrors'] = [];
  for (const mm of text.matchAll(/^\s*rule: (.*?), time: (\S+), err: (.*)$/gm)) evalErrors.push({ rule: mm[1]!, time: mm[2]!, err: stableError(mm[3]!) });
  const failed = new Map<string, string>();
  for (const mm of text.matchAll(/expr: "(.*?)", time: \S+,[ \t]*\r?\n\s*exp: .*\r?\n\s*got: (.*)/g)) {
    const a = /alertname=\\"([^\\"]+)\\"/.exec(mm[1]!);
    if (a) failed.set(a[1]!, mm[2]!.trim());
  }
  const success = r.code === 0 && !r.timedOut && /SUCCESS/.test(text);
  return { success, evalErrors, failed, text };
}

/**
 * An evaluation error without the series it names: Go's map order decides which series an error such as "found
 * duplicate series for the match group" lists, and the same submission must get the same message every time.
 */
export function stableError(err: string): string {
  return err
    .replace(/\{[^{}]*\}/g, '{…}')
    .replace(/\[[^[\]]*\]/g, '[…]')
    .replace(/;\s*/g, '; ')
    .slice(0, 400);
}
