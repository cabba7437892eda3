import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { Submission, NotGradable, type GraderVerdict } from '../../../grader-kit/index';
import { labManifest, maxPoints } from '../../../lib/labs/manifest';
import { readCase } from '../../../lib/labs/registry';
import { graderOutput } from '../../../lib/grading/result';
import { CHECK_IDS, grade, parseConstraints, satisfies } from './checks';
import { findNestingIssue, parseHcl } from '../../../grader-kit/hcl';

const LAB = path.resolve(import.meta.dirname, '..');
const manifest = labManifest.parse(YAML.parse(fs.readFileSync(path.join(LAB, 'lab.yaml'), 'utf8')));
const max = Object.fromEntries(manifest.checks.map((c) => [c.id, c.points]));
const MAX = maxPoints(manifest);

function load(dir: string): Submission {
  const d = path.join(LAB, dir);
  // A case may be an overlay on the solution (expect.json `base`): read through the same function the integration suite uses.
  if (dir.startsWith('cases/'))
    return new Submission(
      new Map(
        readCase(d)
          .files.filter((f) => f.path.endsWith('.tf'))
          .map((f) => [f.path, f.content]),
      ),
    );
  return new Submission(
    new Map(
      fs
        .readdirSync(d)
        .filter((f) => f.endsWith('.tf'))
        .map((f) => [f, fs.readFileSync(path.join(d, f))]),
    ),
  );
}

const sub = (files: Record<string, string | Buffer>) =>
  new Submission(new Map(Object.entries(files).map(([k, v]) => [k, Buffer.isBuffer(v) ? v : Buffer.from(v)])));
const total = (v: GraderVerdict) => v.checks.reduce((s, c) => s + c.points, 0);
const failed = (v: GraderVerdict) =>
  v.checks
    .filter((c) => !c.passed)
    .map((c) => c.id)
    .sort();
const en = (m: unknown) => (typeof m === 'string' ? m : (m as { en: string }).en);

async function notGradable(s: Submission): Promise<{ ko: string; en: string }> {
  try {
    await grade(s);
  } catch (e) {
    if (e instanceof NotGradable) return e.msg as { ko: string; en: string };
    throw e;
  }
  throw new Error('expected NotGradable, got a verdict');
}

