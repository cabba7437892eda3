import { describe, expect, it } from 'vitest';
import { intOrPercent, preStopSeconds, probePort, readBudget, readRollout, selects } from './rollout';

// Kubernetes' rollout and disruption semantics, shared by week 9 and its troubleshooting lab.
describe('grader-kit rollout', () => {
  it.each([
    [0, { kind: 'int', n: 0 }],
    ['0%', { kind: 'percent', n: 0 }],
    ['25%', { kind: 'percent', n: 25 }],
    ['1', { kind: 'invalid', raw: '1' }],
    [1.5, { kind: 'invalid', raw: '1.5' }],
    [undefined, undefined],
  ])('int-or-percent %j', (v, want) => {
    expect(intOrPercent(v as never)).toEqual(want);
  });

  it.each([
    // [rollingUpdate, replicas, surge, unavailable, refused]
    [{ maxSurge: 1, maxUnavailable: 0 }, 3, 1, 0, false],
    [{ maxSurge: '25%', maxUnavailable: '0%' }, 3, 1, 0, false],
    [undefined, 3, 1, 0, false],
    [undefined, 4, 1, 1, false],
    [{ maxSurge: 0, maxUnavailable: '10%' }, 3, 0, 1, false],
    [{ maxSurge: 0, maxUnavailable: 0 }, 3, 0, 1, true],
    [{ maxSurge: '0%', maxUnavailable: 0 }, 3, 0, 1, true],
    [{ maxSurge: 1, maxUnavailable: '110%' }, 3, 1, 3, true],
    [{ maxSurge: '1', maxUnavailable: 0 }, 3, NaN, 0, true],
  ])('rollingUpdate %j with %i replicas: surge %s, unavailable %s, refused %s', (ru, replicas, surge, unavailable, refused) => {
    const r = readRollout({ spec: { replicas, strategy: ru ? { type: 'RollingUpdate', rollingUpdate: ru } : undefined } } as never);
    expect(r.surge).toEqual(surge);
    expect(r.unavailable).toEqual(unavailable);
    expect(r.problems.length > 0).toBe(refused);
  });

  it.each([
    [{ matchLabels: { app: 'checkout' } }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'In', values: ['checkout', 'x'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, true],
    [
      {
        matchExpressions: [
          { key: 'canary', operator: 'DoesNotExist' },
          { key: 'app', operator: 'NotIn', values: ['other'] },
        ],
      },
      true,
    ],
    [{}, true],
    [{ matchLabels: { app: 'orders' } }, false],
    [{ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['checkout'] }] }, false],
    [{ matchExpressions: [{ key: 'app', operator: 'Equals', values: ['checkout'] }] }, false],
    [undefined, false],
  ])('selector %j selects the Pods: %s', (sel, want) => {
    expect(selects(sel as never, { app: 'checkout', tier: 'backend' })).toBe(want);
  });

  it.each([
    [{ minAvailable: 2 }, 3, 2],
    [{ minAvailable: '50%' }, 3, 2],
    [{ maxUnavailable: 1 }, 3, 2],
    [{ maxUnavailable: '34%' }, 3, 1],
    [{ maxUnavailable: 0 }, 3, 3],
    [{ minAvailable: '100%' }, 3, 3],
  ])('PodDisruptionBudget %j keeps of %i replicas: %i', (spec, replicas, stay) => {
    expect(readBudget({ spec } as never, replicas).mustStay).toBe(stay);
  });
  it('refuses a budget with both minAvailable and maxUnavailable', () => {
    expect(readBudget({ spec: { minAvailable: 1, maxUnavailable: 1 } } as never, 3).problems[0]!.en).toMatch(/cannot both be set/);
  });

  it.each([
    [
      {
        name: 'c',
        ports: [
          { name: 'http', containerPort: 8080 },
          { name: 'metrics', containerPort: 9090 },
        ],
      },
      'metrics',
      9090,
    ],
    [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }] }, 8080, 8080],
    [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }] }, 'web', undefined],
    [{ name: 'c' }, 'http', undefined],
  ])('probe port of %j named %j is %j', (c, port, want) => {
    expect(probePort(c as never, port as never)).toBe(want);
  });

  it.each([
    [{ lifecycle: { preStop: { sleep: { seconds: 15 } } } }, 15],
    [{ lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', 'sleep 40'] } } } }, 40],
    [{ lifecycle: { preStop: { httpGet: { path: '/drain', port: 8080 } } } }, 0],
    [{}, 0],
  ])('preStop of %j waits %i s', (c, want) => {
    expect(preStopSeconds(c as never)).toBe(want);
  });
});
