import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { NotGradable, Submission, type GraderVerdict } from '../../../grader-kit/index';
import { labManifest, maxPoints } from '../../../lib/labs/manifest';
import { labSubmissionDirs, loadLab, readCase, readVariant } from '../../../lib/labs/registry';
import { graderOutput } from '../../../lib/grading/result';
import { CHECK_IDS, grade } from './checks';
import { SUBNETS, subnetById, subnetByName } from './aws';

const LAB = path.resolve(import.meta.dirname, '..');
const lab = loadLab(LAB);
const manifest = labManifest.parse(YAML.parse(fs.readFileSync(path.join(LAB, 'lab.yaml'), 'utf8')));
const MAX = maxPoints(manifest);
const read = (dir: string, f: string) => fs.readFileSync(path.join(LAB, dir, f), 'utf8');
const CLUSTER = read('solution', 'cluster.yaml');
const SERVICE = read('solution', 'k8s/frontend-service.yaml');
const sub = (cluster: string | Buffer = CLUSTER, service: string | Buffer = SERVICE, extra: Record<string, string> = {}) =>
  new Submission(
    new Map(
      Object.entries({ 'cluster.yaml': cluster, 'k8s/frontend-service.yaml': service, ...extra }).map(([k, v]) => [k, Buffer.isBuffer(v) ? v : Buffer.from(v)]),
    ),
  );
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
// The last line of checkout's statement in the solution, where a test adds a Condition or another statement.
const RESOURCE = '            Resource: "arn:aws:s3:::shop-product-images/*"\n';
function edit(from: string, to: string, text = CLUSTER): string {
  expect(text.split(from).length - 1, `"${from}" occurs once`).toBe(1);
  return text.replace(from, to);
}
async function notGradable(s: Submission): Promise<string> {
  try {
    await grade(s);
  } catch (e) {
    if (e instanceof NotGradable) return typeof e.msg === 'string' ? e.msg : e.msg.en;
    throw e;
  }
  throw new Error('graded');
}

