/**
 * The grader kit's Terraform reading (hcl.ts, tf-expr.ts, tf-model.ts, cidr.ts, tf-aws-network.ts), shared by the
 * labs of week 1: the parser's guards, Terraform's CIDR functions, the evaluator and the network analysis.
 */
import { describe, expect, it } from 'vitest';
import { NotGradable, Submission } from './index';
import { cidrsubnet, cidrsubnets, contains, overlaps, parseCidrOrThrow } from './cidr';
import { describeSyntaxError, findNestingIssue, loadModel } from './hcl';
import { parseExpression } from './tf-expr';
import { InstVal, Ref, Unknown, showVal } from './tf-model';
import { analyse, refTo, wrongAttr } from './tf-aws-network';

const sub = (files: Record<string, string | Buffer>) =>
  new Submission(new Map(Object.entries(files).map(([k, v]) => [k, Buffer.isBuffer(v) ? v : Buffer.from(v)])));

async function notGradable(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof NotGradable) return (e.msg as { en: string }).en;
    throw e;
  }
  throw new Error('expected NotGradable');
}

describe('cidr arithmetic', () => {
  it('cidrsubnet matches Terraform', () => {
    expect(cidrsubnet('10.0.0.0/16', 8, 2)).toBe('10.0.2.0/24');
    expect(cidrsubnet('10.0.0.0/16', 4, 15)).toBe('10.0.240.0/20');
    expect(cidrsubnet('172.16.0.0/12', 4, 2)).toBe('172.18.0.0/16');
    expect(cidrsubnet('10.1.2.0/24', 4, 15)).toBe('10.1.2.240/28');
    expect(cidrsubnet('10.0.0.0/16', 0, 0)).toBe('10.0.0.0/16');
    expect(cidrsubnet('0.0.0.0/0', 8, 255)).toBe('255.0.0.0/8');
    expect(cidrsubnet('255.255.255.0/24', 8, 255)).toBe('255.255.255.255/32');
    expect(cidrsubnet('10.0.7.9/16', 8, 1)).toBe('10.0.1.0/24'); // host bits of the prefix are ignored, as in Terraform
  });
  it('cidrsubnet refuses what does not fit', () => {
    expect(() => cidrsubnet('10.0.0.0/16', 8, 256)).toThrow(/does not fit/);
    expect(() => cidrsubnet('10.0.0.0/30', 4, 0)).toThrow(/cannot extend/);
    expect(() => cidrsubnet('10.0.0.0/16', 8, -1)).toThrow();
    expect(() => cidrsubnet('10.0.0.0/16', 1.5, 0)).toThrow();
    expect(() => cidrsubnet('10.0.0.300/16', 8, 0)).toThrow(/not an IPv4 CIDR/);
    expect(() => cidrsubnet('fd00::/8', 8, 0)).toThrow(/not an IPv4 CIDR/);
  });
  it('cidrsubnets matches Terraform', () => {
    expect(cidrsubnets('10.1.0.0/16', 4, 4, 8, 4)).toEqual(['10.1.0.0/20', '10.1.16.0/20', '10.1.32.0/24', '10.1.48.0/20']);
    expect(cidrsubnets('10.0.0.0/16', 8, 8, 8, 8)).toEqual(['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24', '10.0.3.0/24']);
    expect(() => cidrsubnets('10.0.0.0/24', 1, 1, 1)).toThrow(/not enough remaining address space/);
  });
  it('knows containment and overlap', () => {
    const c = parseCidrOrThrow;
    expect(contains(c('10.0.0.0/16'), c('10.0.3.0/24'))).toBe(true);
    expect(contains(c('10.0.0.0/16'), c('10.1.0.0/24'))).toBe(false);
    expect(contains(c('10.0.0.0/16'), c('10.0.0.0/8'))).toBe(false);
    expect(overlaps(c('10.0.0.0/23'), c('10.0.1.0/24'))).toBe(true);
    expect(overlaps(c('10.0.0.0/24'), c('10.0.1.0/24'))).toBe(false);
    expect(overlaps(c('255.255.255.255/32'), c('255.255.255.0/24'))).toBe(true);
    expect(() => c('10.0.0/16')).toThrow(/not an IPv4 CIDR/);
  });
});

