import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { Submission, NotGradable, type GraderVerdict } from '../../../grader-kit/index';
import { labManifest } from '../../../lib/labs/manifest';
import { readCase } from '../../../lib/labs/registry';
import { fqdn, grade, ISTIO_SOURCE, rng } from './checks';

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
  new Submission(
    new Map(dir.startsWith('cases/') ? readCase(path.join(LAB, dir)).files.map((f) => [f.path, f.content] as const) : readDir(path.join(LAB, dir))),
  );
const solution = () => Object.fromEntries(readDir(path.join(LAB, 'solution')).map(([k, v]) => [k, v.toString('utf8')]));
const sub = (files: Record<string, string>) => new Submission(new Map(Object.entries(files).map(([k, v]) => [k, Buffer.from(v)])));
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
      for (const id of expected) {
        const m = v.checks.find((c) => c.id === id)!.message as { ko: string; en: string };
        expect(m.en, id).toMatch(/(istio|k8s)\/[\w.-]+\.ya?ml:\d+/);
        expect(m.ko, id).toMatch(/(istio|k8s)\/[\w.-]+\.ya?ml:\d+/);
      }
    });
  }

  it('names the file and line of a wrong weight, and reads weights as shares of their sum', async () => {
    const v = await grade(edit('istio/traffic.yaml', 'weight: 90', 'weight: 80'));
    expect(failed(v)).toEqual(['weights']);
    expect(en(v, 'weights')).toMatch(
      /istio\/traffic\.yaml:40: this route, which ordinary requests take, declares v1 80, v2 10, so it sends 88\.9% to v1 and 11\.1% to v2/,
    );
  });

  it('routes by Envoy semantics: exact header match is case-sensitive in the value, headers are case-insensitive in the name', async () => {
    const v = await grade(edit('istio/traffic.yaml', 'exact: "always"', 'exact: "Always"'));
    expect(failed(v)).toEqual(['routing']);
    expect(en(v, 'routing')).toMatch(/tester requests .* went: v1 \d+, v2 \d+/);
  });

  const traffic = (files: Record<string, string>) => files['istio/traffic.yaml']!;
  it('accepts a prefix match and short host names resolved in the namespace', async () => {
    const v = await grade(
      sub({
        ...solution(),
        'istio/traffic.yaml': traffic(solution())
          .replace('exact: "always"', 'prefix: "always"')
          .replaceAll('host: checkout.shop.svc.cluster.local', 'host: checkout'),
      }),
    );
    expect(failed(v)).toEqual([]);
  });

  it('sees a mesh-wide STRICT policy in istio-system, and a workload PERMISSIVE override', async () => {
    const meshWide = solution()['istio/security.yaml']!.replace('name: default\n  namespace: shop', 'name: default\n  namespace: istio-system');
    expect(failed(await grade(sub({ ...solution(), 'istio/security.yaml': meshWide })))).toEqual([]);
    const override =
      solution()['istio/security.yaml'] +
      '---\napiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: { name: loose, namespace: shop }\nspec:\n  selector: { matchLabels: { app: checkout } }\n  mtls: { mode: PERMISSIVE }\n';
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
    expect(en(w, 'weights')).toMatch(/sends 80% to v1 and 20% to v2/);
  });

  it('catches a header match on presence only: other x-canary values must not reach the canary', async () => {
    const v = await grade(edit('istio/traffic.yaml', 'exact: "always"', 'regex: ".*"'));
    expect(failed(v)).toEqual(['routing']);
    expect(en(v, 'routing')).toMatch(
      /1000 ordinary requests .* went: v1 \d+, v2 \d+\. .*about 100 ±\d+ to v2.*istio\/traffic\.yaml:31: 150 ordinary requests \(e\.g\. GET \/api\/cart, x-canary: never\) match this route too/,
    );
  });

  it('sees a port-level tls override in the DestinationRule and a namespace-wide ALLOW for others', async () => {
    const v = await grade(
      edit(
        'istio/traffic.yaml',
        '      mode: ISTIO_MUTUAL\n',
        '      mode: ISTIO_MUTUAL\n    portLevelSettings:\n      - port: { number: 8080 }\n        tls: { mode: DISABLE }\n',
      ),
    );
    expect(failed(v)).toEqual(['mtls']);
    expect(en(v, 'mtls')).toMatch(
      /istio\/traffic\.yaml:14: a port-level setting \(port 8080\) sets tls\.mode DISABLE for traffic to checkout\.shop\.svc\.cluster\.local/,
    );
    const s = solution();
    s['istio/security.yaml'] +=
      '---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: { name: from-monitoring, namespace: shop }\nspec:\n  rules:\n    - from:\n        - source: { namespaces: ["monitoring"] }\n';
    const w = await grade(sub(s));
    expect(failed(w)).toEqual(['authz']);
    expect(en(w, 'authz')).toMatch(/istio\/security\.yaml:43: this rule of from-monitoring lets cluster\.local\/ns\/monitoring\/sa\/probe call checkout too/);
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
    await expect(grade(sub({ ...solution(), 'istio/traffic.yaml': 'kind: Service\napiVersion: v1\nmetadata: { name: x }\n' }))).rejects.toThrow(
      /no VirtualService/,
    );
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

describe('equivalent forms and near misses (table)', () => {
  const tr = () => solution()['istio/traffic.yaml']!;
  const se = () => solution()['istio/security.yaml']!;
  const swap = (text: string, from: string, to: string) => {
    expect(text, `the solution no longer contains ${JSON.stringify(from)}`).toContain(from);
    return text.replace(from, to);
  };
  const with_ = (over: Record<string, string>) => sub({ ...solution(), ...over });
  const rows: { name: string; files: () => Submission; fail: string[] }[] = [
    // equivalents
    {
      name: 'short host names everywhere',
      files: () => with_({ 'istio/traffic.yaml': tr().replaceAll('checkout.shop.svc.cluster.local', 'checkout') }),
      fail: [],
    },
    {
      name: 'host as name.namespace',
      files: () => with_({ 'istio/traffic.yaml': tr().replaceAll('checkout.shop.svc.cluster.local', 'checkout.shop') }),
      fail: [],
    },
    {
      name: 'no metadata.namespace (applied with -n shop)',
      files: () =>
        with_({ 'istio/traffic.yaml': tr().replaceAll('  namespace: shop\n', ''), 'istio/security.yaml': se().replaceAll('  namespace: shop\n', '') }),
      fail: [],
    },
    {
      name: 'weights 9 and 1 (relative)',
      files: () => with_({ 'istio/traffic.yaml': swap(swap(tr(), 'weight: 90', 'weight: 9'), 'weight: 10', 'weight: 1') }),
      fail: [],
    },
    {
      name: 'weights 900 and 100',
      files: () => with_({ 'istio/traffic.yaml': swap(swap(tr(), 'weight: 90', 'weight: 900'), 'weight: 10', 'weight: 100') }),
      fail: [],
    },
    {
      name: 'default route destinations in the other order',
      files: () =>
        with_({
          'istio/traffic.yaml': swap(
            tr(),
            '        - destination:\n            host: checkout.shop.svc.cluster.local\n            subset: v1\n          weight: 90\n        - destination:\n            host: checkout.shop.svc.cluster.local\n            subset: v2\n          weight: 10',
            '        - destination:\n            host: checkout.shop.svc.cluster.local\n            subset: v2\n          weight: 10\n        - destination:\n            host: checkout.shop.svc.cluster.local\n            subset: v1\n          weight: 90',
          ),
        }),
      fail: [],
    },
    {
      name: 'a case-insensitive regex for the tester header',
      files: () => with_({ 'istio/traffic.yaml': swap(tr(), 'exact: "always"', 'regex: "(?i)always"') }),
      fail: [],
    },
    {
      name: 'a catch-all match on the default route',
      files: () =>
        with_({
          'istio/traffic.yaml': swap(tr(), '    - name: canary-split\n', '    - name: canary-split\n      match:\n        - uri:\n            prefix: /\n'),
        }),
      fail: [],
    },
    {
      name: 'gateways: [mesh] written out',
      files: () =>
        with_({
          'istio/traffic.yaml': swap(
            tr(),
            '  hosts:\n    - checkout.shop.svc.cluster.local\n  http:',
            '  hosts:\n    - checkout.shop.svc.cluster.local\n  gateways:\n    - mesh\n    - istio-system/public\n  http:',
          ),
        }),
      fail: [],
    },
    {
      name: 'no tls in the DestinationRule (auto mTLS)',
      files: () => with_({ 'istio/traffic.yaml': swap(tr(), '  trafficPolicy:\n    tls:\n      mode: ISTIO_MUTUAL\n', '') }),
      fail: [],
    },
    {
      name: 'ISTIO_MUTUAL on each subset instead of the host',
      files: () =>
        with_({
          'istio/traffic.yaml': swap(
            swap(
              swap(tr(), '  trafficPolicy:\n    tls:\n      mode: ISTIO_MUTUAL\n', ''),
              '        version: v1\n',
              '        version: v1\n      trafficPolicy: { tls: { mode: ISTIO_MUTUAL } }\n',
            ),
            '        version: v2\n',
            '        version: v2\n      trafficPolicy: { tls: { mode: ISTIO_MUTUAL } }\n',
          ),
        }),
      fail: [],
    },
    {
      name: 'deny-by-default as action: ALLOW without rules',
      files: () =>
        with_({
          'istio/security.yaml': swap(
            se(),
            'name: allow-nothing\n  namespace: shop\nspec: {}',
            'name: allow-nothing\n  namespace: shop\nspec:\n  action: ALLOW',
          ),
        }),
      fail: [],
    },
    {
      name: 'deny-by-default with an empty rules list',
      files: () =>
        with_({
          'istio/security.yaml': swap(se(), 'name: allow-nothing\n  namespace: shop\nspec: {}', 'name: allow-nothing\n  namespace: shop\nspec:\n  rules: []'),
        }),
      fail: [],
    },
    {
      name: 'mesh-wide allow-nothing and STRICT in istio-system',
      files: () =>
        with_({
          'istio/security.yaml': se()
            .replace('name: default\n  namespace: shop', 'name: default\n  namespace: istio-system')
            .replace('name: allow-nothing\n  namespace: shop', 'name: allow-nothing\n  namespace: istio-system'),
        }),
      fail: [],
    },
    {
      name: 'the caller as serviceAccounts shop/frontend',
      files: () => with_({ 'istio/security.yaml': swap(se(), 'principals: ["cluster.local/ns/shop/sa/frontend"]', 'serviceAccounts: ["shop/frontend"]') }),
      fail: [],
    },
    {
      name: 'the caller as serviceAccounts frontend (same namespace)',
      files: () => with_({ 'istio/security.yaml': swap(se(), 'principals: ["cluster.local/ns/shop/sa/frontend"]', 'serviceAccounts: ["frontend"]') }),
      fail: [],
    },
    {
      name: 'the caller in a when condition',
      files: () =>
        with_({
          'istio/security.yaml': swap(
            se(),
            '    - from:\n        - source:\n            principals: ["cluster.local/ns/shop/sa/frontend"]\n',
            '    - when:\n        - key: source.principal\n          values: ["cluster.local/ns/shop/sa/frontend"]\n',
          ),
        }),
      fail: [],
    },
    {
      name: "any trust domain for the frontend's service account",
      files: () => with_({ 'istio/security.yaml': swap(se(), '"cluster.local/ns/shop/sa/frontend"', '"*/ns/shop/sa/frontend"') }),
      fail: [],
    },
    {
      name: 'a List of the security resources',
      files: () =>
        with_({
          'istio/security.yaml': `apiVersion: v1\nkind: List\nitems:\n${se()
            .split(/^---\n/m)
            .map(
              (d) =>
                `- ${d
                  .replace(/^#.*\n/gm, '')
                  .trimEnd()
                  .replace(/\n/g, '\n  ')}`,
            )
            .join('\n')}\n`,
        }),
      fail: [],
    },
    // near misses
    {
      name: 'a VirtualService in another namespace with a short host',
      files: () =>
        with_({
          'istio/traffic.yaml': swap(
            tr(),
            'name: checkout\n  namespace: shop\nspec:\n  hosts:\n    - checkout.shop.svc.cluster.local',
            'name: checkout\n  namespace: default\nspec:\n  hosts:\n    - checkout',
          ),
        }),
      fail: ['routing', 'subsets', 'weights'],
    },
    {
      name: 'exportTo hides the VirtualService from shop',
      files: () =>
        with_({
          'istio/traffic.yaml': swap(
            tr(),
            '  hosts:\n    - checkout.shop.svc.cluster.local\n  http:',
            '  exportTo: ["istio-system"]\n  hosts:\n    - checkout.shop.svc.cluster.local\n  http:',
          ),
        }),
      fail: ['routing', 'weights'],
    },
    {
      name: 'a second weightless destination gets nothing',
      files: () => with_({ 'istio/traffic.yaml': swap(tr(), '          weight: 10\n', '') }),
      fail: ['weights'],
    },
    {
      name: 'tls SIMPLE on a subset',
      files: () =>
        with_({ 'istio/traffic.yaml': swap(tr(), '        version: v2\n', '        version: v2\n      trafficPolicy: { tls: { mode: SIMPLE } }\n') }),
      fail: ['mtls'],
    },
    {
      name: 'STRICT only on checkout, the namespace left PERMISSIVE',
      files: () =>
        with_({
          'istio/security.yaml': swap(
            se(),
            'spec:\n  mtls:\n    mode: STRICT',
            'spec:\n  selector:\n    matchLabels:\n      app: checkout\n  mtls:\n    mode: STRICT',
          ),
        }),
      fail: ['mtls'],
    },
    {
      name: 'UNSET on the namespace inherits the mesh default (PERMISSIVE)',
      files: () => with_({ 'istio/security.yaml': swap(se(), 'mode: STRICT', 'mode: UNSET') }),
      fail: ['mtls'],
    },
    {
      name: 'principals "*" lets any authenticated workload in',
      files: () => with_({ 'istio/security.yaml': swap(se(), '"cluster.local/ns/shop/sa/frontend"', '"*"') }),
      fail: ['authz'],
    },
    {
      name: 'the frontend allowed only GET (its POSTs get 403)',
      files: () => with_({ 'istio/security.yaml': swap(se(), 'methods: ["GET", "POST"]', 'methods: ["GET"]') }),
      fail: ['authz'],
    },
    {
      name: 'a namespace-wide ALLOW for the frontend instead of deny-by-default plus a checkout policy',
      files: () =>
        with_({ 'istio/security.yaml': swap(se(), 'spec: {}', 'spec:\n  rules:\n    - from:\n        - source:\n            namespaces: ["shop"]') }),
      fail: ['authz'],
    },
    {
      name: 'a policy with targetRefs does not apply to sidecars',
      files: () =>
        with_({
          'istio/security.yaml': swap(
            se(),
            '  selector:\n    matchLabels:\n      app: checkout\n  action: ALLOW',
            '  targetRefs:\n    - kind: Service\n      group: ""\n      name: checkout\n  action: ALLOW',
          ),
        }),
      fail: ['authz'],
    },
  ];
  it.each(rows)('$name', async ({ files, fail }) => {
    const v = await grade(files());
    expect(failed(v), JSON.stringify(v.checks.filter((c) => !c.passed).map((c) => c.message))).toEqual([...fail].sort());
  });
});

describe('Istio 1.30 schemas', () => {
  it('accepts fields added after Istio 1.18: retries.backoff, mirrors, loadBalancer.warmup, retryBudget, source.serviceAccounts', async () => {
    const s = solution();
    s['istio/traffic.yaml'] = s['istio/traffic.yaml']!.replace(
      '      mode: ISTIO_MUTUAL\n',
      '      mode: ISTIO_MUTUAL\n    loadBalancer:\n      simple: LEAST_REQUEST\n      warmup:\n        duration: 60s\n    retryBudget:\n      percent: 20\n      minRetryConcurrency: 3\n',
    ).replace(
      '      timeout: 3s\n',
      '      timeout: 3s\n      retries:\n        attempts: 3\n        backoff: 25ms\n      mirrors:\n        - destination: { host: checkout.shop.svc.cluster.local, subset: v2 }\n          percentage: { value: 5 }\n',
    );
    s['istio/security.yaml'] = s['istio/security.yaml']!.replace('principals: ["cluster.local/ns/shop/sa/frontend"]', 'serviceAccounts: ["shop/frontend"]');
    const v = await grade(sub(s));
    expect(failed(v), en(v, 'schema')).toEqual([]);
    expect(ISTIO_SOURCE).toMatch(/istio\/api v1\.30\.\d+/);
  });

  it("applies the CRDs' own rules: durations, at-most-one fields, serviceAccounts alone, portLevelMtls with a selector", async () => {
    const t = await grade(edit('istio/traffic.yaml', 'timeout: 3s', 'timeout: 3 seconds'));
    expect(en(t, 'schema')).toMatch(/istio\/traffic\.yaml:\d+: spec\.http\[1\]\.timeout "3 seconds" must be a duration of at least 1ms/);
    const lb = await grade(
      edit(
        'istio/traffic.yaml',
        '      mode: ISTIO_MUTUAL\n',
        '      mode: ISTIO_MUTUAL\n    loadBalancer:\n      simple: ROUND_ROBIN\n      consistentHash: { useSourceIp: true }\n',
      ),
    );
    expect(en(lb, 'schema')).toMatch(/spec\.trafficPolicy\.loadBalancer: set only one of simple, consistentHash/);
    const sa = await grade(
      edit(
        'istio/security.yaml',
        'principals: ["cluster.local/ns/shop/sa/frontend"]',
        'principals: ["cluster.local/ns/shop/sa/frontend"]\n            serviceAccounts: ["shop/frontend"]',
      ),
    );
    expect(en(sa, 'schema')).toMatch(/serviceAccounts cannot be combined with principals/);
    const wild = await grade(edit('istio/security.yaml', '      app: checkout', '      app: "check*"'));
    expect(en(wild, 'schema')).toMatch(/a label value may not contain "\*"/);
  });
});

describe('hostile input', () => {
  it('gets an answer, not a crash, for resources of every wrong shape', async () => {
    const weird = [
      'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: { name: a, namespace: shop }\nspec: { hosts: [checkout], http: "x" }',
      'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: { name: b }\nspec: { hosts: [checkout], http: [1, { match: "m", route: [2, { destination: 3, weight: "w" }] }, { match: [{ headers: { x-canary: null } }], route: [{ destination: { host: checkout, subset: { a: 1 }, port: { number: "x" } } }], fault: { abort: { percentage: { value: "all" } } } }] }',
      'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: { name: c }\nspec: { host: [1], subsets: [null, { name: 5, labels: [1] }], trafficPolicy: { tls: "on", portLevelSettings: [{ port: 8080 }] } }',
      'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: { name: d }\nspec: { rules: [null, 3, { from: [{ source: { principals: "x", ipBlocks: ["999.1.1.1/99"] } }], when: [{ key: 7 }, { key: "request.headers[x]", values: [1] }] }] }',
      'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: { name: e }\nspec: { mtls: [STRICT], portLevelMtls: { "0": {} }, selector: { matchLabels: { "": "*" } } }',
      'apiVersion: v1\nkind: List\nitems: [1, "two", { apiVersion: security.istio.io/v1, kind: AuthorizationPolicy, metadata: { name: f }, spec: [] }]',
    ].join('\n---\n');
    const v = await grade(sub({ ...solution(), 'istio/traffic.yaml': weird }));
    expect(v.gradable).toBe(true);
    expect(failed(v)).toContain('schema');
    for (const c of v.checks.filter((x) => !x.passed)) expect(en(v, c.id).length).toBeGreaterThan(10);
  });

  it('a hostile regex in a match neither crashes nor hangs the simulation', async () => {
    const started = Date.now();
    const v = await grade(edit('istio/traffic.yaml', 'exact: "always"', 'regex: "(a|aa)*b["'));
    expect(v.gradable).toBe(true);
    expect(failed(v)).toContain('routing');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('cost', () => {
  it('stays fast with hundreds of routes and a policy naming thousands of callers', async () => {
    const routes = Array.from(
      { length: 400 },
      (_, i) => `    - match: [{ uri: { exact: "/nothing/${i}" } }]\n      route: [{ destination: { host: checkout, subset: v1 } }]`,
    ).join('\n');
    const many = Array.from(
      { length: 300 },
      (_, i) => `    - from: [{ source: { principals: [${Array.from({ length: 16 }, (_, j) => `"cluster.local/ns/n${i}/sa/s${j}"`).join(', ')}] } }]`,
    ).join('\n');
    const s = solution();
    s['istio/traffic.yaml'] = s['istio/traffic.yaml']!.replace('  http:\n', `  http:\n${routes}\n`);
    s['istio/extra.yaml'] =
      `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: { name: big, namespace: shop }\nspec:\n  selector: { matchLabels: { app: checkout } }\n  rules:\n${many}\n`;
    const started = Date.now();
    const v = await grade(sub(s));
    expect(failed(v)).toEqual(['authz']);
    expect(Date.now() - started).toBeLessThan(8000);
  });
});
