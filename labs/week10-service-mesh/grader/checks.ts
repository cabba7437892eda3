/**
 * Week 10: Istio canary routing with mutual TLS and authorization, graded from the files alone.
 * The resources are validated with Istio's schemas (@kubernetes-models/istio), cross-checked against the Pods they
 * route to, and 1,000+ requests from hidden scenarios are routed through the learner's rules with Envoy's semantics
 * (first matching route wins, weights relative to their sum, a subset with no endpoints answers 503).
 */
import { DestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule';
import { VirtualService } from '@kubernetes-models/istio/networking.istio.io/v1beta1/VirtualService';
import { PeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1beta1/PeerAuthentication';
import { AuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy';
import { NotGradable, joinMsgs, partial, type CheckVerdict, type GradeContext, type GraderVerdict, type Msg, type Submission } from '../../../lib/grader-kit/index';
import { get, isObj, parseYamlFile, type Json, type Obj, type PathPart, type YamlDoc } from '../../../lib/grader-kit/yamldocs';
import knownFields from './known-fields.json';
import scenarios from './data/scenarios.json';

export const REQUIRED = ['istio/traffic.yaml', 'istio/security.yaml', 'k8s/checkout.yaml'];
const NAMESPACE = 'shop';
const SERVICE = 'checkout';
const STABLE = 'v1';
const CANARY = 'v2';
const FRONTEND = 'cluster.local/ns/shop/sa/frontend';

interface Doc extends YamlDoc {
  value: Obj;
  kind: string;
  ns: string;
}

const at = (d: YamlDoc, p: PathPart[] = []) => `${d.file}:${d.line(p)}`;
const msg = (ko: string, en: string): Msg => ({ ko, en });
const str = (v: Json | undefined) => (typeof v === 'string' ? v : undefined);
const arr = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);
const labelsOf = (v: Json | undefined): Record<string, string> =>
  isObj(v) ? Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === 'string' || typeof x === 'number').map(([k, x]) => [k, String(x)])) : {};
const subsetOf = (sel: Record<string, string>, labels: Record<string, string>) => Object.entries(sel).every(([k, v]) => labels[k] === v);
const showLabels = (l: Record<string, string>) => Object.entries(l).map(([k, v]) => `${k}=${v}`).join(', ') || '(none)';

/** Istio resolves a short host name in the namespace of the resource that names it. */
export function fqdn(host: string, ns: string): string {
  const h = host.trim().toLowerCase();
  if (h.endsWith('.svc.cluster.local')) return h;
  const parts = h.split('.');
  if (parts.length === 1) return `${h}.${ns}.svc.cluster.local`;
  if (parts.length === 2) return `${h}.svc.cluster.local`;
  return h;
}

// ── reading ──────────────────────────────────────────────────────────────────────────────────────────────────────

function load(sub: Submission): Doc[] {
  for (const f of REQUIRED) if (!sub.has(f)) throw new NotGradable(msg(`${f} 파일이 없습니다. 시작 파일의 구조를 그대로 두세요.`, `${f} is missing. Keep the starter's layout.`));
  const docs: Doc[] = [];
  for (const f of sub.paths().filter((p) => /\.ya?ml$/.test(p))) {
    for (const d of parseYamlFile(sub, f)) {
      if (!isObj(d.value)) throw new NotGradable(msg(`${at(d)}: 쿠버네티스 리소스(맵)가 아닙니다.`, `${at(d)}: not a Kubernetes resource (a map).`));
      const kind = str(d.value.kind);
      if (!kind) throw new NotGradable(msg(`${at(d)}: kind가 없습니다.`, `${at(d)}: no kind.`));
      docs.push({ ...d, value: d.value, kind, ns: str(get(d.value, ['metadata', 'namespace'])) ?? 'default' });
    }
  }
  if (!docs.some((d) => d.kind === 'VirtualService')) throw new NotGradable(msg('VirtualService가 하나도 없습니다.', 'There is no VirtualService.'));
  if (!docs.some((d) => d.kind === 'DestinationRule')) throw new NotGradable(msg('DestinationRule이 하나도 없습니다.', 'There is no DestinationRule.'));
  return docs;
}

// ── schema ───────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The models @kubernetes-models/istio ships: security.istio.io/v1 for AuthorizationPolicy; for the others only
 * v1beta1, whose schema Istio 1.22 promoted to v1 unchanged. The resource is validated with its apiVersion set to the
 * model's, after the apiVersion itself has been checked.
 */
