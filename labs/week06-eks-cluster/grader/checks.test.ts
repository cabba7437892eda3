import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { Submission, NotGradable, type GraderVerdict } from '../../../grader-kit/index';
import { labManifest } from '../../../lib/labs/manifest';
import { grade, schemaValidator } from './checks';
import { contains, overlaps, parseCidr } from '../../../grader-kit/cidr';
import { STANDARD_SUPPORT, STANDARD_SUPPORT_ENDED } from './versions';

const LAB = path.resolve(import.meta.dirname, '..');
const manifest = labManifest.parse(YAML.parse(fs.readFileSync(path.join(LAB, 'lab.yaml'), 'utf8')));
const max = Object.fromEntries(manifest.checks.map((c) => [c.id, c.points]));
const maxScore = manifest.checks.reduce((s, c) => s + c.points, 0);
const SOLUTION = fs.readFileSync(path.join(LAB, 'solution/cluster.yaml'), 'utf8');

const sub = (text: string | Buffer) => new Submission(new Map([['cluster.yaml', Buffer.isBuffer(text) ? text : Buffer.from(text)]]));
const load = (dir: string) => sub(fs.readFileSync(path.join(LAB, dir, 'cluster.yaml')));
const failed = (v: GraderVerdict) =>
  v.checks
    .filter((c) => !c.passed)
    .map((c) => c.id)
    .sort();
const score = (v: GraderVerdict) => v.checks.reduce((s, c) => s + c.points, 0);
const msg = (v: GraderVerdict, id: string) => JSON.stringify(v.checks.find((c) => c.id === id)?.message ?? '');
function edit(from: string, to: string, text = SOLUTION): string {
  expect(text).toContain(from);
  return text.replace(from, to);
}

describe('cidr', () => {
  it('parses, contains and overlaps', () => {
    const vpc = parseCidr('10.0.0.0/16')!;
    expect(contains(vpc, parseCidr('10.0.11.0/24')!)).toBe(true);
    expect(contains(vpc, parseCidr('10.1.0.0/24')!)).toBe(false);
    expect(overlaps(parseCidr('10.0.10.0/23')!, parseCidr('10.0.11.0/24')!)).toBe(true);
    expect(parseCidr('10.0.10.5/24')!.hostBits).toBe(true);
    expect(parseCidr('10.0.300.0/24')).toBeNull();
    expect(parseCidr(42)).toBeNull();
  });
});

describe('versions', () => {
  it('keeps accepted and retired versions apart', () => {
    for (const v of STANDARD_SUPPORT) expect(STANDARD_SUPPORT_ENDED[v]).toBeUndefined();
    expect(STANDARD_SUPPORT).not.toContain('1.34');
  });
});

describe('schema', () => {
  it('compiles in strict mode and accepts the solution', () => {
    const validate = schemaValidator();
    expect(validate(YAML.parse(SOLUTION))).toBe(true);
  });
});

