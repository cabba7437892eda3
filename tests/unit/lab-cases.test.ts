import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { labFolderProblems, labSubmissionDirs, listLabs, readCase, readFolderFiles, readVariant } from '@/lib/labs/registry';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-cases-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function write(rel: string, content: string) {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), content);
}
write('solution/Dockerfile', 'FROM good\n');
write('solution/src/app.js', 'ok\n');
write('solution/k8s/pdb.yaml', 'pdb\n');
const files = (c: string) => Object.fromEntries(readCase(path.join(root, 'cases', c)).files.map((f) => [f.path, f.content.toString()]));

describe('readCase', () => {
  it('a case without base is its folder alone', () => {
    write('cases/plain/expect.json', '{"fail":["a"]}');
    write('cases/plain/Dockerfile', 'FROM bad\n');
    expect(files('plain')).toEqual({ Dockerfile: 'FROM bad\n' });
    expect(readCase(path.join(root, 'cases', 'plain')).expect.fail).toEqual(['a']);
  });
  it('an overlay is the solution with the case files on top, minus the deleted ones', () => {
    write('cases/over/expect.json', '{"fail":["b"],"base":"solution","delete":["k8s/pdb.yaml"]}');
    write('cases/over/Dockerfile', 'FROM bad\n');
    expect(files('over')).toEqual({ Dockerfile: 'FROM bad\n', 'src/app.js': 'ok\n' });
  });
  it('refuses a bad expect.json or a delete the solution does not have, naming the case', () => {
    write('cases/typo/expect.json', '{"fails":["b"]}');
    expect(() => readCase(path.join(root, 'cases', 'typo'))).toThrow(/case typo: expect.json: .*fail/);
    write('cases/gone/expect.json', '{"fail":[],"base":"solution","delete":["nope.txt"]}');
    expect(() => readCase(path.join(root, 'cases', 'gone'))).toThrow(/case gone: .*"nope.txt"/);
    write('cases/nobase/expect.json', '{"fail":[],"delete":["Dockerfile"]}');
    expect(() => readCase(path.join(root, 'cases', 'nobase'))).toThrow(/needs "base"/);
    write('cases/broken/expect.json', '{fail');
    expect(() => readCase(path.join(root, 'cases', 'broken'))).toThrow(/case broken: expect.json cannot be read/);
  });
  it('every lab case in the repository has a valid expect.json and differs from the solution', () => {
    for (const lab of listLabs()) {
      const dir = path.join(lab.dir, 'cases');
      if (!fs.existsSync(dir)) continue;
      const solution = JSON.stringify(readFolderFiles(path.join(lab.dir, 'solution')).map((f) => [f.path, f.content.toString('base64')]));
      for (const c of fs.readdirSync(dir)) {
        const { files: submitted } = readCase(path.join(dir, c));
        expect(JSON.stringify(submitted.map((f) => [f.path, f.content.toString('base64')])), `${lab.manifest.id}/${c}`).not.toBe(solution);
      }
    }
  });
  it('an overlay case in the repository holds no copy of a solution file', () => {
    for (const lab of listLabs()) {
      const dir = path.join(lab.dir, 'cases');
      if (!fs.existsSync(dir)) continue;
      const solution = new Map(readFolderFiles(path.join(lab.dir, 'solution')).map((f) => [f.path, f.content]));
      for (const c of fs.readdirSync(dir)) {
        if (!readCase(path.join(dir, c)).expect.base) continue;
        const copies = readFolderFiles(path.join(dir, c), (rel) => rel === 'expect.json').filter((f) => solution.get(f.path)?.equals(f.content));
        expect(
          copies.map((f) => f.path),
          `${lab.manifest.id}/${c}`,
        ).toEqual([]);
      }
    }
  });
  it('every lab requires the checks its week is about, and some known-wrong case misses one of them (so it shows not passed)', () => {
    for (const lab of listLabs().filter((l) => !l.manifest.id.startsWith('test-'))) {
      const required = lab.manifest.checks.filter((c) => c.required).map((c) => c.id);
      expect(required.length, lab.manifest.id).toBeGreaterThan(0);
      expect(required.length, `${lab.manifest.id}: not every check can be required, or partial credit means nothing`).toBeLessThan(lab.manifest.checks.length);
      const dir = path.join(lab.dir, 'cases');
      const missing = fs.readdirSync(dir).filter((c) => readCase(path.join(dir, c)).expect.fail.some((id) => required.includes(id)));
      expect(missing.length, `${lab.manifest.id}: no case misses a required check`).toBeGreaterThan(0);
    }
  });
  it('every lab folder holds its instructions in both languages, starter, solution, grader and cases', () => {
    const labs = listLabs().filter((l) => !l.manifest.id.startsWith('test-'));
    // every week 1-10 has its build lab
    expect(new Set(labs.filter((l) => l.manifest.purpose === 'build').map((l) => l.manifest.week)).size).toBe(10);
    expect(labs.flatMap(labFolderProblems)).toEqual([]);
    // and the check notices a missing part
    write('lonely/lab.yaml', 'id: lonely\n');
    write('lonely/instructions.en.md', '# x\n');
    expect(labFolderProblems({ ...labs[0]!, dir: path.join(root, 'lonely') })).toEqual(
      ['instructions.ko.md', 'starter', 'solution', 'grader/index.ts', 'cases'].map((p) => `labs/lonely: missing ${p}`),
    );
  });
});

describe('readVariant', () => {
  it('reads a variant folder, an overlay on the solution when it says so, and refuses a description without a style', () => {
    write('variants/flow/variant.json', '{"style":"flow-style YAML, as some Helm charts render it","base":"solution"}');
    write('variants/flow/Dockerfile', 'FROM other\n');
    const v = readVariant(path.join(root, 'variants', 'flow'));
    expect(v.variant.style).toMatch(/flow-style/);
    expect(Object.fromEntries(v.files.map((f) => [f.path, f.content.toString()]))).toEqual({
      Dockerfile: 'FROM other\n',
      'src/app.js': 'ok\n',
      'k8s/pdb.yaml': 'pdb\n',
    });
    write('variants/bare/variant.json', '{"base":"solution"}');
    expect(() => readVariant(path.join(root, 'variants', 'bare'))).toThrow(/variant bare: variant.json: style/);
  });
  it('every lab has at least 5 variants, each valid, differing from the solution and from each other, with no copied solution file in an overlay', () => {
    for (const lab of listLabs().filter((l) => !l.manifest.id.startsWith('test-'))) {
      const dirs = labSubmissionDirs(lab, 'variants');
      expect(dirs.length, `${lab.manifest.id}: variants`).toBeGreaterThanOrEqual(5);
      const solutionFiles = readFolderFiles(path.join(lab.dir, 'solution'));
      const solution = new Map(solutionFiles.map((f) => [f.path, f.content]));
      const seen = new Set([JSON.stringify(solutionFiles.map((f) => [f.path, f.content.toString('base64')]))]);
      for (const d of dirs) {
        const v = readVariant(d);
        const key = JSON.stringify(v.files.map((f) => [f.path, f.content.toString('base64')]));
        expect(seen.has(key), `${lab.manifest.id}/${path.basename(d)} repeats the solution or another variant`).toBe(false);
        seen.add(key);
        if (v.variant.base) {
          const copies = readFolderFiles(d, (rel) => rel === 'variant.json').filter((f) => solution.get(f.path)?.equals(f.content));
          expect(
            copies.map((f) => f.path),
            `${lab.manifest.id}/${path.basename(d)}`,
          ).toEqual([]);
        }
      }
    }
  });
});
