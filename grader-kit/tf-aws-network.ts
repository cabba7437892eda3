/**
 * An AWS network written in Terraform, as AWS would build it (the labs of week 1): which route table each subnet uses
 * (its own association, else its VPC's main table, which aws_default_route_table or aws_main_route_table_association
 * may set), where each table's default route 0.0.0.0/0 goes (inline `route` blocks, `dynamic "route"`, separate
 * aws_route resources), and so which subnets are public or private, with their computed ranges. References are read as
 * AWS reads them: by a resource's id, never its ARN or address (`refTo`, with a message saying so in `notAnId`).
 */
import { msg as m } from './index';
import { parseCidrOrThrow, type Cidr } from './cidr';
import { Ref, Unknown, clip, type Instance, type Model, type Val } from './tf-model';

export type B = { ko: string; en: string };

/** The reason a value is unknown, in both languages. */
export const why = (v: Val | undefined): B => (v instanceof Unknown ? (typeof v.why === 'string' ? m(v.why, v.why) : v.why) : m('알 수 없음', 'unknown'));

/** Terraform converts "true"/"false" strings to bools for bool arguments. */
export const isTrue = (v: Val | undefined) => v === true || v === 'true';

/**
 * The attributes of each resource type that hold its id. The provider documents aws_eip's `allocation_id` as the
 * same value as its `id`; every other type here is referred to by `.id` (an ARN, a name or an address is not an id).
 */
export const ID_ATTRS: Readonly<Record<string, readonly string[]>> = { aws_eip: ['id', 'allocation_id'] };
export const idAttrs = (type: string) => ID_ATTRS[type] ?? ['id'];

/** The instance a value like `aws_subnet.public[0].id` points at, when it is that type's id. */
export function refTo(v: Val | undefined, type: string, attrs: readonly string[] = idAttrs(type)): Instance | null {
  return v instanceof Ref && v.inst && v.inst.block.type === type && attrs.includes(v.attr ?? '') ? v.inst : null;
}

/** `aws_subnet.public[0].arn` when a value refers to a resource of this type through an attribute that is not its id. */
export function wrongAttr(v: Val | undefined, type: string): { inst: Instance; text: string; attr: string } | null {
  if (!(v instanceof Ref) || !v.inst || v.inst.block.type !== type || idAttrs(type).includes(v.attr ?? '')) return null;
  return { inst: v.inst, text: v.path, attr: v.attr ?? '' };
}

/** "… is aws_eip.nat.public_ip, the Elastic IP's address, not its id: use aws_eip.nat.id" */
export function notAnId(arg: string, w: { inst: Instance; text: string; attr: string }): B {
  const what: Record<string, B> = {
    arn: m('ARN', 'ARN'),
    public_ip: m('공인 IP 주소', 'public address'),
    private_ip: m('사설 IP 주소', 'private address'),
    cidr_block: m('대역', 'range'),
    public_dns: m('DNS 이름', 'DNS name'),
    association_id: m('연결(association) ID', 'association id'),
    owner_id: m('소유 계정 ID', 'owner account id'),
  };
  const d = what[w.attr];
  const use = idAttrs(w.inst.block.type)
    .map((a) => `${clip(w.inst.addr)}.${a}`)
    .join(' or ');
  const useKo = idAttrs(w.inst.block.type)
    .map((a) => `${clip(w.inst.addr)}.${a}`)
    .join(' 또는 ');
  return m(
    `${arg}가 ${clip(w.text)}${d ? `(${d.ko})` : ''}입니다. ${arg}에는 리소스의 ID가 들어가야 하니 ${useKo}를 쓰세요`,
    `${arg} is ${clip(w.text)}${d ? ` (the ${d.en})` : ''}, not the resource's id: use ${use}`,
  );
}

export type Target = 'igw' | 'nat' | 'nat-as-gateway' | 'other';

export interface DefaultRoute {
  target: Target;
  to: Instance | null;
  /** Where the route is written: the route table itself, or a separate aws_route. */
  at: Instance;
}

export interface RouteTable {
  /** aws_route_table or aws_default_route_table; for a VPC's main table touched only by aws_route, the aws_vpc. */
  inst: Instance;
  kind: 'custom' | 'default' | 'vpc-main';
  defaults: DefaultRoute[];
}

