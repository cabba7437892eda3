/**
 * Week 1 grader: an AWS VPC in Terraform, read statically. Every .tf file is parsed to JSON with HashiCorp's own HCL
 * parser (compiled to WASM in @cdktf/hcl2json); the few expressions that decide the network (cidrsubnet, var.*,
 * local.*, count.index, references to the VPC's cidr_block) are evaluated here. Nothing the learner wrote is run.
 */
import { parse } from '@cdktf/hcl2json';
import { NotGradable, partial, pass, fail, type CheckVerdict, type GraderVerdict, type Msg, type Submission } from '../../../lib/grader-kit/index';
import { cidrsubnet, parseCidr, contains, overlaps, type Cidr } from './cidr';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

export interface Instance {
  type: string;
  name: string;
  index: number | null;
  body: Obj;
  file: string;
  line: number;
}

const MAX_DEPTH = 64;

function depthOf(v: Json, d = 0): number {
  if (d > MAX_DEPTH) return d;
  if (Array.isArray(v)) return v.reduce<number>((m, x) => Math.max(m, depthOf(x, d + 1)), d);
  if (v && typeof v === 'object') return Object.values(v).reduce<number>((m, x) => Math.max(m, depthOf(x, d + 1)), d);
  return d;
}

/** Blocks come as arrays of objects in hcl2json output; this takes the first (or only) one. */
function first(v: Json | undefined): Obj | undefined {
  if (Array.isArray(v)) return (v[0] as Obj) ?? undefined;
  if (v && typeof v === 'object') return v as Obj;
  return undefined;
}

function lineOf(text: string, type: string, name: string): number {
  const re = new RegExp(`^\\s*resource\\s+"${type}"\\s+"${name}"`, 'm');
  const m = re.exec(text);
  return m ? text.slice(0, m.index).split('\n').length : 1;
}

export class Model {
  resources: Instance[] = [];
  variables = new Map<string, Json>();
  locals = new Map<string, Json>();
  terraform: Obj[] = [];
  providers: { name: string; body: Obj }[] = [];

  byType(type: string): Instance[] {
    return this.resources.filter((r) => r.type === type);
  }

  find(type: string, name: string): Instance[] {
    return this.resources.filter((r) => r.type === type && r.name === name);
  }

  where(i: Instance): string {
    return `${i.file}:${i.line} (${i.type}.${i.name}${i.index === null ? '' : `[${i.index}]`})`;
  }
}

class EvalError extends Error {}

/** Evaluates the small expression language the checks need; anything else is "unknown" (null). */
export function evaluate(model: Model, expr: Json | undefined, ctx: { index: number | null }): string | number | boolean | null {
  if (expr === undefined || expr === null) return null;
  if (typeof expr === 'number' || typeof expr === 'boolean') return expr;
  if (typeof expr !== 'string') return null;
  const m = /^\$\{([\s\S]*)\}$/.exec(expr);
  if (!m) return expr;
  try {
    return new ExprParser(model, m[1]!, ctx).parseAll();
  } catch {
    return null;
  }
}

class ExprParser {
  private pos = 0;
  constructor(
    private model: Model,
    private src: string,
    private ctx: { index: number | null },
  ) {}

  parseAll(): string | number | boolean | null {
    const v = this.sum();
    this.ws();
    if (this.pos !== this.src.length) throw new EvalError('trailing input');
    return v;
  }

  private ws() {
    while (/\s/.test(this.src[this.pos] ?? '')) this.pos++;
  }

  private sum(): string | number | boolean | null {
    let v = this.atom();
    for (;;) {
      this.ws();
      const op = this.src[this.pos];
      if (op !== '+' && op !== '-') return v;
      this.pos++;
      const r = this.atom();
      if (typeof v !== 'number' || typeof r !== 'number') return null;
      v = op === '+' ? v + r : v - r;
    }
  }

