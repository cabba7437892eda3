/**
 * Is a Deployment or a PodDisruptionBudget one `kubectl apply` would accept? The OpenAPI schema (kubernetes-models'
 * compiled validators: types, required fields, enums) and unknown fields (strict field validation, kubectl's default
 * since Kubernetes 1.27; the field table comes from grader-kit/gen-k8s-known-fields.mjs, plus the fields Kubernetes
 * 1.34-1.36 added, k8s-1.36-fields.json). The same code as week 5
 * (grader-kit/k8s-fields.ts), for the two kinds this lab reads: a misplaced `maxUnavailable` is otherwise silently
 * dropped by the API server's defaults.
 */
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import knownFields from './known-fields.json';
import newerFields from './k8s-1.36-fields.json';
import { isObj, type Json } from '../../../grader-kit/yamldocs';
import { unknownFields, validatorProblems, withNewerFields, type FieldTable, type NewerFields, type Problem } from '../../../grader-kit/k8s-fields';

export type { Problem };

const KINDS: Record<string, { apiVersion: string; validate: (o: unknown) => void; fields: string }> = {
  Deployment: { apiVersion: 'apps/v1', validate: (o) => new Deployment(o as never).validate(), fields: 'apps/v1/Deployment' },
  PodDisruptionBudget: { apiVersion: 'policy/v1', validate: (o) => new PodDisruptionBudget(o as never).validate(), fields: 'policy/v1/PodDisruptionBudget' },
};

/** The API this lab validates against: Kubernetes 1.36 (kubernetes-models' 1.33 table plus k8s-1.36-fields.json). */
export const KUBERNETES_VERSION = '1.36';

const table: FieldTable = withNewerFields(knownFields as FieldTable, newerFields as NewerFields);

/** What kubectl apply would refuse in one Deployment or PodDisruptionBudget (other kinds are not looked at). */
export function validateObject(o: Json): Problem[] {
  if (!isObj(o) || typeof o.kind !== 'string' || !KINDS[o.kind]) return [];
  const spec = KINDS[o.kind]!;
  const out: Problem[] = [];
  if (o.apiVersion !== spec.apiVersion) {
    out.push({
      path: ['apiVersion'],
      en: `${o.kind} is served as apiVersion "${spec.apiVersion}", not "${String(o.apiVersion ?? '(none)')}"`,
      ko: `${o.kind}의 apiVersion은 "${String(o.apiVersion ?? '(없음)')}"가 아니라 "${spec.apiVersion}"입니다`,
    });
  }
  const obj = { ...o, apiVersion: spec.apiVersion };
  out.push(...validatorProblems(() => spec.validate(obj)));
  out.push(...unknownFields(table, obj, table.roots[spec.fields]!, 10));
  return out;
}
