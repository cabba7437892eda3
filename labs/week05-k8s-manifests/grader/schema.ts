/**
 * Validates Kubernetes objects the way `kubectl apply` would before anything reaches a cluster: the OpenAPI schema
 * (kubernetes-models' compiled validators: types, required fields, enums, quantity format), unknown fields (strict
 * field validation, kubectl's default since Kubernetes 1.27; the table comes from lib/grader-kit/gen-k8s-known-fields.mjs; both through lib/grader-kit/k8s-fields.ts), and a few
 * rules the API server enforces beyond the schema (names, port names, a non-empty Deployment selector).
 */
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Service } from 'kubernetes-models/v1/Service';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import knownFields from './known-fields.json';
import { dotted, get, isObj, type Json, type Obj, type PathPart } from '../../../lib/grader-kit/yamldocs';
import { unknownFields, validatorProblems, type FieldTable, type Problem } from '../../../lib/grader-kit/k8s-fields';

export type { Problem };

interface KindSpec {
  apiVersion: string;
  validate: (o: Obj) => void;
  /** Key in known-fields.json; absent for kinds whose unknown fields are not checked. */
  fields?: string;
}

const v = (C: new (d: never) => { validate(): void }) => (o: Obj) => new C(o as never).validate();

export const KINDS: Record<string, KindSpec> = {
  Deployment: { apiVersion: 'apps/v1', validate: v(Deployment), fields: 'apps/v1/Deployment' },
  Service: { apiVersion: 'v1', validate: v(Service), fields: 'v1/Service' },
  ConfigMap: { apiVersion: 'v1', validate: v(ConfigMap), fields: 'v1/ConfigMap' },
  Secret: { apiVersion: 'v1', validate: v(Secret), fields: 'v1/Secret' },
  ServiceAccount: { apiVersion: 'v1', validate: v(ServiceAccount), fields: 'v1/ServiceAccount' },
  Namespace: { apiVersion: 'v1', validate: v(Namespace) },
  HorizontalPodAutoscaler: { apiVersion: 'autoscaling/v2', validate: v(HorizontalPodAutoscaler), fields: 'autoscaling/v2/HorizontalPodAutoscaler' },
  PodDisruptionBudget: { apiVersion: 'policy/v1', validate: v(PodDisruptionBudget), fields: 'policy/v1/PodDisruptionBudget' },
  Ingress: { apiVersion: 'networking.k8s.io/v1', validate: v(Ingress), fields: 'networking.k8s.io/v1/Ingress' },
  NetworkPolicy: { apiVersion: 'networking.k8s.io/v1', validate: v(NetworkPolicy), fields: 'networking.k8s.io/v1/NetworkPolicy' },
};

