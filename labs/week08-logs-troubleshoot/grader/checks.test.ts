import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { NotGradable, Submission, type GraderVerdict } from '../../../grader-kit/index';
import { labManifest } from '../../../lib/labs/manifest';
import { readCase, readVariant } from '../../../lib/labs/registry';
import { grade } from './checks';
import { loadConfig } from './config';
import { hiddenLogs } from './data';
import { run } from './pipeline';
import { strptime } from './strptime';
import { compile } from './regex';

const LAB = path.resolve(import.meta.dirname, '..');
const manifest = labManifest.parse(YAML.parse(fs.readFileSync(path.join(LAB, 'lab.yaml'), 'utf8')));
const maxScore = manifest.checks.reduce((s, c) => s + c.points, 0);
const F = 'fluent-bit.yaml';
const text = (dir: string) => fs.readFileSync(path.join(LAB, dir, F), 'utf8');
const sub = (yaml: string) => new Submission(new Map([[F, Buffer.from(yaml)]]));
const load = (dir: string) =>
  new Submission(
    new Map((dir.startsWith('cases/') ? readCase(path.join(LAB, dir)).files : readVariant(path.join(LAB, dir)).files).map((f) => [f.path, f.content] as const)),
  );
const failed = (v: GraderVerdict) =>
  v.checks
    .filter((c) => !c.passed)
    .map((c) => c.id)
    .sort();
const score = (v: GraderVerdict) => v.checks.reduce((s, c) => s + c.points, 0);
const en = (v: GraderVerdict, id: string) => {
  const m = v.checks.find((c) => c.id === id)?.message;
  return typeof m === 'object' ? m.en : (m ?? '');
};
type Edit = [string, string];
/** The starter with some faults repaired. */
const repair = (...edits: Edit[]) => {
  let s = text('starter');
  for (const [from, to] of edits) {
    expect(s, from).toContain(from);
    s = s.replace(from, to);
  }
  return sub(s);
};
const FIX_ML: Edit = ["regex: '/^at .*/'", "regex: '/^\\s+at .*/'"];
const FIX_TZ: Edit = ["time_format: '%d/%b/%Y:%H:%M:%S'", "time_format: '%d/%b/%Y:%H:%M:%S %z'"];
const FIX_V6: Edit = ['(?<remote>\\d{1,3}(?:\\.\\d{1,3}){3})', '(?<remote>[^ ]+)'];
const FIX_BUF: Edit = ['      mem_buf_limit: 5MB\n', '      storage.type: filesystem\n'];
const FIX_PATH: Edit = ['  http_port: 2020\n', '  http_port: 2020\n  storage.path: /var/fluent-bit/state/flb-storage/\n'];
const FIX_RETRY: Edit = ['      line_format: json\n', '      line_format: json\n      retry_limit: no_limits\n'];
const ALL = [FIX_ML, FIX_TZ, FIX_V6, FIX_BUF, FIX_PATH, FIX_RETRY];
const without = (...skip: Edit[]) => ALL.filter((e) => !skip.includes(e));

