import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { NotGradable, Submission, type GraderVerdict } from '../../../grader-kit/index';
import { loadModel } from '../../../grader-kit/hcl';
import { labManifest, maxPoints } from '../../../lib/labs/manifest';
import { labSubmissionDirs, readCase, readFolderFiles, readVariant, type Lab } from '../../../lib/labs/registry';
import { graderOutput, labPassed } from '../../../lib/grading/result';
import { CHECK_IDS, POINTS, grade, zoneKey } from './checks';
import { duplicates, mixedStyles, readRules } from './security';
import { Ref } from '../../../grader-kit/tf-model';

const LAB = path.resolve(import.meta.dirname, '..');
const manifest = labManifest.parse(YAML.parse(fs.readFileSync(path.join(LAB, 'lab.yaml'), 'utf8')));
const lab: Lab = { manifest, dir: LAB };
const MAX = maxPoints(manifest);

const files = (dir: string) => new Map(readFolderFiles(dir).map((f) => [f.path, f.content.toString()]));
const solution = files(path.join(LAB, 'solution'));
const starter = files(path.join(LAB, 'starter'));
const sub = (m: Map<string, string>) => new Submission(new Map([...m].map(([k, v]) => [k, Buffer.from(v)])));
const total = (v: GraderVerdict) => v.checks.reduce((s, c) => s + c.points, 0);
const failed = (v: GraderVerdict) =>
  v.checks
    .filter((c) => !c.passed)
    .map((c) => c.id)
    .sort();
const en = (v: GraderVerdict, id: string) => {
  const mm = v.checks.find((c) => c.id === id)?.message;
  return typeof mm === 'string' ? mm : (mm?.en ?? '');
};
const passed = (v: GraderVerdict) =>
  labPassed(manifest, {
    gradable: true,
    score: total(v),
    maxScore: MAX,
    checks: v.checks.map((c) => ({
      ...c,
      title: { ko: c.id, en: c.id },
      maxPoints: POINTS[c.id as keyof typeof POINTS],
      hint: { ko: '', en: '' },
      required: manifest.checks.find((x) => x.id === c.id)!.required,
      message: { ko: '', en: '' },
    })),
  } as never);

/** The solution with one file's text replaced (each `from` must occur exactly once). */
function edit(base: Map<string, string>, file: string, ...pairs: [string, string][]): Map<string, string> {
  const out = new Map(base);
  let text = out.get(file)!;
  for (const [from, to] of pairs) {
    expect(text.split(from).length - 1, `"${from.slice(0, 60)}" occurs once in ${file}`).toBe(1);
    text = text.replace(from, to);
  }
  out.set(file, text);
  return out;
}

async function notGradable(m: Map<string, string>): Promise<string> {
  try {
    await grade(sub(m));
  } catch (e) {
    if (e instanceof NotGradable) return (e.msg as { en: string }).en;
    throw e;
  }
  throw new Error('expected NotGradable');
}

