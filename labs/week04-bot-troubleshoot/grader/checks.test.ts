import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { NotGradable, Submission, type GraderVerdict } from '../../../grader-kit/index';
import { labManifest } from '../../../lib/labs/manifest';
import { labSubmissionDirs, readCase, readVariant } from '../../../lib/labs/registry';
import { botEnv, buildCommands, buildDeliveries, commandRequest, escapedCompact, grade, hasCross, loadConfig, type Config } from './checks';

const LAB = path.resolve(import.meta.dirname, '..');
const manifest = labManifest.parse(YAML.parse(fs.readFileSync(path.join(LAB, 'lab.yaml'), 'utf8')));
const max = Object.fromEntries(manifest.checks.map((c) => [c.id, c.points]));
const total = manifest.checks.reduce((s, c) => s + c.points, 0);

/** Each test takes its own ports from a counter (tests run concurrently; see week 4's build lab). */
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

/** Runs the bot as the sandbox does (node bot.js with the lab's environment) on free ports, and grades it. */
async function run(files: Map<string, Buffer>): Promise<GraderVerdict> {
  const base = loadConfig(path.join(LAB, 'lab.yaml'), path.join(LAB, 'grader', 'data'), 'http://127.0.0.1:1');
  const [port, chatPort, ghPort] = [await freePort(), await freePort(), await freePort()];
  const chat = new URL(base.chatUrl);
  chat.port = String(chatPort);
  const cfg: Config = { ...base, chatUrl: chat.toString(), githubApiUrl: `http://127.0.0.1:${ghPort}`, subjectUrl: `http://127.0.0.1:${port}` };
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'week04t-'));
  for (const [f, b] of files) {
    fs.mkdirSync(path.dirname(path.join(work, f)), { recursive: true });
    fs.writeFileSync(path.join(work, f), b);
  }
  const child = spawn(process.execPath, ['bot.js'], {
    cwd: work,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...botEnv(cfg, port) } as unknown as NodeJS.ProcessEnv,
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
const failed = (v: GraderVerdict) =>
  v.checks
    .filter((c) => !c.passed)
    .map((c) => c.id)
    .sort();
const starter = () => fs.readFileSync(path.join(LAB, 'starter', 'bot.js'), 'utf8');
const solution = () => fs.readFileSync(path.join(LAB, 'solution', 'bot.js'), 'utf8');
/** The solution with one piece replaced: a table of repairs, written next to what they change. */
function edit(text: string, from: string | RegExp, to: string): string {
  const out = text.replace(from, to);
  if (out === text) throw new Error(`edit did not apply: ${String(from)}`);
  return out;
}
const one = (text: string) => new Map([['bot.js', Buffer.from(text)]]);

describe('week04-bot-troubleshoot grader', { timeout: 40_000 }, () => {
  it.concurrent('the solution gets full marks with every check of the manifest', async () => {
    const v = await run(one(solution()));
    expect(v.checks.map((c) => c.id).sort()).toEqual(manifest.checks.map((c) => c.id).sort());
    expect(v.checks.filter((c) => !c.passed).map((c) => [c.id, c.message])).toEqual([]);
    expect(score(v)).toBe(total);
  });

  it.concurrent('the starter fails every fault, keeps the rest, and scores below the pass mark', async () => {
    const v = await run(one(starter()));
    expect(failed(v)).toEqual(['ack', 'failure-mark', 'raw-body', 'replay']);
    expect(score(v) / total).toBeLessThan(manifest.passRatio);
    const raw = v.checks.find((c) => c.id === 'raw-body')!;
    expect(JSON.stringify(raw.message)).toMatch(/401/);
    expect(JSON.stringify(v.checks.find((c) => c.id === 'ack')!.message)).toMatch(/operation_timeout/);
  });

  // Equivalent repairs of each fault (and wrong ones), each applied to the starter with the other faults repaired.
  type Fault = 'raw' | 'window' | 'ack' | 'icons' | 'none';
  const fixedExcept = (fault: Fault) => {
    let t = starter();
    if (fault !== 'window')
      t = edit(
        t,
        'if (Date.now() / 1000 - Number(timestamp) > FIVE_MINUTES) return false;',
        'if (Math.abs(Date.now() - Number(timestamp) * 1000) > FIVE_MINUTES) return false;',
      );
    if (fault !== 'icons') t = edit(t, "failure: '❌', in_progress", "failure: '❌', error: '❌', in_progress");
    if (fault !== 'ack')
      t = edit(
        t,
        / {2}try \{\n {4}await dispatch\(environment, version\);\n {2}\} catch \(err\) \{\n[^\n]*\n[^\n]*\n {2}\}\n {2}answer\('in_channel'[^\n]*\n/,
        "  answer('in_channel', `Deploy of shop ${version} to ${environment} requested by <@${user}>`);\n  setImmediate(() => dispatch(environment, version).catch((err) => console.error(`dispatch failed: ${err.message}`)));\n",
      );
    if (fault !== 'raw') t = rawRepairs.buffer(t);
    return t;
  };
  const rawRepairs = {
    buffer: (t: string) =>
      edit(
        edit(t, '.update(JSON.stringify(payload))', '.update(payload)'),
        "verifyGitHub(payload, headers['x-hub-signature-256'])",
        "verifyGitHub(raw, headers['x-hub-signature-256'])",
      ),
    utf8String: (t: string) =>
      edit(
        edit(t, '.update(JSON.stringify(payload))', ".update(payload, 'utf8')"),
        "verifyGitHub(payload, headers['x-hub-signature-256'])",
        "verifyGitHub(raw.toString('utf8'), headers['x-hub-signature-256'])",
      ),
    pretty: (t: string) => edit(t, '.update(JSON.stringify(payload))', '.update(JSON.stringify(payload, null, 2))'),
    skipped: (t: string) => edit(t, "if (!verifyGitHub(payload, headers['x-hub-signature-256'])) {", 'if (!payload) {'),
  };

  it.concurrent.each([
    ['raw: HMAC of the raw Buffer', rawRepairs.buffer, []],
    ['raw: HMAC of the raw body decoded as UTF-8 (same bytes)', rawRepairs.utf8String, []],
    ['raw: re-serialised with two-space indentation (matches the pretty deliveries only)', rawRepairs.pretty, ['raw-body']],
    ['raw: verification skipped', rawRepairs.skipped, ['raw-body', 'rest-intact']],
  ] as const)('%s', async (_name, f, want) => {
    const v = await run(one(f(fixedExcept('raw'))));
    expect(failed(v)).toEqual([...want]);
  });

  const WINDOW = 'if (Math.abs(Date.now() - Number(timestamp) * 1000) > FIVE_MINUTES) return false;';
  const SET_IMMEDIATE = /setImmediate\(\(\) => dispatch\(environment, version\)\.catch\(([^\n]*)\)\);/;
  it.concurrent.each([
    [
      'window: seconds on both sides',
      (t: string) => edit(t, WINDOW, 'if (Math.abs(Math.floor(Date.now() / 1000) - Number(timestamp)) > 300) return false;'),
      [],
    ],
    [
      'window: milliseconds on both sides but only the past',
      (t: string) => edit(t, WINDOW, 'if (Date.now() - Number(timestamp) * 1000 > FIVE_MINUTES) return false;'),
      ['replay'],
    ],
    [
      'window: seconds compared with milliseconds (refuses everything)',
      (t: string) => edit(t, WINDOW, 'if (Math.abs(Date.now() - Number(timestamp)) > FIVE_MINUTES) return false;'),
      ['ack', 'replay'],
    ],
    [
      'ack: answer, then await the dispatch in the same handler',
      (t: string) => edit(t, SET_IMMEDIATE, 'try { await dispatch(environment, version); } catch (err) { console.error(`dispatch failed: ${err.message}`); }'),
      [],
    ],
    ["ack: fire and forget without a catch (GitHub's 503 ends the bot)", (t: string) => edit(t, SET_IMMEDIATE, 'dispatch(environment, version);'), ['ack']],
    [
      'icons: failure and error through a list',
      (t: string) => edit(t, "const lines = [`${ICONS[state] || 'ℹ️'}", "const lines = [`${['failure', 'error'].includes(state) ? '❌' : ICONS[state] || 'ℹ️'}"),
      [],
    ],
    [
      'icons: ❌ on every message',
      (t: string) => edit(t, "const lines = [`${ICONS[state] || 'ℹ️'}", "const lines = [`❌ ${ICONS[state] || 'ℹ️'}"),
      ['failure-mark'],
    ],
  ] as const)('%s', async (_name, f, want) => {
    const v = await run(one(f(fixedExcept('none'))));
    expect(failed(v)).toEqual([...want]);
  });

  it.concurrent('skipping the webhook signature check fails raw-body and rest-intact', async () => {
    const v = await run(one(edit(solution(), "if (!verifyGitHub(raw, headers['x-hub-signature-256'])) {", 'if (false) {')));
    expect(failed(v)).toEqual(['raw-body', 'rest-intact']);
  });

  it.concurrent('a bot that never answers webhooks is still judged on its slash commands, within the budget', async () => {
    const started = Date.now();
    const v = await run(
      one(edit(solution(), 'function handleWebhook(raw, headers, res) {\n', 'function handleWebhook(raw, headers, res) {\n  if (raw) return; // hangs\n')),
    );
    expect(failed(v)).toEqual(['failure-mark', 'raw-body', 'rest-intact']);
    expect(JSON.stringify(v.checks.find((c) => c.id === 'raw-body')!.message)).toMatch(/no answer in time/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('refuses a submission that cannot run', async () => {
    const cfg = loadConfig(path.join(LAB, 'lab.yaml'), path.join(LAB, 'grader', 'data'), 'http://127.0.0.1:1');
    await expect(grade(new Submission(new Map([['bot.js', Buffer.from('import http from "node:http";\n')]])), cfg)).rejects.toBeInstanceOf(NotGradable);
    await expect(grade(new Submission(new Map([['other.js', Buffer.from('1\n')]])), cfg)).rejects.toBeInstanceOf(NotGradable);
  });

  it('a bot that never listens fails every check with one message, within the startup time', async () => {
    const base = loadConfig(path.join(LAB, 'lab.yaml'), path.join(LAB, 'grader', 'data'), 'http://127.0.0.1:1');
    const [port, chatPort, ghPort] = [await freePort(), await freePort(), await freePort()];
    const cfg: Config = {
      ...base,
      chatUrl: `http://127.0.0.1:${chatPort}/x`,
      githubApiUrl: `http://127.0.0.1:${ghPort}`,
      subjectUrl: `http://127.0.0.1:${port}`,
      startupMs: 600,
    };
    const v = await grade(new Submission(one('setTimeout(() => {}, 10);\n')), cfg);
    expect(v.checks.every((c) => !c.passed && c.points === 0)).toBe(true);
    expect(JSON.stringify(v.checks[0]!.message)).toContain(String(port));
  });

  it('the requests are signed as GitHub and Slack sign them, and the compact delivery differs from JSON.stringify', () => {
    const cfg = loadConfig(path.join(LAB, 'lab.yaml'), path.join(LAB, 'grader', 'data'), 'http://127.0.0.1:1');
    const ds = buildDeliveries(cfg.dataDir, cfg.webhookSecret);
    const compact = ds.real.find((d) => d.want?.state === 'failure')!;
    expect(compact.body.equals(Buffer.from(JSON.stringify(JSON.parse(compact.body.toString()))))).toBe(false);
    expect(JSON.parse(compact.body.toString())).toEqual(JSON.parse(fs.readFileSync(path.join(cfg.dataDir, 'deployment_status.failure.json'), 'utf8')));
    expect(escapedCompact(Buffer.from('{"a": "é/"}')).toString()).toBe('{"a":"\\u00e9\\/"}');
    // Slack's documented example: v0:<timestamp>:<body> with the signing secret
    const c = buildCommands(cfg).fresh!;
    const { headers, body } = commandRequest(cfg, c, 1_796_290_800_000);
    expect(headers['x-slack-request-timestamp']).toBe('1796290800');
    expect(headers['x-slack-signature']).toBe('v0=' + crypto.createHmac('sha256', cfg.signingSecret).update(`v0:1796290800:${body.toString()}`).digest('hex'));
    expect(hasCross(':x: failed')).toBe(true);
    expect(hasCross('✅ success')).toBe(false);
  });

  it('has at least five variants and cases, each graded as it says', async () => {
    const variants = labSubmissionDirs({ dir: LAB, manifest } as never, 'variants');
    expect(variants.length).toBeGreaterThanOrEqual(5);
    const cases = labSubmissionDirs({ dir: LAB, manifest } as never, 'cases');
    expect(cases.length).toBeGreaterThanOrEqual(5);
    // Four bots at a time: the machine running the tests may have two cores, and every bot is graded against the clock.
    const jobs = [
      ...variants.map((d) => async () => ({ d, want: [] as string[], got: failed(await run(toMap(readVariant(d).files))) })),
      ...cases.map((d) => async () => {
        const c = readCase(d);
        return { d, want: [...c.expect.fail].sort(), got: failed(await run(toMap(c.files))) };
      }),
    ];
    const results: { d: string; want: string[]; got: string[] }[] = [];
    for (let i = 0; i < jobs.length; i += 4) results.push(...(await Promise.all(jobs.slice(i, i + 4).map((j) => j()))));
    expect(
      results
        .filter((r) => JSON.stringify(r.got) !== JSON.stringify(r.want))
        .map((r) => `${path.basename(r.d)}: ${r.got.join(',')} (expected ${r.want.join(',')})`),
    ).toEqual([]);
  }, 180_000);

  it('max points match the manifest', () => {
    expect(max).toEqual({ 'raw-body': 3, replay: 3, ack: 3, 'failure-mark': 2, 'rest-intact': 3 });
  });
});