const table = knownFields as FieldTable;

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const IANA_SVC_NAME = /^(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function nameRule(path: PathPart[], value: Json | undefined, re: RegExp, max: number, what: { ko: string; en: string }): Problem | null {
  if (typeof value !== 'string') return null;
  if (value.length <= max && re.test(value)) return null;
  return {
    path,
    en: `${dotted(path)} "${value}" is not a valid ${what.en} (at most ${max} characters: lower-case letters, digits and "-")`,
    ko: `${dotted(path)} "${value}"는 올바른 ${what.ko}이 아닙니다 (최대 ${max}자, 소문자·숫자·"-")`,
  };
}

/** Rules the API server applies beyond the OpenAPI schema, for the fields this lab is about. */
function apiServerRules(kind: string, o: Obj): Problem[] {
  const out: Problem[] = [];
  const push = (p: Problem | null) => p && out.push(p);
  const name = get(o, ['metadata', 'name']);
  if (typeof name !== 'string' || name === '') {
    if (!isObj(o.metadata) || !('generateName' in o.metadata)) out.push({ path: ['metadata', 'name'], en: 'metadata.name is required', ko: 'metadata.name이 필요합니다' });
  } else if (kind === 'Service') push(nameRule(['metadata', 'name'], name, DNS1035_LABEL, 63, { ko: 'Service 이름(DNS-1035 레이블)', en: 'Service name (DNS-1035 label)' }));
  else push(nameRule(['metadata', 'name'], name, DNS1123_SUBDOMAIN, 253, { ko: '이름(DNS-1123 서브도메인)', en: 'name (DNS-1123 subdomain)' }));

  const podSpecPath: PathPart[] = ['spec', 'template', 'spec'];
  if (kind === 'Deployment') {
    const sel = get(o, ['spec', 'selector']);
    if (isObj(sel) && !Object.keys((sel.matchLabels as Obj) ?? {}).length && !((sel.matchExpressions as Json[]) ?? []).length) {
      out.push({ path: ['spec', 'selector'], en: 'spec.selector is empty: a Deployment must select its pods', ko: 'spec.selector가 비어 있습니다. Deployment는 자신의 파드를 선택해야 합니다' });
    }
    for (const group of ['containers', 'initContainers'] as const) {
      const cs = get(o, [...podSpecPath, group]);
      if (!Array.isArray(cs)) continue;
      const seen = new Set<string>();
      cs.forEach((c, i) => {
        if (!isObj(c)) return;
        push(nameRule([...podSpecPath, group, i, 'name'], c.name, DNS1123_LABEL, 63, { ko: '컨테이너 이름(DNS-1123 레이블)', en: 'container name (DNS-1123 label)' }));
        if (typeof c.name === 'string') {
          if (seen.has(c.name)) out.push({ path: [...podSpecPath, group, i, 'name'], en: `container name "${c.name}" is used twice`, ko: `컨테이너 이름 "${c.name}"이 두 번 쓰였습니다` });
          seen.add(c.name);
        }
        const ports = Array.isArray(c.ports) ? c.ports : [];
        ports.forEach((p, j) => {
          if (!isObj(p)) return;
          push(nameRule([...podSpecPath, group, i, 'ports', j, 'name'], p.name, IANA_SVC_NAME, 15, { ko: '포트 이름(IANA 서비스 이름)', en: 'port name (IANA service name)' }));
          if (typeof p.containerPort === 'number' && (p.containerPort < 1 || p.containerPort > 65535)) {
            out.push({ path: [...podSpecPath, group, i, 'ports', j, 'containerPort'], en: `containerPort ${p.containerPort} is not between 1 and 65535`, ko: `containerPort ${p.containerPort}가 1~65535 범위 밖입니다` });
          }
        });
      });
    }
  }
  if (kind === 'Service') {
    const ports = get(o, ['spec', 'ports']);
    if (Array.isArray(ports)) {
      if (ports.length > 1) {
        ports.forEach((p, j) => {
          if (isObj(p) && typeof p.name !== 'string') out.push({ path: ['spec', 'ports', j], en: `spec.ports[${j}] needs a name when a Service has several ports`, ko: `포트가 여러 개인 Service에서는 spec.ports[${j}]에 name이 필요합니다` });
        });
      }
      ports.forEach((p, j) => {
        if (!isObj(p)) return;
        push(nameRule(['spec', 'ports', j, 'name'], p.name, DNS1123_LABEL, 63, { ko: '포트 이름(DNS-1123 레이블)', en: 'port name (DNS-1123 label)' }));
        if (typeof p.port === 'number' && (p.port < 1 || p.port > 65535)) out.push({ path: ['spec', 'ports', j, 'port'], en: `port ${p.port} is not between 1 and 65535`, ko: `port ${p.port}가 1~65535 범위 밖입니다` });
        if (typeof p.targetPort === 'string') push(nameRule(['spec', 'ports', j, 'targetPort'], p.targetPort, IANA_SVC_NAME, 15, { ko: 'targetPort 이름(IANA 서비스 이름)', en: 'targetPort name (IANA service name)' }));
      });
    }
  }
  return out;
}

/** Everything wrong with one object, as kubectl apply (client and server side) would see it. */
export function validateObject(o: Json): Problem[] {
  if (!isObj(o)) return [{ path: [], en: 'the document is not a mapping (an object with apiVersion, kind, metadata, ...)', ko: '문서가 매핑(apiVersion, kind, metadata 등을 가진 객체)이 아닙니다' }];
  const kind = o.kind;
  if (typeof kind !== 'string') return [{ path: ['kind'], en: 'the document has no kind', ko: '문서에 kind가 없습니다' }];
  const spec = KINDS[kind];
  if (!spec) {
    return [{ path: ['kind'], en: `kind "${kind}" is not one this lab checks (${Object.keys(KINDS).join(', ')})`, ko: `kind "${kind}"는 이 실습이 검사하는 종류가 아닙니다 (${Object.keys(KINDS).join(', ')})` }];
  }
  const out: Problem[] = [];
  let obj = o;
  if (o.apiVersion !== spec.apiVersion) {
    out.push({
      path: ['apiVersion'],
      en: `${kind} is served as apiVersion "${spec.apiVersion}", not "${String(o.apiVersion ?? '(none)')}"`,
      ko: `${kind}의 apiVersion은 "${String(o.apiVersion ?? '(없음)')}"가 아니라 "${spec.apiVersion}"입니다`,
    });
    obj = { ...o, apiVersion: spec.apiVersion };
  }
  out.push(...validatorProblems(() => spec.validate(obj)));
  if (spec.fields) out.push(...unknownFields(table, obj, table.roots[spec.fields]!));
  const seen = new Set(out.map((p) => JSON.stringify(p.path)));
  for (const p of apiServerRules(kind, obj)) if (!seen.has(JSON.stringify(p.path))) out.push(p);
  return out;
}
