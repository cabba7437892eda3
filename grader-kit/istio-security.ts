/**
 * The effective security of the mesh, as Istio's proxies would enforce it:
 * - server side: the PeerAuthentication mode a workload accepts on a port (workload selector over namespace over the
 *   root namespace; UNSET inherits; portLevelMtls for the port; PERMISSIVE when nothing applies);
 * - client side: the tls mode a caller's sidecar uses toward a host, subset and port (subset port settings over the
 *   subset's, over the host's port settings, over the host's; nothing set means auto mTLS, on by default);
 * - authorization: Istio's evaluation of AuthorizationPolicies for a request (CUSTOM, then DENY, then ALLOW; with any
 *   ALLOW policy on a workload, a request no ALLOW policy matches is denied).
 */
import { get, isObj, type Json, type PathPart } from './yamldocs';
import { arr, labelsOf, NAMESPACE, ROOT_NAMESPACE, str, subsetOf, type Model, type Res } from './istio-model';
import { destinationRulesFor, FRONTEND, type Caller } from './istio-routing';

export interface Workload {
  ns: string;
  labels: Record<string, string>;
  /** How to name it in a message. */
  name: { ko: string; en: string };
}

// ── server side ─────────────────────────────────────────────────────────────────────────────────────────────────

export interface PeerMode {
  mode: string;
  /** The resource and field that decided it, or undefined for Istio's default. */
  from?: { res: Res; path: PathPart[] };
}

export function peerMode(m: Model, w: Workload, port: number): PeerMode {
  const pas = m.resources.filter((r) => r.kind === 'PeerAuthentication');
  const selectorOf = (r: Res) => labelsOf(get(r.value, ['spec', 'selector', 'matchLabels']));
  const mesh = pas.filter((r) => r.ns === ROOT_NAMESPACE && !Object.keys(selectorOf(r)).length);
  const ns = w.ns === ROOT_NAMESPACE ? [] : pas.filter((r) => r.ns === w.ns && !Object.keys(selectorOf(r)).length);
  const workload = pas.filter((r) => r.ns === w.ns && Object.keys(selectorOf(r)).length && subsetOf(selectorOf(r), w.labels));
  let out: PeerMode = { mode: 'PERMISSIVE' };
  // From the widest to the narrowest: each level that sets a mode (not UNSET) overrides the one above it.
  for (const level of [mesh, ns, workload]) {
    const r = level[0];
    if (!r) continue;
    const mode = str(get(r.value, ['spec', 'mtls', 'mode']));
    if (mode && mode !== 'UNSET') out = { mode, from: { res: r, path: ['spec', 'mtls', 'mode'] } };
    if (level === workload) {
      const pl = get(r.value, ['spec', 'portLevelMtls', String(port), 'mode']);
      if (typeof pl === 'string' && pl !== 'UNSET') out = { mode: pl, from: { res: r, path: ['spec', 'portLevelMtls', String(port), 'mode'] } };
    }
  }
  return out;
}

// ── client side ─────────────────────────────────────────────────────────────────────────────────────────────────

export interface ClientTls {
  /** ISTIO_MUTUAL, DISABLE, SIMPLE, MUTUAL, or undefined: auto mTLS. */
  mode?: string;
  from?: { res: Res; path: PathPart[] };
}

export function clientTls(m: Model, host: string, subset: string | undefined, port: number, caller: Caller = FRONTEND): ClientTls {
  for (const dr of destinationRulesFor(m, host, caller)) {
    const policies: PathPart[][] = [];
    if (subset !== undefined) {
      const i = arr(get(dr.value, ['spec', 'subsets'])).findIndex((s) => isObj(s) && s.name === subset);
      if (i >= 0) policies.push(['spec', 'subsets', i, 'trafficPolicy']);
    }
    policies.push(['spec', 'trafficPolicy']);
    for (const p of policies) {
      const j = arr(get(dr.value, [...p, 'portLevelSettings'])).findIndex((s) => get(s, ['port', 'number']) === port);
      const candidates: PathPart[][] = [...(j >= 0 ? [[...p, 'portLevelSettings', j, 'tls']] : []), [...p, 'tls']];
      for (const c of candidates) {
        const mode = get(dr.value, [...c, 'mode']);
        if (isObj(get(dr.value, c))) return { mode: typeof mode === 'string' ? mode : 'DISABLE', from: { res: dr, path: [...c, 'mode'] } };
      }
    }
  }
  return {};
}