  private atom(): string | number | boolean | null {
    this.ws();
    const rest = this.src.slice(this.pos);
    let m: RegExpExecArray | null;
    if ((m = /^\d+/.exec(rest))) {
      this.pos += m[0].length;
      return Number(m[0]);
    }
    if ((m = /^"((?:[^"\\]|\\.)*)"/.exec(rest))) {
      this.pos += m[0].length;
      return m[1]!;
    }
    if ((m = /^(true|false)\b/.exec(rest))) {
      this.pos += m[0].length;
      return m[1] === 'true';
    }
    if ((m = /^([a-z_][a-z0-9_]*)\s*\(/i.exec(rest))) {
      this.pos += m[0].length;
      const args: (string | number | boolean | null)[] = [];
      this.ws();
      if (this.src[this.pos] !== ')') {
        for (;;) {
          args.push(this.sum());
          this.ws();
          if (this.src[this.pos] === ',') {
            this.pos++;
            continue;
          }
          break;
        }
      }
      this.ws();
      if (this.src[this.pos] !== ')') throw new EvalError('expected )');
      this.pos++;
      if (m[1] === 'cidrsubnet' && typeof args[0] === 'string' && typeof args[1] === 'number' && typeof args[2] === 'number') {
        return cidrsubnet(args[0], args[1], args[2]);
      }
      if (m[1] === 'element' && args.length === 2) return null;
      return null;
    }
    if ((m = /^[a-z_][a-z0-9_-]*(\.[a-z_][a-z0-9_-]*|\[[^\]]*\])*/i.exec(rest))) {
      this.pos += m[0].length;
      return this.reference(m[0]);
    }
    throw new EvalError(`unexpected input at ${this.pos}`);
  }

  private reference(ref: string): string | number | boolean | null {
    if (ref === 'count.index') return this.ctx.index;
    let m: RegExpExecArray | null;
    if ((m = /^var\.([a-z0-9_-]+)(?:\[(\d+)\])?$/i.exec(ref))) {
      const v = this.model.variables.get(m[1]!);
      if (m[2] !== undefined) return Array.isArray(v) ? (prim(v[Number(m[2])]) ?? null) : null;
      return prim(v);
    }
    if ((m = /^local\.([a-z0-9_-]+)$/i.exec(ref))) return prim(this.model.locals.get(m[1]!)) === null ? evaluate(this.model, this.model.locals.get(m[1]!), this.ctx) : prim(this.model.locals.get(m[1]!));
    if ((m = /^aws_vpc\.([a-z0-9_-]+)\.cidr_block$/i.exec(ref))) {
      const vpc = this.model.find('aws_vpc', m[1]!)[0];
      const v = vpc ? evaluate(this.model, vpc.body.cidr_block, { index: null }) : null;
      return typeof v === 'string' ? v : null;
    }
    // Anything else (ids, AZ lists): keep the reference text with the index resolved, so two references can be compared.
    return ref.replace(/count\.index/g, String(this.ctx.index));
  }
}

function prim(v: Json | undefined): string | number | boolean | null {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : null;
}

/** Parses every .tf file into one model. Malformed input is not gradable, with the file (and line when known). */
export async function buildModel(sub: Submission): Promise<Model> {
  const tfFiles = sub.paths().filter((p) => p.endsWith('.tf'));
  if (!sub.has('main.tf')) throw new NotGradable({ ko: 'main.tf 파일이 없습니다.', en: 'main.tf is missing.' });
  const model = new Model();
  for (const file of tfFiles) {
    if (!sub.isValidUtf8(file)) throw new NotGradable({ ko: `${file}: UTF-8 텍스트가 아닙니다.`, en: `${file} is not UTF-8 text.` });
    const text = sub.text(file)!;
    if (file === 'main.tf' && text.trim().length === 0) throw new NotGradable({ ko: 'main.tf가 비어 있습니다.', en: 'main.tf is empty.' });
    let doc: Obj;
    try {
      doc = (await parse(file, text)) as Obj;
    } catch (e) {
      const msg = String((e as Error).message ?? e).split('\n')[0]!.slice(0, 300);
      throw new NotGradable({ ko: `${file}를 HCL로 읽을 수 없습니다: ${msg}`, en: `${file} is not valid HCL: ${msg}` });
    }
    if (depthOf(doc) > MAX_DEPTH) throw new NotGradable({ ko: `${file}: 블록이 너무 깊게 중첩되어 있습니다.`, en: `${file}: blocks are nested too deeply.` });
    for (const [name, blocks] of Object.entries((doc.variable as Obj) ?? {})) model.variables.set(name, first(blocks)?.default ?? null);
    for (const l of (doc.locals as Json[]) ?? []) for (const [k, v] of Object.entries((l as Obj) ?? {})) model.locals.set(k, v);
    for (const t of (doc.terraform as Json[]) ?? []) model.terraform.push(t as Obj);
    for (const [name, blocks] of Object.entries((doc.provider as Obj) ?? {})) for (const b of (blocks as Json[]) ?? []) model.providers.push({ name, body: b as Obj });
    for (const [type, byName] of Object.entries((doc.resource as Obj) ?? {})) {
      for (const [name, blocks] of Object.entries((byName as Obj) ?? {})) {
        const body = first(blocks) ?? {};
        const line = lineOf(text, type, name);
        const count = body.count === undefined ? null : evaluate(model, body.count, { index: null });
        if (typeof count === 'number' && count >= 0 && count <= 32) {
          for (let i = 0; i < count; i++) model.resources.push({ type, name, index: i, body, file, line });
        } else {
          model.resources.push({ type, name, index: null, body, file, line });
        }
      }
    }
  }
  return model;
}

