/**
 * Table tests over the grader's reference checks: forms that Terraform and the AWS provider document as equivalent
 * are accepted, near misses are refused with a message that names the real problem. Each row edits the reference
 * solution in one place, so a row that fails points at one form.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NotGradable, Submission, type GraderVerdict } from '../../../grader-kit/index';
import { labSubmissionDirs, listLabs, readVariant } from '../../../lib/labs/registry';
import { grade } from './checks';

const LAB = path.resolve(import.meta.dirname, '..');
const MAIN = fs.readFileSync(path.join(LAB, 'solution/main.tf'), 'utf8');
const VARS = fs.readFileSync(path.join(LAB, 'solution/variables.tf'), 'utf8');

const sub = (files: Record<string, string>) => new Submission(new Map(Object.entries(files).map(([k, v]) => [k, Buffer.from(v)])));
const failed = (v: GraderVerdict) =>
  v.checks
    .filter((c) => !c.passed)
    .map((c) => c.id)
    .sort();
const en = (v: GraderVerdict, id: string) => {
  const msg = v.checks.find((c) => c.id === id)?.message;
  return typeof msg === 'string' ? msg : (msg?.en ?? '');
};

/** The solution with `from` replaced by `to` (each must occur exactly once), plus extra text at the end. */
function edited(pairs: [string, string][], extra = ''): Submission {
  let text = MAIN;
  for (const [from, to] of pairs) {
    expect(text.split(from).length - 1, `"${from}" occurs once in the solution`).toBe(1);
    text = text.replace(from, to);
  }
  return sub({ 'main.tf': text + extra, 'variables.tf': VARS });
}

async function verdict(pairs: [string, string][], extra = ''): Promise<GraderVerdict> {
  return grade(edited(pairs, extra));
}

const NAT_ALLOC = '  allocation_id = aws_eip.nat.id\n';
const PUB_ASSOC = '  subnet_id      = aws_subnet.public[count.index].id\n';
const PUB_CIDR = 'cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)\n';
const PUB_AZ = '  availability_zone       = data.aws_availability_zones.available.names[count.index]\n';
const VERSION = '      version = "~> 6.0"\n';
const EIP_DOMAIN = '  domain = "vpc"\n';

describe('every variant in variants/ gets full marks (the same set bin/lms labs verify grades)', () => {
  const lab = listLabs().find((l) => l.manifest.id === 'week01-terraform-vpc')!;
  const dirs = labSubmissionDirs(lab, 'variants');
  it('has at least 5 variants', () => expect(dirs.length).toBeGreaterThanOrEqual(5));
  it.each(dirs.map((d) => [path.basename(d), d]))('%s', async (_, d) => {
    const { files } = readVariant(d);
    const v = await grade(new Submission(new Map(files.map((f) => [f.path, f.content]))));
    expect(v.checks.filter((c) => !c.passed).map((c) => `${c.id}: ${JSON.stringify(c.message)}`)).toEqual([]);
  });
});

describe('terraform-aws-modules/vpc layout: one NAT gateway per zone or a single shared one', () => {
  it.each([
    ['one per zone', 'false'],
    ['single shared', 'true'],
  ])('%s passes', async (_, single) => {
    const { files } = readVariant(path.join(LAB, 'variants/tf-aws-modules-count'));
    const from =
      'variable "single_nat_gateway" {\n  description = "Should be true if you want to provision a single shared NAT Gateway across all of your private networks"\n  type        = bool\n  default     = false\n}';
    const byPath = new Map(files.map((f) => [f.path, f.content.toString()]));
    expect(byPath.get('variables.tf')).toContain(from);
    byPath.set('variables.tf', byPath.get('variables.tf')!.replace(from, from.replace('default     = false', `default     = ${single}`)));
    const v = await grade(sub(Object.fromEntries(byPath)));
    expect(failed(v)).toEqual([]);
  });
});

