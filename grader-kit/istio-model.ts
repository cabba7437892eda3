/**
 * The submission as the mesh sees it, for the mesh labs (week 10 and its troubleshooting lab): every resource with its
 * namespace (the lab's namespace when the file names none, as `kubectl apply -n shop` would), the Services and the
 * Pods each Deployment runs, and where each field was written.
 */
import { msg, NotGradable, type Msg, type Submission } from './index';
import { get, isObj, parseYamlFile, type Json, type Obj, type PathPart, type YamlDoc } from './yamldocs';

export const NAMESPACE = 'shop';
/** Istio's root namespace: a policy there without a selector applies to the whole mesh. */
export const ROOT_NAMESPACE = 'istio-system';

export interface Res {
  file: string;
  value: Obj;
  kind: string;
  name: string;
  ns: string;
  /** Was metadata.namespace written (false: the lab's namespace, as with kubectl apply -n shop)? */
  nsWritten: boolean;
  /** The line a field of this resource is written on. */
  line(path?: PathPart[]): number;
}

export { msg };

/** Messages as sentences: each ends with a full stop, joined by spaces. */
export function sentences(msgs: Msg[]): Msg {
  const stop = (s: string) => (s === '' || /[.!?]$/.test(s) ? s : `${s}.`);
  const cap = (s: string) => (/^[\w./-]+:\d+/.test(s) ? s : s.charAt(0).toUpperCase() + s.slice(1));
  const part = (lang: 'ko' | 'en') =>
    msgs
      .map((m) => stop((typeof m === 'string' ? m : m[lang]).trim()))
      .filter(Boolean)
      .map((x) => (lang === 'en' ? cap(x) : x))
      .join(' ');
  return { ko: part('ko'), en: part('en') };
}
export const at = (r: { file: string; line(p?: PathPart[]): number }, p: PathPart[] = []) => `${r.file}:${r.line(p)}`;
export const str = (v: Json | undefined) => (typeof v === 'string' ? v : undefined);
export const arr = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);
export const labelsOf = (v: Json | undefined): Record<string, string> =>
  isObj(v)
    ? Object.fromEntries(
        Object.entries(v)
          .filter(([, x]) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean')
          .map(([k, x]) => [k, String(x)]),
      )
    : {};
export const subsetOf = (sel: Record<string, string>, labels: Record<string, string>) => Object.entries(sel).every(([k, v]) => labels[k] === v);
export const showLabels = (l: Record<string, string>) =>
  Object.entries(l)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ') || '(none)';

/** Istio resolves a short host name in the namespace of the resource that names it. */
export function fqdn(host: string, ns: string): string {
  const h = host.trim().toLowerCase();
  if (h.endsWith('.svc.cluster.local') || h === '*' || h.startsWith('*.')) return h;
  const parts = h.split('.');
  if (parts.length === 1) return `${h}.${ns}.svc.cluster.local`;
  if (parts.length === 2) return `${h}.svc.cluster.local`;
  if (parts.length === 3 && parts[2] === 'svc') return `${h}.cluster.local`;
  return h;
}

/** Does a host as written in a resource of namespace `ns` (short, FQDN or a `*.` wildcard) cover the FQDN `host`? */
export function hostCovers(written: string, ns: string, host: string): boolean {
  const h = fqdn(written, ns);
  if (h === '*') return true;
  if (h.startsWith('*.')) return host.endsWith(h.slice(1));
  return h === host;
}

export interface Pod {
  ns: string;
  /** The Deployment's name. */
  name: string;
  labels: Record<string, string>;
  serviceAccount: string;
  replicas: number;
  res: Res;
}

export interface Service {
  ns: string;
  name: string;
  host: string;
  selector: Record<string, string>;
  ports: { name?: string; port: number }[];
  res: Res;
}

export interface Model {
  resources: Res[];
  pods: Pod[];
  services: Map<string, Service>;
}

/** The files a lab needs (a missing one is not gradable) and the kinds it cannot do without. */
export interface LoadOptions {
  required: string[];
  kinds?: string[];
}

export function load(sub: Submission, opts: LoadOptions): Model {
  for (const f of opts.required)
    if (!sub.has(f)) throw new NotGradable(msg(`${f} 파일이 없습니다. 시작 파일의 구조를 그대로 두세요.`, `${f} is missing. Keep the starter's layout.`));
  const resources: Res[] = [];
  for (const f of sub.paths().filter((p) => /\.ya?ml$/.test(p))) {
    for (const d of parseYamlFile(sub, f)) {
      if (!isObj(d.value))
        throw new NotGradable(msg(`${f}:${d.line()}: 쿠버네티스 리소스(매핑)가 아닙니다.`, `${f}:${d.line()}: not a Kubernetes resource (a mapping).`));
      // `kind: List` (what kubectl get -o yaml prints): kubectl applies each item.
      const items: [Obj, PathPart[]][] =
        str(d.value.kind)?.endsWith('List') && Array.isArray(d.value.items)
          ? d.value.items.flatMap((x, i): [Obj, PathPart[]][] => (isObj(x) ? [[x, ['items', i]]] : []))
          : [[d.value, []]];
      for (const [value, base] of items) resources.push(resource(d, value, base));
    }
  }
  for (const kind of opts.kinds ?? []) {
    // The Korean subject particle follows the name's last sound: VirtualService가, DestinationRule이, PeerAuthentication이.
    const particle = /(Rule|Authentication)$/.test(kind) ? '이' : '가';
    if (!resources.some((r) => r.kind === kind)) throw new NotGradable(msg(`${kind}${particle} 하나도 없습니다.`, `There is no ${kind}.`));
  }

  const pods: Pod[] = resources
    .filter((r) => r.kind === 'Deployment')
    .map((r) => {
      const replicas = get(r.value, ['spec', 'replicas']);
      return {
        ns: r.ns,
        name: r.name,
        labels: labelsOf(get(r.value, ['spec', 'template', 'metadata', 'labels'])),
        serviceAccount: str(get(r.value, ['spec', 'template', 'spec', 'serviceAccountName'])) ?? 'default',
        replicas: typeof replicas === 'number' && replicas >= 0 ? replicas : 1,
        res: r,
      };
    });
  const services = new Map<string, Service>();
  for (const r of resources.filter((x) => x.kind === 'Service')) {
    const host = fqdn(r.name, r.ns);
    const ports = arr(get(r.value, ['spec', 'ports']))
      .filter(isObj)
      .flatMap((p) => (typeof p.port === 'number' ? [{ name: str(p.name), port: p.port }] : []));
    services.set(host, { ns: r.ns, name: r.name, host, selector: labelsOf(get(r.value, ['spec', 'selector'])), ports, res: r });
  }
  return { resources, pods, services };
}

function resource(d: YamlDoc, value: Obj, base: PathPart[]): Res {
  const line = (p: PathPart[] = []) => d.line([...base, ...p]);
  const kind = str(value.kind);
  if (!kind) throw new NotGradable(msg(`${d.file}:${line()}: kind가 없습니다.`, `${d.file}:${line()}: no kind.`));
  const written = str(get(value, ['metadata', 'namespace']));
  return { file: d.file, value, kind, name: str(get(value, ['metadata', 'name'])) ?? '', ns: written || NAMESPACE, nsWritten: !!written, line };
}

/** The Pods (Deployments with their replica counts) a Service selects, narrowed by a subset's labels. */
export function endpoints(m: Model, host: string, extra: Record<string, string> = {}): Pod[] {
  const svc = m.services.get(host);
  if (!svc || !Object.keys(svc.selector).length) return [];
  return m.pods.filter((p) => p.ns === svc.ns && p.replicas > 0 && subsetOf(svc.selector, p.labels) && subsetOf(extra, p.labels));
}

/** What a Pod counts as in the results: its `version` label (v1, v2), else its Deployment's name. */
export const versionOf = (p: Pod) => p.labels.version ?? p.name;
