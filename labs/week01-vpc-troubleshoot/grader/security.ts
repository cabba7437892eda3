/**
 * Security group rules as AWS applies them, from the three ways Terraform can write them: the separate
 * aws_vpc_security_group_ingress_rule / egress_rule resources (the shop's style), the older aws_security_group_rule, and
 * inline ingress/egress blocks of aws_security_group (written out or `dynamic`). A rule allows a protocol and port range
 * from (ingress) or to (egress) a peer: an IPv4/IPv6 range, another group, the group itself, or a prefix list.
 * Nothing is guessed: a rule whose group, ports or peer cannot be worked out is kept with the reason.
 */
import { msg as m } from '../../../grader-kit/index';
import { parseCidr, contains } from '../../../grader-kit/cidr';
import { Unknown, clip, type Instance, type Model, type Val } from '../../../grader-kit/tf-model';
import { refTo, why, type B } from '../../../grader-kit/tf-aws-network';

export type Direction = 'ingress' | 'egress';
export type Style = 'rule-resource' | 'legacy-rule' | 'inline';

export type Peer = { kind: 'cidr'; cidr: string } | { kind: 'group'; group: Instance } | { kind: 'prefix-list' } | { kind: 'unknown'; why: B };

export interface Rule {
  /** The group the rule belongs to, or null when its security_group_id is not one of this configuration's groups. */
  group: Instance | null;
  dir: Direction;
  /** 'tcp', 'udp', 'icmp', 'all', another protocol's name or number, or null when unknown. */
  proto: string | null;
  from: number | null;
  to: number | null;
  peer: Peer;
  /** Where the rule is written: its own resource, or the group that holds it inline. */
  at: Instance;
  style: Style;
}

const PROTOCOLS: Record<string, string> = { '-1': 'all', all: 'all', '6': 'tcp', tcp: 'tcp', '17': 'udp', udp: 'udp', '1': 'icmp', icmp: 'icmp' };

function proto(v: Val | undefined): string | null {
  if (typeof v === 'number') return PROTOCOLS[String(v)] ?? String(v);
  if (typeof v === 'string') return PROTOCOLS[v.trim().toLowerCase()] ?? v.trim().toLowerCase();
  return null;
}

const port = (v: Val | undefined): number | null =>
  typeof v === 'number' && Number.isInteger(v) ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : null;

/** Does the rule let tcp traffic on this port through? All protocols do; a port range must hold the port. */
export function allowsTcp(r: Rule, p: number): boolean {
  if (r.proto === 'all') return true;
  if (r.proto !== 'tcp') return false;
  if (r.from === null || r.to === null) return false;
  // from_port = -1 / to_port = -1 with tcp is refused by AWS; 0-65535 is every port.
  return r.from <= p && p <= r.to;
}

/** Exactly one tcp port, as the shop's rules are written (a wider range or all protocols opens more than that). */
export function onlyTcpPort(r: Rule, p: number): boolean {
  return r.proto === 'tcp' && r.from === p && r.to === p;
}

/** A peer that is an address range (any size, including 0.0.0.0/0 and ::/0), rather than a security group. */
export function isRange(peer: Peer): peer is { kind: 'cidr'; cidr: string } {
  return peer.kind === 'cidr';
}

export function isAnywhere(peer: Peer): boolean {
  return peer.kind === 'cidr' && (peer.cidr === '0.0.0.0/0' || peer.cidr === '::/0');
}

/** Whether the rules' address ranges together hold every one of the given ranges (group peers never do). */
export function rangesCover(rules: Rule[], inner: string[]): boolean {
  const outers = rules.flatMap((r) => (r.peer.kind === 'cidr' ? [parseCidr(r.peer.cidr)] : [])).filter((c) => c !== null);
  return (
    inner.length > 0 &&
    inner.every((x) => {
      const c = parseCidr(x);
      return !!c && outers.some((o) => contains(o, c));
    })
  );
}

