import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { NotGradable, Submission, type GraderVerdict } from '../../../grader-kit/index';
import { labManifest, maxPoints } from '../../../lib/labs/manifest';
import { labSubmissionDirs, loadLab, readCase, readFolderFiles, readVariant } from '../../../lib/labs/registry';
import { graderOutput } from '../../../lib/grading/result';
import { labPassed } from '../../../lib/grading/result';
import { CHECK_IDS, environment, grade, load, podNeed, readLive } from './checks';
import { compareQuantity, parseQuantity } from '../../../grader-kit/k8s-quantity';
import { containers } from '../../../grader-kit/k8s-objects';

const LAB = path.resolve(import.meta.dirname, '..');
const lab = loadLab(LAB);
const manifest = labManifest.parse(YAML.parse(fs.readFileSync(path.join(LAB, 'lab.yaml'), 'utf8')));
const MAX = maxPoints(manifest);
const config = { liveDir: path.join(LAB, 'grader', 'data', 'live') };
const live = readLive(config.liveDir);

const files = (dir: string) => Object.fromEntries(readFolderFiles(path.join(LAB, dir)).map((f) => [f.path, f.content.toString('utf8')]));
const SOLUTION = files('solution');
const STARTER = files('starter');
const sub = (fs_: Record<string, string | Buffer>) =>
  new Submission(new Map(Object.entries(fs_).map(([k, v]) => [k, Buffer.isBuffer(v) ? v : Buffer.from(v)])));
const failed = (v: GraderVerdict) =>
  v.checks
    .filter((c) => !c.passed)
    .map((c) => c.id)
    .sort();
const score = (v: GraderVerdict) => Math.round(v.checks.reduce((s, c) => s + c.points, 0) * 100) / 100;
const en = (v: GraderVerdict, id: string) => {
  const m = v.checks.find((c) => c.id === id)?.message;
  return typeof m === 'string' ? m : (m?.en ?? '');
};
const ko = (v: GraderVerdict, id: string) => {
  const m = v.checks.find((c) => c.id === id)?.message;
  return typeof m === 'string' ? m : (m?.ko ?? '');
};
/** The solution with one file edited (`from` must be there). */
function edit(file: string, from: string, to: string, base = SOLUTION): Record<string, string> {
  expect(base[file], file).toContain(from);
  return { ...base, [file]: base[file]!.replace(from, to) };
}
const run = (f: Record<string, string | Buffer>) => grade(sub(f), config);
async function notGradable(f: Record<string, string | Buffer>): Promise<string> {
  try {
    await run(f);
  } catch (e) {
    if (e instanceof NotGradable) return typeof e.msg === 'string' ? e.msg : e.msg.en;
    throw e;
  }
  throw new Error('graded');
}

