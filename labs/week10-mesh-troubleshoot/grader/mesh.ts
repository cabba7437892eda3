/**
 * What each request in the shop's mesh ends in, with the answer Envoy would log: the ingress gateway's route for
 * shop.example.com (Gateway servers and the VirtualServices bound to them), the frontend's sidecar routing to checkout
 * (the kit's routing simulation), the TLS each side speaks (auto mTLS or a DestinationRule's tls against the server's
 * PeerAuthentication) and the callee's AuthorizationPolicies. A result is a status with its response flag, as the
 * caller's access log shows it: "200 v1", "404 NR", "503 UH", "503 URX", "403 RBAC".
 */
import { get, isObj, type Json } from '../../../grader-kit/yamldocs';
import {
  arr,
  endpoints,
  fqdn,
  hostCovers,
  labelsOf,
  NAMESPACE,
  ROOT_NAMESPACE,
  str,
  subsetOf,
  versionOf,
  type Model,
  type Pod,
  type Res,
} from '../../../grader-kit/istio-model';
import { outcome, stringMatch, subsetsFor, type Caller, type RouteOutcome, type SimRequest } from '../../../grader-kit/istio-routing';
import { clientTls, decide, peerMode, type AuthzRequest, type Decision, type Peer, type Workload } from '../../../grader-kit/istio-security';

export const PORT = 8080;
export const CHECKOUT = fqdn('checkout', NAMESPACE);
export const FRONTEND_HOST = fqdn('frontend', NAMESPACE);
export const SHOP_HOST = 'shop.example.com';
const TRUST_DOMAIN = 'cluster.local';

/** The ingress gateway's Pods: installed with Istio's gateway Helm chart as istio-ingressgateway in istio-system. */
export const INGRESS: Caller = { ns: ROOT_NAMESPACE, labels: { istio: 'ingressgateway', app: 'istio-ingressgateway' }, serviceAccount: 'istio-ingressgateway' };
export const INGRESS_PEER: Peer = {
  name: `the ingress gateway (${TRUST_DOMAIN}/ns/${ROOT_NAMESPACE}/sa/istio-ingressgateway)`,
  principal: `${TRUST_DOMAIN}/ns/${ROOT_NAMESPACE}/sa/istio-ingressgateway`,
  ns: ROOT_NAMESPACE,
  serviceAccount: 'istio-ingressgateway',
  ip: '10.0.10.31',
};

/** The frontend as a caller: its Pods' labels and the service account its Deployment runs as. */
export function frontendCaller(m: Model): { caller: Caller; peer: Peer } {
  const pod = m.pods.find((p) => p.ns === NAMESPACE && p.labels.app === 'frontend') ?? m.pods.find((p) => p.name === 'frontend');
  const sa = pod?.serviceAccount ?? 'default';
  const principal = `${TRUST_DOMAIN}/ns/${NAMESPACE}/sa/${sa}`;
  return {
    caller: { ns: NAMESPACE, labels: pod?.labels ?? { app: 'frontend' }, serviceAccount: sa },
    peer: { name: `frontend (${principal})`, principal, ns: NAMESPACE, serviceAccount: sa, ip: '10.0.10.57' },
  };
}

export const workloadOf = (p: Pod): Workload => ({ ns: p.ns, labels: p.labels, name: { ko: `${p.name}의 Pod`, en: `the Pods of ${p.name}` } });

export type Tls = 'mtls' | 'plain' | 'tls';

/** What the caller's sidecar sends, and what the server's sidecar makes of it. */
export interface Hop {
  result: string;
  /** The DestinationRule field that set the client's TLS, if any. */
  client: ReturnType<typeof clientTls>;
  server: ReturnType<typeof peerMode>;
  decision?: Decision;
  pod: Pod;
}

