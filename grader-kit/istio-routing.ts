/**
 * What the caller's sidecar does with a request, with Envoy's semantics: the VirtualService that applies to mesh traffic
 * for the host (hosts, gateways, exportTo), its http routes tried from the top (the first whose match fits wins), a
 * fault abort drawn first, then a destination drawn by weight (relative to the sum; a lone destination takes all), the
 * subset resolved through the DestinationRule the caller sees, and an endpoint Pod drawn among the subset's Pods in
 * proportion to their replicas. Without a VirtualService the Service's Pods share the traffic.
 */
import { get, isObj, type Json, type Obj } from './yamldocs';
import { arr, endpoints, fqdn, hostCovers, labelsOf, NAMESPACE, ROOT_NAMESPACE, str, subsetOf, versionOf, type Model, type Pod, type Res } from './istio-model';

export interface SimRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  port: number;
}

export interface Caller {
  ns: string;
  labels: Record<string, string>;
  serviceAccount: string;
}

export const FRONTEND: Caller = { ns: NAMESPACE, labels: { app: 'frontend' }, serviceAccount: 'frontend' };

/** A resource's exportTo lets a caller in namespace `ns` see it (left out: every namespace). */
function visibleTo(r: Res, ns: string): boolean {
  const to = get(r.value, ['spec', 'exportTo']);
  if (!Array.isArray(to) || !to.length) return true;
  return to.some((x) => x === '*' || x === ns || (x === '.' && r.ns === ns));
}

export interface VsChoice {
  /** The VirtualService the caller's sidecar uses for the host, if any. */
  vs?: Res;
  /** VirtualServices for the host that do not apply to this caller's mesh traffic, and why. */
  skipped: { vs: Res; why: 'gateways' | 'exportTo' }[];
}

export function virtualServiceFor(m: Model, host: string, caller: Caller = FRONTEND): VsChoice {
  const skipped: VsChoice['skipped'] = [];
  let vs: Res | undefined;
  for (const r of m.resources.filter((x) => x.kind === 'VirtualService')) {
    if (!arr(get(r.value, ['spec', 'hosts'])).some((h) => typeof h === 'string' && hostCovers(h, r.ns, host))) continue;
    const gateways = get(r.value, ['spec', 'gateways']);
    if (Array.isArray(gateways) && gateways.length && !gateways.includes('mesh')) skipped.push({ vs: r, why: 'gateways' });
    else if (!visibleTo(r, caller.ns)) skipped.push({ vs: r, why: 'exportTo' });
    else vs ??= r; // several for one host: the sidecar uses one (the oldest); here, the first written
  }
  return { vs, skipped };
}

/** The DestinationRules the caller sees for a host: its own namespace first, then the Service's, then the root namespace. */
export function destinationRulesFor(m: Model, host: string, caller: Caller = FRONTEND): Res[] {
  const svcNs = host.split('.')[1] ?? NAMESPACE;
  const all = m.resources.filter(
    (r) => r.kind === 'DestinationRule' && visibleTo(r, caller.ns) && hostCovers(str(get(r.value, ['spec', 'host'])) ?? '', r.ns, host),
  );
  for (const ns of [caller.ns, svcNs, ROOT_NAMESPACE]) {
    const here = all.filter((r) => r.ns === ns);
    if (!here.length) continue;
    // The most specific host wins (checkout.shop.svc.cluster.local before *.local); rules for the same host merge.
    const exact = here.filter((r) => !fqdn(str(get(r.value, ['spec', 'host'])) ?? '', r.ns).startsWith('*'));
    return exact.length ? exact : here;
  }
  return [];
}

export interface SubsetDef {
  labels: Record<string, string>;
  dr: Res;
  index: number;
}

export function subsetsFor(m: Model, host: string, caller: Caller = FRONTEND): Map<string, SubsetDef> {
  const out = new Map<string, SubsetDef>();
  for (const dr of destinationRulesFor(m, host, caller)) {
    arr(get(dr.value, ['spec', 'subsets'])).forEach((s, index) => {
      const name = isObj(s) ? str(s.name) : undefined;
      if (name && !out.has(name)) out.set(name, { labels: labelsOf(isObj(s) ? s.labels : undefined), dr, index });
    });
  }
  return out;
}

// ── matching ──────────────────────────────────────────────────────────────────────────────────────────────────────

/** An RE2 pattern as a JavaScript RegExp matching the whole value, or null when it cannot be read. */
export function re2(pattern: string): RegExp | null {
  let p = pattern;
  let flags = '';
  const inline = /^\(\?([imsU]+)\)/.exec(p);
  if (inline) {
    if (inline[1]!.includes('i')) flags += 'i';
    if (inline[1]!.includes('s')) flags += 's';
    p = p.slice(inline[0].length);
  }
  for (const f of ['u', '']) {
    try {
      return new RegExp(`^(?:${p})$`, flags + f);
    } catch {
      // try without the unicode flag
    }
  }
  return null;
}

