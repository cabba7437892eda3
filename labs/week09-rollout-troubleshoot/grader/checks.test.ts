import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { NotGradable, Submission, type GraderVerdict } from '../../../grader-kit/index';
import { labManifest } from '../../../lib/labs/manifest';
import { readCase, readVariant } from '../../../lib/labs/registry';
import { grade, read, secondsToAvailable } from './checks';

const LAB = path.resolve(import.meta.dirname, '..');
const manifest = labManifest.parse(YAML.parse(fs.readFileSync(path.join(LAB, 'lab.yaml'), 'utf8')));
const maxScore = manifest.checks.reduce((s, c) => s + c.points, 0);

function readDir(d: string, rel = ''): [string, Buffer][] {
  const out: [string, Buffer][] = [];
  for (const e of fs.readdirSync(path.join(d, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...readDir(d, r));
    else out.push([r, fs.readFileSync(path.join(d, r))]);
  }
  return out;
}
const load = (dir: string) =>
  new Submission(
    new Map(
      dir.startsWith('cases/')
        ? readCase(path.join(LAB, dir)).files.map((f) => [f.path, f.content] as const)
        : dir.startsWith('variants/')
          ? readVariant(path.join(LAB, dir)).files.map((f) => [f.path, f.content] as const)
          : readDir(path.join(LAB, dir)),
    ),
  );
const files = (dir: string) => Object.fromEntries(readDir(path.join(LAB, dir)).map(([k, v]) => [k, v.toString('utf8')]));
const sub = (f: Record<string, string>) => new Submission(new Map(Object.entries(f).map(([k, v]) => [k, Buffer.from(v)])));
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
type Edit = [string, string, string];
/** The starter with some of its faults repaired (each edit: file, text, replacement). */
const repair = (...edits: Edit[]) => {
  const f = files('starter');
  for (const [file, from, to] of edits) {
    expect(f[file], from).toContain(from);
    f[file] = f[file]!.replace(from, to);
  }
  return sub(f);
};
const D = 'k8s/deployment.yaml';
const FIX_PROBE: Edit = [D, 'port: metrics }\n            periodSeconds', 'port: http }\n            periodSeconds'];
const FIX_DEADLINE: Edit = [D, 'progressDeadlineSeconds: 30', 'progressDeadlineSeconds: 600'];
const FIX_SURGE: Edit = [D, 'maxSurge: 0\n      maxUnavailable: 1', 'maxSurge: 1\n      maxUnavailable: 0'];
const FIX_PDB: Edit = ['k8s/pdb.yaml', 'maxUnavailable: 0', 'maxUnavailable: 1'];
const FIX_GRACE: Edit = [D, 'terminationGracePeriodSeconds: 30', 'terminationGracePeriodSeconds: 50'];
const ALL = [FIX_PROBE, FIX_DEADLINE, FIX_SURGE, FIX_PDB, FIX_GRACE];
const allBut = (skip: Edit) => ALL.filter((e) => e !== skip);

describe('week 9 troubleshooting: the stuck checkout rollout', () => {
  it('scores the reference solution full marks, check by check, in the manifest order', async () => {
    const v = await grade(load('solution'));
    expect(v.checks.map((c) => c.id)).toEqual(manifest.checks.map((c) => c.id));
    expect(failed(v)).toEqual([]);
    expect(score(v)).toBe(maxScore);
  });

  it('keeps the starter below the pass mark, failing each of its five faults and nothing else', async () => {
    const v = await grade(load('starter'));
    expect(score(v)).toBeLessThan(maxScore * manifest.passRatio);
    expect(failed(v)).toEqual(['capacity', 'drain', 'graceful', 'progress', 'readiness']);
    expect(en(v, 'readiness')).toMatch(/k8s\/deployment\.yaml:43: the probe asks \/readyz on metrics \(port 9464\).*statuscode: 404/);
    expect(en(v, 'progress')).toMatch(/k8s\/deployment\.yaml:13: the progress deadline is 30 s, while one new Pod takes about 45 s/);
    expect(en(v, 'capacity')).toMatch(/READY 5\/6/);
    expect(en(v, 'drain')).toMatch(/k8s\/pdb\.yaml:\d+: a budget keeping 6 of 6 replicas leaves ALLOWED DISRUPTIONS at 0/);
    expect(en(v, 'graceful')).toMatch(/terminationGracePeriodSeconds is 30 s, while preStop waits 40 s.*PreStop hook not completed in grace period/);
  });

  const cases = fs.readdirSync(path.join(LAB, 'cases'));
  it('has at least five known-wrong cases', () => expect(cases.length).toBeGreaterThanOrEqual(5));
  for (const c of cases) {
    it(`case ${c} fails exactly its expected checks, naming a file and line`, async () => {
      const expected = [...readCase(path.join(LAB, 'cases', c)).expect.fail].sort();
      const v = await grade(load(`cases/${c}`));
      expect(failed(v)).toEqual(expected);
      for (const id of expected) expect(en(v, id), id).toMatch(/k8s\/[\w.-]+\.ya?ml:\d+/);
    });
  }

  const variants = fs.readdirSync(path.join(LAB, 'variants'));
  it('has at least five variants', () => expect(variants.length).toBeGreaterThanOrEqual(5));
  for (const d of variants) {
    it(`variant ${d} scores full marks`, async () => {
      expect(failed(await grade(load(`variants/${d}`)))).toEqual([]);
    });
  }

  // Equivalent repairs of each fault: each passes its check, and the other four repairs keep everything else passing.
  it.each<[string, Edit, string]>([
    ['port name http', FIX_PROBE, 'readiness'],
    ['port number 8080', [D, 'port: metrics }\n            periodSeconds', 'port: 8080 }\n            periodSeconds'], 'readiness'],
    ['deadline left to its default', [D, '  progressDeadlineSeconds: 30\n', ''], 'progress'],
    ['deadline 90 s, twice the 45 s a Pod needs', [D, 'progressDeadlineSeconds: 30', 'progressDeadlineSeconds: 90'], 'progress'],
    ['maxSurge 1, maxUnavailable 0', FIX_SURGE, 'capacity'],
    ['maxSurge 25%, maxUnavailable 0%', [D, 'maxSurge: 0\n      maxUnavailable: 1', 'maxSurge: "25%"\n      maxUnavailable: "0%"'], 'capacity'],
    ['maxUnavailable 1', FIX_PDB, 'drain'],
    ['minAvailable 5', ['k8s/pdb.yaml', 'maxUnavailable: 0', 'minAvailable: 5'], 'drain'],
    ['minAvailable 50%', ['k8s/pdb.yaml', 'maxUnavailable: 0', 'minAvailable: "50%"'], 'drain'],
    ['grace 50 s for a 40 s preStop', FIX_GRACE, 'graceful'],
    ['a 15 s preStop in the 30 s grace period', [D, 'sleep: { seconds: 40 }', 'sleep: { seconds: 15 }'], 'graceful'],
  ])('%s repairs %s', async (_, fix, id) => {
    const same = ALL.find((e) => e[0] === fix[0] && e[1] === fix[1]);
    const v = await grade(repair(...(same ? allBut(same) : ALL.filter((e) => !(e[0] === fix[0] && fix[1].includes(e[1].split('\n')[0]!)))), fix));
    expect(failed(v), id).toEqual([]);
  });

  it('computes the time a new Pod needs from the probe and minReadySeconds', () => {
    const f = files('solution');
    const t = (dep: string) => secondsToAvailable(read(sub({ ...f, [D]: dep })));
    expect(t(f[D]!)).toBe(25 + 10 + 10);
    expect(
      t(
        f[D]!.replace(
          'periodSeconds: 5\n            failureThreshold: 3',
          'periodSeconds: 5\n            successThreshold: 3\n            failureThreshold: 3',
        ),
      ),
    ).toBe(25 + 20 + 10);
    expect(
      t(
        f[D]!.replace('minReadySeconds: 10', 'minReadySeconds: 0').replace(
          'periodSeconds: 5\n            failureThreshold',
          'initialDelaySeconds: 20\n            periodSeconds: 5\n            failureThreshold',
        ),
      ),
    ).toBe(25 + 20);
  });

  it('refuses a deadline the API server refuses, and the rollout both zero', async () => {
    const f = files('solution');
    const v = await grade(sub({ ...f, [D]: f[D]!.replace('progressDeadlineSeconds: 300', 'progressDeadlineSeconds: 10') }));
    expect(en(v, 'progress')).toMatch(/must be greater than minReadySeconds \(10\)/);
  });

  it('grades hostile or broken input with a clear message, never a crash', async () => {
    await expect(grade(sub({ [D]: 'kind: Deployment\n' }))).rejects.toThrow(NotGradable);
    const f = files('solution');
    await expect(grade(sub({ ...f, [D]: 'a: [\n' }))).rejects.toThrow(NotGradable);
    await expect(grade(sub({ ...f, [D]: f[D]!.replace('name: checkout\n  namespace', 'name: orders\n  namespace') }))).rejects.toThrow(
      /no Deployment named checkout/,
    );
    const v = await grade(sub({ ...f, [D]: f[D]!.replace('replicas: 6', 'replicas: "six"') }));
    expect(failed(v)).toContain('still-works');
  });
});