/** One hop from a sidecar to a chosen Pod: the TLS both sides agree on (or not), then the callee's authorization. */
export function hop(
  m: Model,
  from: { caller: Caller; peer: Peer },
  host: string,
  subset: string | undefined,
  pod: Pod,
  r: { method: string; path: string },
): Hop {
  const client = clientTls(m, host, subset, PORT, from.caller);
  const server = peerMode(m, workloadOf(pod), PORT);
  // No tls in any DestinationRule: auto mTLS, which sends mutual TLS to a Pod with a sidecar (every Pod here has one).
  const sends: Tls = client.mode === undefined || client.mode === 'ISTIO_MUTUAL' ? 'mtls' : client.mode === 'DISABLE' ? 'plain' : 'tls';
  const base = { client, server, pod };
  if (sends === 'tls') return { ...base, result: '503 UF' }; // one-way or foreign TLS: the server's proxy fails the handshake
  if (sends === 'plain' && server.mode === 'STRICT') return { ...base, result: '503 URX' }; // reset, retried, retries exhausted
  if (sends === 'mtls' && server.mode === 'DISABLE') return { ...base, result: '503 UC' };
  const req: AuthzRequest = {
    principal: sends === 'mtls' ? from.peer.principal : null,
    ns: sends === 'mtls' ? from.peer.ns : null,
    serviceAccount: sends === 'mtls' ? from.peer.serviceAccount : null,
    ip: from.peer.ip,
    method: r.method,
    path: r.path,
    port: PORT,
    hosts: [host, `${host.split('.')[0]}:${PORT}`],
    headers: {},
  };
  const decision = decide(m, workloadOf(pod), req);
  if (!decision.allowed) return { ...base, decision, result: '403 RBAC' };
  return { ...base, decision, result: `200 ${versionOf(pod)}` };
}

function pick<T>(items: T[], weightOf: (x: T) => number, rand: () => number): T {
  const total = items.reduce((s, x) => s + weightOf(x), 0);
  let x = rand() * total;
  for (const it of items) {
    x -= weightOf(it);
    if (x < 0) return it;
  }
  return items[items.length - 1]!;
}

const flagOf: Record<string, string> = { 'no-pods': '503 UH', 'no-subset': '503 NC', 'no-service': '503 NC', 'no-port': '503 NC' };

export interface Landing {
  result: string;
  route?: RouteOutcome;
  dest?: RouteOutcome['dests'][number];
  hop?: Hop;
}

/** A request from the frontend's sidecar to checkout, all the way to the answer. */
export function frontendToCheckout(m: Model, r: SimRequest, rand: () => number): Landing {
  const fe = frontendCaller(m);
  const o = outcome(m, CHECKOUT, r, fe.caller);
  if (o.route === null) return { result: '404 NR', route: o };
  if (o.abort && rand() < o.abort.share) return { result: `${o.abort.status} FI`, route: o };
  if (o.status) return { result: o.status, route: o };
  const d = pick(o.dests, (x) => x.share, rand);
  if (d.error) return { result: flagOf[d.error.why] ?? '503', route: o, dest: d };
  const pod = pick(d.pods, (p) => p.replicas, rand);
  const h = hop(m, fe, d.host, d.subset, pod, r);
  return { result: h.result, route: o, dest: d, hop: h };
}

// ── the ingress gateway ───────────────────────────────────────────────────────────────────────────────────────────

export interface ServerMatch {
  gw: Res;
  server: number;
}

/** A Gateway server host ("ns/host", "*\/host", "./host" or "host") admits a VirtualService of namespace vsNs for host. */
function serverHostAdmits(written: string, gwNs: string, vsNs: string, host: string): boolean {
  const [nsPart, h] = written.includes('/') ? [written.split('/')[0]!, written.split('/').slice(1).join('/')] : ['*', written];
  const nsOk = nsPart === '*' || nsPart === vsNs || (nsPart === '.' && vsNs === gwNs);
  const hh = h.toLowerCase();
  const hostOk = hh === '*' || (hh.startsWith('*.') ? host.endsWith(hh.slice(1)) : hh === host);
  return nsOk && hostOk;
}

/** The Gateways the ingress gateway's Pods run (their selector matches those Pods) with an HTTP server on port 80. */
export function ingressGateways(m: Model): Res[] {
  return m.resources.filter((r) => {
    if (r.kind !== 'Gateway') return false;
    const sel = labelsOf(get(r.value, ['spec', 'selector']));
    if (!subsetOf(sel, INGRESS.labels)) return false;
    return arr(get(r.value, ['spec', 'servers'])).some((s) => get(s, ['port', 'number']) === 80);
  });
}

/** "name" in a VirtualService's gateways means the Gateway of that name in the VirtualService's own namespace. */
export const gatewayRef = (ref: string, vsNs: string) => (ref.includes('/') ? ref : `${vsNs}/${ref}`);

function exportedTo(r: Res, ns: string): boolean {
  const to = get(r.value, ['spec', 'exportTo']);
  if (!Array.isArray(to) || !to.length) return true;
  return to.some((x) => x === '*' || x === ns || (x === '.' && r.ns === ns));
}

export interface IngressBinding {
  vs?: Res;
  gw?: Res;
  /** Why a VirtualService for the host is not used, for the message. */
  notBound: { vs: Res; refs: string[]; why: 'no-gateway' | 'server-hosts' | 'exportTo' }[];
}

