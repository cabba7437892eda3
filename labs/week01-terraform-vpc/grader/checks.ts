/**
 * Week 1 grader: an AWS VPC in Terraform, read statically. Nothing the learner wrote is run: the .tf files are parsed
 * with HashiCorp's HCL parser (grader-kit/hcl.ts), the expressions that decide the network are evaluated by
 * grader-kit/tf-model.ts, and the route tables and associations are worked out by grader-kit/tf-aws-network.ts.
 *
 * What makes a subnet public is its route table, as the lessons teach: a subnet associated with a route table whose
 * 0.0.0.0/0 route goes to an internet gateway is public; one whose default route goes to a NAT gateway is private;
 * a subnet with neither is public when it sets map_public_ip_on_launch = true, and private otherwise.
 */
import {
  msg as m,
  reporter,
  NotGradable,
  partial,
  pass,
  fail,
  type CheckVerdict,
  type GradeContext,
  type GraderVerdict,
  type Msg,
  type Submission,
} from '../../../grader-kit/index';
import { contains, overlaps } from '../../../grader-kit/cidr';
import { loadModel, warmup } from '../../../grader-kit/hcl';
import { Model, Ref, Unknown, clip, isObj, show, showVal, type Instance, type Json, type Val } from '../../../grader-kit/tf-model';
import { analyse, isTrue, notAnId, refTo, why, wrongAttr, type Network, type RouteTable, type SubnetInfo } from '../../../grader-kit/tf-aws-network';

export { warmup };

/** The check ids, in the order the grader reports them (the same as lab.yaml). */
export const CHECK_IDS = ['provider-pinned', 'vpc', 'subnets', 'multi-az', 'internet-route', 'nat', 'tags'] as const;
const POINTS: Record<(typeof CHECK_IDS)[number], number> = { 'provider-pinned': 1, vpc: 2, subnets: 3, 'multi-az': 1, 'internet-route': 2, nat: 3, tags: 1 };

export const VPC_CIDR = '10.0.0.0/16';
export const SUBNET_PREFIX = 24;

type B = { ko: string; en: string };
type Part = { ok: boolean; message: Msg };
const list = (xs: string[], max = 3) => (xs.length <= max ? xs.join(', ') : `${xs.slice(0, max).join(', ')} … (+${xs.length - max})`);
const filesOf = (model: Model) => list(model.files, 5);

/** "there is no aws_x resource", saying that module blocks are not read when the submission has some. */
function missing(model: Model, type: string): B {
  const mods = model.modules.map((x) => `${x.file}:${x.line} (module "${clip(x.name, 40)}")`);
  const note = mods.length
    ? m(
        ` ${list(mods)}는 읽지 않습니다. 채점기는 오프라인이라 모듈을 내려받거나 펼칠 수 없고, 이 실습은 리소스를 직접 작성하는 것이 과제입니다.`,
        ` ${list(mods)} ${mods.length > 1 ? 'are' : 'is'} not read: the grader works offline and cannot fetch or expand modules, and this lab asks you to write the resources yourself.`,
      )
    : m('', '');
  return m(`${filesOf(model)}: ${type} 리소스가 없습니다.${note.ko}`, `${filesOf(model)}: there is no ${type} resource.${note.en}`);
}

