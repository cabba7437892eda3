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
import crypto from 'node:crypto';
import { FakeChat, slackShape, type ChatPost } from './chat';
import {
  attribute,
  buildProbes,
  grade,
  hasFailureMark,
  isRed,
  leakyCompareLine,
  loadConfig,
  checkSource,
  splitInsideCharacter,
  waitForPort,
  type Config,
} from './checks';
import { findLeak, judgeCompare, parseTrace, readableForms, type SecretSet, type Trace } from './trace';

const LAB = path.resolve(import.meta.dirname, '..');
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
 * Runs the bot the way the sandbox does (node bot.js in a folder of its own, PORT and the lab's env), on free ports
 * so runs can go in parallel, and grades it. The sandbox itself is exercised by `bin/lms grade`.
 */
async function run(
  files: Map<string, Buffer>,
  opts: { preload?: boolean; before?: (cfg: Config) => Promise<void>; cfg?: Partial<Config> } = {},
): Promise<GraderVerdict> {
  const base = loadConfig(path.join(LAB, 'lab.yaml'), path.join(LAB, 'grader', 'data'), 'http://127.0.0.1:1');
  const [port, chatPort] = [await freePort(), await freePort()];
  const chat = new URL(base.chatUrl);
  chat.port = String(chatPort);
  const cfg: Config = { ...base, chatUrl: chat.toString(), subjectUrl: `http://127.0.0.1:${port}`, ...opts.cfg };
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'week04-'));
  for (const [f, b] of files) {
    fs.mkdirSync(path.dirname(path.join(work, f)), { recursive: true });
    fs.writeFileSync(path.join(work, f), b);
  }
  fs.mkdirSync(path.join(work, '.lms'));
  fs.copyFileSync(path.join(LAB, 'grader', 'preload.js'), path.join(work, '.lms', 'harness.js'));
  const child = spawn(process.execPath, opts.preload === false ? ['bot.js'] : ['--require', './.lms/harness.js', 'bot.js'], {
    cwd: work,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      PORT: String(port),
      WEBHOOK_SECRET: cfg.secret,
      CHAT_WEBHOOK_URL: cfg.chatUrl,
    } as unknown as NodeJS.ProcessEnv,
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  try {
    await opts.before?.(cfg);
    return await grade(new Submission(files), cfg);
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
    const files = new Map([['bot.js', Buffer.from('setTimeout(() => {}, 60000);\n')]]);
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

  it('current JavaScript that Node 18 runs passes the syntax check (class fields and static blocks, #private, ??=, ?., regex d flag, top-level return)', () => {
    const modern =
      "'use strict';\nclass Cfg { static #n = 0; static { Cfg.#n = 1; } #x = 1; get x() { return this.#x; } static n() { return Cfg.#n; } }\nlet o = {};\no.a ??= [1, 2].at(-1);\nconst m = /a(b)/d.exec('ab')?.indices?.[1];\nif (!m) return;\nmodule.exports = { Cfg, o, m };\n";
    expect(() => checkSource(sub({ 'bot.js': modern }))).not.toThrow();
  });

  it('malformed submissions are not gradable: missing, empty, not UTF-8, syntax errors, ESM imports', () => {
    expect(() => checkSource(sub({ 'helper.js': 'module.exports = 1;' }))).toThrow(/missing/);
    expect(() => checkSource(sub({ 'bot.js': '  \n' }))).toThrow(/empty/);
    expect(() => checkSource(sub({ 'bot.js': Buffer.from([0xff, 0xfe, 0x41]) }))).toThrow(/UTF-8/);
    expect(() => checkSource(sub({ 'bot.js': 'const a = 1;\nconst b = {;\n' }))).toThrow(/bot\.js:2: JavaScript syntax error/);
    expect(() => checkSource(sub({ 'bot.js': "import http from 'node:http';\n" }))).toThrow(/require\(\)/);
    expect(() => checkSource(sub({ 'bot.js': '#!/usr/bin/env node\nreturn;\n' }))).not.toThrow();
    expect(() => checkSource(sub({ 'bot.js': 'x = ' + '['.repeat(200000) + ']'.repeat(200000) }))).toThrow(NotGradable);
  });

  it('grade() refuses malformed input before probing anything', async () => {
    const cfg = loadConfig(path.join(LAB, 'lab.yaml'), path.join(LAB, 'grader', 'data'), 'http://127.0.0.1:1');
    await expect(grade(sub({ 'bot.js': 'function (' }), cfg)).rejects.toThrow(NotGradable);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Equivalent forms accepted, near misses refused.

const SECRET = 'test-secret-0123456789abcdef';
const BODY = Buffer.from('{ "deployment_status": { "state": "failure" }, "note": "결제" }\n');
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const hmacOf = (body: Buffer) => crypto.createHmac('sha256', SECRET).update(body).digest();
const trace = (calls: { kind: 'timingSafeEqual' | 'subtle.verify'; args: Buffer[]; algorithm?: string; delivery?: string }[]): Trace => ({
  compares: calls.map((c) => ({
    kind: c.kind,
    delivery: c.delivery ?? 'd1',
    at: 'bot.js:1',
    args: c.args.map((a) => ({ len: a.length, sha256: sha(a) })),
    algorithm: c.algorithm,
  })),
  listens: [],
  out: '',
  outAt: [],
  requests: 1,
});

describe('week04 constant-time comparison, judged from what was compared', () => {
  // A wrong signature the bot must refuse: the received header, and the HMAC a correct bot computes.
  const header = `sha256=${crypto.createHmac('sha256', 'another-secret').update(BODY).digest('hex')}`;
  const hex = header.slice(7);
  const expected = hmacOf(BODY);
  const accepted: [string, Buffer, Buffer][] = [
    ['raw 32-byte digests (Buffer.from(hex, "hex") vs digest())', Buffer.from(hex, 'hex'), expected],
    ['hex strings as UTF-8 buffers', Buffer.from(hex), Buffer.from(expected.toString('hex'))],
    ['"sha256=" + hex on both sides, as @octokit/webhooks-methods does', Buffer.from(header), Buffer.from(`sha256=${expected.toString('hex')}`)],
    ['expected first, received second', Buffer.from(`sha256=${expected.toString('hex')}`), Buffer.from(header)],
    ['both upper-cased', Buffer.from(hex.toUpperCase()), Buffer.from(expected.toString('hex').toUpperCase())],
    ['base64 of both digests', Buffer.from(Buffer.from(hex, 'hex').toString('base64')), Buffer.from(expected.toString('base64'))],
  ];
  it.each(accepted)('timingSafeEqual over %s counts', (_n, a, b) => {
    expect(judgeCompare(trace([{ kind: 'timingSafeEqual', args: [a, b] }]), 'd1', SECRET, BODY, header).ok).toBe(true);
  });
  it("crypto.subtle.verify('HMAC', key, signatureBytes, body) counts (GitHub's own JavaScript example)", () => {
    expect(judgeCompare(trace([{ kind: 'subtle.verify', args: [Buffer.from(hex, 'hex'), BODY], algorithm: 'HMAC' }]), 'd1', SECRET, BODY, header).ok).toBe(
      true,
    );
  });
  it('refuses: nothing called, the wrong bytes compared, another delivery, a re-serialised body, a non-HMAC verify', () => {
    expect(judgeCompare(trace([]), 'd1', SECRET, BODY, header)).toMatchObject({ ok: false, why: 'no-call' });
    expect(judgeCompare(trace([{ kind: 'timingSafeEqual', args: [Buffer.from(header), Buffer.from(header)] }]), 'd1', SECRET, BODY, header)).toMatchObject({
      ok: false,
      why: 'wrong-bytes',
    });
    expect(
      judgeCompare(trace([{ kind: 'timingSafeEqual', args: [Buffer.from(hex, 'hex'), expected], delivery: 'other' }]), 'd1', SECRET, BODY, header),
    ).toMatchObject({ ok: false, why: 'no-call' });
    const reparsed = hmacOf(Buffer.from(JSON.stringify(JSON.parse(BODY.toString('utf8')))));
    expect(judgeCompare(trace([{ kind: 'timingSafeEqual', args: [Buffer.from(hex, 'hex'), reparsed] }]), 'd1', SECRET, BODY, header).ok).toBe(false);
    expect(judgeCompare(trace([{ kind: 'subtle.verify', args: [Buffer.from(hex, 'hex'), BODY], algorithm: 'ECDSA' }]), 'd1', SECRET, BODY, header).ok).toBe(
      false,
    );
  });
  it('points at the comparison that leaks: === on a signature, or inside a compare function; not at length or typeof tests', () => {
    expect(leakyCompareLine(sub({ 'bot.js': "const ok = typeof h === 'string' && h.length === 71;\nif (h !== expected) return deny();\n" }))).toBe('bot.js:2');
    expect(
      leakyCompareLine(
        sub({
          'bot.js':
            'function safeEqual(a, b) {\n  if (a.length !== b.length) return false;\n  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;\n  return true;\n}\n',
        }),
      ),
    ).toBe('bot.js:3');
    expect(leakyCompareLine(sub({ 'bot.js': "if (event !== 'deployment_status') return;\nconst same = crypto.timingSafeEqual(a, b);\n" }))).toBeNull();
  });
  it('a record from the bot is untrusted input: garbage, wrong types and huge arrays are refused or capped', () => {
    expect(parseTrace('not json')).toBeNull();
    expect(parseTrace('{"v":2}')).toBeNull();
    const t = parseTrace(
      JSON.stringify({
        v: 1,
        compares: Array.from({ length: 5000 }, () => ({ kind: 'timingSafeEqual', delivery: 'x'.repeat(10_000), args: [{ sha256: 'nothex' }, 7] })),
        listens: [{ port: '9000' }, { port: 9000, moved: true }],
        out: 42,
      }),
    )!;
    expect(t.compares.length).toBe(400);
    expect(t.compares[0]!.delivery.length).toBe(80);
    expect(t.compares[0]!.args[0]!.sha256).toBeUndefined();
    expect(t.listens).toEqual([{ port: 9000, at: null, moved: true }]);
  });
});

describe('week04 secrets, however they are printed', () => {
  const secret = '9c41d7e08b2fa5366e1d4c0b7a92f58e3d6b1a07';
  const forged = crypto.createHmac('sha256', secret).update('a refused body').digest('hex');
  const set: SecretSet = { secret, chatPath: '/services/T04LMSBOT/B04DEPLOY/Zq7vR2kXy9LmWc3pT8sNd5Hf', forged: [forged] };
  const leaks: [string, string, string][] = [
    ['raw', `secret=${secret}`, 'secret'],
    ['upper-cased', secret.toUpperCase(), 'secret'],
    ['base64', Buffer.from(secret).toString('base64'), 'secret'],
    ['base64url', Buffer.from(secret).toString('base64url'), 'secret'],
    ['hex of its bytes', Buffer.from(secret).toString('hex'), 'secret'],
    ['half masked (its first 20 characters)', `${secret.slice(0, 20)}********************`, 'secret'],
    ['inside a JSON error object', readableForms(JSON.stringify({ error: { message: `bad key ${secret}` } })), 'secret'],
    ['the chat URL in a log line', `posting to http://127.0.0.1:9000${set.chatPath}`, 'chat-url'],
    ["a forger's signature in hex", `expected sha256=${forged}`, 'signature'],
    ["a forger's signature, upper-cased and truncated to 16 characters", forged.slice(8, 24).toUpperCase(), 'signature'],
    ["a forger's signature in base64", Buffer.from(forged, 'hex').toString('base64'), 'signature'],
  ];
  it.each(leaks)('finds the secret %s', (_n, text, kind) => {
    expect(findLeak(text, set, true)).toBe(kind);
  });
  it('does not count: a short prefix, a signature the caller sent, signatures in logs, other hex', () => {
    expect(findLeak(`secret loaded (${secret.slice(0, 6)}…)`, set, true)).toBeNull();
    expect(findLeak(`got sha256=${crypto.createHmac('sha256', secret).update('a body GitHub signed').digest('hex')}`, { ...set, forged: [] }, true)).toBeNull();
    expect(findLeak(`expected sha256=${forged}`, set, false)).toBeNull();
    expect(findLeak('deployment 3719288107 of octo-org/shop: failure', set, true)).toBeNull();
  });
});

describe('week04 chat messages: what Slack accepts, what stands out', () => {
  it('Slack takes text, Block Kit blocks (no text needed) or legacy attachments; Discord bodies and empty text are not messages', () => {
    expect(slackShape({ text: 'deployed' })).toBe('slack');
    expect(slackShape({ blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x' } }] })).toBe('slack');
    expect(slackShape({ attachments: [{ color: 'danger', text: 'x' }] })).toBe('slack');
    expect(slackShape({ content: 'deployed' })).toBe('discord');
    expect(slackShape({ embeds: [{ title: 'x' }] })).toBe('discord');
    expect(slackShape({ text: '  ' })).toBe('other');
    expect(slackShape(['text'])).toBe('other');
  });
  const post = (strings: string, colors: string[] = []) => ({ strings, colors }) as unknown as ChatPost;
  it.each([
    ':x: failed',
    '❌ deploy',
    '🚨',
    ':rotating_light:',
    ':red_circle: staging',
    '🔴',
    '⛔',
    ':no_entry:',
    '🔥',
    ':boom:',
    '⚠️ error',
    'Deploy FAILED',
    'FAILURE in staging',
    'ERROR: runner offline',
  ])('%s is a failure mark', (t) => {
    expect(hasFailureMark(post(t))).toBe(true);
  });
  it.each(['deployment failed', 'state: failure', ':white_check_mark: success', ':large_green_circle:', 'error budget ok', ':hourglass:'])('%s is not', (t) => {
    expect(hasFailureMark(post(t))).toBe(false);
  });
  it('a red Slack attachment colour stands out: "danger" and red hex colours, not good/warning/blue/green', () => {
    for (const c of ['danger', '#ff0000', '#E01E5A', '#cb2431', '#d00', 'dc3545']) expect(isRed(c), c).toBe(true);
    for (const c of ['good', 'warning', '#2eb886', '#439FE0', '#daa038', '#000000', '#ffdddd', 'red-ish']) expect(isRed(c), c).toBe(false);
  });
  it('the fake chat server answers like Slack and keeps the query apart from the path (the path is the chat URL, a query is scanned for secrets)', async () => {
    const chat = new FakeChat('/services/T/B/token');
    const port = await freePort();
    expect(await chat.listen('127.0.0.1', port)).toBe('ok');
    try {
      const post = (pathQ: string, body: string, type = 'application/json') =>
        fetch(`http://127.0.0.1:${port}${pathQ}`, { method: 'POST', headers: { 'content-type': type }, body }).then(async (r) => [r.status, await r.text()]);
      expect(await post('/services/T/B/token?key=abc', '{"text":"hi"}')).toEqual([200, 'ok']);
      expect(await post('/services/T/B/token', '{"content":"hi"}')).toEqual([400, 'no_text']);
      expect(await post('/services/T/B/token', 'text=hi', 'application/x-www-form-urlencoded')).toEqual([400, 'invalid_payload']);
      expect(await post('/elsewhere', '{"text":"hi"}')).toEqual([404, 'no_service']);
      expect(chat.posts[0]).toMatchObject({ path: '/services/T/B/token', query: 'key=abc', shape: 'slack' });
      await expect(new FakeChat('/x').listen('127.0.0.1', port)).resolves.toBe('in-use');
    } finally {
      chat.close();
    }
  });
  it('a late message is credited to the delivery whose target URL it names (the longest: refused copies add ?attempt=n)', () => {
    const probes = buildProbes(path.join(LAB, 'grader', 'data'), 'k');
    const failure = probes.findIndex((p) => p.id === 'deployment_status:failure');
    const tampered = probes.findIndex((p) => p.id === 'reject:tampered');
    const posts = [post(`x ${probes[failure]!.want!.url} y`), post(`x ${probes[tampered]!.want!.url}`), post('no url')].map((p, i) =>
      Object.assign(p, { probe: 10 + i }),
    );
    attribute(probes, posts);
    expect(posts.map((p) => p.probe)).toEqual([failure, tampered, 12]);
  });
  it('every refused request has bytes of its own, and the split delivery is cut inside a multi-byte character', () => {
    const probes = buildProbes(path.join(LAB, 'grader', 'data'), 'k');
    const bodies = probes.filter((p) => p.expect === 'reject').map((p) => sha(p.body));
    const valid = new Set(probes.filter((p) => p.expect !== 'reject').map((p) => sha(p.body)));
    expect(new Set(bodies).size).toBe(bodies.length);
    expect(bodies.some((b) => valid.has(b))).toBe(false);
    const split = probes.find((p) => p.splitAt !== undefined)!;
    expect(split.body[split.splitAt!]! & 0xc0).toBe(0x80);
    expect(splitInsideCharacter(Buffer.from('ascii only'))).toBeUndefined();
  });
});

describe('week04 grader survives any program', { timeout: 30_000 }, () => {
  const chatPortOf = (cfg: Config) => Number(new URL(cfg.chatUrl).port);

  it.concurrent('a bot that also listens on the chat port keeps its port moved aside and is graded normally, with a note', async () => {
    const files = readDir(path.join(LAB, 'solution'));
    const bot =
      files.get('bot.js')!.toString('utf8') +
      "\nrequire('node:http').createServer((q, s) => s.end('metrics')).listen(Number(new URL(process.env.CHAT_WEBHOOK_URL).port));\n";
    const v = await run(new Map([['bot.js', Buffer.from(bot)]]));
    expect(v.checks.every((c) => c.passed)).toBe(true);
    expect(JSON.stringify(v.checks.find((c) => c.id === 'listens')!.message)).toMatch(/reserves for its chat server/);
  });

  it.concurrent('a "bot started" message posted at start-up is not credited to any delivery', async () => {
    const files = readDir(path.join(LAB, 'solution'));
    const bot = files.get('bot.js')!.toString('utf8') + "\npostToChat(':wave: deploy bot started').catch(() => {});\n";
    const v = await run(new Map([['bot.js', Buffer.from(bot)]]));
    expect(v.checks.filter((c) => !c.passed).map((c) => [c.id, c.message])).toEqual([]);
  });

  it.concurrent('a bot that listens only on the chat port gets every check failed with that reason, not a crash', async () => {
    const bot = "require('node:http').createServer((q, s) => s.end('ok')).listen(Number(new URL(process.env.CHAT_WEBHOOK_URL).port));\n";
    const v = await run(new Map([['bot.js', Buffer.from(bot)]]), { cfg: { startupMs: 1500 } });
    expect(v.gradable).toBe(true);
    expect(v.checks.every((c) => !c.passed)).toBe(true);
    expect(JSON.stringify(v.checks[0]!.message)).toMatch(/bot\.js:1 listens on port \d+, the port of CHAT_WEBHOOK_URL/);
  });

  it.concurrent('without the preload, a bot holding the chat port gets a gradable verdict naming the port (the grader does not crash)', async () => {
    const bot =
      "require('node:http').createServer((q, s) => s.end('ok')).listen(Number(new URL(process.env.CHAT_WEBHOOK_URL).port));\nrequire('node:http').createServer((q, s) => s.end('ok')).listen(process.env.PORT);\n";
    const v = await run(new Map([['bot.js', Buffer.from(bot)]]), {
      preload: false,
      before: async (cfg) => {
        expect(await waitForPort(`http://127.0.0.1:${chatPortOf(cfg)}`, 5000)).toBe(true);
      },
    });
    expect(v.gradable).toBe(true);
    expect(v.checks.every((c) => !c.passed)).toBe(true);
    expect(JSON.stringify(v.checks[0]!.message)).toMatch(/reserves for the chat server/);
  });

  const hostile: [string, string][] = [
    ['accepts connections and never answers', "require('node:net').createServer((s) => s.on('error', () => {})).listen(process.env.PORT);"],
    [
      'answers with garbage instead of HTTP',
      "require('node:net').createServer((s) => { s.on('error', () => {}); s.end('\\x00\\xffgarbage\\r\\n\\r\\n'); }).listen(process.env.PORT);",
    ],
    ['closes every connection at once', "require('node:net').createServer((s) => s.destroy()).listen(process.env.PORT);"],
    [
      'dribbles its answer one byte every 300 ms',
      "require('node:http').createServer((q, s) => { s.writeHead(200); const t = setInterval(() => s.write('x'), 300); s.on('close', () => clearInterval(t)); }).listen(process.env.PORT);",
    ],
    [
      'exits after the first request',
      "require('node:http').createServer((q, s) => { s.end('ok'); setTimeout(() => process.exit(3), 10); }).listen(process.env.PORT);",
    ],
    [
      'opens 300 idle connections to the chat server (slow loris) and answers 200',
      "const net = require('node:net'); const u = new URL(process.env.CHAT_WEBHOOK_URL); for (let i = 0; i < 300; i++) net.connect(Number(u.port), u.hostname).on('error', () => {}).write('POST / HTTP/1.1\\r\\nHost: x\\r\\n'); require('node:http').createServer((q, s) => s.end('ok')).listen(process.env.PORT);",
    ],
    [
      'posts a 10 MB body and malformed JSON to the chat server',
      "const u = process.env.CHAT_WEBHOOK_URL; require('node:http').createServer((q, s) => { s.end('ok'); fetch(u, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' + 'x'.repeat(10 << 20) }).catch(() => {}); fetch(u, { method: 'POST', body: '[[[[' }).catch(() => {}); }).listen(process.env.PORT);",
    ],
  ];
  it.concurrent.each(hostile)('a program that %s gets a verdict within the time budget', async (_n, code) => {
    const t0 = Date.now();
    const v = await run(new Map([['bot.js', Buffer.from(code)]]), { cfg: { startupMs: 3000, budgetMs: 14_000 } });
    expect(v.gradable).toBe(true);
    expect(v.checks.map((c) => c.id).sort()).toEqual(manifest.checks.map((c) => c.id).sort());
    expect(score(v)).toBeLessThan(manifest.passRatio * total);
    expect(Date.now() - t0).toBeLessThan(16_000);
  });
});