export function describePeer(peer: Peer): B {
  switch (peer.kind) {
    case 'cidr':
      return m(peer.cidr, peer.cidr);
    case 'group':
      return m(`${clip(peer.group.addr)} 그룹`, `the group ${clip(peer.group.addr)}`);
    case 'prefix-list':
      return m('접두사 목록', 'a prefix list');
    case 'unknown':
      return m(`알 수 없는 대상(${peer.why.ko})`, `an unknown peer (${peer.why.en})`);
  }
}

export function describeRule(model: Model, r: Rule): B {
  const ports =
    r.proto === 'all'
      ? m('모든 트래픽', 'all traffic')
      : r.from === r.to
        ? m(`${r.proto} ${r.from}`, `${r.proto} ${r.from}`)
        : m(`${r.proto} ${r.from}-${r.to}`, `${r.proto} ${r.from}-${r.to}`);
  const peer = describePeer(r.peer);
  const where = model.where(r.at);
  return r.dir === 'ingress'
    ? m(`${where}: ${peer.ko}에서 들어오는 ${ports.ko}`, `${where}: ${ports.en} in from ${peer.en}`)
    : m(`${where}: ${peer.ko}(으)로 나가는 ${ports.ko}`, `${where}: ${ports.en} out to ${peer.en}`);
}

/** Peers of one rule: several when a list (cidr_blocks, security_groups) names several. */
function peersOf(
  model: Model,
  v: {
    cidrs?: Val | undefined;
    cidrs6?: Val | undefined;
    groups?: Val | undefined;
    group?: Val | undefined;
    cidr?: Val | undefined;
    cidr6?: Val | undefined;
    prefix?: Val | undefined;
    self?: boolean;
    owner: Instance | null;
  },
): Peer[] {
  const out: Peer[] = [];
  const addCidr = (x: Val | undefined) => {
    if (x === undefined || x === null) return;
    if (typeof x === 'string') out.push({ kind: 'cidr', cidr: x.trim() });
    else out.push({ kind: 'unknown', why: x instanceof Unknown ? why(x) : m('대역이 문자열이 아닙니다', 'the range is not a string') });
  };
  const addGroup = (x: Val | undefined) => {
    if (x === undefined || x === null) return;
    const g = refTo(x, 'aws_security_group');
    out.push(
      g
        ? { kind: 'group', group: g }
        : {
            kind: 'unknown',
            why: x instanceof Unknown ? why(x) : m('이 설정의 보안 그룹 id가 아닙니다', 'not the id of a security group of this configuration'),
          },
    );
  };
  const list = (x: Val | undefined, add: (y: Val) => void) => {
    if (x === undefined || x === null) return;
    if (Array.isArray(x)) x.forEach(add);
    else out.push({ kind: 'unknown', why: x instanceof Unknown ? why(x) : m('목록이 아닙니다', 'not a list') });
  };
  addCidr(v.cidr);
  addCidr(v.cidr6);
  list(v.cidrs, addCidr);
  list(v.cidrs6, addCidr);
  addGroup(v.group);
  list(v.groups, addGroup);
  if (v.prefix !== undefined && v.prefix !== null) out.push({ kind: 'prefix-list' });
  if (v.self && v.owner) out.push({ kind: 'group', group: v.owner });
  return out;
}

