import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { Submission, NotGradable, type GraderVerdict } from '../../../lib/grader-kit/index';
import { labManifest } from '../../../lib/labs/manifest';
import { readCase } from '../../../lib/labs/registry';
import { fqdn, grade, rng } from './checks';

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
// A case may be an overlay on the solution (expect.json `base`): read through the same function the integration suite uses.
const load = (dir: string) =>
  new Submission(new Map(dir.startsWith('cases/') ? readCase(path.join(LAB, dir)).files.map((f) => [f.path, f.content] as const) : readDir(path.join(LAB, dir))));
const solution = () => Object.fromEntries(readDir(path.join(LAB, 'solution')).map(([k, v]) => [k, v.toString('utf8')]));
const sub = (files: Record<string, string>) => new Submission(new Map(Object.entries(files).map(([k, v]) => [k, Buffer.from(v)])));
const failed = (v: GraderVerdict) => v.checks.filter((c) => !c.passed).map((c) => c.id).sort();
const score = (v: GraderVerdict) => v.checks.reduce((s, c) => s + c.points, 0);
const en = (v: GraderVerdict, id: string) => {
  const m = v.checks.find((c) => c.id === id)?.message;
  return typeof m === 'object' ? m.en : (m ?? '');
};
const edit = (file: string, from: string, to: string) => {
  const s = solution();
  expect(s[file]).toContain(from);
  s[file] = s[file]!.replace(from, to);
  return sub(s);
};

