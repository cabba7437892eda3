/**
 * Validates Kubernetes objects the way `kubectl apply` would before anything reaches a cluster, for the labs that read
 * the course's manifests (week 5 and its troubleshooting lab; the workspaces' `lms validate`): the OpenAPI schema
 * (kubernetes-models' compiled validators: types, required fields, enums, quantity format), unknown fields (strict
 * field validation, kubectl's default since Kubernetes 1.27; k8s-known-fields.json comes from gen-k8s-known-fields.mjs,
 * k8s-1.36-fields.json adds what 1.34 to 1.36 added; both through k8s-fields.ts), and a few rules the API server
 * enforces beyond the schema (names, port names, a non-empty Deployment selector, rolling-update settings).
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
import knownFields from './k8s-known-fields.json';
import newerFields from './k8s-1.36-fields.json';
import { dotted, get, isObj, type Json, type Obj, type PathPart } from './yamldocs';
import { unknownFields, validatorProblems, withNewerFields, type FieldTable, type NewerFields, type Problem } from './k8s-fields';

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

/** The API the course validates against: Kubernetes 1.36 (kubernetes-models' 1.33 table plus k8s-1.36-fields.json). */
export const KUBERNETES_VERSION = '1.36';

const table: FieldTable = withNewerFields(knownFields as FieldTable, newerFields as NewerFields);

/**
 * Built-in kinds of Kubernetes 1.36 (generally available versions) not validated field by field: a manifest
 * may include them, and its apiVersion must be the one that serves the kind.
 */
const BUILTIN: Record<string, string[]> = {
  Pod: ['v1'],
  PodTemplate: ['v1'],
  ReplicationController: ['v1'],
  Endpoints: ['v1'],
  LimitRange: ['v1'],
  ResourceQuota: ['v1'],
  PersistentVolume: ['v1'],
  PersistentVolumeClaim: ['v1'],
  Event: ['v1', 'events.k8s.io/v1'],
  Node: ['v1'],
  DaemonSet: ['apps/v1'],
  ReplicaSet: ['apps/v1'],
  StatefulSet: ['apps/v1'],
  ControllerRevision: ['apps/v1'],
  Job: ['batch/v1'],
  CronJob: ['batch/v1'],
  Lease: ['coordination.k8s.io/v1'],
  EndpointSlice: ['discovery.k8s.io/v1'],
  IngressClass: ['networking.k8s.io/v1'],
  ServiceCIDR: ['networking.k8s.io/v1'],
  IPAddress: ['networking.k8s.io/v1'],
  RuntimeClass: ['node.k8s.io/v1'],
  PriorityClass: ['scheduling.k8s.io/v1'],
  Role: ['rbac.authorization.k8s.io/v1'],
  RoleBinding: ['rbac.authorization.k8s.io/v1'],
  ClusterRole: ['rbac.authorization.k8s.io/v1'],
  ClusterRoleBinding: ['rbac.authorization.k8s.io/v1'],
  StorageClass: ['storage.k8s.io/v1'],
  CSIDriver: ['storage.k8s.io/v1'],
  VolumeAttachment: ['storage.k8s.io/v1'],
  VolumeAttributesClass: ['storage.k8s.io/v1'],
  ValidatingAdmissionPolicy: ['admissionregistration.k8s.io/v1'],
  ValidatingAdmissionPolicyBinding: ['admissionregistration.k8s.io/v1'],
  MutatingAdmissionPolicy: ['admissionregistration.k8s.io/v1'],
  MutatingAdmissionPolicyBinding: ['admissionregistration.k8s.io/v1'],
  ValidatingWebhookConfiguration: ['admissionregistration.k8s.io/v1'],
  MutatingWebhookConfiguration: ['admissionregistration.k8s.io/v1'],
  FlowSchema: ['flowcontrol.apiserver.k8s.io/v1'],
  PriorityLevelConfiguration: ['flowcontrol.apiserver.k8s.io/v1'],
  ResourceClaim: ['resource.k8s.io/v1'],
  ResourceClaimTemplate: ['resource.k8s.io/v1'],
  DeviceClass: ['resource.k8s.io/v1'],
  CertificateSigningRequest: ['certificates.k8s.io/v1'],
  CustomResourceDefinition: ['apiextensions.k8s.io/v1'],
  APIService: ['apiregistration.k8s.io/v1'],
};
/** API groups Kubernetes itself serves: a kind they do not serve is a typo, not a custom resource. */
const BUILTIN_GROUP = /^(v1|[a-z]+\/v\d\w*|[a-z.]*\.k8s\.io\/v\d\w*)$/;

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

