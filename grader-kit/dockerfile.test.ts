import { describe, expect, it } from 'vitest';
import { expandWord, parseImageRef, readDockerfile, stagesNeeded, varsAt, imageName } from './dockerfile';

const vars = (o: Record<string, string | undefined>) => new Map(Object.entries(o));

describe('expandWord (moby shell lexer semantics)', () => {
  it.each([
    ['$A', { A: 'x' }, 'x'],
    ['${A}b', { A: 'x' }, 'xb'],
    ['${A:-d}', { A: '' }, 'd'],
    ['${A-d}', { A: '' }, ''],
    ['${A-d}', {}, 'd'],
    ['${A:+alt}', { A: 'x' }, 'alt'],
    ['${A:+alt}', { A: '' }, ''],
    ['${A#*/}', { A: 'lms/node:18' }, 'node:18'],
    ['${A##*:}', { A: 'a:b:c' }, 'c'],
    ['${A%:*}', { A: 'a:b:c' }, 'a:b'],
    ['${A%%:*}', { A: 'a:b:c' }, 'a'],
    ['${A/node/deno}', { A: 'lms/node:18' }, 'lms/deno:18'],
    ["'$A'", { A: 'x' }, '$A'],
    ['"$A y"', { A: 'x' }, 'x y'],
    ['\\$A', { A: 'x' }, '$A'],
    ['${NODE_IMAGE:-lms/node:${V}}', { V: '18' }, 'lms/node:18'],
  ])('%s → %s', (w, v, want) => {
    expect(expandWord(w, vars(v))).toBe(want);
  });
  it('reports unknown variables and refuses a :? without a value', () => {
    const missing = new Set<string>();
    expect(expandWord('${NOPE}x', vars({}), '\\', missing)).toBe('x');
    expect([...missing]).toEqual(['NOPE']);
    expect(() => expandWord('${NOPE:?must be set}', vars({}))).toThrow(/must be set/);
  });
});

describe('parseImageRef', () => {
  it('drops Docker Hub defaults and splits tag and digest', () => {
    expect(imageName(parseImageRef('docker.io/library/debian:bookworm-slim'))).toBe('debian:bookworm-slim');
    expect(parseImageRef('node:22@sha256:abc')).toMatchObject({ repository: 'node', tag: '22', digest: 'sha256:abc' });
    expect(parseImageRef('localhost:5000/app')).toMatchObject({ repository: 'localhost:5000/app' });
    expect(imageName(parseImageRef('lms/node'))).toBe('lms/node:latest');
  });
});

