import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { Submission, NotGradable } from '../../../lib/grader-kit/index';
import { labManifest } from '../../../lib/labs/manifest';
import { grade } from './checks';
import { cidrsubnet, parseCidr, overlaps, contains } from './cidr';

const LAB = path.resolve(import.meta.dirname, '..');
const manifest = labManifest.parse(YAML.parse(fs.readFileSync(path.join(LAB, 'lab.yaml'), 'utf8')));
const max = Object.fromEntries(manifest.checks.map((c) => [c.id, c.points]));

function load(dir: string): Submission {
  const d = path.join(LAB, dir);
  return new Submission(new Map(fs.readdirSync(d).filter((f) => f.endsWith('.tf')).map((f) => [f, fs.readFileSync(path.join(d, f))])));
}

const sub = (files: Record<string, string | Buffer>) => new Submission(new Map(Object.entries(files).map(([k, v]) => [k, Buffer.isBuffer(v) ? v : Buffer.from(v)])));

describe('cidrsubnet', () => {
  it('matches Terraform', () => {
    expect(cidrsubnet('10.0.0.0/16', 8, 2)).toBe('10.0.2.0/24');
    expect(cidrsubnet('10.0.0.0/16', 4, 15)).toBe('10.0.240.0/20');
    expect(cidrsubnet('172.16.0.0/12', 4, 2)).toBe('172.18.0.0/16');
    expect(cidrsubnet('10.1.2.0/24', 4, 15)).toBe('10.1.2.240/28');
  });
  it('refuses a netnum or newbits that does not fit', () => {
    expect(() => cidrsubnet('10.0.0.0/16', 8, 256)).toThrow(/does not fit/);
    expect(() => cidrsubnet('10.0.0.0/30', 4, 0)).toThrow(/cannot extend/);
    expect(() => parseCidr('10.0.0.300/16')).toThrow();
  });
  it('knows containment and overlap', () => {
    expect(contains(parseCidr('10.0.0.0/16'), parseCidr('10.0.3.0/24'))).toBe(true);
    expect(contains(parseCidr('10.0.0.0/16'), parseCidr('10.1.0.0/24'))).toBe(false);
    expect(overlaps(parseCidr('10.0.0.0/23'), parseCidr('10.0.1.0/24'))).toBe(true);
    expect(overlaps(parseCidr('10.0.0.0/24'), parseCidr('10.0.1.0/24'))).toBe(false);
  });
});

describe('week01 grader', () => {
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
  it.each(cases)('case %s fails exactly its expected checks', async (c) => {
    const expected = JSON.parse(fs.readFileSync(path.join(LAB, 'cases', c, 'expect.json'), 'utf8')).fail as string[];
    const v = await grade(load(`cases/${c}`));
    expect(v.checks.filter((x) => !x.passed).map((x) => x.id).sort()).toEqual([...expected].sort());
    for (const f of v.checks.filter((x) => !x.passed)) expect(JSON.stringify(f.message)).toMatch(/main\.tf|provider|aws_/);
  });

  it('the starter stays below the pass mark', async () => {
    const v = await grade(load('starter'));
    const total = v.checks.reduce((s, c) => s + c.points, 0);
    expect(total).toBeLessThan(manifest.passRatio * manifest.checks.reduce((s, c) => s + c.points, 0));
  });

  it('invalid HCL, an empty or missing main.tf and invalid UTF-8 are not gradable', async () => {
    await expect(grade(sub({ 'main.tf': 'resource "aws_vpc" "x" {' }))).rejects.toThrow(NotGradable);
    await expect(grade(sub({ 'main.tf': '' }))).rejects.toThrow(/empty/);
    await expect(grade(sub({ 'vars.tf': 'variable "x" {}' }))).rejects.toThrow(/missing/);
    await expect(grade(sub({ 'main.tf': Buffer.from([0xff, 0xfe, 0x00, 0x41]) }))).rejects.toThrow(/UTF-8/);
  });

  it('deeply nested HCL gets an answer, not a crash', async () => {
    const depth = 3000;
    const text = 'locals {\n x = ' + '{ a = '.repeat(depth) + '1' + ' }'.repeat(depth) + '\n}\n';
    const r = await grade(sub({ 'main.tf': text })).then(
      (v) => v.gradable,
      (e) => (e instanceof NotGradable ? 'not-gradable' : e),
    );
    expect([true, 'not-gradable']).toContain(r);
  });
});