/** matchExpressions the API server accepts: a known operator, values for In and NotIn, none for Exists and DoesNotExist. */
function selectorRequirementRules(at: PathPart[], sel: Json | undefined): Problem[] {
  const out: Problem[] = [];
  const exprs = isObj(sel) && Array.isArray(sel.matchExpressions) ? sel.matchExpressions : [];
  exprs.forEach((e, i) => {
    if (!isObj(e)) return;
    const path = [...at, 'matchExpressions', i];
    const values = Array.isArray(e.values) ? e.values : [];
    if (e.operator === 'In' || e.operator === 'NotIn') {
      if (!values.length)
        out.push({
          path: [...path, 'values'],
          en: `operator ${e.operator} needs at least one value in values`,
          ko: `operator ${e.operator}에는 values에 값이 하나 이상 있어야 합니다`,
        });
    } else if (e.operator === 'Exists' || e.operator === 'DoesNotExist') {
      if (values.length)
        out.push({ path: [...path, 'values'], en: `operator ${e.operator} takes no values`, ko: `operator ${e.operator}에는 values를 쓰지 않습니다` });
    } else if (typeof e.operator === 'string') {
      out.push({
        path: [...path, 'operator'],
        en: `operator "${e.operator}" is not one of In, NotIn, Exists, DoesNotExist`,
        ko: `operator "${e.operator}"는 In, NotIn, Exists, DoesNotExist 중 하나가 아닙니다`,
      });
    }
  });
  return out;
}

/** An int-or-percent ("25%") value as [number, isPercent], or null when it is neither. */
function intOrPercent(v: Json | undefined): [number, boolean] | null {
  if (typeof v === 'number' && Number.isInteger(v)) return [v, false];
  if (typeof v === 'string' && /^\d+%$/.test(v)) return [Number(v.slice(0, -1)), true];
  return null;
}

/** The rolling-update rules of the API server (apps/v1 validation): what a Deployment's strategy may say. */
function strategyRules(o: Obj): Problem[] {
  const out: Problem[] = [];
  const strategy = get(o, ['spec', 'strategy']);
  if (!isObj(strategy)) return out;
  if (strategy.type === 'Recreate' && strategy.rollingUpdate !== undefined) {
    out.push({
      path: ['spec', 'strategy', 'rollingUpdate'],
      en: 'rollingUpdate may not be set when strategy.type is Recreate',
      ko: 'strategy.type이 Recreate이면 rollingUpdate를 둘 수 없습니다',
    });
  }
  const ru = strategy.rollingUpdate;
  if (strategy.type === 'Recreate' || !isObj(ru)) return out;
  const parsed: Record<'maxSurge' | 'maxUnavailable', [number, boolean] | null> = { maxSurge: null, maxUnavailable: null };
  for (const f of ['maxSurge', 'maxUnavailable'] as const) {
    if (ru[f] === undefined) continue;
    const v = intOrPercent(ru[f]);
    if (!v || v[0] < 0) {
      out.push({
        path: ['spec', 'strategy', 'rollingUpdate', f],
        en: `${f} ${JSON.stringify(ru[f])} must be a whole number or a percentage such as "25%"`,
        ko: `${f} ${JSON.stringify(ru[f])}는 0 이상의 정수나 "25%" 같은 백분율이어야 합니다`,
      });
    } else if (f === 'maxUnavailable' && v[1] && v[0] > 100) {
      out.push({
        path: ['spec', 'strategy', 'rollingUpdate', f],
        en: `maxUnavailable ${ru[f]} is more than 100%`,
        ko: `maxUnavailable ${ru[f]}가 100%를 넘습니다`,
      });
    } else parsed[f] = v;
  }
  // Both default to 25%; both 0 would let the rollout neither add a Pod nor remove one, so the API server refuses it.
  if (parsed.maxSurge?.[0] === 0 && parsed.maxUnavailable?.[0] === 0) {
    out.push({
      path: ['spec', 'strategy', 'rollingUpdate', 'maxUnavailable'],
      en: 'maxSurge and maxUnavailable are both 0, which the API server refuses ("may not be 0 when maxSurge is 0"): a rollout could then neither start a new Pod nor stop an old one. Keep maxUnavailable 0 and let maxSurge be 1 (or 25%)',
      ko: 'maxSurge와 maxUnavailable이 모두 0이라 API 서버가 거부합니다("may not be 0 when maxSurge is 0"). 롤아웃이 새 파드를 띄울 수도, 옛 파드를 내릴 수도 없기 때문입니다. maxUnavailable은 0으로 두고 maxSurge를 1(또는 25%)로 하세요',
    });
  }
  return out;
}