/** Every rule of the configuration, one per peer, with the groups they belong to. */
export function readRules(model: Model): Rule[] {
  const rules: Rule[] = [];
  for (const dir of ['ingress', 'egress'] as const) {
    for (const at of model.instances(`aws_vpc_security_group_${dir}_rule`)) {
      const group = refTo(model.attr(at, 'security_group_id'), 'aws_security_group');
      const base = {
        group,
        dir,
        proto: proto(model.attr(at, 'ip_protocol')),
        from: port(model.attr(at, 'from_port')),
        to: port(model.attr(at, 'to_port')),
        at,
        style: 'rule-resource' as const,
      };
      const peers = peersOf(model, {
        cidr: model.attr(at, 'cidr_ipv4'),
        cidr6: model.attr(at, 'cidr_ipv6'),
        group: model.attr(at, 'referenced_security_group_id'),
        prefix: model.attr(at, 'prefix_list_id'),
        owner: group,
      });
      for (const peer of peers.length
        ? peers
        : [
            {
              kind: 'unknown',
              why: m('대상(cidr_ipv4, referenced_security_group_id ...)이 없습니다', 'no peer (cidr_ipv4, referenced_security_group_id, ...)'),
            } as Peer,
          ])
        rules.push({ ...base, peer });
    }
  }
  for (const at of model.instances('aws_security_group_rule')) {
    const t = model.attr(at, 'type');
    if (t !== 'ingress' && t !== 'egress') continue;
    const group = refTo(model.attr(at, 'security_group_id'), 'aws_security_group');
    const base = {
      group,
      dir: t as Direction,
      proto: proto(model.attr(at, 'protocol')),
      from: port(model.attr(at, 'from_port')),
      to: port(model.attr(at, 'to_port')),
      at,
      style: 'legacy-rule' as const,
    };
    const self = model.attr(at, 'self');
    for (const peer of peersOf(model, {
      cidrs: model.attr(at, 'cidr_blocks'),
      cidrs6: model.attr(at, 'ipv6_cidr_blocks'),
      group: model.attr(at, 'source_security_group_id'),
      self: self === true || self === 'true',
      owner: group,
      prefix: model.attr(at, 'prefix_list_ids'),
    }))
      rules.push({ ...base, peer });
  }
  for (const g of model.instances('aws_security_group')) {
    for (const dir of ['ingress', 'egress'] as const) {
      for (const b of model.nestedBlocks(g, dir).blocks) {
        const get = (k: string) => b.get(k);
        const base = { group: g, dir, proto: proto(get('protocol')), from: port(get('from_port')), to: port(get('to_port')), at: g, style: 'inline' as const };
        const self = get('self');
        const prefixes = get('prefix_list_ids');
        for (const peer of peersOf(model, {
          cidrs: get('cidr_blocks'),
          cidrs6: get('ipv6_cidr_blocks'),
          groups: get('security_groups'),
          self: self === true || self === 'true',
          owner: g,
          prefix: Array.isArray(prefixes) && prefixes.length ? prefixes : undefined,
        }))
          rules.push({ ...base, peer });
      }
    }
  }
  return rules;
}

/** The shop's group for a role: the block named alb/app/db, else a group whose name ends with -alb/-app/-db. */
export function findGroup(model: Model, role: 'alb' | 'app' | 'db'): Instance | null {
  const groups = model.instances('aws_security_group');
  const byBlock = groups.find((g) => g.block.name === role);
  if (byBlock) return byBlock;
  return (
    groups.find((g) => {
      const n = model.attr(g, 'name');
      return typeof n === 'string' && n.endsWith(`-${role}`);
    }) ?? null
  );
}

/** Groups whose rules are written in more than one style: the provider warns that they overwrite each other. */
export function mixedStyles(rules: Rule[]): { group: Instance; styles: Style[] }[] {
  const by = new Map<Instance, Set<Style>>();
  for (const r of rules) if (r.group) by.set(r.group, (by.get(r.group) ?? new Set()).add(r.style));
  return [...by.entries()].filter(([, s]) => s.size > 1).map(([group, s]) => ({ group, styles: [...s].sort() }));
}

/** Two rule resources that say the same thing: AWS refuses the second (InvalidPermission.Duplicate). */
export function duplicates(rules: Rule[]): [Rule, Rule] | null {
  const seen = new Map<string, Rule>();
  for (const r of rules) {
    if (!r.group || r.peer.kind === 'unknown' || r.style === 'inline') continue;
    const peer = r.peer.kind === 'cidr' ? r.peer.cidr : r.peer.kind === 'group' ? r.peer.group.addr : 'pl';
    const key = [r.group.addr, r.dir, r.proto, r.from, r.to, peer].join('|');
    const first = seen.get(key);
    if (first && first.at !== r.at) return [first, r];
    seen.set(key, r);
  }
  return null;
}