const ISTIO: Record<string, { group: string; validate: (o: Obj) => void; modelVersion: string }> = {
  VirtualService: { group: 'networking.istio.io', modelVersion: 'v1beta1', validate: (o) => new VirtualService(o as never).validate() },
  DestinationRule: { group: 'networking.istio.io', modelVersion: 'v1beta1', validate: (o) => new DestinationRule(o as never).validate() },
  PeerAuthentication: { group: 'security.istio.io', modelVersion: 'v1beta1', validate: (o) => new PeerAuthentication(o as never).validate() },
  AuthorizationPolicy: { group: 'security.istio.io', modelVersion: 'v1', validate: (o) => new AuthorizationPolicy(o as never).validate() },
};

/** Compiles the four validators (about half a second of ajv work) while the submission is still on its way. */
export async function warmup(): Promise<void> {
  for (const [kind, spec] of Object.entries(ISTIO)) {
    try {
      spec.validate({ apiVersion: `${spec.group}/${spec.modelVersion}`, kind, metadata: { name: 'warmup' }, spec: {} });
    } catch {
      // only the compiled validator matters here
    }
  }
}

type FieldTree = 0 | { f: Record<string, FieldTree> } | { m: FieldTree } | { i: FieldTree };
const FIELDS = (knownFields as unknown as { kinds: Record<string, FieldTree> }).kinds;

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params?: { missingProperty?: string; allowedValues?: unknown[]; type?: string };
}

const pointer = (ptr: string): PathPart[] =>
  ptr ? ptr.slice(1).split('/').map((x) => x.replace(/~1/g, '/').replace(/~0/g, '~')).map((x) => (/^\d+$/.test(x) ? Number(x) : x)) : [];
const dottedPath = (p: PathPart[]) => p.map((x, i) => (typeof x === 'number' ? `[${x}]` : i ? `.${x}` : x)).join('') || '(document)';

function ajvProblems(d: Doc, errors: AjvError[]): Msg[] {
  const seen = new Set<string>();
  const out: Msg[] = [];
  for (const e of errors) {
    const path = pointer(e.instancePath);
    if (e.keyword === 'required' && e.params?.missingProperty) path.push(e.params.missingProperty);
    const key = JSON.stringify(path);
    if (seen.has(key) || e.keyword === 'oneOf' || e.keyword === 'not') continue;
    seen.add(key);
    const w = dottedPath(path);
    const place = at(d, path);
    if (e.keyword === 'enum') {
      const allowed = (e.params?.allowedValues ?? []).map(String).join(', ');
      out.push(msg(`${place}: ${w}는 ${allowed} 중 하나여야 합니다.`, `${place}: ${w} must be one of ${allowed}.`));
    } else if (e.keyword === 'type') out.push(msg(`${place}: ${w}의 타입은 ${e.params?.type}이어야 합니다.`, `${place}: ${w} must be of type ${e.params?.type}.`));
    else if (e.keyword === 'required') out.push(msg(`${place}: ${w} 필드가 필요합니다.`, `${place}: ${w} is required.`));
    else out.push(msg(`${place}: ${w} 값이 Istio 스키마에 맞지 않습니다 (${e.message ?? e.keyword}).`, `${place}: ${w} does not match Istio's schema (${e.message ?? e.keyword}).`));
  }
  return out;
}

/** Fields Istio's schema does not declare: kubectl's strict field validation and istioctl validate refuse them. */
function unknownFields(d: Doc, value: Json | undefined, t: FieldTree, path: PathPart[], out: Msg[]): void {
  if (t === 0 || value === undefined || value === null || out.length >= 5) return;
  if ('i' in t) return arr(value).forEach((x, i) => unknownFields(d, x, t.i, [...path, i], out));
  if (!isObj(value)) return;
  if ('m' in t) return Object.entries(value).forEach(([k, x]) => unknownFields(d, x, t.m, [...path, k], out));
  for (const [k, x] of Object.entries(value)) {
    const child = t.f[k];
    if (child !== undefined) {
      unknownFields(d, x, child, [...path, k], out);
      continue;
    }
    const near = Object.keys(t.f).find((f) => f.toLowerCase() === k.toLowerCase() || editDistance(f, k) <= 1);
    const parent = dottedPath(path);
    out.push(
      msg(
        `${at(d, [...path, k])}: ${parent === '(document)' ? '최상위' : parent}에 "${k}"라는 필드는 없습니다${near ? ` ("${near}"를 뜻했나요?)` : ''}.`,
        `${at(d, [...path, k])}: ${parent === '(document)' ? 'the top level' : parent} has no field "${k}"${near ? ` (did you mean "${near}"?)` : ''}.`,
      ),
    );
  }
}

/** Edits between two names (insert, delete, replace, swap two neighbours): "weigth" is one edit from "weight". */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