/** Istio's StringMatch: exact and prefix are case-sensitive, regex is a full RE2 match, {} only asks for presence. */
export function stringMatch(m: Json | undefined, value: string | undefined, ignoreCase = false): boolean {
  if (!isObj(m)) return value !== undefined;
  if (value === undefined) return false;
  const v = ignoreCase ? value.toLowerCase() : value;
  if (typeof m.exact === 'string') return v === (ignoreCase ? m.exact.toLowerCase() : m.exact);
  if (typeof m.prefix === 'string') return v.startsWith(ignoreCase ? m.prefix.toLowerCase() : m.prefix);
  if (typeof m.regex === 'string') return regexTest(m.regex, value);
  return true;
}

const regexCache = new Map<string, boolean>();
/** A group quantified from outside that holds a quantifier itself, e.g. (a+)+: RE2 runs it in linear time, JavaScript may not. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[*+}](?:[^()\\]|\\.)*\)[*+{]/;

/** A full RE2 match, remembered per pattern and value (the hidden requests repeat a handful of values). */
function regexTest(pattern: string, value: string): boolean {
  const key = `${pattern}\u0000${value}`;
  const hit = regexCache.get(key);
  if (hit !== undefined) return hit;
  // JavaScript backtracks where RE2 does not: on a long value such a pattern could take exponential time, so it is
  // only tried on short values (every tester header is short) and counts as not matching otherwise.
  const r = NESTED_QUANTIFIER.test(pattern) && value.length > 16 ? null : re2(pattern);
  const out = !!r && r.test(value);
  if (regexCache.size > 10_000) regexCache.clear();
  regexCache.set(key, out);
  return out;
}

function requestMatches(match: Json, r: SimRequest, caller: Caller, host: string): boolean {
  if (!isObj(match)) return true;
  if (match.uri !== undefined && !stringMatch(match.uri, r.path, match.ignoreUriCase === true)) return false;
  if (match.method !== undefined && !stringMatch(match.method, r.method)) return false;
  if (match.scheme !== undefined && !stringMatch(match.scheme, 'http')) return false;
  if (
    match.authority !== undefined &&
    ![host, `${host.split('.')[0]}:${r.port}`, `${host}:${r.port}`, host.split('.')[0]!].some((a) => stringMatch(match.authority, a))
  )
    return false;
  if (typeof match.port === 'number' && match.port !== r.port) return false;
  if (isObj(match.sourceLabels) && !subsetOf(labelsOf(match.sourceLabels), caller.labels)) return false;
  if (typeof match.sourceNamespace === 'string' && match.sourceNamespace !== caller.ns) return false;
  if (Array.isArray(match.gateways) && match.gateways.length && !match.gateways.includes('mesh')) return false;
  if (isObj(match.queryParams) && Object.keys(match.queryParams).length) return false; // the hidden requests carry no query string
  if (isObj(match.headers)) {
    for (const [name, m] of Object.entries(match.headers)) if (!stringMatch(m, r.headers[name.toLowerCase()])) return false;
  }
  if (isObj(match.withoutHeaders)) {
    for (const [name, m] of Object.entries(match.withoutHeaders)) if (stringMatch(m, r.headers[name.toLowerCase()])) return false;
  }
  return true;
}

// ── outcomes ──────────────────────────────────────────────────────────────────────────────────────────────────────

export interface DestOutcome {
  /** This destination's share of the route (weight / sum of weights; a lone destination takes all). */
  share: number;
  weight: number;
  host: string;
  subset?: string;
  /** The Pods it reaches (with their replicas), or why it answers an error instead. */
  pods: Pod[];
  error?: { status: string; why: 'no-service' | 'no-port' | 'no-subset' | 'no-pods' };
  /** Index of the destination in the route. */
  index: number;
}

export interface RouteOutcome {
  vs?: Res;
  /** Index of the http route taken, -1 without a VirtualService, null when no route matched (404). */
  route: number | null;
  /** A fault abort's share of the requests and its status. */
  abort?: { share: number; status: string };
  /** A route that answers by itself (directResponse, redirect) or cannot be followed (delegate). */
  status?: string;
  dests: DestOutcome[];
}

