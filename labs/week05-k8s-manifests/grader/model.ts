/** The submission as objects: every Kubernetes document with where it came from. */
import type { Msg } from '../../../grader-kit/index';
import { dotted, get, isObj, type Json, type Obj, type PathPart, type YamlDoc } from '../../../grader-kit/yamldocs';

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