export function schemaProblems(d: Doc): Msg[] {
  const spec = ISTIO[d.kind]!;
  const out: Msg[] = [];
  const apiVersion = str(d.value.apiVersion) ?? '';
  const [group, version] = apiVersion.split('/');
  const want = `${spec.group}/v1`;
  const place = at(d, ['apiVersion']);
  if (group !== spec.group) out.push(msg(`${place}: ${d.kind}의 apiVersion은 ${want}입니다 (지금 "${apiVersion || '없음'}").`, `${place}: a ${d.kind} is ${want} (found "${apiVersion || 'none'}").`));
  else if (version === 'v1alpha3' || version === 'v1beta1')
    out.push(
      msg(
        `${place}: ${apiVersion}는 v1 이전의 API입니다. Istio 1.22부터 ${want}이 안정 버전이고 현재 문서와 도구가 이것을 씁니다. 이 실습은 ${want}을 요구합니다.`,
        `${place}: ${apiVersion} is a pre-v1 API. ${want} has been the stable version since Istio 1.22 and is what current docs and tools use; this lab asks for ${want}.`,
      ),
    );
  else if (version !== 'v1') out.push(msg(`${place}: "${apiVersion}"는 Istio가 제공하지 않는 버전입니다. ${want}을 쓰세요.`, `${place}: Istio serves no "${apiVersion}"; use ${want}.`));
  if (!str(get(d.value, ['metadata', 'name']))) out.push(msg(`${at(d, ['metadata'])}: metadata.name이 없습니다.`, `${at(d, ['metadata'])}: metadata.name is missing.`));
  try {
    spec.validate({ ...d.value, apiVersion: `${spec.group}/${spec.modelVersion}` });
  } catch (e) {
    const errors = (e as { errors?: AjvError[] }).errors;
    if (Array.isArray(errors) && errors.length) out.push(...ajvProblems(d, errors));
    else out.push(msg(`${at(d, ['spec'])}: ${d.kind}가 Istio 스키마에 맞지 않습니다: ${String((e as Error).message).slice(0, 200)}`, `${at(d, ['spec'])}: the ${d.kind} does not match Istio's schema: ${String((e as Error).message).slice(0, 200)}`));
  }
  unknownFields(d, d.value, FIELDS[d.kind]!, [], out);
  return out;
}

// ── the model: services, pods, subsets ──────────────────────────────────────────────────────────────────────────

interface Model {
  docs: Doc[];
  /** Pod template labels of every Deployment, by namespace. */
  pods: { ns: string; name: string; labels: Record<string, string> }[];
  services: Map<string, Record<string, string>>;
  /** host fqdn → subset name → { labels, where } */
  subsets: Map<string, Map<string, { labels: Record<string, string>; doc: Doc; index: number }>>;
}

function model(docs: Doc[]): Model {
  const pods = docs.filter((d) => d.kind === 'Deployment').map((d) => ({ ns: d.ns, name: str(get(d.value, ['metadata', 'name'])) ?? '?', labels: labelsOf(get(d.value, ['spec', 'template', 'metadata', 'labels'])) }));
  const services = new Map<string, Record<string, string>>();
  for (const d of docs.filter((x) => x.kind === 'Service')) services.set(fqdn(str(get(d.value, ['metadata', 'name'])) ?? '', d.ns), labelsOf(get(d.value, ['spec', 'selector'])));
  const subsets: Model['subsets'] = new Map();
  for (const d of docs.filter((x) => x.kind === 'DestinationRule')) {
    const host = str(get(d.value, ['spec', 'host']));
    if (!host) continue;
    const m = subsets.get(fqdn(host, d.ns)) ?? new Map();
    arr(get(d.value, ['spec', 'subsets'])).forEach((s, i) => {
      const name = isObj(s) ? str(s.name) : undefined;
      if (name) m.set(name, { labels: labelsOf(isObj(s) ? s.labels : undefined), doc: d, index: i });
    });
    subsets.set(fqdn(host, d.ns), m);
  }
  return { docs, pods, services, subsets };
}

/** The Pods a subset of a host reaches: the Service's selector plus the subset's labels. */
function endpoints(m: Model, host: string, subset: string | undefined): string[] {
  const ns = host.split('.')[1] ?? NAMESPACE;
  const selector = m.services.get(host);
  if (!selector) return [];
  const extra = subset ? m.subsets.get(host)?.get(subset)?.labels : {};
  if (extra === undefined) return [];
  return m.pods.filter((p) => p.ns === ns && subsetOf(selector, p.labels) && subsetOf(extra, p.labels)).map((p) => p.name);
}