describe('week 8 troubleshooting: the log pipeline that loses and garbles logs', () => {
  it('scores the reference solution full marks, check by check, in the manifest order', async () => {
    const v = await grade(sub(text('solution')));
    expect(v.checks.map((c) => c.id)).toEqual(manifest.checks.map((c) => c.id));
    expect(failed(v)).toEqual([]);
    expect(score(v)).toBe(maxScore);
  });

  it('keeps the starter below the pass mark, failing its four faults and nothing else', async () => {
    const v = await grade(sub(text('starter')));
    expect(score(v)).toBeLessThan(maxScore * manifest.passRatio);
    expect(failed(v)).toEqual(['backpressure', 'ipv6', 'multiline', 'time-zone']);
    expect(en(v, 'multiline')).toMatch(
      /stack trace \(5 lines, "Error: connect ETIMEDOUT.*reached Loki as 5 record\(s\).*fluent-bit\.yaml:\d+: the multiline parser's rules do not join/,
    );
    expect(en(v, 'time-zone')).toMatch(/63 of the frontend's 63 access lines have the wrong time.*fluent-bit\.yaml:16: nine hours late/);
    expect(en(v, 'ipv6')).toMatch(/18 of the 18 access lines from IPv6 clients arrive unparsed.*fluent-bit\.yaml:14:/);
    expect(en(v, 'backpressure')).toMatch(/mem_buf_limit \(5 MB\).*retry_limit 1 \(the default\)/);
  });

  const cases = fs.readdirSync(path.join(LAB, 'cases'));
  it('has at least five known-wrong cases', () => expect(cases.length).toBeGreaterThanOrEqual(5));
  for (const c of cases) {
    it(`case ${c} fails exactly its expected checks, naming a file and line`, async () => {
      const expected = [...readCase(path.join(LAB, 'cases', c)).expect.fail].sort();
      const v = await grade(load(`cases/${c}`));
      expect(failed(v)).toEqual(expected);
      for (const id of expected) if (id !== 'loads' && !expected.includes('loads')) expect(en(v, id), id).toMatch(/fluent-bit\.yaml:\d+/);
      if (expected.includes('loads')) expect(en(v, 'loads')).toMatch(/fluent-bit\.yaml:\d+/);
    });
  }

  const variants = fs.readdirSync(path.join(LAB, 'variants'));
  it('has at least five variants', () => expect(variants.length).toBeGreaterThanOrEqual(5));
  for (const d of variants) {
    it(`variant ${d} scores full marks`, async () => {
      const v = await grade(load(`variants/${d}`));
      expect(failed(v), JSON.stringify(v.checks.filter((c) => !c.passed))).toEqual([]);
    });
  }

  // Each fault has several repairs Fluent Bit accepts; each passes with the other faults repaired the usual way.
  it.each<[string, Edit[], Edit]>([
    ['multiline: \\s+at', [FIX_ML], FIX_ML],
    ['multiline: four spaces', [FIX_ML], ["regex: '/^at .*/'", "regex: '/^    at .*/'"]],
    ['time: %z', [FIX_TZ], FIX_TZ],
    ['time: time_offset', [FIX_TZ], ["time_format: '%d/%b/%Y:%H:%M:%S'", "time_format: '%d/%b/%Y:%H:%M:%S'\n    time_offset: '+0900'"]],
    ['time: time_zone', [FIX_TZ], ["time_format: '%d/%b/%Y:%H:%M:%S'", "time_format: '%d/%b/%Y:%H:%M:%S'\n    time_zone: Asia/Seoul"]],
    ['client: [^ ]+', [FIX_V6], FIX_V6],
    ['client: \\S+', [FIX_V6], ['(?<remote>\\d{1,3}(?:\\.\\d{1,3}){3})', '(?<remote>\\S+)']],
    ['retries: no_limits', [FIX_RETRY], FIX_RETRY],
    ['retries: 144 × 5 s', [FIX_RETRY], ['      line_format: json\n', '      line_format: json\n      retry_limit: 144\n']],
  ])('%s', async (_, skip, fix) => {
    const v = await grade(repair(...without(...skip), fix));
    expect(failed(v)).toEqual([]);
  });

  it('judges retries by the fastest Fluent Bit may give up: retry_limit × scheduler.base', async () => {
    const v = await grade(repair(...without(FIX_RETRY), ['      line_format: json\n', '      line_format: json\n      retry_limit: 143\n']));
    expect(failed(v)).toEqual(['backpressure']);
    expect(en(v, 'backpressure')).toMatch(/dropped 715 s after it first failed/);
  });

  it('reads times as Fluent Bit does: %z, trailing text ignored, impossible dates refused', () => {
    expect(strptime('03/Dec/2026:10:29:04 +0900', '%d/%b/%Y:%H:%M:%S %z')).toEqual({ utc: Date.UTC(2026, 11, 3, 10, 29, 4), offset: 540 });
    expect(strptime('03/Dec/2026:10:29:04 +0900', '%d/%b/%Y:%H:%M:%S')).toEqual({ utc: Date.UTC(2026, 11, 3, 10, 29, 4), offset: undefined });
    expect(strptime('31/Nov/2026:10:29:04 +0900', '%d/%b/%Y:%H:%M:%S %z')).toBeNull();
    expect(strptime('2026-12-03T01:15:32.104Z', '%Y-%m-%dT%H:%M:%S.%L%z')).toEqual({ utc: Date.UTC(2026, 11, 3, 1, 15, 32, 104), offset: 0 });
  });

  it('reads Ruby regular expressions, refusing what JavaScript would read differently', () => {
    const ok = compile('/^\\s+at .*/', true);
    expect(ok.ok && ok.re.test('    at f (x.js:1:1)')).toBe(true);
    expect(compile('^(?<hex>\\h+)$').ok).toBe(true);
    expect(compile('(?>a+)b').ok).toBe(false);
    expect(compile('(?<x>[').ok).toBe(false);
  });

  it('joins the runtime P parts before anything else, and keeps other namespaces out', () => {
    const cfg = loadConfig(sub(text('solution')));
    const { files, truth } = hiddenLogs();
    const long = truth.find((t) => t.kind === 'json' && JSON.stringify(t.json).length > 4000)!;
    const out = run(cfg, files).outputs[0]!;
    const r = out.filter((x) => x.src.file === long.file && x.src.line === long.line);
    expect(r).toHaveLength(1);
    expect((r[0]!.fields.items as unknown[]).length).toBe(700);
    expect(out.some((x) => x.src.file.includes('kube-system'))).toBe(false);
  });

  it('refuses to start on what Fluent Bit refuses, naming the line', async () => {
    const v = await grade(sub(text('solution').replace('skip_long_lines: on', 'skip_long_line: on')));
    expect(en(v, 'loads')).toMatch(/fluent-bit\.yaml:\d+: \[error\] \[config\] tail: unknown configuration property 'skip_long_line'/);
    const w = await grade(sub(text('solution').replace('parser: shop_nginx', 'parser: nginx_shop')));
    expect(en(w, 'loads')).toMatch(/requested parser 'nginx_shop' not found/);
    expect(failed(w)).toEqual(['backpressure', 'ipv6', 'loads', 'multiline', 'still-works', 'time-zone']);
  });

  it('grades hostile or broken input with a clear message, never a crash', async () => {
    await expect(grade(new Submission(new Map()))).rejects.toThrow(NotGradable);
    await expect(grade(sub('a: [\n'))).rejects.toThrow(NotGradable);
    const v = await grade(sub('- just\n- a list\n'));
    expect(failed(v)).toContain('loads');
    const w = await grade(sub(text('solution').replace("regex: '/^\\S.*/'", "regex: '/(a+)+$/'")));
    expect(failed(w)).toContain('multiline');
  });
});
