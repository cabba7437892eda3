import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { Submission, NotGradable, type GraderVerdict } from '../../../grader-kit/index';
import { readDockerfile } from '../../../grader-kit/dockerfile';
import { stageChain } from '../../../grader-kit/build-info';
import { labManifest } from '../../../lib/labs/manifest';
import { labSubmissionDirs, readCase, readFolderFiles, readVariant, type Lab } from '../../../lib/labs/registry';
import { addedBytes, gradeWith, type BuildInfo, type Probe } from './checks';
import { dockerignoreFilter, matchContext, modelStages } from './image-model';
import { KUBERNETES_VERSION, validateObject } from './schema';
import baseline from './data/baseline.json';

// Unit tests at the seam: build information and the running service are fakes here; `bin/lms labs verify` and the
// integration suite build and run every case and variant for real.
const LAB = path.resolve(import.meta.dirname, '..');
const manifest = labManifest.parse(YAML.parse(fs.readFileSync(path.join(LAB, 'lab.yaml'), 'utf8')));
const lab = { dir: LAB, manifest } as unknown as Lab;
const maxScore = manifest.checks.reduce((s, c) => s + c.points, 0);

const asRecord = (fs_: { path: string; content: Buffer }[]) => Object.fromEntries(fs_.map((f) => [f.path, f.content.toString('utf8')]));
const files = (dir: string): Record<string, string> =>
  dir.startsWith('cases/')
    ? asRecord(readCase(path.join(LAB, dir)).files)
    : dir.startsWith('variants/')
      ? asRecord(readVariant(path.join(LAB, dir)).files)
      : asRecord(readFolderFiles(path.join(LAB, dir)));
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

const NODE_BASE = 390_000_000;
/**
 * A build as the builder reports it, from the Dockerfile: one step per instruction; in the second build (src/app.js
 * changed) every step of a stage is cached up to the first COPY that brings src/ (or a stage it copies from changed).
 * Sizes: the Node base plus 6 KB, or plus the toolchain's 6 MB when the final image carries it.
 */
