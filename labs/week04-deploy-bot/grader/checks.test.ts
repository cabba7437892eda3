import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { Submission, NotGradable, type GraderVerdict } from '../../../lib/grader-kit/index';
import { labManifest } from '../../../lib/labs/manifest';
import { readCase, readFolderFiles, readVariant } from '../../../lib/labs/registry';
import { grade, loadConfig, checkSource, type Config } from './checks';

const LAB = path.resolve(import.meta.dirname, '..');
const manifest = labManifest.parse(YAML.parse(fs.readFileSync(path.join(LAB, 'lab.yaml'), 'utf8')));
const max = Object.fromEntries(manifest.checks.map((c) => [c.id, c.points]));
const total = manifest.checks.reduce((s, c) => s + c.points, 0);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const toMap = (files: { path: string; content: Buffer }[]) => new Map(files.filter((f) => f.path.endsWith('.js')).map((f) => [f.path, f.content]));
const readDir = (dir: string) => toMap(readFolderFiles(dir));

/**
 * Runs the bot the way the sandbox does (node bot.js in a folder of its own, PORT and the lab's env), on free ports
 * so runs can go in parallel, and grades it. The sandbox itself is exercised by `bin/lms grade`.
 */
async function run(files: Map<string, Buffer>): Promise<GraderVerdict> {
  const base = loadConfig(path.join(LAB, 'lab.yaml'), path.join(LAB, 'grader', 'data'), 'http://127.0.0.1:1');
  const [port, chatPort] = [await freePort(), await freePort()];
  const chat = new URL(base.chatUrl);
  chat.port = String(chatPort);
  const cfg: Config = { ...base, chatUrl: chat.toString(), subjectUrl: `http://127.0.0.1:${port}` };
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'week04-'));
  for (const [f, b] of files) {
    fs.mkdirSync(path.dirname(path.join(work, f)), { recursive: true });
    fs.writeFileSync(path.join(work, f), b);
  }
  fs.mkdirSync(path.join(work, '.lms'));
  fs.copyFileSync(path.join(LAB, 'grader', 'preload.js'), path.join(work, '.lms', 'harness.js'));
  const child = spawn(process.execPath, ['--require', './.lms/harness.js', 'bot.js'], {
    cwd: work,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PORT: String(port), WEBHOOK_SECRET: cfg.secret, CHAT_WEBHOOK_URL: cfg.chatUrl } as unknown as NodeJS.ProcessEnv,
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  try {
    return await grade(new Submission(files), cfg);
  } finally {
    child.kill('SIGKILL');
    fs.rmSync(work, { recursive: true, force: true });
  }
}

const score = (v: GraderVerdict) => v.checks.reduce((s, c) => s + c.points, 0);
const failed = (v: GraderVerdict) => v.checks.filter((c) => !c.passed).map((c) => c.id).sort();
const sub = (files: Record<string, string | Buffer>) => new Submission(new Map(Object.entries(files).map(([k, v]) => [k, Buffer.isBuffer(v) ? v : Buffer.from(v)])));

describe('week04 grader', { timeout: 30_000 }, () => {
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
    const expected = kase.expect.fail;
    const v = await run(toMap(kase.files));
    expect(failed(v), JSON.stringify(v.checks.filter((x) => !x.passed).map((x) => [x.id, x.message]))).toEqual([...expected].sort());
    for (const f of v.checks.filter((x) => !x.passed)) {
      const m = f.message as { ko: string; en: string };
      expect(m.ko.length).toBeGreaterThan(10);
      expect(m.en).toMatch(/bot\.js(:\d+)?/);
    }
  });

  it.concurrent('the starter stays below the pass mark', async () => {
    const v = await run(readDir(path.join(LAB, 'starter')));
    expect(score(v)).toBeLessThan(manifest.passRatio * total);
  });

  it.concurrent('a bot that never listens fails every check with a message, quickly', async () => {
    const t0 = Date.now();
    const files = new Map([['bot.js', Buffer.from("setTimeout(() => {}, 60000);\n")]]);
    const base = loadConfig(path.join(LAB, 'lab.yaml'), path.join(LAB, 'grader', 'data'), `http://127.0.0.1:${await freePort()}`);
    const chat = new URL(base.chatUrl);
    chat.port = String(await freePort());
    const v = await grade(new Submission(files), { ...base, chatUrl: chat.toString(), startupMs: 1500 });
    expect(v.checks.every((c) => !c.passed && c.points === 0)).toBe(true);
    expect(JSON.stringify(v.checks[0]!.message)).toMatch(/process\.env\.PORT/);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it.concurrent('a hostile bot (floods the chat, never finishes answers, echoes huge bodies) gets a verdict, no crash', async () => {
    const hostile = `
const http = require('node:http');
const flood = () => { for (let i = 0; i < 50; i++) fetch(process.env.CHAT_WEBHOOK_URL, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'x'.repeat(100000) }) }).catch(() => {}); };
http.createServer((req, res) => {
  flood();
  if (req.headers['x-github-event'] === 'push') return; // never answers
  res.writeHead(200);
  res.write('y'.repeat(1 << 20));
  const t = setInterval(() => res.write('z'.repeat(65536)), 5);
  setTimeout(() => { clearInterval(t); res.end(); }, 2000);
}).listen(process.env.PORT);
`;
    const t0 = Date.now();
    const v = await run(new Map([['bot.js', Buffer.from(hostile)]]));
    expect(v.gradable).toBe(true);
    expect(v.checks.length).toBe(manifest.checks.length);
    expect(score(v)).toBeLessThan(manifest.passRatio * total);
    expect(Date.now() - t0).toBeLessThan(20000);
  });

  it('malformed submissions are not gradable: missing, empty, not UTF-8, syntax errors, ESM imports', () => {
    expect(() => checkSource(sub({ 'helper.js': 'module.exports = 1;' }))).toThrow(/missing/);
    expect(() => checkSource(sub({ 'bot.js': '  \n' }))).toThrow(/empty/);
    expect(() => checkSource(sub({ 'bot.js': Buffer.from([0xff, 0xfe, 0x41]) }))).toThrow(/UTF-8/);
    expect(() => checkSource(sub({ 'bot.js': "const a = 1;\nconst b = {;\n" }))).toThrow(/bot\.js:2: JavaScript syntax error/);
    expect(() => checkSource(sub({ 'bot.js': "import http from 'node:http';\n" }))).toThrow(/require\(\)/);
    expect(() => checkSource(sub({ 'bot.js': '#!/usr/bin/env node\nreturn;\n' }))).not.toThrow();
    expect(() => checkSource(sub({ 'bot.js': 'x = ' + '['.repeat(200000) + ']'.repeat(200000) }))).toThrow(NotGradable);
  });

  it('grade() refuses malformed input before probing anything', async () => {
    const cfg = loadConfig(path.join(LAB, 'lab.yaml'), path.join(LAB, 'grader', 'data'), 'http://127.0.0.1:1');
    await expect(grade(sub({ 'bot.js': 'function (' }), cfg)).rejects.toThrow(NotGradable);
  });
});
