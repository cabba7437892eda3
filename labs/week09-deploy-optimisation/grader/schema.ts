/**
 * Is a Deployment or a PodDisruptionBudget one `kubectl apply` would accept? The OpenAPI schema (kubernetes-models'
 * compiled validators: types, required fields, enums) and unknown fields (strict field validation, kubectl's default
 * since Kubernetes 1.27; the field table comes from gen-known-fields.mjs). The same approach as week 5, for the two
 * kinds this lab reads: a misplaced `maxUnavailable` is otherwise silently dropped by the API server's defaults.
 */
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import knownFields from './known-fields.json';
import { dotted, isObj, type Json, type PathPart } from '../../../lib/grader-kit/yamldocs';

export interface Problem {
  path: PathPart[];
  ko: string;
  en: string;
}

const KINDS: Record<string, { apiVersion: string; validate: (o: unknown) => void; fields: string }> = {
  Deployment: { apiVersion: 'apps/v1', validate: (o) => new Deployment(o as never).validate(), fields: 'apps/v1/Deployment' },
  PodDisruptionBudget: { apiVersion: 'policy/v1', validate: (o) => new PodDisruptionBudget(o as never).validate(), fields: 'policy/v1/PodDisruptionBudget' },
};

type FieldTable = { roots: Record<string, string>; types: Record<string, Record<string, string | null>> };
const table = knownFields as FieldTable;

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params?: { missingProperty?: string; allowedValues?: unknown[]; type?: string };
}

const pointerToPath = (ptr: string): PathPart[] =>
  ptr
    ? ptr
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
        .map((s) => (/^\d+$/.test(s) ? Number(s) : s))
    : [];

function schemaProblems(errors: AjvError[]): Problem[] {
  const byPath = new Map<string, Problem>();
  for (const e of errors) {
    const path = pointerToPath(e.instancePath);
    if (e.keyword === 'required' && e.params?.missingProperty) path.push(e.params.missingProperty);
    const key = JSON.stringify(path);
    if (byPath.has(key)) continue; // an int-or-string field fails several branches of one oneOf
    const where = dotted(path) || '(document)';
    if (e.keyword === 'required') byPath.set(key, { path, en: `${where} is required`, ko: `${where} 필드가 필요합니다` });
    else if (e.keyword === 'type') byPath.set(key, { path, en: `${where} must be of type ${e.params?.type}`, ko: `${where}의 타입은 ${e.params?.type}이어야 합니다` });
    else if (e.keyword === 'enum') {
      const vals = (e.params?.allowedValues ?? []).map(String).join(', ');
      byPath.set(key, { path, en: `${where} must be one of ${vals}`, ko: `${where}는 ${vals} 중 하나여야 합니다` });
    } else byPath.set(key, { path, en: `${where} is not a valid value`, ko: `${where} 값이 올바르지 않습니다` });
  }
  return [...byPath.values()];
}

function unknownFields(value: Json, typeKey: string, path: PathPart[], out: Problem[]): void {
  const fields = table.types[typeKey];
  if (!fields || out.length >= 10) return;
  if (Array.isArray(value)) {
    value.forEach((x, i) => unknownFields(x, typeKey, [...path, i], out));
    return;
  }
  if (!isObj(value)) return;
  for (const [k, x] of Object.entries(value)) {
    if (!(k in fields)) {
      const near = Object.keys(fields).find((f) => f.toLowerCase() === k.toLowerCase());
      const parent = dotted(path) || 'the top level';
      out.push({
        path: [...path, k],
        en: `unknown field "${k}" in ${parent}${near ? ` (did you mean "${near}"?)` : ''}`,
        ko: `${parent === 'the top level' ? '최상위' : parent}에 알 수 없는 필드 "${k}"가 있습니다${near ? ` ("${near}"를 뜻했나요?)` : ''}`,
      });
      continue;
    }
    const child = fields[k];
    if (child) unknownFields(x, child, [...path, k], out);
  }
}

/** What kubectl apply would refuse in one Deployment or PodDisruptionBudget (other kinds are not looked at). */
export function validateObject(o: Json): Problem[] {
  if (!isObj(o) || typeof o.kind !== 'string' || !KINDS[o.kind]) return [];
  const spec = KINDS[o.kind]!;
  const out: Problem[] = [];
  if (o.apiVersion !== spec.apiVersion) {
    out.push({ path: ['apiVersion'], en: `${o.kind} is served as apiVersion "${spec.apiVersion}", not "${String(o.apiVersion ?? '(none)')}"`, ko: `${o.kind}의 apiVersion은 "${String(o.apiVersion ?? '(없음)')}"가 아니라 "${spec.apiVersion}"입니다` });
  }
  const obj = { ...o, apiVersion: spec.apiVersion };
  try {
    spec.validate(obj);
  } catch (e) {
    const errors = (e as { errors?: AjvError[] }).errors;
    if (Array.isArray(errors)) out.push(...schemaProblems(errors));
    else out.push({ path: [], en: `schema validation failed: ${String((e as Error).message).slice(0, 200)}`, ko: `스키마 검증에 실패했습니다: ${String((e as Error).message).slice(0, 200)}` });
  }
  unknownFields(obj, table.roots[spec.fields]!, [], out);
  return out;
}