/** Instances grouped by the block they come from: `main.tf:31 (aws_subnet.public[0], aws_subnet.public[1])`. */
function whereGroup(insts: Instance[]): string {
  const groups = new Map<Instance['block'], string[]>();
  for (const i of insts) groups.set(i.block, [...(groups.get(i.block) ?? []), i.addr]);
  return list(
    [...groups.entries()].map(
      ([b, addrs]) =>
        `${b.file}:${b.line} (${list(
          addrs.map((a) => clip(a)),
          4,
        )})`,
    ),
    4,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Version constraints, as Terraform reads them (go-version semantics, including "~>").

interface Constraint {
  op: string;
  v: [number, number, number];
  segs: number;
}

export function parseConstraints(s: string): Constraint[] | null {
  const out: Constraint[] = [];
  for (const part of s.split(',')) {
    const mm = /^\s*(=|!=|>=|<=|>|<|~>)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?\s*$/.exec(part);
    if (!mm) return null;
    const segs = mm[4] !== undefined ? 3 : mm[3] !== undefined ? 2 : 1;
    out.push({ op: mm[1] ?? '=', v: [Number(mm[2]), Number(mm[3] ?? 0), Number(mm[4] ?? 0)], segs });
  }
  return out.length ? out : null;
}

function cmp(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

export function satisfies(v: [number, number, number], cs: Constraint[]): boolean {
  return cs.every((c) => {
    const d = cmp(v, c.v);
    switch (c.op) {
      case '=':
        return d === 0;
      case '!=':
        return d !== 0;
      case '>':
        return d > 0;
      case '>=':
        return d >= 0;
      case '<':
        return d < 0;
      case '<=':
        return d <= 0;
      case '~>': {
        if (d < 0) return false;
        for (let i = 0; i < c.segs - 1; i++) if (v[i] !== c.v[i]) return false;
        return true;
      }
    }
    return false;
  });
}

const AWS_SOURCE = /^(registry\.terraform\.io\/)?hashicorp\/aws$/i;

function checkProvider(model: Model): CheckVerdict {
  const id = 'provider-pinned';
  // The aws provider's entry: under its usual local name, or under another name with source = "hashicorp/aws".
  let aws: Val | undefined;
  let localName = 'aws';
  let where = '';
  for (const t of model.terraform) {
    const rps = Array.isArray(t.body.required_providers) ? t.body.required_providers : [t.body.required_providers];
    for (const rp of rps) {
      if (!isObj(rp) || aws !== undefined) continue;
      for (const [name, raw] of Object.entries(rp)) {
        const v = model.evalRaw(raw, {});
        const src = v instanceof Map ? v.get('source') : undefined;
        if (name === 'aws' || (typeof src === 'string' && AWS_SOURCE.test(src.trim()))) {
          aws = v;
          localName = name;
          where = `${t.file}:${t.line}`;
          break;
        }
      }
    }
  }
  const legacy = model.providers.find((p) => p.name === 'aws' && p.body.version !== undefined);
  if (aws === undefined) {
    const extra = legacy
      ? m(
          ` provider "aws" 블록의 version(${legacy.file}:${legacy.line})은 더 이상 쓰지 않는 방식입니다. required_providers로 옮기세요.`,
          ` The version inside provider "aws" (${legacy.file}:${legacy.line}) is the deprecated way: move it to required_providers.`,
        )
      : m('', '');
    const at = model.terraform[0] ? `${model.terraform[0].file}:${model.terraform[0].line}` : model.files.join(', ');
    return fail(
      id,
      m(
        `${at}: terraform { required_providers { aws = { ... } } } 항목이 없습니다.${extra.ko}`,
        `${at}: there is no terraform { required_providers { aws = { ... } } } entry.${extra.en}`,
      ),
    );
  }
  let source: Val | undefined;
  let version: Val | undefined;
  if (aws instanceof Map) {
    source = aws.get('source');
    version = aws.get('version');
  } else if (typeof aws === 'string') version = aws; // the pre-0.13 form aws = "~> 6.0", still accepted
  // Without source, Terraform uses the implied address hashicorp/<local name>: for "aws" that is hashicorp/aws.
  const implied = source === undefined && localName === 'aws';
  const parts: Part[] = [
    {
      ok: implied || (typeof source === 'string' && AWS_SOURCE.test(source.trim())),
      message:
        source === undefined
          ? m(
              `${where}: required_providers의 ${localName}에 source = "hashicorp/aws"가 없습니다.`,
              `${where}: required_providers' ${localName} has no source = "hashicorp/aws".`,
            )
          : m(
              `${where}: aws 프로바이더의 source가 "hashicorp/aws"가 아닙니다 (${showVal(source)}).`,
              `${where}: the aws provider's source is not "hashicorp/aws" (${showVal(source)}).`,
            ),
    },
  ];
  const ver = typeof version === 'string' ? version.trim() : '';
  const cs = ver ? parseConstraints(ver) : null;
  let verMsg: B | null = null;
  if (version === undefined || ver === '')
    verMsg = m(
      `${where}: aws 프로바이더에 version 제약이 없습니다. 그러면 큰 변경이 있는 새 메이저 버전도 설치됩니다.`,
      `${where}: the aws provider has no version constraint, so a new major version with breaking changes would be installed too.`,
    );
  else if (!cs) verMsg = m(`${where}: version = "${ver}"를 버전 제약으로 읽을 수 없습니다.`, `${where}: version = "${ver}" is not a version constraint.`);
  else if (satisfies([999, 0, 0], cs)) {
    const tilde1 = cs.find((c) => c.op === '~>' && c.segs === 1);
    verMsg = tilde1
      ? m(
          `${where}: version = "${ver}": ~>는 가장 오른쪽 숫자만 올라가게 허용하므로 "~> ${tilde1.v[0]}"는 7.0 이후도 허용합니다. "~> ${tilde1.v[0]}.0"이라고 쓰면 ${tilde1.v[0]}.x 안에 머뭅니다.`,
          `${where}: version = "${ver}": ~> lets only the right-most number grow, so "~> ${tilde1.v[0]}" allows 7.0 and later too; "~> ${tilde1.v[0]}.0" stays within ${tilde1.v[0]}.x.`,
        )
      : m(
          `${where}: version = "${ver}"에는 상한이 없어 7.0 이후의 메이저 버전도 허용합니다.`,
          `${where}: version = "${ver}" has no upper bound: it lets in 7.0 and every later major version.`,
        );
  } else {
    let allows6 = false;
    for (let minor = 0; minor < 100 && !allows6; minor++) for (let patch = 0; patch < 40 && !allows6; patch++) allows6 = satisfies([6, minor, patch], cs);
    if (!allows6)
      verMsg = m(
        `${where}: version = "${ver}"는 AWS 프로바이더 6.x를 허용하지 않습니다. 이 실습은 6.x 기준입니다.`,
        `${where}: version = "${ver}" does not allow AWS provider 6.x, which this lab is written for.`,
      );
  }
  parts.push({ ok: verMsg === null, message: verMsg ?? m('', '') });
  const v = partial(id, POINTS[id], parts);
  if (v.passed && implied)
    v.message = m(
      `${where}: source가 없어 Terraform이 암묵적으로 hashicorp/aws를 씁니다. 통과지만, Terraform 문서는 source = "hashicorp/aws"를 직접 적기를 권합니다.`,
      `${where}: with no source, Terraform uses the implied address hashicorp/aws. This passes, but Terraform's documentation recommends writing source = "hashicorp/aws" explicitly.`,
    );
  return v;
}

function checkVpc(model: Model, net: Network): CheckVerdict {
  const id = 'vpc';
  if (net.vpcs.length === 0) return fail(id, missing(model, 'aws_vpc'));
  if (!net.vpc)
    return fail(
      id,
      m(
        `aws_vpc가 하나여야 하는데 ${net.vpcs.length}개입니다: ${list(net.vpcs.map((v) => model.where(v)))}.`,
        `Expected one aws_vpc, found ${net.vpcs.length}: ${list(net.vpcs.map((v) => model.where(v)))}.`,
      ),
    );
  const vpc = net.vpc;
  const w = model.where(vpc);
  const cidr = model.attr(vpc, 'cidr_block');
  const hostnames = model.attr(vpc, 'enable_dns_hostnames');
  const support = model.attr(vpc, 'enable_dns_support');
  const cidrMsg =
    cidr === undefined
      ? m(`${w}: cidr_block이 없습니다.`, `${w}: cidr_block is not set.`)
      : typeof cidr === 'string'
        ? m(`${w}: cidr_block이 ${VPC_CIDR}가 아닙니다 ("${cidr}").`, `${w}: cidr_block is not ${VPC_CIDR} ("${cidr}").`)
        : m(
            `${w}: cidr_block(${show(vpc.block.body.cidr_block)})을 계산할 수 없습니다: ${why(cidr).ko}.`,
            `${w}: cannot work out cidr_block (${show(vpc.block.body.cidr_block)}): ${why(cidr).en}.`,
          );
  return partial(id, POINTS[id], [
    { ok: typeof cidr === 'string' && cidr.trim() === VPC_CIDR, message: cidrMsg },
    {
      ok: isTrue(hostnames),
      message:
        hostnames === undefined
          ? m(`${w}: enable_dns_hostnames가 없습니다 (기본값은 false).`, `${w}: enable_dns_hostnames is not set (it defaults to false).`)
          : m(
              `${w}: enable_dns_hostnames가 true가 아닙니다 (${show(vpc.block.body.enable_dns_hostnames)}).`,
              `${w}: enable_dns_hostnames is not true (${show(vpc.block.body.enable_dns_hostnames)}).`,
            ),
    },
    {
      ok: support === undefined || isTrue(support),
      message: m(
        `${w}: enable_dns_support가 true가 아닙니다 (${show(vpc.block.body.enable_dns_support)}).`,
        `${w}: enable_dns_support is not true (${show(vpc.block.body.enable_dns_support)}).`,
      ),
    },
  ]);
}

function roleReason(s: SubnetInfo): B {
  switch (s.roleBy) {
    case 'igw-route':
      return m('라우팅 테이블이 0.0.0.0/0을 인터넷 게이트웨이로 보냄', 'its route table sends 0.0.0.0/0 to the internet gateway');
    case 'nat-route':
      return m('라우팅 테이블이 0.0.0.0/0을 NAT 게이트웨이로 보냄', 'its route table sends 0.0.0.0/0 to the NAT gateway');
    case 'map-public':
      return m('map_public_ip_on_launch = true', 'map_public_ip_on_launch = true');
    case 'none':
      return m('인터넷으로 가는 경로도 공인 IP도 없음', 'no route to the internet and no public IPs');
  }
}

function checkSubnets(model: Model, net: Network): CheckVerdict {
  const id = 'subnets';
  const subs = net.subnets;
  if (subs.length === 0) return fail(id, missing(model, 'aws_subnet'));
  const pub = subs.filter((s) => s.role === 'public');
  const priv = subs.filter((s) => s.role === 'private');
  // Why each subnet counts as public or private, grouped by block and reason.
  const desc = (xs: SubnetInfo[], lang: 'ko' | 'en') => {
    const byReason = new Map<string, Instance[]>();
    for (const x of xs) byReason.set(roleReason(x)[lang], [...(byReason.get(roleReason(x)[lang]) ?? []), x.inst]);
    return [...byReason.entries()].map(([r, insts]) => `${whereGroup(insts)}: ${r}`).join('; ');
  };
  const notInVpc = subs.find((s) => !s.inVpc);
  const countOk = pub.length >= 2 && priv.length >= 2;
  const countMsg = !countOk
    ? m(
        `공개 서브넷이 ${pub.length}개, 사설 서브넷이 ${priv.length}개입니다. 각각 2개 이상이어야 합니다.${pub.length ? ` 공개: ${desc(pub, 'ko')}.` : ''}${priv.length ? ` 사설: ${desc(priv, 'ko')}.` : ''}`,
        `Found ${pub.length} public and ${priv.length} private subnet(s); at least 2 of each are needed.${pub.length ? ` Public: ${desc(pub, 'en')}.` : ''}${priv.length ? ` Private: ${desc(priv, 'en')}.` : ''}`,
      )
    : notInVpc
      ? wrongAttr(model.attr(notInVpc.inst, 'vpc_id'), 'aws_vpc')
        ? m(
            `${model.where(notInVpc.inst)}: ${notAnId('vpc_id', wrongAttr(model.attr(notInVpc.inst, 'vpc_id'), 'aws_vpc')!).ko}.`,
            `${model.where(notInVpc.inst)}: ${notAnId('vpc_id', wrongAttr(model.attr(notInVpc.inst, 'vpc_id'), 'aws_vpc')!).en}.`,
          )
        : m(
            `${model.where(notInVpc.inst)}: vpc_id가 VPC(aws_vpc.<이름>.id)를 가리키지 않습니다 (${show(notInVpc.inst.block.body.vpc_id)}).`,
            `${model.where(notInVpc.inst)}: vpc_id does not refer to the VPC (aws_vpc.<name>.id) (${show(notInVpc.inst.block.body.vpc_id)}).`,
          )
      : m('', '');

  const noFn = subs.find((s) => !s.usesCidrFn);
  const wrongSize = subs.find((s) => s.cidr && s.cidr.prefix !== SUBNET_PREFIX);
  const fnMsg = noFn
    ? m(
        `${model.where(noFn.inst)}: cidr_block(${show(noFn.inst.block.body.cidr_block)})을 직접 적지 말고 cidrsubnet()으로 VPC 대역에서 계산하세요.`,
        `${model.where(noFn.inst)}: cidr_block (${show(noFn.inst.block.body.cidr_block)}) is written out by hand; compute it from the VPC's range with cidrsubnet().`,
      )
    : wrongSize
      ? net.vpcCidr && wrongSize.cidr!.prefix > net.vpcCidr.prefix
        ? m(
            `${model.where(wrongSize.inst)}: ${showVal(wrongSize.cidrVal!)}는 /${SUBNET_PREFIX}가 아닙니다. cidrsubnet의 두 번째 인자(늘릴 비트 수)가 /${net.vpcCidr.prefix}에 ${wrongSize.cidr!.prefix - net.vpcCidr.prefix}비트를 더해 /${wrongSize.cidr!.prefix}가 되었습니다. /${SUBNET_PREFIX}를 만들려면 ${SUBNET_PREFIX - net.vpcCidr.prefix}비트를 더하세요.`,
            `${model.where(wrongSize.inst)}: ${showVal(wrongSize.cidrVal!)} is not a /${SUBNET_PREFIX}: cidrsubnet's second argument (the bits to add) extends the /${net.vpcCidr.prefix} by ${wrongSize.cidr!.prefix - net.vpcCidr.prefix} bits to a /${wrongSize.cidr!.prefix}; add ${SUBNET_PREFIX - net.vpcCidr.prefix} bits for a /${SUBNET_PREFIX}.`,
          )
        : m(
            `${model.where(wrongSize.inst)}: ${showVal(wrongSize.cidrVal!)}는 /${SUBNET_PREFIX}가 아닙니다. 서브넷은 /${SUBNET_PREFIX}여야 합니다.`,
            `${model.where(wrongSize.inst)}: ${showVal(wrongSize.cidrVal!)} is not a /${SUBNET_PREFIX}; the subnets must be /${SUBNET_PREFIX}s.`,
          )
      : m('', '');

  const unknown = subs.find((s) => s.cidr === null);
  const outside = net.vpcCidr ? subs.find((s) => s.cidr && !contains(net.vpcCidr!, s.cidr)) : undefined;
  let overlap: [SubnetInfo, SubnetInfo] | null = null;
  for (let i = 0; i < subs.length && !overlap; i++)
    for (let j = i + 1; j < subs.length && !overlap; j++) {
      const a = subs[i]!;
      const b = subs[j]!;
      if (a.cidr && b.cidr && overlaps(a.cidr, b.cidr)) overlap = [a, b];
    }
  const rangeMsg = unknown
    ? m(
        `${model.where(unknown.inst)}: cidr_block(${show(unknown.inst.block.body.cidr_block)})을 계산할 수 없습니다: ${unknown.cidrError!.ko}.`,
        `${model.where(unknown.inst)}: cannot work out cidr_block (${show(unknown.inst.block.body.cidr_block)}): ${unknown.cidrError!.en}.`,
      )
    : !net.vpcCidr
      ? m(
          `VPC 대역을 알 수 없어 서브넷이 그 안에 있는지 확인할 수 없습니다${net.vpcs[0] ? ` (${model.where(net.vpcs[0])})` : ''}.`,
          `The VPC range is unknown, so the subnets cannot be checked against it${net.vpcs[0] ? ` (${model.where(net.vpcs[0])})` : ''}.`,
        )
      : outside
        ? m(
            `${model.where(outside.inst)}: ${showVal(outside.cidrVal!)}가 VPC 대역 밖에 있습니다.`,
            `${model.where(outside.inst)}: ${showVal(outside.cidrVal!)} lies outside the VPC's range.`,
          )
        : overlap
          ? m(
              `서브넷 대역이 겹칩니다: ${model.where(overlap[0].inst)}의 ${showVal(overlap[0].cidrVal!)}와 ${model.where(overlap[1].inst)}의 ${showVal(overlap[1].cidrVal!)}.`,
              `Subnet ranges overlap: ${showVal(overlap[0].cidrVal!)} of ${model.where(overlap[0].inst)} and ${showVal(overlap[1].cidrVal!)} of ${model.where(overlap[1].inst)}.`,
            )
          : m('', '');

  const pubNoIp = pub.find((s) => !s.mapPublic);
  const privIp = priv.find((s) => s.mapPublic);
  const ipMsg = pubNoIp
    ? m(
        `${model.where(pubNoIp.inst)}: 공개 서브넷(${roleReason(pubNoIp).ko})인데 map_public_ip_on_launch = true가 없습니다.`,
        `${model.where(pubNoIp.inst)}: a public subnet (${roleReason(pubNoIp).en}) without map_public_ip_on_launch = true.`,
      )
    : privIp
      ? m(
          `${model.where(privIp.inst)}: 사설 서브넷(${roleReason(privIp).ko})인데 map_public_ip_on_launch = true입니다.`,
          `${model.where(privIp.inst)}: a private subnet (${roleReason(privIp).en}) with map_public_ip_on_launch = true.`,
        )
      : m('', '');

  return partial(id, POINTS[id], [
    { ok: countOk && !notInVpc, message: countMsg },
    { ok: !noFn && !wrongSize, message: fnMsg },
    { ok: !unknown && !!net.vpcCidr && !outside && !overlap, message: rangeMsg },
    { ok: !pubNoIp && !privIp, message: ipMsg },
  ]);
}

function azKey(v: Val | undefined): { key: string; label: string } | { error: B } {
  if (v === undefined)
    return { error: m('availability_zone이 없습니다 (AWS가 아무 영역이나 고릅니다)', 'availability_zone is not set (AWS would pick any zone)') };
  if (typeof v === 'string') return { key: `s:${v}`, label: v };
  if (v instanceof Ref) return { key: `r:${v.path}`, label: v.path };
  if (v instanceof Unknown) return { error: why(v) };
  return { error: m(`availability_zone이 문자열이 아닙니다 (${showVal(v)})`, `availability_zone is not a string (${showVal(v)})`) };
}

function checkMultiAz(model: Model, net: Network): CheckVerdict {
  const id = 'multi-az';
  if (net.subnets.length === 0) return fail(id, missing(model, 'aws_subnet'));
  const problems: B[] = [];
  for (const role of ['public', 'private'] as const) {
    const group = net.subnets.filter((s) => s.role === role);
    if (group.length === 0) continue;
    const zones = new Map<string, string>();
    let bad = false;
    for (const s of group) {
      const a = azKey(model.attr(s.inst, 'availability_zone') ?? model.attr(s.inst, 'availability_zone_id'));
      if ('error' in a) {
        problems.push(m(`${model.where(s.inst)}: ${a.error.ko}.`, `${model.where(s.inst)}: ${a.error.en}.`));
        bad = true;
        break;
      }
      zones.set(a.key, a.label);
    }
    if (!bad && zones.size < 2) {
      const names = whereGroup(group.map((s) => s.inst));
      const zone = [...zones.values()][0] ?? '?';
      problems.push(
        role === 'public'
          ? m(`공개 서브넷 ${names}가 모두 한 가용 영역(${zone})에 있습니다.`, `The public subnets ${names} are all in one availability zone (${zone}).`)
          : m(`사설 서브넷 ${names}가 모두 한 가용 영역(${zone})에 있습니다.`, `The private subnets ${names} are all in one availability zone (${zone}).`),
      );
    }
  }
  return problems.length === 0 ? pass(id, POINTS[id]) : fail(id, { ko: problems.map((p) => p.ko).join(' '), en: problems.map((p) => p.en).join(' ') });
}

/** How a route table is named in messages: its block, or "the VPC's main route table" for one only aws_route touches. */
function tableName(model: Model, r: RouteTable): B {
  if (r.kind === 'vpc-main') return m(`${model.where(r.inst)}의 기본(main) 라우팅 테이블`, `the main route table of ${model.where(r.inst)}`);
  const w = model.where(r.inst);
  return r.kind === 'default' ? m(`${w}(VPC의 기본 라우팅 테이블)`, `${w} (the VPC's main route table)`) : m(w, w);
}

function describeRoutes(model: Model, rts: RouteTable[]): { ko: string; en: string } {
  if (rts.length === 0) return { ko: 'aws_route_table이 하나도 없습니다', en: 'there is no aws_route_table at all' };
  const d = rts.map((r) => {
    const t = r.defaults[0]?.target;
    const en =
      t === undefined
        ? 'no 0.0.0.0/0 route'
        : t === 'igw'
          ? '0.0.0.0/0 → internet gateway'
          : t === 'other'
            ? '0.0.0.0/0 → something else'
            : '0.0.0.0/0 → NAT gateway';
    const ko =
      t === undefined
        ? '0.0.0.0/0 경로 없음'
        : t === 'igw'
          ? '0.0.0.0/0 → 인터넷 게이트웨이'
          : t === 'other'
            ? '0.0.0.0/0 → 다른 대상'
            : '0.0.0.0/0 → NAT 게이트웨이';
    const n = tableName(model, r);
    return { ko: `${n.ko}: ${ko}`, en: `${n.en}: ${en}` };
  });
  return { ko: list(d.map((x) => x.ko)), en: list(d.map((x) => x.en)) };
}

/**
 * Why a subnet does not use a route table towards `target` (the internet gateway or the NAT gateway): an association
 * that names it by its ARN, no association at all (so the VPC's main table applies), or an association elsewhere.
 */
function notAssociated(model: Model, net: Network, s: SubnetInfo, towards: B): B {
  const bad = net.badAssociations.find((b) => b.subnet === s.inst);
  const w = model.where(s.inst);
  if (bad)
    return m(
      `${w}: 이 서브넷의 연결 ${model.where(bad.at)}이 잘못되었습니다. ${bad.message.ko}.`,
      `${w}: its association ${model.where(bad.at)} is wrong: ${bad.message.en}.`,
    );
  if (s.viaMain) {
    const main = tableName(model, s.rts[0]!);
    return m(
      `${w}: 이 서브넷은 자기 연결(aws_route_table_association)이 없어 ${main.ko}을 쓰는데, 그 테이블은 0.0.0.0/0을 ${towards.ko}로 보내지 않습니다.`,
      `${w}: this subnet has no association (aws_route_table_association) of its own, so it uses ${main.en}, which does not send 0.0.0.0/0 to ${towards.en}.`,
    );
  }
  if (s.rts.length) {
    const names = s.rts.map((r) => tableName(model, r));
    return m(
      `${w}: 이 서브넷은 ${list(names.map((n) => n.ko))}와 연결되어 있는데, 그 테이블은 0.0.0.0/0을 ${towards.ko}로 보내지 않습니다.`,
      `${w}: this subnet is associated with ${list(names.map((n) => n.en))}, which does not send 0.0.0.0/0 to ${towards.en}.`,
    );
  }
  const u = net.unexpanded[0];
  if (u)
    return m(
      `${w}: 이 서브넷을 연결하는 aws_route_table_association이 없습니다. ${u.block.file}:${u.block.line} (${clip(`${u.block.type}.${u.block.name}`)})의 count/for_each를 펼칠 수 없습니다: ${u.why.ko}.`,
      `${w}: no aws_route_table_association connects this subnet: the count/for_each of ${u.block.file}:${u.block.line} (${clip(`${u.block.type}.${u.block.name}`)}) cannot be expanded: ${u.why.en}.`,
    );
  return m(
    `${w}: 이 서브넷을 ${towards.ko}로 가는 라우팅 테이블과 연결하는 aws_route_table_association이 없습니다.`,
    `${w}: no aws_route_table_association connects this subnet to a route table towards ${towards.en}.`,
  );
}

function checkInternetRoute(model: Model, net: Network): CheckVerdict {
  const id = 'internet-route';
  const igws = model.instances('aws_internet_gateway');
  const attachments = model.instances('aws_internet_gateway_attachment');
  const attached = (g: Instance) =>
    (net.vpc !== null && refTo(model.attr(g, 'vpc_id'), 'aws_vpc') === net.vpc) ||
    attachments.some((a) => refTo(model.attr(a, 'internet_gateway_id'), 'aws_internet_gateway') === g && refTo(model.attr(a, 'vpc_id'), 'aws_vpc') === net.vpc);
  const detached = igws.find((g) => !attached(g));
  let igwMsg = m('', '');
  if (igws.length === 0) igwMsg = missing(model, 'aws_internet_gateway');
  else if (detached) {
    const wrong = wrongAttr(model.attr(detached, 'vpc_id'), 'aws_vpc');
    igwMsg = wrong
      ? m(`${model.where(detached)}: ${notAnId('vpc_id', wrong).ko}.`, `${model.where(detached)}: ${notAnId('vpc_id', wrong).en}.`)
      : m(
          `${model.where(detached)}: 인터넷 게이트웨이가 VPC에 붙어 있지 않습니다. vpc_id = aws_vpc.<이름>.id를 적거나 aws_internet_gateway_attachment로 붙이세요.`,
          `${model.where(detached)}: the internet gateway is not attached to the VPC: set vpc_id = aws_vpc.<name>.id, or attach it with aws_internet_gateway_attachment.`,
        );
  }

  const publicRts = net.routeTables.filter((r) => r.defaults.some((d) => d.target === 'igw'));
  const routes = describeRoutes(model, net.routeTables);
  const rtMsg = m(
    `0.0.0.0/0을 인터넷 게이트웨이(gateway_id)로 보내는 라우팅 테이블이 없습니다 (${routes.ko}).`,
    `No route table sends 0.0.0.0/0 to the internet gateway (gateway_id) (${routes.en}).`,
  );

  const pub = net.subnets.filter((s) => s.role === 'public');
  const unassociated = pub.find((s) => !s.rts.some((r) => publicRts.includes(r)));
  const assocMsg =
    pub.length === 0
      ? m(
          `${filesOf(model)}: 공개 서브넷이 없습니다 (map_public_ip_on_launch = true이거나 인터넷 게이트웨이로 가는 라우팅 테이블에 연결된 서브넷).`,
          `${filesOf(model)}: there are no public subnets (subnets with map_public_ip_on_launch = true, or associated with a route table towards the internet gateway).`,
        )
      : unassociated
        ? notAssociated(model, net, unassociated, m('인터넷 게이트웨이', 'the internet gateway'))
        : m('', '');
  return partial(id, POINTS[id], [
    { ok: igws.length > 0 && !detached, message: igwMsg },
    { ok: publicRts.length > 0, message: rtMsg },
    { ok: pub.length > 0 && !unassociated, message: assocMsg },
  ]);
}

function checkNat(model: Model, net: Network): CheckVerdict {
  const id = 'nat';
  const nats = model.instances('aws_nat_gateway');
  if (nats.length === 0) return fail(id, missing(model, 'aws_nat_gateway'));

  let eipMsg: B | null = null;
  let placeMsg: B | null = null;
  for (const nat of nats) {
    const w = model.where(nat);
    const ct = model.attr(nat, 'connectivity_type');
    const alloc = model.attr(nat, 'allocation_id');
    const eip = refTo(alloc, 'aws_eip');
    if (!eipMsg) {
      if (ct === 'private')
        eipMsg = m(
          `${w}: connectivity_type = "private"인 NAT 게이트웨이는 인터넷으로 나갈 수 없습니다.`,
          `${w}: a NAT gateway with connectivity_type = "private" cannot reach the internet.`,
        );
      else if (alloc === undefined)
        eipMsg = m(
          `${w}: allocation_id가 없습니다. 공용 NAT 게이트웨이에는 Elastic IP(aws_eip)가 필요합니다.`,
          `${w}: there is no allocation_id; a public NAT gateway needs an Elastic IP (aws_eip).`,
        );
      else if (!eip) {
        const wrong = wrongAttr(alloc, 'aws_eip');
        eipMsg = wrong
          ? m(`${w}: ${notAnId('allocation_id', wrong).ko}.`, `${w}: ${notAnId('allocation_id', wrong).en}.`)
          : m(
              `${w}: allocation_id(${show(nat.block.body.allocation_id)})가 이 설정의 aws_eip를 가리키지 않습니다 (aws_eip.<이름>.id나 .allocation_id).`,
              `${w}: allocation_id (${show(nat.block.body.allocation_id)}) does not refer to an aws_eip of this configuration (aws_eip.<name>.id or .allocation_id).`,
            );
      } else {
        // domain may be left out: since EC2-Classic was retired every new Elastic IP is a VPC address.
        const domain = model.attr(eip, 'domain');
        if (model.attr(eip, 'vpc') !== undefined)
          eipMsg = m(
            `${model.where(eip)}: vpc = true는 AWS 프로바이더 5.0에서 지원 중단되었고 6.0에서 없어졌습니다. 6.x에서는 이 인자 때문에 계획(plan)조차 실패합니다. domain = "vpc"를 쓰세요.`,
            `${model.where(eip)}: vpc = true was deprecated in AWS provider 5.0 and removed in 6.0, so with 6.x the plan fails on this argument; write domain = "vpc".`,
          );
        else if (domain !== undefined && domain !== 'vpc')
          eipMsg = m(
            `${model.where(eip)}: domain이 ${showVal(domain)}입니다. NAT 게이트웨이의 Elastic IP는 domain = "vpc"입니다.`,
            `${model.where(eip)}: domain is ${showVal(domain)}; a NAT gateway's Elastic IP has domain = "vpc".`,
          );
      }
    }
    if (!placeMsg) {
      const sv = model.attr(nat, 'subnet_id');
      const s = refTo(sv, 'aws_subnet');
      const info = net.subnets.find((x) => x.inst === s);
      if (model.attr(nat, 'availability_mode') === 'regional')
        placeMsg = m(
          `${w}: 이 실습은 리전 NAT 게이트웨이가 아니라, 공개 서브넷에 두는 영역(zonal) NAT 게이트웨이(기본값)를 요구합니다.`,
          `${w}: this lab asks for a zonal NAT gateway (the default) placed in a public subnet, not a regional one.`,
        );
      else if (sv === undefined) placeMsg = m(`${w}: subnet_id가 없습니다.`, `${w}: subnet_id is not set.`);
      else if (!info && wrongAttr(sv, 'aws_subnet'))
        placeMsg = m(`${w}: ${notAnId('subnet_id', wrongAttr(sv, 'aws_subnet')!).ko}.`, `${w}: ${notAnId('subnet_id', wrongAttr(sv, 'aws_subnet')!).en}.`);
      else if (!info)
        placeMsg = m(
          `${w}: subnet_id(${show(nat.block.body.subnet_id)})가 이 설정의 aws_subnet을 가리키지 않습니다.`,
          `${w}: subnet_id (${show(nat.block.body.subnet_id)}) does not point at an aws_subnet of this configuration.`,
        );
      else if (info.role !== 'public')
        placeMsg = m(
          `${w}: NAT 게이트웨이가 사설 서브넷 ${model.where(info.inst)}(${roleReason(info).ko})에 있습니다. NAT 게이트웨이는 인터넷 게이트웨이로 나갈 수 있는 공개 서브넷에 있어야 합니다.`,
          `${w}: the NAT gateway sits in the private subnet ${model.where(info.inst)} (${roleReason(info).en}); it must sit in a public subnet, whose route reaches the internet gateway.`,
        );
    }
  }

  const natRts = net.routeTables.filter((r) => r.defaults.some((d) => d.target === 'nat'));
  const asGateway = net.routeTables.flatMap((r) => r.defaults.filter((d) => d.target === 'nat-as-gateway'));
  const priv = net.subnets.filter((s) => s.role === 'private');
  const unassociated = priv.find((s) => !s.rts.some((r) => natRts.includes(r)));
  let routeMsg: B | null = null;
  if (natRts.length === 0) {
    const routes = describeRoutes(model, net.routeTables);
    routeMsg = asGateway.length
      ? m(
          `${model.where(asGateway[0]!.at)}: NAT 게이트웨이로 가는 경로는 gateway_id가 아니라 nat_gateway_id에 적습니다.`,
          `${model.where(asGateway[0]!.at)}: a route to a NAT gateway goes in nat_gateway_id, not gateway_id.`,
        )
      : m(
          `0.0.0.0/0을 NAT 게이트웨이(nat_gateway_id)로 보내는 라우팅 테이블이 없습니다 (${routes.ko}).`,
          `No route table sends 0.0.0.0/0 to the NAT gateway (nat_gateway_id) (${routes.en}).`,
        );
  } else if (priv.length === 0) routeMsg = m(`${filesOf(model)}: 사설 서브넷이 없습니다.`, `${filesOf(model)}: there are no private subnets.`);
  else if (unassociated) routeMsg = notAssociated(model, net, unassociated, m('NAT 게이트웨이', 'the NAT gateway'));

  return partial(id, POINTS[id], [
    { ok: eipMsg === null, message: eipMsg ?? m('', '') },
    { ok: placeMsg === null, message: placeMsg ?? m('', '') },
    { ok: routeMsg === null, message: routeMsg ?? m('', '') },
  ]);
}

const TAGGED_TYPES = ['aws_vpc', 'aws_subnet', 'aws_internet_gateway', 'aws_eip', 'aws_nat_gateway', 'aws_route_table', 'aws_default_route_table'];

function hasName(v: Val | undefined, raw: Json | undefined): boolean {
  if (v instanceof Map) {
    const n = v.get('Name');
    return n !== undefined && n !== null && n !== '';
  }
  // A tags expression the grader cannot evaluate (say merge(var.tags, { Name = ... }) with no default): look at the text.
  return v instanceof Unknown && typeof raw === 'string' && /(^|[^A-Za-z0-9_"])"?Name"?\s*[=:]/.test(raw);
}

function checkTags(model: Model): CheckVerdict {
  const id = 'tags';
  const provider = model.providers.find((p) => p.name === 'aws' && p.body.alias === undefined);
  const dt = provider && Array.isArray(provider.body.default_tags) ? provider.body.default_tags.find(isObj) : undefined;
  if (dt && hasName(model.evalRaw(dt.tags ?? null, {}), dt.tags))
    return pass(
      id,
      POINTS[id],
      m(
        `${provider!.file}:${provider!.line}: provider의 default_tags가 모든 리소스에 Name 태그를 붙입니다.`,
        `${provider!.file}:${provider!.line}: the provider's default_tags give every resource a Name tag.`,
      ),
    );
  const blocks = model.blocks.filter((b) => b.kind === 'resource' && TAGGED_TYPES.includes(b.type));
  if (blocks.length === 0) return fail(id, m('태그를 붙일 VPC 리소스가 없습니다.', 'There are no VPC resources to tag.'));
  const untagged = blocks.filter((b) => {
    const first = model.instancesOf(b)[0];
    return !hasName(first ? model.attr(first, 'tags') : undefined, b.body.tags);
  });
  const v = partial(
    id,
    POINTS[id],
    blocks.map((b) => ({ ok: !untagged.includes(b), message: '' })),
  );
  if (!v.passed) {
    const names = list(untagged.map((b) => `${b.file}:${b.line} (${clip(`${b.type}.${b.name}`)})`));
    v.message = m(`tags에 Name이 없습니다: ${names}.`, `No Name in tags: ${names}.`);
  }
  return v;
}

/**
 * A configuration that builds its network with a module instead of resources (module "vpc" { source =
 * "terraform-aws-modules/vpc/aws" }): the grader cannot fetch a registry module offline, nor evaluate one, so it
 * says so instead of failing every check with "there is no aws_vpc".
 */
function refuseModuleOnly(model: Model) {
  if (model.modules.length === 0 || model.blocksOf('aws_vpc').length > 0) return;
  const mod = model.modules[0]!;
  const src = mod.body.source;
  const from = typeof src === 'string' ? ` (source = "${clip(src, 60)}")` : '';
  throw new NotGradable({
    ko: `${mod.file}:${mod.line}: module "${clip(mod.name, 40)}"${from}로 VPC를 만들었습니다. 실무에서는 좋은 선택이지만, 채점기는 오프라인에서 작성한 리소스만 읽으므로 모듈이 무엇을 만들지 알 수 없습니다. 이 실습은 aws_vpc, aws_subnet, aws_internet_gateway, aws_nat_gateway, aws_route_table 같은 리소스를 직접 작성하는 것이 과제입니다. 이 제출은 채점하지 않았고 시도 횟수에도 들어가지 않습니다.`,
    en: `${mod.file}:${mod.line}: module "${clip(mod.name, 40)}"${from} builds the VPC. That is a fine choice in real projects, but the grader works offline and reads only the resources you write, so it cannot see what the module would create. This lab asks you to write the resources yourself (aws_vpc, aws_subnet, aws_internet_gateway, aws_nat_gateway, aws_route_table, ...). This submission was not graded and costs no attempt.`,
  });
}

export async function grade(sub: Submission, ctx?: GradeContext): Promise<GraderVerdict> {
  const model = await loadModel(sub);
  refuseModuleOnly(model);
  const net = analyse(model);
  const { checks, report } = reporter(ctx);
  report(checkProvider(model));
  report(checkVpc(model, net));
  report(checkSubnets(model, net));
  report(checkMultiAz(model, net));
  report(checkInternetRoute(model, net));
  report(checkNat(model, net));
  report(checkTags(model));
  return { gradable: true, checks };
}
