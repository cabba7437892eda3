/**
 * Kubernetes manifests as objects, for the labs that read them (week 5 and its troubleshooting lab): every object with
 * the file and line it came from, and what Kubernetes itself does with the objects' fields when they meet in a
 * cluster: label selectors, container ports and the int-or-string references to them, image references.
 */
import type { Msg } from './index';
import { dotted, get, isObj, type Json, type Obj, type PathPart, type YamlDoc } from './yamldocs';

/** One thing wrong, at a file and line. */
export interface Finding {
  file: string;
  line: number;
  /** How to name the place, when more than file:line helps ("k8s/a.yaml:3 (Deployment web, spec.replicas)"). */
  where?: string;
  ko: string;
  en: string;
}

export class K8sObject {
  constructor(
    readonly doc: YamlDoc,
    readonly value: Obj,
    /** Where the object sits in its document: [] for a document of its own, ['items', i] for an item of a List. */
    readonly base: PathPart[] = [],
  ) {}

  /** The line a field of this object is written on. */
  line(path: PathPart[] = []): number {
    return this.doc.line([...this.base, ...path]);
  }

  /** "k8s/deployment.yaml:12" for a field of this object. */
  at(path: PathPart[] = []): string {
    return `${this.doc.file}:${this.line(path)}`;
  }

  get kind(): string {
    return typeof this.value.kind === 'string' ? this.value.kind : '?';
  }

  get name(): string {
    const n = get(this.value, ['metadata', 'name']);
    return typeof n === 'string' ? n : '(no name)';
  }

  get(path: PathPart[]): Json | undefined {
    return get(this.value, path);
  }

  /** "k8s/deployment.yaml:23 (Deployment web, spec.replicas)" */
  where(path: PathPart[] = []): string {
    const p = dotted(path);
    return `${this.doc.file}:${this.line(path)} (${this.kind} ${this.name}${p ? `, ${p}` : ''})`;
  }

  find(path: PathPart[], en: string, ko: string): Finding {
    return { file: this.doc.file, line: this.line(path), where: this.where(path), en, ko };
  }
}

export function isK8s(v: Json): v is Obj {
  return isObj(v);
}

/** Joins findings into one bilingual message: the first few, then how many more. */
export function summarise(findings: Finding[], max = 3): Msg {
  const shown = findings.slice(0, max);
  const more = findings.length - shown.length;
  return {
    en: shown.map((f) => ensureStop(`${place(f)}: ${f.en}`)).join(' ') + (more > 0 ? ` (and ${more} more)` : ''),
    ko: shown.map((f) => ensureStop(`${place(f)}: ${f.ko}`)).join(' ') + (more > 0 ? ` (외 ${more}건)` : ''),
  };
}

function place(f: Finding): string {
  return f.where ?? `${f.file}:${f.line}`;
}