// ── authorization ───────────────────────────────────────────────────────────────────────────────────────────────

export interface AuthzRequest {
  /** The peer's identity from its certificate, or null for plain text. */
  principal: string | null;
  ns: string | null;
  serviceAccount: string | null;
  ip: string;
  method: string;
  path: string;
  port: number;
  hosts: string[];
  headers: Record<string, string>;
}

export interface Decision {
  allowed: boolean;
  /** What decided: a DENY policy that matched, the ALLOW policy and rule that matched, or no ALLOW that matched. */
  by: { kind: 'deny' | 'allow'; res: Res; rule: number } | { kind: 'no-allow'; policies: Res[] } | { kind: 'no-policy' };
  /** Conditions the grader could not evaluate (counted as not matching). */
  unknown: string[];
}

const TRUST_DOMAIN = 'cluster.local';

/** Istio's string match in policies: exact, "prefix*", "*suffix", or "*" for any non-empty value. */
function glob(pattern: string, value: string | null): boolean {
  if (value === null || value === '') return false;
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  return pattern === value;
}

function inCidr(ip: string, block: string): boolean {
  const [net, bits = '32'] = block.split('/');
  const toInt = (a: string) => a.split('.').reduce((n, o) => (n << 8) + Number(o), 0) >>> 0;
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(net!) || !/^\d+$/.test(bits)) return false;
  const b = Number(bits);
  const mask = b === 0 ? 0 : (~0 << (32 - b)) >>> 0;
  return (toInt(ip) & mask) === (toInt(net!) & mask);
}

type Tri = boolean;

function anyMatch(list: Json | undefined, test: (x: string) => boolean): boolean | undefined {
  if (!Array.isArray(list)) return undefined;
  return list.some((x) => typeof x === 'string' && test(x));
}

function sourceMatches(s: Json | undefined, r: AuthzRequest, policyNs: string): Tri {
  if (!isObj(s)) return true;
  const sa = (x: string) => (x.includes('/') ? x : `${policyNs}/${x}`);
  const checks: [Json | undefined, (x: string) => boolean, boolean][] = [
    [s.principals, (x) => glob(x, r.principal), true],
    [s.notPrincipals, (x) => glob(x, r.principal), false],
    [s.namespaces, (x) => glob(x, r.ns), true],
    [s.notNamespaces, (x) => glob(x, r.ns), false],
    [s.serviceAccounts, (x) => r.ns !== null && sa(x) === `${r.ns}/${r.serviceAccount}`, true],
    [s.notServiceAccounts, (x) => r.ns !== null && sa(x) === `${r.ns}/${r.serviceAccount}`, false],
    [s.trustDomains, (x) => glob(x, r.principal ? TRUST_DOMAIN : null), true],
    [s.notTrustDomains, (x) => glob(x, r.principal ? TRUST_DOMAIN : null), false],
    [s.ipBlocks, (x) => inCidr(r.ip, x), true],
    [s.notIpBlocks, (x) => inCidr(r.ip, x), false],
    [s.remoteIpBlocks, (x) => inCidr(r.ip, x), true],
    [s.notRemoteIpBlocks, (x) => inCidr(r.ip, x), false],
    // The hidden requests carry no JWT: requestPrincipals never match, notRequestPrincipals always do.
    [s.requestPrincipals, () => false, true],
    [s.notRequestPrincipals, () => false, false],
  ];
  for (const [list, test, positive] of checks) {
    const hit = anyMatch(list, test);
    if (hit === undefined) continue;
    if (hit !== positive) return false;
  }
  return true;
}

function operationMatches(o: Json | undefined, r: AuthzRequest): Tri {
  if (!isObj(o)) return true;
  const checks: [Json | undefined, (x: string) => boolean, boolean][] = [
    [o.methods, (x) => glob(x, r.method), true],
    [o.notMethods, (x) => glob(x, r.method), false],
    [o.paths, (x) => glob(x, r.path), true],
    [o.notPaths, (x) => glob(x, r.path), false],
    [o.ports, (x) => x === String(r.port), true],
    [o.notPorts, (x) => x === String(r.port), false],
    [o.hosts, (x) => r.hosts.some((h) => glob(x.toLowerCase(), h)), true],
    [o.notHosts, (x) => r.hosts.some((h) => glob(x.toLowerCase(), h)), false],
  ];
  for (const [list, test, positive] of checks) {
    const hit = anyMatch(list, test);
    if (hit === undefined) continue;
    if (hit !== positive) return false;
  }
  return true;
}