export function ingressBinding(m: Model, host: string): IngressBinding {
  const gws = ingressGateways(m);
  const notBound: IngressBinding['notBound'] = [];
  for (const vs of m.resources.filter((r) => r.kind === 'VirtualService')) {
    if (!arr(get(vs.value, ['spec', 'hosts'])).some((h) => typeof h === 'string' && hostCovers(h, vs.ns, host))) continue;
    const refs = arr(get(vs.value, ['spec', 'gateways'])).filter((x): x is string => typeof x === 'string');
    const named = refs.filter((x) => x !== 'mesh').map((x) => gatewayRef(x, vs.ns));
    const gw = gws.find((g) => named.includes(`${g.ns}/${g.name}`));
    if (!gw) {
      notBound.push({ vs, refs, why: 'no-gateway' });
      continue;
    }
    const admits = arr(get(gw.value, ['spec', 'servers'])).some(
      (s) => get(s, ['port', 'number']) === 80 && arr(get(s, ['hosts'])).some((h) => typeof h === 'string' && serverHostAdmits(h, gw.ns, vs.ns, host)),
    );
    if (!admits) {
      notBound.push({ vs, refs, why: 'server-hosts' });
      continue;
    }
    if (!exportedTo(vs, INGRESS.ns)) {
      notBound.push({ vs, refs, why: 'exportTo' });
      continue;
    }
    return { vs, gw, notBound };
  }
  return { notBound };
}

function routeMatches(match: Json, r: SimRequest): boolean {
  if (!isObj(match)) return true;
  if (match.uri !== undefined && !stringMatch(match.uri, r.path, match.ignoreUriCase === true)) return false;
  if (match.method !== undefined && !stringMatch(match.method, r.method)) return false;
  if (match.authority !== undefined && !stringMatch(match.authority, r.headers.host ?? SHOP_HOST)) return false;
  if (Array.isArray(match.gateways) && match.gateways.length === 0) return false;
  if (isObj(match.headers)) for (const [name, mm] of Object.entries(match.headers)) if (!stringMatch(mm, r.headers[name.toLowerCase()])) return false;
  if (isObj(match.withoutHeaders))
    for (const [name, mm] of Object.entries(match.withoutHeaders)) if (stringMatch(mm, r.headers[name.toLowerCase()])) return false;
  if (isObj(match.queryParams) && Object.keys(match.queryParams).length) return false;
  return true;
}

/** A request from the internet through the ingress gateway, to the frontend's answer. */
export function ingressToFrontend(m: Model, r: SimRequest, rand: () => number): Landing & { binding: IngressBinding; index?: number } {
  const binding = ingressBinding(m, SHOP_HOST);
  if (!binding.vs) return { result: '404 NR', binding };
  const vs = binding.vs;
  const routes = arr(get(vs.value, ['spec', 'http']));
  for (const [i, h] of routes.entries()) {
    if (!isObj(h)) continue;
    const matches = arr(h.match);
    if (matches.length && !matches.some((x) => routeMatches(x, r))) continue;
    if (isObj(h.directResponse)) return { result: String(get(h, ['directResponse', 'status']) ?? '200'), binding, index: i };
    if (isObj(h.redirect)) return { result: String(get(h, ['redirect', 'redirectCode']) ?? '301'), binding, index: i };
    const dests = arr(h.route).filter(isObj);
    if (!dests.length) return { result: '404 NR', binding, index: i };
    const d = pick(dests, (x) => (typeof x.weight === 'number' && x.weight > 0 ? x.weight : dests.length === 1 ? 1 : 0), rand);
    const host = fqdn(str(get(d, ['destination', 'host'])) ?? '', vs.ns);
    const svc = m.services.get(host);
    if (!svc) return { result: '503 NC', binding, index: i };
    const want = get(d, ['destination', 'port', 'number']);
    if (typeof want === 'number' ? !svc.ports.some((p) => p.port === want) : svc.ports.length !== 1) return { result: '503 NC', binding, index: i };
    const subset = str(get(d, ['destination', 'subset']));
    let labels: Record<string, string> = {};
    if (subset) {
      const def = subsetsFor(m, host, INGRESS).get(subset);
      if (!def) return { result: '503 NC', binding, index: i };
      labels = def.labels;
    }
    const pods = endpoints(m, host, labels);
    if (!pods.length) return { result: '503 UH', binding, index: i };
    const pod = pick(pods, (p) => p.replicas, rand);
    const hp = hop(m, { caller: INGRESS, peer: INGRESS_PEER }, host, subset, pod, r);
    return { result: hp.result, hop: hp, binding, index: i };
  }
  return { result: '404 NR', binding };
}
