/**
 * A Deployment's rollout and a PodDisruptionBudget read with Kubernetes' own semantics:
 * - what the API server refuses (apps validation: an int-or-percent must be an integer or "N%", not negative,
 *   maxUnavailable at most 100 %, maxSurge and maxUnavailable not both 0; policy validation: not both minAvailable and
 *   maxUnavailable);
 * - what the Deployment controller does (defaults 25 %/25 %; maxSurge scaled rounding up, maxUnavailable rounding
 *   down; both resolving to 0 makes maxUnavailable 1: deployment util ResolveFenceposts);
 * - what the disruption controller does (a percentage scaled rounding up, against the replicas);
 * - label selectors (matchLabels and matchExpressions: In, NotIn, Exists, DoesNotExist; an empty selector of a
 *   policy/v1 PodDisruptionBudget selects every Pod in its namespace);
 * - probes on named or numbered ports.
 */
import { get, isObj, type Json, type PathPart } from './yamldocs';

export type IntOrPercent = { kind: 'int'; n: number } | { kind: 'percent'; n: number } | { kind: 'invalid'; raw: string };

/** An int-or-string as the API reads it: a number, or a string of digits followed by "%" (a bare "1" is refused). */
export function intOrPercent(v: Json | undefined): IntOrPercent | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return Number.isInteger(v) ? { kind: 'int', n: v } : { kind: 'invalid', raw: String(v) };
  if (typeof v === 'string') {
    const m = /^(-?\d+)%$/.exec(v);
    return m ? { kind: 'percent', n: Number(m[1]) } : { kind: 'invalid', raw: v };
  }
  return { kind: 'invalid', raw: JSON.stringify(v) };
}

/** intstr.GetScaledValueFromIntOrPercent. */
export function scaledValue(v: IntOrPercent, total: number, roundUp: boolean): number {
  if (v.kind === 'int') return v.n;
  if (v.kind === 'percent') return roundUp ? Math.ceil((v.n * total) / 100) : Math.floor((v.n * total) / 100);
  return NaN;
}

export interface ApiProblem {
  path: PathPart[];
  ko: string;
  en: string;
}

export interface Rollout {
  type: string;
  replicas: number;
  /** As written (undefined: the default 25 %). */
  rawSurge?: Json;
  rawUnavailable?: Json;
  /** What the controller uses (after defaults, scaling and the fencepost rule); NaN when the API refuses the value. */
  surge: number;
  unavailable: number;
  problems: ApiProblem[];
}