function conditionValue(key: string, r: AuthzRequest): string | null | undefined {
  const header = /^request\.headers\[(.+)\]$/.exec(key);
  if (header) return r.headers[header[1]!.toLowerCase()] ?? null;
  switch (key) {
    case 'source.principal':
      return r.principal;
    case 'source.namespace':
      return r.ns;
    case 'source.ip':
    case 'remote.ip':
      return r.ip;
    case 'destination.port':
      return String(r.port);
    case 'request.auth.principal':
    case 'request.auth.audiences':
    case 'request.auth.presenter':
      return null;
    default:
      if (key.startsWith('request.auth.claims[')) return null;
      return undefined;
  }
}

function whenMatches(w: Json, r: AuthzRequest, unknown: string[]): Tri {
  if (!isObj(w) || typeof w.key !== 'string') return true;
  const v = conditionValue(w.key, r);
  if (v === undefined) {
    unknown.push(w.key);
    return false;
  }
  const test = (x: string) => (w.key === 'source.ip' || w.key === 'remote.ip' ? v !== null && inCidr(v, x) : glob(x, v));
  const hit = anyMatch(w.values, test);
  const notHit = anyMatch(w.notValues, test);
  if (hit === false) return false;
  if (notHit === true) return false;
  return true;
}

function ruleMatches(rule: Json, r: AuthzRequest, policyNs: string, unknown: string[]): boolean {
  if (!isObj(rule)) return false;
  const from = arr(rule.from);
  const to = arr(rule.to);
  if (from.length && !from.some((f) => sourceMatches(get(f, ['source']), r, policyNs))) return false;
  if (to.length && !to.some((t) => operationMatches(get(t, ['operation']), r))) return false;
  return arr(rule.when).every((w) => whenMatches(w, r, unknown));
}

/** The AuthorizationPolicies that apply to a workload's sidecar. */
export function policiesFor(m: Model, w: Workload): Res[] {
  return m.resources.filter((p) => {
    if (p.kind !== 'AuthorizationPolicy') return false;
    if (p.ns !== w.ns && p.ns !== ROOT_NAMESPACE) return false;
    const spec = get(p.value, ['spec']);
    // targetRef(s) attach a policy to a gateway or a waypoint, never to a sidecar.
    if (isObj(spec) && (spec.targetRef !== undefined || spec.targetRefs !== undefined)) return false;
    const sel = labelsOf(get(p.value, ['spec', 'selector', 'matchLabels']));
    if (!Object.keys(sel).length) return p.ns === w.ns || p.ns === ROOT_NAMESPACE;
    return subsetOf(sel, w.labels);
  });
}

export function decide(m: Model, w: Workload, r: AuthzRequest): Decision {
  const unknown: string[] = [];
  const policies = policiesFor(m, w);
  const action = (p: Res) => str(get(p.value, ['spec', 'action'])) ?? 'ALLOW';
  const matching = (p: Res) => arr(get(p.value, ['spec', 'rules'])).findIndex((rule) => ruleMatches(rule, r, p.ns, unknown));
  for (const p of policies.filter((x) => action(x) === 'DENY')) {
    const i = matching(p);
    if (i >= 0) return { allowed: false, by: { kind: 'deny', res: p, rule: i }, unknown };
  }
  const allows = policies.filter((x) => action(x) === 'ALLOW');
  if (!allows.length) return { allowed: true, by: { kind: 'no-policy' }, unknown };
  for (const p of allows) {
    const i = matching(p);
    if (i >= 0) return { allowed: true, by: { kind: 'allow', res: p, rule: i }, unknown };
  }
  return { allowed: false, by: { kind: 'no-allow', policies: allows }, unknown };
}

/** A caller of the checkout service, as its certificate (or the lack of one) presents it. */
export interface Peer {
  name: string;
  principal: string | null;
  ns: string | null;
  serviceAccount: string | null;
  ip: string;
}