describe('the lab folder', () => {
  it('the reference solution gets full marks, and its verdict is what the engine accepts', async () => {
    const v = await run(SOLUTION);
    expect(failed(v)).toEqual([]);
    expect(score(v)).toBe(MAX);
    expect(graderOutput.safeParse(v).success).toBe(true);
    expect(v.checks.map((c) => c.id)).toEqual(manifest.checks.map((c) => c.id));
    expect([...CHECK_IDS]).toEqual(manifest.checks.map((c) => c.id));
    for (const c of v.checks) expect(c.points).toBe(manifest.checks.find((x) => x.id === c.id)!.points);
  });

  it('the starter fails exactly the five faults and stays below the pass mark', async () => {
    const v = await run(STARTER);
    expect(failed(v)).toEqual(['config', 'endpoints', 'images', 'readiness', 'scheduling']);
    expect(score(v) / MAX).toBeLessThan(manifest.passRatio);
    expect(
      labPassed(manifest, {
        gradable: true,
        score: score(v),
        maxScore: MAX,
        checks: v.checks.map((c) => ({ id: c.id, passed: c.passed, points: c.points })),
      } as never),
    ).toBe(false);
    // The symptoms the instructions show, from the grader's side.
    expect(en(v, 'config')).toMatch(/DB_NAME is not set.*CrashLoopBackOff/);
    expect(en(v, 'images')).toMatch(/tag v1\.4\.1 is not in the registry.*pushes 1\.4\.1, without a v.*401 Unauthorized/);
    expect(en(v, 'scheduling')).toMatch(/k8s\/checkout\.yaml:\d+ .*3 Insufficient cpu/);
    expect(en(v, 'endpoints')).toMatch(/lack app\.kubernetes\.io\/component=api/);
    expect(en(v, 'readiness')).toMatch(/checks port 80, while frontend listens on 8080/);
    expect(ko(v, 'readiness')).toMatch(/8080에서 듣습니다/);
  });

  it('every case fails exactly the checks its expect.json names', async () => {
    const dirs = labSubmissionDirs(lab, 'cases');
    expect(dirs.length).toBeGreaterThanOrEqual(5);
    for (const d of dirs) {
      const c = readCase(d);
      const v = await grade(new Submission(new Map(c.files.map((f) => [f.path, f.content]))), config);
      expect(failed(v), path.basename(d)).toEqual([...c.expect.fail].sort());
    }
  });

  it('every variant (another valid repair) gets full marks', async () => {
    const dirs = labSubmissionDirs(lab, 'variants');
    expect(dirs.length).toBeGreaterThanOrEqual(5);
    for (const d of dirs) {
      const v = await grade(new Submission(new Map(readVariant(d).files.map((f) => [f.path, f.content]))), config);
      expect(failed(v), path.basename(d)).toEqual([]);
    }
  });

  it('the live objects are the starter: what the cluster keeps when an object is refused or left out', () => {
    expect(readFolderFiles(config.liveDir).map((f) => [f.path, f.content.toString()])).toEqual(
      readFolderFiles(path.join(LAB, 'starter')).map((f) => [f.path, f.content.toString()]),
    );
    expect([...live.keys()].sort()).toEqual([
      'ConfigMap/shop/checkout-config',
      'Deployment/shop/checkout',
      'Deployment/shop/frontend',
      'Service/shop/checkout',
      'Service/shop/frontend',
    ]);
  });
});

describe('equivalent repairs all pass', () => {
  const cases: [string, Record<string, string>][] = [
    [
      'DB_NAME set directly in env',
      edit(
        'k8s/checkout.yaml',
        '  DB_NAME: shop\n',
        '  DATABASE_NAME: shop\n',
        edit(
          'k8s/checkout.yaml',
          '              value: /run/secrets/db/password\n',
          '              value: /run/secrets/db/password\n            - { name: DB_NAME, value: shop }\n',
        ),
      ),
    ],
    ['both keys kept in the ConfigMap', edit('k8s/checkout.yaml', '  DB_NAME: shop\n', '  DB_NAME: shop\n  DATABASE_NAME: shop\n')],
    [
      'envFrom with a prefix the app does not need, plus the plain one',
      edit(
        'k8s/checkout.yaml',
        '            - configMapRef:\n                name: checkout-config\n',
        '            - configMapRef:\n                name: checkout-config\n            - prefix: CFG_\n              configMapRef:\n                name: checkout-config\n',
      ),
    ],
    ['requests as a fraction and in bytes', edit('k8s/checkout.yaml', 'cpu: 250m\n              memory: 256Mi', 'cpu: 0.3\n              memory: "268435456"')],
    ['the largest request that still fits three replicas, one per node', edit('k8s/checkout.yaml', 'cpu: 250m', 'cpu: 1500m')],
    ['readiness on the port number', edit('k8s/frontend.yaml', 'httpGet: { path: /, port: http }', 'httpGet: { path: /, port: 8080 }')],
    ['readiness as tcpSocket on the named port', edit('k8s/frontend.yaml', 'httpGet: { path: /, port: http }', 'tcpSocket: { port: http }')],
    [
      'image by tag and the matching digest',
      edit('k8s/frontend.yaml', 'frontend:1.4.1', 'frontend:1.4.1@sha256:c4a7e2f9b1d6c3a8e5f0b7d2c9a4e1f6b3d8c5a0e7f2b9d4c1a6e3f8b5d0c7a2'),
    ],
    [
      'the selector by matchLabels-equivalent extra pod label',
      edit(
        'k8s/checkout.yaml',
        '        app.kubernetes.io/part-of: shop\n    spec:',
        '        app.kubernetes.io/part-of: shop\n        app.kubernetes.io/component: api\n    spec:',
      ),
    ],
    [
      'a nodeSelector every node satisfies',
      edit(
        'k8s/checkout.yaml',
        '      securityContext:\n        runAsNonRoot: true\n      containers:',
        '      nodeSelector:\n        kubernetes.io/os: linux\n      securityContext:\n        runAsNonRoot: true\n      containers:',
      ),
    ],
    [
      'runAsNonRoot on the container instead of the pod',
      edit(
        'k8s/frontend.yaml',
        '      securityContext:\n        runAsNonRoot: true\n',
        '',
        edit(
          'k8s/frontend.yaml',
          '          image: registry.example.com/shop/frontend:1.4.1\n',
          '          image: registry.example.com/shop/frontend:1.4.1\n          securityContext: { runAsNonRoot: true }\n',
        ),
      ),
    ],
    ['more replicas than before', edit('k8s/frontend.yaml', '  replicas: 2\n', '  replicas: 3\n')],
  ];
  for (const [name, f] of cases) {
    it(name, async () => {
      const v = await run(f);
      expect(failed(v), JSON.stringify(v.checks.filter((c) => !c.passed))).toEqual([]);
    });
  }
});

