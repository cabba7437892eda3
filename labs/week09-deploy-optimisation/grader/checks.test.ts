import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { Submission, NotGradable, type GraderVerdict } from '../../../lib/grader-kit/index';
import { labManifest } from '../../../lib/labs/manifest';
import { readCase } from '../../../lib/labs/registry';
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
// A case is an overlay on the solution (expect.json `base`): read through the same function the integration suite uses.
const files = (dir: string): Record<string, string> =>
  dir.startsWith('cases/')
    ? Object.fromEntries(readCase(path.join(LAB, dir)).files.map((f) => [f.path, f.content.toString('utf8')]))
    : Object.fromEntries(readDir(path.join(LAB, dir)).map(([k, v]) => [k, v.toString('utf8')]));
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

  // Build, size, cache and run failures show only in a real build (the integration suite builds every case); here each
  // case is read with a fake good build, and the checks that read files must fail exactly as expected.
  const STATIC = ['multi-stage', 'no-build-tools', 'rollout'];
  for (const c of fs.readdirSync(path.join(LAB, 'cases'))) {
    const expected = [...readCase(path.join(LAB, 'cases', c)).expect.fail].sort();
    it(`case ${c} fails exactly its expected static checks`, async () => {
      expect(failed(await gradeWith(sub(files(`cases/${c}`)), small, ready)).filter((id) => STATIC.includes(id))).toEqual(expected.filter((id) => STATIC.includes(id)));
    });
  }

  it('names the Dockerfile line of each failing part', async () => {
    const whole = await gradeWith(sub(files('cases/copies-whole-build-dir')), small, ready);
    expect(en(whole, 'no-build-tools')).toMatch(/^Dockerfile:16: COPY --from=build \/app \.\//);
    const context = await gradeWith(sub(files('cases/final-stage-copies-context')), small, ready);
    expect(en(context, 'no-build-tools')).toMatch(/^Dockerfile:17: COPY \. \./);
    expect(en(await gradeWith(sub(files('cases/readiness-on-healthz')), small, ready), 'rollout')).toMatch(/k8s\/deployment\.yaml:27: the readinessProbe checks \/healthz/);
    expect(en(await gradeWith(sub(files('cases/grace-shorter-than-prestop')), small, ready), 'rollout')).toMatch(/k8s\/deployment\.yaml:22: preStop waits 5 s but terminationGracePeriodSeconds is 5 s/);
    const misplaced = en(await gradeWith(sub(files('cases/strategy-fields-misplaced')), small, ready), 'rollout');
    expect(misplaced).toMatch(/maxUnavailable 25% \(the default\)/);
    expect(misplaced).toMatch(/k8s\/deployment\.yaml:11: kubectl apply refuses this: unknown field "maxUnavailable" in spec\.strategy/);
    expect(en(await gradeWith(sub(files('cases/pdb-blocks-drains')), small, ready), 'rollout')).toMatch(/k8s\/pdb\.yaml:\d+: a PodDisruptionBudget keeping 3 of 3 replicas blocks node drains/);
  });

  it('says which stage a COPY --from misses when the build fails, and why nothing answered', async () => {
    const failedBuild: BuildInfo = { ok: false, error: 'invalid from flag value builder: Get "https://registry-1.docker.io/v2/": no such host', steps: [{ step: 1, instruction: 'FROM lms/node:18 AS build', cached: true }] };
    const typo = await gradeWith(sub(files('cases/stage-name-typo')), failedBuild, null);
    expect(failed(typo)).toEqual(['answers', 'builds', 'cache', 'size']);
    expect(en(typo, 'builds')).toMatch(/^Dockerfile:16: COPY --from=builder \/app\/node_modules \.\/node_modules names no earlier stage; the stages before it are named: build\./);
    const other = await gradeWith(sub(files('solution')), { ...failedBuild, error: 'The command \'/bin/sh -c node scripts/build.js\' returned a non-zero code: 1', steps: [...Array(9).keys()].map((i) => ({ step: i + 1, instruction: 'x', cached: false })) }, null);
    expect(en(other, 'builds')).toMatch(/^Dockerfile:10: the image did not build: The command/);
    const silent = await gradeWith(sub(files('cases/runtime-deps-left-behind')), small, { get: async () => ({ error: 'no answer within 8 s' }) });
    expect(failed(silent)).toEqual(['answers']);
    expect(en(silent, 'answers')).toMatch(/nothing answered on port 8080 \(no answer within 8 s\)\. The container most likely stopped/);
  });

  it('resolves what a COPY --from takes against the build stage\'s WORKDIR', async () => {
    const f = files('solution');
    const at = (dockerfile: string) => gradeWith(sub({ ...f, Dockerfile: dockerfile }), small, ready);
    const df = f.Dockerfile!.replace(/WORKDIR \/app/, 'WORKDIR /src');
    expect(failed(await at(df.replace(/\/app\/node_modules/, '/src/node_modules').replace(/\/app\/dist/, '/src/dist')))).toEqual([]);
    expect(failed(await at(df.replace(/COPY --from=build \/app\/node_modules \.\/node_modules\n/, '').replace(/COPY --from=build \/app\/dist \.\/dist/, 'COPY --from=build /src/ ./')))).toEqual(['no-build-tools']);
    expect(failed(await at(f.Dockerfile!.replace('COPY --from=build /app/dist ./dist', 'COPY --from=0 ["/app/toolchain", "./toolchain"]')))).toEqual(['no-build-tools']);
    expect(failed(await at(f.Dockerfile!.replace('COPY --from=build /app/dist ./dist', 'COPY --from=build --chown=app /app/dist ./dist')))).toEqual([]);
  });

  it('pairs the final stage\'s layers with its lines, past the labels the engine adds', async () => {
    const layers = [
      { createdBy: '/bin/sh -c #(nop)  LABEL lms.worker=x', size: 0 },
      { createdBy: '/bin/sh -c #(nop)  CMD ["node" "dist/app.js"]', size: 0 },
      { createdBy: '/bin/sh -c #(nop)  EXPOSE 8080', size: 0 },
      { createdBy: '/bin/sh -c #(nop)  ENV PORT=8080 NODE_ENV=production', size: 0 },
      { createdBy: '/bin/sh -c #(nop)  USER app', size: 0 },
      { createdBy: '/bin/sh -c #(nop) COPY dir:ab in ./dist ', size: 2_000 },
      { createdBy: '/bin/sh -c #(nop) COPY dir:cd in ./node_modules ', size: 6_300_000 },
      { createdBy: '/bin/sh -c useradd --system --no-create-home app', size: 4_520 },
      { createdBy: '/bin/sh -c #(nop) WORKDIR /app', size: 0 },
      { createdBy: '/bin/sh -c #(nop)  LABEL lms.kind=learner-base', size: 0 },
    ];
    const v = await gradeWith(sub(files('solution')), { ...small, imageSize: BASE + 6_306_520, layers }, ready);
    expect(en(v, 'size')).toMatch(/Largest layers: Dockerfile:16 COPY --from=build \/app\/node_modules \.\/node_modules \(6\.01 MB\)\./);
  });

  it('reads PodDisruptionBudget percentages and namespaces', async () => {
    const f = files('solution');
    const pdb = (text: string) => gradeWith(sub({ ...f, 'k8s/pdb.yaml': text }), small, ready);
    expect(failed(await pdb(f['k8s/pdb.yaml']!.replace('minAvailable: 2', 'maxUnavailable: 34%')))).toEqual([]);
    expect(failed(await pdb(f['k8s/pdb.yaml']!.replace('minAvailable: 2', 'minAvailable: 100%')))).toEqual(['rollout']);
    expect(en(await pdb(f['k8s/pdb.yaml']!.replace('namespace: shop', 'namespace: default')), 'rollout')).toMatch(/k8s\/pdb\.yaml:5: .*namespace default, not shop/);
    expect(en(await pdb(f['k8s/pdb.yaml']!.replace('policy/v1', 'policy/v1beta1')), 'rollout')).toMatch(/k8s\/pdb\.yaml:1: a PodDisruptionBudget is policy\/v1/);
  });

  it('reads rollout settings with their lines', async () => {
    const f = files('solution');
    const v = await gradeWith(sub({ ...f, 'k8s/deployment.yaml': f['k8s/deployment.yaml']!.replace('maxUnavailable: 0', 'maxUnavailable: 1') }), small, ready);
    expect(en(v, 'rollout')).toMatch(/k8s\/deployment\.yaml:\d+: the rollout runs with maxUnavailable 1/);
  });

  it('is not gradable without its files, or with YAML that does not parse', async () => {
    await expect(gradeWith(sub({ 'notes.md': 'x' }), small, ready)).rejects.toBeInstanceOf(NotGradable);
    await expect(gradeWith(sub({ ...files('solution'), 'k8s/deployment.yaml': 'spec:\n  replicas: [3\n' }), small, ready)).rejects.toBeInstanceOf(NotGradable);
    await expect(gradeWith(sub({ ...files('solution'), Dockerfile: '# nothing here\n' }), small, ready)).rejects.toBeInstanceOf(NotGradable);
  });
});
