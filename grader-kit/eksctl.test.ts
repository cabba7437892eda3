import { describe, expect, it } from 'vitest';
import { NotGradable, Submission } from './index';
import { loadClusterConfig, say, schemaFindings } from './eksctl-config';
import { SCHEMA_SOURCE } from './eksctl-schema';
import { actionMatches, broadManagedPolicy, judgePolicyDocument } from './iam-policy';

const FILE = 'infra/cluster.yaml';
const load = (text: string) => loadClusterConfig(new Submission(new Map([[FILE, Buffer.from(text)]])), FILE);
const BASE =
  ['apiVersion: eksctl.io/v1alpha5', 'kind: ClusterConfig', 'metadata:', '  name: shop', '  region: ap-northeast-2', '  version: "1.35"'].join('\n') + '\n';
const notGradable = (text: string): string => {
  try {
    load(text);
  } catch (e) {
    if (e instanceof NotGradable) return typeof e.msg === 'string' ? e.msg : e.msg.en;
    throw e;
  }
  throw new Error('loaded');
};

describe('loadClusterConfig', () => {
  it('reads YAML 1.1 as eksctl does (yes is true), drops nulls, and names the file it was given', () => {
    const c = load(BASE + 'managedNodeGroups:\n  - name: ng\n    privateNetworking: yes\n    ami: null\n');
    expect(c.get(['managedNodeGroups', 0, 'privateNetworking'])).toBe(true);
    expect(c.get(['managedNodeGroups', 0])).toEqual({ name: 'ng', privateNetworking: true });
    expect(c.where(['managedNodeGroups', 0, 'privateNetworking'])).toBe(`${FILE}:9 (managedNodeGroups[0].privateNetworking)`);
    expect(c.where([])).toBe(FILE);
  });

  it('refuses Terraform, several documents and a missing file, naming the file', () => {
    expect(notGradable('resource "aws_eks_cluster" "shop" {\n  name = "shop"\n}\n')).toMatch(new RegExp(`^${FILE}:1: this is Terraform`));
    expect(notGradable(BASE + '---\nkind: ClusterConfig\n')).toMatch(/single YAML document/);
    expect(() => loadClusterConfig(new Submission(new Map()), FILE)).toThrow(NotGradable);
  });
});

describe('schemaFindings', () => {
  it('passes a valid config against eksctl schema', () => {
    expect(SCHEMA_SOURCE).toMatch(/^eksctl \d+\.\d+\.\d+/);
    expect(schemaFindings(load(BASE + 'managedNodeGroups:\n  - name: ng\n    amiFamily: AmazonLinux2023\n'), ['1.35'])).toEqual([]);
  });

  it('says what eksctl refuses: an unquoted version, a field in the wrong case, an unknown image family', () => {
    const c = load(BASE.replace('"1.35"', '1.35') + 'managedNodeGroups:\n  - name: ng\n    PrivateNetworking: true\n    amiFamily: AmazonLinux3\n');
    const f = schemaFindings(c, ['1.35']);
    const text = say(c, f, 10);
    const en = typeof text === 'string' ? text : text.en;
    expect(f.map((x) => x.path.join('.'))).toEqual(['metadata.version', 'managedNodeGroups.0.PrivateNetworking', 'managedNodeGroups.0.amiFamily']);
    expect(en).toMatch(/metadata\.version\): version must be a string, but unquoted YAML reads it as the number 1\.35.*"1\.35"/);
    expect(en).toMatch(/"PrivateNetworking" in managedNodeGroups\[0\] is not "privateNetworking"/);
    expect(en).toMatch(/amiFamily must be one of .*"AmazonLinux2023"/);
  });
});

describe('iam-policy', () => {
  it('matches IAM action and resource patterns', () => {
    expect(actionMatches('s3:Get*', 's3:GetObject')).toBe(true);
    expect(actionMatches('S3:getobject', 's3:GetObject')).toBe(true);
    expect(actionMatches('s3:Put*', 's3:GetObject')).toBe(false);
    expect(actionMatches('arn:aws:s3:::shop-product-images/*', 'arn:aws:s3:::shop-product-images/banner.png')).toBe(true);
    expect(actionMatches('arn:aws:s3:::shop-assets/*', 'arn:aws:s3:::shop-product-images/banner.png')).toBe(false);
  });

  it('judges a policy by what it grants', () => {
    const narrow = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::shop-product-images/*' }] };
    expect(judgePolicyDocument(narrow, ['permissionPolicy'])).toEqual([]);
    const wide = { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:*', Resource: '*' } };
    expect(
      judgePolicyDocument(wide, ['permissionPolicy'])
        .map((p) => p.en)
        .join(' '),
    ).toMatch(/every s3 action on every s3 resource/);
    expect(broadManagedPolicy('arn:aws:iam::aws:policy/AmazonS3FullAccess')).not.toBeNull();
    expect(broadManagedPolicy('arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess')).toBeNull();
    expect(broadManagedPolicy('arn:aws:iam::111122223333:policy/shop-product-images-read')).toBeNull();
  });
});
