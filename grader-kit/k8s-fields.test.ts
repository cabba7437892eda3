import { describe, expect, it } from 'vitest';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { schemaProblems, unknownFields, validatorProblems, type FieldTable } from './k8s-fields';

const table: FieldTable = {
  roots: { 'apps/v1/Deployment': 'Dep' },
  types: {
    Dep: { apiVersion: null, kind: null, metadata: null, spec: 'Spec' },
    Spec: { replicas: null, strategy: 'Strategy', template: null },
    Strategy: { type: null, rollingUpdate: 'Rolling' },
    Rolling: { maxSurge: null, maxUnavailable: null },
  },
};

describe('unknownFields', () => {
  it('reports a misplaced field at its path, suggests a near spelling, walks lists, and stops at the limit', () => {
    const found = unknownFields(table, { kind: 'Deployment', spec: { Replicas: 2, strategy: { maxUnavailable: 0, rollingUpdate: { maxSurge: 1 } } } }, 'Dep');
    expect(found.map((p) => p.path)).toEqual([
      ['spec', 'Replicas'],
      ['spec', 'strategy', 'maxUnavailable'],
    ]);
    expect(found[0]!.en).toBe('unknown field "Replicas" in spec (did you mean "replicas"?)');
    expect(found[1]!.ko).toContain('spec.strategy에 알 수 없는 필드 "maxUnavailable"');
    expect(unknownFields(table, { spec: { strategy: [{ a: 1 }, { type: 'x' }] } } as never, 'Dep').map((p) => p.path)).toEqual([['spec', 'strategy', 0, 'a']]);
    expect(unknownFields(table, { a: 1, b: 2, c: 3 }, 'Dep', 2)).toHaveLength(2);
    expect(unknownFields(table, { kind: 'Deployment', spec: { replicas: 1 } }, 'Dep')).toEqual([]);
  });
});

describe('schemaProblems / validatorProblems', () => {
  it('turns the real validator errors into one readable problem per field', () => {
    const problems = validatorProblems(() => new Deployment({ metadata: { name: 'a' }, spec: { replicas: 'two', template: {} } } as never).validate());
    const byPath = Object.fromEntries(problems.map((p) => [p.path.join('.'), p.en]));
    expect(byPath['spec.replicas']).toBe('spec.replicas must be of type integer');
    expect(byPath['spec.selector']).toBe('spec.selector is required');
    expect(validatorProblems(() => new Deployment({ metadata: { name: 'a' }, spec: { selector: {}, template: {} } } as never).validate())).toEqual([]);
  });
  it('folds several errors on one path into one', () => {
    const p = schemaProblems([
      { instancePath: '/spec/x', keyword: 'oneOf' },
      { instancePath: '/spec/x', keyword: 'type', params: { type: 'string' } },
      { instancePath: '/spec/y', keyword: 'minimum', message: 'must be >= 0' },
    ]);
    expect(p.map((x) => x.en)).toEqual(['spec.x is not a valid value', 'spec.y must be >= 0']);
  });
});