// ── routing simulation ──────────────────────────────────────────────────────────────────────────────────────────

export interface SimRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
}

function stringMatch(m: Json | undefined, value: string | undefined): boolean {
  if (!isObj(m)) return true;
  if (value === undefined) return false;
  if (typeof m.exact === 'string') return value === m.exact;
  if (typeof m.prefix === 'string') return value.startsWith(m.prefix);
  if (typeof m.regex === 'string') {
    try {
      return new RegExp(`^(?:${m.regex})$`).test(value);
    } catch {
      return false;
    }
  }
  return true;
}

function requestMatches(match: Json, r: SimRequest): boolean {
  if (!isObj(match)) return true;
  if (match.uri !== undefined && !stringMatch(match.uri, r.path)) return false;
  if (match.method !== undefined && !stringMatch(match.method, r.method)) return false;
  if (isObj(match.headers)) {
    for (const [name, m] of Object.entries(match.headers)) if (!stringMatch(m, r.headers[name.toLowerCase()])) return false;
  }
  if (isObj(match.withoutHeaders)) {
    for (const [name, m] of Object.entries(match.withoutHeaders)) if (r.headers[name.toLowerCase()] !== undefined && stringMatch(m, r.headers[name.toLowerCase()])) return false;
  }
  return true;
}

/** A small seeded generator (mulberry32): the same submission always gets the same split. */
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

/** Where one request lands: a subset name, '(no subset)', or an HTTP error as 'NNN'. */
export function route(m: Model, vs: Doc, r: SimRequest, rand: () => number): string {
  for (const h of arr(get(vs.value, ['spec', 'http']))) {
    if (!isObj(h)) continue;
    const matches = arr(h.match);
    if (matches.length && !matches.some((x) => requestMatches(x, r))) continue;
    const dests = arr(h.route).filter(isObj);
    if (!dests.length) return '404';
    const weights = dests.map((d) => (typeof d.weight === 'number' ? d.weight : dests.length === 1 ? 100 : 0));
    const total = weights.reduce((a, b) => a + b, 0);
    if (total <= 0) return '503';
    let x = rand() * total;
    let chosen = dests[dests.length - 1]!;
    for (const [i, d] of dests.entries()) {
      x -= weights[i]!;
      if (x < 0) {
        chosen = d;
        break;
      }
    }
    const host = fqdn(str(get(chosen, ['destination', 'host'])) ?? '', vs.ns);
    const subset = str(get(chosen, ['destination', 'subset']));
    if (!endpoints(m, host, subset).length) return '503';
    return subset ?? '(no subset)';
  }
  return '404';
}

export function simulate(m: Model, vs: Doc, requests: SimRequest[], seed: number): Map<string, number> {
  const rand = rng(seed);
  const out = new Map<string, number>();
  for (const r of requests) {
    const where = route(m, vs, r, rand);
    out.set(where, (out.get(where) ?? 0) + 1);
  }
  return out;
}

function expand(spec: { count: number; method: string; paths: string[]; headers?: Record<string, string> }[]): SimRequest[] {
  const out: SimRequest[] = [];
  for (const s of spec) for (let i = 0; i < s.count; i++) out.push({ method: s.method, path: s.paths[i % s.paths.length]!, headers: Object.fromEntries(Object.entries(s.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])) });
  return out;
}

