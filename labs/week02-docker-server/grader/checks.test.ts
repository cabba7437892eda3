import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { Submission, NotGradable, type GraderVerdict } from '../../../lib/grader-kit/index';
import { labManifest } from '../../../lib/labs/manifest';
import { readCase } from '../../../lib/labs/registry';
import { gradeWith, parseDockerfile, type BuildInfo, type Probe } from './checks';

// Unit tests at the seam: the build information and the running server are fakes here; the integration suite
// builds and runs every case for real.
const LAB = path.resolve(import.meta.dirname, '..');
const manifest = labManifest.parse(YAML.parse(fs.readFileSync(path.join(LAB, 'lab.yaml'), 'utf8')));
const maxScore = manifest.checks.reduce((s, c) => s + c.points, 0);

function readDir(d: string, rel = ''): [string, Buffer][] {
  const out: [string, Buffer][] = [];
  for (const e of fs.readdirSync(path.join(d, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...readDir(d, r));
    else if (r !== 'expect.json') out.push([r, fs.readFileSync(path.join(d, r))]);
  }
  return out;
}
// A case is an overlay on the solution (expect.json `base`): read through the same function the integration suite uses.
const files = (dir: string): Record<string, string> =>
  dir.startsWith('cases/')
    ? Object.fromEntries(readCase(path.join(LAB, dir)).files.map((f) => [f.path, f.content.toString('utf8')]))
    : Object.fromEntries(readDir(path.join(LAB, dir)).map(([k, v]) => [k, v.toString('utf8')]));
const sub = (f: Record<string, string>) => new Submission(new Map(Object.entries(f).map(([k, v]) => [k, Buffer.from(v)])));
const failed = (v: GraderVerdict) => v.checks.filter((c) => !c.passed).map((c) => c.id).sort();
const score = (v: GraderVerdict) => v.checks.reduce((s, c) => s + c.points, 0);
const en = (v: GraderVerdict, id: string) => {
  const m = v.checks.find((c) => c.id === id)?.message;
  return typeof m === 'object' ? m.en : (m ?? '');
};
const built: BuildInfo = { ok: true, steps: [], rebuildSteps: [{ step: 1, instruction: 'FROM lms/node:18', cached: true }, { step: 6, instruction: 'RUN node scripts/install.js', cached: true }] };
const healthy: Probe = {
  get: async (p) => (p === '/healthz' ? { status: 200, body: '{"status":"ok","uptime":1}' } : { status: 200, body: 'hello from hello-server\n' }),
};

describe('week 2 Docker server grader', () => {
  it('reads Dockerfile instructions with their lines, across continuations and comments', () => {
    const ins = parseDockerfile('# c\nFROM a:1 AS b\nRUN x \\\n  # note\n  && y\n\nFROM b\nUSER app\n');
    expect(ins.map((i) => [i.op, i.line, i.stage])).toEqual([['FROM', 2, 0], ['RUN', 3, 0], ['FROM', 7, 1], ['USER', 8, 1]]);
    expect(ins[1]!.args).toContain('&& y');
  });

  it('gives the solution full marks when it builds, answers and stays cached', async () => {
    const v = await gradeWith(sub(files('solution')), built, healthy);
    expect(v.checks.map((c) => c.id)).toEqual(manifest.checks.map((c) => c.id));
    expect(failed(v)).toEqual([]);
    expect(score(v)).toBe(maxScore);
  });

  it('keeps the starter below the pass mark even when it builds and answers', async () => {
    const v = await gradeWith(sub(files('starter')), { ...built, rebuildSteps: [{ step: 4, instruction: 'RUN node scripts/install.js', cached: false }] }, healthy);
    expect(score(v)).toBeLessThan(maxScore * manifest.passRatio);
  });

  it('maps a failed build step to its Dockerfile line', async () => {
    const v = await gradeWith(sub(files('solution')), { ok: false, error: "The command '/bin/sh -c node scripts/install.js' returned a non-zero code: 1", steps: [1, 2, 3, 4, 5, 6].map((n) => ({ step: n, instruction: 'x', cached: false })) }, null);
    expect(en(v, 'builds')).toMatch(/^Dockerfile:\d+: the image did not build: The command/);
    expect(failed(v)).toEqual(['answers', 'builds', 'cache']);
  });

  it('fails answers when the server does not answer or its health is wrong', async () => {
    const down: Probe = { get: async () => ({ error: 'connection refused' }) };
    expect(failed(await gradeWith(sub(files('solution')), built, down))).toEqual(['answers']);
    const sick: Probe = { get: async (p) => (p === '/healthz' ? { status: 500, body: 'x' } : { status: 200, body: 'hello from hello-server' }) };
    expect(en(await gradeWith(sub(files('solution')), built, sick), 'answers')).toContain('/healthz');
  });

  it('fails the cache check when a RUN step re-ran after the source changed', async () => {
    const v = await gradeWith(sub(files('solution')), { ...built, rebuildSteps: [{ step: 6, instruction: 'RUN node scripts/install.js', cached: false }] }, healthy);
    expect(failed(v)).toEqual(['cache']);
    expect(en(v, 'cache')).toMatch(/Dockerfile:\d+ RUN node scripts\/install\.js/);
  });

  it('checks the compose file against the Compose Specification with the line of the problem', async () => {
    const f = files('solution');
    const v = await gradeWith(sub({ ...f, 'compose.yaml': f['compose.yaml']!.replace('    ports:', '    prots:') }), built, healthy);
    expect(en(v, 'compose')).toMatch(/compose\.yaml:\d+: not valid against the Compose Specification/);
    const long = f['compose.yaml']!.replace('      - "8080:8080"', '      - target: 8080\n        published: 80');
    expect(failed(await gradeWith(sub({ ...f, 'compose.yaml': long }), built, healthy))).toEqual([]);
  });

  it("says why the server's answer or the cache check fell short", async () => {
    const f = files('solution');
    const other: Probe = { get: async (p) => (p === '/healthz' ? { status: 200, body: '{"status":"ok"}' } : { status: 200, body: '<h1>It works!</h1>' }) };
    const v = await gradeWith(sub(f), built, other);
    expect(failed(v)).toEqual(['answers']);
    expect(en(v, 'answers')).toMatch(/HTTP 200, but not hello-server's greeting: "<h1>It works!<\/h1>"/);
    const secondFailed = await gradeWith(sub(f), { ...built, rebuildSteps: [] }, healthy);
    expect(failed(secondFailed)).toEqual(['cache']);
    expect(en(secondFailed, 'cache')).toMatch(/second build.*failed/);
  });

  it('a build with no context builds from this folder', async () => {
    const f = files('solution');
    const compose = f['compose.yaml']!;
    expect(compose).toMatch(/build: \.\n/);
    const noContext = compose.replace(/build: \.\n/, 'build:\n      dockerfile: Dockerfile\n');
    expect(failed(await gradeWith(sub({ ...f, 'compose.yaml': noContext }), built, healthy))).toEqual([]);
    const elsewhere = compose.replace(/build: \.\n/, 'build:\n      context: ./other\n');
    expect(en(await gradeWith(sub({ ...f, 'compose.yaml': elsewhere }), built, healthy), 'compose')).toMatch(/no service builds its image from this folder/);
  });

  it('takes only restart policies Docker knows', async () => {
    const f = files('solution');
    const withRestart = (r: string) => sub({ ...f, 'compose.yaml': f['compose.yaml']!.replace('restart: unless-stopped', `restart: ${r}`) });
    for (const ok of ['always', 'unless-stopped', 'on-failure', 'on-failure:3']) expect(failed(await gradeWith(withRestart(ok), built, healthy)), ok).toEqual([]);
    for (const bad of ['sometimes', 'on-failure:0', '"no"', 'Always']) expect(failed(await gradeWith(withRestart(bad), built, healthy)), bad).toEqual(['compose']);
    expect(en(await gradeWith(withRestart('sometimes'), built, healthy), 'compose')).toMatch(/compose\.yaml:\d+: "sometimes" is not a restart policy Docker knows/);
  });

  for (const c of fs.readdirSync(path.join(LAB, 'cases'))) {
    const expected = [...readCase(path.join(LAB, 'cases', c)).expect.fail].sort();
    // Cases whose failure only a real build or run shows are covered by the integration suite.
    if (expected.some((id) => ['builds', 'answers', 'cache'].includes(id))) continue;
    it(`case ${c} fails exactly its expected static checks`, async () => {
      expect(failed(await gradeWith(sub(files(`cases/${c}`)), built, healthy))).toEqual(expected);
    });
  }

  it('is not gradable without its files', async () => {
    await expect(gradeWith(sub({ 'notes.md': 'x' }), built, healthy)).rejects.toBeInstanceOf(NotGradable);
    const f = files('solution');
    await expect(gradeWith(sub({ ...f, Dockerfile: '# nothing\n' }), built, healthy)).rejects.toThrow(/no FROM/);
  });
});
