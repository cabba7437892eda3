/**
 * Week 1 troubleshooting lab: the shop's production network after a bad week (a third zone added, NAT gateways moved,
 * incident hotfixes written back into the code, a tidy-up of the security groups). Read statically, as the build lab
 * is: HashiCorp's HCL parser and the kit's Terraform evaluator (grader-kit/hcl.ts, tf-model.ts), the kit's route-table
 * analysis (tf-aws-network.ts) and this lab's reading of security group rules (security.ts).
 *
 * A subnet's role here is what it is for (the block aws_subnet.public or .private, else its Tier tag, else whether it
 * maps public addresses), not what its route table makes of it: the faults are exactly routes that do not fit the role.
 * One check per fault, and one for everything the working network had that a repair must not take away.
 */
import { msg as m, reporter, partial, type CheckVerdict, type GradeContext, type GraderVerdict, type Submission } from '../../../grader-kit/index';
import { contains, overlaps, parseCidr } from '../../../grader-kit/cidr';
import { loadModel, warmup } from '../../../grader-kit/hcl';
import { Ref, showVal, type Instance, type Model, type Val } from '../../../grader-kit/tf-model';
import { analyse, isTrue, refTo, why, type B, type Network, type RouteTable, type SubnetInfo } from '../../../grader-kit/tf-aws-network';
import { allowsTcp, describeRule, duplicates, findGroup, isAnywhere, isRange, mixedStyles, onlyTcpPort, rangesCover, readRules, type Rule } from './security';

export { warmup };

export const CHECK_IDS = ['subnet-ranges', 'private-route', 'nat-placement', 'alb-to-app', 'db-from-app-only', 'rest-intact'] as const;
type CheckId = (typeof CHECK_IDS)[number];
export const POINTS: Record<CheckId, number> = {
  'subnet-ranges': 3,
  'private-route': 2,
  'nat-placement': 2,
  'alb-to-app': 3,
  'db-from-app-only': 3,
  'rest-intact': 2,
};

export const VPC_CIDR = '10.0.0.0/16';
export const ZONES = 3;
/** The subnets in use before the third zone was added (terraform state show): a repair keeps their ranges. */
export const LIVE = [
  { addr: 'aws_subnet.public[0]', role: 'public', cidr: '10.0.0.0/24', zone: '#0' },
  { addr: 'aws_subnet.public[1]', role: 'public', cidr: '10.0.1.0/24', zone: '#1' },
  { addr: 'aws_subnet.private[0]', role: 'private', cidr: '10.0.2.0/24', zone: '#0' },
  { addr: 'aws_subnet.private[1]', role: 'private', cidr: '10.0.3.0/24', zone: '#1' },
] as const;

const list = (xs: string[], max = 3) => (xs.length <= max ? xs.join(', ') : `${xs.slice(0, max).join(', ')} … (+${xs.length - max})`);
const none = m('', '');

type Role = 'public' | 'private';

interface Subnet {
  info: SubnetInfo;
  inst: Instance;
  role: Role;
  zone: string | null;
  cidr: string | null;
}

/** What a subnet is for: its block's name, else its Tier tag, else whether it maps public addresses. */
function intent(model: Model, s: SubnetInfo): Role {
  const n = s.inst.block.name.toLowerCase();
  if (n.includes('private')) return 'private';
  if (n.includes('public')) return 'public';
  const tags = model.attr(s.inst, 'tags');
  const tier = tags instanceof Map ? tags.get('Tier') : undefined;
  if (typeof tier === 'string' && /^(public|private)$/i.test(tier)) return tier.toLowerCase() as Role;
  return s.mapPublic ? 'public' : 'private';
}

/**
 * A zone as a comparable key: `#N` for the N-th zone of the region (the data source's names[N], or the zone name's
 * letter: ap-northeast-2a is #0), else the text.
 */
