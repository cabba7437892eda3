/**
 * Table tests over the week 6 grader's reference checks: what eksctl and IAM document as equivalent is accepted, and
 * the near misses are refused with a message that names the real problem. Each row edits the reference solution in
 * one place.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NotGradable, Submission, type GraderVerdict } from '../../../grader-kit/index';
import { labSubmissionDirs, listLabs, readVariant } from '../../../lib/labs/registry';
import { grade } from './checks';
import { actionMatches, broadManagedPolicy, judgePolicyDocument } from '../../../grader-kit/iam-policy';
import { SCHEMA_SOURCE } from '../../../grader-kit/eksctl-schema';

const LAB = path.resolve(import.meta.dirname, '..');
const SOLUTION = fs.readFileSync(path.join(LAB, 'solution/cluster.yaml'), 'utf8');
const sub = (text: string) => new Submission(new Map([['cluster.yaml', Buffer.from(text)]]));
const failed = (v: GraderVerdict) =>
  v.checks
    .filter((c) => !c.passed)
    .map((c) => c.id)
    .sort();
const en = (v: GraderVerdict, id: string) => {
  const m = v.checks.find((c) => c.id === id)?.message;
  return typeof m === 'string' ? m : (m?.en ?? '');
};

function edited(pairs: [string, string][], extra = ''): string {
  let t = SOLUTION;
  for (const [from, to] of pairs) {
    expect(t.split(from).length - 1, `"${from}" occurs once in the solution`).toBe(1);
    t = t.replace(from, to);
  }
  return t + extra;
}
const verdict = (pairs: [string, string][], extra = '') => grade(sub(edited(pairs, extra)));

const SA_POLICY =
  '      attachPolicy:\n        Version: "2012-10-17"\n        Statement:\n          - Effect: Allow\n            Action: ["s3:GetObject"]\n            Resource: "arn:aws:s3:::shop-product-images/*"\n';
const VERSION = '  version: "1.35"\n';
const LOGS = '    enableTypes: ["api", "audit", "authenticator"]\n';
const PRIVATE = '    privateNetworking: true\n';

describe('every variant in variants/ gets full marks (the same set bin/lms labs verify grades)', () => {
  const lab = listLabs().find((l) => l.manifest.id === 'week06-eks-cluster')!;
  const dirs = labSubmissionDirs(lab, 'variants');
  it('has at least 5 variants', () => expect(dirs.length).toBeGreaterThanOrEqual(5));
  it.each(dirs.map((d) => [path.basename(d), d]))('%s', async (_, d) => {
    const { files } = readVariant(d);
    const v = await grade(new Submission(new Map(files.map((f) => [f.path, f.content]))));
    expect(v.checks.filter((c) => !c.passed).map((c) => `${c.id}: ${JSON.stringify(c.message)}`)).toEqual([]);
  });
});

describe('YAML as eksctl reads it (sigs.k8s.io/yaml: YAML 1.1, merge keys, null as unset)', () => {
  it.each([
    [
      'yes/on booleans',
      [
        [PRIVATE, '    privateNetworking: yes\n'],
        ['  withOIDC: true\n', '  withOIDC: on\n'],
      ],
    ],
    ['True in capitals', [[PRIVATE, '    privateNetworking: True\n']]],
    ['a null field (as --dry-run prints)', [[PRIVATE, '    privateNetworking: true\n    securityGroups:\n      withLocal: null\n      withShared: ~\n']]],
    [
      'a flow mapping',
      [
        [
          '      ap-northeast-2a:\n        id: subnet-0a1b2c3d4e5f60010\n        cidr: 10.0.10.0/24\n',
          '      ap-northeast-2a: {id: subnet-0a1b2c3d4e5f60010, cidr: 10.0.10.0/24}\n',
        ],
      ],
    ],
    ['a leading --- and a closing ...', [['apiVersion: eksctl.io/v1alpha5\n', '---\napiVersion: eksctl.io/v1alpha5\n']]],
  ] as [string, [string, string][]][])('accepts %s', async (_, pairs) => {
    expect(failed(await verdict(pairs, pairs[0]![1].startsWith('---') ? '...\n' : ''))).toEqual([]);
  });
  it('accepts a second node group built from the first with an anchor and a merge key, and checks the merged result', async () => {
    const t = edited([['  - name: shop-nodes\n', '  - &nodes\n    name: shop-nodes\n']], '\n');
    const ok = t.replace('\ncloudWatch:', '  - <<: *nodes\n    name: shop-nodes-2\n\ncloudWatch:');
    expect(failed(await grade(sub(ok)))).toEqual([]);
    const bad = t.replace('\ncloudWatch:', '  - <<: *nodes\n    name: shop-nodes-2\n    privateNetworking: no\n\ncloudWatch:');
    const v = await grade(sub(bad));
    expect(failed(v)).toEqual(['private-nodes']);
    expect(en(v, 'private-nodes')).toMatch(/"shop-nodes-2" sets privateNetworking to false/);
  });
  it('reads "yes" in quotes as a string, as eksctl does, and refuses it where a boolean belongs', async () => {
    const v = await verdict([[PRIVATE, '    privateNetworking: "yes"\n']]);
    expect(failed(v)).toEqual(['private-nodes', 'schema']);
  });
});

describe('the Kubernetes version', () => {
  it.each(['"1.35"', "'1.36'", '"1.37"'])('accepts %s', async (v) => {
    expect(failed(await verdict([[VERSION, `  version: ${v}\n`]]))).toEqual([]);
  });
  it('an unquoted supported version fails only the schema (eksctl refuses the number), with the quoted form in the message', async () => {
    const v = await verdict([[VERSION, '  version: 1.36\n']]);
    expect(failed(v)).toEqual(['schema']);
    expect(en(v, 'schema')).toMatch(/write it in quotes, e\.g\. "1\.36"/);
  });
  it.each([
    ['"1.34"', /left EKS standard support on 2026-12-02/],
    ['"1.31"', /extended support/],
    ['"1.27"', /no longer offered by EKS/],
    ['"1.40"', /not a Kubernetes version in EKS standard support \(2026-12-03: 1\.35, 1\.36, 1\.37\)/],
  ])('refuses %s', async (v, re) => {
    const r = await verdict([[VERSION, `  version: ${v}\n`]]);
    expect(failed(r)).toEqual(['version']);
    expect(en(r, 'version')).toMatch(re);
  });
});

describe('node groups and where their nodes go', () => {
  it.each([
    ['instanceTypes instead of instanceType', [['    instanceType: t3.medium\n', '    instanceTypes: [t3.medium, t3a.medium]\n    spot: true\n']]],
    ['subnets by zone key', [[PRIVATE, `${PRIVATE}    subnets: [ap-northeast-2a, ap-northeast-2b]\n`]]],
    ['subnets by id', [[PRIVATE, `${PRIVATE}    subnets: [subnet-0a1b2c3d4e5f60010]\n`]]],
    ['availabilityZones of private subnets', [[PRIVATE, `${PRIVATE}    availabilityZones: [ap-northeast-2b]\n`]]],
    [
      'a private self-managed node group next to it',
      [['\ncloudWatch:', '\nnodeGroups:\n  - name: batch\n    instanceType: c6i.large\n    desiredCapacity: 0\n    privateNetworking: true\n\ncloudWatch:']],
    ],
  ] as [string, [string, string][]][])('accepts %s', async (_, pairs) => {
    expect(failed(await verdict(pairs))).toEqual([]);
  });
  it.each([
    ['a public subnet by id', [[PRIVATE, `${PRIVATE}    subnets: [subnet-0a1b2c3d4e5f60000]\n`]], /not one of vpc\.subnets\.private/],
    [
      'a zone without a private subnet',
      [[PRIVATE, `${PRIVATE}    availabilityZones: [ap-northeast-2c]\n`]],
      /zone ap-northeast-2c, where vpc\.subnets\.private has no subnet/,
    ],
    [
      'a public self-managed node group',
      [['\ncloudWatch:', '\nnodeGroups:\n  - name: batch\n    desiredCapacity: 1\n\ncloudWatch:']],
      /self-managed node group "batch" does not set privateNetworking/,
    ],
  ] as [string, [string, string][], RegExp][])('refuses %s', async (_, pairs, re) => {
    const v = await verdict(pairs);
    expect(failed(v)).toEqual(['private-nodes']);
    expect(en(v, 'private-nodes')).toMatch(re);
  });
});

describe("week 1's subnets", () => {
  it.each([
    [
      'subnets by cidr with vpc.id, under custom names with az',
      [['      ap-northeast-2a:\n        id: subnet-0a1b2c3d4e5f60010\n', '      app-a:\n        az: ap-northeast-2a\n']],
    ],
    ["vpc.cidr set to week 1's range", [['  id: vpc-0a1b2c3d4e5f60718\n', '  id: vpc-0a1b2c3d4e5f60718\n  cidr: 10.0.0.0/16\n']]],
    ['availabilityZones next to the subnets (as --dry-run prints)', [['\nvpc:\n', '\navailabilityZones: [ap-northeast-2a, ap-northeast-2b]\n\nvpc:\n']]],
  ] as [string, [string, string][]][])('accepts %s', async (_, pairs) => {
    expect(failed(await verdict(pairs))).toEqual([]);
  });
});

describe('least privilege, judged by what the policies grant', () => {
  const inline = (statements: string) => `      attachPolicy:\n        Version: "2012-10-17"\n        Statement:\n${statements}`;
  it.each([
    ['an AWS managed read-only policy', '      attachPolicyARNs:\n        - arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess\n'],
    [
      "a customer managed policy (its contents are the learner's)",
      '      attachPolicyARNs:\n        - arn:aws:iam::123456789012:policy/shop-product-images-read\n',
    ],
    ['the same in another partition', '      attachPolicyARNs:\n        - arn:aws-us-gov:iam::aws:policy/AmazonS3ReadOnlyAccess\n'],
    [
      'a bucket-scoped inline policy',
      inline(
        '          - Effect: Allow\n            Action: [s3:GetObject, s3:ListBucket]\n            Resource: [arn:aws:s3:::assets, arn:aws:s3:::assets/*]\n',
      ),
    ],
    [
      'a single Statement object and string Action',
      '      attachPolicy:\n        Version: "2012-10-17"\n        Statement:\n          Effect: Allow\n          Action: s3:GetObject\n          Resource: arn:aws:s3:::assets/*\n',
    ],
    ['an action prefix on every resource', inline('          - Effect: Allow\n            Action: "s3:Get*"\n            Resource: "*"\n')],
    [
      'all of one service on one bucket',
      inline('          - Effect: Allow\n            Action: "s3:*"\n            Resource: ["arn:aws:s3:::assets", "arn:aws:s3:::assets/*"]\n'),
    ],
    [
      'Allow * narrowed by an unconditional Deny NotAction',
      inline(
        '          - Effect: Allow\n            Action: "*"\n            Resource: "*"\n          - Effect: Deny\n            NotAction: ["s3:GetObject"]\n            Resource: "*"\n',
      ),
    ],
    ['wellKnownPolicies', '      wellKnownPolicies:\n        externalDNS: true\n'],
    ['an existing role', '      attachRoleARN: arn:aws:iam::123456789012:role/shop-checkout\n'],
  ])('accepts %s', async (_, grant) => {
    expect(failed(await verdict([[SA_POLICY, grant]]))).toEqual([]);
  });
  it.each([
    [
      'Action "*" on "*" (the issue\'s example)',
      inline('          - Effect: Allow\n            Action: "*"\n            Resource: "*"\n'),
      /allows every action of every AWS service: that is administrator access/,
    ],
    ['Action "*:*"', inline('          - Effect: Allow\n            Action: ["*:*"]\n            Resource: "*"\n'), /every action of every AWS service/],
    [
      'Action "*" even on one bucket',
      inline('          - Effect: Allow\n            Action: "*"\n            Resource: arn:aws:s3:::assets/*\n'),
      /every action of every AWS service/,
    ],
    [
      'a service wildcard on every resource',
      inline('          - Effect: Allow\n            Action: s3:*\n            Resource: "*"\n'),
      /allows every s3 action on every s3 resource/,
    ],
    [
      'a service wildcard on every bucket ARN',
      inline('          - Effect: Allow\n            Action: s3:*\n            Resource: "arn:aws:s3:::*"\n'),
      /every s3 action/,
    ],
    [
      'iam:* on one role',
      inline('          - Effect: Allow\n            Action: iam:*\n            Resource: arn:aws:iam::123456789012:role/shop-checkout\n'),
      /give itself or another role more permissions/,
    ],
    ['iam:PassRole on every role', inline('          - Effect: Allow\n            Action: iam:PassRole\n            Resource: "*"\n'), /more permissions/],
    [
      'NotAction with Allow on every resource',
      inline('          - Effect: Allow\n            NotAction: iam:*\n            Resource: "*"\n'),
      /allows every action except iam:\*/,
    ],
    [
      'an Allow * with only a conditional Deny',
      inline(
        '          - Effect: Allow\n            Action: "*"\n            Resource: "*"\n          - Effect: Deny\n            NotAction: s3:GetObject\n            Resource: "*"\n            Condition:\n              Bool:\n                aws:SecureTransport: "false"\n',
      ),
      /administrator access/,
    ],
    ['AdministratorAccess', '      attachPolicyARNs:\n        - arn:aws:iam::aws:policy/AdministratorAccess\n', /administrator access/],
    ['PowerUserAccess', '      attachPolicyARNs:\n        - arn:aws:iam::aws:policy/PowerUserAccess\n', /every action except IAM/],
    ['AmazonS3FullAccess', '      attachPolicyARNs:\n        - arn:aws:iam::aws:policy/AmazonS3FullAccess\n', /every action of its service/],
    ['ReadOnlyAccess', '      attachPolicyARNs:\n        - arn:aws:iam::aws:policy/ReadOnlyAccess\n', /reads every service/],
    ['a job-function policy', '      attachPolicyARNs:\n        - arn:aws:iam::aws:policy/job-function/SystemAdministrator\n', /job-function policy/],
    ['AdministratorAccess in GovCloud', '      attachPolicyARNs:\n        - arn:aws-us-gov:iam::aws:policy/AdministratorAccess\n', /administrator access/],
    [
      'a good policy next to a broad one',
      '      attachPolicyARNs:\n        - arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess\n        - arn:aws:iam::aws:policy/IAMFullAccess\n',
      /every IAM action/,
    ],
  ])('refuses %s', async (_, grant, re) => {
    const v = await verdict([[SA_POLICY, grant]]);
    expect(failed(v)).toEqual(['iam']);
    expect(en(v, 'iam')).toMatch(re);
    expect(en(v, 'iam')).toMatch(/cluster\.yaml:\d+ \(iam\.serviceAccounts\[0\]\.attach/);
  });
  it.each([
    [
      'a lower-case Effect',
      inline('          - Effect: allow\n            Action: s3:GetObject\n            Resource: "*"\n'),
      /Effect is "allow"; IAM accepts only "Allow" or "Deny"/,
    ],
    [
      'a Principal in a permission policy',
      inline('          - Effect: Allow\n            Principal: "*"\n            Action: s3:GetObject\n            Resource: "*"\n'),
      /no Principal/,
    ],
    ['no Resource', inline('          - Effect: Allow\n            Action: s3:GetObject\n'), /needs exactly one of Resource or NotResource/],
    ['no Statement', '      attachPolicy:\n        Version: "2012-10-17"\n', /has no Statement/],
  ])('refuses an invalid policy: %s', async (_, grant, re) => {
    const v = await verdict([[SA_POLICY, grant]]);
    expect(failed(v)).toEqual(['iam']);
    expect(en(v, 'iam')).toMatch(/attachPolicy is not a valid IAM policy/);
    expect(en(v, 'iam')).toMatch(re);
  });
  it("judges the other pods' permissions too: an addon's service account and the node role", async () => {
    const addon = await verdict([], '\naddons:\n  - name: aws-ebs-csi-driver\n    attachPolicyARNs: [arn:aws:iam::aws:policy/AdministratorAccess]\n');
    expect(failed(addon)).toEqual(['iam']);
    expect(en(addon, 'iam')).toMatch(/aws-ebs-csi-driver addon's service account/);
    const node = await verdict([[PRIVATE, `${PRIVATE}    iam:\n      attachPolicyARNs: [arn:aws:iam::aws:policy/AmazonEC2FullAccess]\n`]]);
    expect(failed(node)).toEqual(['iam']);
    expect(en(node, 'iam')).toMatch(/the node role, which every pod on those nodes can use/);
  });
  it('Pod Identity: needs the agent addon, except in EKS Auto Mode', async () => {
    const pia = (extra: string) =>
      verdict(
        [
          [
            '  serviceAccounts:\n    - metadata:\n        name: checkout\n        namespace: shop\n' + SA_POLICY,
            '  podIdentityAssociations:\n    - namespace: shop\n      serviceAccountName: checkout\n      permissionPolicyARNs: [arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess]\n',
          ],
        ],
        extra,
      );
    expect(failed(await pia('\naddons:\n  - name: eks-pod-identity-agent\n'))).toEqual([]);
    expect(failed(await pia('\nautoModeConfig:\n  enabled: true\n'))).toEqual([]);
    const none = await pia('');
    expect(failed(none)).toEqual(['iam']);
    expect(en(none, 'iam')).toMatch(/need the "eks-pod-identity-agent" addon/);
    const noOidc = await grade(
      sub(
        edited(
          [
            ['  withOIDC: true\n', ''],
            [
              '  serviceAccounts:\n    - metadata:\n        name: checkout\n        namespace: shop\n' + SA_POLICY,
              '  podIdentityAssociations:\n    - namespace: shop\n      serviceAccountName: checkout\n      permissionPolicyARNs: [arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess]\n',
            ],
          ],
          '\naddons:\n  - name: eks-pod-identity-agent\n',
        ),
      ),
    );
    expect(failed(noOidc)).toEqual(['iam']);
    expect(en(noOidc, 'iam')).toMatch(/Pod Identity works without it, but this lab asks for the cluster's OIDC provider too/);
  });
  it('matches IAM action wildcards the way IAM does', () => {
    expect(actionMatches('s3:Get*', 's3:GetObject')).toBe(true);
    expect(actionMatches('S3:GETOBJECT', 's3:GetObject')).toBe(true);
    expect(actionMatches('iam:Put*Policy', 'iam:PutRolePolicy')).toBe(true);
    expect(actionMatches('iam:Get*', 'iam:PassRole')).toBe(false);
    expect(actionMatches('s3:?etObject', 's3:GetObject')).toBe(true);
    expect(broadManagedPolicy('arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess')).toBeNull();
    expect(broadManagedPolicy('arn:aws:iam::aws:policy/AdministratorAccess-Amplify')).not.toBeNull();
    expect(judgePolicyDocument({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] }, [])[0]?.en).toMatch(/allows nothing/);
  });
});