describe('wrong repairs fail the check they break, and say why', () => {
  const cases: [string, Record<string, string>, string[], RegExp][] = [
    [
      'DB_NAME with another database name',
      edit('k8s/checkout.yaml', '  DB_NAME: shop\n', '  DB_NAME: checkout\n'),
      ['config'],
      /DB_NAME is "checkout".*needs "shop"/,
    ],
    [
      'the password mount moved away from DB_PASSWORD_FILE',
      edit('k8s/checkout.yaml', 'mountPath: /run/secrets/db\n', 'mountPath: /etc/db\n'),
      ['config'],
      /DB_PASSWORD_FILE \(\/run\/secrets\/db\/password\) is not where/,
    ],
    [
      'a required configMapRef to a ConfigMap that does not exist',
      edit('k8s/checkout.yaml', '                name: checkout-config\n', '                name: checkout-settings\n'),
      ['config'],
      /configmap "checkout-settings" not found/,
    ],
    ['three replicas of 1600m do not fit the 1580m a node has left', edit('k8s/checkout.yaml', 'cpu: 250m', 'cpu: 1600m'), ['scheduling'], /Insufficient cpu/],
    [
      'two replicas per node do not fit',
      edit('k8s/checkout.yaml', 'cpu: 250m', 'cpu: 700m', edit('k8s/checkout.yaml', '  replicas: 3\n', '  replicas: 7\n')),
      ['scheduling'],
      /1 stay Pending/,
    ],
    [
      'a nodeSelector no node has',
      edit(
        'k8s/checkout.yaml',
        '      securityContext:\n        runAsNonRoot: true\n      containers:',
        '      nodeSelector:\n        disktype: ssd\n      securityContext:\n        runAsNonRoot: true\n      containers:',
      ),
      ['scheduling'],
      /didn't match Pod's node affinity\/selector/,
    ],
    [
      'readiness on /healthz no longer waits for the database',
      edit('k8s/checkout.yaml', 'httpGet: { path: /readyz, port: http }', 'httpGet: { path: /healthz, port: http }'),
      ['readiness'],
      /asked \/readyz/,
    ],
    [
      'readiness on a path nginx does not serve',
      edit('k8s/frontend.yaml', 'httpGet: { path: /, port: http }', 'httpGet: { path: /healthz, port: http }'),
      ['readiness'],
      /statuscode: 404/,
    ],
    [
      'an exec readiness probe',
      edit('k8s/frontend.yaml', 'httpGet: { path: /, port: http }', 'exec: { command: ["true"] }'),
      ['readiness'],
      /exec probe checks no port/,
    ],
    [
      'a quoted port number is a port name',
      edit('k8s/frontend.yaml', 'httpGet: { path: /, port: http }', 'httpGet: { path: /, port: "8080" }'),
      ['readiness'],
      /names no declared container port/,
    ],
    [
      'image from another registry',
      edit('k8s/frontend.yaml', 'registry.example.com/shop/frontend:1.4.1', 'shop/frontend:1.4.1'),
      ['images'],
      /there is no image "shop\/frontend".*registry\.example\.com\/shop\/frontend/,
    ],
    ['image without a tag', edit('k8s/frontend.yaml', 'frontend:1.4.1', 'frontend'), ['images'], /latest/],
    [
      'imagePullPolicy Never',
      edit(
        'k8s/frontend.yaml',
        '          ports:\n            - name: http\n              containerPort: 8080',
        '          imagePullPolicy: Never\n          ports:\n            - name: http\n              containerPort: 8080',
      ),
      ['images'],
      /ErrImageNeverPull/,
    ],
    [
      'registry credentials committed as a Secret',
      {
        ...SOLUTION,
        'k8s/regcred.yaml':
          'apiVersion: v1\nkind: Secret\nmetadata: { name: regcred2, namespace: shop }\ntype: kubernetes.io/dockerconfigjson\nstringData: { .dockerconfigjson: "{}" }\n',
        ...edit('k8s/frontend.yaml', '- name: regcred', '- name: regcred2'),
      },
      ['images'],
      /do not go into Git/,
    ],
    [
      'a service account that does not exist',
      edit('k8s/frontend.yaml', '      imagePullSecrets:\n        - name: regcred\n', '      serviceAccountName: frontend\n'),
      ['images'],
      /serviceaccount "frontend" not found/,
    ],
    [
      'liveness removed',
      edit(
        'k8s/checkout.yaml',
        '          livenessProbe:\n            httpGet: { path: /healthz, port: http }\n            periodSeconds: 10\n            timeoutSeconds: 2\n',
        '',
      ),
      ['rest-intact'],
      /no livenessProbe any more/,
    ],
    [
      'limits removed',
      edit('k8s/checkout.yaml', '            limits:\n              cpu: "2"\n              memory: 512Mi\n', ''),
      ['rest-intact'],
      /no limits\.cpu any more/,
    ],
    [
      'runAsNonRoot removed',
      edit('k8s/checkout.yaml', '      securityContext:\n        runAsNonRoot: true\n', ''),
      ['rest-intact'],
      /runAsNonRoot: true is gone/,
    ],
    ['Service port changed', edit('k8s/checkout.yaml', '      port: 80\n', '      port: 8080\n'), ['rest-intact'], /port 80 is gone.*http:\/\/checkout/],
    ['LOG_LEVEL dropped', edit('k8s/checkout.yaml', '  LOG_LEVEL: info\n', ''), ['rest-intact'], /LOG_LEVEL: info is gone/],
    [
      'strategy Recreate',
      edit('k8s/checkout.yaml', '    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: 0\n', '    type: Recreate\n'),
      ['rest-intact'],
      /Recreate stops every pod/,
    ],
    [
      'the part-of label dropped from the frontend pods',
      edit('k8s/frontend.yaml', '        app.kubernetes.io/part-of: shop\n    spec:', '    spec:'),
      ['rest-intact'],
      /part-of: shop/,
    ],
    [
      'an unknown field makes kubectl refuse the Deployment, so the live one stays',
      edit('k8s/frontend.yaml', '      imagePullSecrets:\n', '      imagePullSecret:\n'),
      ['images', 'readiness', 'schema'],
      /see the schema check.*live\//,
    ],
  ];
  for (const [name, f, want, re] of cases) {
    it(name, async () => {
      const v = await run(f);
      expect(failed(v)).toEqual(want);
      const text = want.map((id) => en(v, id)).join(' ');
      expect(text).toMatch(re);
      for (const id of want) expect(ko(v, id).length, id).toBeGreaterThan(10);
    });
  }
});

