import { describe, expect, it } from 'vitest';
import { Submission } from './index';
import { parseYamlFile } from './yamldocs';

const one = (text: string) => parseYamlFile(new Submission(new Map([['k8s/a.yaml', Buffer.from(text)]])), 'k8s/a.yaml');

describe('parseYamlFile', () => {
  it('applies merge keys the way Kubernetes reads YAML, and finds the lines of merged fields', () => {
    const [d] = one(
      [
        'x-defaults: &limits', // 1
        '  cpu: 500m', // 2
        '  memory: 128Mi', // 3
        'resources:', // 4
        '  requests:', // 5
        '    <<: *limits', // 6
        '    cpu: 100m', // 7
        '  limits: *limits', // 8
        'list:', // 9
        '  <<: [{ a: 1 }, { b: 2 }]', // 10
        '',
      ].join('\n'),
    );
    expect(d!.value).toEqual({
      'x-defaults': { cpu: '500m', memory: '128Mi' },
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
      list: { a: 1, b: 2 },
    });
    expect(d!.line(['resources', 'requests', 'cpu'])).toBe(7);
    expect(d!.line(['resources', 'requests', 'memory'])).toBe(3);
    expect(d!.line(['resources', 'limits', 'memory'])).toBe(3);
    expect(d!.line(['resources', 'limits', 'nothing'])).toBe(8);
  });

  it('reads flow style, several documents and empty documents alike', () => {
    const docs = one('---\n# only a comment\n---\n{ kind: Service, spec: { ports: [ { port: 80 } ] } }\n---\n---\nkind: Deployment\n');
    expect(docs.map((d) => d.value)).toEqual([{ kind: 'Service', spec: { ports: [{ port: 80 }] } }, { kind: 'Deployment' }]);
    expect(docs.map((d) => d.line())).toEqual([4, 7]);
  });
});