describe("the NAT gateway's Elastic IP", () => {
  it.each([
    ['aws_eip.nat.id', NAT_ALLOC],
    ['aws_eip.nat.allocation_id (documented as the same value)', '  allocation_id = aws_eip.nat.allocation_id\n'],
    ['element(aws_eip.nat[*].id, 0) on a single EIP', '  allocation_id = element([aws_eip.nat.allocation_id], 0)\n'],
  ])('accepts %s', async (_, line) => {
    expect(failed(await verdict([[NAT_ALLOC, line]]))).toEqual([]);
  });
  it.each([
    [
      "the EIP's address",
      '  allocation_id = aws_eip.nat.public_ip\n',
      /aws_eip\.nat\.public_ip \(the public address\), not the resource's id: use aws_eip\.nat\.id or aws_eip\.nat\.allocation_id/,
    ],
    ['its ARN', '  allocation_id = aws_eip.nat.arn\n', /aws_eip\.nat\.arn \(the ARN\)/],
    ['a string', '  allocation_id = "eipalloc-0123"\n', /does not refer to an aws_eip of this configuration/],
  ])('refuses %s, naming the attribute', async (_, line, re) => {
    const v = await verdict([[NAT_ALLOC, line]]);
    expect(failed(v)).toEqual(['nat']);
    expect(en(v, 'nat')).toMatch(re);
  });
  it('accepts domain = "vpc" or no domain (every new EIP is a VPC address); refuses the removed vpc = true and "standard"', async () => {
    expect(failed(await verdict([[EIP_DOMAIN, '']]))).toEqual([]);
    const legacy = await verdict([[EIP_DOMAIN, '  vpc = true\n']]);
    expect(en(legacy, 'nat')).toMatch(/deprecated in AWS provider 5\.0 and removed in 6\.0/);
    expect(failed(await verdict([[EIP_DOMAIN, '  domain = "standard"\n']]))).toEqual(['nat']);
  });
});

