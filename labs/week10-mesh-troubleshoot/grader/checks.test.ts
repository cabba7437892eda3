import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { NotGradable, Submission, type GraderVerdict } from '../../../grader-kit/index';
import { labManifest } from '../../../lib/labs/manifest';
import { readCase, readVariant } from '../../../lib/labs/registry';
import { counts, grade, run } from './checks';
import { load } from '../../../grader-kit/istio-model';

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
const load2 = (dir: string) =>
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
/** The solution with some text replaced in one file: one repair, or one new fault. */
const edit = (file: string, ...pairs: [string, string][]) => {
  const f = files('solution');
  for (const [from, to] of pairs) {
    expect(f[file], from).toContain(from);
    f[file] = f[file]!.replace(from, to);
  }
  return sub(f);
};
/** The starter with some of its faults repaired. */
const repair = (...edits: [string, string, string][]) => {
  const f = files('starter');
  for (const [file, from, to] of edits) {
    expect(f[file], from).toContain(from);
    f[file] = f[file]!.replace(from, to);
  }
  return sub(f);
};
const FIX_GATEWAY: [string, string, string] = ['istio/gateway.yaml', 'gateways: ["shop-gateway"]', 'gateways: ["istio-system/shop-gateway"]'];
const FIX_SUBSET: [string, string, string] = ['istio/traffic.yaml', 'labels: { version: v2, app.kubernetes.io/version: "2.4.0" }', 'labels: { version: v2 }'];
const FIX_TLS: [string, string, string] = ['istio/traffic.yaml', '    tls:\n      mode: DISABLE\n', ''];
const FIX_PATHS: [string, string, string] = ['istio/security.yaml', '"/api/checkout/*"]', '"/api/checkout"]'];