const refTo = (type: string) => new RegExp(`^\\$\\{${type}\\.([a-z0-9_-]+)(?:\\[[^\\]]*\\])?\\.id\\}$`, 'i');

function routeTargets(model: Model, rt: Instance): { cidr: string | null; gateway: string | null; nat: string | null }[] {
  const inline = ((rt.body.route as Json[]) ?? []).map((r) => r as Obj);
  const separate = model.byType('aws_route').filter((r) => typeof r.body.route_table_id === 'string' && refTo('aws_route_table').exec(r.body.route_table_id as string)?.[1] === rt.name).map((r) => r.body);
  return [...inline, ...separate].map((r) => ({
    cidr: typeof r.cidr_block === 'string' ? r.cidr_block : typeof r.destination_cidr_block === 'string' ? (r.destination_cidr_block as string) : null,
    gateway: typeof r.gateway_id === 'string' ? (refTo('aws_internet_gateway').exec(r.gateway_id as string)?.[1] ?? null) : null,
    nat: typeof r.nat_gateway_id === 'string' ? (refTo('aws_nat_gateway').exec(r.nat_gateway_id as string)?.[1] ?? null) : null,
  }));
}

/** Subnet names associated with a route table (aws_route_table_association with subnet_id + route_table_id). */
function associatedSubnets(model: Model, rtName: string): Set<string> {
  const out = new Set<string>();
  for (const a of model.byType('aws_route_table_association')) {
    const rt = typeof a.body.route_table_id === 'string' ? refTo('aws_route_table').exec(a.body.route_table_id as string)?.[1] : undefined;
    if (rt !== rtName) continue;
    const sn = typeof a.body.subnet_id === 'string' ? /^\$\{aws_subnet\.([a-z0-9_-]+)(\[([^\]]*)\])?\.id\}$/i.exec(a.body.subnet_id as string) : null;
    if (!sn) continue;
    if (sn[3] !== undefined) {
      const idx = sn[3] === 'count.index' ? a.index : Number(sn[3]);
      out.add(`${sn[1]}[${idx}]`);
    } else if (a.index !== null && model.find('aws_subnet', sn[1]!).some((s) => s.index !== null)) {
      out.add(`${sn[1]}[*]`);
    } else out.add(sn[1]!);
  }
  return out;
}

function subnetKey(s: Instance): string {
  return s.index === null ? s.name : `${s.name}[${s.index}]`;
}

function isAssociated(set: Set<string>, s: Instance): boolean {
  return set.has(subnetKey(s)) || set.has(`${s.name}[*]`);
}