describe('the manifest and the instructions', () => {
  it("is a troubleshooting lab of week 1 whose checks are the grader's, some of them required", () => {
    expect(manifest.id).toBe('week01-vpc-troubleshoot');
    expect(manifest.week).toBe(1);
    expect(manifest.purpose).toBe('troubleshoot');
    expect(manifest.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
    expect(Object.fromEntries(manifest.checks.map((c) => [c.id, c.points]))).toEqual(POINTS);
    const required = manifest.checks.filter((c) => c.required).map((c) => c.id);
    expect(required).toEqual(['subnet-ranges', 'private-route', 'db-from-app-only']);
    for (const c of manifest.checks) expect(c.hint.ko.length > 40 && c.hint.en.length > 40, c.id).toBe(true);
  });
  const read = (lang: string) => fs.readFileSync(path.join(LAB, `instructions.${lang}.md`), 'utf8').split('\n');
  it('have the same structure in Korean and English and list every check with its points', () => {
    const shape = (lines: string[]) => ({
      headings: lines.filter((l) => /^#{1,3} /.test(l)).length,
      fences: lines.filter((l) => l.startsWith('```')).length,
      rows: lines.filter((l) => l.startsWith('|')).length,
    });
    expect(shape(read('ko'))).toEqual(shape(read('en')));
    for (const lang of ['ko', 'en']) {
      const rows = read(lang).filter((l) => l.startsWith('|') && /\|\s*\d+\s*\|$/.test(l));
      expect(
        rows.map((r) => Number(r.split('|').at(-2)!.trim())),
        lang,
      ).toEqual(manifest.checks.map((c) => c.points));
    }
  });
  it('do not give the repairs away: no file of the solution is quoted', () => {
    for (const lang of ['ko', 'en']) {
      const text = read(lang).join('\n');
      expect(text).not.toMatch(/public_netnums|private_netnums|\[0, 1, 4\]|referenced_security_group_id = aws_security_group\.alb/);
    }
  });
});

describe('the lab folder, graded without Docker', () => {
  it('the solution gets full marks as a valid grader output', async () => {
    const v = await grade(sub(solution));
    expect(graderOutput.safeParse(v).success).toBe(true);
    expect(v.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
    expect(failed(v)).toEqual([]);
    expect(total(v)).toBe(MAX);
  });
  it('the starter fails every fault, keeps what worked, and stays below the pass mark', async () => {
    const v = await grade(sub(starter));
    expect(failed(v)).toEqual(['alb-to-app', 'db-from-app-only', 'nat-placement', 'private-route', 'subnet-ranges']);
    expect(total(v) / MAX).toBeLessThan(manifest.passRatio);
    expect(passed(v)).toBe(false);
    expect(en(v, 'subnet-ranges')).toMatch(
      /aws_subnet\.private\[0\] \(10\.0\.2\.0\/24\) and aws_subnet\.public\[2\] \(10\.0\.2\.0\/24\) overlap.*InvalidSubnet\.Conflict/,
    );
    expect(en(v, 'private-route')).toMatch(/network\.tf:\d+ \(aws_subnet\.private\[0\]\).*internet gateway/);
    expect(en(v, 'nat-placement')).toMatch(/aws_nat_gateway\.main\[0\].*private subnet aws_subnet\.private\[0\]/);
    expect(en(v, 'alb-to-app')).toMatch(/security\.tf:\d+ \(aws_vpc_security_group_ingress_rule\.app_from_alb\).*app's own group/);
    expect(en(v, 'db-from-app-only')).toMatch(/db_mysql_debug.*0\.0\.0\.0\/0.*\[EC2\.19\].*app_to_db.*database's group/);
  });
  for (const dir of labSubmissionDirs(lab, 'cases')) {
    it(`case ${path.basename(dir)} fails exactly ${readCase(dir).expect.fail.join(', ')}`, async () => {
      const c = readCase(dir);
      const v = await grade(new Submission(new Map(c.files.map((f) => [f.path, f.content]))));
      expect(failed(v)).toEqual([...c.expect.fail].sort());
    });
  }
  for (const dir of labSubmissionDirs(lab, 'variants')) {
    it(`variant ${path.basename(dir)} gets full marks`, async () => {
      const v = await grade(new Submission(new Map(readVariant(dir).files.map((f) => [f.path, f.content]))));
      expect(failed(v), JSON.stringify(v.checks.filter((c) => !c.passed))).toEqual([]);
    });
  }
  it('has at least 5 cases and 5 variants, and a case missing each required check', () => {
    const cases = labSubmissionDirs(lab, 'cases').map((d) => readCase(d).expect.fail);
    expect(cases.length).toBeGreaterThanOrEqual(5);
    expect(labSubmissionDirs(lab, 'variants').length).toBeGreaterThanOrEqual(5);
    for (const id of manifest.checks.filter((c) => c.required).map((c) => c.id))
      expect(
        cases.some((f) => f.includes(id)),
        id,
      ).toBe(true);
  });
});

const NAT_IN_PRIVATE = ['subnet_id     = aws_subnet.public[count.index].id', 'subnet_id     = aws_subnet.private[count.index].id'] as [string, string];
const ROUTE_TO_IGW = [
  '    cidr_block     = "0.0.0.0/0"\n    nat_gateway_id = aws_nat_gateway.main[count.index].id',
  '    cidr_block = "0.0.0.0/0"\n    gateway_id = aws_internet_gateway.main.id',
] as [string, string];

describe('equivalent repairs are accepted', () => {
  it.each([
    [
      'the NAT gateways by element() over the splat',
      'network.tf',
      [['subnet_id     = aws_subnet.public[count.index].id', 'subnet_id     = element(aws_subnet.public[*].id, count.index)']],
    ],
    [
      'the NAT gateways by the zone names written out',
      'network.tf',
      [
        [
          '  zones = slice(data.aws_availability_zones.available.names, 0, var.zone_count)',
          '  zones = ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"]',
        ],
      ],
    ],
    [
      'new numbers 6 and 7',
      'network.tf',
      [['  public_netnums  = [0, 1, 4]\n  private_netnums = [2, 3, 5]', '  public_netnums  = [0, 1, 6]\n  private_netnums = [2, 3, 7]']],
    ],
    [
      'the load balancer reaching the app on all ports of the app group',
      'security.tf',
      [
        [
          '  description                  = "To the app servers"\n  referenced_security_group_id = aws_security_group.app.id\n  ip_protocol                  = "tcp"\n  from_port                    = 8080\n  to_port                      = 8080',
          '  description                  = "To the app servers"\n  referenced_security_group_id = aws_security_group.app.id\n  ip_protocol                  = "-1"',
        ],
      ],
    ],
    [
      "the app reaching MySQL in the VPC's range",
      'security.tf',
      [
        [
          '  description                  = "MySQL"\n  referenced_security_group_id = aws_security_group.db.id',
          '  description                  = "MySQL"\n  cidr_ipv4                    = var.vpc_cidr',
        ],
      ],
    ],
  ] as [string, string, [string, string][]][])('%s', async (_, file, pairs) => {
    const v = await grade(sub(edit(solution, file, ...pairs)));
    expect(failed(v), JSON.stringify(v.checks.filter((c) => !c.passed))).toEqual([]);
  });
});

describe('wrong repairs are refused, saying why', () => {
  it.each([
    [
      'the app open to 0.0.0.0/0 on 8080',
      'security.tf',
      [
        [
          '  description                  = "shop on 8080 from the load balancer"\n  referenced_security_group_id = aws_security_group.alb.id',
          '  description                  = "shop on 8080"\n  cidr_ipv4                    = "0.0.0.0/0"',
        ],
      ],
      ['alb-to-app'],
      /whole internet/,
    ],
    [
      "the database reached by the load balancer's group too",
      'security.tf',
      [
        [
          '  description                  = "MySQL from the app servers"\n  referenced_security_group_id = aws_security_group.app.id',
          '  description                  = "MySQL from the app servers"\n  referenced_security_group_id = aws_security_group.alb.id',
        ],
      ],
      ['db-from-app-only'],
      /admits tcp 3306 from the app's group and nothing else/,
    ],
    [
      'the database open to all traffic from the app',
      'security.tf',
      [
        [
          '  description                  = "MySQL from the app servers"\n  referenced_security_group_id = aws_security_group.app.id\n  ip_protocol                  = "tcp"\n  from_port                    = 3306\n  to_port                      = 3306',
          '  description                  = "Everything from the app servers"\n  referenced_security_group_id = aws_security_group.app.id\n  ip_protocol                  = "-1"',
        ],
      ],
      ['db-from-app-only'],
      /wider ports/,
    ],
    ['NAT gateways in private subnets', 'network.tf', [NAT_IN_PRIVATE], ['nat-placement'], /no way out either/],
    ['private routes to the internet gateway', 'network.tf', [ROUTE_TO_IGW], ['private-route'], /have none, so their connections time out/],
    [
      "private subnets leaving through another zone's NAT gateway",
      'network.tf',
      [['nat_gateway_id = aws_nat_gateway.main[count.index].id', 'nat_gateway_id = aws_nat_gateway.main[0].id']],
      ['rest-intact'],
      /another zone/,
    ],
    [
      'the VPC renumbered',
      'variables.tf',
      [['default     = "10.0.0.0/16"', 'default     = "10.1.0.0/16"']],
      ['rest-intact', 'subnet-ranges'],
      /lies outside|replaces the VPC/,
    ],
    [
      'a route to the NAT gateway in gateway_id',
      'network.tf',
      [['nat_gateway_id = aws_nat_gateway.main[count.index].id', 'gateway_id = aws_nat_gateway.main[count.index].id']],
      ['private-route'],
      /nat_gateway_id, not gateway_id/,
    ],
  ] as [string, string, [string, string][], string[], RegExp][])('%s', async (_, file, pairs, fails, why) => {
    const v = await grade(sub(edit(solution, file, ...pairs)));
    expect(failed(v)).toEqual([...fails].sort());
    expect(fails.map((id) => en(v, id)).join(' ')).toMatch(why);
  });
  it("private subnets without associations use the VPC's main table, which has no NAT route", async () => {
    const m = edit(solution, 'network.tf', [
      'resource "aws_route_table_association" "private" {\n  count          = var.zone_count\n  subnet_id      = aws_subnet.private[count.index].id\n  route_table_id = aws_route_table.private[count.index].id\n}\n',
      '',
    ]);
    // Without associations each private subnet uses the VPC's main table, which has no NAT route here.
    const v = await grade(sub(m));
    expect(failed(v)).toEqual(['private-route']);
    expect(en(v, 'private-route')).toMatch(/no 0\.0\.0\.0\/0 route|no route table applies/);
  });
  it('a third zone whose private subnet collides with a public one, written out by hand', async () => {
    const v = await grade(sub(edit(solution, 'network.tf', ['  private_netnums = [2, 3, 5]', '  private_netnums = [2, 3, 4]'])));
    expect(failed(v)).toEqual(['subnet-ranges']);
    expect(en(v, 'subnet-ranges')).toMatch(/10\.0\.4\.0\/24.*overlap/);
  });
});

describe('reading the network', () => {
  it("knows a zone by the data source's index or by its letter", () => {
    expect(zoneKey(new Ref('data.aws_availability_zones.available.names[2]'))).toBe('#2');
    expect(zoneKey('ap-northeast-2c')).toBe('#2');
    expect(zoneKey('ap-northeast-2a')).toBe('#0');
    expect(zoneKey('use1-az1')).toBe('use1-az1');
    expect(zoneKey(undefined)).toBeNull();
  });
  it('reads rules in all three styles, one per peer, and finds mixing and duplicates', async () => {
    const model = await loadModel(
      sub(
        new Map([
          [
            'network.tf',
            `
resource "aws_security_group" "app" {
  ingress {
    protocol        = "tcp"
    from_port       = 8080
    to_port         = 8080
    security_groups = [aws_security_group.alb.id]
    cidr_blocks     = ["10.0.0.0/24", "10.0.1.0/24"]
  }
}
resource "aws_security_group" "alb" {}
resource "aws_security_group_rule" "legacy" {
  type                     = "ingress"
  security_group_id        = aws_security_group.app.id
  protocol                 = "-1"
  from_port                = 0
  to_port                  = 0
  self                     = true
}
resource "aws_vpc_security_group_egress_rule" "a" {
  security_group_id = aws_security_group.alb.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}
resource "aws_vpc_security_group_egress_rule" "b" {
  security_group_id = aws_security_group.alb.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "6"
  from_port         = 443
  to_port           = 443
}
`,
          ],
        ]),
      ),
      { main: 'network.tf' },
    );
    const rules = readRules(model);
    const show = rules.map(
      (r) =>
        `${r.group?.addr} ${r.dir} ${r.proto} ${r.from}-${r.to} ${r.peer.kind === 'cidr' ? r.peer.cidr : r.peer.kind === 'group' ? r.peer.group.addr : r.peer.kind} ${r.style}`,
    );
    expect(show.sort()).toEqual([
      'aws_security_group.alb egress tcp 443-443 0.0.0.0/0 rule-resource',
      'aws_security_group.alb egress tcp 443-443 0.0.0.0/0 rule-resource',
      'aws_security_group.app ingress all 0-0 aws_security_group.app legacy-rule',
      'aws_security_group.app ingress tcp 8080-8080 10.0.0.0/24 inline',
      'aws_security_group.app ingress tcp 8080-8080 10.0.1.0/24 inline',
      'aws_security_group.app ingress tcp 8080-8080 aws_security_group.alb inline',
    ]);
    expect(mixedStyles(rules).map((x) => `${x.group.addr}: ${x.styles.join(', ')}`)).toEqual(['aws_security_group.app: inline, legacy-rule']);
    expect(duplicates(rules)?.map((r) => r.at.addr)).toEqual(['aws_vpc_security_group_egress_rule.a', 'aws_vpc_security_group_egress_rule.b']);
  });
});

describe('submissions that cannot be graded, and hostile ones', () => {
  it('network.tf missing or blank, invalid HCL, and a resource declared twice are not gradable, with the file', async () => {
    const without = new Map(solution);
    without.delete('network.tf');
    expect(await notGradable(without)).toMatch(/network\.tf is missing/);
    expect(await notGradable(new Map([...solution, ['network.tf', '\n \n']]))).toMatch(/network\.tf is empty/);
    expect(await notGradable(new Map([...solution, ['security.tf', 'resource "aws_security_group" "x" {\n']]))).toMatch(
      /security\.tf is not valid HCL at line \d+/,
    );
    expect(await notGradable(new Map([...solution, ['extra.tf', 'resource "aws_vpc" "main" {\n}\n']]))).toMatch(/aws_vpc\.main is declared twice/);
  });
  it('deep nesting is refused before the parser sees it; huge counts and cycles are graded, not crashed on', async () => {
    expect(await notGradable(new Map([...solution, ['extra.tf', 'x = ' + '['.repeat(20_000) + ']'.repeat(20_000) + '\n']]))).toMatch(/extra\.tf line 1/);
    const huge = edit(solution, 'variables.tf', ['default     = 3', 'default     = 100000000']);
    const v = await grade(sub(huge));
    expect(failed(v)).toContain('subnet-ranges');
    const cycle = new Map([
      ...solution,
      [
        'extra.tf',
        'locals {\n  a = local.b\n  b = local.a\n}\nresource "aws_security_group_rule" "c" {\n  type = "ingress"\n  security_group_id = local.a\n  cidr_blocks = local.b\n}\n',
      ],
    ]);
    expect(failed(await grade(sub(cycle)))).toEqual([]);
  });
  it('is deterministic', async () => {
    expect(JSON.stringify(await grade(sub(starter)))).toBe(JSON.stringify(await grade(sub(starter))));
  });
});