describe('the manifest', () => {
  it("is valid, with at least 6 checks, bilingual hints and the grader's check ids", () => {
    expect(manifest.id).toBe('week01-terraform-vpc');
    expect(manifest.week).toBe(1);
    expect(manifest.kind).toBe('static');
    expect(manifest.passRatio).toBe(0.7);
    expect(manifest.files.map((f) => [f.path, f.required, f.language])).toEqual([
      ['main.tf', true, 'hcl'],
      ['variables.tf', false, 'hcl'],
      ['outputs.tf', false, 'hcl'],
    ]);
    expect(manifest.extraExtensions).toEqual(['.tf']);
    expect(manifest.limits.grader).toEqual({ timeoutMs: 15000, memoryMb: 256 });
    expect(manifest.checks.length).toBeGreaterThanOrEqual(6);
    for (const c of manifest.checks) expect(c.hint.ko.length > 20 && c.hint.en.length > 20).toBe(true);
    expect(manifest.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
  });
});

describe('the instructions', () => {
  const read = (lang: string) => fs.readFileSync(path.join(LAB, `instructions.${lang}.md`), 'utf8').split('\n');
  const shape = (lines: string[]) => ({
    headings: lines.filter((l) => /^#{1,3} /.test(l)).length,
    steps: lines.filter((l) => /^\d+\. /.test(l)).length,
    rows: lines.filter((l) => l.startsWith('|')).length,
  });
  it('have the same structure in Korean and English', () => {
    expect(shape(read('ko'))).toEqual(shape(read('en')));
  });
  it("list every check with the manifest's points", () => {
    for (const lang of ['ko', 'en']) {
      const rows = read(lang)
        .filter((l) => l.startsWith('|'))
        .slice(2);
      expect(
        rows.map((r) => Number(r.split('|').at(-2)!.trim())),
        lang,
      ).toEqual(manifest.checks.map((c) => c.points));
    }
  });
});

describe('version constraints (Terraform semantics)', () => {
  const pinned = (s: string) => !satisfies([999, 0, 0], parseConstraints(s)!);
  it('tells pinned from open-ended', () => {
    expect(pinned('~> 6.0')).toBe(true);
    expect(pinned('~> 6.2.1')).toBe(true);
    expect(pinned('>= 6.0, < 7.0')).toBe(true);
    expect(pinned('6.14.1')).toBe(true);
    expect(pinned('>= 5.0')).toBe(false);
    expect(pinned('~> 6')).toBe(false); // the right-most part may grow: 7.0 is allowed
    expect(satisfies([6, 9, 0], parseConstraints('~> 6.0')!)).toBe(true);
    expect(satisfies([6, 9, 0], parseConstraints('~> 6.2.0')!)).toBe(false);
    expect(satisfies([6, 2, 7], parseConstraints('~> 6.2.0')!)).toBe(true);
    expect(parseConstraints('latest')).toBeNull();
  });
});

describe('week01 grader', () => {
  it("reports exactly the manifest's checks, in order, as a valid grader output", async () => {
    const v = await grade(load('solution'));
    expect(v.checks.map((c) => c.id)).toEqual(manifest.checks.map((c) => c.id));
    expect(() => graderOutput.parse(v)).not.toThrow();
  });

  it('the solution gets full marks', async () => {
    const v = await grade(load('solution'));
    for (const c of v.checks) {
      expect(c.passed, `${c.id}: ${JSON.stringify(c.message)}`).toBe(true);
      expect(c.points).toBe(max[c.id]);
    }
    expect(total(v)).toBe(MAX);
  });

  const valid = fs.readdirSync(path.join(LAB, 'grader', 'testdata')).filter((d) => d.startsWith('valid-'));
  it.each(valid)('the valid variant %s gets full marks too', async (d) => {
    const v = await grade(load(`grader/testdata/${d}`));
    expect(v.checks.filter((c) => !c.passed).map((c) => `${c.id}: ${en(c.message)}`)).toEqual([]);
    expect(total(v)).toBe(MAX);
  });

  const cases = fs.readdirSync(path.join(LAB, 'cases'));
  it('has at least 4 known-wrong cases', () => expect(cases.length).toBeGreaterThanOrEqual(4));
  it.each(cases)('case %s fails exactly its expected checks, saying what and where', async (c) => {
    const expected = readCase(path.join(LAB, 'cases', c)).expect.fail;
    expect(expected.length).toBeGreaterThan(0);
    for (const id of expected) expect(CHECK_IDS as readonly string[]).toContain(id);
    const v = await grade(load(`cases/${c}`));
    expect(failed(v)).toEqual([...expected].sort());
    for (const f of v.checks.filter((x) => !x.passed)) {
      expect(typeof f.message).toBe('object');
      const msg = f.message as { ko: string; en: string };
      expect(msg.ko.length).toBeGreaterThan(10);
      expect(msg.en.length).toBeGreaterThan(10);
      expect(msg.en).toMatch(/[\w-]+\.tf:\d+/);
      expect(msg.ko).toMatch(/[\w-]+\.tf:\d+/);
      expect(f.points).toBeGreaterThanOrEqual(0);
      expect(f.points).toBeLessThan(max[f.id]!);
    }
    for (const p of v.checks.filter((x) => x.passed)) expect(p.points).toBe(max[p.id]);
  });

  it('the starter stays below the pass mark', async () => {
    const v = await grade(load('starter'));
    expect(total(v)).toBeLessThan(manifest.passRatio * MAX);
  });

  it('is deterministic', async () => {
    for (const d of ['solution', 'starter', ...cases.map((c) => `cases/${c}`)]) {
      const a = JSON.stringify(await grade(load(d)));
      const b = JSON.stringify(await grade(load(d)));
      expect(a).toBe(b);
    }
  });

  it('points at the line of the resource block', async () => {
    const v = await grade(load('cases/nat-in-private-subnet'));
    const text = fs.readFileSync(path.join(LAB, 'cases/nat-in-private-subnet/main.tf'), 'utf8');
    const line = text.split('\n').findIndex((l) => l.startsWith('resource "aws_nat_gateway" "main"')) + 1;
    expect(en(v.checks.find((c) => c.id === 'nat')!.message)).toContain(`main.tf:${line} (aws_nat_gateway.main)`);
  });

  it('gives partial credit inside a check', async () => {
    const v = await grade(load('cases/unpinned-provider-no-dns'));
    const vpc = v.checks.find((c) => c.id === 'vpc')!;
    expect(vpc.points).toBeGreaterThan(0);
    expect(vpc.points).toBeLessThan(max.vpc!);
  });

  it('reads files saved on Windows (CRLF line ends, a byte-order mark) the same way', async () => {
    const crlf = (f: string) => Buffer.from('\uFEFF' + fs.readFileSync(path.join(LAB, f), 'utf8').replace(/\n/g, '\r\n'));
    const v = await grade(sub({ 'main.tf': crlf('solution/main.tf'), 'variables.tf': crlf('solution/variables.tf') }));
    expect(total(v)).toBe(MAX);
    const w = await grade(sub({ 'main.tf': crlf('cases/nat-in-private-subnet/main.tf'), 'variables.tf': crlf('solution/variables.tf') }));
    expect(en(w.checks.find((c) => c.id === 'nat')!.message)).toMatch(/main\.tf:90 \(aws_nat_gateway\.main\)/);
  });

  it('takes "true" for true, as Terraform converts it', async () => {
    const text = fs.readFileSync(path.join(LAB, 'solution/main.tf'), 'utf8').replace('enable_dns_hostnames = true', 'enable_dns_hostnames = "true"');
    const v = await grade(sub({ 'main.tf': text, 'variables.tf': fs.readFileSync(path.join(LAB, 'solution/variables.tf')) }));
    expect(total(v)).toBe(MAX);
  });

  it('reads cidrsubnet overflow as a mistake with the reason', async () => {
    const text = fs.readFileSync(path.join(LAB, 'solution/main.tf'), 'utf8').replace('count.index + 10)', 'count.index + 255)');
    const s = sub({ 'main.tf': text, 'variables.tf': fs.readFileSync(path.join(LAB, 'solution/variables.tf')) });
    const v = await grade(s);
    expect(failed(v)).toEqual(['subnets']);
    expect(en(v.checks.find((c) => c.id === 'subnets')!.message)).toMatch(/netnum 256 does not fit in 8 bits/);
  });
});

describe('submissions that cannot be graded', () => {
  it('invalid HCL names the file and the line', async () => {
    const msg = await notGradable(sub({ 'main.tf': 'resource "aws_vpc" "x" {\n  cidr_block = "10.0.0.0/16"\n' }));
    expect(msg.en).toMatch(/main\.tf is not valid HCL at line \d+/);
    expect(msg.ko).toMatch(/main\.tf/);
    const other = await notGradable(sub({ 'main.tf': 'x = 1\n', 'variables.tf': 'variable "a" {\n  default = \n}\n' }));
    expect(other.en).toMatch(/variables\.tf is not valid HCL at line 2/);
  });

  it('a missing, 0-byte or blank main.tf is not gradable', async () => {
    expect((await notGradable(sub({ 'vars.tf': 'variable "x" {}' }))).en).toMatch(/main\.tf is missing/);
    expect((await notGradable(sub({ 'main.tf': '' }))).en).toMatch(/main\.tf is empty/);
    expect((await notGradable(sub({ 'main.tf': ' \n\t\n' }))).en).toMatch(/main\.tf is empty/);
  });

  it('invalid UTF-8 or NUL bytes are not gradable, naming the file', async () => {
    expect((await notGradable(sub({ 'main.tf': Buffer.from([0x72, 0x65, 0xff, 0xfe, 0xc3, 0x28]) }))).en).toMatch(/main\.tf is not UTF-8/);
    expect((await notGradable(sub({ 'main.tf': 'x = 1\n', 'extra.tf': Buffer.from([0xc3]) }))).en).toMatch(/extra\.tf is not UTF-8/);
    expect((await notGradable(sub({ 'main.tf': 'x = 1\0\n' }))).en).toMatch(/NUL/);
  });

  it('a resource declared twice is not gradable, naming both places', async () => {
    const msg = await notGradable(
      sub({ 'main.tf': 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n', 'network.tf': '\nresource "aws_vpc" "main" {\n}\n' }),
    );
    expect(msg.en).toMatch(/aws_vpc\.main is declared twice \(main\.tf:1 and network\.tf:2\)/);
  });
});

describe('hostile input', () => {
  const outcome = (s: Submission) =>
    grade(s).then(
      (v) => (v.gradable ? 'graded' : 'not-gradable'),
      (e) => (e instanceof NotGradable ? 'not-gradable' : e),
    );

  it.each([
    ['5000 nested blocks', 'a {\n'.repeat(5000) + '}\n'.repeat(5000)],
    ['10000 nested objects', 'locals {\n x = ' + '{ a = '.repeat(10_000) + '1' + ' }'.repeat(10_000) + '\n}\n'],
    ['20000 nested lists', 'x = ' + '['.repeat(20_000) + ']'.repeat(20_000) + '\n'],
    ['20000 unary operators', 'x = ' + '!'.repeat(20_000) + 'true\n'],
    ['3000 chained conditionals', 'x = ' + 'a ? 1 : '.repeat(3000) + '2\n'],
    ['nesting hidden behind comments', 'locals {\n' + 'x = { # }\n'.repeat(5000) + '}\n'],
    ['nesting inside a heredoc', 'x = <<EOT\n' + '${['.repeat(5000) + '\nEOT\n'],
    ['nested template directives', 'x = "' + '%{ if true }'.repeat(3000) + 'a' + '%{ endif }'.repeat(3000) + '"\n'],
  ])('%s: not gradable, with the line, and no crash', async (_, text) => {
    const msg = await notGradable(sub({ 'main.tf': text }));
    expect(msg.en).toMatch(/main\.tf line \d+/);
  });

  it('long flat chains are graded, not crashed on', async () => {
    expect(await outcome(sub({ 'main.tf': 'x = 1' + ' + 1'.repeat(20_000) + '\n' }))).toBe('graded');
    expect(await outcome(sub({ 'main.tf': 'x = a' + '.b'.repeat(20_000) + '\n' }))).toBe('graded');
  });

  it('a parser crash stays in its worker: the next submission is graded normally', async () => {
    // Bypass the nesting check on purpose: this is what it protects the parser from.
    const deep = 'a {\n'.repeat(60_000) + '}\n'.repeat(60_000);
    const r = await parseHcl('main.tf', deep);
    expect('doc' in r).toBe(false);
    const v = await grade(load('solution'));
    expect(total(v)).toBe(MAX);
  }, 30_000);

  it('a large file with thousands of resources is graded in reasonable time', async () => {
    const text =
      fs.readFileSync(path.join(LAB, 'solution/main.tf'), 'utf8') +
      Array.from({ length: 2500 }, (_, i) => `resource "aws_eip" "e${i}" {\n  domain = "vpc"\n}\n`).join('');
    expect(text.length).toBeLessThan(128 * 1024);
    const t = Date.now();
    const v = await grade(sub({ 'main.tf': text, 'variables.tf': fs.readFileSync(path.join(LAB, 'solution/variables.tf')) }));
    expect(Date.now() - t).toBeLessThan(5000);
    expect(failed(v)).toEqual(['tags']);
    expect(JSON.stringify(v).length).toBeLessThan(20_000);
  });

  it('exponential locals, self references, huge counts and prototype keys are answered', async () => {
    const blowup =
      'locals {\n a0 = "xxxxxxxxxxxxxxxx"\n' +
      Array.from({ length: 40 }, (_, i) => ` a${i + 1} = "\${local.a${i}}\${local.a${i}}"\n`).join('') +
      '}\nresource "aws_vpc" "v" {\n cidr_block = local.a40\n}\n';
    expect(await outcome(sub({ 'main.tf': blowup }))).toBe('graded');
    const cycle =
      'locals {\n a = local.b\n b = local.a\n}\nresource "aws_vpc" "v" {\n cidr_block = local.a\n}\nresource "aws_subnet" "s" {\n count = length(aws_subnet.s)\n cidr_block = aws_subnet.s[0].cidr_block\n}\n';
    expect(await outcome(sub({ 'main.tf': cycle }))).toBe('graded');
    const huge =
      'resource "aws_subnet" "s" {\n count = 100000000\n cidr_block = cidrsubnet("10.0.0.0/16", 8, count.index)\n}\nlocals {\n r = range(100000000)\n}\n';
    expect(await outcome(sub({ 'main.tf': huge }))).toBe('graded');
    const proto = 'locals {\n x = { "__proto__" = { polluted = 1 }, constructor = 2 }\n}\nresource "aws_vpc" "__proto__" {\n tags = local.x\n}\n';
    expect(await outcome(sub({ 'main.tf': proto }))).toBe('graded');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('the nesting check accepts what real configurations look like', () => {
    for (const d of ['solution', 'starter', ...cases().map((c) => `cases/${c}`)]) {
      for (const f of fs.readdirSync(path.join(LAB, d)).filter((x) => x.endsWith('.tf'))) {
        expect(findNestingIssue(fs.readFileSync(path.join(LAB, d, f), 'utf8')), `${d}/${f}`).toBeNull();
      }
    }
    expect(findNestingIssue('x = "}}}}" # {{{{\ny = <<EOT\n{{{{ "\nEOT\nz = [for s in x : { a = "${s}" }]\n')).toBeNull();
    // A heredoc ends at its marker even with spaces after it; what follows is code again.
    expect(findNestingIssue('x = <<EOT\nhello\n  EOT  \ny = ' + '['.repeat(70) + ']'.repeat(70) + '\n')).toEqual({ line: 4, kind: 'depth' });
  });
});

function cases(): string[] {
  return fs.readdirSync(path.join(LAB, 'cases'));
}
