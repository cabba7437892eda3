import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { Submission, NotGradable, type GraderVerdict } from '../../../grader-kit/index';
import { labManifest } from '../../../lib/labs/manifest';
import { readCase, readFolderFiles, readVariant } from '../../../lib/labs/registry';
import { grade, checkSource, parseOutput, matchOutputs, fieldOk, utcMillis, type Expected } from './checks';

const LAB = path.resolve(import.meta.dirname, '..');
const DATA = path.join(LAB, 'grader', 'data');
const manifest = labManifest.parse(YAML.parse(fs.readFileSync(path.join(LAB, 'lab.yaml'), 'utf8')));
const max = Object.fromEntries(manifest.checks.map((c) => [c.id, c.points]));
const total = manifest.checks.reduce((s, c) => s + c.points, 0);

/**
 * A port for one test's harness. Tests run concurrently: a port the OS handed out and took back can be handed to the
 * next test before the first harness binds it, and that test would then grade the other's program. So each test takes
 * its own number from a counter (from a random start), and only a number nothing listens on.
 */
let nextPort = 20_000 + Math.floor(Math.random() * 20_000);
async function freePort(): Promise<number> {
  for (;;) {
    const port = nextPort++;
    const free = await new Promise<boolean>((resolve) => {
      const s = net.createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

const toMap = (files: { path: string; content: Buffer }[]) => new Map(files.filter((f) => f.path.endsWith('.js')).map((f) => [f.path, f.content]));
const readDir = (dir: string) => toMap(readFolderFiles(dir));

/**
 * Runs the lab's harness with the program the way the sandbox does (node .lms/harness.js node process.js, in a folder
 * of its own, outside the repository so its package.json does not apply), on a free port, and grades it.
 */
async function run(files: Map<string, Buffer>): Promise<GraderVerdict> {
  const port = await freePort();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'week08-'));
  for (const [f, b] of files) {
    fs.mkdirSync(path.dirname(path.join(work, f)), { recursive: true });
    fs.writeFileSync(path.join(work, f), b);
  }
  fs.mkdirSync(path.join(work, '.lms'));
  fs.copyFileSync(path.join(LAB, 'grader', 'harness.js'), path.join(work, '.lms', 'harness.js'));
  const child = spawn(process.execPath, ['.lms/harness.js', process.execPath, 'process.js'], {
    cwd: work,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PORT: String(port) } as unknown as NodeJS.ProcessEnv,
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  try {
    return await grade(new Submission(files), { subjectUrl: `http://127.0.0.1:${port}`, dataDir: DATA });
  } finally {
    child.kill('SIGKILL');
    fs.rmSync(work, { recursive: true, force: true });
  }
}

const score = (v: GraderVerdict) => v.checks.reduce((s, c) => s + c.points, 0);
const failed = (v: GraderVerdict) =>
  v.checks
    .filter((c) => !c.passed)
    .map((c) => c.id)
    .sort();
const sub = (files: Record<string, string | Buffer>) =>
  new Submission(new Map(Object.entries(files).map(([k, v]) => [k, Buffer.isBuffer(v) ? v : Buffer.from(v)])));
const expected = (name: string) => JSON.parse(fs.readFileSync(path.join(DATA, `${name}.expected.json`), 'utf8')) as Expected;

describe('week08 hidden data', () => {
  it('has what the lab promises: a 5xx burst, IPv6, quotes in user agents, a - byte count, traps and bad lines', () => {
    const a = expected('access');
    const five = a.lines.filter((l) => l.kind === '5xx');
    expect(five.length).toBeGreaterThanOrEqual(25);
    expect(a.malformed).toBe(10);
    expect(a.lines.some((l) => l.kind === 'malformed' && l.text.includes('[31/Nov/2026:'))).toBe(true);
    expect(five.some((l) => l.want!.ip.includes(':'))).toBe(true);
    expect(five.some((l) => l.want!.ua.includes('\\"'))).toBe(true);
    expect(five.some((l) => l.want!.ua.includes('\\x22'))).toBe(true);
    expect(five.some((l) => / 5\d\d - "/.test(l.text))).toBe(true);
    expect(a.lines.some((l) => l.kind === 'other' && l.want!.status === 499)).toBe(true);
    expect(a.lines.some((l) => l.kind === 'other' && l.want!.bytes === 503)).toBe(true);
    const log = fs.readFileSync(path.join(DATA, 'edge.log'));
    expect(log[log.length - 1]).not.toBe(0x0a);
    expect(expected('garbage').malformed).toBe(8);
  });

  it('the logs are what make-data.mjs writes (the expected records belong to these very logs)', () => {
    const a = expected('access');
    const lines = fs.readFileSync(path.join(DATA, 'access.log'), 'utf8').split('\n');
    for (const l of a.lines) expect(lines[l.line - 1]!.startsWith(l.text.replace(/…$/, ''))).toBe(true);
  });
});

describe('week08 output reading', () => {
  const w = expected('edge').lines[0]!.want!;
  it('accepts the time with or without milliseconds, Z or +00:00, and either form of the user agent', () => {
    expect(fieldOk('time', '2026-11-22T03:30:00Z', w)).toBe(true);
    expect(fieldOk('time', '2026-11-22T03:30:00.000+00:00', w)).toBe(true);
    expect(fieldOk('time', '2026-11-21T22:30:00-05:00', w)).toBe(false);
    expect(fieldOk('status', '502', w)).toBe(false);
    const kakao = expected('access').lines.find((l) => l.want?.ua.includes('KakaoTalk'))!.want!;
    expect(fieldOk('ua', kakao.ua, kakao)).toBe(true);
    expect(fieldOk('ua', kakao.uaDecoded, kakao)).toBe(true);
  });
  it('accepts every ISO 8601 UTC form of the time (fraction or not, any digits, Z or +00:00); refuses other offsets and rolled-over dates', () => {
    for (const t of [
      '2026-11-22T03:30:00.000Z',
      '2026-11-22T03:30:00Z',
      '2026-11-22T03:30:00+00:00',
      '2026-11-22T03:30:00.000000Z',
      '2026-11-22T03:30:00.0+00:00',
    ])
      expect(fieldOk('time', t, w), t).toBe(true);
    for (const t of [
      '2026-11-21T22:30:00-05:00',
      '2026-11-22 03:30:00Z',
      '2026-11-22T03:30:00.001Z',
      '2026-11-22T03:30:00',
      1795318200000,
      '2026-11-31T03:30:00Z',
    ])
      expect(fieldOk('time', t, w), String(t)).toBe(false);
    expect(utcMillis('2026-11-31T00:00:00Z')).toBeNaN();
  });
  it('reads a megabyte of braces in linear time (no quadratic rescanning)', () => {
    const t0 = Date.now();
    const p = parseOutput('{'.repeat(500_000) + '}'.repeat(500_000));
    expect(p.objects).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(2000);
    const q = parseOutput('noise {"a":1} {not json} {"b":{"c":2}}\n');
    expect(q.objects).toEqual([{ a: 1 }, { b: { c: 2 } }]);
  });
  it('recovers pretty-printed objects but reports the first line that is not one JSON object', () => {
    const p = parseOutput(JSON.stringify({ a: 1 }, null, 2) + '\n' + JSON.stringify({ b: '}{"' }, null, 2) + '\n');
    expect(p.objects).toEqual([{ a: 1 }, { b: '}{"' }]);
    expect(p.badLine).toEqual({ n: 1, text: '{' });
  });
  it('matches an output to the line it came from, and flags a line written twice', () => {
    const e = expected('edge');
    const o = { ...w, ua: w.ua } as unknown as Record<string, unknown>;
    const m = matchOutputs([o, o], e);
    expect(m.map((x) => [x.line?.line, x.duplicate])).toEqual([
      [1, false],
      [1, true],
    ]);
  });
});

describe('week08 grader', { timeout: 30_000 }, () => {
  it.concurrent('the solution gets full marks, reporting every check of the manifest', async () => {
    const v = await run(readDir(path.join(LAB, 'solution')));
    expect(v.checks.map((c) => c.id).sort()).toEqual(manifest.checks.map((c) => c.id).sort());
    for (const c of v.checks) {
      expect(c.passed, `${c.id}: ${JSON.stringify(c.message)}`).toBe(true);
      expect(c.points).toBe(max[c.id]);
    }
  });

  const variants = fs.existsSync(path.join(LAB, 'variants')) ? fs.readdirSync(path.join(LAB, 'variants')) : [];
  it.concurrent.each(variants)('variant %s (another legitimate style) gets full marks', async (name) => {
    const v = await run(toMap(readVariant(path.join(LAB, 'variants', name)).files));
    expect(v.checks.filter((c) => !c.passed).map((c) => [c.id, c.message])).toEqual([]);
    expect(score(v)).toBe(total);
  });

  const cases = fs.readdirSync(path.join(LAB, 'cases'));
  it.concurrent.each(cases)('case %s fails exactly its expected checks', async (c) => {
    const kase = readCase(path.join(LAB, 'cases', c));
    const want = kase.expect.fail;
    const v = await run(toMap(kase.files));
    expect(failed(v), JSON.stringify(v.checks.filter((x) => !x.passed).map((x) => [x.id, x.message]))).toEqual([...want].sort());
    for (const f of v.checks.filter((x) => !x.passed)) {
      const m = f.message as { ko: string; en: string };
      expect(m.ko.length).toBeGreaterThan(10);
      expect(m.en).toMatch(/process\.js(:\d+)?/);
    }
  });

  it.concurrent('the starter stays below the pass mark', async () => {
    const v = await run(readDir(path.join(LAB, 'starter')));
    expect(score(v)).toBeLessThan(manifest.passRatio * total);
  });

  it.concurrent('hostile programs (endless output, never exits, kills itself, binary junk) get a verdict, no crash', async () => {
    const programs = [
      "for (;;) process.stdout.write('x'.repeat(65536));",
      'setInterval(() => {}, 1000);',
      "process.stdin.resume(); process.stdin.on('end', () => process.kill(process.pid, 'SIGKILL'));",
      "process.stdout.write(Buffer.from([0xff, 0xfe, 0x7b, 0x0a, 0x00, 0x22])); process.stdout.write('{'.repeat(100000) + '\\n');",
      // Nested braces up to the output cap: quadratic rescanning used to keep the grader busy for hours.
      "process.stdout.write('{'.repeat(500000) + '}'.repeat(500000));",
      // Leaves a process behind that holds stdout open, then exits 0.
      "require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: ['ignore', 'inherit', 'inherit'] }); process.stdin.resume(); process.stdin.on('end', () => process.exit(0));",
    ];
    const t0 = Date.now();
    const verdicts = await Promise.all(programs.map((p) => run(new Map([['process.js', Buffer.from(p)]]))));
    for (const v of verdicts) {
      expect(v.gradable).toBe(true);
      expect(v.checks.length).toBe(manifest.checks.length);
      expect(score(v)).toBeLessThan(manifest.passRatio * total);
    }
    expect(Date.now() - t0).toBeLessThan(28_000);
  });

  it.concurrent('a program that kills the runner gets a verdict saying so, not a crash', async () => {
    const v = await run(new Map([['process.js', Buffer.from('process.kill(process.ppid, "SIGKILL");\n')]]));
    expect(v.gradable).toBe(true);
    expect(v.checks.every((c) => !c.passed)).toBe(true);
    expect((v.checks[0]!.message as { en: string }).en).toMatch(/runner that starts your program stopped answering.*process\.js:1/);
  });

  it.concurrent('records written out of input order fail json-lines, naming the two lines', async () => {
    const solution = readDir(path.join(LAB, 'solution')).get('process.js')!.toString('utf8');
    const shuffled =
      solution
        .replace("process.stdout.write(JSON.stringify(record) + '\\n');", 'held.push(JSON.stringify(record));')
        .replace("rl.on('close', () => {", "rl.on('close', () => {\n  for (const r of held.reverse()) process.stdout.write(r + '\\n');") + '\nvar held = [];\n';
    expect(shuffled).not.toBe(solution);
    const v = await run(new Map([['process.js', Buffer.from(shuffled)]]));
    expect(failed(v)).toEqual(['json-lines']);
    expect((v.checks.find((c) => c.id === 'json-lines')!.message as { en: string }).en).toMatch(/the record for line \d+ came after the record for line \d+/);
  });

  it('current JavaScript that Node 18 runs passes the syntax check (class fields and static blocks, #private, ??=, ?., regex d flag, top-level return)', () => {
    const modern =
      "'use strict';\nclass Cfg { static #n = 0; static { Cfg.#n = 1; } #x = 1; get x() { return this.#x; } static n() { return Cfg.#n; } }\nlet o = {};\no.a ??= [1, 2].at(-1);\nconst m = /a(b)/d.exec('ab')?.indices?.[1];\nif (!m) return;\nmodule.exports = { Cfg, o, m };\n";
    expect(() => checkSource(sub({ 'process.js': modern }))).not.toThrow();
  });

  it('malformed submissions are not gradable: missing, empty, not UTF-8, syntax errors, ESM imports', async () => {
    expect(() => checkSource(sub({ 'lib.js': 'module.exports = 1;' }))).toThrow(/missing/);
    expect(() => checkSource(sub({ 'process.js': '\n\n' }))).toThrow(/empty/);
    expect(() => checkSource(sub({ 'process.js': Buffer.from([0xc3, 0x28]) }))).toThrow(/UTF-8/);
    expect(() => checkSource(sub({ 'process.js': 'let x = 1;\nlet x = 2;\n' }))).toThrow(/process\.js:2: JavaScript syntax error/);
    expect(() => checkSource(sub({ 'process.js': "import readline from 'node:readline';\n" }))).toThrow(/require\(\)/);
    expect(() => checkSource(sub({ 'process.js': 'x = ' + '('.repeat(200000) + ')'.repeat(200000) }))).toThrow(NotGradable);
    await expect(grade(sub({ 'process.js': 'function (' }), { subjectUrl: 'http://127.0.0.1:1', dataDir: DATA })).rejects.toThrow(NotGradable);
  });
});
