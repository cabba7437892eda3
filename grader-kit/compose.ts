/**
 * For the labs of week 2. Reading a compose file as Docker Compose does (compose-go's loader, in the order it applies things): variables
 * interpolated first (`$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}`, `${VAR+alt}`,
 * `${VAR:?err}`, `${VAR?err}`, `$$`), with nothing set in the environment (the grader has no `.env` and no shell);
 * then the schema (the current Compose Specification, compose-spec.json); then the parts this lab needs: which
 * service builds from the project folder, the container ports it publishes (short syntax
 * `[ip:][host[-range]:]container[-range][/proto]`, bare numbers, long syntax) and the restart policy the engine gets
 * (`deploy.restart_policy` replaces `restart` when present, as `docker compose up` does).
 */
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { get, isObj, type Json, type Obj } from './yamldocs';
import composeSpec from './compose-spec.json';

export class InterpolationError extends Error {}

/** Interpolates one string as compose-go's template package does, every variable unset. */
export function interpolate(s: string, env: ReadonlyMap<string, string> = new Map()): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (ch !== '$') {
      out += ch;
      i++;
      continue;
    }
    const next = s[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '{') {
      // find the matching brace (defaults may nest `${...}`)
      let depth = 1;
      let j = i + 2;
      while (j < s.length && depth > 0) {
        if (s[j] === '{') depth++;
        else if (s[j] === '}') depth--;
        if (depth > 0) j++;
      }
      if (depth !== 0) throw new InterpolationError(`invalid interpolation format for "${s.slice(i, i + 40)}": a "\${" has no closing "}"`);
      const body = s.slice(i + 2, j);
      out += substitute(body, env);
      i = j + 1;
    } else if (next !== undefined && /[A-Za-z_]/.test(next)) {
      let j = i + 1;
      while (j < s.length && /[A-Za-z0-9_]/.test(s[j]!)) j++;
      out += env.get(s.slice(i + 1, j)) ?? '';
      i = j;
    } else {
      out += '$';
      i++;
    }
  }
  return out;
}

function substitute(body: string, env: ReadonlyMap<string, string>): string {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+?])([\s\S]*))?$/.exec(body);
  if (!m) throw new InterpolationError(`invalid interpolation format for "\${${body.slice(0, 40)}}"`);
  const [, name, op, rest = ''] = m;
  const value = env.get(name!);
  switch (op) {
    case undefined:
      return value ?? '';
    case ':-':
      return value ? value : interpolate(rest, env);
    case '-':
      return value !== undefined ? value : interpolate(rest, env);
    case ':+':
      return value ? interpolate(rest, env) : '';
    case '+':
      return value !== undefined ? interpolate(rest, env) : '';
    case ':?':
    case '?':
      if (op === ':?' ? !value : value === undefined)
        throw new InterpolationError(`required variable ${name} is missing a value${rest ? `: ${interpolate(rest, env)}` : ''}`);
      return value!;
  }
  return value ?? '';
}

/** Interpolates every string value (keys are left as written, as Compose does). */
export function interpolateTree(v: Json, at: (string | number)[] = []): { value: Json; error?: { path: (string | number)[]; message: string } } {
  let error: { path: (string | number)[]; message: string } | undefined;
  const walk = (x: Json, p: (string | number)[]): Json => {
    if (typeof x === 'string') {
      try {
        return interpolate(x);
      } catch (e) {
        error ??= { path: p, message: (e as Error).message };
        return x;
      }
    }
    if (Array.isArray(x)) return x.map((y, k) => walk(y, [...p, k]));
    if (isObj(x)) return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, walk(y, [...p, k])]));
    return x;
  };
  const value = walk(v, at);
  return error ? { value, error } : { value };
}

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
const validateSpec = ajv.compile(composeSpec as object);

export interface SchemaProblem {
  path: (string | number)[];
  message: string;
}