/** Rules the API server applies beyond the OpenAPI schema, for the fields this lab is about. */
function apiServerRules(kind: string, o: Obj): Problem[] {
  const out: Problem[] = [];
  const push = (p: Problem | null) => p && out.push(p);
  const name = get(o, ['metadata', 'name']);
  if (typeof name !== 'string' || name === '') {
    if (!isObj(o.metadata) || !('generateName' in o.metadata))
      out.push({ path: ['metadata', 'name'], en: 'metadata.name is required', ko: 'metadata.name이 필요합니다' });
  } else if (kind === 'Service')
    push(nameRule(['metadata', 'name'], name, DNS1035_LABEL, 63, { ko: 'Service 이름(DNS-1035 레이블)', en: 'Service name (DNS-1035 label)' }));
  else push(nameRule(['metadata', 'name'], name, DNS1123_SUBDOMAIN, 253, { ko: '이름(DNS-1123 서브도메인)', en: 'name (DNS-1123 subdomain)' }));

  const podSpecPath: PathPart[] = ['spec', 'template', 'spec'];
  if (kind === 'Deployment') {
    const sel = get(o, ['spec', 'selector']);
    if (
      isObj(sel) &&
      !Object.keys(isObj(sel.matchLabels) ? sel.matchLabels : {}).length &&
      !(Array.isArray(sel.matchExpressions) ? sel.matchExpressions : []).length
    ) {
      out.push({
        path: ['spec', 'selector'],
        en: 'spec.selector is empty: a Deployment must select its pods',
        ko: 'spec.selector가 비어 있습니다. Deployment는 자신의 파드를 선택해야 합니다',
      });
    }
    out.push(...selectorRequirementRules(['spec', 'selector'], sel));
    const replicas = get(o, ['spec', 'replicas']);
    if (typeof replicas === 'number' && replicas < 0)
      out.push({ path: ['spec', 'replicas'], en: `spec.replicas ${replicas} must be 0 or more`, ko: `spec.replicas ${replicas}는 0 이상이어야 합니다` });
    out.push(...strategyRules(o));
    for (const group of ['containers', 'initContainers'] as const) {
      const cs = get(o, [...podSpecPath, group]);
      if (!Array.isArray(cs)) continue;
      const seen = new Set<string>();
      cs.forEach((c, i) => {
        if (!isObj(c)) return;
        push(
          nameRule([...podSpecPath, group, i, 'name'], c.name, DNS1123_LABEL, 63, {
            ko: '컨테이너 이름(DNS-1123 레이블)',
            en: 'container name (DNS-1123 label)',
          }),
        );
        if (typeof c.name === 'string') {
          if (seen.has(c.name))
            out.push({
              path: [...podSpecPath, group, i, 'name'],
              en: `container name "${c.name}" is used twice`,
              ko: `컨테이너 이름 "${c.name}"이 두 번 쓰였습니다`,
            });
          seen.add(c.name);
        }
        const ports = Array.isArray(c.ports) ? c.ports : [];
        ports.forEach((p, j) => {
          if (!isObj(p)) return;
          push(
            nameRule([...podSpecPath, group, i, 'ports', j, 'name'], p.name, IANA_SVC_NAME, 15, {
              ko: '포트 이름(IANA 서비스 이름)',
              en: 'port name (IANA service name)',
            }),
          );
          if (typeof p.containerPort === 'number' && (p.containerPort < 1 || p.containerPort > 65535)) {
            out.push({
              path: [...podSpecPath, group, i, 'ports', j, 'containerPort'],
              en: `containerPort ${p.containerPort} is not between 1 and 65535`,
              ko: `containerPort ${p.containerPort}가 1~65535 범위 밖입니다`,
            });
          }
        });
      });
    }
  }
  if (kind === 'HorizontalPodAutoscaler') {
    const min = get(o, ['spec', 'minReplicas']);
    const max = get(o, ['spec', 'maxReplicas']);
    if (typeof min === 'number' && min < 1)
      out.push({ path: ['spec', 'minReplicas'], en: `spec.minReplicas ${min} must be at least 1`, ko: `spec.minReplicas ${min}는 1 이상이어야 합니다` });
    if (typeof min === 'number' && typeof max === 'number' && max < min)
      out.push({
        path: ['spec', 'maxReplicas'],
        en: `spec.maxReplicas ${max} is below spec.minReplicas ${min}`,
        ko: `spec.maxReplicas ${max}가 spec.minReplicas ${min}보다 작습니다`,
      });
  }
  if (kind === 'PodDisruptionBudget') {
    const spec = get(o, ['spec']);
    if (isObj(spec) && spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
      out.push({
        path: ['spec', 'maxUnavailable'],
        en: 'a PodDisruptionBudget sets minAvailable or maxUnavailable, not both',
        ko: 'PodDisruptionBudget에는 minAvailable과 maxUnavailable 중 하나만 둘 수 있습니다',
      });
    }
    out.push(...selectorRequirementRules(['spec', 'selector'], get(o, ['spec', 'selector'])));
  }
  if (kind === 'Service') {
    const ports = get(o, ['spec', 'ports']);
    if (Array.isArray(ports)) {
      if (ports.length > 1) {
        ports.forEach((p, j) => {
          if (isObj(p) && typeof p.name !== 'string')
            out.push({
              path: ['spec', 'ports', j],
              en: `spec.ports[${j}] needs a name when a Service has several ports`,
              ko: `포트가 여러 개인 Service에서는 spec.ports[${j}]에 name이 필요합니다`,
            });
        });
      }
      ports.forEach((p, j) => {
        if (!isObj(p)) return;
        push(nameRule(['spec', 'ports', j, 'name'], p.name, DNS1123_LABEL, 63, { ko: '포트 이름(DNS-1123 레이블)', en: 'port name (DNS-1123 label)' }));
        if (typeof p.port === 'number' && (p.port < 1 || p.port > 65535))
          out.push({ path: ['spec', 'ports', j, 'port'], en: `port ${p.port} is not between 1 and 65535`, ko: `port ${p.port}가 1~65535 범위 밖입니다` });
        if (typeof p.targetPort === 'string' && /^\d+$/.test(p.targetPort)) {
          out.push({
            path: ['spec', 'ports', j, 'targetPort'],
            en: `targetPort "${p.targetPort}" is in quotes, so it is read as a port name, and a name needs a letter; write the number without quotes (targetPort: ${p.targetPort}) or use the container port's name`,
            ko: `targetPort "${p.targetPort}"가 따옴표 안에 있어 포트 이름으로 읽히는데, 이름에는 영문자가 있어야 합니다. 따옴표 없이 숫자로 쓰거나(targetPort: ${p.targetPort}) 컨테이너 포트의 이름을 쓰세요`,
          });
        } else if (typeof p.targetPort === 'string')
          push(
            nameRule(['spec', 'ports', j, 'targetPort'], p.targetPort, IANA_SVC_NAME, 15, {
              ko: 'targetPort 이름(IANA 서비스 이름)',
              en: 'targetPort name (IANA service name)',
            }),
          );
      });
    }
  }
  return out;
}