describe('the lab folder', () => {
  it('the reference solution gets full marks, and its verdict is what the engine accepts', async () => {
    const v = await grade(sub());
    expect(failed(v)).toEqual([]);
    expect(score(v)).toBe(MAX);
    expect(graderOutput.safeParse(v).success).toBe(true);
    expect(v.checks.map((c) => c.id)).toEqual(manifest.checks.map((c) => c.id));
    expect([...CHECK_IDS]).toEqual(manifest.checks.map((c) => c.id));
  });

  it('the starter fails the four faults, below the pass mark, with the symptoms of the instructions', async () => {
    const v = await grade(sub(read('starter', 'cluster.yaml'), read('starter', 'k8s/frontend-service.yaml')));
    expect(failed(v)).toEqual(['access-entry', 'load-balancer', 'node-image', 'nodes-join', 'pod-identity']);
    expect(score(v) / MAX).toBeLessThan(manifest.passRatio);
    expect(en(v, 'nodes-join')).toMatch(/subnet-0a1b2c3d4e5f60020 \(shop-data-1.*only the local route.*NodeCreationFailure/);
    expect(en(v, 'node-image')).toMatch(
      /managedNodeGroups\[0\]\.amiFamily\): amiFamily AmazonLinux2: eksctl stops with "AmazonLinux2 is not supported for Kubernetes version 1\.35"/,
    );
    expect(en(v, 'nodes-join')).not.toMatch(/amiFamily/);
    expect(en(v, 'pod-identity')).toMatch(/this association is for default\/checkout, but checkout runs in the namespace shop/);
    expect(en(v, 'access-entry')).toMatch(/no access entry for arn:aws:iam::111122223333:role\/github-deploy/);
    const event =
      "Failed build model due to couldn't auto-discover subnets: unable to resolve at least one subnet. Evaluated 2 subnets: 2 are tagged for other clusters, and 0 have insufficient available IP addresses";
    expect(en(v, 'load-balancer')).toContain(event);
    expect(en(v, 'nodes-join')).toMatch(/cannot reach the AWS APIs it bootstraps with \(EC2, ECR, STS/);
    expect(ko(v, 'load-balancer')).toMatch(/다른 클러스터\(shop-staging\)의 태그/);
    for (const lang of ['en', 'ko']) {
      const text = read('.', `instructions.${lang}.md`);
      expect(text, lang).toContain(event);
      expect(text, lang).toMatch(/operation error EC2: DescribeInstances, .*dial tcp [\d.]+:443: i\/o timeout/);
    }
  });

  it('every case fails exactly the checks its expect.json names', async () => {
    const dirs = labSubmissionDirs(lab, 'cases');
    expect(dirs.length).toBeGreaterThanOrEqual(5);
    for (const d of dirs) {
      const c = readCase(d);
      const v = await grade(new Submission(new Map(c.files.map((f) => [f.path, f.content]))));
      expect(failed(v), path.basename(d)).toEqual([...c.expect.fail].sort());
    }
  });

  it('every variant (another valid repair) gets full marks', async () => {
    const dirs = labSubmissionDirs(lab, 'variants');
    expect(dirs.length).toBeGreaterThanOrEqual(5);
    for (const d of dirs) {
      const v = await grade(new Submission(new Map(readVariant(d).files.map((f) => [f.path, f.content]))));
      expect(failed(v), path.basename(d)).toEqual([]);
    }
  });
});

describe('the account', () => {
  it('has the subnets the instructions show, found by id and by Name tag', () => {
    expect(SUBNETS.map((s) => `${s.name} ${s.id} ${s.cidr} ${s.az} ${s.defaultRoute ?? 'local'}`)).toEqual([
      'shop-public-1 subnet-0a1b2c3d4e5f60000 10.0.0.0/24 ap-northeast-2a igw-0c1d2e3f4a5b69781',
      'shop-public-2 subnet-0a1b2c3d4e5f60001 10.0.1.0/24 ap-northeast-2b igw-0c1d2e3f4a5b69781',
      'shop-private-1 subnet-0a1b2c3d4e5f60010 10.0.10.0/24 ap-northeast-2a nat-0f1e2d3c4b5a69788',
      'shop-private-2 subnet-0a1b2c3d4e5f60011 10.0.11.0/24 ap-northeast-2b nat-0f1e2d3c4b5a69788',
      'shop-data-1 subnet-0a1b2c3d4e5f60020 10.0.20.0/24 ap-northeast-2a local',
      'shop-data-2 subnet-0a1b2c3d4e5f60021 10.0.21.0/24 ap-northeast-2b local',
    ]);
    const instr = read('.', 'instructions.en.md');
    for (const s of SUBNETS) expect(instr).toMatch(new RegExp(`${s.name}\\s+${s.id}\\s+${s.cidr.replace(/\./g, '\\.')}\\s+${s.az}`));
    expect(subnetById('subnet-0a1b2c3d4e5f60011')?.name).toBe('shop-private-2');
    expect(subnetByName('shop-public-2')?.id).toBe('subnet-0a1b2c3d4e5f60001');
    expect(subnetById('subnet-0000')).toBeUndefined();
  });
});

describe('equivalent repairs pass', () => {
  const rows: [string, string, string?][] = [
    ['private subnets given by cidr and az only', edit('        id: subnet-0a1b2c3d4e5f60010\n        cidr: 10.0.10.0/24\n', '        cidr: 10.0.10.0/24\n')],
    [
      'the node group pinned to the app subnets by id',
      edit('    privateNetworking: true\n', '    privateNetworking: true\n    subnets: [subnet-0a1b2c3d4e5f60010, subnet-0a1b2c3d4e5f60011]\n'),
    ],
    ['Ubuntu 24.04 nodes', edit('    amiFamily: AmazonLinux2023\n', '    amiFamily: Ubuntu2404\n')],
    ['the deploy role with Admin in shop (RBAC in its manifests)', edit('AmazonEKSEditPolicy', 'AmazonEKSAdminPolicy')],
    [
      'the association with an existing role',
      edit(
        '      permissionPolicy:\n        Version: "2012-10-17"\n        Statement:\n          - Effect: Allow\n            Action: ["s3:GetObject"]\n            Resource: "arn:aws:s3:::shop-product-images/*"\n',
        '      roleARN: arn:aws:iam::111122223333:role/shop-checkout-images\n',
      ),
    ],
    ['s3:Get* on the bucket objects', edit('            Action: ["s3:GetObject"]', '            Action: ["s3:Get*"]')],
    [
      'the Allow only over HTTPS (aws:SecureTransport, which the SDK always meets)',
      edit(RESOURCE, `${RESOURCE}            Condition:\n              Bool:\n                aws:SecureTransport: "true"\n`),
    ],
    [
      'a Deny of plain-HTTP requests next to the Allow',
      edit(
        RESOURCE,
        `${RESOURCE}          - Effect: Deny\n            Action: "s3:*"\n            Resource: ["arn:aws:s3:::shop-product-images", "arn:aws:s3:::shop-product-images/*"]\n            Condition: { Bool: { aws:SecureTransport: false } }\n`,
      ),
    ],
    [
      "the Allow limited to Pod Identity's session tags for shop/checkout",
      edit(
        RESOURCE,
        `${RESOURCE}            Condition:\n              StringEquals:\n                aws:PrincipalTag/kubernetes-namespace: shop\n                aws:PrincipalTag/eks-cluster-name: [shop, shop-dr]\n              StringLike:\n                aws:PrincipalTag/kubernetes-service-account: "check*"\n`,
      ),
    ],
    [
      'subnet ids without spaces, one per line in a block scalar',
      CLUSTER,
      edit(
        'aws-load-balancer-subnets: subnet-0a1b2c3d4e5f60000, subnet-0a1b2c3d4e5f60001',
        'aws-load-balancer-subnets: >-\n      subnet-0a1b2c3d4e5f60001,subnet-0a1b2c3d4e5f60000',
        SERVICE,
      ),
    ],
  ];
  for (const [name, cluster, service] of rows) {
    it(name, async () => {
      const v = await grade(sub(cluster, service ?? SERVICE));
      expect(failed(v), JSON.stringify(v.checks.filter((c) => !c.passed))).toEqual([]);
    });
  }
});

describe('wrong repairs fail the check they break, and say why', () => {
  const rows: [string, string, string, string[], RegExp][] = [
    [
      'the data subnets listed as public instead',
      edit('        id: subnet-0a1b2c3d4e5f60010\n        cidr: 10.0.10.0/24\n', '        id: subnet-0a1b2c3d4e5f60020\n        cidr: 10.0.20.0/24\n'),
      SERVICE,
      ['nodes-join'],
      /only the local route/,
    ],
    [
      'a subnet id whose cidr does not match',
      edit('        id: subnet-0a1b2c3d4e5f60010\n        cidr: 10.0.10.0/24\n', '        id: subnet-0a1b2c3d4e5f60010\n        cidr: 10.0.12.0/24\n'),
      SERVICE,
      ['nodes-join'],
      /is 10\.0\.10\.0\/24 \(shop-private-1\), not 10\.0\.12\.0\/24/,
    ],
    [
      'public subnets under vpc.subnets.private',
      edit('        id: subnet-0a1b2c3d4e5f60010\n        cidr: 10.0.10.0/24\n', '        id: subnet-0a1b2c3d4e5f60000\n        cidr: 10.0.0.0/24\n'),
      SERVICE,
      ['nodes-join'],
      /public subnet: its route goes to the internet gateway/,
    ],
    [
      'Amazon Linux 2 kept (the rest fixed)',
      edit('    amiFamily: AmazonLinux2023\n', '    amiFamily: AmazonLinux2\n'),
      SERVICE,
      ['node-image'],
      /no Amazon Linux 2 node images after 1\.32.*judged as if this line were fixed/,
    ],
    [
      'the node group deleted',
      edit(CLUSTER.slice(CLUSTER.indexOf('managedNodeGroups:'), CLUSTER.indexOf('cloudWatch:')), ''),
      SERVICE,
      ['node-image', 'nodes-join', 'rest-intact'],
      /no node group any more/,
    ],
    ['Windows nodes', edit('    amiFamily: AmazonLinux2023\n', '    amiFamily: WindowsServer2022CoreContainer\n'), SERVICE, ['node-image'], /Windows nodes/],
    [
      'a pinned AMI',
      edit('    amiFamily: AmazonLinux2023\n', '    amiFamily: AmazonLinux2023\n    ami: ami-0123456789abcdef0\n'),
      SERVICE,
      ['node-image'],
      /pinned custom AMI/,
    ],
    [
      'an association without the agent addon',
      edit('  - name: eks-pod-identity-agent\n', ''),
      SERVICE,
      ['pod-identity', 'rest-intact'],
      /eks-pod-identity-agent addon/,
    ],
    [
      'a policy on another bucket',
      edit('            Resource: "arn:aws:s3:::shop-product-images/*"', '            Resource: "arn:aws:s3:::shop-assets/*"'),
      SERVICE,
      ['pod-identity'],
      /does not allow s3:GetObject on arn:aws:s3:::shop-product-images\/banner\.png/,
    ],
    [
      'the Allow only through a VPC endpoint the VPC does not have',
      edit(RESOURCE, `${RESOURCE}            Condition:\n              StringEquals:\n                aws:SourceVpce: vpce-0a1b2c3d4e5f60718\n`),
      SERVICE,
      ['pod-identity'],
      /has a Condition this request does not meet, or one that cannot be confirmed/,
    ],
    [
      'the Allow only over plain HTTP',
      edit(RESOURCE, `${RESOURCE}            Condition:\n              Bool:\n                aws:SecureTransport: false\n`),
      SERVICE,
      ['pod-identity'],
      /does not allow s3:GetObject.*aws:SecureTransport/,
    ],
    [
      'session-tag conditions with the session tags turned off',
      edit(
        RESOURCE,
        `${RESOURCE}            Condition:\n              StringEquals:\n                aws:PrincipalTag/kubernetes-namespace: shop\n`,
        edit('      serviceAccountName: checkout\n', '      serviceAccountName: checkout\n      disableSessionTags: true\n'),
      ),
      SERVICE,
      ['pod-identity'],
      /does not allow s3:GetObject/,
    ],
    [
      'session-tag conditions for another namespace',
      edit(RESOURCE, `${RESOURCE}            Condition:\n              StringEquals:\n                aws:PrincipalTag/kubernetes-namespace: shop-staging\n`),
      SERVICE,
      ['pod-identity'],
      /does not allow s3:GetObject/,
    ],
    [
      'a Deny of the bucket unless through a VPC endpoint the VPC does not have',
      edit(
        RESOURCE,
        `${RESOURCE}          - Effect: Deny\n            Action: "s3:*"\n            Resource: "*"\n            Condition: { StringNotEquals: { aws:SourceVpce: vpce-0a1b2c3d4e5f60718 } }\n`,
      ),
      SERVICE,
      ['pod-identity'],
      /does not allow s3:GetObject/,
    ],
    [
      's3:* on every resource',
      edit(
        '            Action: ["s3:GetObject"]\n            Resource: "arn:aws:s3:::shop-product-images/*"',
        '            Action: ["s3:*"]\n            Resource: "*"',
      ),
      SERVICE,
      ['pod-identity'],
      /every s3 action on every s3 resource/,
    ],
    [
      'the deploy role read-only',
      edit('AmazonEKSEditPolicy', 'AmazonEKSViewPolicy'),
      SERVICE,
      ['access-entry'],
      /allows it nothing that applies manifests \(AmazonEKSViewPolicy\)/,
    ],
    [
      'the deploy role with Edit on the whole cluster',
      edit('          accessScope:\n            type: namespace\n            namespaces: ["shop"]', '          accessScope:\n            type: cluster'),
      SERVICE,
      ['access-entry'],
      /cluster scope lets the deploy job change every namespace/,
    ],
    [
      'the deploy role with Edit in shop and staging',
      edit('            namespaces: ["shop"]', '            namespaces: ["shop", "shop-staging"]'),
      SERVICE,
      ['access-entry'],
      /AmazonEKSEditPolicy also reaches shop-staging: .*nothing beyond it/,
    ],
    [
      'the deploy role with Edit in shop*',
      edit('            namespaces: ["shop"]', '            namespaces: ["shop*"]'),
      SERVICE,
      ['access-entry'],
      /also reaches shop\*/,
    ],
    [
      'the deploy entry as a node',
      edit(
        '    - principalARN: arn:aws:iam::111122223333:role/github-deploy\n',
        '    - principalARN: arn:aws:iam::111122223333:role/github-deploy\n      type: EC2_LINUX\n',
      ),
      SERVICE,
      ['access-entry'],
      /type EC2_LINUX is for nodes/,
    ],
    [
      'authentication by ConfigMap only',
      edit('  authenticationMode: API\n', '  authenticationMode: CONFIG_MAP\n'),
      SERVICE,
      ['access-entry'],
      /CONFIG_MAP ignores access entries/,
    ],
    [
      'a subnet name that does not exist',
      CLUSTER,
      edit('subnet-0a1b2c3d4e5f60000, subnet-0a1b2c3d4e5f60001', 'public-a, public-b', SERVICE),
      ['load-balancer'],
      /has no subnet public-a, public-b \(couldn't find all subnets\)/,
    ],
    [
      'two subnets in one zone',
      CLUSTER,
      edit('subnet-0a1b2c3d4e5f60000, subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60000, subnet-0a1b2c3d4e5f60010', SERVICE),
      ['load-balancer'],
      /multiple subnets in same Availability Zone/,
    ],
    [
      'one public subnet only',
      CLUSTER,
      edit('subnet-0a1b2c3d4e5f60000, subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60000', SERVICE),
      ['load-balancer'],
      /one availability zone only/,
    ],
    [
      'the scheme left out (internal by default)',
      CLUSTER,
      edit('    service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing\n', '', SERVICE),
      ['load-balancer'],
      /the default when left out/,
    ],
    [
      "the controller's association removed",
      edit(
        '    - namespace: kube-system\n      serviceAccountName: aws-load-balancer-controller\n      createServiceAccount: true\n      wellKnownPolicies:\n        awsLoadBalancerController: true\n',
        '',
      ),
      SERVICE,
      ['load-balancer', 'rest-intact'],
      /no AWS identity/,
    ],
    ['a NodePort Service', CLUSTER, edit('  type: LoadBalancer\n', '  type: NodePort\n', SERVICE), ['load-balancer'], /not type LoadBalancer/],
    [
      'the node group shrunk',
      edit('    minSize: 2\n    desiredCapacity: 3\n', '    minSize: 1\n    desiredCapacity: 1\n'),
      SERVICE,
      ['rest-intact'],
      /minSize is 1, below the 2/,
    ],
    [
      'audit logs dropped',
      edit('    enableTypes: ["api", "audit", "authenticator"]\n', '    enableTypes: ["api"]\n'),
      SERVICE,
      ['rest-intact'],
      /logging lost/,
    ],
    [
      'the admin entry dropped',
      edit(
        '    - principalARN: arn:aws:iam::111122223333:role/shop-admin\n      accessPolicies:\n        - policyARN: arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy\n          accessScope:\n            type: cluster\n',
        '',
      ),
      SERVICE,
      ['rest-intact'],
      /shop-admin lost its cluster-admin access entry/,
    ],
    [
      'the Service moved to default',
      CLUSTER,
      edit('  namespace: shop\n', '', SERVICE),
      ['load-balancer', 'rest-intact', 'schema'],
      /no Service frontend in the namespace shop/,
    ],
  ];
  for (const [name, cluster, service, want, re] of rows) {
    it(name, async () => {
      const v = await grade(sub(cluster, service));
      expect(failed(v)).toEqual(want);
      expect(want.map((id) => en(v, id)).join(' ')).toMatch(re);
      for (const id of want) expect(ko(v, id).length, id).toBeGreaterThan(10);
    });
  }
});

describe('input that cannot be graded', () => {
  it('refuses what is missing or not an eksctl config, naming the file', async () => {
    expect(await notGradable(new Submission(new Map([['cluster.yaml', Buffer.from(CLUSTER)]])))).toMatch(/k8s\/frontend-service\.yaml is missing/);
    expect(await notGradable(sub(CLUSTER, '# nothing\n'))).toMatch(/frontend-service\.yaml is empty/);
    expect(await notGradable(sub('resource "aws_eks_cluster" "shop" {\n  name = "shop"\n}\n'))).toMatch(/Terraform \(HCL\), not an eksctl ClusterConfig/);
    expect(await notGradable(sub(CLUSTER + '---\nkind: ClusterConfig\n'))).toMatch(/single YAML document/);
    expect(await notGradable(sub('metadata: [\n'))).toMatch(/cluster\.yaml:\d+: YAML syntax error/);
    expect(await notGradable(sub(Buffer.from([0xff, 0xfe, 0x41])))).toMatch(/not UTF-8/);
  });

  it('grades a hostile but well-formed config without crashing', async () => {
    const v = await grade(
      sub(
        'apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: { name: shop, region: ap-northeast-2, version: "1.35" }\nmanagedNodeGroups: [7, { name: x, subnets: [{ a: 1 }] }]\niam: { podIdentityAssociations: "no" }\naccessConfig: { accessEntries: [1, null] }\n',
      ),
    );
    expect(v.gradable).toBe(true);
    expect(failed(v)).toContain('schema');
  });
});