function ensureStop(s: string): string {
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

// ---------------------------------------------------------------------------------------------------------------
// From documents to objects

/** A `kind: List` (or SomethingList) document of apiVersion v1 with an items array. */
export function isList(v: Obj): boolean {
  return typeof v.kind === 'string' && /List$/.test(v.kind) && v.apiVersion === 'v1' && Array.isArray(v.items);
}

/**
 * The objects of some YAML documents as `kubectl apply` takes them: a document is one object, a `kind: List` (what
 * `kubectl get -o yaml` prints) is each of its items. `strays` are documents that are no object at all.
 */
export function objectsOf(docs: YamlDoc[]): { objects: K8sObject[]; strays: YamlDoc[] } {
  const objects: K8sObject[] = [];
  const strays: YamlDoc[] = [];
  for (const d of docs) {
    if (!isObj(d.value)) strays.push(d);
    else if (isList(d.value)) {
      (d.value.items as Json[]).forEach((item, i) => {
        if (isObj(item)) objects.push(new K8sObject(d, item, ['items', i]));
        else strays.push({ ...d, line: (p: PathPart[] = []) => d.line(['items', i, ...p]) });
      });
    } else objects.push(new K8sObject(d, d.value));
  }
  return { objects, strays };
}

// ---------------------------------------------------------------------------------------------------------------
// Labels and selectors

/** The string-valued labels (or any map of scalars) at a path of an object. */
export function labelsAt(o: K8sObject, path: PathPart[]): Record<string, string> {
  const v = o.get(path);
  const out: Record<string, string> = {};
  if (isObj(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
  return out;
}

/** A Kubernetes label selector (matchLabels and matchExpressions) against a set of labels; an empty selector selects nothing. */
export function selects(selector: Json | undefined, labels: Record<string, string>): boolean {
  if (!isObj(selector)) return false;
  const ml = isObj(selector.matchLabels) ? selector.matchLabels : {};
  const me = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  if (!Object.keys(ml).length && !me.length) return false;
  for (const [k, v] of Object.entries(ml)) if (labels[k] !== String(v)) return false;
  for (const e of me) {
    if (!isObj(e) || typeof e.key !== 'string') return false;
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    const has = e.key in labels;
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(labels[e.key]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[e.key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** "a=b, c=d", or "(none)". */
export const fmtLabels = (l: Record<string, string>) =>
  Object.keys(l).length
    ? Object.entries(l)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')
    : '(none)';

// ---------------------------------------------------------------------------------------------------------------
// Containers and ports

/** The pod template's spec in a workload (Deployment, StatefulSet, DaemonSet, Job, ReplicaSet). */
export const POD_SPEC: PathPart[] = ['spec', 'template', 'spec'];

export interface ContainerRef {
  d: K8sObject;
  path: PathPart[];
  c: Obj;
  name: string;
}

/** The containers of a workload's pod template (`containers`, and `initContainers` when asked), with their paths. */
export function containers(d: K8sObject, groups: ('containers' | 'initContainers')[] = ['containers']): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const g of groups) {
    const cs = d.get([...POD_SPEC, g]);
    if (!Array.isArray(cs)) continue;
    cs.forEach((c, i) => {
      if (isObj(c)) out.push({ d, path: [...POD_SPEC, g, i], c, name: typeof c.name === 'string' ? c.name : `#${i}` });
    });
  }
  return out;
}

export interface PortRef {
  number: number | null;
  name: string | null;
  protocol: string;
}

export function containerPorts(c: Obj): PortRef[] {
  const ports = Array.isArray(c.ports) ? c.ports : [];
  return ports.filter(isObj).map((p) => ({
    number: typeof p.containerPort === 'number' ? p.containerPort : null,
    name: typeof p.name === 'string' ? p.name : null,
    protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP',
  }));
}

/**
 * The port number an int-or-string reference (a probe's port, a Service's targetPort) resolves to in a container, or
 * null: a number stands for itself, a name for the declared port of that name. "8080" in quotes is a port *name*,
 * and an invalid one, so it resolves to nothing.
 */
export function resolvePort(ref: Json | undefined, ports: PortRef[], protocol = 'TCP'): number | null {
  if (typeof ref === 'number') return Number.isInteger(ref) ? ref : null;
  if (typeof ref === 'string' && !/^\d+$/.test(ref)) return ports.find((p) => p.name === ref && p.protocol === protocol)?.number ?? null;
  return null;
}

/** Does an int-or-string port reference name one of these declared ports? */
export function portMatches(ref: Json | undefined, ports: PortRef[], protocol = 'TCP'): boolean {
  if (typeof ref === 'number') return ports.some((p) => p.number === ref && p.protocol === protocol);
  if (typeof ref === 'string' && /^\d+$/.test(ref)) return false;
  if (typeof ref === 'string') return ports.some((p) => p.name === ref && p.protocol === protocol);
  return false;
}

/** "8080 (http), 9090", or "(none)". */
export const portList = (ports: PortRef[]) => (ports.length ? ports.map((p) => `${p.number ?? '?'}${p.name ? ` (${p.name})` : ''}`).join(', ') : '(none)');

// ---------------------------------------------------------------------------------------------------------------
// Images

/** An image reference split as the container runtime reads it: registry ports are part of the name, not a tag. */
export function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { name: rest, digest };
}