/** The Compose Specification's verdict, the most specific error first (as compose-go reports it). */
export function validateCompose(doc: Obj): SchemaProblem[] {
  if (validateSpec(doc)) return [];
  const errs = [...(validateSpec.errors ?? [])];
  const depth = (e: (typeof errs)[number]) => e.instancePath.split('/').length + (e.keyword === 'additionalProperties' ? 1 : 0);
  errs.sort((a, b) => depth(b) - depth(a));
  return errs.map((e) => {
    const p = e.instancePath
      .split('/')
      .filter(Boolean)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const extra =
      e.keyword === 'additionalProperties'
        ? ` (${String((e.params as { additionalProperty: string }).additionalProperty)})`
        : e.keyword === 'enum'
          ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})`
          : '';
    return {
      path: e.keyword === 'additionalProperties' ? [...p, (e.params as { additionalProperty: string }).additionalProperty] : p,
      message: `${p.join('.') || '(top level)'} ${e.message ?? 'is invalid'}${extra}`,
    };
  });
}

/** A service's build context, as Compose resolves it relative to the compose file's folder; undefined without `build`. */
export function buildContext(service: Json): string | undefined {
  const b = get(service, ['build']);
  if (typeof b === 'string') return b;
  if (isObj(b)) return typeof b.context === 'string' ? b.context : b.context === undefined ? '.' : undefined;
  return undefined;
}

/** Whether a context names the compose file's own folder (`.`, `./`, `./.`, `""` is not a path). */
export function isProjectFolder(ctx: string | undefined): boolean {
  if (ctx === undefined || ctx === '') return false;
  return path.posix.normalize(ctx) === '.' || path.posix.normalize(ctx) === './';
}

export interface PublishedPort {
  /** Container port range (inclusive); a single port has from = to. */
  from: number;
  to: number;
  protocol: string;
  /** Host port as written, or undefined for "any free port". */
  published?: string;
  index: number;
}

function range(s: string): [number, number] | undefined {
  const m = /^(\d+)(?:-(\d+))?$/.exec(s.trim());
  if (!m) return undefined;
  const a = Number(m[1]);
  const b = m[2] === undefined ? a : Number(m[2]);
  return a >= 1 && b >= a && b <= 65535 ? [a, b] : undefined;
}

/** The ports a service publishes (short syntax, bare numbers and the long syntax), after interpolation. */
export function publishedPorts(service: Json): { ports: PublishedPort[]; bad: { index: number; value: string }[] } {
  const list = get(service, ['ports']);
  const ports: PublishedPort[] = [];
  const bad: { index: number; value: string }[] = [];
  if (!Array.isArray(list)) return { ports, bad };
  list.forEach((p, index) => {
    if (isObj(p)) {
      const t = typeof p.target === 'number' ? [p.target, p.target] : typeof p.target === 'string' ? range(p.target) : undefined;
      if (!t) return void bad.push({ index, value: JSON.stringify(p.target ?? null) });
      const published = p.published === undefined || p.published === null || p.published === '' ? undefined : String(p.published);
      ports.push({ from: t[0]!, to: t[1]!, protocol: typeof p.protocol === 'string' ? p.protocol.toLowerCase() : 'tcp', published, index });
      return;
    }
    if (typeof p !== 'number' && typeof p !== 'string') return void bad.push({ index, value: JSON.stringify(p) });
    let s = String(p).trim();
    let protocol = 'tcp';
    const slash = s.lastIndexOf('/');
    if (slash >= 0) {
      protocol = s.slice(slash + 1).toLowerCase();
      s = s.slice(0, slash);
    }
    // [ip:][host:]container; an IPv6 host address is written in brackets
    let rest = s;
    if (rest.startsWith('[')) {
      const close = rest.indexOf(']');
      if (close < 0 || rest[close + 1] !== ':') return void bad.push({ index, value: String(p) });
      rest = rest.slice(close + 2);
    }
    const parts = rest.split(':');
    const container = range(parts.at(-1)!);
    if (!container || parts.length > 3 || (parts.length >= 2 && parts.at(-2) !== '' && !range(parts.at(-2)!)))
      return void bad.push({ index, value: String(p) });
    const published = parts.length >= 2 && parts.at(-2) !== '' ? parts.at(-2) : undefined;
    ports.push({ from: container[0], to: container[1], protocol, published, index });
  });
  return { ports, bad };
}

export type RestartVerdict =
  | { kind: 'none'; source: 'restart' | 'deploy' | 'default'; value?: string }
  | { kind: 'invalid'; source: 'restart' | 'deploy'; value: string }
  | { kind: 'on-failure'; source: 'restart' | 'deploy'; value: string; maxRetries: number }
  | { kind: 'always' | 'unless-stopped'; source: 'restart' | 'deploy'; value: string };

/** The restart policy `docker compose up` gives the container (docker/compose pkg/compose/create.go getRestartPolicy). */
export function restartPolicy(service: Json): RestartVerdict {
  const policy = get(service, ['deploy', 'restart_policy']);
  if (isObj(policy)) {
    const cond = policy.condition === undefined || policy.condition === null ? '' : String(policy.condition);
    const max = typeof policy.max_attempts === 'number' ? policy.max_attempts : 0;
    switch (cond) {
      case '':
      case 'none':
      case 'no':
        return { kind: 'none', source: 'deploy', value: cond };
      case 'any':
      case 'always':
        return { kind: 'always', source: 'deploy', value: cond };
      case 'unless-stopped':
        return { kind: 'unless-stopped', source: 'deploy', value: cond };
      case 'on-failure':
        return { kind: 'on-failure', source: 'deploy', value: cond, maxRetries: max };
      default:
        return { kind: 'invalid', source: 'deploy', value: cond };
    }
  }
  const r = get(service, ['restart']);
  if (r === undefined || r === null) return { kind: 'none', source: 'default' };
  const value = String(r);
  if (value === '' || value === 'no') return { kind: 'none', source: 'restart', value };
  if (value === 'always' || value === 'unless-stopped') return { kind: value, source: 'restart', value };
  const m = /^on-failure(?::(\d+))?$/.exec(value);
  if (m) return { kind: 'on-failure', source: 'restart', value, maxRetries: m[1] === undefined ? 0 : Number(m[1]) };
  return { kind: 'invalid', source: 'restart', value };
}
