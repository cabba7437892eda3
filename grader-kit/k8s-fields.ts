/**
 * What `kubectl apply` would refuse in a Kubernetes object, shared by the labs that read manifests (weeks 5 and 9):
 * readable problems from kubernetes-models' compiled validators (ajv errors: types, required fields, enums, formats),
 * and unknown fields found by walking the object against a lab's known-fields.json (strict field validation,
 * kubectl's default since Kubernetes 1.27; the table is written by gen-k8s-known-fields.mjs).
 */
import { dotted, isObj, type Json, type PathPart } from './yamldocs';

export interface Problem {
  path: PathPart[];
  ko: string;
  en: string;
}

/** known-fields.json: each root kind's type key, and for each type its fields (a field's type key, or null for a leaf). */
export type FieldTable = { roots: Record<string, string>; types: Record<string, Record<string, string | null>> };

/** Fields a newer Kubernetes added to some types, and new types (a lab's k8s-<version>-fields.json). */
export type NewerFields = { fields: Record<string, Record<string, string | null>>; types: Record<string, Record<string, string | null>> };

/** A lab's known-fields table brought up to a newer Kubernetes: its new types, and new fields on existing ones. */
export function withNewerFields(base: FieldTable, newer: NewerFields): FieldTable {
  const types = { ...base.types, ...newer.types };
  for (const [key, fields] of Object.entries(newer.fields)) types[key] = { ...base.types[key], ...fields };
  return { roots: base.roots, types };
}

export interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params?: { missingProperty?: string; allowedValues?: unknown[]; format?: string; type?: string };
}

export function pointerToPath(ptr: string): PathPart[] {
  if (!ptr) return [];
  return ptr
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** One readable problem per field: ajv reports a oneOf (int-or-string, quantity) as several errors on one path. */
export function schemaProblems(errors: AjvError[]): Problem[] {
  const byPath = new Map<string, Problem>();
  for (const e of errors) {
    const path = pointerToPath(e.instancePath);
    if (e.keyword === 'required' && e.params?.missingProperty) path.push(e.params.missingProperty);
    const key = JSON.stringify(path);
    if (byPath.has(key)) continue;
    const where = dotted(path) || '(document)';
    let en: string;
    let ko: string;
    switch (e.keyword) {
      case 'required':
        en = `${where} is required`;
        ko = `${where} 필드가 필요합니다`;
        break;
      case 'type':
        en = `${where} must be of type ${e.params?.type}`;
        ko = `${where}의 타입은 ${e.params?.type}이어야 합니다`;
        break;
      case 'enum':
        en = `${where} must be one of ${(e.params?.allowedValues ?? []).map(String).join(', ')}`;
        ko = `${where}는 ${(e.params?.allowedValues ?? []).map(String).join(', ')} 중 하나여야 합니다`;
        break;
      case 'format':
      case 'oneOf':
      case 'anyOf':
        en = `${where} is not a valid value${e.params?.format ? ` (${e.params.format})` : ''}`;
        ko = `${where} 값이 올바르지 않습니다${e.params?.format ? ` (${e.params.format})` : ''}`;
        break;
      default:
        en = `${where} ${e.message ?? 'is invalid'}`;
        ko = `${where}: ${e.message ?? '올바르지 않습니다'}`;
    }
    byPath.set(key, { path, ko, en });
  }
  return [...byPath.values()];
}

/** Runs a kubernetes-models validator and turns what it throws into problems. */
export function validatorProblems(validate: () => void): Problem[] {
  try {
    validate();
    return [];
  } catch (e) {
    const errors = (e as { errors?: AjvError[] }).errors;
    if (Array.isArray(errors)) return schemaProblems(errors);
    const msg = String((e as Error).message).slice(0, 200);
    return [{ path: [], en: `schema validation failed: ${msg}`, ko: `스키마 검증에 실패했습니다: ${msg}` }];
  }
}

/** Fields the API does not know, found by walking `value` (of type `typeKey`) against the table; at most `limit`. */
export function unknownFields(table: FieldTable, value: Json, typeKey: string, limit = 20): Problem[] {
  const out: Problem[] = [];
  const walk = (v: Json, key: string, path: PathPart[]): void => {
    const fields = table.types[key];
    if (!fields || out.length >= limit) return;
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, key, [...path, i]));
      return;
    }
    if (!isObj(v)) return;
    for (const [k, x] of Object.entries(v)) {
      if (out.length >= limit) return;
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
      if (child) walk(x, child, [...path, k]);
    }
  };
  walk(value, typeKey, []);
  return out;
}