describe('week 10 service mesh grader', () => {
  it('scores the reference solution full marks, check by check', async () => {
    const v = await grade(load('solution'));
    expect(v.gradable).toBe(true);
    expect(v.checks.map((c) => c.id)).toEqual(manifest.checks.map((c) => c.id));
    expect(failed(v)).toEqual([]);
    expect(score(v)).toBe(maxScore);
  });

  it('keeps the starter below the pass mark', async () => {
    const v = await grade(load('starter'));
    expect(score(v)).toBeLessThan(maxScore * manifest.passRatio);
  });

  const cases = fs.readdirSync(path.join(LAB, 'cases'));
  it('has at least five known-wrong cases', () => expect(cases.length).toBeGreaterThanOrEqual(5));
  for (const c of cases) {
    it(`case ${c} fails exactly its expected checks`, async () => {
      const expected = [...readCase(path.join(LAB, 'cases', c)).expect.fail].sort();
      const v = await grade(load(`cases/${c}`));
      expect(failed(v)).toEqual(expected);
      for (const id of expected) expect(en(v, id).length).toBeGreaterThan(10);
    });
  }

  it('names the file and line of a wrong weight', async () => {
    const v = await grade(edit('istio/traffic.yaml', 'weight: 90', 'weight: 80'));
    expect(en(v, 'weights')).toMatch(/istio\/traffic\.yaml:\d+: the default route's weights add up to 90/);
  });

  it('routes by Envoy semantics: exact header match is case-sensitive in the value, headers are case-insensitive in the name', async () => {
    const v = await grade(edit('istio/traffic.yaml', 'exact: "always"', 'exact: "Always"'));
    expect(failed(v)).toEqual(['routing']);
    expect(en(v, 'routing')).toMatch(/tester requests .* went: v1 \d+, v2 \d+/);
  });

  it('accepts a prefix match and short host names resolved in the namespace', async () => {
    const v = await grade(
      sub({
        ...solution(),
        'istio/traffic.yaml': solution()['istio/traffic.yaml']!.replace('exact: "always"', 'prefix: "always"').replaceAll('host: checkout.shop.svc.cluster.local', 'host: checkout'),
      }),
    );
    expect(failed(v)).toEqual([]);
  });

  it('sees a mesh-wide STRICT policy in istio-system, and a workload PERMISSIVE override', async () => {
    const meshWide = solution()['istio/security.yaml']!.replace('name: default\n  namespace: shop', 'name: default\n  namespace: istio-system');
    expect(failed(await grade(sub({ ...solution(), 'istio/security.yaml': meshWide })))).toEqual([]);
    const override = solution()['istio/security.yaml'] + '---\napiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: { name: loose, namespace: shop }\nspec:\n  selector: { matchLabels: { app: checkout } }\n  mtls: { mode: PERMISSIVE }\n';
    const v = await grade(sub({ ...solution(), 'istio/security.yaml': override }));
    expect(failed(v)).toEqual(['mtls']);
    expect(en(v, 'mtls')).toContain('PERMISSIVE');
  });

  it('reports unknown fields at any depth and wrong enums with their lines', async () => {
    const v = await grade(edit('istio/traffic.yaml', '  subsets:\n', '  subset:\n'));
    expect(en(v, 'schema')).toMatch(/istio\/traffic\.yaml:12: spec has no field "subset" \(did you mean "subsets"\?\)/);
    const deep = await grade(edit('istio/traffic.yaml', 'weight: 10', 'weigth: 10'));
    expect(en(deep, 'schema')).toMatch(/istio\/traffic\.yaml:\d+: spec\.http\[1\]\.route\[1\] has no field "weigth" \(did you mean "weight"\?\)/);
    const w = await grade(edit('istio/security.yaml', 'mode: STRICT', 'mode: STRICTLY'));
    expect(en(w, 'schema')).toMatch(/istio\/security\.yaml:9: spec\.mtls\.mode must be one of UNSET, DISABLE, PERMISSIVE, STRICT/);
    const t = await grade(edit('istio/traffic.yaml', 'weight: 90', 'weight: "90"'));
    expect(en(t, 'schema')).toMatch(/spec\.http\[1\]\.route\[0\]\.weight must be of type integer/);
  });

  it('simulates the split the learner declared: 80/20 fails only the 90/10 check', async () => {
    const v = await grade(edit('istio/traffic.yaml', 'weight: 90', 'weight: 80'));
    expect(failed(v)).toEqual(['weights']);
    const s = solution();
    s['istio/traffic.yaml'] = s['istio/traffic.yaml']!.replace('weight: 90', 'weight: 80').replace('weight: 10', 'weight: 20');
    const w = await grade(sub(s));
    expect(failed(w)).toEqual(['weights']);
    expect(en(w, 'weights')).toMatch(/gives v1 80% and the rest 20%/);
  });

  it('catches a header match on presence only: other x-canary values must not reach the canary', async () => {
    const v = await grade(edit('istio/traffic.yaml', 'exact: "always"', 'regex: ".*"'));
    expect(failed(v)).toEqual(['routing']);
    expect(en(v, 'routing')).toMatch(/1000 ordinary requests .* went: v1 \d+, v2 \d+\. Your default route \(istio\/traffic\.yaml:\d+\) declares v1 90, v2 10/);
  });

  it('sees a port-level tls override in the DestinationRule and a namespace-wide ALLOW for others', async () => {
    const v = await grade(edit('istio/traffic.yaml', '      mode: ISTIO_MUTUAL\n', '      mode: ISTIO_MUTUAL\n    portLevelSettings:\n      - port: { number: 8080 }\n        tls: { mode: DISABLE }\n'));
    expect(failed(v)).toEqual(['mtls']);
    expect(en(v, 'mtls')).toMatch(/istio\/traffic\.yaml:14: a port-level setting overrides tls\.mode with DISABLE/);
    const s = solution();
    s['istio/security.yaml'] += '---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: { name: from-monitoring, namespace: shop }\nspec:\n  rules:\n    - from:\n        - source: { namespaces: ["monitoring"] }\n';
    const w = await grade(sub(s));
    expect(failed(w)).toEqual(['authz']);
    expect(en(w, 'authz')).toMatch(/istio\/security\.yaml:\d+: this rule lets in callers other than/);
  });

  it('asks for the v1 APIs: v1beta1 is flagged as well as v1alpha3', async () => {
    const v = await grade(edit('istio/security.yaml', 'security.istio.io/v1\nkind: PeerAuthentication', 'security.istio.io/v1beta1\nkind: PeerAuthentication'));
    expect(failed(v)).toEqual(['schema']);
    expect(en(v, 'schema')).toMatch(/istio\/security\.yaml:2: security\.istio\.io\/v1beta1 is a pre-v1 API/);
    const g = await grade(edit('istio/traffic.yaml', 'networking.istio.io/v1\nkind: DestinationRule', 'security.istio.io/v1\nkind: DestinationRule'));
    expect(en(g, 'schema')).toMatch(/a DestinationRule is networking\.istio\.io\/v1/);
  });

  it('reports every check as it completes', async () => {
    const seen: string[] = [];
    await grade(load('solution'), { progress: (c) => seen.push(c.id) });
    expect(seen).toEqual(manifest.checks.map((c) => c.id));
  });

  it('turns wrong files and malformed YAML into not-gradable with a message', async () => {
    await expect(grade(sub({ 'notes.md': '# hi' }))).rejects.toBeInstanceOf(NotGradable);
    await expect(grade(sub({ ...solution(), 'istio/traffic.yaml': 'a: [1, 2\n' }))).rejects.toThrow(/YAML/);
    await expect(grade(sub({ ...solution(), 'istio/traffic.yaml': 'kind: Service\napiVersion: v1\nmetadata: { name: x }\n' }))).rejects.toThrow(/no VirtualService/);
  });

  it('has a deterministic generator and resolves host names like Istio', () => {
    const a = rng(7);
    const b = rng(7);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
    expect(fqdn('checkout', 'shop')).toBe('checkout.shop.svc.cluster.local');
    expect(fqdn('checkout.shop', 'other')).toBe('checkout.shop.svc.cluster.local');
    expect(fqdn('Checkout.Shop.svc.cluster.local', 'x')).toBe('checkout.shop.svc.cluster.local');
  });
});
