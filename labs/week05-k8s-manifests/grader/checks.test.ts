import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { Submission, NotGradable, type GraderVerdict } from '../../../lib/grader-kit/index';
import { labManifest } from '../../../lib/labs/manifest';
import { readCase } from '../../../lib/labs/registry';
import { grade, splitImage } from './checks';
import { compareQuantity, parseQuantity } from './quantity';
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
  new Submission(new Map(dir.startsWith('cases/') ? readCase(path.join(LAB, dir)).files.map((f) => [f.path, f.content] as const) : readDir(path.join(LAB, dir))));
const sub = (files: Record<string, string | Buffer>) => new Submission(new Map(Object.entries(files).map(([k, v]) => [k, Buffer.isBuffer(v) ? v : Buffer.from(v)])));
const solutionFiles = () => Object.fromEntries(readDir(path.join(LAB, 'solution')).map(([k, v]) => [k, v.toString('utf8')]));
const failed = (v: GraderVerdict) => v.checks.filter((c) => !c.passed).map((c) => c.id).sort();
const score = (v: GraderVerdict) => v.checks.reduce((s, c) => s + c.points, 0);
const outcome = (p: Promise<GraderVerdict>) => p.then((v) => (v.gradable ? 'verdict' : 'not-gradable'), (e) => (e instanceof NotGradable ? 'not-gradable' : e));

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
    const p = validateObject({ apiVersion: 'apps/v1beta2', kind: 'Deployment', metadata: { name: 'Web_App' }, spec: { replicas: 'two', selector: { matchLabels: { a: 'b' } }, template: { spec: { containers: [{ name: 'w', image: 'x:1' }] } } } });
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
    files['k8s/deployment.yaml'] = files['k8s/deployment.yaml']!
      .replace('    matchLabels:\n      app.kubernetes.io/name: web', '    matchExpressions:\n      - { key: app.kubernetes.io/name, operator: In, values: [web] }')
      .replace('replicas: 2', 'replicas: 1')
      .replace('image: nginxinc/nginx-unprivileged:1.28-alpine', 'image: nginxinc/nginx-unprivileged')
      .replace('tcpSocket:\n              port: http', 'grpc:\n              port: 8080')
      .replace('cpu: 500m', 'cpu: "1"')
      .replace('memory: 128Mi', 'memory: 0.5Gi');
    files['k8s/kustomization.yaml'] += 'images:\n  - name: nginxinc/nginx-unprivileged\n    newTag: 1.28-alpine\nreplicas:\n  - name: web\n    count: 3\n';
    expect(failed(await grade(sub(files)))).toEqual([]);

    const hpa = sub({
      ...solutionFiles(),
      'k8s/deployment.yaml': solutionFiles()['k8s/deployment.yaml']!.replace('  replicas: 2\n', ''),
      'k8s/hpa.yaml': 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }\n  minReplicas: 2\n  maxReplicas: 5\n',
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
    expect(JSON.stringify(v.checks.find((c) => c.id === 'resources')!.message)).toMatch(/k8s\/deployment.yaml:28/);
  });

  it('malformed submissions are not gradable', async () => {
    const s = solutionFiles();
    await expect(grade(sub({ 'k8s/service.yaml': s['k8s/service.yaml']! }))).rejects.toThrow(/deployment.yaml is missing/);
    await expect(grade(sub({ ...s, 'k8s/deployment.yaml': '# nothing yet\n' }))).rejects.toThrow(/empty/);
    await expect(grade(sub({ ...s, 'k8s/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\n  metadata: x\n' }))).rejects.toThrow(/deployment.yaml:\d+: YAML syntax error/);
    await expect(grade(sub({ ...s, 'k8s/service.yaml': Buffer.from([0xff, 0xfe, 0x41]) }))).rejects.toThrow(/UTF-8/);
    await expect(grade(sub({ ...s, 'k8s/deployment.yaml': s['k8s/service.yaml']! }))).rejects.toThrow(NotGradable);
    await expect(grade(sub({ ...s, 'k8s/deployment.yaml': 'a: 1\na: 2\n' }))).rejects.toThrow(NotGradable);
  });

  it('hostile input gets an answer, not a crash', async () => {
    const s = solutionFiles();
    const bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n';
    expect(await outcome(grade(sub({ ...s, 'k8s/service.yaml': bomb })))).toBe('not-gradable');
    const depth = 5000;
    expect(await outcome(grade(sub({ ...s, 'k8s/extra.yaml': 'x: ' + '{ a: '.repeat(depth) + '1' + ' }'.repeat(depth) })))).toBe('not-gradable');
    expect(await outcome(grade(sub({ ...s, 'k8s/extra.yaml': '---\nkind: ConfigMap\n'.repeat(200) })))).toBe('not-gradable');
    // Every field of the wrong shape: the checks fail, nothing throws.
    const weird = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: [1]\nspec:\n  replicas: -3\n  selector: "all"\n  template:\n    metadata: { labels: [a] }\n    spec:\n      containers:\n        - 7\n        - name: { x: 1 }\n          ports: [null, { containerPort: "http" }]\n          image: ["x"]\n          resources: { requests: { cpu: [1] }, limits: "lots" }\n          readinessProbe: { httpGet: null }\n          livenessProbe: 3\n';
    const svc = 'apiVersion: v1\nkind: Service\nmetadata: { name: 1 }\nspec:\n  selector: [x]\n  ports: [5, { port: "80", targetPort: { a: 1 } }]\n---\n- just\n- a list\n---\n42\n';
    const v = await grade(sub({ 'k8s/deployment.yaml': weird, 'k8s/service.yaml': svc, 'k8s/kustomization.yaml': 'resources: 5\nimages: [1]\nreplicas: { a: 1 }\nnamespace: [x]\nbogus: true\n' }));
    expect(v.gradable).toBe(true);
    expect(score(v)).toBe(0);
  });

  it('is deterministic', async () => {
    const a = await grade(load('cases/requests-above-limits'));
    const b = await grade(load('cases/requests-above-limits'));
    expect(a).toEqual(b);
  });
});