const showCounts = (c: Map<string, number>) => [...c.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${/^\d{3}$/.test(k) ? `HTTP ${k}` : k} ${n}`).join(', ');

// ── the checks ──────────────────────────────────────────────────────────────────────────────────────────────────

export async function grade(sub: Submission, ctx?: GradeContext): Promise<GraderVerdict> {
  const docs = load(sub);
  const m = model(docs);
  const host = fqdn(SERVICE, NAMESPACE);
  const checks: CheckVerdict[] = [];
  const push = (c: CheckVerdict) => {
    checks.push(c);
    ctx?.progress(c);
  };
  const istio = docs.filter((d) => d.kind in ISTIO);

  // schema
  push(partial('schema', 3, istio.map((d) => {
    const p = schemaProblems(d);
    const shown = p.slice(0, 2);
    if (p.length > 2) shown.push(msg(`(외 ${p.length - 2}건)`, `(and ${p.length - 2} more)`));
    return { ok: p.length === 0, message: shown.length ? joinMsgs(shown) : '' };
  })));

  const vsList = docs.filter((d) => d.kind === 'VirtualService' && arr(get(d.value, ['spec', 'hosts'])).some((h) => typeof h === 'string' && fqdn(h, d.ns) === host));
  const vs = vsList[0];
  const drs = docs.filter((d) => d.kind === 'DestinationRule' && fqdn(str(get(d.value, ['spec', 'host'])) ?? '', d.ns) === host);
  const dr = drs[0];

  // subsets: every subset named exists; every subset reaches Pods
  {
    const named: { subset: string; where: string }[] = [];
    for (const v of vsList)
      arr(get(v.value, ['spec', 'http'])).forEach((h, i) =>
        arr(isObj(h) ? h.route : undefined).forEach((d, j) => {
          const s = str(get(d, ['destination', 'subset']));
          if (s) named.push({ subset: s, where: at(v, ['spec', 'http', i, 'route', j, 'destination', 'subset']) });
        }),
      );
    const defined = m.subsets.get(host) ?? new Map();
    const missing = named.filter((n) => !defined.has(n.subset));
    const parts: { ok: boolean; message: Msg }[] = [
      {
        ok: missing.length === 0 && named.length > 0,
        message: named.length === 0
          ? msg(`${vs ? at(vs, ['spec', 'http']) : 'istio/traffic.yaml'}: VirtualService가 subset을 하나도 가리키지 않습니다. 버전별로 나누려면 경로마다 subset을 지정해야 합니다.`, `${vs ? at(vs, ['spec', 'http']) : 'istio/traffic.yaml'}: the VirtualService names no subset, so nothing is split by version.`)
          : msg(`${missing.map((x) => `${x.where}: subset "${x.subset}"`).join('; ')}이(가) ${host}의 DestinationRule에 없습니다 (있는 subset: ${[...defined.keys()].join(', ') || '없음'}).`, `${missing.map((x) => `${x.where}: subset "${x.subset}"`).join('; ')} is not defined by a DestinationRule for ${host} (defined: ${[...defined.keys()].join(', ') || 'none'}).`),
      },
    ];
    const empty = [...defined.entries()].filter(([name]) => endpoints(m, host, name).length === 0);
    const podLabels = [...new Set(m.pods.filter((p) => p.ns === NAMESPACE).map((p) => showLabels(p.labels)))].join(' | ');
    parts.push({
      ok: defined.size > 0 && empty.length === 0,
      message: defined.size === 0
        ? msg(`${dr ? at(dr, ['spec']) : 'istio/traffic.yaml'}: DestinationRule에 subsets가 없습니다.`, `${dr ? at(dr, ['spec']) : 'istio/traffic.yaml'}: the DestinationRule defines no subsets.`)
        : msg(
            empty.map(([name, s]) => `${at(s.doc, ['spec', 'subsets', s.index, 'labels'])}: subset "${name}"의 레이블(${showLabels(s.labels)})에 맞는 ${SERVICE} 파드가 없습니다`).join('; ') + ` (파드 레이블: ${podLabels}).`,
            empty.map(([name, s]) => `${at(s.doc, ['spec', 'subsets', s.index, 'labels'])}: subset "${name}" selects ${showLabels(s.labels)}, which no ${SERVICE} Pod carries`).join('; ') + ` (Pods: ${podLabels}).`,
          ),
    });
    push(partial('subsets', 3, parts));
  }

  // The default route: the one ordinary requests take (the first without match, else the last one).
  const https = vs ? arr(get(vs.value, ['spec', 'http'])) : [];
  const firstOpen = https.findIndex((h) => isObj(h) && arr(h.match).length === 0);
  const defIdx = firstOpen >= 0 ? firstOpen : https.length - 1;
  const defDests = defIdx >= 0 ? arr(get(https[defIdx], ['route'])).filter(isObj) : [];
  const weightOf = (d: Obj) => (typeof d.weight === 'number' ? d.weight : defDests.length === 1 ? 100 : 0);
  const defTotal = defDests.reduce((s, d) => s + weightOf(d), 0);
  const shareTo = (pred: (subset: string | undefined) => boolean) => defDests.filter((d) => pred(str(get(d, ['destination', 'subset'])))).reduce((s, d) => s + weightOf(d), 0);

  // weights of the default route: they add up to 100 and give the stable subset 90, the rest 10
  {
    if (!vs || defIdx < 0) {
      push(partial('weights', 2, [{ ok: false, message: msg(`${vs ? at(vs, ['spec', 'http']) : 'istio/traffic.yaml'}: http 경로가 없어서 요청이 갈 곳이 없습니다.`, `${vs ? at(vs, ['spec', 'http']) : 'istio/traffic.yaml'}: there are no http routes, so requests have nowhere to go.`) }]));
    } else {
      const stable = shareTo((x) => x === STABLE);
      const pct = (n: number) => (defTotal > 0 ? ((n / defTotal) * 100).toFixed(1).replace(/\.0$/, '') : '0');
      const where = at(vs, ['spec', 'http', defIdx, 'route']);
      push(
        partial('weights', 2, [
          { ok: defTotal === 100, message: msg(`${where}: 기본 경로의 가중치 합이 ${defTotal}입니다. 비율로 읽히도록 합이 100이 되게 하세요.`, `${where}: the default route's weights add up to ${defTotal}; make them add up to 100 so they read as percentages.`) },
          {
            ok: defTotal > 0 && stable * 10 === defTotal * 9,
            message: msg(
              `${where}: 기본 경로에서 ${STABLE}이 ${pct(stable)}%, 나머지가 ${pct(defTotal - stable)}%를 받습니다. 과제는 ${STABLE} 90%, ${CANARY} 10%입니다.`,
              `${where}: the default route gives ${STABLE} ${pct(stable)}% and the rest ${pct(defTotal - stable)}%; the task is ${STABLE} 90%, ${CANARY} 10%.`,
            ),
          },
        ]),
      );
    }
  }

  // routing: hidden requests through the rules; ordinary ones land in the declared split, testers all on the canary
  {
    const sc = scenarios as unknown as { seed: number; sigmas: number; everyone: Parameters<typeof expand>[0]; testers: Parameters<typeof expand>[0] };
    if (!vs) push(partial('routing', 3, [{ ok: false, message: msg(`${host}를 hosts에 둔 VirtualService가 없습니다.`, `No VirtualService lists ${host} in its hosts.`) }]));
    else {
      const everyone = expand(sc.everyone);
      const testers = expand(sc.testers);
      const a = simulate(m, vs, everyone, sc.seed);
      const b = simulate(m, vs, testers, sc.seed + 1);
      const n = everyone.length;
      const canaryN = a.get(CANARY) ?? 0;
      const stableN = a.get(STABLE) ?? 0;
      // The split the learner declared in the default route (v1 against everything else), and the binomial spread.
      const stableW = shareTo((x) => x === STABLE);
      const p = defTotal > 0 ? (defTotal - stableW) / defTotal : 0;
      const expected = Math.round(n * p);
      const tol = Math.max(1, Math.round(sc.sigmas * Math.sqrt(n * p * (1 - p))));
      const okA = Math.abs(canaryN - n * p) <= tol && stableN + canaryN === n;
      const okB = (b.get(CANARY) ?? 0) === testers.length;
      const errors = [...a.keys()].some((k) => /^\d{3}$/.test(k));
      const declared = defDests.map((d) => `${str(get(d, ['destination', 'subset'])) ?? '(no subset)'} ${weightOf(d)}`).join(', ') || '(nothing)';
      const defWhere = defIdx >= 0 ? at(vs, ['spec', 'http', defIdx]) : at(vs, ['spec']);
      const splits = stableW > 0 && defTotal > stableW && shareTo((x) => x === CANARY) > 0;
      const expectEn = splits
        ? `that should bring about ${n - expected} to ${STABLE} and ${expected} (±${tol}) to ${CANARY}, with no errors`
        : `it must split ordinary requests between the subsets ${STABLE} and ${CANARY}`;
      const expectKo = splits
        ? `${STABLE}에 약 ${n - expected}개, ${CANARY}에 약 ${expected}개(±${tol})가 가고 오류는 없어야 합니다`
        : `일반 요청을 subset ${STABLE}과 ${CANARY}로 나눠야 합니다`;
      push(
        partial('routing', 3, [
          {
            ok: okA,
            message: msg(
              `일반 요청 ${n}개를 여러분의 규칙대로 보낸 결과: ${showCounts(a)}. 기본 경로(${defWhere})의 선언이 ${declared}이니 ${expectKo}.${errors ? ' 503은 subset에 파드가 없거나 subset이 정의되지 않았을 때, 404는 맞는 경로가 없을 때 납니다.' : ''}`,
              `${n} ordinary requests sent through your rules went: ${showCounts(a)}. Your default route (${defWhere}) declares ${declared}; ${expectEn}.${errors ? ' A 503 means the subset is undefined or has no Pods; a 404 means no route matched.' : ''}`,
            ),
          },
          {
            ok: okB,
            message: msg(
              `테스터 요청(x-canary: always) ${testers.length}개의 결과: ${showCounts(b)}. 모두 ${CANARY}로 가야 합니다. 경로는 위에서부터 처음 맞는 것이 이깁니다.`,
              `${testers.length} tester requests (x-canary: always) went: ${showCounts(b)}. All must reach ${CANARY}; the first matching route, from the top, wins.`,
            ),
          },
        ]),
      );
    }
  }

  // mtls: server side STRICT, client side ISTIO_MUTUAL
  {
    const pas = docs.filter((d) => d.kind === 'PeerAuthentication');
    const checkoutLabels = m.pods.filter((p) => p.ns === NAMESPACE && subsetOf(m.services.get(host) ?? { app: SERVICE }, p.labels)).map((p) => p.labels);
    const applies = (d: Doc) => {
      const sel = labelsOf(get(d.value, ['spec', 'selector', 'matchLabels']));
      const scoped = Object.keys(sel).length > 0;
      if (d.ns === NAMESPACE) return !scoped || checkoutLabels.some((l) => subsetOf(sel, l));
      return d.ns === 'istio-system' && !scoped;
    };
    const mode = (d: Doc) => str(get(d.value, ['spec', 'mtls', 'mode'])) ?? 'UNSET';
    const relevant = pas.filter(applies);
    // The most specific policy wins: workload selector, then namespace, then mesh.
    const rank = (d: Doc) => (Object.keys(labelsOf(get(d.value, ['spec', 'selector', 'matchLabels']))).length ? 0 : d.ns === NAMESPACE ? 1 : 2);
    // UNSET inherits from the next level up, so it never decides on its own.
    const effective = [...relevant].filter((d) => mode(d) !== 'UNSET').sort((x, y) => rank(x) - rank(y))[0] ?? relevant.find((d) => mode(d) === 'UNSET');
    const weakPorts = relevant.flatMap((d) => (isObj(get(d.value, ['spec', 'portLevelMtls'])) ? Object.entries(get(d.value, ['spec', 'portLevelMtls']) as Obj).filter(([, v]) => str(get(v, ['mode'])) !== 'STRICT').map(([p]) => `${at(d, ['spec', 'portLevelMtls', p])}: port ${p}`) : []));
    const strict = !!effective && mode(effective) === 'STRICT' && weakPorts.length === 0;
    const tls = dr ? str(get(dr.value, ['spec', 'trafficPolicy', 'tls', 'mode'])) : undefined;
    // A subset's or a port's own tls setting replaces the host-wide one for that traffic.
    const policies: PathPart[][] = dr
      ? [['spec', 'trafficPolicy'], ...arr(get(dr.value, ['spec', 'subsets'])).map((_, i): PathPart[] => ['spec', 'subsets', i, 'trafficPolicy'])]
      : [];
    const tlsPaths = policies.flatMap((pp) => [pp.length === 2 ? null : [...pp, 'tls'], ...arr(get(dr!.value, [...pp, 'portLevelSettings'])).map((_, j): PathPart[] => [...pp, 'portLevelSettings', j, 'tls'])]).filter((x): x is PathPart[] => x !== null);
    const subsetOverrides = tlsPaths.map((tp) => [tp, str(get(dr!.value, [...tp, 'mode']))] as const).filter(([, t]) => t && t !== 'ISTIO_MUTUAL');
    push(
      partial('mtls', 2, [
        {
          ok: strict,
          message: !effective
            ? msg(`${SERVICE}에 적용되는 PeerAuthentication이 없어서 기본값 PERMISSIVE(평문도 받음)로 동작합니다.`, `No PeerAuthentication applies to ${SERVICE}, so it runs with the default, PERMISSIVE (plain text accepted).`)
            : weakPorts.length
              ? msg(`${weakPorts.join('; ')}: 포트별 설정이 STRICT가 아니라서 그 포트는 평문을 받습니다.`, `${weakPorts.join('; ')}: a port-level setting other than STRICT lets plain text in on that port.`)
              : msg(`${at(effective, ['spec', 'mtls', 'mode'])}: ${SERVICE}에 적용되는 PeerAuthentication의 모드가 ${mode(effective)}입니다. 상호 TLS만 받으려면 STRICT여야 합니다.`, `${at(effective, ['spec', 'mtls', 'mode'])}: the PeerAuthentication that applies to ${SERVICE} is ${mode(effective)}; accepting only mutual TLS takes STRICT.`),
        },
        {
          ok: tls === 'ISTIO_MUTUAL' && subsetOverrides.length === 0,
          message: subsetOverrides.length && tls === 'ISTIO_MUTUAL'
            ? msg(`${subsetOverrides.map(([tp, t]) => `${at(dr!, [...tp, 'mode'])}: ${tp.includes('portLevelSettings') ? '포트' : 'subset'} 설정이 tls.mode를 ${t}로 덮어씁니다`).join('; ')}.`, `${subsetOverrides.map(([tp, t]) => `${at(dr!, [...tp, 'mode'])}: a ${tp.includes('portLevelSettings') ? 'port-level' : 'subset'} setting overrides tls.mode with ${t}`).join('; ')}.`)
            : msg(`${dr ? at(dr, ['spec', 'trafficPolicy']) : 'istio/traffic.yaml'}: ${host}로 가는 트래픽의 tls.mode가 ${tls ?? '지정되지 않음'}입니다. 클라이언트 쪽 사이드카가 메시 인증서로 보내게 하는 모드를 쓰세요.`, `${dr ? at(dr, ['spec', 'trafficPolicy']) : 'istio/traffic.yaml'}: traffic to ${host} has tls.mode ${tls ?? 'unset'}; use the mode that makes the client sidecar send with the mesh's certificates.`),
        },
      ]),
    );
  }

  // authz: deny by default, only the frontend reaches checkout
  {
    const aps = docs.filter((d) => d.kind === 'AuthorizationPolicy' && (d.ns === NAMESPACE || d.ns === 'istio-system'));
    const denyAll = aps.find((d) => {
      const s = d.value.spec;
      if (s === undefined || s === null) return true;
      if (!isObj(s)) return false;
      const keys = Object.keys(s).filter((k) => !(k === 'action' && s.action === 'ALLOW'));
      return keys.length === 0;
    });
    const checkoutLabels = m.pods.filter((p) => p.ns === NAMESPACE && p.labels.app === SERVICE).map((p) => p.labels);
    // ALLOW policies that apply to checkout: those selecting its Pods and those for the whole namespace (no selector).
    const allowsCheckout = aps.filter((d) => {
      const action = str(get(d.value, ['spec', 'action'])) ?? 'ALLOW';
      const sel = labelsOf(get(d.value, ['spec', 'selector', 'matchLabels']));
      return action === 'ALLOW' && d !== denyAll && (Object.keys(sel).length === 0 || checkoutLabels.some((l) => subsetOf(sel, l)));
    });
    const problems: string[] = [];
    const problemsKo: string[] = [];
    for (const d of allowsCheckout) {
      arr(get(d.value, ['spec', 'rules'])).forEach((r, i) => {
        const froms = arr(get(r, ['from']));
        const principals = froms.flatMap((f) => arr(get(f, ['source', 'principals'])));
        const spiffe = principals.filter((p): p is string => typeof p === 'string' && p.startsWith('spiffe://'));
        const other = froms.some((f) => isObj(get(f, ['source'])) && Object.keys(get(f, ['source']) as Obj).some((k) => k !== 'principals'));
        if (spiffe.length) {
          problems.push(`${at(d, ['spec', 'rules', i, 'from'])}: principals are written without the spiffe:// prefix (cluster.local/ns/NS/sa/SA), so "${spiffe[0]}" matches no caller`);
          problemsKo.push(`${at(d, ['spec', 'rules', i, 'from'])}: principals는 spiffe:// 없이 cluster.local/ns/NS/sa/SA 형식으로 씁니다. "${spiffe[0]}"는 어떤 호출자와도 맞지 않습니다`);
        } else if (!froms.length || other || !principals.length || principals.some((p) => p !== FRONTEND)) {
          problems.push(`${at(d, ['spec', 'rules', i])}: this rule lets in callers other than ${FRONTEND}`);
          problemsKo.push(`${at(d, ['spec', 'rules', i])}: 이 규칙은 ${FRONTEND}가 아닌 호출자도 들여보냅니다`);
        }
      });
    }
    const frontendAllowed = allowsCheckout.some((d) => arr(get(d.value, ['spec', 'rules'])).some((r) => arr(get(r, ['from'])).some((f) => arr(get(f, ['source', 'principals'])).includes(FRONTEND))));
    push(
      partial('authz', 2, [
        { ok: !!denyAll, message: msg(`istio/security.yaml: ${NAMESPACE} 네임스페이스에 "기본 거부" 정책(빈 spec의 AuthorizationPolicy)이 없습니다.`, `istio/security.yaml: the ${NAMESPACE} namespace has no deny-by-default policy (an AuthorizationPolicy with an empty spec).`) },
        {
          ok: frontendAllowed && problems.length === 0,
          message: problems.length ? msg(problemsKo.join('; ') + '.', problems.join('; ') + '.') : msg(`istio/security.yaml: ${SERVICE}를 선택해 ${FRONTEND}를 허용하는 ALLOW 정책이 없습니다. 기본 거부만 있으면 frontend도 403을 받습니다.`, `istio/security.yaml: no ALLOW policy selects ${SERVICE} and lets in ${FRONTEND}; with only deny-by-default, the frontend gets 403 too.`),
        },
      ]),
    );
  }

  return { gradable: true, checks };
}