describe('week 10 troubleshooting: the mesh that answers 503', () => {
  it('scores the reference solution full marks, check by check, in the manifest order', async () => {
    const v = await grade(load2('solution'));
    expect(v.checks.map((c) => c.id)).toEqual(manifest.checks.map((c) => c.id));
    expect(failed(v)).toEqual([]);
    expect(score(v)).toBe(maxScore);
  });

  it('keeps the starter below the pass mark, failing every fault it has and nothing else', async () => {
    const v = await grade(load2('starter'));
    expect(score(v)).toBeLessThan(maxScore * manifest.passRatio);
    expect(failed(v)).toEqual(['authz', 'ingress', 'mtls', 'subsets']);
    expect(en(v, 'ingress')).toMatch(
      /404 NR: 120.*istio\/gateway\.yaml:21: .*name shop\/shop-gateway, while the ingress gateway runs istio-system\/shop-gateway/,
    );
    expect(en(v, 'subsets')).toMatch(/istio\/traffic\.yaml:22: .*app\.kubernetes\.io\/version=2\.4\.0.*503 UH/);
    expect(en(v, 'mtls')).toMatch(/503 URX: \d+.*istio\/traffic\.yaml:17: the trafficPolicy sets tls\.mode DISABLE/);
    expect(en(v, 'authz')).toMatch(/POST \/api\/checkout .*403.*"\/x\/\*" matches what is under \/x\//);
  });

  const cases = fs.readdirSync(path.join(LAB, 'cases'));
  it('has at least five known-wrong cases', () => expect(cases.length).toBeGreaterThanOrEqual(5));
  for (const c of cases) {
    it(`case ${c} fails exactly its expected checks, naming a file and line`, async () => {
      const expected = [...readCase(path.join(LAB, 'cases', c)).expect.fail].sort();
      const v = await grade(load2(`cases/${c}`));
      expect(failed(v)).toEqual(expected);
      for (const id of expected) expect(en(v, id), id).toMatch(/(istio|k8s)\/[\w.-]+\.ya?ml:\d+/);
    });
  }

  const variants = fs.readdirSync(path.join(LAB, 'variants'));
  it('has at least five variants', () => expect(variants.length).toBeGreaterThanOrEqual(5));
  for (const d of variants) {
    it(`variant ${d} scores full marks`, async () => {
      const v = await grade(load2(`variants/${d}`));
      expect(failed(v)).toEqual([]);
    });
  }

  // Equivalent repairs of each fault: every one the mesh accepts passes, and each leaves the others failing.
  it.each([
    ['bare name → namespace/name', FIX_GATEWAY],
    [
      './ is not a namespace here, but istio-system/ is',
      ['istio/gateway.yaml', 'gateways: ["shop-gateway"]', 'gateways: ["istio-system/shop-gateway", "mesh"]'] as [string, string, string],
    ],
    [
      'the Gateway moved to shop',
      ['istio/gateway.yaml', '  namespace: istio-system\nspec:\n  selector:', '  namespace: shop\nspec:\n  selector:'] as [string, string, string],
    ],
  ])('ingress repaired (%s): only the other faults remain', async (_, fix) => {
    const v = await grade(repair(fix));
    expect(failed(v)).toEqual(['authz', 'mtls', 'subsets']);
  });

  it.each([
    ['the stale label dropped', FIX_SUBSET],
    [
      'the label set to the release',
      ['istio/traffic.yaml', 'app.kubernetes.io/version: "2.4.0"', 'app.kubernetes.io/version: "2.4.1"'] as [string, string, string],
    ],
    [
      'the Pods relabelled to what the subset asks',
      ['k8s/checkout.yaml', 'app.kubernetes.io/version: "2.4.1"\n    spec:', 'app.kubernetes.io/version: "2.4.0"\n    spec:'] as [string, string, string],
    ],
  ])('subsets repaired (%s)', async (_, fix) => {
    const v = await grade(repair(FIX_GATEWAY, FIX_TLS, FIX_PATHS, fix));
    expect(failed(v)).toEqual([]);
  });

  it.each([
    ['tls removed (auto mTLS)', FIX_TLS],
    ['ISTIO_MUTUAL', ['istio/traffic.yaml', 'mode: DISABLE', 'mode: ISTIO_MUTUAL'] as [string, string, string]],
  ])('mtls repaired (%s)', async (_, fix) => {
    const v = await grade(repair(FIX_GATEWAY, FIX_SUBSET, FIX_PATHS, fix));
    expect(failed(v)).toEqual([]);
  });

  it.each([
    ['exact /api/checkout', FIX_PATHS],
    ['prefix /api/checkout*', ['istio/security.yaml', '"/api/checkout/*"]', '"/api/checkout*"]'] as [string, string, string]],
    ['both the path and its sub-paths', ['istio/security.yaml', '"/api/checkout/*"]', '"/api/checkout", "/api/checkout/*"]'] as [string, string, string]],
  ])('authz repaired (%s)', async (_, fix) => {
    const v = await grade(repair(FIX_GATEWAY, FIX_SUBSET, FIX_TLS, fix));
    expect(failed(v)).toEqual([]);
  });

  it('tells the masked 403 apart: with the TLS fault still there, the denial is predicted, not observed', async () => {
    const v = await grade(repair(FIX_GATEWAY, FIX_SUBSET));
    expect(en(v, 'authz')).toMatch(/hidden behind an earlier error/);
    const w = await grade(repair(FIX_GATEWAY, FIX_SUBSET, FIX_TLS));
    expect(failed(w)).toEqual(['authz']);
    expect(en(w, 'authz')).toMatch(/\(\d+ of the hidden requests\)/);
  });

  it('routes as Envoy does: about 10% of ordinary calls reach v2, every tester call does', async () => {
    const m = load(load2('solution'), { required: [] });
    const t = run(m);
    const v2 = t.ordinary.filter((l) => l.result === '200 v2').length;
    expect(v2 + t.ordinary.filter((l) => l.result === '200 v1').length).toBe(t.ordinary.length);
    expect(v2).toBeGreaterThan(35);
    expect(v2).toBeLessThan(85);
    expect(counts(t.testers)).toBe('200 v2: 40');
    expect(counts(t.ingress)).toBe('200 frontend: 120');
  });

  it('refuses repairs that remove what the incident was about', async () => {
    // plain text accepted on checkout alone (a workload-level PERMISSIVE) is not a repair either
    const v = await grade(
      edit('istio/security.yaml', [
        'spec: {}\n---\n# The frontend',
        'spec: {}\n---\napiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: { name: checkout, namespace: shop }\nspec:\n  selector: { matchLabels: { app: checkout } }\n  mtls: { mode: PERMISSIVE }\n---\n# The frontend',
      ]),
    );
    expect(failed(v)).toEqual(['mtls']);
    expect(en(v, 'mtls')).toMatch(/istio\/security\.yaml:\d+: the Pods of checkout-v1 run with PERMISSIVE/);
    // a Gateway taking every host
    const w = await grade(edit('istio/gateway.yaml', ['      hosts: ["shop.example.com"]', '      hosts: ["*"]']));
    expect(failed(w)).toEqual(['still-works']);
  });

  it('grades hostile or broken input with a clear message, never a crash', async () => {
    await expect(grade(sub({ 'istio/gateway.yaml': 'x: 1\n' }))).rejects.toThrow(NotGradable);
    const f = files('solution');
    await expect(grade(sub({ ...f, 'istio/traffic.yaml': 'a: [\n' }))).rejects.toThrow(NotGradable);
    const v = await grade(sub({ ...f, 'istio/gateway.yaml': f['istio/gateway.yaml']!.replace('gateways: ["istio-system/shop-gateway"]', 'gateways: 42') }));
    expect(failed(v)).toEqual(['ingress', 'schema']);
  });
});