describe('subnet references in route table associations', () => {
  it.each([
    ['aws_subnet.public[count.index].id', PUB_ASSOC],
    ['element(aws_subnet.public[*].id, count.index)', '  subnet_id      = element(aws_subnet.public[*].id, count.index)\n'],
    ['the legacy splat aws_subnet.public.*.id[count.index]', '  subnet_id      = aws_subnet.public.*.id[count.index]\n'],
    ['a for expression', '  subnet_id      = [for s in aws_subnet.public : s.id][count.index]\n'],
    ['tolist() of a splat', '  subnet_id      = tolist(aws_subnet.public[*].id)[count.index]\n'],
  ])('accepts %s', async (_, line) => {
    expect(failed(await verdict([[PUB_ASSOC, line]]))).toEqual([]);
  });
  it('accepts for_each = aws_subnet.public with each.value.id (and keyed route tables)', async () => {
    const v = await verdict([
      [
        '  count                   = 2\n  vpc_id                  = aws_vpc.main.id\n',
        '  for_each                = { a = 0, b = 1 }\n  vpc_id                  = aws_vpc.main.id\n',
      ],
      ['cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)\n', 'cidrsubnet(aws_vpc.main.cidr_block, 8, each.value)\n'],
      [PUB_AZ, '  availability_zone       = data.aws_availability_zones.available.names[each.value]\n'],
      ['    Name = "${var.name}-public-${count.index + 1}"', '    Name = "${var.name}-public-${each.key}"'],
      [
        '  count          = 2\n  subnet_id      = aws_subnet.public[count.index].id\n',
        '  for_each       = aws_subnet.public\n  subnet_id      = each.value.id\n',
      ],
      ['  subnet_id     = aws_subnet.public[0].id\n', '  subnet_id     = aws_subnet.public["a"].id\n'],
    ]);
    expect(failed(v)).toEqual([]);
  });
  it("refuses the subnet's ARN, saying so", async () => {
    const v = await verdict([[PUB_ASSOC, '  subnet_id      = aws_subnet.public[count.index].arn\n']]);
    expect(failed(v)).toEqual(['internet-route']);
    expect(en(v, 'internet-route')).toMatch(/subnet_id is aws_subnet\.public\[0\]\.arn \(the ARN\), not the resource's id/);
  });
  it('refuses a for_each over ids known only after apply, saying why', async () => {
    const v = await verdict([
      [
        '  count          = 2\n  subnet_id      = aws_subnet.public[count.index].id\n',
        '  for_each       = toset(aws_subnet.public[*].id)\n  subnet_id      = each.value\n',
      ],
    ]);
    expect(failed(v)).toEqual(['internet-route']);
    expect(en(v, 'internet-route')).toMatch(/cannot be expanded: .*known only after apply/);
  });
});

describe('computed subnet ranges', () => {
  it.each([
    ['cidrsubnet on the VPC attribute', PUB_CIDR],
    ['cidrsubnet on the variable', 'cidrsubnet(var.vpc_cidr, 8, count.index)\n'],
    ['cidrsubnets(...) indexed', 'cidrsubnets(var.vpc_cidr, 8, 8)[count.index]\n'],
    ['element(cidrsubnets(...))', 'element(cidrsubnets(var.vpc_cidr, 8, 8), count.index)\n'],
    ['slice(cidrsubnets(...))', 'slice(cidrsubnets(var.vpc_cidr, 8, 8, 8, 8), 0, 2)[count.index]\n'],
    ['a local list built with a for expression', 'local.public_cidrs[count.index]\n'],
  ])('accepts %s', async (_, expr) => {
    const extra = '\nlocals {\n  public_cidrs = [for i in range(2) : cidrsubnet(var.vpc_cidr, 8, i)]\n}\n';
    expect(failed(await verdict([[PUB_CIDR, expr]], extra))).toEqual([]);
  });
  it('follows cidrsubnet() through for_each into each.value', async () => {
    const v = await verdict([
      [
        '  count                   = 2\n  vpc_id                  = aws_vpc.main.id\n',
        '  for_each                = zipmap(["a", "b"], cidrsubnets(var.vpc_cidr, 8, 8))\n  vpc_id                  = aws_vpc.main.id\n',
      ],
      [PUB_CIDR, 'each.value\n'],
      [PUB_AZ, '  availability_zone       = "${var.region}${each.key}"\n'],
      ['    Name = "${var.name}-public-${count.index + 1}"', '    Name = "${var.name}-public-${each.key}"'],
      [
        '  count          = 2\n  subnet_id      = aws_subnet.public[count.index].id\n',
        '  for_each       = aws_subnet.public\n  subnet_id      = each.value.id\n',
      ],
      ['  subnet_id     = aws_subnet.public[0].id\n', '  subnet_id     = aws_subnet.public["a"].id\n'],
    ]);
    expect(failed(v)).toEqual([]);
  });
  it.each([
    ['a range written out by interpolation', '"10.0.${count.index}.0/24"\n', /written out by hand/],
    ['the same written out through for_each', 'each.value\n', /written out by hand/],
    ['4 new bits (/20s)', 'cidrsubnet(var.vpc_cidr, 4, count.index)\n', /extends the \/16 by 4 bits to a \/20; add 8 bits for a \/24/],
  ])('refuses %s', async (name, expr, re) => {
    const pairs: [string, string][] = [[PUB_CIDR, expr]];
    if (expr === 'each.value\n')
      pairs.push(
        [
          '  count                   = 2\n  vpc_id                  = aws_vpc.main.id\n',
          '  for_each                = { a = "10.0.0.0/24", b = "10.0.1.0/24" }\n  vpc_id                  = aws_vpc.main.id\n',
        ],
        [PUB_AZ, '  availability_zone       = "${var.region}${each.key}"\n'],
        ['    Name = "${var.name}-public-${count.index + 1}"', '    Name = "${var.name}-public-${each.key}"'],
        [
          '  count          = 2\n  subnet_id      = aws_subnet.public[count.index].id\n',
          '  for_each       = aws_subnet.public\n  subnet_id      = each.value.id\n',
        ],
        ['  subnet_id     = aws_subnet.public[0].id\n', '  subnet_id     = aws_subnet.public["a"].id\n'],
      );
    const v = await verdict(pairs);
    expect(failed(v), name).toEqual(['subnets']);
    expect(en(v, 'subnets')).toMatch(re);
  });
});

describe('availability zones', () => {
  it.each([
    ['names[count.index]', PUB_AZ],
    ['element(names, count.index)', '  availability_zone       = element(data.aws_availability_zones.available.names, count.index)\n'],
    ['slice(names, 0, 2)[count.index]', '  availability_zone       = slice(data.aws_availability_zones.available.names, 0, 2)[count.index]\n'],
    ['tolist(names)[count.index]', '  availability_zone       = tolist(data.aws_availability_zones.available.names)[count.index]\n'],
    ['zone names written out', '  availability_zone       = ["ap-northeast-2a", "ap-northeast-2c"][count.index]\n'],
    ['region plus a letter', '  availability_zone       = "${var.region}${["a", "c"][count.index]}"\n'],
    ['zone ids from the data source', '  availability_zone_id    = data.aws_availability_zones.available.zone_ids[count.index]\n'],
  ])('accepts %s', async (_, line) => {
    expect(failed(await verdict([[PUB_AZ, line]]))).toEqual([]);
  });
  it('accepts subnets keyed by zone name from the data source (toset(local.azs))', async () => {
    const v = await verdict(
      [
        [
          '  count                   = 2\n  vpc_id                  = aws_vpc.main.id\n',
          '  for_each                = toset(local.azs)\n  vpc_id                  = aws_vpc.main.id\n',
        ],
        [PUB_CIDR, 'cidrsubnet(var.vpc_cidr, 8, index(local.azs, each.key))\n'],
        [PUB_AZ, '  availability_zone       = each.value\n'],
        ['    Name = "${var.name}-public-${count.index + 1}"', '    Name = "${var.name}-public-${each.key}"'],
        [
          '  count          = 2\n  subnet_id      = aws_subnet.public[count.index].id\n',
          '  for_each       = aws_subnet.public\n  subnet_id      = each.value.id\n',
        ],
        ['  subnet_id     = aws_subnet.public[0].id\n', '  subnet_id     = aws_subnet.public[local.azs[0]].id\n'],
      ],
      '\nlocals {\n  azs = slice(data.aws_availability_zones.available.names, 0, 2)\n}\n',
    );
    expect(failed(v)).toEqual([]);
  });
  it('refuses two subnets of a role in one zone', async () => {
    const v = await verdict([[PUB_AZ, '  availability_zone       = data.aws_availability_zones.available.names[0]\n']]);
    expect(failed(v)).toEqual(['multi-az']);
  });
});

describe('routes and gateways', () => {
  const PUBLIC_RT = '  route {\n    cidr_block = "0.0.0.0/0"\n    gateway_id = aws_internet_gateway.main.id\n  }\n';
  const IGW_VPC = 'resource "aws_internet_gateway" "main" {\n  vpc_id = aws_vpc.main.id\n';
  it.each([
    [
      'a separate aws_route',
      [[PUBLIC_RT, '']],
      '\nresource "aws_route" "internet" {\n  route_table_id         = aws_route_table.public.id\n  destination_cidr_block = "0.0.0.0/0"\n  gateway_id             = aws_internet_gateway.main.id\n}\n',
    ],
    [
      'a dynamic "route" block',
      [
        [
          PUBLIC_RT,
          '  dynamic "route" {\n    for_each = [aws_internet_gateway.main.id]\n    content {\n      cidr_block = "0.0.0.0/0"\n      gateway_id = route.value\n    }\n  }\n',
        ],
      ],
      '',
    ],
    ['routes as a list attribute', [[PUBLIC_RT, '  route = [{ cidr_block = "0.0.0.0/0", gateway_id = aws_internet_gateway.main.id }]\n']], ''],
    [
      'aws_internet_gateway_attachment',
      [[IGW_VPC, 'resource "aws_internet_gateway" "main" {\n']],
      '\nresource "aws_internet_gateway_attachment" "main" {\n  internet_gateway_id = aws_internet_gateway.main.id\n  vpc_id              = aws_vpc.main.id\n}\n',
    ],
  ] as [string, [string, string][], string][])('accepts %s', async (_, pairs, extra) => {
    expect(failed(await verdict(pairs, extra))).toEqual([]);
  });

  const PRIV_ASSOC =
    'resource "aws_route_table_association" "private" {\n  count          = 2\n  subnet_id      = aws_subnet.private[count.index].id\n  route_table_id = aws_route_table.private.id\n}\n';
  it("accepts private subnets without associations when the VPC's main route table goes to the NAT gateway", async () => {
    const viaDefault = await verdict([
      [PRIV_ASSOC, ''],
      [
        'resource "aws_route_table" "private" {\n  vpc_id = aws_vpc.main.id\n',
        'resource "aws_default_route_table" "private" {\n  default_route_table_id = aws_vpc.main.default_route_table_id\n',
      ],
    ]);
    expect(failed(viaDefault)).toEqual([]);
    const viaMainAssoc = await verdict([
      [
        PRIV_ASSOC,
        'resource "aws_main_route_table_association" "private" {\n  vpc_id         = aws_vpc.main.id\n  route_table_id = aws_route_table.private.id\n}\n',
      ],
    ]);
    expect(failed(viaMainAssoc)).toEqual([]);
  });
  it('says a subnet without an association uses the main table, and what that table lacks', async () => {
    const v = await verdict([
      [PRIV_ASSOC, ''],
      [
        'resource "aws_route_table" "private" {\n  vpc_id = aws_vpc.main.id\n',
        'resource "aws_default_route_table" "private" {\n  default_route_table_id = aws_vpc.main.default_route_table_id\n',
      ],
      ['    nat_gateway_id = aws_nat_gateway.main.id\n', '    gateway_id = aws_internet_gateway.main.id\n'],
    ]);
    expect(failed(v)).toEqual(['nat', 'subnets']);
    expect(en(v, 'nat')).toMatch(/No route table sends 0\.0\.0\.0\/0 to the NAT gateway .*the VPC's main route table/);
  });
  it("refuses an internet gateway attached by the VPC's ARN, saying so", async () => {
    const v = await verdict([[IGW_VPC, 'resource "aws_internet_gateway" "main" {\n  vpc_id = aws_vpc.main.arn\n']]);
    expect(failed(v)).toEqual(['internet-route']);
    expect(en(v, 'internet-route')).toMatch(/vpc_id is aws_vpc\.main\.arn \(the ARN\)/);
  });
});

describe("provider version constraints (Terraform's legal forms)", () => {
  it.each(['~> 6.0', '~>6.0', '~> 6.14', '~> 6.2.1', '>= 6.0, < 7.0', '>= 6.0.0, < 7.0.0', '< 7.0, >= 6.2', '6.20.0', '= 6.20.0', '~> 6.0, != 6.3.0'])(
    'accepts "%s"',
    async (c) => {
      expect(failed(await verdict([[VERSION, `      version = "${c}"\n`]]))).toEqual([]);
    },
  );
  it.each([
    ['>= 6.0', /no upper bound/],
    ['~> 6', /"~> 6" allows 7\.0 and later too; "~> 6\.0" stays within 6\.x/],
    ['~> 5.0', /does not allow AWS provider 6\.x/],
    ['>= 5.0, < 6.0', /does not allow AWS provider 6\.x/],
    ['latest', /is not a version constraint/],
  ])('refuses "%s"', async (c, re) => {
    const v = await verdict([[VERSION, `      version = "${c}"\n`]]);
    expect(failed(v)).toEqual(['provider-pinned']);
    expect(en(v, 'provider-pinned')).toMatch(re);
  });
  it('accepts the implied source (no source, or the pre-0.13 string form) with a note, and another local name with source', async () => {
    const implied = await verdict([['      source  = "hashicorp/aws"\n', '']]);
    expect(failed(implied)).toEqual([]);
    expect(en(implied, 'provider-pinned')).toMatch(/implied address hashicorp\/aws/);
    const legacy = await verdict([['    aws = {\n      source  = "hashicorp/aws"\n      version = "~> 6.0"\n    }\n', '    aws = "~> 6.0"\n']]);
    expect(failed(legacy)).toEqual([]);
    const renamed = await verdict([['    aws = {\n', '    amazon = {\n']]);
    expect(failed(renamed)).toEqual([]);
  });
  it('refuses another source for the aws provider', async () => {
    const v = await verdict([['      source  = "hashicorp/aws"\n', '      source  = "example/aws"\n']]);
    expect(failed(v)).toEqual(['provider-pinned']);
  });
});

describe('Name tags', () => {
  it('accepts merge() with variables, and default_tags in the provider', async () => {
    expect(
      failed(
        await verdict(
          [['  tags = {\n    Name = "${var.name}-vpc"\n  }\n', '  tags = merge(var.extra_tags, { Name = "${var.name}-vpc" })\n']],
          '\nvariable "extra_tags" {\n  type    = map(string)\n  default = { Team = "platform" }\n}\n',
        ),
      ),
    ).toEqual([]);
    expect(
      failed(
        await verdict([
          ['  region = var.region\n', '  region = var.region\n\n  default_tags {\n    tags = {\n      Name = "shop"\n    }\n  }\n'],
          ['  tags = {\n    Name = "${var.name}-vpc"\n  }\n', ''],
        ]),
      ),
    ).toEqual([]);
  });
  it('refuses a resource without a Name, naming it', async () => {
    const v = await verdict([['  tags = {\n    Name = "${var.name}-igw"\n  }\n', '  tags = {\n    Team = "platform"\n  }\n']]);
    expect(failed(v)).toEqual(['tags']);
    expect(en(v, 'tags')).toMatch(/aws_internet_gateway\.main/);
  });
});

describe('current Terraform syntax (1.8+ provider-defined functions, import/removed/check and ephemeral blocks)', () => {
  it('parses and grades a configuration that uses them', async () => {
    const extra = `
locals {
  account_id = provider::aws::arn_parse("arn:aws:iam::123456789012:root").account_id
}

import {
  to = aws_vpc.main
  id = "vpc-0a1b2c3d4e5f60718"
}

removed {
  from = aws_vpc.old
  lifecycle {
    destroy = false
  }
}

check "nat_has_an_address" {
  assert {
    condition     = aws_eip.nat.domain == "vpc"
    error_message = "The NAT gateway's Elastic IP must be a VPC address."
  }
}

ephemeral "aws_secretsmanager_random_password" "example" {}
`;
    expect(failed(await verdict([], extra))).toEqual([]);
  });
});

describe('a VPC built with a registry module', () => {
  const MODULE = `terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 6.0"

  name = "shop"
  cidr = "10.0.0.0/16"

  azs             = ["ap-northeast-2a", "ap-northeast-2c"]
  public_subnets  = ["10.0.0.0/24", "10.0.1.0/24"]
  private_subnets = ["10.0.10.0/24", "10.0.11.0/24"]

  enable_nat_gateway = true
  single_nat_gateway = true
}
`;
  it('is not graded, and the message says why (offline, resources are the exercise) and where', async () => {
    let msg: { ko: string; en: string } | null = null;
    try {
      await grade(sub({ 'main.tf': MODULE }));
    } catch (e) {
      if (e instanceof NotGradable) msg = e.msg as { ko: string; en: string };
      else throw e;
    }
    expect(msg?.en).toMatch(
      /^main\.tf:10: module "vpc" \(source = "terraform-aws-modules\/vpc\/aws"\) builds the VPC\. .*offline.*write the resources yourself.*costs no attempt/,
    );
    expect(msg?.ko).toMatch(/main\.tf:10: module "vpc"/);
  });
  it('next to hand-written resources it is graded, and a missing resource names the module that is not read', async () => {
    const text = MAIN.replace(/resource "aws_nat_gateway" "main" \{[\s\S]*?\n\}\n/, '') + '\nmodule "nat" {\n  source = "./modules/nat"\n}\n';
    const v = await grade(sub({ 'main.tf': text, 'variables.tf': VARS }));
    expect(v.gradable).toBe(true);
    expect(en(v, 'nat')).toMatch(/there is no aws_nat_gateway resource\. main\.tf:\d+ \(module "nat"\) is not read/);
  });
});
