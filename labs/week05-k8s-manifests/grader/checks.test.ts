import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { Submission, NotGradable, type GraderVerdict } from '../../../grader-kit/index';
import { labManifest } from '../../../lib/labs/manifest';
import { readCase } from '../../../lib/labs/registry';
import { grade, splitImage } from './checks';
import { compareQuantity, parseQuantity } from '../../../grader-kit/k8s-quantity';
import { validateObject } from './schema';

const LAB = path.resolve(import.meta.dirname, '..');
const manifest = labManifest.parse(YAML.parse(fs.readFileSync(path.join(LAB, 'lab.yaml'), 'utf8')));
const max = Object.fromEntries(manifest.checks.map((c) => [c.id, c.points]));
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
const sub = (files: Record<string, string | Buffer>) =>
  new Submission(new Map(Object.entries(files).map(([k, v]) => [k, Buffer.isBuffer(v) ? v : Buffer.from(v)])));
const solutionFiles = () => Object.fromEntries(readDir(path.join(LAB, 'solution')).map(([k, v]) => [k, v.toString('utf8')]));
const failed = (v: GraderVerdict) =>
  v.checks
    .filter((c) => !c.passed)
    .map((c) => c.id)
    .sort();
const score = (v: GraderVerdict) => v.checks.reduce((s, c) => s + c.points, 0);
const outcome = (p: Promise<GraderVerdict>) =>
  p.then(
    (v) => (v.gradable ? 'verdict' : 'not-gradable'),
    (e) => (e instanceof NotGradable ? 'not-gradable' : e),
  );

describe('quantities', () => {
  it('parse CPU and memory the way Kubernetes does', () => {
    const eq = (a: string | number, b: string | number) => expect(compareQuantity(parseQuantity(a)!, parseQuantity(b)!)).toBe(0);
    eq('250m', '0.25');
    eq(0.5, '500m');
    eq('1', 1);
    eq('128Mi', 128 * 1024 * 1024);
    eq('1Gi', '1024Mi');
    eq('1G', '1e9');
    eq('1k', '1000');
    expect(compareQuantity(parseQuantity('1Gi')!, parseQuantity('1G')!)).toBe(1);
    expect(compareQuantity(parseQuantity('100m')!, parseQuantity('1')!)).toBe(-1);
  });
  it('refuses what is not a quantity', () => {
    for (const bad of ['128MB', '1K', 'abc', '', '1e999', '--1', '1.2.3']) expect(parseQuantity(bad)).toBeNull();
  });
});

describe('images', () => {
  it('split name, tag and digest, registry ports included', () => {
    expect(splitImage('nginx')).toEqual({ name: 'nginx', digest: undefined });
    expect(splitImage('nginx:1.28')).toEqual({ name: 'nginx', tag: '1.28', digest: undefined });
    expect(splitImage('localhost:5000/web')).toEqual({ name: 'localhost:5000/web', digest: undefined });
    expect(splitImage('localhost:5000/web:2.0')).toMatchObject({ name: 'localhost:5000/web', tag: '2.0' });
    expect(splitImage('web@sha256:abc')).toMatchObject({ name: 'web', digest: 'sha256:abc' });
  });
});

describe('schema', () => {
  it('names an unknown field and suggests the right spelling', () => {
    const d = YAML.parse(fs.readFileSync(path.join(LAB, 'solution/k8s/deployment.yaml'), 'utf8'));
    d.spec.template.spec.containers[0].readinessprobe = d.spec.template.spec.containers[0].readinessProbe;
    const p = validateObject(d);
    expect(p.map((x) => x.en).join(' ')).toMatch(/unknown field "readinessprobe".*did you mean "readinessProbe"/);
  });
  it('reports wrong types and the legacy apiVersion', () => {
    const p = validateObject({
      apiVersion: 'apps/v1beta2',
      kind: 'Deployment',
      metadata: { name: 'Web_App' },
      spec: { replicas: 'two', selector: { matchLabels: { a: 'b' } }, template: { spec: { containers: [{ name: 'w', image: 'x:1' }] } } },
    });
    const text = p.map((x) => x.en).join(' | ');
    expect(text).toMatch(/apps\/v1/);
    expect(text).toMatch(/spec.replicas must be of type integer/);
    expect(text).toMatch(/Web_App/);
  });
});