describe('week06 grader', () => {
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

  const cases = fs.readdirSync(path.join(LAB, 'cases'));
  it('has at least three cases', () => expect(cases.length).toBeGreaterThanOrEqual(3));
  it.each(cases)('case %s fails exactly its expected checks, saying where', async (c) => {
    const expected = JSON.parse(fs.readFileSync(path.join(LAB, 'cases', c, 'expect.json'), 'utf8')).fail as string[];
    const v = await grade(load(`cases/${c}`));
    expect(failed(v)).toEqual([...expected].sort());
    for (const f of v.checks.filter((x) => !x.passed)) {
      const m = f.message as { ko: string; en: string };
      expect(m.en).toMatch(/cluster\.yaml(:\d+)?/);
      expect(m.ko).toMatch(/cluster\.yaml(:\d+)?/);
    }
  });

  it('the starter stays below the pass mark', async () => {
    expect(score(await grade(load('starter')))).toBeLessThan(manifest.passRatio * maxScore);
  });

  it('accepts the other correct ways: Pod Identity with its agent, subnets by cidr with vpc.id, named subnets with az, "*" logs', async () => {
    let t = edit(
      '  serviceAccounts:\n    - metadata:\n        name: checkout\n        namespace: shop\n      attachPolicy:\n        Version: "2012-10-17"\n        Statement:\n          - Effect: Allow\n            Action: ["s3:GetObject"]\n            Resource: "arn:aws:s3:::shop-product-images/*"\n',
      '  podIdentityAssociations:\n    - namespace: shop\n      serviceAccountName: checkout\n      wellKnownPolicies:\n        externalDNS: true\n',
    );
    t += '\naddons:\n  - name: eks-pod-identity-agent\n  - name: vpc-cni\n';
    t = edit(
      '      ap-northeast-2a:\n        id: subnet-0a1b2c3d4e5f60010\n        cidr: 10.0.10.0/24\n',
      '      nodes-a:\n        az: ap-northeast-2a\n        cidr: 10.0.10.0/24\n',
      t,
    );
    t = edit('enableTypes: ["api", "audit", "authenticator"]', 'enableTypes: ["*"]', t);
    t = edit('    privateNetworking: true\n', '    privateNetworking: true\n    subnets: [nodes-a, subnet-0a1b2c3d4e5f60011]\n', t);
    t = edit('version: "1.35"', 'version: "1.37"', t);
    const v = await grade(sub(t));
    expect(failed(v), JSON.stringify(v.checks)).toEqual([]);
  });

  it('names the version problems precisely', async () => {
    const v134 = await grade(sub(edit('version: "1.35"', 'version: "1.34"')));
    expect(failed(v134)).toEqual(['version']);
    expect(msg(v134, 'version')).toMatch(/2026-12-02/);
    const v131 = await grade(sub(edit('version: "1.35"', 'version: "1.31"')));
    expect(msg(v131, 'version')).toMatch(/extended support/);
    const none = await grade(sub(edit('  version: "1.35"\n', '')));
    expect(failed(none)).toEqual(['version']);
    const future = await grade(sub(edit('version: "1.35"', 'version: "1.40"')));
    expect(msg(future, 'version')).toMatch(/not a Kubernetes version in EKS standard support/);
  });

  it('catches subnets outside the VPC, overlapping, in another region, or public ones used by nodes', async () => {
    const outside = await grade(sub(edit('cidr: 10.0.11.0/24', 'cidr: 10.1.11.0/24')));
    expect(failed(outside)).toEqual(['vpc-subnets']);
    expect(msg(outside, 'vpc-subnets')).toMatch(/cluster\.yaml:21 .*not inside week 1's VPC/);
    const overlap = await grade(sub(edit('cidr: 10.0.11.0/24', 'cidr: 10.0.0.0/23')));
    expect(msg(overlap, 'vpc-subnets')).toMatch(/overlaps/);
    const region = await grade(sub(edit('region: ap-northeast-2', 'region: us-east-1')));
    expect(failed(region)).toEqual(['vpc-subnets']);
    expect(msg(region, 'vpc-subnets')).toMatch(/not in the cluster's region us-east-1/);
    const pubNodes = await grade(sub(edit('    privateNetworking: true\n', '    privateNetworking: true\n    subnets: [subnet-0a1b2c3d4e5f60000]\n')));
    expect(failed(pubNodes)).toEqual(['private-nodes']);
  });

  it('node groups: missing sizes, a group that can never grow, self-managed only', async () => {
    const tiny = await grade(sub(edit('    minSize: 2\n    desiredCapacity: 2\n    maxSize: 4\n', '    minSize: 1\n    desiredCapacity: 1\n    maxSize: 1\n')));
    expect(failed(tiny)).toEqual(['node-groups']);
    expect(tiny.checks.find((c) => c.id === 'node-groups')!.points).toBe(1);
    const self = await grade(sub(edit('managedNodeGroups:', 'nodeGroups:')));
    expect(failed(self)).toEqual(['node-groups', 'private-nodes']);
    expect(msg(self, 'node-groups')).toMatch(/self-managed/);
  });

  it('malformed files are not gradable', async () => {
    await expect(grade(new Submission(new Map()))).rejects.toThrow(/missing/);
    await expect(grade(sub('# nothing yet\n'))).rejects.toThrow(/empty/);
    await expect(grade(sub('metadata:\n  name: x\n   region: y\n'))).rejects.toThrow(NotGradable);
    await expect(grade(sub(Buffer.from([0xc3, 0x28])))).rejects.toThrow(/UTF-8/);
    await expect(grade(sub(`${SOLUTION}\n---\nkind: ClusterConfig\n`))).rejects.toThrow(/single YAML document/);
    await expect(grade(sub('- a\n- b\n'))).rejects.toThrow(/mapping/);
  });

  it('hostile input gets an answer, not a crash', async () => {
    const outcome = (p: Promise<GraderVerdict>) =>
      p.then(
        (v) => (v.gradable ? 'verdict' : 'not-gradable'),
        (e) => (e instanceof NotGradable ? 'not-gradable' : e),
      );
    const bomb =
      'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n';
    expect(await outcome(grade(sub(bomb)))).toBe('not-gradable');
    const depth = 5000;
    expect(await outcome(grade(sub('x: ' + '{ a: '.repeat(depth) + '1' + ' }'.repeat(depth))))).toBe('not-gradable');
    const weird =
      'apiVersion: 5\nkind: [ClusterConfig]\nmetadata: { name: [x], region: 3, version: { a: 1 } }\nvpc:\n  id: 7\n  cidr: [1]\n  subnets:\n    private: { a: 1, b: [2], c: { cidr: 99, az: 1 } }\n    public: "x"\niam: { withOIDC: "yes", serviceAccounts: [1, { metadata: 2 }], podIdentityAssociations: "p" }\nmanagedNodeGroups: [null, 3, { name: 1, minSize: "2", maxSize: -1, desiredCapacity: 1.5, subnets: [1], privateNetworking: "true" }]\ncloudWatch: { clusterLogging: { enableTypes: "api" } }\naddons: 4\n';
    const v = await grade(sub(weird));
    expect(v.gradable).toBe(true);
    expect(score(v)).toBe(0);
    const many =
      'apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: { name: x, region: ap-northeast-2 }\n' +
      Array.from({ length: 3000 }, (_, i) => `f${i}: ${i}`).join('\n') +
      '\n';
    const m = await grade(sub(many));
    expect(msg(m, 'schema')).toMatch(/and \d+ more/);
  });

  it('is deterministic', async () => {
    expect(await grade(load('cases/irsa-admin-no-oidc'))).toEqual(await grade(load('cases/irsa-admin-no-oidc')));
  });
});
