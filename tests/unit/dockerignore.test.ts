import { describe, expect, it } from 'vitest';
import { ignored, IgnoreSyntaxError, parseDockerignore } from '@/lib/grading/dockerignore';
import { gateLearnerDockerfile, learnerContext } from '@/lib/grading/build';

const left = (ignore: string, paths: string[]) => {
  const rules = parseDockerignore(ignore);
  return paths.filter((p) => ignored(rules, p));
};

describe('.dockerignore as the docker CLI reads it (moby/patternmatcher)', () => {
  it('matches within one segment with * and ?, across segments with **, and a matching folder takes its contents', () => {
    const paths = ['secret.txt', 'a/secret.txt', 'a.log', 'sub/b.log', 'node_modules/x/index.js', 'dist/app.js', 'ab.txt', 'c.txt', 'docs/x/y.md'];
    expect(left('secret.txt', paths)).toEqual(['secret.txt']);
    expect(left('*.log', paths)).toEqual(['a.log']);
    expect(left('**/*.log', paths)).toEqual(['a.log', 'sub/b.log']);
    expect(left('**/secret.txt', paths)).toEqual(['secret.txt', 'a/secret.txt']);
    expect(left('node_modules\n/dist', paths)).toEqual(['node_modules/x/index.js', 'dist/app.js']);
    expect(left('?.txt', paths)).toEqual(['c.txt']);
    expect(left('docs/**', paths)).toEqual(['docs/x/y.md']);
    expect(left('**', paths)).toEqual(paths);
    expect(left('a/../secret.txt', paths)).toEqual(['secret.txt']);
    expect(left('[ac].txt', paths)).toEqual(['c.txt']);
  });

  it('the last matching pattern decides, and ! brings back a file from an excluded folder', () => {
    const paths = ['a.md', 'README.md', 'docs/keep.md', 'docs/drop.md'];
    expect(left('*.md\n!README.md', paths)).toEqual(['a.md']);
    expect(left('docs\n!docs/keep.md', paths)).toEqual(['docs/drop.md']);
    expect(left('!README.md\n*.md', paths)).toEqual(['a.md', 'README.md']);
  });

  it('reads comments, blank lines and spaces as the CLI does, and refuses malformed patterns', () => {
    expect(left('# secret.txt\n\n  secret.txt  \n', ['secret.txt'])).toEqual(['secret.txt']);
    expect(left(' # not a comment', ['# not a comment'])).toEqual(['# not a comment']);
    expect(() => parseDockerignore('ok\n[abc\n')).toThrow(IgnoreSyntaxError);
    expect(() => parseDockerignore('ok\n[abc\n')).toThrow(/\.dockerignore:2/);
    expect(() => parseDockerignore('!\n')).toThrow(IgnoreSyntaxError);
  });

  it('the build context keeps the Dockerfile and the ignore file, and a Dockerfile-specific ignore file wins', () => {
    const f = (p: string, c = 'x') => ({ path: p, content: Buffer.from(c) });
    const files = [f('Dockerfile'), f('.dockerignore', '**\n!server.js'), f('server.js'), f('secret.txt')];
    const ctx = learnerContext(files, 'Dockerfile');
    expect(ctx.files.map((x) => x.path)).toEqual(['Dockerfile', '.dockerignore', 'server.js']);
    expect(ctx.excluded).toEqual(['secret.txt']);
    const own = learnerContext([...files, f('Dockerfile.dockerignore', 'server.js')], 'Dockerfile');
    expect(own.ignoreFile).toBe('Dockerfile.dockerignore');
    expect(own.excluded).toEqual(['server.js']);
    expect(
      learnerContext(
        files.filter((x) => x.path !== '.dockerignore'),
        'Dockerfile',
      ).excluded,
    ).toEqual([]);
  });

  it('a malformed pattern refuses the build before a builder is taken, naming the file and line in both languages', () => {
    const f = (p: string, c: string) => ({ path: p, content: Buffer.from(c) });
    const { info } = gateLearnerDockerfile([f('Dockerfile', 'FROM node:26-slim\n'), f('.dockerignore', 'node_modules\n[abc\n')], 'Dockerfile');
    expect(info?.ok).toBe(false);
    expect(info?.refused).toEqual([
      {
        line: 2,
        file: '.dockerignore',
        message: {
          ko: expect.stringMatching(/^\.dockerignore:2: 패턴 "\[abc"의 문법이 잘못되었습니다/),
          en: expect.stringMatching(/^\.dockerignore:2: the pattern "\[abc" is malformed/),
        },
      },
    ]);
  });
});