describe('readDockerfile', () => {
  it('resolves global ARG defaults in FROM, stage aliases and the root image of each stage', () => {
    const df = readDockerfile(
      [
        'ARG NODE_IMAGE=lms/node:18',
        'FROM ${NODE_IMAGE} AS base',
        'WORKDIR /app',
        'FROM base AS build',
        'RUN npm ci',
        'FROM base',
        'COPY --from=build /app/dist ./dist',
      ].join('\n'),
    );
    expect(df.problems).toEqual([]);
    expect(df.stages.map((s) => s.name)).toEqual(['base', 'build', undefined]);
    expect(df.stages[0]!.from).toBe('lms/node:18');
    expect(df.stages[2]!.parent).toEqual({ kind: 'stage', stage: 0 });
    expect(df.stages[2]!.root).toMatchObject({ repository: 'lms/node', tag: '18' });
    expect(df.references).toEqual([{ kind: 'from', value: 'lms/node:18', line: 2, stage: 0 }]);
    expect([...stagesNeeded(df)].sort()).toEqual([0, 1, 2]);
  });
  it('joins continuation lines (with comment lines inside) and honours the escape directive', () => {
    const df = readDockerfile(['FROM \\', '  # the base', '  lms/node:18 \\', '  AS app', 'RUN echo a \\', '# inside', '  && echo b'].join('\n'));
    expect(df.stages[0]).toMatchObject({ from: 'lms/node:18', name: 'app', line: 1 });
    expect(df.instructions[1]).toMatchObject({ op: 'RUN', line: 5, endLine: 7 });
    expect(df.instructions[1]!.args.replace(/\s+/g, ' ')).toBe('echo a && echo b');
    const win = readDockerfile(['# escape=`', 'FROM lms/node:18 `', '  AS x', 'COPY a.txt c:\\dir\\'].join('\r\n'));
    expect(win.escape).toBe('`');
    expect(win.stages[0]).toMatchObject({ from: 'lms/node:18', name: 'x' });
  });
  it('an ARG used by FROM must come before the first FROM; inside a stage it must be declared again', () => {
    const df = readDockerfile(['FROM lms/node:18', 'ARG IMG=debian:bookworm-slim', 'FROM ${IMG}'].join('\n'));
    expect(df.problems.map((p) => p.line)).toEqual([3]);
    expect(df.problems[0]!.message).toMatch(/empty.*IMG/);
    const df2 = readDockerfile(['ARG V=18', 'FROM lms/node:${V}', 'ARG V', 'ENV NODE_VERSION=$V', 'RUN true'].join('\n'));
    expect(df2.stages[0]!.from).toBe('lms/node:18');
    expect(varsAt(df2, df2.instructions.at(-1)!).get('NODE_VERSION')).toBe('18');
  });
  it('predefines the platform ARGs for FROM --platform and finds every reference outside the context', () => {
    const df = readDockerfile(
      [
        'FROM --platform=$BUILDPLATFORM lms/node:18 AS build',
        'RUN --mount=type=cache,target=/root/.npm --mount=type=bind,from=debian:bookworm-slim,source=/etc,target=/x npm ci',
        'ADD https://example.com/a.tgz /tmp/',
        'ADD git@github.com:moby/buildkit.git /src',
        'ADD https://github.com/moby/buildkit.git#v0.10.1 /bk',
        'FROM lms/node:18',
        'COPY --from=build /app /app',
        'COPY --from=lms-grader-week07:abc /data /data',
        'COPY --from=0 /x /y',
        'ONBUILD ADD http://127.0.0.1:9464/metrics /m',
      ].join('\n'),
    );
    expect(df.stages[0]!.platform).toBe('linux/amd64');
    expect(df.references.map((r) => `${r.kind} ${r.value} @${r.line}`)).toEqual([
      'from lms/node:18 @1',
      'mount-from debian:bookworm-slim @2',
      'add-url https://example.com/a.tgz @3',
      'add-git git@github.com:moby/buildkit.git @4',
      'add-git https://github.com/moby/buildkit.git#v0.10.1 @5',
      'from lms/node:18 @6',
      'copy-from lms-grader-week07:abc @8',
      'add-url http://127.0.0.1:9464/metrics @10',
    ]);
  });
  it('expands variables in the exec form of ADD as the builder does, and takes scp-like remotes as git sources', () => {
    const df = readDockerfile(
      [
        'FROM lms/node:18',
        'ARG U=http://127.0.0.1:9/x',
        'ADD ["$U", "/x"]',
        'ADD ["${U}/y", "/y"]',
        'ADD me@example.com:repo /r',
        'ADD ["local.txt", "/l"]',
        'COPY ["a:b", "/c"]',
      ].join('\n'),
    );
    expect(df.references.map((r) => `${r.kind} ${r.value} @${r.line}`)).toEqual([
      'from lms/node:18 @1',
      'add-url http://127.0.0.1:9/x @3',
      'add-url http://127.0.0.1:9/x/y @4',
      'add-git me@example.com:repo @5',
    ]);
  });
  it('resolves COPY --from through ARGs and by stage index, and refuses an index that is not earlier', () => {
    const df = readDockerfile(['FROM lms/node:18 AS deps', 'FROM lms/node:18', 'ARG SRC=deps', 'COPY --from=${SRC} /a /a', 'COPY --from=5 /b /b'].join('\n'));
    expect(df.references.filter((r) => r.kind !== 'from')).toEqual([]);
    expect(df.problems.map((p) => p.line)).toEqual([5]);
  });
  it('reads exec form, flags and heredocs', () => {
    const df = readDockerfile(
      [
        '# syntax=docker/dockerfile:1',
        'FROM lms/node:18',
        'COPY --chown=node:node --link package*.json ./',
        'CMD ["node", "server.js"]',
        'RUN <<EOF',
        'echo hi',
        'EOF',
        'USER node',
      ].join('\n'),
    );
    expect(df.directives.syntax).toEqual({ value: 'docker/dockerfile:1', line: 1 });
    const copy = df.instructions.find((i) => i.op === 'COPY')!;
    expect(copy.flags.map((f) => f.name)).toEqual(['chown', 'link']);
    expect(copy.words).toEqual(['package*.json', './']);
    expect(df.instructions.find((i) => i.op === 'CMD')).toMatchObject({ json: true, words: ['node', 'server.js'] });
    const run = df.instructions.find((i) => i.op === 'RUN')!;
    expect(run.heredocs).toEqual(['EOF']);
    expect(df.instructions.at(-1)).toMatchObject({ op: 'USER', line: 8, words: ['node'] });
  });
  it('never throws on garbage', () => {
    for (const t of ['', '\u0000\u0001', 'FROM', 'FROM ${', 'RUN \\', '[[[', 'FROM a AS', 'COPY --from= /a /b'.repeat(3)]) {
      expect(() => readDockerfile(t)).not.toThrow();
    }
  });
});