export function zoneKey(v: Val | undefined): string | null {
  if (v instanceof Ref) {
    const mm = /names\[(\d+)\]$/.exec(v.path);
    return mm ? `#${mm[1]}` : v.path;
  }
  if (typeof v === 'string') {
    const mm = /^[a-z]{2}(?:-[a-z]+)+-\d([a-z])$/.exec(v.trim());
    return mm ? `#${mm[1]!.charCodeAt(0) - 97}` : v.trim();
  }
  return null;
}
const zoneName = (z: string | null) => (z && /^#\d+$/.test(z) ? `ap-northeast-2${String.fromCharCode(97 + Number(z.slice(1)))}` : (z ?? '?'));

function subnetsOf(model: Model, net: Network): Subnet[] {
  return net.subnets.map((info) => ({
    info,
    inst: info.inst,
    role: intent(model, info),
    zone: zoneKey(model.attr(info.inst, 'availability_zone') ?? model.attr(info.inst, 'availability_zone_id')),
    cidr: typeof info.cidrVal === 'string' ? info.cidrVal.trim() : null,
  }));
}

function defaults(rts: RouteTable[]) {
  return rts.flatMap((r) => r.defaults);
}

function tableName(model: Model, r: RouteTable): string {
  return r.kind === 'vpc-main' ? `${model.where(r.inst)} main route table` : model.where(r.inst);
}

// ---------------------------------------------------------------------------------------------------------------
// subnet-ranges: three zones, no overlap, the live subnets kept

function checkSubnetRanges(model: Model, net: Network, subs: Subnet[]): CheckVerdict {
  const id = 'subnet-ranges';
  const pub = subs.filter((s) => s.role === 'public');
  const priv = subs.filter((s) => s.role === 'private');
  const zonesOf = (xs: Subnet[]) => new Set(xs.map((s) => s.zone).filter((z): z is string => z !== null));

  let zoneMsg: B | null = null;
  if (pub.length < ZONES || priv.length < ZONES)
    zoneMsg = m(
      `공개 서브넷이 ${pub.length}개, 사설 서브넷이 ${priv.length}개입니다. 세 번째 가용 영역(zone_count = 3)이 이번에 내보내는 변경입니다. 영역을 되돌리면 겹침은 사라지지만 고친 것이 아닙니다. 영역마다 공개·사설 서브넷이 하나씩 있어야 합니다.`,
      `There are ${pub.length} public and ${priv.length} private subnets. The third availability zone (zone_count = 3) is the change being shipped: taking it back makes the overlap go away without fixing it. Each zone needs one public and one private subnet.`,
    );
  else {
    const short = (
      [
        ['public', pub],
        ['private', priv],
      ] as const
    ).find(([, xs]) => zonesOf(xs).size < ZONES);
    if (short) {
      const [role, xs] = short;
      const zs = [...zonesOf(xs)].map(zoneName).join(', ') || '?';
      zoneMsg = m(
        `${role === 'public' ? '공개' : '사설'} 서브넷이 가용 영역 ${zonesOf(xs).size}개(${zs})에만 있습니다. 세 영역에 하나씩 있어야 합니다.`,
        `The ${role} subnets are in only ${zonesOf(xs).size} availability zone(s) (${zs}); there must be one in each of the three zones.`,
      );
    }
  }

  let rangeMsg: B | null = null;
  const vpc = parseCidr(VPC_CIDR)!;
  const unknown = subs.find((s) => s.info.cidr === null);
  if (unknown)
    rangeMsg = m(
      `${model.where(unknown.inst)}: cidr_block을 계산할 수 없습니다: ${unknown.info.cidrError?.ko ?? why(unknown.info.cidrVal).ko}.`,
      `${model.where(unknown.inst)}: cannot work out cidr_block: ${unknown.info.cidrError?.en ?? why(unknown.info.cidrVal).en}.`,
    );
  else {
    const wrongSize = subs.find((s) => s.info.cidr!.prefix !== 24);
    const outside = subs.find((s) => !contains(vpc, s.info.cidr!));
    let pair: [Subnet, Subnet] | null = null;
    for (let i = 0; i < subs.length && !pair; i++)
      for (let j = i + 1; j < subs.length && !pair; j++) if (overlaps(subs[i]!.info.cidr!, subs[j]!.info.cidr!)) pair = [subs[i]!, subs[j]!];
    if (pair) {
      const [a, b] = pair;
      rangeMsg = m(
        `${a.inst.addr}(${a.cidr})와 ${b.inst.addr}(${b.cidr})의 대역이 겹칩니다. AWS는 나중에 만드는 쪽을 InvalidSubnet.Conflict로 거부합니다. cidrsubnet()의 세 번째 인자(번호)가 서브넷마다 달라야 합니다.`,
        `${a.inst.addr} (${a.cidr}) and ${b.inst.addr} (${b.cidr}) overlap: AWS refuses whichever is created second with InvalidSubnet.Conflict. Each subnet needs its own cidrsubnet() number (the third argument).`,
      );
    } else if (outside)
      rangeMsg = m(
        `${model.where(outside.inst)}: ${outside.cidr}가 VPC 대역 ${VPC_CIDR} 밖에 있습니다.`,
        `${model.where(outside.inst)}: ${outside.cidr} lies outside the VPC's ${VPC_CIDR}.`,
      );
    else if (wrongSize)
      rangeMsg = m(
        `${model.where(wrongSize.inst)}: ${wrongSize.cidr}는 /24가 아닙니다. 쇼핑몰의 서브넷은 모두 /24입니다.`,
        `${model.where(wrongSize.inst)}: ${wrongSize.cidr} is not a /24; every subnet of the shop is a /24.`,
      );
  }

  // The live subnets: same role, range and zone as in the state. A changed cidr_block replaces the subnet.
  let liveMsg: B | null = null;
  for (const live of LIVE) {
    const kept = subs.some((s) => s.role === live.role && s.cidr === live.cidr && (s.zone === null || s.zone === live.zone));
    if (kept) continue;
    const same = subs.find((s) => s.inst.addr === live.addr);
    const now = same ? (same.cidr ?? showVal(same.info.cidrVal ?? null)) : null;
    liveMsg = now
      ? m(
          `${live.addr}의 대역이 ${live.cidr}에서 ${now}(으)로 바뀝니다. cidr_block이 바뀐 서브넷은 교체됩니다(plan에 -/+ … forces replacement). 이 서브넷에는 지금 ${live.role === 'private' ? '앱 서버와 데이터베이스가' : '로드 밸런서와 NAT 게이트웨이가'} 있습니다. 쓰고 있는 서브넷의 대역은 그대로 두고, 새 영역에 비어 있는 번호를 주세요.`,
          `${live.addr} would change from ${live.cidr} to ${now}. A subnet whose cidr_block changes is replaced (-/+ … forces replacement in the plan), and the ${live.role === 'private' ? 'app servers and the database run' : 'load balancer and a NAT gateway sit'} in this one. Keep the ranges of the subnets in use and give the new zone numbers nobody has.`,
        )
      : m(
          `상태에 있는 ${live.role === 'private' ? '사설' : '공개'} 서브넷 ${live.cidr}(${zoneName(live.zone)}, ${live.addr})가 설정에서 사라졌습니다. 다음 apply가 이 서브넷을 지웁니다.`,
          `The ${live.role} subnet ${live.cidr} in ${zoneName(live.zone)} (${live.addr} in the state) is gone from the configuration: the next apply destroys it.`,
        );
    break;
  }
  return partial(id, POINTS[id], [
    { ok: zoneMsg === null, message: zoneMsg ?? none },
    { ok: rangeMsg === null, message: rangeMsg ?? none },
    { ok: liveMsg === null, message: liveMsg ?? none },
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// private-route: private subnets leave through a NAT gateway

function checkPrivateRoute(model: Model, subs: Subnet[]): CheckVerdict {
  const id = 'private-route';
  const priv = subs.filter((s) => s.role === 'private');
  if (priv.length === 0) return partial(id, POINTS[id], [{ ok: false, message: m('사설 서브넷이 없습니다.', 'There are no private subnets.') }]);
  const parts = priv.map((s) => {
    const w = model.where(s.inst);
    const ds = defaults(s.info.rts);
    const tables = s.info.rts.map((r) => tableName(model, r));
    const two = s.info.rts.find((r) => r.defaults.length > 1);
    if (two)
      return {
        ok: false,
        message: m(
          `${tableName(model, two)}: 0.0.0.0/0 경로가 ${two.defaults.length}개입니다(${two.defaults.map((d) => model.where(d.at)).join(', ')}). 한 테이블에 같은 대상 대역의 경로는 하나뿐이라 AWS가 둘째를 RouteAlreadyExists로 거부하고, route 블록과 aws_route 리소스를 한 테이블에 섞으면 apply할 때마다 서로 지웁니다.`,
          `${tableName(model, two)}: ${two.defaults.length} routes for 0.0.0.0/0 (${two.defaults.map((d) => model.where(d.at)).join(', ')}). A table holds one route per destination, so AWS refuses the second with RouteAlreadyExists, and inline route blocks and aws_route resources on one table undo each other on every apply.`,
        ),
      };
    const d = ds[0];
    if (d?.target === 'nat') return { ok: true, message: none };
    if (!d)
      return {
        ok: false,
        message:
          s.info.rts.length === 0
            ? m(
                `${w}: 이 서브넷이 쓰는 라우팅 테이블을 찾을 수 없습니다(연결도, VPC의 기본 테이블도 없음).`,
                `${w}: no route table applies to this subnet (no association, and no main table of its VPC).`,
              )
            : m(
                `${w}: 이 서브넷의 라우팅 테이블(${list(tables)})에 0.0.0.0/0 경로가 없어 인터넷으로 나갈 길이 없습니다.`,
                `${w}: its route table (${list(tables)}) has no 0.0.0.0/0 route, so nothing leaves the VPC.`,
              ),
      };
    const via = s.info.rts.some((r) => r.inst === d.at) ? '' : ` (${model.where(d.at)})`;
    if (d.target === 'igw')
      return {
        ok: false,
        message: m(
          `${w}: 이 사설 서브넷의 라우팅 테이블(${list(tables)})이 0.0.0.0/0을 인터넷 게이트웨이로 보냅니다${via}. 인터넷 게이트웨이는 공인 IP가 있는 인스턴스의 트래픽만 내보내는데, 이 서브넷의 앱 서버에는 공인 IP가 없습니다. 그래서 응답 없이 시간 초과가 납니다. 사설 서브넷은 NAT 게이트웨이(nat_gateway_id)로 나갑니다.`,
          `${w}: the route table of this private subnet (${list(tables)}) sends 0.0.0.0/0 to the internet gateway${via}. An internet gateway forwards only instances that have a public address, and the app servers here have none, so their connections time out. A private subnet leaves through a NAT gateway (nat_gateway_id).`,
        ),
      };
    if (d.target === 'nat-as-gateway')
      return {
        ok: false,
        message: m(
          `${model.where(d.at)}: NAT 게이트웨이로 가는 경로는 gateway_id가 아니라 nat_gateway_id에 적습니다.`,
          `${model.where(d.at)}: a route to a NAT gateway goes in nat_gateway_id, not gateway_id.`,
        ),
      };
    return {
      ok: false,
      message: m(
        `${w}: 0.0.0.0/0이 NAT 게이트웨이가 아닌 곳으로 갑니다(${model.where(d.at)}).`,
        `${w}: 0.0.0.0/0 goes somewhere other than a NAT gateway (${model.where(d.at)}).`,
      ),
    };
  });
  // One message per distinct problem: three subnets with the same table say the same thing.
  const failed = parts.filter((p) => !p.ok);
  const first = failed[0];
  const more = failed.length > 1 ? m(` 사설 서브넷 ${failed.length}개가 모두 그렇습니다.`, ` The same holds for ${failed.length} private subnets.`) : none;
  return partial(id, POINTS[id], [{ ok: failed.length === 0, message: first ? m(first.message.ko + more.ko, first.message.en + more.en) : none }]);
}

// ---------------------------------------------------------------------------------------------------------------
// nat-placement: every NAT gateway where it can reach the internet itself

function checkNatPlacement(model: Model, subs: Subnet[]): CheckVerdict {
  const id = 'nat-placement';
  const nats = model.instances('aws_nat_gateway');
  if (nats.length === 0)
    return partial(id, POINTS[id], [
      {
        ok: false,
        message: m(
          'NAT 게이트웨이가 없습니다. 사설 서브넷의 앱 서버가 결제 API와 레지스트리에 닿을 길이 없어집니다.',
          'There is no NAT gateway: the app servers in the private subnets have no way to the payment API and the registries.',
        ),
      },
    ]);
  let problem: B | null = null;
  for (const nat of nats) {
    const w = model.where(nat);
    if (model.attr(nat, 'connectivity_type') === 'private') {
      problem = m(
        `${w}: connectivity_type = "private"인 NAT 게이트웨이는 인터넷으로 나가지 못합니다.`,
        `${w}: a NAT gateway with connectivity_type = "private" cannot reach the internet.`,
      );
      break;
    }
    if (!refTo(model.attr(nat, 'allocation_id'), 'aws_eip')) {
      problem = m(
        `${w}: allocation_id가 이 설정의 aws_eip를 가리키지 않습니다. 공용 NAT 게이트웨이에는 Elastic IP가 필요합니다.`,
        `${w}: allocation_id does not refer to an aws_eip of this configuration; a public NAT gateway needs an Elastic IP.`,
      );
      break;
    }
    const s = subs.find((x) => x.inst === refTo(model.attr(nat, 'subnet_id'), 'aws_subnet'));
    if (!s) {
      problem = m(`${w}: subnet_id가 이 설정의 aws_subnet을 가리키지 않습니다.`, `${w}: subnet_id does not point at an aws_subnet of this configuration.`);
      break;
    }
    const d = defaults(s.info.rts)[0];
    if (s.role === 'private' || d?.target !== 'igw') {
      const where = d
        ? d.target === 'igw'
          ? m('인터넷 게이트웨이', 'the internet gateway')
          : d.target === 'nat' || d.target === 'nat-as-gateway'
            ? m('NAT 게이트웨이', 'a NAT gateway')
            : m('다른 대상', 'something else')
        : m('아무 데도 없음', 'nowhere');
      problem = m(
        `${w}: NAT 게이트웨이가 ${s.role === 'private' ? '사설' : '공개'} 서브넷 ${s.inst.addr}에 있습니다(그 서브넷의 0.0.0.0/0 → ${where.ko}). NAT 게이트웨이는 사설 서브넷의 트래픽을 받아 자기 서브넷의 경로로 인터넷 게이트웨이에 내보냅니다. 그래서 자기 자신이 인터넷 게이트웨이로 가는 공개 서브넷에 있어야 하고, 사설 서브넷에 있으면 NAT 게이트웨이도 나갈 길이 없습니다.`,
        `${w}: the NAT gateway sits in the ${s.role} subnet ${s.inst.addr} (its 0.0.0.0/0 → ${where.en}). A NAT gateway takes the private subnets' traffic and sends it out through its own subnet's route to the internet gateway, so it must itself sit in a public subnet whose route reaches the internet gateway; in a private subnet it has no way out either.`,
      );
      break;
    }
  }
  return partial(id, POINTS[id], [{ ok: problem === null, message: problem ?? none }]);
}

// ---------------------------------------------------------------------------------------------------------------
// The security group chain

interface Groups {
  alb: Instance | null;
  app: Instance | null;
  db: Instance | null;
  rules: Rule[];
}

function missingGroups(g: Groups): B | null {
  const gone = (['alb', 'app', 'db'] as const).filter((k) => !g[k]);
  return gone.length
    ? m(
        `보안 그룹 ${gone.map((k) => `aws_security_group.${k}`).join(', ')}가 없습니다.`,
        `The security group(s) ${gone.map((k) => `aws_security_group.${k}`).join(', ')} are missing.`,
      )
    : null;
}

function checkAlbToApp(model: Model, g: Groups, privateCidrs: string[]): CheckVerdict {
  const id = 'alb-to-app';
  const gone = missingGroups(g);
  if (gone) return partial(id, POINTS[id], [{ ok: false, message: gone }]);
  const [alb, app, rules] = [g.alb!, g.app!, g.rules];
  const appIn = rules.filter((r) => r.group === app && r.dir === 'ingress');
  const fromAlb = appIn.some((r) => r.peer.kind === 'group' && r.peer.group === alb && allowsTcp(r, 8080));
  const self = appIn.find((r) => r.peer.kind === 'group' && r.peer.group === app && allowsTcp(r, 8080));
  const ranges = appIn.filter((r) => isRange(r.peer));
  const albOut8080 = rules.filter((r) => r.group === alb && r.dir === 'egress' && allowsTcp(r, 8080));
  const albOut = albOut8080.some((r) => r.peer.kind === 'group' && r.peer.group === app) || rangesCover(albOut8080, privateCidrs);
  return partial(id, POINTS[id], [
    {
      ok: fromAlb,
      message: self
        ? m(
            `${describeRule(model, self).ko}: 이 규칙의 출처가 앱 그룹 자신입니다. 그래서 8080은 앱 서버끼리만 열려 있고, 로드 밸런서의 헬스 체크와 요청은 막혀 시간 초과가 납니다(Target.Timeout). 출처는 로드 밸런서의 그룹이어야 합니다.`,
            `${describeRule(model, self).en}: this rule's source is the app's own group, so 8080 is open only between app servers, and the load balancer's health checks and requests are dropped and time out (Target.Timeout). Its source must be the load balancer's group.`,
          )
        : m(
            `${model.where(app)}: 앱 그룹에 로드 밸런서 그룹(aws_security_group.alb)에서 들어오는 tcp 8080을 허용하는 규칙이 없습니다.`,
            `${model.where(app)}: no rule of the app's group admits tcp 8080 from the load balancer's group (aws_security_group.alb).`,
          ),
    },
    {
      ok: ranges.length === 0,
      message: ranges.length
        ? m(
            `${describeRule(model, ranges[0]!).ko}: 앱 서버를 주소 대역에 열면 로드 밸런서만이 아니라 그 대역의 누구나 들어옵니다${isAnywhere(ranges[0]!.peer) ? '(0.0.0.0/0이면 인터넷 전체)' : '(VPC 대역이면 VPC 안의 모든 것)'}. 로드 밸런서의 보안 그룹을 출처로 하는 규칙 하나면 됩니다.`,
            `${describeRule(model, ranges[0]!).en}: opening the app servers to an address range lets in everyone in it, not just the load balancer${isAnywhere(ranges[0]!.peer) ? ' (with 0.0.0.0/0, the whole internet)' : ' (with the VPC range, everything in the VPC)'}. One rule whose source is the load balancer's security group is all it takes.`,
          )
        : none,
    },
    {
      ok: albOut,
      message: m(
        `${model.where(alb)}: 로드 밸런서 그룹에 앱 그룹으로 나가는 tcp 8080 egress 규칙이 없습니다. Terraform이 관리하는 보안 그룹에는 기본 egress 규칙이 없어, 양쪽 끝에 규칙이 하나씩 필요합니다.`,
        `${model.where(alb)}: the load balancer's group has no egress rule for tcp 8080 to the app's group. A group Terraform manages has no default egress rule, so each hop needs a rule on both ends.`,
      ),
    },
  ]);
}

function checkDb(model: Model, g: Groups, privateCidrs: string[]): CheckVerdict {
  const id = 'db-from-app-only';
  const gone = missingGroups(g);
  if (gone) return partial(id, POINTS[id], [{ ok: false, message: gone }]);
  const [app, db, rules] = [g.app!, g.db!, g.rules];
  const dbIn = rules.filter((r) => r.group === db && r.dir === 'ingress');
  const fromApp = dbIn.some((r) => r.peer.kind === 'group' && r.peer.group === app && allowsTcp(r, 3306));
  const extra = dbIn.filter((r) => !(r.peer.kind === 'group' && r.peer.group === app && onlyTcpPort(r, 3306)));
  const appOut3306 = rules.filter((r) => r.group === app && r.dir === 'egress' && allowsTcp(r, 3306));
  const appOut = appOut3306.some((r) => r.peer.kind === 'group' && r.peer.group === db) || rangesCover(appOut3306, privateCidrs);
  // An egress rule for 3306 written on the database's own group: the app's side of the hop is missing.
  const misplaced = rules.find((r) => r.group === db && r.dir === 'egress' && allowsTcp(r, 3306));
  const e = extra[0];
  return partial(id, POINTS[id], [
    {
      ok: fromApp,
      message: m(
        `${model.where(db)}: 데이터베이스 그룹에 앱 그룹에서 들어오는 tcp 3306을 허용하는 규칙이 없어 앱이 데이터베이스에 닿지 못합니다. 규칙을 지우는 것은 고친 것이 아닙니다.`,
        `${model.where(db)}: no rule of the database's group admits tcp 3306 from the app's group, so the app cannot reach its database. Deleting rules is not a fix.`,
      ),
    },
    {
      ok: !e,
      message: e
        ? isAnywhere(e.peer)
          ? m(
              `${describeRule(model, e).ko}: 데이터베이스가 인터넷 전체에 열려 있습니다(Security Hub [EC2.19]). 앱이 데이터베이스에 닿지 못하는 원인은 이 그룹이 아니었으니, 이 규칙은 아무것도 고치지 못하고 위험만 남깁니다.`,
              `${describeRule(model, e).en}: the database is open to the whole internet (Security Hub [EC2.19]). This group was not what kept the app from its database, so the rule fixes nothing and only adds risk.`,
            )
          : m(
              `${describeRule(model, e).ko}: 데이터베이스 그룹은 앱 그룹에서 오는 tcp 3306만 받아야 합니다. 대역, 다른 그룹, 더 넓은 포트는 필요 없는 길을 엽니다.`,
              `${describeRule(model, e).en}: the database's group admits tcp 3306 from the app's group and nothing else; a range, another group or wider ports open ways nobody needs.`,
            )
        : none,
    },
    {
      ok: appOut,
      message: misplaced
        ? m(
            `${describeRule(model, misplaced).ko}: 3306 egress 규칙이 데이터베이스 그룹에 붙어 있습니다. 앱에서 데이터베이스로 가는 연결은 앱 그룹에서 나가므로, 앱 그룹에 데이터베이스 그룹으로 나가는 tcp 3306 규칙이 있어야 합니다(보안 그룹은 상태 저장이라 응답에는 규칙이 필요 없습니다).`,
            `${describeRule(model, misplaced).en}: the 3306 egress rule sits on the database's group. The app's connection to the database leaves through the app's group, so the app's group needs an egress rule for tcp 3306 to the database's group (groups are stateful: the replies need no rule).`,
          )
        : m(
            `${model.where(app)}: 앱 그룹에 데이터베이스 그룹으로 나가는 tcp 3306 egress 규칙이 없어 연결이 ETIMEDOUT으로 끝납니다.`,
            `${model.where(app)}: the app's group has no egress rule for tcp 3306 to the database's group, so the connection ends in ETIMEDOUT.`,
          ),
    },
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// rest-intact: what the working network had

function checkRest(model: Model, net: Network, subs: Subnet[], g: Groups): CheckVerdict {
  const id = 'rest-intact';
  // 1. The VPC.
  let vpcMsg: B | null = null;
  if (!net.vpc) vpcMsg = m(`aws_vpc가 하나여야 하는데 ${net.vpcs.length}개입니다.`, `There must be one aws_vpc; there are ${net.vpcs.length}.`);
  else {
    const c = model.attr(net.vpc, 'cidr_block');
    if (c !== VPC_CIDR)
      vpcMsg = m(
        `${model.where(net.vpc)}: VPC 대역이 ${showVal(c ?? null)}입니다. VPC의 대역(${VPC_CIDR})은 바꾸면 VPC가 교체됩니다.`,
        `${model.where(net.vpc)}: the VPC's range is ${showVal(c ?? null)}; changing it (${VPC_CIDR}) replaces the VPC.`,
      );
    else if (!isTrue(model.attr(net.vpc, 'enable_dns_hostnames')) || model.attr(net.vpc, 'enable_dns_support') === false)
      vpcMsg = m(
        `${model.where(net.vpc)}: VPC의 DNS 설정(enable_dns_support, enable_dns_hostnames)이 꺼졌습니다.`,
        `${model.where(net.vpc)}: the VPC's DNS settings (enable_dns_support, enable_dns_hostnames) were turned off.`,
      );
  }
  // 2. The public side and the private subnets' addresses.
  let publicMsg: B | null = null;
  const igws = model.instances('aws_internet_gateway');
  const pubNotIgw = subs.find((s) => s.role === 'public' && defaults(s.info.rts)[0]?.target !== 'igw');
  const pubNoIp = subs.find((s) => s.role === 'public' && !s.info.mapPublic);
  const privIp = subs.find((s) => s.role === 'private' && s.info.mapPublic);
  if (igws.length === 0 || !igws.some((i) => net.vpc && refTo(model.attr(i, 'vpc_id'), 'aws_vpc') === net.vpc))
    publicMsg = m('VPC에 붙은 인터넷 게이트웨이가 없습니다.', 'No internet gateway is attached to the VPC.');
  else if (pubNotIgw)
    publicMsg = m(
      `${model.where(pubNotIgw.inst)}: 공개 서브넷의 0.0.0.0/0이 더 이상 인터넷 게이트웨이로 가지 않습니다. 로드 밸런서가 인터넷에서 닿지 않습니다.`,
      `${model.where(pubNotIgw.inst)}: this public subnet's 0.0.0.0/0 no longer goes to the internet gateway, so the load balancer cannot be reached from the internet.`,
    );
  else if (pubNoIp)
    publicMsg = m(
      `${model.where(pubNoIp.inst)}: 공개 서브넷의 map_public_ip_on_launch = true가 사라졌습니다.`,
      `${model.where(pubNoIp.inst)}: the public subnet lost map_public_ip_on_launch = true.`,
    );
  else if (privIp)
    publicMsg = m(
      `${model.where(privIp.inst)}: 사설 서브넷이 공인 IP를 줍니다(map_public_ip_on_launch = true). 앱 서버와 데이터베이스는 인터넷에서 주소로 닿으면 안 됩니다.`,
      `${model.where(privIp.inst)}: a private subnet hands out public addresses (map_public_ip_on_launch = true); the app servers and the database must not be addressable from the internet.`,
    );
  // 3. Each private subnet leaves through the NAT gateway of its own zone, as in the working network.
  let natMsg: B | null = null;
  for (const s of subs.filter((x) => x.role === 'private')) {
    const d = defaults(s.info.rts)[0];
    if (d?.target !== 'nat' || !d.to) continue; // the private-route check's business
    const natZone = subs.find((x) => x.inst === refTo(model.attr(d.to!, 'subnet_id'), 'aws_subnet'))?.zone;
    if (natZone && s.zone && natZone !== s.zone) {
      natMsg = m(
        `${model.where(s.inst)}(${zoneName(s.zone)})가 다른 가용 영역(${zoneName(natZone)})의 NAT 게이트웨이 ${d.to.addr}로 나갑니다. 원래 설정은 영역마다 자기 NAT 게이트웨이로 나가서, 한 영역이 멈춰도 다른 영역의 앱 서버는 밖으로 나갈 수 있었습니다(영역을 건너는 트래픽 요금도 없었습니다).`,
        `${model.where(s.inst)} (${zoneName(s.zone)}) leaves through ${d.to.addr}, a NAT gateway in another zone (${zoneName(natZone)}). In the working network each zone left through its own NAT gateway, so one zone going down left the others a way out (and no cross-zone traffic was billed).`,
      );
      break;
    }
  }
  // 4. The rules of the chain that worked: HTTPS into the load balancer, HTTPS out of the app.
  let chainMsg: B | null = null;
  if (g.alb && g.app) {
    const httpsIn = g.rules.some((r) => r.group === g.alb && r.dir === 'ingress' && allowsTcp(r, 443) && isAnywhere(r.peer));
    const httpsOut = g.rules.some((r) => r.group === g.app && r.dir === 'egress' && allowsTcp(r, 443) && isAnywhere(r.peer));
    if (!httpsIn)
      chainMsg = m(
        `${model.where(g.alb)}: 로드 밸런서가 인터넷(0.0.0.0/0)에서 오는 HTTPS(443)를 더 이상 받지 않습니다. 쇼핑몰이 손님에게서 끊깁니다.`,
        `${model.where(g.alb)}: the load balancer no longer admits HTTPS (443) from the internet (0.0.0.0/0): the shop is cut off from its customers.`,
      );
    else if (!httpsOut)
      chainMsg = m(
        `${model.where(g.app)}: 앱 서버가 HTTPS(443)로 밖에 나가는 규칙이 사라졌습니다. 결제 API와 레지스트리에 닿지 못합니다.`,
        `${model.where(g.app)}: the app servers' egress rule for HTTPS (443) is gone: they cannot reach the payment API and the registries.`,
      );
  } else chainMsg = missingGroups(g);
  // 5. Rules AWS and the provider accept: one style per group, no duplicates.
  let hygieneMsg: B | null = null;
  const mixed = mixedStyles(g.rules)[0];
  const dup = duplicates(g.rules);
  if (mixed)
    hygieneMsg = m(
      `${model.where(mixed.group)}: 이 그룹의 규칙이 여러 방식(${mixed.styles.join(', ')})으로 적혀 있습니다. 인라인 ingress/egress 블록, aws_security_group_rule, aws_vpc_security_group_*_rule을 한 그룹에 섞으면 apply할 때마다 서로의 규칙을 덮어씁니다(프로바이더 문서의 경고). 한 방식으로만 쓰세요.`,
      `${model.where(mixed.group)}: this group's rules are written in more than one style (${mixed.styles.join(', ')}). Inline ingress/egress blocks, aws_security_group_rule and aws_vpc_security_group_*_rule on one group overwrite each other on every apply (the provider's documentation warns about it); use one style.`,
    );
  else if (dup)
    hygieneMsg = m(
      `${model.where(dup[0].at)}와 ${model.where(dup[1].at)}가 같은 규칙입니다. AWS는 둘째를 InvalidPermission.Duplicate로 거부합니다.`,
      `${model.where(dup[0].at)} and ${model.where(dup[1].at)} are the same rule: AWS refuses the second with InvalidPermission.Duplicate.`,
    );
  return partial(id, POINTS[id], [
    { ok: vpcMsg === null, message: vpcMsg ?? none },
    { ok: publicMsg === null, message: publicMsg ?? none },
    { ok: natMsg === null, message: natMsg ?? none },
    { ok: chainMsg === null, message: chainMsg ?? none },
    { ok: hygieneMsg === null, message: hygieneMsg ?? none },
  ]);
}

export async function grade(sub: Submission, ctx?: GradeContext): Promise<GraderVerdict> {
  const model = await loadModel(sub, { main: 'network.tf' });
  const net = analyse(model);
  const subs = subnetsOf(model, net);
  const privateCidrs = subs.filter((s) => s.role === 'private' && s.cidr).map((s) => s.cidr!);
  const groups: Groups = { alb: findGroup(model, 'alb'), app: findGroup(model, 'app'), db: findGroup(model, 'db'), rules: readRules(model) };
  const { checks, report } = reporter(ctx);
  report(checkSubnetRanges(model, net, subs));
  report(checkPrivateRoute(model, subs));
  report(checkNatPlacement(model, subs));
  report(checkAlbToApp(model, groups, privateCidrs));
  report(checkDb(model, groups, privateCidrs));
  report(checkRest(model, net, subs, groups));
  return { gradable: true, checks };
}
