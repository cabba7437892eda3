import { describe, expect, it } from 'vitest';
import { NotGradable, Submission } from './index';
import { load } from './istio-model';
import { land, outcome, rng } from './istio-routing';
import { resourceProblems } from './istio-schema';
import { clientTls, decide, FRONTEND_PEER, OTHER_PEERS, peerMode } from './istio-security';

// The mesh simulation shared by week 10 and its troubleshooting lab: what a sidecar does with the shop's resources.
const K8S = `
apiVersion: v1
kind: Service
metadata: { name: checkout }
spec: { selector: { app: checkout }, ports: [{ name: http, port: 8080 }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: checkout-v1 }
spec: { replicas: 3, template: { metadata: { labels: { app: checkout, version: v1 } }, spec: { serviceAccountName: checkout } } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: checkout-v2 }
spec: { replicas: 1, template: { metadata: { labels: { app: checkout, version: v2 } }, spec: { serviceAccountName: checkout } } }
`;
const MESH = (subsetV2: string, tls = '') => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: checkout }
spec:
  hosts: [checkout]
  http: [{ route: [{ destination: { host: checkout, subset: v1 }, weight: 90 }, { destination: { host: checkout, subset: v2 }, weight: 10 }] }]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: checkout }
spec:
  host: checkout
  ${tls}
  subsets: [{ name: v1, labels: { version: v1 } }, { name: v2, labels: { version: ${subsetV2} } }]
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: default }
spec: { mtls: { mode: STRICT } }
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: allow-nothing }
spec: {}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: checkout }
spec:
  selector: { matchLabels: { app: checkout } }
  rules: [{ from: [{ source: { principals: [cluster.local/ns/shop/sa/frontend] } }], to: [{ operation: { methods: [GET, POST], paths: ["/api/*"] } }] }]
`;
const sub = (files: Record<string, string>) => new Submission(new Map(Object.entries(files).map(([k, v]) => [k, Buffer.from(v)])));
const model = (mesh: string) =>
  load(sub({ 'k8s/checkout.yaml': K8S, 'istio/mesh.yaml': mesh }), { required: ['k8s/checkout.yaml'], kinds: ['VirtualService'] });
const HOST = 'checkout.shop.svc.cluster.local';
const req = { method: 'GET', path: '/api/products', headers: {}, port: 8080 };

describe('grader-kit istio', () => {
  it('refuses a submission without a required file or kind, in both languages', () => {
    expect(() => load(sub({ 'istio/mesh.yaml': MESH('v2') }), { required: ['k8s/checkout.yaml'] })).toThrow(NotGradable);
    expect(() => load(sub({ 'k8s/checkout.yaml': K8S }), { required: ['k8s/checkout.yaml'], kinds: ['DestinationRule'] })).toThrow(
      /There is no DestinationRule/,
    );
  });

  it('splits requests by weight over the subsets, and a subset selecting no Pod answers 503', () => {
    const m = model(MESH('v2'));
    const o = outcome(m, HOST, req);
    const rand = rng(7);
    const counts = new Map<string, number>();
    for (let i = 0; i < 1000; i++) {
      const k = land(o, rand);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect(counts.get('v2')! / 1000).toBeGreaterThan(0.06);
    expect(counts.get('v2')! / 1000).toBeLessThan(0.14);
    const broken = outcome(model(MESH('"2"')), HOST, req);
    expect(broken.dests[1]!.error).toEqual({ status: '503', why: 'no-pods' });
    expect(broken.dests[0]!.error).toBeUndefined();
  });

  it('reads mutual TLS on both sides: STRICT on the server, DISABLE on the client', () => {
    const m = model(MESH('v2', 'trafficPolicy: { tls: { mode: DISABLE } }'));
    expect(peerMode(m, { ns: 'shop', labels: { app: 'checkout', version: 'v1' }, name: { ko: 'c', en: 'c' } }, 8080).mode).toBe('STRICT');
    expect(clientTls(m, HOST, 'v1', 8080).mode).toBe('DISABLE');
    expect(clientTls(model(MESH('v2')), HOST, 'v1', 8080).mode).toBeUndefined();
  });

  it("decides authorization as Istio does: deny-by-default, the frontend's principal allowed, others refused", () => {
    const m = model(MESH('v2'));
    const w = { ns: 'shop', labels: { app: 'checkout', version: 'v1' }, name: { ko: 'c', en: 'c' } };
    const r = (p: typeof FRONTEND_PEER, method: string, path: string) => ({
      principal: p.principal,
      ns: p.ns,
      serviceAccount: p.serviceAccount,
      ip: p.ip,
      method,
      path,
      port: 8080,
      hosts: [HOST],
      headers: {},
    });
    expect(decide(m, w, r(FRONTEND_PEER, 'POST', '/api/checkout')).allowed).toBe(true);
    expect(decide(m, w, r(FRONTEND_PEER, 'DELETE', '/api/checkout')).by.kind).toBe('no-allow');
    expect(decide(m, w, r(OTHER_PEERS[0]!, 'GET', '/api/products')).allowed).toBe(false);
  });

  it('validates a resource against the CRD schema with file and line', () => {
    const m = model(MESH('v2').replace('weight: 10', 'weigth: 10'));
    const vs = m.resources.find((x) => x.kind === 'VirtualService')!;
    const p = resourceProblems(vs).map((x) => (typeof x === 'string' ? x : x.en));
    expect(p.join(' ')).toMatch(/istio\/mesh\.yaml:\d+: .*weigth/);
    expect(resourceProblems(m.resources.find((x) => x.kind === 'DestinationRule')!)).toEqual([]);
  });
});