describe('the expression parser', () => {
  it('reads what a VPC configuration uses', () => {
    expect(parseExpression('cidrsubnet(var.vpc_cidr, 8, count.index + 10)')).toMatchObject({ t: 'call', name: 'cidrsubnet' });
    expect(parseExpression('{ for k, v in local.m : k => v.az if v.az != null }')).toMatchObject({ t: 'for', k: 'k', v: 'v' });
    expect(parseExpression('aws_subnet.public[*].id')).toMatchObject({ t: 'splat' });
    expect(parseExpression('a ? "x-${b}" : [1, 2,]')).toMatchObject({ t: 'cond' });
  });
  it('refuses nesting deeper than it allows instead of overflowing the stack', () => {
    expect(() => parseExpression('('.repeat(5000) + '1' + ')'.repeat(5000))).toThrow(/too deeply/);
    expect(() => parseExpression('-'.repeat(5000) + '1')).toThrow(/too deeply/);
  });
});

describe('reading the files', () => {
  it("turns the parser's diagnostics into file, line and text", () => {
    const d = describeSyntaxError('main.tf', 'parse config: [main.tf:21,29-22,1: Invalid block definition; Detail here. main.tf:30,1-2: Other; x]');
    expect(d).toEqual({ line: 21, col: 29, text: 'Invalid block definition; Detail here.' });
  });
  it('finds nesting deeper than real configurations, with its line', () => {
    expect(findNestingIssue('x = 1\ny = ' + '['.repeat(70) + ']'.repeat(70) + '\n')).toEqual({ line: 2, kind: 'depth' });
    expect(findNestingIssue('x = "}}}}" # {{{{\nz = [for s in x : { a = "${s}" }]\n')).toBeNull();
  });
  it('requires the file the lab names (main.tf by default)', async () => {
    expect(await notGradable(loadModel(sub({ 'vars.tf': 'variable "x" {}\n' })))).toMatch(/main\.tf is missing/);
    expect(await notGradable(loadModel(sub({ 'main.tf': 'x = 1\n' }), { main: 'network.tf' }))).toMatch(/network\.tf is missing/);
    expect(await notGradable(loadModel(sub({ 'network.tf': ' \n' }), { main: 'network.tf' }))).toMatch(/network\.tf is empty/);
    const model = await loadModel(sub({ 'network.tf': 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n' }), { main: 'network.tf' });
    expect(model.blocksOf('aws_vpc').map((b) => `${b.file}:${b.line}`)).toEqual(['network.tf:1']);
  });
});

describe('the evaluator', () => {
  it('expands count and for_each and computes ranges through locals, variables and functions', async () => {
    const model = await loadModel(
      sub({
        'main.tf': `
variable "cidr" {
  default = "10.0.0.0/16"
}
locals {
  zones = { a = 0, b = 1, c = 4 }
}
resource "aws_vpc" "main" {
  cidr_block = var.cidr
}
resource "aws_subnet" "by_count" {
  count      = 3
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index + 10)
}
resource "aws_subnet" "by_zone" {
  for_each   = local.zones
  cidr_block = cidrsubnet(var.cidr, 8, each.value)
  tags       = { Name = "shop-\${each.key}" }
}
`,
      }),
    );
    const cidrs = (type: string, name: string) => model.instancesOf(model.block(type, name)!).map((i) => model.attr(i, 'cidr_block'));
    expect(cidrs('aws_subnet', 'by_count')).toEqual(['10.0.10.0/24', '10.0.11.0/24', '10.0.12.0/24']);
    expect(cidrs('aws_subnet', 'by_zone')).toEqual(['10.0.0.0/24', '10.0.1.0/24', '10.0.4.0/24']);
    const c = model.instancesOf(model.block('aws_subnet', 'by_zone')!)[2]!;
    expect(c.addr).toBe('aws_subnet.by_zone["c"]');
    expect(showVal(model.attr(c, 'tags')!)).toBe('{ Name = "shop-c" }');
    // What only AWS knows stays a reference to the instance it belongs to.
    const vpcId = model.attr(model.instancesOf(model.block('aws_subnet', 'by_count')!)[0]!, 'vpc_id');
    expect(vpcId).toBeInstanceOf(Ref);
    expect((vpcId as Ref).inst?.addr).toBe('aws_vpc.main');
    expect(model.evalRaw('${aws_vpc.main}', {})).toBeInstanceOf(InstVal);
  });
  it('answers what it cannot know with the reason, never a guess', async () => {
    const model = await loadModel(sub({ 'main.tf': 'variable "v" {}\nresource "aws_subnet" "s" {\n  cidr_block = cidrsubnet(var.v, 8, 1)\n}\n' }));
    const v = model.attr(model.instancesOf(model.block('aws_subnet', 's')!)[0]!, 'cidr_block');
    expect(v).toBeInstanceOf(Unknown);
    expect(((v as Unknown).why as { en: string }).en).toMatch(/var\.v has no default/);
  });
});

describe('the AWS network analysis', () => {
  const network = `
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}
resource "aws_subnet" "public" {
  count      = 2
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
}
resource "aws_subnet" "private" {
  count      = 2
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index + 10)
}
resource "aws_eip" "nat" {
  domain = "vpc"
}
resource "aws_nat_gateway" "main" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public[0].id
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}
resource "aws_route_table_association" "public" {
  count          = 2
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}
resource "aws_default_route_table" "main" {
  default_route_table_id = aws_vpc.main.default_route_table_id
}
resource "aws_route" "private_default" {
  route_table_id         = aws_default_route_table.main.id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.main.id
}
`;
  it("finds each subnet's route table (its association, else the VPC's main table) and where 0.0.0.0/0 goes", async () => {
    const model = await loadModel(sub({ 'main.tf': network }));
    const net = analyse(model);
    const roles = net.subnets.map((s) => `${s.inst.addr} ${s.role} ${s.roleBy}${s.viaMain ? ' (main table)' : ''} ${s.cidr ? showVal(s.cidrVal!) : '?'}`);
    expect(roles.sort()).toEqual([
      'aws_subnet.private[0] private nat-route (main table) "10.0.10.0/24"',
      'aws_subnet.private[1] private nat-route (main table) "10.0.11.0/24"',
      'aws_subnet.public[0] public igw-route "10.0.0.0/24"',
      'aws_subnet.public[1] public igw-route "10.0.1.0/24"',
    ]);
    expect(net.vpc?.addr).toBe('aws_vpc.main');
    const nat = model.instances('aws_nat_gateway')[0]!;
    expect(refTo(model.attr(nat, 'subnet_id'), 'aws_subnet')?.addr).toBe('aws_subnet.public[0]');
    expect(refTo(model.attr(nat, 'allocation_id'), 'aws_eip')?.addr).toBe('aws_eip.nat');
  });
  it('reads a reference by ARN as no reference, and says what it is', async () => {
    const model = await loadModel(
      sub({ 'main.tf': network.replace('subnet_id      = aws_subnet.public[count.index].id', 'subnet_id      = aws_subnet.public[count.index].arn') }),
    );
    const net = analyse(model);
    expect(net.subnets.filter((s) => s.role === 'public').map((s) => s.inst.addr)).toEqual([]);
    expect(net.badAssociations).toHaveLength(2);
    expect(net.badAssociations[0]!.message.en).toMatch(/subnet_id is aws_subnet\.public\[0\]\.arn \(the ARN\), not the resource's id/);
    const assoc = model.instances('aws_route_table_association')[0]!;
    expect(wrongAttr(model.attr(assoc, 'subnet_id'), 'aws_subnet')?.attr).toBe('arn');
  });
});