describe('week05 grader', () => {
  it('check ids match the manifest', async () => {
    const v = await grade(load('solution'));
    expect(v.checks.map((c) => c.id).sort()).toEqual(manifest.checks.map((c) => c.id).sort());
  });

  it('the solution gets full marks', async () => {
    const v = await grade(load('solution'));
    for (const c of v.checks) {
      expect(c.passed, `${c.id}: ${JSON.stringify(c.message)}`).toBe(true);
      expect(c.points).toBe(max[c.id]);
    }
  });

  it('the solution also passes without its kustomization', async () => {
    const files = solutionFiles();
    delete files['k8s/kustomization.yaml'];
    delete files['k8s/namespace.yaml'];
    expect(failed(await grade(sub(files)))).toEqual([]);
  });

  const cases = fs.readdirSync(path.join(LAB, 'cases'));
  it('has at least three cases', () => expect(cases.length).toBeGreaterThanOrEqual(3));
  it.each(cases)('case %s fails exactly its expected checks, saying where', async (c) => {
    const expected = readCase(path.join(LAB, 'cases', c)).expect.fail;
    const v = await grade(load(`cases/${c}`));
    expect(failed(v)).toEqual([...expected].sort());
    for (const f of v.checks.filter((x) => !x.passed)) {
      const m = f.message as { ko: string; en: string };
      expect(m.en).toMatch(/k8s\/[\w.-]+\.yaml:\d+/);
      expect(m.ko).toMatch(/k8s\/[\w.-]+\.yaml:\d+/);
    }
  });

  it('the starter stays below the pass mark', async () => {
    const v = await grade(load('starter'));
    expect(score(v)).toBeLessThan(manifest.passRatio * maxScore);
  });

  it('accepts the other correct ways: numeric targetPort, matchExpressions, grpc probe, HPA, kustomize overrides', async () => {
    const files = solutionFiles();
    files['k8s/service.yaml'] = files['k8s/service.yaml']!.replace('targetPort: http', 'targetPort: 8080');
    files['k8s/deployment.yaml'] = files['k8s/deployment.yaml']!.replace(
      '    matchLabels:\n      app.kubernetes.io/name: checkout',
      '    matchExpressions:\n      - { key: app.kubernetes.io/name, operator: In, values: [checkout] }',
    )
      .replace('replicas: 2', 'replicas: 1')
      .replace('image: registry.example.com/shop/checkout:1.4.0', 'image: registry.example.com/shop/checkout')
      .replace('httpGet:\n              path: /healthz\n              port: http', 'grpc:\n              port: 8080')
      .replace('cpu: 500m', 'cpu: "1"')
      .replace('memory: 256Mi', 'memory: 0.5Gi');
    files['k8s/kustomization.yaml'] +=
      'images:\n  - name: registry.example.com/shop/checkout\n    newTag: 1.4.0\nreplicas:\n  - name: checkout\n    count: 3\n';
    expect(failed(await grade(sub(files)))).toEqual([]);

    const hpa = sub({
      ...solutionFiles(),
      'k8s/deployment.yaml': solutionFiles()['k8s/deployment.yaml']!.replace('  replicas: 2\n', ''),
      'k8s/hpa.yaml':
        'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: checkout\nspec:\n  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: checkout }\n  minReplicas: 2\n  maxReplicas: 5\n',
    });
    const v = await grade(hpa);
    expect(failed(v)).toEqual(['schema']); // hpa.yaml is not listed in the kustomization
    expect(JSON.stringify(v.checks.find((c) => c.id === 'schema')!.message)).toMatch(/resources/);
  });

  it('requests above limits are caught across units', async () => {
    const files = solutionFiles();
    files['k8s/deployment.yaml'] = files['k8s/deployment.yaml']!.replace('cpu: 100m', 'cpu: "0.6"');
    const v = await grade(sub(files));
    expect(failed(v)).toEqual(['resources']);
    expect(JSON.stringify(v.checks.find((c) => c.id === 'resources')!.message)).toMatch(/k8s\/deployment.yaml:30/);
  });

  it('malformed submissions are not gradable', async () => {
    const s = solutionFiles();
    await expect(grade(sub({ 'k8s/service.yaml': s['k8s/service.yaml']! }))).rejects.toThrow(/deployment.yaml is missing/);
    await expect(grade(sub({ ...s, 'k8s/deployment.yaml': '# nothing yet\n' }))).rejects.toThrow(/empty/);
    await expect(grade(sub({ ...s, 'k8s/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\n  metadata: x\n' }))).rejects.toThrow(
      /deployment.yaml:\d+: YAML syntax error/,
    );
    await expect(grade(sub({ ...s, 'k8s/service.yaml': Buffer.from([0xff, 0xfe, 0x41]) }))).rejects.toThrow(/UTF-8/);
    await expect(grade(sub({ ...s, 'k8s/deployment.yaml': s['k8s/service.yaml']! }))).rejects.toThrow(NotGradable);
    await expect(grade(sub({ ...s, 'k8s/deployment.yaml': 'a: 1\na: 2\n' }))).rejects.toThrow(NotGradable);
  });

  it('hostile input gets an answer, not a crash', async () => {
    const s = solutionFiles();
    const bomb =
      'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n';
    expect(await outcome(grade(sub({ ...s, 'k8s/service.yaml': bomb })))).toBe('not-gradable');
    const depth = 5000;
    expect(await outcome(grade(sub({ ...s, 'k8s/extra.yaml': 'x: ' + '{ a: '.repeat(depth) + '1' + ' }'.repeat(depth) })))).toBe('not-gradable');
    expect(await outcome(grade(sub({ ...s, 'k8s/extra.yaml': '---\nkind: ConfigMap\n'.repeat(200) })))).toBe('not-gradable');
    // Every field of the wrong shape: the checks fail, nothing throws.
    const weird =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: [1]\nspec:\n  replicas: -3\n  selector: "all"\n  template:\n    metadata: { labels: [a] }\n    spec:\n      containers:\n        - 7\n        - name: { x: 1 }\n          ports: [null, { containerPort: "http" }]\n          image: ["x"]\n          resources: { requests: { cpu: [1] }, limits: "lots" }\n          readinessProbe: { httpGet: null }\n          livenessProbe: 3\n';
    const svc =
      'apiVersion: v1\nkind: Service\nmetadata: { name: 1 }\nspec:\n  selector: [x]\n  ports: [5, { port: "80", targetPort: { a: 1 } }]\n---\n- just\n- a list\n---\n42\n';
    const v = await grade(
      sub({
        'k8s/deployment.yaml': weird,
        'k8s/service.yaml': svc,
        'k8s/kustomization.yaml': 'resources: 5\nimages: [1]\nreplicas: { a: 1 }\nnamespace: [x]\nbogus: true\n',
      }),
    );
    expect(v.gradable).toBe(true);
    expect(score(v)).toBe(0);
  });

  it('is deterministic', async () => {
    const a = await grade(load('cases/requests-above-limits'));
    const b = await grade(load('cases/requests-above-limits'));
    expect(a).toEqual(b);
  });
});