/** A kind this lab does not validate field by field: a built-in kind at its served apiVersion, or a custom resource. */
function otherKind(o: Obj, kind: string): Problem[] {
  const apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion : '';
  const served = BUILTIN[kind];
  const out: Problem[] = [];
  if (served && !served.includes(apiVersion)) {
    out.push({
      path: ['apiVersion'],
      en: `${kind} is served as apiVersion "${served.join('" or "')}", not "${apiVersion || '(none)'}"`,
      ko: `${kind}의 apiVersion은 "${apiVersion || '(없음)'}"가 아니라 "${served.join('" 또는 "')}"입니다`,
    });
  } else if (!served && (!apiVersion || BUILTIN_GROUP.test(apiVersion))) {
    const near = [...Object.keys(KINDS), ...Object.keys(BUILTIN)].find((k) => k.toLowerCase() === kind.toLowerCase() || editDistance(k, kind) <= 2);
    out.push({
      path: ['kind'],
      en: `Kubernetes ${KUBERNETES_VERSION} serves no kind "${kind}" in ${apiVersion ? `apiVersion "${apiVersion}"` : 'any apiVersion'}${near ? ` (did you mean "${near}"?)` : ''}`,
      ko: `쿠버네티스 ${KUBERNETES_VERSION}은 ${apiVersion ? `apiVersion "${apiVersion}"` : '어떤 apiVersion'}에 kind "${kind}"를 제공하지 않습니다${near ? ` ("${near}"를 뜻했나요?)` : ''}`,
    });
  }
  // Custom resources (another API group) depend on their CRD, which is not here: only the name is checked.
  const name = get(o, ['metadata', 'name']);
  if (typeof name !== 'string' || name === '') out.push({ path: ['metadata', 'name'], en: 'metadata.name is required', ko: 'metadata.name이 필요합니다' });
  return out;
}

/** Edits between two names (insert, delete, replace): "Deploymnet" is two edits from "Deployment". */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** Everything wrong with one object, as kubectl apply (client and server side) would see it. */
export function validateObject(o: Json): Problem[] {
  if (!isObj(o))
    return [
      {
        path: [],
        en: 'the document is not a mapping (an object with apiVersion, kind, metadata, ...)',
        ko: '문서가 매핑(apiVersion, kind, metadata 등을 가진 객체)이 아닙니다',
      },
    ];
  const kind = o.kind;
  if (typeof kind !== 'string') return [{ path: ['kind'], en: 'the document has no kind', ko: '문서에 kind가 없습니다' }];
  const spec = KINDS[kind];
  if (!spec) return otherKind(o, kind);
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