describe('logging and access configuration', () => {
  it.each(['["*"]', '["all"]', '[api, audit]', '[audit, api, scheduler]'])('accepts enableTypes %s', async (types) => {
    expect(failed(await verdict([[LOGS, `    enableTypes: ${types}\n`]]))).toEqual([]);
  });
  it('refuses log types eksctl does not know (they are case-sensitive)', async () => {
    const v = await verdict([[LOGS, '    enableTypes: ["API", "Audit"]\n']]);
    expect(failed(v)).toEqual(['logging', 'schema']);
  });
  it.each(['API', 'API_AND_CONFIG_MAP', 'CONFIG_MAP'])('accepts accessConfig.authenticationMode %s', async (mode) => {
    expect(failed(await verdict([], `\naccessConfig:\n  authenticationMode: ${mode}\n`))).toEqual([]);
  });
  it('refuses an unknown authentication mode and a misspelt field in a section the lab does not otherwise read', async () => {
    const mode = await verdict([], '\naccessConfig:\n  authenticationMode: APIs\n');
    expect(failed(mode)).toEqual(['schema']);
    expect(en(mode, 'schema')).toMatch(/accessConfig\.authenticationMode must be one of "API", "API_AND_CONFIG_MAP", "CONFIG_MAP"/);
    const typo = await verdict([], '\naccessConfig:\n  bootstrapClusterCreatorAdminPermission: true\n');
    expect(en(typo, 'schema')).toMatch(/did you mean "bootstrapClusterCreatorAdminPermissions"/);
  });
  it('names a field that differs only in case', async () => {
    const v = await verdict([['managedNodeGroups:\n', 'managedNodegroups:\n']]);
    expect(en(v, 'schema')).toMatch(/"managedNodegroups" at the top level is not "managedNodeGroups": eksctl's field names are case-sensitive/);
  });
});

describe('current eksctl (0.230, August 2026) config fields are accepted', () => {
  it(`knows fields added in 2026 (${SCHEMA_SOURCE.slice(0, 40)}…)`, async () => {
    const v = await verdict(
      [
        ['  clusterEndpoints:\n', '  controlPlaneOnPrivateSubnets: true\n  clusterEndpoints:\n'],
        [PRIVATE, `${PRIVATE}    nodeRepairConfig:\n      enabled: true\n`],
      ],
      '\nupgradePolicy:\n  supportType: STANDARD\n\nzonalShiftConfig:\n  enabled: true\n',
    );
    expect(failed(v)).toEqual([]);
  });
});

describe('a Terraform file in cluster.yaml', () => {
  it('is not graded, and the message says this lab grades the eksctl file', async () => {
    const tf =
      'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws", version = "~> 6.0" }\n  }\n}\n\nresource "aws_eks_cluster" "shop" {\n  name    = "shop"\n  version = "1.35"\n}\n';
    let msg: { en: string; ko: string } | null = null;
    try {
      await grade(sub(tf));
    } catch (e) {
      if (e instanceof NotGradable) msg = e.msg as { en: string; ko: string };
      else throw e;
    }
    expect(msg?.en).toMatch(/^cluster\.yaml:1: this is Terraform \(HCL\), not an eksctl ClusterConfig\..*grades the eksctl config file only.*costs no attempt/);
    expect(msg?.ko).toMatch(/Terraform\(HCL\)/);
  });
  it('a ClusterConfig that merely contains HCL-looking text in a block scalar is graded as usual', async () => {
    const v = await verdict([
      [PRIVATE, `${PRIVATE}    preBootstrapCommands:\n      - |\n        cat <<EOF > /etc/example.tf\n        terraform {\n        }\n        EOF\n`],
    ]);
    expect(failed(v)).toEqual([]);
  });
});