describe('equivalent forms (table)', () => {
  const dep = () => solutionFiles()['k8s/deployment.yaml']!;
  const svc = () => solutionFiles()['k8s/service.yaml']!;
  const withFiles = (over: Record<string, string>, drop: string[] = []) => {
    const f = { ...solutionFiles(), ...over };
    for (const d of drop) delete f[d];
    return sub(f);
  };
  const swap = (text: string, from: string, to: string) => {
    expect(text, `the solution no longer contains ${JSON.stringify(from)}`).toContain(from);
    return text.replace(from, to);
  };
  const cases: { name: string; files: () => Submission; fail: string[] }[] = [
    { name: 'numeric targetPort', files: () => withFiles({ 'k8s/service.yaml': swap(svc(), 'targetPort: http', 'targetPort: 8080') }), fail: [] },
    {
      name: 'targetPort left out with port equal to the container port',
      files: () => withFiles({ 'k8s/service.yaml': swap(svc(), 'port: 80\n      targetPort: http', 'port: 8080') }),
      fail: [],
    },
    { name: 'probes by port number', files: () => withFiles({ 'k8s/deployment.yaml': dep().replaceAll('port: http', 'port: 8080') }), fail: [] },
    {
      name: 'grpc probe on the port number',
      files: () =>
        withFiles({
          'k8s/deployment.yaml': swap(dep(), 'httpGet:\n              path: /healthz\n              port: http', 'grpc:\n              port: 8080'),
        }),
      fail: [],
    },
    {
      name: 'matchExpressions In with one value',
      files: () =>
        withFiles({
          'k8s/deployment.yaml': swap(
            dep(),
            '    matchLabels:\n      app.kubernetes.io/name: checkout',
            '    matchExpressions:\n      - key: app.kubernetes.io/name\n        operator: In\n        values: [checkout]',
          ),
        }),
      fail: [],
    },
    {
      name: 'matchExpressions Exists',
      files: () =>
        withFiles({
          'k8s/deployment.yaml': swap(
            dep(),
            '    matchLabels:\n      app.kubernetes.io/name: checkout',
            '    matchExpressions:\n      - { key: app.kubernetes.io/name, operator: Exists }',
          ),
        }),
      fail: [],
    },
    {
      name: 'CPU as a number and memory in Gi fractions',
      files: () => withFiles({ 'k8s/deployment.yaml': swap(swap(dep(), 'cpu: 100m', 'cpu: 0.1'), 'memory: 256Mi', 'memory: 0.25Gi') }),
      fail: [],
    },
    {
      name: '1Gi against 1024Mi (equal is allowed)',
      files: () => withFiles({ 'k8s/deployment.yaml': swap(swap(dep(), 'memory: 128Mi', 'memory: 1024Mi'), 'memory: 256Mi', 'memory: 1Gi') }),
      fail: [],
    },
    {
      name: 'image by digest only',
      files: () => withFiles({ 'k8s/deployment.yaml': swap(dep(), 'shop/checkout:1.4.0', `shop/checkout@sha256:${'ab12'.repeat(16)}`) }),
      fail: [],
    },
    {
      name: 'image by tag and digest, registry with a port',
      files: () =>
        withFiles({
          'k8s/deployment.yaml': swap(dep(), 'registry.example.com/shop/checkout:1.4.0', `registry.local:5000/shop/checkout:1.4.0@sha256:${'0f'.repeat(32)}`),
        }),
      fail: [],
    },
    {
      name: 'flow style',
      files: () =>
        withFiles({
          'k8s/service.yaml':
            '{apiVersion: v1, kind: Service, metadata: {name: checkout, namespace: shop}, spec: {selector: {app.kubernetes.io/name: checkout}, ports: [{name: http, port: 80, targetPort: http}]}}\n',
        }),
      fail: [],
    },
    {
      name: 'anchors and merge keys',
      files: () =>
        withFiles({
          'k8s/deployment.yaml': swap(
            swap(dep(), 'readinessProbe:\n            httpGet:', 'readinessProbe: &probe\n            httpGet:'),
            'livenessProbe:\n            httpGet:\n              path: /healthz\n              port: http\n            initialDelaySeconds: 10',
            'livenessProbe:\n            <<: *probe\n            initialDelaySeconds: 10',
          ),
        }),
      fail: [],
    },
    {
      name: 'CRLF line endings',
      files: () => withFiles({ 'k8s/deployment.yaml': dep().replace(/\n/g, '\r\n'), 'k8s/service.yaml': svc().replace(/\n/g, '\r\n') }),
      fail: [],
    },
    {
      name: 'a List of objects',
      files: () =>
        withFiles(
          {
            'k8s/service.yaml': `apiVersion: v1\nkind: List\nitems:\n${svc()
              .replace(/^/gm, '  ')
              .replace(/^ {2}apiVersion/m, '- apiVersion')}`,
          },
          ['k8s/kustomization.yaml'],
        ),
      fail: [],
    },
    {
      name: 'Service and Deployment in one file, kustomization listing it',
      files: () =>
        withFiles({
          'k8s/deployment.yaml': `${dep()}---\n${svc()}`,
          'k8s/service.yaml':
            '# the Service is in deployment.yaml\n---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: checkout-config }\ndata: { a: "1" }\n',
        }),
      fail: [],
    },
    {
      name: 'HPA with minReplicas 2 and no spec.replicas',
      files: () =>
        withFiles(
          {
            'k8s/deployment.yaml': swap(dep(), '  replicas: 2\n', ''),
            'k8s/hpa.yaml':
              'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: checkout, namespace: shop }\nspec:\n  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: checkout }\n  minReplicas: 2\n  maxReplicas: 4\n',
          },
          ['k8s/kustomization.yaml'],
        ),
      fail: [],
    },
    {
      name: 'a custom resource and other built-in kinds beside the manifests',
      files: () =>
        withFiles(
          {
            'k8s/extra.yaml':
              'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: { name: checkout }\nspec: { selector: { matchLabels: { app.kubernetes.io/name: checkout } } }\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: { name: checkout }\nrules: []\n---\napiVersion: batch/v1\nkind: CronJob\nmetadata: { name: warm }\nspec: {}\n',
          },
          ['k8s/kustomization.yaml'],
        ),
      fail: [],
    },
    // near misses
    {
      name: 'a typo in the kind of an extra manifest',
      files: () =>
        withFiles({ 'k8s/pdb.yaml': 'apiVersion: policy/v1\nkind: PodDisruptionBuget\nmetadata: { name: checkout }\nspec: { minAvailable: 1 }\n' }, [
          'k8s/kustomization.yaml',
        ]),
      fail: ['schema'],
    },
    {
      name: 'CronJob at a removed apiVersion',
      files: () => withFiles({ 'k8s/cron.yaml': 'apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: { name: warm }\nspec: {}\n' }, ['k8s/kustomization.yaml']),
      fail: ['schema'],
    },
    {
      name: 'matchExpressions NotIn excluding the pods',
      files: () =>
        withFiles({
          'k8s/deployment.yaml': swap(
            dep(),
            '    matchLabels:\n      app.kubernetes.io/name: checkout',
            '    matchExpressions:\n      - { key: app.kubernetes.io/name, operator: NotIn, values: [checkout] }',
          ),
        }),
      fail: ['selectors'],
    },
    {
      name: 'matchExpressions In without values',
      files: () =>
        withFiles({
          'k8s/deployment.yaml': swap(
            dep(),
            '    matchLabels:\n      app.kubernetes.io/name: checkout',
            '    matchExpressions:\n      - { key: app.kubernetes.io/name, operator: In, values: [] }',
          ),
        }),
      fail: ['schema', 'selectors'],
    },
    {
      name: 'an HPA with minReplicas 1 overrides replicas: 2',
      files: () =>
        withFiles(
          {
            'k8s/hpa.yaml':
              'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: checkout, namespace: shop }\nspec:\n  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: checkout }\n  minReplicas: 1\n  maxReplicas: 4\n',
          },
          ['k8s/kustomization.yaml'],
        ),
      fail: ['replicas'],
    },
    {
      name: 'an HPA without minReplicas (defaults to 1)',
      files: () =>
        withFiles(
          {
            'k8s/hpa.yaml':
              'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: checkout, namespace: shop }\nspec:\n  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: checkout }\n  maxReplicas: 4\n',
          },
          ['k8s/kustomization.yaml'],
        ),
      fail: ['replicas'],
    },
    {
      name: 'a channel tag without a version',
      files: () => withFiles({ 'k8s/deployment.yaml': swap(dep(), 'checkout:1.4.0', 'checkout:main') }),
      fail: ['image-tag'],
    },
    {
      name: 'a truncated digest',
      files: () => withFiles({ 'k8s/deployment.yaml': swap(dep(), 'checkout:1.4.0', 'checkout@sha256:0f8e9a1b2c3d') }),
      fail: ['image-tag'],
    },
    {
      name: 'Recreate with rollingUpdate settings',
      files: () =>
        withFiles({
          'k8s/deployment.yaml': swap(dep(), '  replicas: 2\n', '  replicas: 2\n  strategy:\n    type: Recreate\n    rollingUpdate: { maxSurge: 1 }\n'),
        }),
      fail: ['schema'],
    },
    {
      name: 'maxUnavailable 0 with the default maxSurge is fine',
      files: () =>
        withFiles({ 'k8s/deployment.yaml': swap(dep(), '  replicas: 2\n', '  replicas: 2\n  strategy:\n    rollingUpdate: { maxUnavailable: 0 }\n') }),
      fail: [],
    },
    {
      name: '"0%" and 0 both count as zero',
      files: () =>
        withFiles({
          'k8s/deployment.yaml': swap(dep(), '  replicas: 2\n', '  replicas: 2\n  strategy:\n    rollingUpdate: { maxUnavailable: "0%", maxSurge: 0 }\n'),
        }),
      fail: ['schema'],
    },
    {
      name: 'a misspelt probe field is still an unknown field, and the probe counts as missing',
      files: () => withFiles({ 'k8s/deployment.yaml': swap(dep(), 'readinessProbe:', 'readinesProbe:') }),
      fail: ['probes', 'schema'],
    },
  ];
  it.each(cases)('$name', async ({ files, fail }) => {
    const v = await grade(files());
    expect(failed(v), JSON.stringify(v.checks.filter((c) => !c.passed).map((c) => c.message))).toEqual([...fail].sort());
  });
});