export const FRONTEND_PEER: Peer = {
  name: 'frontend',
  principal: `${TRUST_DOMAIN}/ns/${NAMESPACE}/sa/frontend`,
  ns: NAMESPACE,
  serviceAccount: 'frontend',
  ip: '10.244.1.17',
};
export const OTHER_PEERS: Peer[] = [
  {
    name: `reports (${TRUST_DOMAIN}/ns/${NAMESPACE}/sa/reports)`,
    principal: `${TRUST_DOMAIN}/ns/${NAMESPACE}/sa/reports`,
    ns: NAMESPACE,
    serviceAccount: 'reports',
    ip: '10.244.2.31',
  },
  {
    name: `a frontend in another namespace (${TRUST_DOMAIN}/ns/staging/sa/frontend)`,
    principal: `${TRUST_DOMAIN}/ns/staging/sa/frontend`,
    ns: 'staging',
    serviceAccount: 'frontend',
    ip: '10.244.3.8',
  },
  {
    name: `the ingress gateway (${TRUST_DOMAIN}/ns/istio-system/sa/istio-ingressgateway)`,
    principal: `${TRUST_DOMAIN}/ns/istio-system/sa/istio-ingressgateway`,
    ns: 'istio-system',
    serviceAccount: 'istio-ingressgateway',
    ip: '10.244.0.9',
  },
  { name: 'a caller without a certificate (plain text)', principal: null, ns: null, serviceAccount: null, ip: '10.244.4.2' },
];

/**
 * Callers the policies themselves name (principals, namespaces, service accounts, IP blocks, source conditions), each
 * turned into a concrete peer: whoever a policy mentions besides the frontend must still be refused by checkout.
 */
export function peersNamedBy(m: Model): Peer[] {
  const out = new Map<string, Peer>();
  const add = (principal: string | null, ip = '10.244.9.9') => {
    // The frontend itself, whatever trust domain a pattern writes for it ("*/ns/shop/sa/frontend"): one cluster, one domain.
    if (principal !== null && principal.endsWith(FRONTEND_PEER.principal!.slice(TRUST_DOMAIN.length))) return;
    const mm = principal ? /^[^/]*\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal) : null;
    const key = `${principal}|${ip}`;
    if (!out.has(key))
      out.set(key, { name: principal ? `${principal}` : `a caller at ${ip}`, principal, ns: mm ? mm[1]! : null, serviceAccount: mm ? mm[2]! : null, ip });
  };
  const concrete = (pattern: string) => (pattern === '*' ? 'x' : pattern.replace(/^\*/, 'x').replace(/\*$/, 'x'));
  const principalFor = (ns: string, sa: string) => `${TRUST_DOMAIN}/ns/${ns}/sa/${sa}`;
  for (const p of m.resources.filter((r) => r.kind === 'AuthorizationPolicy')) {
    for (const rule of arr(get(p.value, ['spec', 'rules']))) {
      for (const f of arr(get(rule, ['from']))) {
        const s = get(f, ['source']);
        if (!isObj(s)) continue;
        for (const x of [...arr(s.principals), ...arr(s.notPrincipals)])
          if (typeof x === 'string') add(concrete(x).includes('/ns/') ? concrete(x) : principalFor('x', 'x'));
        for (const x of [...arr(s.namespaces), ...arr(s.notNamespaces)]) if (typeof x === 'string') add(principalFor(concrete(x), 'probe'));
        for (const x of [...arr(s.serviceAccounts), ...arr(s.notServiceAccounts)])
          if (typeof x === 'string') add(x.includes('/') ? principalFor(x.split('/')[0]!, x.split('/')[1]!) : principalFor(p.ns, x));
        for (const x of [...arr(s.ipBlocks), ...arr(s.remoteIpBlocks)])
          if (typeof x === 'string' && /^\d+\.\d+\.\d+\.\d+/.test(x)) add(principalFor(p.ns, 'probe'), x.split('/')[0]!);
      }
      for (const w of arr(get(rule, ['when']))) {
        if (!isObj(w)) continue;
        for (const x of [...arr(w.values), ...arr(w.notValues)]) {
          if (typeof x !== 'string') continue;
          if (w.key === 'source.principal') add(concrete(x).includes('/ns/') ? concrete(x) : principalFor('x', 'x'));
          if (w.key === 'source.namespace') add(principalFor(concrete(x), 'probe'));
        }
      }
    }
  }
  // A hostile file could name thousands; the first ones are enough to show a policy that lets others in.
  return [...out.values()].slice(0, 64);
}