/** The rolling update a Deployment really gets, and what the API server would refuse about it. */
export function readRollout(dep: Json): Rollout {
  const type = typeof get(dep, ['spec', 'strategy', 'type']) === 'string' ? (get(dep, ['spec', 'strategy', 'type']) as string) : 'RollingUpdate';
  const r = get(dep, ['spec', 'replicas']);
  const replicas = typeof r === 'number' ? r : 1;
  const ru = get(dep, ['spec', 'strategy', 'rollingUpdate']);
  const problems: ApiProblem[] = [];
  const base: PathPart[] = ['spec', 'strategy', 'rollingUpdate'];
  if (type === 'Recreate' && ru !== undefined && ru !== null) {
    problems.push({
      path: base,
      en: "spec.strategy.rollingUpdate may not be specified when strategy type is 'Recreate'",
      ko: "strategy type이 'Recreate'이면 spec.strategy.rollingUpdate를 쓸 수 없습니다",
    });
  }
  const rawSurge = get(ru, ['maxSurge']);
  const rawUnavailable = get(ru, ['maxUnavailable']);
  const surgeV = intOrPercent(rawSurge) ?? { kind: 'percent', n: 25 };
  const unavailV = intOrPercent(rawUnavailable) ?? { kind: 'percent', n: 25 };
  for (const [name, v] of [
    ['maxSurge', surgeV],
    ['maxUnavailable', unavailV],
  ] as const) {
    if (v.kind === 'invalid')
      problems.push({
        path: [...base, name],
        en: `spec.strategy.rollingUpdate.${name}: ${v.raw} is neither an integer nor a percentage such as "25%"`,
        ko: `spec.strategy.rollingUpdate.${name}: ${v.raw}는 정수도 "25%" 같은 백분율도 아닙니다`,
      });
    else if (v.n < 0)
      problems.push({
        path: [...base, name],
        en: `spec.strategy.rollingUpdate.${name} must not be negative`,
        ko: `spec.strategy.rollingUpdate.${name}는 음수일 수 없습니다`,
      });
  }
  if (unavailV.kind === 'percent' && unavailV.n > 100)
    problems.push({
      path: [...base, 'maxUnavailable'],
      en: 'spec.strategy.rollingUpdate.maxUnavailable must not be greater than 100%',
      ko: 'spec.strategy.rollingUpdate.maxUnavailable은 100%보다 클 수 없습니다',
    });
  // Validation compares the values against 100 (a percentage is its number), so only a literal 0 or "0%" is zero here.
  if (type === 'RollingUpdate' && surgeV.kind !== 'invalid' && unavailV.kind !== 'invalid' && surgeV.n === 0 && unavailV.n === 0) {
    problems.push({
      path: [...base, 'maxUnavailable'],
      en: 'spec.strategy.rollingUpdate.maxUnavailable may not be 0 when maxSurge is 0: the rollout could neither add a new Pod nor remove an old one',
      ko: 'maxSurge가 0이면 spec.strategy.rollingUpdate.maxUnavailable은 0일 수 없습니다. 새 Pod를 더할 수도, 예전 Pod를 뺄 수도 없어 롤아웃이 진행되지 않습니다',
    });
  }
  let surge = scaledValue(surgeV, replicas, true);
  let unavailable = scaledValue(unavailV, replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1; // ResolveFenceposts
  if (type !== 'RollingUpdate') {
    surge = 0;
    unavailable = replicas;
  }
  return { type, replicas, rawSurge, rawUnavailable, surge, unavailable, problems };
}

export interface LabelSelector {
  matchLabels?: Record<string, Json>;
  matchExpressions?: { key?: Json; operator?: Json; values?: Json }[];
}

/** Does a label selector select these labels? Undefined selector: nothing; an empty one: everything. */
export function selects(selector: Json | undefined, labels: Record<string, Json>): boolean {
  if (!isObj(selector)) return false;
  const ml = isObj(selector.matchLabels) ? selector.matchLabels : {};
  for (const [k, v] of Object.entries(ml)) if (labels[k] !== v) return false;
  const me = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  for (const e of me) {
    if (!isObj(e) || typeof e.key !== 'string') return false;
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    const value = has ? String(labels[e.key]) : undefined;
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(value!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(value!)) return false;
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

export interface Budget {
  /** Pods the budget keeps when all replicas are healthy (desiredHealthy), or undefined when it sets nothing. */
  mustStay?: number;
  /** Evictions it allows when all replicas are healthy. */
  allowed?: number;
  problems: ApiProblem[];
}

/** What a PodDisruptionBudget demands of a Deployment with this many replicas (disruption controller). */
export function readBudget(pdb: Json, replicas: number): Budget {
  const problems: ApiProblem[] = [];
  const rawMin = get(pdb, ['spec', 'minAvailable']);
  const rawMax = get(pdb, ['spec', 'maxUnavailable']);
  if (rawMin !== undefined && rawMax !== undefined)
    problems.push({
      path: ['spec'],
      en: 'spec.minAvailable and spec.maxUnavailable cannot both be set',
      ko: 'spec.minAvailable과 spec.maxUnavailable을 함께 쓸 수 없습니다',
    });
  const min = intOrPercent(rawMin);
  const max = intOrPercent(rawMax);
  for (const [name, v] of [
    ['minAvailable', min],
    ['maxUnavailable', max],
  ] as const) {
    if (!v) continue;
    if (v.kind === 'invalid')
      problems.push({
        path: ['spec', name],
        en: `spec.${name}: ${v.raw} is neither an integer nor a percentage such as "50%"`,
        ko: `spec.${name}: ${v.raw}는 정수도 "50%" 같은 백분율도 아닙니다`,
      });
    else if (v.n < 0) problems.push({ path: ['spec', name], en: `spec.${name} must not be negative`, ko: `spec.${name}는 음수일 수 없습니다` });
    else if (v.kind === 'percent' && v.n > 100)
      problems.push({ path: ['spec', name], en: `spec.${name} must not be greater than 100%`, ko: `spec.${name}는 100%보다 클 수 없습니다` });
  }
  let mustStay: number | undefined;
  if (min && min.kind !== 'invalid') mustStay = scaledValue(min, replicas, true);
  else if (max && max.kind !== 'invalid') mustStay = Math.max(0, replicas - scaledValue(max, replicas, true));
  return { mustStay, allowed: mustStay === undefined ? undefined : Math.max(0, replicas - mustStay), problems };
}

/** The container port a probe's `port` means: a number, or the name of one of the container's ports. */
export function probePort(container: Json, port: Json | undefined): number | undefined {
  if (typeof port === 'number') return port;
  if (typeof port !== 'string') return undefined;
  const ports = get(container, ['ports']);
  const hit = Array.isArray(ports) ? ports.find((p) => isObj(p) && p.name === port) : undefined;
  const n = hit ? get(hit, ['containerPort']) : undefined;
  return typeof n === 'number' ? n : undefined;
}

/** How long a preStop hook waits before SIGTERM: `sleep: { seconds }`, or `exec` running `sleep N`. */
export function preStopSeconds(c: Json): number {
  const s = get(c, ['lifecycle', 'preStop', 'sleep', 'seconds']);
  if (typeof s === 'number') return s;
  const cmd = get(c, ['lifecycle', 'preStop', 'exec', 'command']);
  const m = Array.isArray(cmd) ? /\bsleep\s+(\d+)/.exec(cmd.map(String).join(' ')) : null;
  return m ? Number(m[1]) : 0;
}