describe('Kubernetes 1.36 API', () => {
  it('accepts fields Kubernetes added after the 1.33 models: container restartPolicyRules (1.34), hostnameOverride, and native sidecars', async () => {
    const files = solutionFiles();
    files['k8s/deployment.yaml'] = files['k8s/deployment.yaml']!.replace(
      '      containers:\n',
      [
        '      hostnameOverride: checkout',
        '      initContainers:',
        '        - name: log-shipper',
        '          image: fluent/fluent-bit:4.1.1',
        '          restartPolicy: Always',
        '      containers:',
        '',
      ].join('\n'),
    ).replace(
      '          readinessProbe:\n',
      '          restartPolicyRules:\n            - action: Restart\n              exitCodes: { operator: In, values: [42] }\n          readinessProbe:\n',
    );
    files['k8s/service.yaml'] += '  trafficDistribution: PreferSameZone\n';
    const v = await grade(sub(files));
    expect(failed(v), JSON.stringify(v.checks.find((c) => c.id === 'schema')?.message)).toEqual([]);
  });
  it('still finds a typo inside the new fields', () => {
    const d = YAML.parse(fs.readFileSync(path.join(LAB, 'solution/k8s/deployment.yaml'), 'utf8'));
    d.spec.template.spec.containers[0].restartPolicyRules = [{ action: 'Restart', exitCode: { operator: 'In', values: [1] } }];
    expect(
      validateObject(d)
        .map((p) => p.en)
        .join(' '),
    ).toMatch(/unknown field "exitCode".*did you mean|unknown field "exitCode"/);
  });
});