export async function grade(sub: Submission): Promise<GraderVerdict> {
  const model = await buildModel(sub);
  const checks: CheckVerdict[] = [];

  // 1. Provider pinned
  const req = model.terraform.flatMap((t) => ((t.required_providers as Json[]) ?? []).map((r) => r as Obj));
  const aws = req.map((r) => first(r.aws)).find(Boolean);
  if (!aws) checks.push(fail('provider-pinned', { ko: 'terraform { required_providers { aws = ... } } 블록이 없습니다.', en: 'No terraform { required_providers { aws = ... } } block.' }));
  else {
    const src = aws.source;
    const ver = typeof aws.version === 'string' ? aws.version.trim() : '';
    const parts: { ok: boolean; message: Msg }[] = [
      { ok: src === 'hashicorp/aws', message: { ko: `aws 프로바이더의 source가 "hashicorp/aws"가 아닙니다 (${String(src)}).`, en: `The aws provider's source is not "hashicorp/aws" (${String(src)}).` } },
      { ok: /^(~>|=)?\s*\d+\.\d+/.test(ver) || /<\s*\d/.test(ver), message: { ko: `aws 프로바이더 버전이 고정되어 있지 않습니다 (version = "${ver}").`, en: `The aws provider version is not pinned (version = "${ver}").` } },
    ];
    checks.push(partial('provider-pinned', 1, parts));
  }

  // 2. VPC
  const vpcs = model.byType('aws_vpc');
  let vpcCidr: Cidr | null = null;
  if (vpcs.length !== 1) {
    checks.push(fail('vpc', { ko: `aws_vpc 리소스가 정확히 하나여야 하는데 ${vpcs.length}개입니다.`, en: `Expected exactly one aws_vpc resource, found ${vpcs.length}.` }));
  } else {
    const vpc = vpcs[0]!;
    const cidr = evaluate(model, vpc.body.cidr_block, { index: null });
    let parsed: Cidr | null = null;
    try {
      parsed = typeof cidr === 'string' ? parseCidr(cidr) : null;
    } catch {
      parsed = null;
    }
    vpcCidr = parsed;
    checks.push(
      partial('vpc', 2, [
        { ok: parsed !== null && typeof cidr === 'string' && cidr === '10.0.0.0/16', message: { ko: `${model.where(vpc)}: cidr_block이 10.0.0.0/16이 아닙니다 (${String(cidr)}).`, en: `${model.where(vpc)}: cidr_block is not 10.0.0.0/16 (${String(cidr)}).` } },
        { ok: evaluate(model, vpc.body.enable_dns_hostnames, { index: null }) === true, message: { ko: `${model.where(vpc)}: enable_dns_hostnames = true가 없습니다.`, en: `${model.where(vpc)}: enable_dns_hostnames = true is missing.` } },
        { ok: evaluate(model, vpc.body.enable_dns_support, { index: null }) !== false, message: { ko: `${model.where(vpc)}: enable_dns_support가 꺼져 있습니다.`, en: `${model.where(vpc)}: enable_dns_support is turned off.` } },
      ]),
    );
  }

  // 3. Subnets
  const subnets = model.byType('aws_subnet');
  const isPublic = (s: Instance) => evaluate(model, s.body.map_public_ip_on_launch, { index: s.index }) === true;
  const pub = subnets.filter(isPublic);
  const priv = subnets.filter((s) => !isPublic(s));
  const cidrs = subnets.map((s) => {
    const v = evaluate(model, s.body.cidr_block, { index: s.index });
    try {
      return { s, cidr: typeof v === 'string' ? parseCidr(v) : null, raw: v, usesFn: typeof s.body.cidr_block === 'string' && /cidrsubnet\(/.test(s.body.cidr_block) };
    } catch {
      return { s, cidr: null, raw: v, usesFn: false };
    }
  });
  const unknown = cidrs.filter((c) => c.cidr === null);
  const outside = vpcCidr ? cidrs.filter((c) => c.cidr && !contains(vpcCidr!, c.cidr)) : [];
  const overlapping: string[] = [];
  for (let i = 0; i < cidrs.length; i++)
    for (let j = i + 1; j < cidrs.length; j++) {
      const a = cidrs[i]!;
      const b = cidrs[j]!;
      if (a.cidr && b.cidr && overlaps(a.cidr, b.cidr)) overlapping.push(`${model.where(a.s)} ↔ ${model.where(b.s)} (${String(a.raw)}, ${String(b.raw)})`);
    }
  const noFn = cidrs.find((c) => !c.usesFn);
  checks.push(
    partial('subnets', 3, [
      { ok: pub.length >= 2 && priv.length >= 2, message: { ko: `공개 서브넷 ${pub.length}개, 사설 서브넷 ${priv.length}개가 있습니다 (각각 2개 이상 필요; 공개 서브넷은 map_public_ip_on_launch = true).`, en: `Found ${pub.length} public and ${priv.length} private subnets (need at least 2 of each; public ones set map_public_ip_on_launch = true).` } },
      {
        ok: subnets.length > 0 && unknown.length === 0 && outside.length === 0 && overlapping.length === 0 && vpcCidr !== null,
        message:
          unknown.length > 0
            ? { ko: `${model.where(unknown[0]!.s)}: cidr_block을 계산할 수 없습니다 (${String(unknown[0]!.s.body.cidr_block)}).`, en: `${model.where(unknown[0]!.s)}: cannot work out cidr_block (${String(unknown[0]!.s.body.cidr_block)}).` }
            : outside.length > 0
              ? { ko: `${model.where(outside[0]!.s)}: ${String(outside[0]!.raw)}가 VPC 대역 밖에 있습니다.`, en: `${model.where(outside[0]!.s)}: ${String(outside[0]!.raw)} lies outside the VPC's range.` }
              : overlapping.length > 0
                ? { ko: `서브넷 대역이 겹칩니다: ${overlapping[0]}`, en: `Subnet ranges overlap: ${overlapping[0]}` }
                : { ko: '서브넷이 없거나 VPC 대역을 알 수 없습니다.', en: 'No subnets, or the VPC range is unknown.' },
      },
      {
        ok: subnets.length > 0 && cidrs.every((c) => c.usesFn),
        message: noFn ? { ko: `${model.where(noFn.s)}: cidr_block을 cidrsubnet()으로 계산하세요.`, en: `${model.where(noFn.s)}: compute cidr_block with cidrsubnet().` } : { ko: 'aws_subnet 리소스가 없습니다.', en: 'There are no aws_subnet resources.' },
      },
    ]),
  );

  // 4. Two availability zones
  const azOf = (s: Instance) => {
    const v = evaluate(model, s.body.availability_zone, { index: s.index });
    return v === null ? null : String(v);
  };
  const pubAz = new Set(pub.map(azOf).filter((x): x is string => x !== null));
  const privAz = new Set(priv.map(azOf).filter((x): x is string => x !== null));
  const noAz = subnets.filter((s) => azOf(s) === null);
  if (subnets.length === 0) checks.push(fail('multi-az', { ko: '서브넷이 없습니다.', en: 'There are no subnets.' }));
  else if (noAz.length) checks.push(fail('multi-az', { ko: `${model.where(noAz[0]!)}: availability_zone이 없습니다.`, en: `${model.where(noAz[0]!)}: availability_zone is not set.` }));
  else if (pubAz.size < 2 || privAz.size < 2) {
    const group = pubAz.size < 2 ? pub : priv;
    const where = group.map((s) => model.where(s)).join(', ');
    const zone = group.length ? azOf(group[0]!) : '?';
    checks.push(
      fail('multi-az', {
        ko: `${where || '서브넷'}: 모두 같은 가용 영역(${zone})에 있습니다. 공개 서브넷은 ${pubAz.size}개, 사설 서브넷은 ${privAz.size}개의 가용 영역에 있습니다 (각각 2개 이상).`,
        en: `${where || 'subnets'}: all in the same availability zone (${zone}). Public subnets span ${pubAz.size} and private subnets ${privAz.size} zone(s); each needs at least 2.`,
      }),
    );
  }
  else checks.push(pass('multi-az', 1));

  // 5. Internet gateway and the public route
  const igws = model.byType('aws_internet_gateway');
  const rts = model.byType('aws_route_table');
  const publicRts = rts.filter((rt) => routeTargets(model, rt).some((r) => r.cidr === '0.0.0.0/0' && r.gateway && igws.some((g) => g.name === r.gateway)));
  const pubAssoc = new Set<string>();
  for (const rt of publicRts) for (const x of associatedSubnets(model, rt.name)) pubAssoc.add(x);
  const unassociatedPub = pub.filter((s) => !isAssociated(pubAssoc, s));
  checks.push(
    partial('internet-route', 2, [
      { ok: igws.length >= 1 && igws.every((g) => typeof g.body.vpc_id === 'string' && /aws_vpc\./.test(g.body.vpc_id as string)), message: { ko: '인터넷 게이트웨이(aws_internet_gateway)가 없거나 VPC에 연결되어 있지 않습니다.', en: 'No aws_internet_gateway attached to the VPC (vpc_id = aws_vpc.<name>.id).' } },
      { ok: publicRts.length >= 1, message: { ko: '0.0.0.0/0을 인터넷 게이트웨이로 보내는 라우팅 테이블이 없습니다.', en: 'No route table sends 0.0.0.0/0 to the internet gateway.' } },
      {
        ok: publicRts.length >= 1 && pub.length >= 1 && unassociatedPub.length === 0,
        message: unassociatedPub.length ? { ko: `${model.where(unassociatedPub[0]!)}: 공개 라우팅 테이블과 연결(aws_route_table_association)되어 있지 않습니다.`, en: `${model.where(unassociatedPub[0]!)}: not associated with the public route table (aws_route_table_association).` } : { ko: '공개 서브넷이 공개 라우팅 테이블과 연결되어 있지 않습니다.', en: 'No public subnet is associated with the public route table.' },
      },
    ]),
  );

  // 6. NAT gateway
  const nats = model.byType('aws_nat_gateway');
  const eips = model.byType('aws_eip');
  const nat = nats[0];
  const natEip = nat && typeof nat.body.allocation_id === 'string' ? refTo('aws_eip').exec(nat.body.allocation_id as string)?.[1] : undefined;
  const eip = eips.find((e) => e.name === natEip);
  const natSubnet = nat && typeof nat.body.subnet_id === 'string' ? /^\$\{aws_subnet\.([a-z0-9_-]+)(?:\[(\d+)\])?\.id\}$/i.exec(nat.body.subnet_id as string) : null;
  const natInPublic = natSubnet ? pub.some((s) => s.name === natSubnet[1] && (natSubnet[2] === undefined || s.index === Number(natSubnet[2]))) : false;
  const privateRts = rts.filter((rt) => routeTargets(model, rt).some((r) => r.cidr === '0.0.0.0/0' && r.nat && nats.some((n) => n.name === r.nat)));
  const privAssoc = new Set<string>();
  for (const rt of privateRts) for (const x of associatedSubnets(model, rt.name)) privAssoc.add(x);
  const unassociatedPriv = priv.filter((s) => !isAssociated(privAssoc, s));
  checks.push(
    partial('nat', 3, [
      { ok: Boolean(nat && eip && eip.body.domain === 'vpc'), message: nat ? { ko: `${model.where(nat)}: allocation_id가 domain = "vpc"인 aws_eip를 가리키지 않습니다.`, en: `${model.where(nat)}: allocation_id does not point at an aws_eip with domain = "vpc".` } : { ko: 'aws_nat_gateway가 없습니다.', en: 'There is no aws_nat_gateway.' } },
      { ok: natInPublic, message: nat ? { ko: `${model.where(nat)}: NAT 게이트웨이는 공개 서브넷에 있어야 합니다 (subnet_id = ${String(nat.body.subnet_id)}).`, en: `${model.where(nat)}: the NAT gateway must sit in a public subnet (subnet_id = ${String(nat.body.subnet_id)}).` } : { ko: 'NAT 게이트웨이가 없습니다.', en: 'There is no NAT gateway.' } },
      {
        ok: privateRts.length >= 1 && priv.length >= 1 && unassociatedPriv.length === 0,
        message:
          privateRts.length === 0
            ? { ko: '0.0.0.0/0을 NAT 게이트웨이로 보내는 사설 라우팅 테이블이 없습니다.', en: 'No private route table sends 0.0.0.0/0 to the NAT gateway.' }
            : priv.length === 0
              ? { ko: '사설 서브넷이 없습니다.', en: 'There are no private subnets.' }
              : { ko: `${model.where(unassociatedPriv[0] ?? priv[0]!)}: 사설 라우팅 테이블과 연결되어 있지 않습니다.`, en: `${model.where(unassociatedPriv[0] ?? priv[0]!)}: not associated with the private route table.` },
      },
    ]),
  );

  // 7. Tags
  const taggable = ['aws_vpc', 'aws_subnet', 'aws_internet_gateway', 'aws_nat_gateway', 'aws_route_table', 'aws_eip'];
  const untagged = model.resources.filter((r) => taggable.includes(r.type) && !(r.body.tags && typeof r.body.tags === 'object' && 'Name' in (r.body.tags as Obj)));
  if (untagged.length === 0) checks.push(pass('tags', 1));
  else checks.push(fail('tags', { ko: `${model.where(untagged[0]!)}: tags에 Name이 없습니다${untagged.length > 1 ? ` (외 ${untagged.length - 1}개)` : ''}.`, en: `${model.where(untagged[0]!)}: tags has no Name${untagged.length > 1 ? ` (and ${untagged.length - 1} more)` : ''}.` }));

  return { gradable: true, checks };
}
