import { describe, expect, it } from 'vitest';
import { Submission } from './index';
import { containerPorts, containers, objectsOf, portMatches, resolvePort, selects, splitImage } from './k8s-objects';
import { KINDS, validateObject } from './k8s-schema';
import { parseYamlFile } from './yamldocs';

const docs = (text: string) => parseYamlFile(new Submission(new Map([['k8s/a.yaml', Buffer.from(text)]])), 'k8s/a.yaml');

describe('k8s-objects: what Kubernetes does with the fields', () => {
  it('reads a document as one object and a kind: List as its items, keeping lines', () => {
    const { objects, strays } = objectsOf(
      docs('apiVersion: v1\nkind: List\nitems:\n  - kind: Service\n    metadata: { name: a }\n  - 7\n---\nkind: ConfigMap\nmetadata: { name: b }\n---\n- x\n'),
    );
    expect(objects.map((o) => `${o.kind}/${o.name}`)).toEqual(['Service/a', 'ConfigMap/b']);
    expect(objects[0]!.at(['metadata', 'name'])).toBe('k8s/a.yaml:5');
    expect(objects[1]!.where(['metadata'])).toBe('k8s/a.yaml:9 (ConfigMap b, metadata)');
    expect(strays.map((d) => d.line())).toEqual([6, 11]);
  });

  it('matches label selectors as the API does, an empty selector matching nothing', () => {
    const l = { app: 'checkout', tier: 'api' };
    expect(selects({ matchLabels: { app: 'checkout' } }, l)).toBe(true);
    expect(selects({ matchLabels: { app: 'checkout', tier: 'web' } }, l)).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['api', 'web'] }] }, l)).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['api'] }] }, l)).toBe(false);
    expect(
      selects(
        {
          matchExpressions: [
            { key: 'zone', operator: 'DoesNotExist' },
            { key: 'app', operator: 'Exists' },
          ],
        },
        l,
      ),
    ).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'app', operator: 'Like' }] }, l)).toBe(false);
    expect(selects({}, l)).toBe(false);
    expect(selects(null, l)).toBe(false);
  });

  it('resolves a port by number or name; a quoted number names no port', () => {
    const ports = containerPorts({ ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }, 'junk'] });
    expect(resolvePort('http', ports)).toBe(8080);
    expect(resolvePort(9090, ports)).toBe(9090);
    expect(resolvePort('8080', ports)).toBeNull();
    expect(resolvePort('dns', ports)).toBeNull();
    expect(resolvePort('dns', ports, 'UDP')).toBe(53);
    expect(portMatches(8080, ports)).toBe(true);
    expect(portMatches(9090, ports)).toBe(false);
    expect(portMatches('8080', ports)).toBe(false);
  });

  it('splits image references with registry ports and digests', () => {
    expect(splitImage('registry.example.com:5000/shop/frontend:1.4.1')).toEqual({
      name: 'registry.example.com:5000/shop/frontend',
      tag: '1.4.1',
      digest: undefined,
    });
    expect(splitImage('registry.example.com:5000/shop/frontend')).toEqual({ name: 'registry.example.com:5000/shop/frontend', digest: undefined });
    expect(splitImage('a/b:1@sha256:00')).toEqual({ name: 'a/b', tag: '1', digest: 'sha256:00' });
  });

  it('finds containers and init containers with their paths', () => {
    const { objects } = objectsOf(
      docs('kind: Deployment\nmetadata: { name: d }\nspec:\n  template:\n    spec:\n      initContainers: [{ name: i }]\n      containers: [{ name: c }, 3]\n'),
    );
    expect(containers(objects[0]!).map((c) => c.name)).toEqual(['c']);
    expect(containers(objects[0]!, ['containers', 'initContainers']).map((c) => `${c.name}@${c.path.join('.')}`)).toEqual([
      'c@spec.template.spec.containers.0',
      'i@spec.template.spec.initContainers.0',
    ]);
  });

  it('the shared validation knows the course kinds and refuses what kubectl apply refuses', () => {
    expect(Object.keys(KINDS)).toEqual(expect.arrayContaining(['Deployment', 'Service', 'ConfigMap', 'Secret', 'ServiceAccount']));
    expect(validateObject({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'frontend' }, imagePullSecrets: [{ name: 'regcred' }] })).toEqual([]);
    expect(validateObject({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'frontend' }, imagePullSecret: [] }).map((p) => p.en)).toEqual([
      expect.stringMatching(/unknown field "imagePullSecret"/),
    ]);
    expect(
      validateObject({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'd' },
        spec: {
          selector: { matchLabels: { a: 'b' } },
          template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: 'lots' } } }] } },
        },
      }).length,
    ).toBeGreaterThan(0);
  });
});