function destOutcome(m: Model, d: Obj, index: number, share: number, weight: number, vsNs: string, caller: Caller, port: number): DestOutcome {
  const host = fqdn(str(get(d, ['destination', 'host'])) ?? '', vsNs);
  const subset = str(get(d, ['destination', 'subset']));
  const base = { share, weight, host, subset, index };
  const svc = m.services.get(host);
  if (!svc) return { ...base, pods: [], error: { status: '503', why: 'no-service' } };
  const wantPort = get(d, ['destination', 'port', 'number']);
  const usePort = typeof wantPort === 'number' ? wantPort : port;
  if (!svc.ports.some((p) => p.port === usePort)) return { ...base, pods: [], error: { status: '503', why: 'no-port' } };
  let extra: Record<string, string> = {};
  if (subset) {
    const def = subsetsFor(m, host, caller).get(subset);
    if (!def) return { ...base, pods: [], error: { status: '503', why: 'no-subset' } };
    extra = def.labels;
  }
  const pods = endpoints(m, host, extra);
  if (!pods.length) return { ...base, pods, error: { status: '503', why: 'no-pods' } };
  return { ...base, pods };
}

/** Where a request can go, before any random draw: the route it takes and the destinations it may reach. */
export function outcome(m: Model, host: string, r: SimRequest, caller: Caller = FRONTEND): RouteOutcome {
  const { vs } = virtualServiceFor(m, host, caller);
  if (!vs) {
    // No VirtualService for mesh traffic: the Service's own endpoints share the requests.
    const pods = endpoints(m, host);
    const svc = m.services.get(host);
    const error = !svc ? { status: '503', why: 'no-service' as const } : !pods.length ? { status: '503', why: 'no-pods' as const } : undefined;
    return { route: -1, dests: [{ share: 1, weight: 100, host, pods, error, index: 0 }] };
  }
  const routes = arr(get(vs.value, ['spec', 'http']));
  for (const [i, h] of routes.entries()) {
    if (!isObj(h)) continue;
    const matches = arr(h.match);
    if (matches.length && !matches.some((x) => requestMatches(x, r, caller, host))) continue;
    const out: RouteOutcome = { vs, route: i, dests: [] };
    const abort = get(h, ['fault', 'abort']);
    if (isObj(abort)) {
      const pct = get(abort, ['percentage', 'value']);
      const share = typeof pct === 'number' ? Math.min(Math.max(pct, 0), 100) / 100 : 1;
      const status =
        typeof abort.httpStatus === 'number' ? String(abort.httpStatus) : typeof abort.grpcStatus === 'string' ? `gRPC ${abort.grpcStatus}` : 'reset';
      if (share > 0) out.abort = { share, status };
    }
    if (isObj(h.directResponse)) return { ...out, status: String(get(h, ['directResponse', 'status']) ?? '200') };
    if (isObj(h.redirect)) return { ...out, status: String(get(h, ['redirect', 'redirectCode']) ?? '301') };
    if (isObj(h.delegate)) return { ...out, status: 'delegate' };
    const dests = arr(h.route).filter(isObj);
    if (!dests.length) return { ...out, status: '404' };
    const weights = dests.map((d) => (typeof d.weight === 'number' && d.weight > 0 ? d.weight : dests.length === 1 ? 100 : 0));
    const total = weights.reduce((a, b) => a + b, 0);
    if (total <= 0) return { ...out, status: '503' };
    out.dests = dests.map((d, j) => destOutcome(m, d, j, weights[j]! / total, weights[j]!, vs.ns, caller, r.port));
    return out;
  }
  return { vs, route: null, dests: [] };
}

/** A small seeded generator (mulberry32): the same submission always gets the same draws. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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

/** Where one request lands: a Pod's version (v1, v2), or an HTTP status such as '503' or '404'. */
export function land(o: RouteOutcome, rand: () => number): string {
  if (o.route === null) return '404';
  if (o.abort && rand() < o.abort.share) return o.abort.status;
  if (o.status) return o.status;
  const d = pick(o.dests, (x) => x.share, rand);
  if (d.error) return d.error.status;
  return versionOf(pick(d.pods, (p) => p.replicas, rand));
}

/** The share of a route's requests that reaches Pods of `version`, as written (a subset counts as its name's version). */
export function declaredShare(o: RouteOutcome, version: string, m: Model): number {
  if (o.route === null || o.status) return 0;
  const keep = 1 - (o.abort?.share ?? 0);
  let share = 0;
  for (const d of o.dests) {
    if (d.subset !== undefined) {
      if (d.subset === version) share += d.share;
    } else {
      const pods = endpoints(m, d.host);
      const all = pods.reduce((s, p) => s + p.replicas, 0);
      if (all > 0) share += (d.share * pods.filter((p) => versionOf(p) === version).reduce((s, p) => s + p.replicas, 0)) / all;
    }
  }
  return share * keep;
}
