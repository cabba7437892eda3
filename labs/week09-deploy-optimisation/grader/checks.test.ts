import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { Submission, NotGradable, type GraderVerdict } from '../../../lib/grader-kit/index';
import { labManifest } from '../../../lib/labs/manifest';
import { gradeWith, type BuildInfo, type Probe } from './checks';
import baseline from './data/baseline.json';

// Unit tests at the seam: build information and the running service are fakes here; the integration suite builds and
// runs every case for real.
const LAB = path.resolve(import.meta.dirname, '..');
const manifest = labManifest.parse(YAML.parse(fs.readFileSync(path.join(LAB, 'lab.yaml'), 'utf8')));
const maxScore = manifest.checks.reduce((s, c) => s + c.points, 0);

function readDir(d: string, rel = ''): [string, Buffer][] {
  const out: [string, Buffer][] = [];
  for (const e of fs.readdirSync(path.join(d, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...readDir(d, r));
    else if (r !== 'expect.json') out.push([r, fs.readFileSync(path.join(d, r))]);
  }
  return out;
}
const files = (dir: string) => Object.fromEntries(readDir(path.join(LAB, dir)).map(([k, v]) => [k, v.toString('utf8')]));
const sub = (f: Record<string, string>) => new Submission(new Map(Object.entries(f).map(([k, v]) => [k, Buffer.from(v)])));
const failed = (v: GraderVerdict) => v.checks.filter((c) => !c.passed).map((c) => c.id).sort();
const score = (v: GraderVerdict) => v.checks.reduce((s, c) => s + c.points, 0);
const en = (v: GraderVerdict, id: string) => {
  const m = v.checks.find((c) => c.id === id)?.message;
  return typeof m === 'object' ? m.en : (m ?? '');
};
const BASE = 400_000_000;
const small: BuildInfo = { ok: true, imageSize: BASE + 6_000, baseImageSize: BASE, steps: [], rebuildSteps: [{ step: 7, instruction: 'RUN node scripts/install.js', cached: true }, { step: 9, instruction: 'RUN node scripts/build.js', cached: false }] };
const ready: Probe = { get: async () => ({ status: 200, body: '{"ready":true}' }) };

describe('week 9 deploy optimisation grader', () => {
  it('gives the solution full marks when small, cached and ready', async () => {
    const v = await gradeWith(sub(files('solution')), small, ready);
    expect(v.checks.map((c) => c.id)).toEqual(manifest.checks.map((c) => c.id));
    expect(failed(v)).toEqual([]);
    expect(score(v)).toBe(maxScore);
  });

  it('keeps the starter below the pass mark even if it answers', async () => {
    const v = await gradeWith(sub(files('starter')), { ...small, imageSize: BASE + baseline.addedBytes, rebuildSteps: [{ step: 4, instruction: 'RUN node scripts/install.js', cached: false }] }, ready);
    expect(score(v)).toBeLessThan(maxScore * manifest.passRatio);
  });

  it('measures what the Dockerfile added, not the base, against the limit and the baseline', async () => {
    const big = await gradeWith(sub(files('solution')), { ...small, imageSize: BASE + 2 * 1024 * 1024 }, ready);
    expect(failed(big)).toEqual(['size']);
    expect(en(big, 'size')).toMatch(/added 2\.00 MB on top of the base image; the limit is 0\.50 MB/);
    // another machine's base is larger: the same Dockerfile still passes
    expect(failed(await gradeWith(sub(files('solution')), { ...small, imageSize: 2 * BASE + 6_000, baseImageSize: 2 * BASE }, ready))).toEqual([]);
  });

  it('fails the cache check only when the install re-ran', async () => {
    const v = await gradeWith(sub(files('solution')), { ...small, rebuildSteps: [{ step: 7, instruction: 'RUN node scripts/install.js', cached: false }] }, ready);
    expect(failed(v)).toEqual(['cache']);
    expect(en(v, 'cache')).toMatch(/Dockerfile:\d+ RUN node scripts\/install\.js/);
  });

  for (const c of fs.readdirSync(path.join(LAB, 'cases'))) {
    const expected = (JSON.parse(fs.readFileSync(path.join(LAB, 'cases', c, 'expect.json'), 'utf8')) as { fail: string[] }).fail.sort();
    // Cases whose failure shows only in a real build or run are covered by the integration suite.
    if (expected.some((id) => ['builds', 'answers', 'cache', 'size'].includes(id))) continue;
    it(`case ${c} fails exactly its expected static checks`, async () => {
      expect(failed(await gradeWith(sub(files(`cases/${c}`)), small, ready))).toEqual(expected);
    });
  }

  it('reads rollout settings with their lines', async () => {
    const f = files('solution');
    const v = await gradeWith(sub({ ...f, 'k8s/deployment.yaml': f['k8s/deployment.yaml']!.replace('maxUnavailable: 0', 'maxUnavailable: 1') }), small, ready);
    expect(en(v, 'rollout')).toMatch(/k8s\/deployment\.yaml:\d+: the rollout runs with maxUnavailable 1/);
  });

  it('is not gradable without its files', async () => {
    await expect(gradeWith(sub({ 'notes.md': 'x' }), small, ready)).rejects.toBeInstanceOf(NotGradable);
  });
});
