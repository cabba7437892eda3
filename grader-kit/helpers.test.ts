import { describe, expect, it } from 'vitest';
import { inLang, msg, NotGradable, pass, reporter, fail, Submission } from './index';
import { readSubmittedDockerfile, refusedBeforeBuilding } from './build-info';
import { withNewerFields } from './k8s-fields';
import { contains, overlaps, parseCidr } from './cidr';
import { checkCommonJsSources, findCodeLine } from './subject';

const sub = (files: Record<string, string>) => new Submission(new Map(Object.entries(files).map(([k, v]) => [k, Buffer.from(v)])));

describe('what the kit took over from the labs', () => {
  it('reports each verdict as it is decided, in order', () => {
    const seen: string[] = [];
    const { checks, report } = reporter({ progress: (c) => seen.push(c.id) });
    report(pass('a', 1));
    report(fail('b', msg('틀림', 'wrong')));
    expect(checks.map((c) => c.id)).toEqual(['a', 'b']);
    expect(seen).toEqual(['a', 'b']);
    expect(reporter(undefined).report(pass('c', 1)).id).toBe('c');
    expect(inLang(msg('가', 'a'), 'ko')).toBe('가');
    expect(inLang('plain', 'en')).toBe('plain');
  });

  it('reads the submitted Dockerfile or says why it cannot be graded', () => {
    expect(readSubmittedDockerfile(sub({ Dockerfile: 'FROM node:26\nUSER node\n', 'a.js': '' }), ['Dockerfile', 'a.js']).stages).toHaveLength(1);
    expect(() => readSubmittedDockerfile(sub({ Dockerfile: 'FROM x\n' }), ['Dockerfile', 'a.js'])).toThrow(/a\.js is missing/);
    expect(() => readSubmittedDockerfile(sub({ Dockerfile: '# nothing\n' }), ['Dockerfile'])).toThrow(NotGradable);
    expect(refusedBeforeBuilding('builds', { ok: false })).toBeUndefined();
    expect(refusedBeforeBuilding('builds', { ok: false, refused: [{ line: 2, message: { ko: '안 됨', en: 'not allowed' } }] })).toEqual({
      id: 'builds',
      points: 0,
      passed: false,
      message: { ko: '빌드 전에 거절되었습니다: Dockerfile:2: 안 됨', en: 'Refused before building: Dockerfile:2: not allowed' },
    });
  });

  it('brings a known-fields table up to a newer Kubernetes', () => {
    const t = withNewerFields(
      { roots: { Pod: 'v1.Pod' }, types: { 'v1.Pod': { spec: 'v1.PodSpec' }, 'v1.PodSpec': { containers: null } } },
      { fields: { 'v1.PodSpec': { resources: 'v1.Res' } }, types: { 'v1.Res': { limits: null } } },
    );
    expect(t.types['v1.PodSpec']).toEqual({ containers: null, resources: 'v1.Res' });
    expect(t.types['v1.Res']).toEqual({ limits: null });
    expect(t.roots).toEqual({ Pod: 'v1.Pod' });
  });

  it('reads IPv4 CIDR blocks', () => {
    expect(parseCidr('10.0.10.5/24')).toEqual({ base: 10 * 2 ** 24 + 10 * 2 ** 8, prefix: 24, hostBits: true });
    expect(parseCidr('10.0.0.0/33')).toBeNull();
    expect(parseCidr(42)).toBeNull();
    expect(contains(parseCidr('10.0.0.0/16')!, parseCidr('10.0.3.0/24')!)).toBe(true);
    expect(overlaps(parseCidr('10.0.0.0/23')!, parseCidr('10.0.1.0/24')!)).toBe(true);
    expect(overlaps(parseCidr('10.0.0.0/24')!, parseCidr('10.0.1.0/24')!)).toBe(false);
  });

  it('refuses programs Node cannot run as CommonJS, and points at code lines', () => {
    expect(() => checkCommonJsSources(sub({ 'main.js': 'return 1;\n' }), 'main.js')).not.toThrow();
    expect(() => checkCommonJsSources(sub({ 'lib.js': '' }), 'main.js')).toThrow(/main\.js is missing/);
    expect(() => checkCommonJsSources(sub({ 'main.js': 'ok();\n', 'lib.js': 'export const a = 1;\n' }), 'main.js')).toThrow(
      /lib\.js:1: JavaScript syntax error .*require\(\)/,
    );
    const s = sub({ 'main.js': '// server.listen(1)\nserver.listen(8080);\n', 'b.js': 'x.listen(1)\n' });
    expect(findCodeLine(s, 'main.js', /\.listen\(/)).toBe('main.js:2');
    expect(findCodeLine(s, 'main.js', /nothing/)).toBeNull();
  });
});