describe('messages teach the fix', () => {
  it('spells out mixed units when a request is above its limit', async () => {
    const v = await grade(load('cases/limit-in-megabytes'));
    const m = v.checks.find((c) => c.id === 'resources')!.message as { en: string; ko: string };
    expect(m.en).toMatch(/k8s\/deployment\.yaml:31 .*256Mi is more than limits\.memory 256M .*268,435,456 bytes against 256,000,000 bytes/);
    expect(m.ko).toMatch(/268,435,456바이트 대 256,000,000바이트/);
  });
  it('names the autoscaler, not spec.replicas, when the HPA decides', async () => {
    const v = await grade(load('cases/hpa-min-one'));
    expect((v.checks.find((c) => c.id === 'replicas')!.message as { en: string }).en).toMatch(/k8s\/hpa\.yaml:\d+ .*minReplicas decides/);
  });
  it('says why maxSurge 0 with maxUnavailable 0 is refused, where it is written', async () => {
    const v = await grade(load('cases/rolling-update-both-zero'));
    expect((v.checks.find((c) => c.id === 'schema')!.message as { en: string }).en).toMatch(
      /k8s\/deployment\.yaml:\d+ .*maxSurge and maxUnavailable are both 0/,
    );
  });
  it('places a problem inside a List item on its own line', async () => {
    const items = `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: { name: a }\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: { name: b }\n    dat: {}\n`;
    const files = solutionFiles();
    delete files['k8s/kustomization.yaml'];
    const v = await grade(sub({ ...files, 'k8s/config.yaml': items }));
    expect(JSON.stringify(v.checks.find((c) => c.id === 'schema')!.message)).toMatch(/k8s\/config\.yaml:10 \(ConfigMap b, dat\): unknown field/);
  });
});