export interface SubnetInfo {
  inst: Instance;
  role: 'public' | 'private';
  roleBy: 'igw-route' | 'nat-route' | 'map-public' | 'none';
  rts: RouteTable[];
  /** True when the subnet has no association of its own and uses its VPC's main route table. */
  viaMain: boolean;
  mapPublic: boolean;
  cidrVal: Val | undefined;
  cidr: Cidr | null;
  cidrError: B | null;
  usesCidrFn: boolean;
  inVpc: boolean;
}

/** An association that names a subnet or table by something other than its id (say aws_subnet.a.arn). */
export interface BadAssociation {
  at: Instance;
  subnet: Instance | null;
  message: B;
}

export interface Network {
  /** aws_route_table_association blocks whose count or for_each could not be worked out, with the reason. */
  unexpanded: { block: Instance['block']; why: B }[];
  vpcs: Instance[];
  vpc: Instance | null;
  vpcCidr: Cidr | null;
  subnets: SubnetInfo[];
  routeTables: RouteTable[];
  badAssociations: BadAssociation[];
}

export function analyse(model: Model): Network {
  const vpcs = model.instances('aws_vpc');
  const vpc = vpcs.length === 1 ? vpcs[0]! : null;
  let vpcCidr: Cidr | null = null;
  if (vpc) {
    const v = model.attr(vpc, 'cidr_block');
    if (typeof v === 'string') {
      try {
        vpcCidr = parseCidrOrThrow(v);
      } catch {
        vpcCidr = null;
      }
    }
  }

  // Route tables: aws_route_table, aws_default_route_table (the VPC's main table when it was created), and the main
  // table of a VPC that only separate aws_route resources write to (route_table_id = aws_vpc.x.default_route_table_id).
  const MAIN_ATTRS = ['default_route_table_id', 'main_route_table_id'];
  const routeTables: RouteTable[] = [
    ...model.instances('aws_route_table').map((inst): RouteTable => ({ inst, kind: 'custom', defaults: [] })),
    ...model.instances('aws_default_route_table').map((inst): RouteTable => ({ inst, kind: 'default', defaults: [] })),
  ];
  /** The VPC whose original main table an aws_default_route_table manages. */
  const defaultOf = new Map<RouteTable, Instance | null>(
    routeTables.filter((r) => r.kind === 'default').map((r) => [r, refTo(model.attr(r.inst, 'default_route_table_id'), 'aws_vpc', MAIN_ATTRS)]),
  );
  const originalMain = (v: Instance): RouteTable => {
    let rt = routeTables.find((r) => (r.kind === 'default' && defaultOf.get(r) === v) || (r.kind === 'vpc-main' && r.inst === v));
    if (!rt) routeTables.push((rt = { inst: v, kind: 'vpc-main', defaults: [] }));
    return rt;
  };
  /** The table a route_table_id refers to. */
  const tableOf = (v: Val | undefined): RouteTable | null => {
    const t = refTo(v, 'aws_route_table') ?? refTo(v, 'aws_default_route_table');
    if (t) return routeTables.find((r) => r.inst === t) ?? null;
    const mainOfVpc = refTo(v, 'aws_vpc', MAIN_ATTRS);
    return mainOfVpc ? originalMain(mainOfVpc) : null;
  };

  const consider = (rt: RouteTable, cidr: Val | undefined, gw: Val | undefined, nat: Val | undefined, at: Instance) => {
    if (cidr !== '0.0.0.0/0') return;
    const igw = refTo(gw, 'aws_internet_gateway');
    const natGw = refTo(nat, 'aws_nat_gateway');
    const natAsGw = refTo(gw, 'aws_nat_gateway');
    if (igw) rt.defaults.push({ target: 'igw', to: igw, at });
    else if (natGw) rt.defaults.push({ target: 'nat', to: natGw, at });
    else if (natAsGw) rt.defaults.push({ target: 'nat-as-gateway', to: natAsGw, at });
    else rt.defaults.push({ target: 'other', to: null, at });
  };
  // Inline route blocks (written out or generated by dynamic "route"), then separate aws_route resources.
  for (const rt of [...routeTables]) {
    for (const r of model.nestedBlocks(rt.inst, 'route').blocks) consider(rt, r.get('cidr_block'), r.get('gateway_id'), r.get('nat_gateway_id'), rt.inst);
  }
  for (const r of model.instances('aws_route')) {
    const rt = tableOf(model.attr(r, 'route_table_id'));
    if (rt) consider(rt, model.attr(r, 'destination_cidr_block'), model.attr(r, 'gateway_id'), model.attr(r, 'nat_gateway_id'), r);
  }

  // The main route table of each VPC: the one aws_main_route_table_association names, else the original one.
  const mainAssoc = new Map<Instance, RouteTable>();
  for (const a of model.instances('aws_main_route_table_association')) {
    const v = refTo(model.attr(a, 'vpc_id'), 'aws_vpc');
    const rt = tableOf(model.attr(a, 'route_table_id'));
    if (v && rt) mainAssoc.set(v, rt);
  }
  const mainOf = (v: Instance): RouteTable | null =>
    mainAssoc.get(v) ?? routeTables.find((r) => (r.kind === 'default' && defaultOf.get(r) === v) || (r.kind === 'vpc-main' && r.inst === v)) ?? null;

  const assoc = new Map<Instance, RouteTable[]>();
  const badAssociations: BadAssociation[] = [];
  for (const a of model.instances('aws_route_table_association')) {
    const sv = model.attr(a, 'subnet_id');
    const tv = model.attr(a, 'route_table_id');
    const s = refTo(sv, 'aws_subnet');
    const rt = tableOf(tv);
    if (s && rt) assoc.set(s, [...(assoc.get(s) ?? []), rt]);
    const ws = wrongAttr(sv, 'aws_subnet');
    const wt = wrongAttr(tv, 'aws_route_table');
    if (ws) badAssociations.push({ at: a, subnet: ws.inst, message: notAnId('subnet_id', ws) });
    else if (wt && s) badAssociations.push({ at: a, subnet: s, message: notAnId('route_table_id', wt) });
  }

  const subnets: SubnetInfo[] = model.instances('aws_subnet').map((inst) => {
    const own = assoc.get(inst) ?? [];
    const subnetVpc = refTo(model.attr(inst, 'vpc_id'), 'aws_vpc');
    const main = own.length === 0 && subnetVpc ? mainOf(subnetVpc) : null;
    const rts = own.length ? own : main ? [main] : [];
    const mapPublic = isTrue(model.attr(inst, 'map_public_ip_on_launch'));
    const viaIgw = rts.some((r) => r.defaults.some((d) => d.target === 'igw'));
    const viaNat = rts.some((r) => r.defaults.some((d) => d.target === 'nat' || d.target === 'nat-as-gateway'));
    const roleBy: SubnetInfo['roleBy'] = viaIgw ? 'igw-route' : viaNat ? 'nat-route' : mapPublic ? 'map-public' : 'none';
    const role = roleBy === 'igw-route' || roleBy === 'map-public' ? 'public' : 'private';
    const traced = model.traced(() => model.attr(inst, 'cidr_block'));
    const cidrVal = traced.value;
    let cidr: Cidr | null = null;
    let cidrError: B | null = null;
    if (cidrVal === undefined) cidrError = m('cidr_block이 없습니다', 'cidr_block is not set');
    else if (typeof cidrVal === 'string') {
      try {
        cidr = parseCidrOrThrow(cidrVal);
      } catch {
        cidrError = m(`"${cidrVal}"는 IPv4 CIDR 블록이 아닙니다`, `"${cidrVal}" is not an IPv4 CIDR block`);
      }
    } else cidrError = why(cidrVal);
    const inVpc = vpc !== null && subnetVpc === vpc;
    return {
      inst,
      role,
      roleBy,
      rts,
      viaMain: main !== null,
      mapPublic,
      cidrVal,
      cidr,
      cidrError,
      usesCidrFn: traced.fns.has('cidrsubnet') || traced.fns.has('cidrsubnets'),
      inVpc,
    };
  });
  const unexpanded = model.blocksOf('aws_route_table_association').flatMap((b) => {
    const e = model.expand(b);
    return e instanceof Unknown ? [{ block: b, why: why(e) }] : [];
  });
  return { vpcs, vpc, vpcCidr, subnets, routeTables, badAssociations, unexpanded };
}