function fakeBuild(dockerfile: string, carriesToolchain = false): BuildInfo {
  const df = readDockerfile(dockerfile);
  if (!df.stages.length) return { ok: false, error: 'the Dockerfile has no FROM' };
  const steps = df.instructions.map((i, k) => ({ step: k + 1, instruction: `${i.op} ${i.args}`.replace(/\s+/g, ' '), cached: false }));
  const changed = new Set<number>();
  let touched = false;
  const rebuildSteps = df.instructions.map((i, k) => {
    if (i.op === 'FROM') {
      const p = df.stages[i.stage]!.parent;
      touched = p.kind === 'stage' && changed.has(p.stage);
    }
    const from = i.flags.find((f) => f.name === 'from')?.value ?? undefined;
    const fromIdx = from === undefined ? -1 : /^\d+$/.test(from) ? Number(from) : df.stages.findIndex((s) => s.name === from.toLowerCase());
    if ((i.op === 'COPY' || i.op === 'ADD') && from === undefined && i.words.slice(0, -1).some((w) => /^\[?"?(\.\/?|src\/?|\*)"?,?$/.test(w) || /src/.test(w)))
      touched = true;
    if ((i.op === 'COPY' || i.op === 'ADD') && fromIdx >= 0 && changed.has(fromIdx)) touched = true;
    if (touched) changed.add(i.stage);
    return { ...steps[k]!, cached: !touched };
  });
  const chain = stageChain(df);
  const root = chain.at(-1)!.root;
  const rootSize = root !== 'scratch' && root.repository === 'debian' ? 80_000_000 : NODE_BASE;
  const add = carriesToolchain ? baseline.addedBytes : root !== 'scratch' && root.repository === 'debian' ? 120_000_000 : 6_000;
  return {
    ok: true,
    steps,
    rebuildSteps,
    imageSize: rootSize + add,
    rootImageSize: rootSize,
    baseImages: { 'node:26-bookworm-slim': NODE_BASE, 'debian:bookworm-slim': 80_000_000 },
  };
}
const ready: Probe = { get: async () => ({ status: 200, body: '{"ready":true}' }) };
const grade = (f: Record<string, string>, build?: BuildInfo, probe: Probe | null = ready) => gradeWith(sub(f), build ?? fakeBuild(f.Dockerfile!), probe);

describe('week 9: Kubernetes semantics', () => {
  it('states the API version it validates against, and accepts what 1.34-1.36 added', () => {
    expect(KUBERNETES_VERSION).toBe('1.36');
    const dep = YAML.parse(files('solution')['k8s/deployment.yaml']!);
    dep.spec.template.spec.containers[0].restartPolicyRules = [{ action: 'Restart', exitCodes: { operator: 'In', values: [42] } }];
    dep.spec.template.spec.hostnameOverride = 'checkout';
    expect(validateObject(dep)).toEqual([]);
  });
});

describe('week 9: what each stage holds', () => {
  const ctx = [
    'package.json',
    'scripts/install.js',
    'scripts/build.js',
    'src/app.js',
    'toolchain/minifier/index.js',
    'vendor/greeting/index.js',
    'k8s/pdb.yaml',
  ];
  it('matches COPY sources as Docker does: files, folders (their contents), wildcards', () => {
    expect(matchContext('src/', ctx)).toEqual([{ file: 'src/app.js', rel: 'app.js' }]);
    expect(matchContext('./package*.json', ctx)).toEqual([{ file: 'package.json', rel: 'package.json' }]);
    expect(matchContext('.', ctx).length).toBe(ctx.length);
    expect(matchContext('s*', ctx).map((h) => h.rel)).toEqual(['install.js', 'build.js', 'app.js']);
  });
  it('reads .dockerignore with ** and ! exceptions, the last match winning', () => {
    const keep = dockerignoreFilter('# clutter\n**/node_modules\nsrc\n!src/app.js\nk8s/\n');
    expect(ctx.filter(keep)).toEqual([
      'package.json',
      'scripts/install.js',
      'scripts/build.js',
      'src/app.js',
      'toolchain/minifier/index.js',
      'vendor/greeting/index.js',
    ]);
    expect(['a/node_modules/x.js', 'node_modules/y.js'].filter(keep)).toEqual([]);
  });
  it('follows FROM <stage> (everything ever written ships) and COPY --from (only what is left)', () => {
    const df = readDockerfile(files('variants/prune-stage-k8s-docs').Dockerfile!);
    const models = modelStages(df, { files: ctx, isBuildOnly: (p) => /^(src|scripts|toolchain)\//.test(p) });
    const prune = models[1]!;
    expect([...prune.live.values()].filter((f) => f.buildOnly)).toEqual([]);
    expect([...prune.shipped.values()].filter((f) => f.buildOnly).map((f) => f.deletedAt)).toEqual([13, 13, 13, 13, 13]);
    expect([...models[2]!.shipped.keys()].sort()).toEqual([
      '/opt/checkout/dist/app.js',
      '/opt/checkout/node_modules/greeting/index.js',
      '/opt/checkout/package.json',
      '/opt/checkout/vendor/greeting/index.js',
    ]);
  });
});

describe('week 9 deploy optimisation grader', () => {
  it('gives the solution full marks when small, cached and ready', async () => {
    const v = await grade(files('solution'));
    expect(v.checks.map((c) => c.id)).toEqual(manifest.checks.map((c) => c.id));
    expect(failed(v)).toEqual([]);
    expect(score(v)).toBe(maxScore);
  });

  for (const d of labSubmissionDirs(lab, 'variants')) {
    const name = path.basename(d);
    it(`variant ${name} scores full marks on everything read from its files`, async () => {
      expect(failed(await grade(files(`variants/${name}`)))).toEqual([]);
    });
  }

  it('keeps the starter below the pass mark even if it answers', async () => {
    const f = files('starter');
    const v = await grade(f, fakeBuild(f.Dockerfile!, true));
    expect(score(v)).toBeLessThan(maxScore * manifest.passRatio);
  });

  it('measures what the final image carries over its Node.js base, against the limit and the baseline', async () => {
    const f = files('solution');
    const b = fakeBuild(f.Dockerfile!);
    const big = await grade(f, { ...b, imageSize: NODE_BASE + 2 * 1024 * 1024 });
    expect(failed(big)).toEqual(['size']);
    expect(en(big, 'size')).toMatch(
      /carries 2\.00 MB over its base node:26\.12\.1-trixie-slim; it must be at most 1\.50 MB, a quarter of what the single-stage baseline adds \(6\.01 MB\)/,
    );
    // what npm ci leaves in a runtime stage (~1.1 MB) is within the limit
    expect(failed(await grade(f, { ...b, imageSize: NODE_BASE + 1_150_000 }))).toEqual([]);
    // a distroless-style final stage is measured against the Node base on its own Debian release
    const d = files('variants/distroless-style-sidecar');
    const db = fakeBuild(d.Dockerfile!);
    const bases = { 'node:26-trixie-slim': 324_000_000, 'node:26-bookworm-slim': 369_000_000, 'debian:bookworm-slim': 199_000_000 };
    expect(addedBytes({ ...db, imageSize: 349_000_000, baseImages: bases }, stageChain(readDockerfile(d.Dockerfile!)))).toBe(-20_000_000);
    // another machine's base is larger: the same Dockerfile still passes
    expect(failed(await grade(f, { ...b, imageSize: 2 * NODE_BASE + 6_000, rootImageSize: 2 * NODE_BASE }))).toEqual([]);
    // FROM <stage>: the whole chain counts; an older engine's history is read above the base's label
    const chain = stageChain(readDockerfile(files('cases/final-stage-from-build-then-rm').Dockerfile!));
    expect(
      addedBytes(
        {
          ok: true,
          imageSize: 10,
          layers: [
            { createdBy: 'RUN rm', size: 0 },
            { createdBy: 'COPY', size: 6_300_000 },
            { createdBy: '/bin/sh -c #(nop)  LABEL lms.kind=learner-base', size: 0 },
          ],
        },
        chain,
      ),
    ).toBe(6_300_000);
    expect(addedBytes({ ok: true, imageSize: 10, baseImageSize: 4 }, chain)).toBeUndefined();
  });

  it('fails the cache check only when the install re-ran, and when there is no install at all', async () => {
    const f = files('solution');
    const b = fakeBuild(f.Dockerfile!);
    const v = await grade(f, { ...b, rebuildSteps: b.rebuildSteps!.map((s) => (/install\.js/.test(s.instruction) ? { ...s, cached: false } : s)) });
    expect(failed(v)).toEqual(['cache']);
    expect(en(v, 'cache')).toMatch(/Dockerfile:\d+ RUN node scripts\/install\.js/);
    const noInstall = f.Dockerfile!.replace('RUN node scripts/install.js\n', '');
    expect(en(await grade({ ...f, Dockerfile: noInstall }), 'cache')).toMatch(/no RUN step installs the dependencies/);
  });

  // Build, size, cache and run failures show in a real build (labs verify builds every case); here each case is read
  // with a build faked from its Dockerfile, and must fail exactly as expected.
  for (const d of labSubmissionDirs(lab, 'cases')) {
    const c = path.basename(d);
    const expected = [...readCase(d).expect.fail].sort();
    if (expected.includes('builds') || expected.includes('answers')) continue;
    it(`case ${c} fails exactly its expected checks`, async () => {
      const f = files(`cases/${c}`);
      const carries = expected.includes('size');
      expect(failed(await grade(f, fakeBuild(f.Dockerfile!, carries)))).toEqual(expected);
    });
  }

  it('names what is wrong with the image, where', async () => {
    const whole = await grade(files('cases/copies-whole-build-dir'));
    expect(en(whole, 'no-build-tools')).toMatch(
      /^Dockerfile:15: COPY --from=build \/app \.\/ → the toolchain's 6 MB cache, toolchain\/, src\/, scripts\/: build tools/,
    );
    const context = await grade(files('cases/final-stage-copies-context'));
    expect(en(context, 'no-build-tools')).toMatch(/^Dockerfile:16: COPY \. \. → /);
    const fromBuild = files('cases/final-stage-from-build-then-rm');
    const rm = await grade(fromBuild, fakeBuild(fromBuild.Dockerfile!, true));
    expect(en(rm, 'multi-stage')).toMatch(
      /Dockerfile:12: the final stage starts FROM build, so it inherits every layer of the stage that builds, build \(Dockerfile:1\), toolchain included\. Deleting files in a later RUN only hides them/,
    );
    expect(en(rm, 'no-build-tools')).toMatch(
      /^Dockerfile:12: the layers of stage build \(Dockerfile:1\), which the final stage starts FROM, hold the toolchain.s 6 MB cache, toolchain\/, src\/, scripts\/; the RUN at Dockerfile:13 deletes them, but their bytes still ship/,
    );
  });

  it('judges the files the engine lists in the built image when it gives them', async () => {
    const f = files('solution');
    const b = fakeBuild(f.Dockerfile!);
    const sha = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
    // what the engine lists for the reference solution: node_modules and dist (greeting's package.json is as long as
    // the minifier's, which must not make it look like the toolchain)
    const clean = {
      ...b,
      added: [
        {
          createdBy: 'COPY --from=build /app/node_modules ./node_modules # buildkit',
          size: 300,
          files: [
            { path: 'app/node_modules/greeting/index.js', size: 120, type: 'file' },
            { path: 'app/node_modules/greeting/package.json', size: Buffer.byteLength(f['toolchain/minifier/package.json']!), type: 'file' },
          ],
        },
        { createdBy: 'COPY --from=build /app/dist ./dist', size: 900, files: [{ path: 'app/dist/app.js', size: 900, sha256: sha('x') }] },
      ],
    };
    expect(failed(await grade(f, clean))).toEqual([]);
    const leaked = {
      ...b,
      added: [
        {
          createdBy: 'COPY . .',
          size: 900,
          files: [
            { path: 'app/lib/minify.js', size: 10, sha256: sha(f['toolchain/minifier/index.js']!) },
            { path: 'app/dist/app.js', size: 9 },
          ],
        },
      ],
    };
    const v = await grade(f, leaked);
    expect(failed(v)).toEqual(['no-build-tools']);
    expect(en(v, 'no-build-tools')).toMatch(/carries build tools or sources: app\/lib\/minify\.js \(= toolchain\/minifier\/index\.js\) \[COPY \. \.\]/);
    // without hashes (the engine lists paths and sizes): by the path a COPY keeps, and bytes a later rm hides still count
    const byPath = {
      ...b,
      added: [
        { createdBy: 'COPY src/ src/ # buildkit', size: 900, files: [{ path: 'app/src/app.js', size: 900, type: 'file' }] },
        { createdBy: 'RUN rm -rf src # buildkit', size: 0, files: [{ path: 'app/src/.wh.app.js', size: 0, type: 'whiteout' }] },
      ],
    };
    expect(en(await grade(f, byPath), 'no-build-tools')).toMatch(/app\/src\/app\.js \[COPY src\/ src\/ # buildkit\]/);
  });

  it('says which stage a COPY --from misses when the build fails, and why nothing answered', async () => {
    const typoFiles = files('cases/stage-name-typo');
    const failedBuild: BuildInfo = {
      ok: false,
      error: 'invalid from flag value builder: pull access denied',
      steps: [{ step: 1, instruction: 'FROM x AS build', cached: false }],
    };
    const typo = await grade(typoFiles, failedBuild, null);
    expect(failed(typo)).toEqual(['answers', 'builds', 'cache', 'size']);
    expect(en(typo, 'builds')).toMatch(/^Dockerfile:15: COPY --from=builder names no earlier stage; the stages before it are: build\./);
    const f = files('solution');
    const silent = await grade(files('cases/runtime-deps-left-behind'), undefined, { get: async () => ({ error: 'no answer within 8 s' }) });
    expect(failed(silent)).toEqual(['answers']);
    expect(en(silent, 'answers')).toMatch(/nothing answered on port 8080 \(no answer within 8 s\)\. The container most likely stopped/);
    const refused = await gradeWith(
      sub(f),
      fakeBuild(f.Dockerfile!),
      { get: async () => ({ error: 'fetch failed' }) },
      { started: false, error: 'unable to find user app' },
    );
    expect(en(refused, 'answers')).toMatch(/Docker could not start the built image: unable to find user app/);
  });

  it("resolves what a COPY --from takes against the build stage's WORKDIR", async () => {
    const f = files('solution');
    const at = (dockerfile: string) => grade({ ...f, Dockerfile: dockerfile });
    const df = f.Dockerfile!.replace(/WORKDIR \/app/, 'WORKDIR /src');
    expect(failed(await at(df.replace(/\/app\/node_modules/, '/src/node_modules').replace(/\/app\/dist/, '/src/dist')))).toEqual([]);
    expect(
      failed(
        await at(
          df
            .replace(/COPY --from=build \/app\/node_modules \.\/node_modules\n/, '')
            .replace(/COPY --from=build \/app\/dist \.\/dist/, 'COPY --from=build /src/ ./'),
        ),
      ),
    ).toEqual(['no-build-tools']);
    expect(failed(await at(f.Dockerfile!.replace('COPY --from=build /app/dist ./dist', 'COPY --from=0 ["/app/toolchain", "./toolchain"]')))).toEqual([
      'no-build-tools',
    ]);
    expect(failed(await at(f.Dockerfile!.replace('COPY --from=build /app/dist ./dist', 'COPY --from=build --chown=node /app/dist ./dist')))).toEqual([]);
  });

  it("pairs the final image's layers with its lines, past the labels the engine adds", async () => {
    const f = files('solution');
    const final = stageChain(readDockerfile(f.Dockerfile!))[0]!;
    // docker history: newest first, the engine's label on top, the base's own entries below
    const layers = [
      { createdBy: '/bin/sh -c #(nop)  LABEL lms.worker=x', size: 0 },
      ...final.instructions
        .filter((i) => i.op !== 'FROM')
        .reverse()
        .map((i) => ({
          createdBy: i.op === 'RUN' ? `/bin/sh -c ${i.args}` : `/bin/sh -c #(nop) ${i.op} ${i.args}`,
          size: /node_modules/.test(i.args) ? 6_300_000 : 10,
        })),
      { createdBy: '/bin/sh -c #(nop)  CMD ["node"]', size: 0 },
    ];
    const copy = final.instructions.find((i) => /node_modules/.test(i.args))!;
    const v = await grade(f, { ...fakeBuild(f.Dockerfile!), imageSize: NODE_BASE + 6_300_100, layers });
    expect(en(v, 'size')).toContain(`Largest layers: Dockerfile:${copy.line} COPY ${copy.args} (6.01 MB).`);
  });

  it('says what is wrong with the rollout, naming the rule Kubernetes applies', async () => {
    const msgOf = async (c: string) => en(await grade(files(`cases/${c}`)), 'rollout');
    expect(await msgOf('surge-and-unavailable-zero')).toMatch(
      /k8s\/deployment\.yaml:12: the API server refuses this Deployment: spec\.strategy\.rollingUpdate\.maxUnavailable may not be 0 when maxSurge is 0/,
    );
    expect(await msgOf('surge-and-unavailable-zero')).not.toMatch(/go missing/);
    expect(await msgOf('rollout-with-defaults')).toMatch(
      /maxUnavailable 25% \(the default\) rounds down to 0 Pods at 3 replicas, so this rollout happens to keep them all ready, but at 4 replicas or more/,
    );
    expect(await msgOf('recreate-strategy')).toMatch(/k8s\/deployment\.yaml:10: Recreate takes every Pod down before new ones start/);
    expect(await msgOf('readiness-port-name-unknown')).toMatch(
      /k8s\/deployment\.yaml:28: the readinessProbe's port name web is not one of this container's ports/,
    );
    expect(await msgOf('prestop-longer-than-default-grace')).toMatch(/preStop waits 45 s but terminationGracePeriodSeconds is 30 s \(the default\)/);
    expect(await msgOf('pdb-max-unavailable-zero')).toMatch(
      /k8s\/pdb\.yaml:\d+: a PodDisruptionBudget keeping 3 of 3 replicas allows no eviction at all, so it blocks node drains/,
    );
    expect(await msgOf('readiness-on-healthz')).toMatch(/k8s\/deployment\.yaml:27: the readinessProbe checks http:\/\/…:8080\/healthz/);
    expect(await msgOf('grace-shorter-than-prestop')).toMatch(/k8s\/deployment\.yaml:22: preStop waits 5 s but terminationGracePeriodSeconds is 5 s/);
    const misplaced = await msgOf('strategy-fields-misplaced');
    expect(misplaced).toMatch(/k8s\/deployment\.yaml:11: kubectl apply refuses this: unknown field "maxUnavailable" in spec\.strategy/);
  });

  it('reads PodDisruptionBudget percentages, selectors and namespaces', async () => {
    const f = files('solution');
    const pdb = (text: string) => grade({ ...f, 'k8s/pdb.yaml': text });
    expect(failed(await pdb(f['k8s/pdb.yaml']!.replace('minAvailable: 2', 'maxUnavailable: 34%')))).toEqual([]);
    expect(failed(await pdb(f['k8s/pdb.yaml']!.replace('minAvailable: 2', 'minAvailable: 100%')))).toEqual(['rollout']);
    expect(en(await pdb(f['k8s/pdb.yaml']!.replace('namespace: shop', 'namespace: default')), 'rollout')).toMatch(
      /k8s\/pdb\.yaml:5: the PodDisruptionBudget is in namespace default, so it cannot select the Pods in shop/,
    );
    expect(en(await pdb(f['k8s/pdb.yaml']!.replace('policy/v1', 'policy/v1beta1')), 'rollout')).toMatch(
      /k8s\/pdb\.yaml:1: a PodDisruptionBudget is policy\/v1/,
    );
    expect(en(await pdb(f['k8s/pdb.yaml']!.replace('minAvailable: 2', 'minAvailable: 2\n  maxUnavailable: 1')), 'rollout')).toMatch(
      /spec\.minAvailable and spec\.maxUnavailable cannot both be set/,
    );
  });

  it('finds checkout among other Deployments and containers: by name, by port 8080, else by its image', async () => {
    const f = files('solution');
    const other =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: frontend, namespace: shop }\nspec:\n  replicas: 1\n  selector: { matchLabels: { app.kubernetes.io/name: frontend } }\n  template:\n    metadata: { labels: { app.kubernetes.io/name: frontend } }\n    spec:\n      containers:\n        - { name: frontend, image: "registry.example.com/shop/frontend:1.4.0" }\n---\n';
    // another Deployment first: the one named checkout is graded, and it passes
    expect(failed(await grade({ ...f, 'k8s/deployment.yaml': other + f['k8s/deployment.yaml']! }))).toEqual([]);
    // a sidecar first and no declared port: the container whose image is checkout carries the readiness probe
    const noPorts = f['k8s/deployment.yaml']!.replace('          ports:\n            - { name: http, containerPort: 8080 }\n', '')
      .replace('httpGet: { path: /readyz, port: http }', 'httpGet: { path: /readyz, port: 8080 }')
      .replace('      containers:\n', '      containers:\n        - { name: log-shipper, image: "registry.example.com/log-shipper:1.4.0" }\n');
    expect(noPorts).not.toContain('containerPort');
    expect(en(await grade({ ...f, 'k8s/deployment.yaml': noPorts }), 'rollout')).not.toMatch(/readiness/i);
    // ... and when that image is someone else's, the first container (the sidecar, without a probe) is read
    const renamed = noPorts.replace('registry.example.com/shop/checkout:1.4.1', 'registry.example.com/shop/payments:1.4.1');
    expect(en(await grade({ ...f, 'k8s/deployment.yaml': renamed }), 'rollout')).toMatch(/readiness/i);
  });

  it('is not gradable without its files, or with YAML that does not parse', async () => {
    await expect(gradeWith(sub({ 'notes.md': 'x' }), { ok: false }, null)).rejects.toBeInstanceOf(NotGradable);
    await expect(grade({ ...files('solution'), 'k8s/deployment.yaml': 'spec:\n  replicas: [3\n' })).rejects.toBeInstanceOf(NotGradable);
    await expect(grade({ ...files('solution'), Dockerfile: '# nothing here\n' })).rejects.toBeInstanceOf(NotGradable);
    for (const garbage of ['FROM ${', 'FROM a AS b\nFROM b\nCOPY --from=7 ["x" /y', 'FROM x\nRUN rm -rf /\nCOPY . .\nFROM 0']) {
      expect((await grade({ ...files('solution'), Dockerfile: garbage }, { ok: false, error: 'x' }, null)).gradable).toBe(true);
    }
  });
});