describe('the cluster model', () => {
  const md = load(sub(SOLUTION), live);
  const dep = (name: string) => md.state.get(`Deployment/shop/${name}`)!.obj;

  it('requests default to limits, and init containers count by their largest', () => {
    const d = load(
      sub(
        edit(
          'k8s/checkout.yaml',
          '            requests:\n              cpu: 250m\n              memory: 256Mi\n',
          '',
          edit(
            'k8s/checkout.yaml',
            '      containers:\n',
            '      initContainers:\n        - name: migrate\n          image: registry.example.com/shop/checkout:1.4.1\n          resources: { requests: { cpu: "3", memory: 64Mi } }\n      containers:\n',
          ),
        ),
      ),
      live,
    ).state.get('Deployment/shop/checkout')!.obj;
    const { need, defaulted } = podNeed(d);
    expect(compareQuantity(need.cpu, parseQuantity('3')!)).toBe(0);
    expect(compareQuantity(need.memory, parseQuantity('512Mi')!)).toBe(0);
    expect(defaulted).toEqual(['checkout cpu', 'checkout memory']);
  });

  it('builds the environment as the kubelet does: envFrom in order, prefixes, env wins, invalid names skipped', () => {
    const f = edit(
      'k8s/checkout.yaml',
      '          envFrom:\n            - configMapRef:\n                name: checkout-config\n',
      '          envFrom:\n            - configMapRef:\n                name: checkout-config\n            - prefix: X_\n              configMapRef:\n                name: checkout-config\n            - configMapRef:\n                name: nothing-here\n                optional: true\n',
      edit(
        'k8s/checkout.yaml',
        '  LOG_LEVEL: info\n',
        '  LOG_LEVEL: info\n  "9LIVES": "no"\n',
        edit(
          'k8s/checkout.yaml',
          '              value: /run/secrets/db/password\n',
          '              value: /run/secrets/db/password\n            - { name: DB_HOST, value: db-primary }\n',
        ),
      ),
    );
    const m2 = load(sub(f), live);
    const d = m2.state.get('Deployment/shop/checkout')!.obj;
    const { vars, errors } = environment(m2, containers(d)[0]!);
    expect(errors).toEqual([]);
    expect(vars.get('DB_HOST')?.value).toBe('db-primary');
    expect(vars.get('X_DB_NAME')?.value).toBe('shop');
    expect(vars.has('9LIVES')).toBe(false);
    expect(vars.get('X_9LIVES')?.value).toBe('no');
  });

  it('keeps the live object when the learner leaves one out, and says so', async () => {
    const { ['k8s/frontend.yaml']: _gone, ...rest } = SOLUTION;
    const v = await run({ ...rest, 'k8s/frontend.yaml': '# moved elsewhere\n---\n' + SOLUTION['k8s/frontend.yaml']!.split('---\n')[1]! });
    expect(failed(v)).toEqual(['images', 'readiness', 'rest-intact']);
    expect(en(v, 'images')).toMatch(/The manifests have no Deployment frontend, so kubectl apply leaves the broken old one \(live\/\)/);
    expect(md.state.get('Deployment/shop/frontend')!.how).toBe('submitted');
    expect(dep('checkout').name).toBe('checkout');
  });

  it('a later document with the same name replaces an earlier one', async () => {
    const twice = SOLUTION['k8s/frontend.yaml']! + '---\n' + STARTER['k8s/frontend.yaml']!.split('---\n')[0]!.replace(/^#.*\n/gm, '');
    const v = await run({ ...SOLUTION, 'k8s/frontend.yaml': twice });
    expect(failed(v)).toEqual(['images', 'readiness']);
  });
});

describe('input that cannot be graded', () => {
  it('refuses what is not there or not YAML, naming the file', async () => {
    const { ['k8s/frontend.yaml']: _f, ...noFrontend } = SOLUTION;
    expect(await notGradable(noFrontend)).toMatch(/k8s\/frontend\.yaml is missing/);
    expect(await notGradable({ ...SOLUTION, 'k8s/frontend.yaml': '# nothing\n' })).toMatch(/k8s\/frontend\.yaml is empty/);
    expect(await notGradable({ ...SOLUTION, 'k8s/checkout.yaml': 'a: [1, 2\n' })).toMatch(/k8s\/checkout\.yaml:\d+: YAML syntax error/);
    expect(await notGradable({ ...SOLUTION, 'k8s/checkout.yaml': Buffer.from([0xff, 0xfe, 0x00, 0x41]) })).toMatch(/not UTF-8/);
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`,
      ),
    ].join('\n');
    expect(await notGradable({ ...SOLUTION, 'k8s/extra.yaml': bomb })).toMatch(/cannot expand the YAML|too/i);
  });

  it('grades documents that are no objects, or objects without a kind, without crashing', async () => {
    const strays = await run({ ...SOLUTION, 'k8s/extra.yaml': '- just\n- a list\n---\n42\n' });
    expect(failed(strays)).toEqual(['schema']);
    expect(en(strays, 'schema')).toMatch(/k8s\/extra\.yaml:1: this document is not a Kubernetes object/);
    const v = await run({
      ...SOLUTION,
      'k8s/extra.yaml': 'kind: 7\nmetadata: []\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: { name: frontend, namespace: shop }\nspec: "nope"\n',
    });
    expect(en(v, 'schema')).toMatch(/no kind/);
    // The broken frontend Deployment in extra.yaml is refused, so the one in frontend.yaml stays applied.
    expect(failed(v)).toEqual(['schema']);
  });
});
