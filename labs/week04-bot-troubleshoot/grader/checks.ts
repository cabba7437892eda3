/**
 * Week 4 troubleshooting grader: the shop's deploy bot (bot.js) after a bad week runs in the subject container. The
 * grader plays the two services it talks to (a Slack-style incoming webhook for #shop-deploys and GitHub's REST API for
 * workflow_dispatch, servers.ts) and the two that call it: GitHub delivering deployment_status webhooks (signed over
 * the bytes GitHub sends, which are not what JSON.stringify makes of them) and Slack delivering /deploy slash commands
 * (signed with a timestamp). It judges what it observes: the bot's answers and how long they took, the messages that
 * reach the channel and the dispatches that reach GitHub.
 *
 * One check per fault of the starter (raw-body, replay, ack, failure-mark) and rest-intact for what the bot did right
 * (refusals, other events, the message's content, who may deploy what, the dispatch itself). A "repair" that removes
 * a verification fails the fault's own check and rest-intact. Whatever the program does, the grader ends with a
 * verdict within its budget; only a malformed submission (NotGradable) ends otherwise.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import YAML from 'yaml';
import {
  fail,
  inLang,
  msg,
  partial,
  pass,
  type CheckVerdict,
  type GradeContext,
  type GraderVerdict,
  type Msg,
  type Submission,
} from '../../../grader-kit/index';
import { checkCommonJsSources, findCodeLine, waitForPort } from '../../../grader-kit/subject';
import { FakeChat, FakeGitHub, type ChatPost, type Dispatch } from './servers';

export interface Config {
  webhookSecret: string;
  signingSecret: string;
  chatUrl: string;
  githubApiUrl: string;
  githubToken: string;
  deployers: string[];
  channel: string;
  subjectUrl: string;
  dataDir: string;
  startupMs?: number;
  /** Start to verdict (15 s by default; the sandbox stops the grader at 30 s). */
  budgetMs?: number;
}

/** The bot's environment, from the lab manifest (copied into the grader image as /grader/lab.yaml). */
export function loadConfig(labYaml: string, dataDir: string, subjectUrl: string): Config {
  const doc = YAML.parse(fs.readFileSync(labYaml, 'utf8')) as { subject?: { env?: Record<string, string> } };
  const e = doc.subject?.env ?? {};
  for (const k of ['WEBHOOK_SECRET', 'SLACK_SIGNING_SECRET', 'CHAT_WEBHOOK_URL', 'GITHUB_API_URL', 'GITHUB_TOKEN', 'DEPLOYERS', 'DEPLOY_CHANNEL']) {
    if (!e[k]) throw new Error(`lab.yaml: subject.env needs ${k}`);
  }
  return {
    webhookSecret: e.WEBHOOK_SECRET!,
    signingSecret: e.SLACK_SIGNING_SECRET!,
    chatUrl: e.CHAT_WEBHOOK_URL!,
    githubApiUrl: e.GITHUB_API_URL!,
    githubToken: e.GITHUB_TOKEN!,
    deployers: e.DEPLOYERS!.split(','),
    channel: e.DEPLOY_CHANNEL!,
    subjectUrl,
    dataDir,
  };
}

/** The environment the bot runs with (the sandbox sets it from lab.yaml; the unit tests from this). */
export function botEnv(cfg: Config, port: number): Record<string, string> {
  return {
    PORT: String(port),
    WEBHOOK_SECRET: cfg.webhookSecret,
    SLACK_SIGNING_SECRET: cfg.signingSecret,
    CHAT_WEBHOOK_URL: cfg.chatUrl,
    GITHUB_API_URL: cfg.githubApiUrl,
    GITHUB_TOKEN: cfg.githubToken,
    DEPLOYERS: cfg.deployers.join(','),
    DEPLOY_CHANNEL: cfg.channel,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Talking to the bot

export type Answer = { status: number; body: string; ms: number } | { error: string; ms: number };
const isAnswer = (a: Answer): a is { status: number; body: string; ms: number } => 'status' in a;

/** One POST with a deadline and a capped answer; failures come back as `{ error }`, never thrown. */
export function send(base: string, pathname: string, headers: Record<string, string>, body: Buffer, timeoutMs: number): Promise<Answer> {
  const u = new URL(pathname, base);
  const started = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: { status: number; body: string } | { error: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...r, ms: Date.now() - started });
    };
    const req = http.request(
      {
        host: u.hostname,
        port: Number(u.port),
        path: u.pathname,
        method: 'POST',
        headers: { ...headers, 'content-length': String(body.length) },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, 2000) });
        res.on('data', (c: Buffer) => {
          if (size < 16384) chunks.push(c);
          size += c.length;
        });
        res.on('end', finish);
        res.on('error', finish);
        res.on('aborted', finish);
      },
    );
    const timer = setTimeout(
      () => {
        done({ error: 'timeout' });
        req.destroy();
      },
      Math.max(1, timeoutMs),
    );
    req.on('error', (e: NodeJS.ErrnoException) =>
      done({ error: e.code === 'ECONNREFUSED' ? 'refused' : e.code === 'ECONNRESET' || e.message === 'socket hang up' ? 'reset' : e.message.slice(0, 120) }),
    );
    req.end(body);
  });
}

function describe(a: Answer, lang: 'ko' | 'en'): string {
  if (isAnswer(a)) return `HTTP ${a.status}${a.body.trim() ? ` "${a.body.trim().slice(0, 80)}"` : ''}`;
  const en: Record<string, string> = {
    timeout: 'no answer in time',
    refused: 'connection refused (is the bot still running?)',
    reset: 'the connection closed without an answer (did the bot crash?)',
  };
  const ko: Record<string, string> = {
    timeout: '제시간에 응답 없음',
    refused: '연결 거부 (봇이 아직 실행 중인가요?)',
    reset: '응답 없이 연결이 끊김 (봇이 죽었나요?)',
  };
  return (lang === 'ko' ? ko : en)[a.error] ?? a.error;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const hmacHex = (key: string, ...parts: (string | Buffer)[]) => {
  const h = crypto.createHmac('sha256', key);
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

// ---------------------------------------------------------------------------------------------------------------
// What GitHub sends

export interface StatusWant {
  repo: string;
  env: string;
  state: string;
  url: string;
}

/**
 * The same JSON in the bytes another JSON writer makes: no spaces, every non-ASCII character and "/" escaped, as
 * writers other than JSON.stringify do. Same payload, different bytes: JSON.stringify(JSON.parse(x)) gives neither.
 */
export function escapedCompact(pretty: Buffer): Buffer {
  const text = JSON.stringify(JSON.parse(pretty.toString('utf8')));
  return Buffer.from(text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).replace(/\//g, '\\/'));
}

function wantOf(body: Buffer): StatusWant {
  const p = JSON.parse(body.toString('utf8')) as {
    deployment_status: { state: string; environment: string; target_url: string };
    repository: { full_name: string };
  };
  return { repo: p.repository.full_name, env: p.deployment_status.environment, state: p.deployment_status.state, url: p.deployment_status.target_url };
}

export interface Delivery {
  id: string;
  label: Msg;
  event: string;
  body: Buffer;
  /** X-Hub-Signature-256, or none. */
  sig?: string;
  want?: StatusWant;
}

export function buildDeliveries(dataDir: string, secret: string): { real: Delivery[]; other: Delivery[]; forged: Delivery[]; unsigned: Delivery } {
  const read = (f: string) => fs.readFileSync(path.join(dataDir, f));
  const sign = (b: Buffer, key = secret) => `sha256=${hmacHex(key, b)}`;
  const status = (file: string, compact = false): Delivery => {
    const pretty = read(file);
    const body = compact ? escapedCompact(pretty) : pretty;
    const want = wantOf(pretty);
    const l = `deployment_status (${want.state}, ${want.env})`;
    return { id: `status:${want.state}`, label: msg(l, l), event: 'deployment_status', body, sig: sign(body), want };
  };
  const real = [
    status('deployment_status.success.json'),
    status('deployment_status.failure.json', true),
    status('deployment_status.error.json'),
    status('deployment_status.in_progress.json'),
  ];
  const other = ['ping', 'push'].map(
    (e): Delivery => ({ id: `event:${e}`, label: msg(`${e} 이벤트`, `the ${e} event`), event: e, body: read(`${e}.json`), sig: sign(read(`${e}.json`)) }),
  );
  const failure = read('deployment_status.failure.json');
  const withUrl = (n: number) => Buffer.from(failure.toString('utf8').replace(/("target_url": "[^"]*)"/, `$1?attempt=${n}"`));
  const wrongKey = withUrl(1);
  const original = withUrl(2);
  const tampered = Buffer.from(original.toString('utf8').replace('"state": "failure"', '"state": "success"'));
  const forged: Delivery[] = [
    {
      id: 'forged:wrong-secret',
      label: msg('다른 비밀 값으로 서명한 deployment_status', 'a deployment_status signed with another secret'),
      event: 'deployment_status',
      body: wrongKey,
      sig: sign(wrongKey, `not-${secret}`),
      want: wantOf(wrongKey),
    },
    {
      id: 'forged:tampered',
      label: msg('서명한 뒤 "failure"를 "success"로 바꾼 deployment_status', 'a deployment_status changed from "failure" to "success" after it was signed'),
      event: 'deployment_status',
      body: tampered,
      sig: sign(original),
      want: wantOf(tampered),
    },
  ];
  const unsignedBody = withUrl(3);
  const unsigned: Delivery = {
    id: 'forged:unsigned',
    label: msg('서명 헤더가 없는 deployment_status', 'a deployment_status without a signature header'),
    event: 'deployment_status',
    body: unsignedBody,
    want: wantOf(unsignedBody),
  };
  return { real, other, forged, unsigned };
}

// ---------------------------------------------------------------------------------------------------------------
// What Slack sends

export interface Command {
  id: string;
  label: Msg;
  text: string;
  user: string;
  channel: string;
  /** Seconds added to now for X-Slack-Request-Timestamp. */
  skewS?: number;
  /** 'wrong-secret', 'none' or 'tampered' (signed for another text). */
  sig?: 'wrong-secret' | 'none' | 'tampered';
  /** The version this command asks for: dispatches are attributed by it. */
  version: string;
}

export function commandRequest(cfg: Config, c: Command, now = Date.now()): { headers: Record<string, string>; body: Buffer } {
  const form = (text: string) =>
    new URLSearchParams({
      token: 'gIkuvaNzQIHg97ATvDxqgjtO',
      team_id: 'T0SHOP',
      team_domain: 'octo-org',
      channel_id: c.channel,
      channel_name: c.channel === cfg.channel ? 'shop-deploys' : 'random',
      user_id: c.user,
      user_name: c.user === cfg.deployers[0] ? 'kim' : 'guest',
      command: '/deploy',
      text,
      api_app_id: 'A0SHOPBOT',
      is_enterprise_install: 'false',
      response_url: 'https://hooks.slack.com/commands/T0SHOP/7716243588/7YqzVb2o1K3mFgq0wH6rTn1J',
      trigger_id: '7716243588.1234567890.4c2f1b7e9d0a',
    }).toString();
  const body = Buffer.from(form(c.text));
  const ts = String(Math.floor(now / 1000) + (c.skewS ?? 0));
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    'x-slack-request-timestamp': ts,
  };
  if (c.sig !== 'none') {
    const signed = c.sig === 'tampered' ? Buffer.from(form(c.text.replace('production', 'staging'))) : body;
    headers['x-slack-signature'] = `v0=${hmacHex(c.sig === 'wrong-secret' ? `old-${cfg.signingSecret}` : cfg.signingSecret, `v0:${ts}:`, signed)}`;
  }
  return { headers, body };
}

/**
 * The commands, in the order they are sent. Each asks for its own version so every dispatch names its command. GitHub's
 * 503 comes last but one: a bot that dies of it is judged on the command after it, not on all the others.
 */
export function buildCommands(cfg: Config): Record<string, Command> {
  const ok = { user: cfg.deployers[0]!, channel: cfg.channel };
  const l = (ko: string, en: string) => msg(ko, en);
  const list: Command[] = [
    {
      id: 'fresh',
      label: l('방금 서명한 /deploy shop staging v1.4.0', 'a freshly signed /deploy shop staging v1.4.0'),
      text: 'shop staging v1.4.0',
      version: 'v1.4.0',
      ...ok,
    },
    {
      id: 'slow',
      label: l('GitHub이 3.5초 걸려 답하는 /deploy shop production v1.4.1', '/deploy shop production v1.4.1 while GitHub takes 3.5 s to answer'),
      text: 'shop production v1.4.1',
      version: 'v1.4.1',
      ...ok,
    },
    {
      id: 'replay-day',
      label: l(
        '어제 캡처한 /deploy shop production v1.3.0 (타임스탬프 24시간 전, 서명은 올바름)',
        'a /deploy shop production v1.3.0 captured yesterday (timestamp 24 hours old, signature valid)',
      ),
      text: 'shop production v1.3.0',
      version: 'v1.3.0',
      skewS: -86_400,
      ...ok,
    },
    {
      id: 'replay-6min',
      label: l('6분 전 타임스탬프의 /deploy shop production v1.3.1', 'a /deploy shop production v1.3.1 with a timestamp 6 minutes old'),
      text: 'shop production v1.3.1',
      version: 'v1.3.1',
      skewS: -360,
      ...ok,
    },
    {
      id: 'future-6min',
      label: l('6분 뒤 타임스탬프의 /deploy shop production v1.3.3', 'a /deploy shop production v1.3.3 with a timestamp 6 minutes in the future'),
      text: 'shop production v1.3.3',
      version: 'v1.3.3',
      skewS: 360,
      ...ok,
    },
    {
      id: 'recent-4min',
      label: l(
        '4분 전 타임스탬프의 /deploy shop staging v1.4.3 (허용 범위 안)',
        'a /deploy shop staging v1.4.3 with a timestamp 4 minutes old (inside the window)',
      ),
      text: 'shop staging v1.4.3',
      version: 'v1.4.3',
      skewS: -240,
      ...ok,
    },
    {
      id: 'wrong-secret',
      label: l('다른 signing secret으로 서명한 /deploy', 'a /deploy signed with another signing secret'),
      text: 'shop production v1.2.0',
      version: 'v1.2.0',
      sig: 'wrong-secret',
      ...ok,
    },
    {
      id: 'unsigned',
      label: l('X-Slack-Signature가 없는 /deploy', 'a /deploy without X-Slack-Signature'),
      text: 'shop production v1.2.1',
      version: 'v1.2.1',
      sig: 'none',
      ...ok,
    },
    {
      id: 'tampered',
      label: l('staging으로 서명하고 production으로 바꾼 /deploy', 'a /deploy signed for staging and changed to production'),
      text: 'shop production v1.2.2',
      version: 'v1.2.2',
      sig: 'tampered',
      ...ok,
    },
    {
      id: 'not-deployer',
      label: l('DEPLOYERS에 없는 사용자의 /deploy', 'a /deploy from a user not in DEPLOYERS'),
      text: 'shop production v1.2.3',
      version: 'v1.2.3',
      user: 'U0GUEST42',
      channel: cfg.channel,
    },
    {
      id: 'other-channel',
      label: l('#shop-deploys가 아닌 채널의 /deploy', 'a /deploy from another channel than #shop-deploys'),
      text: 'shop production v1.2.4',
      version: 'v1.2.4',
      user: cfg.deployers[0]!,
      channel: 'C0RANDOM',
    },
    {
      id: 'bad-version',
      label: l('/deploy shop production latest', '/deploy shop production latest'),
      text: 'shop production latest',
      version: 'latest',
      ...ok,
    },
    {
      id: 'github-down',
      label: l('GitHub이 503으로 답하는 /deploy shop staging v1.3.9', '/deploy shop staging v1.3.9, which GitHub answers with 503'),
      text: 'shop staging v1.3.9',
      version: 'v1.3.9',
      ...ok,
    },
    {
      id: 'after-503',
      label: l('그다음의 /deploy shop staging v1.4.2', 'the /deploy shop staging v1.4.2 after it'),
      text: 'shop staging v1.4.2',
      version: 'v1.4.2',
      ...ok,
    },
  ];
  return Object.fromEntries(list.map((c) => [c.id, c]));
}

// ---------------------------------------------------------------------------------------------------------------
// Running it

/** Slack waits 3000 ms for the answer to a slash command; the grader waits as long. */
export const SLACK_MS = 3000;
const SLOW_GITHUB_MS = 3500;

export interface Seen {
  cfg: Config;
  deliveries: { d: Delivery; a: Answer; posts: ChatPost[] }[];
  commands: Record<string, { c: Command; a: Answer; sentAt: number; dispatches: Dispatch[] }>;
  chat: FakeChat;
  github: FakeGitHub;
  where: Record<'verify' | 'slack' | 'window' | 'ack' | 'icons', string>;
}

async function runAll(cfg: Config, chat: FakeChat, github: FakeGitHub, deadline: number): Promise<Omit<Seen, 'where'>> {
  const ds = buildDeliveries(cfg.dataDir, cfg.webhookSecret);
  const deliveries: (Seen['deliveries'][number] & { sentAt: number })[] = [];
  let n = 0;
  // A bot that stops answering webhooks would spend the whole budget on them: after two deliveries in a row without an
  // answer the rest count as unanswered, and the slash commands still get their turn.
  let stalled = 0;
  for (const d of [...ds.real, ...ds.other, ...ds.forged, ds.unsigned]) {
    const before = chat.arrivals.length;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/4f7c2e1',
      'x-github-event': d.event,
      'x-github-delivery': `5e1a9c40-d0b7-11f1-8a6e-${String(++n).padStart(12, '0')}`,
      'x-github-hook-id': '292430182',
    };
    if (d.sig) headers['x-hub-signature-256'] = d.sig;
    const sentAt = Date.now();
    const a =
      deadline - Date.now() > 500 && stalled < 2
        ? await send(cfg.subjectUrl, '/webhook', headers, d.body, Math.min(2000, deadline - Date.now()))
        : { error: 'timeout', ms: 0 };
    stalled = 'error' in a && a.error === 'timeout' ? stalled + 1 : 0;
    // A message usually leaves right after the answer: let it arrive before the next delivery (late ones are
    // attributed by their content below).
    await waitFor(() => chat.arrivals.length > before, d.want && isAnswer(a) && a.status < 300 ? 1000 : 50);
    deliveries.push({ d, a, posts: [], sentAt });
  }
  const cs = buildCommands(cfg);
  github.plans.set(cs.slow!.version, { delayMs: SLOW_GITHUB_MS });
  github.plans.set(cs['github-down']!.version, { status: 503 });
  const commands: Seen['commands'] = {};
  stalled = 0;
  for (const c of Object.values(cs)) {
    const { headers, body } = commandRequest(cfg, c);
    const sentAt = Date.now();
    const a =
      deadline - Date.now() > 500 && stalled < 2
        ? await send(cfg.subjectUrl, '/slack/commands', headers, body, Math.min(SLACK_MS, deadline - Date.now()))
        : { error: 'timeout', ms: 0 };
    // The slow command is expected to time out in a bot that waits for GitHub; two others in a row mean it stopped answering.
    if (c.id !== 'slow') stalled = 'error' in a && a.error === 'timeout' ? stalled + 1 : 0;
    commands[c.id] = { c, a, sentAt, dispatches: [] };
    // After GitHub's 503 the bot needs a moment to have handled it (or crashed on it).
    if (c.id === 'github-down') await sleep(300);
  }
  // A bot that retries a dispatch GitHub has not answered yet does so within a few seconds: wait until the slow one
  // has been answered and a little more, then attribute every dispatch by the version it names.
  await sleep(Math.min(commands.slow!.sentAt + SLOW_GITHUB_MS + 800 - Date.now(), deadline - Date.now() - 200));
  for (const dsp of github.dispatches) {
    const hit = Object.values(commands).find((x) => x.c.version === dsp.version);
    if (hit) hit.dispatches.push(dsp);
  }
  // Each post belongs to the delivery whose target_url it names (the longest, as forged copies add ?attempt=n), else
  // to the delivery in flight when it arrived.
  for (const p of chat.posts) {
    const named = deliveries.filter((x) => x.d.want && p.strings.includes(x.d.want.url)).sort((x, y) => y.d.want!.url.length - x.d.want!.url.length)[0];
    const byTime = [...deliveries].reverse().find((x) => x.sentAt <= p.at);
    (named ?? byTime ?? deliveries[0])?.posts.push(p);
  }
  return { cfg, deliveries, commands, chat, github };
}

function waitFor(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  return new Promise((resolve) => {
    const tick = () => (cond() || Date.now() >= end ? resolve() : setTimeout(tick, 15));
    tick();
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Judging

const ok2xx = (a: Answer) => isAnswer(a) && a.status >= 200 && a.status < 300;
const refusedStatus = (a: Answer) => isAnswer(a) && [400, 401, 403].includes(a.status);
const clip = (s: string, n = 140) => (s.length > n ? s.slice(0, n) + '…' : s).replace(/\s+/g, ' ');
/** The channel's convention: a failed deploy's message carries ❌ (:x: in Slack's shortcodes). */
export const hasCross = (s: string) => /❌|:x:/.test(s);
type Part = { ok: boolean; message: Msg };
const part = (ok: boolean, ko: string, en: string): Part => ({ ok, message: msg(ko, en) });
const L = (m: Msg, lang: 'ko' | 'en') => inLang(m, lang);

/** raw-body: GitHub's real deliveries are accepted and posted once; forged ones refused and not posted. */
export function checkRawBody(s: Seen): CheckVerdict {
  const parts: Part[] = [];
  for (const x of s.deliveries.filter((x) => x.d.id.startsWith('status:'))) {
    const good = ok2xx(x.a) && x.posts.length === 1;
    parts.push(
      part(
        good,
        `GitHub이 보낸 ${L(x.d.label, 'ko')} (올바르게 서명됨): ${describe(x.a, 'ko')}, 채널 메시지 ${x.posts.length}개. 2xx로 받고 메시지는 하나여야 합니다 (${s.where.verify}).`,
        `GitHub's ${L(x.d.label, 'en')} (correctly signed): ${describe(x.a, 'en')}, ${x.posts.length} channel message(s). It must be accepted with 2xx and posted once (${s.where.verify}).`,
      ),
    );
  }
  for (const x of s.deliveries.filter((x) => x.d.id === 'forged:wrong-secret' || x.d.id === 'forged:tampered')) {
    parts.push(
      part(
        refusedStatus(x.a) && x.posts.length === 0,
        `${L(x.d.label, 'ko')}: ${describe(x.a, 'ko')}${x.posts.length ? ', 채널에 메시지가 올라감' : ''}. 401(또는 403)으로 거절하고 아무것도 올리지 않아야 합니다. 서명 검증을 끄거나 건너뛰는 것은 고친 것이 아닙니다 (${s.where.verify}).`,
        `${L(x.d.label, 'en')}: ${describe(x.a, 'en')}${x.posts.length ? ', and a message reached the channel' : ''}. It must be refused with 401 (or 403) and post nothing; switching the verification off or skipping it is not a repair (${s.where.verify}).`,
      ),
    );
  }
  // One message for all the failures: the first one says the most.
  const failed = parts.filter((p) => !p.ok);
  if (failed.length === 0) return pass('raw-body', 3);
  const v = partial('raw-body', 3, parts);
  return {
    ...v,
    message:
      failed.length > 1
        ? msg(`${L(failed[0]!.message, 'ko')} (외 ${failed.length - 1}건)`, `${L(failed[0]!.message, 'en')} (and ${failed.length - 1} more)`)
        : failed[0]!.message,
  };
}

/** replay: requests outside Slack's five-minute window refused and not dispatched; fresh ones still work. */
export function checkReplay(s: Seen): CheckVerdict {
  const stale = ['replay-day', 'replay-6min', 'future-6min'].map((id) => s.commands[id]!);
  const accepted = stale.filter((x) => !(refusedStatus(x.a) && x.dispatches.length === 0));
  const list = (lang: 'ko' | 'en') =>
    accepted
      .map(
        (x) =>
          `${L(x.c.label, lang)}: ${describe(x.a, lang)}, ${lang === 'ko' ? `workflow_dispatch ${x.dispatches.length}번` : `${x.dispatches.length} workflow_dispatch(es)`}`,
      )
      .join('; ');
  const parts: Part[] = stale.map((x) => ({
    ok: !accepted.includes(x),
    // One message for all of them, on the first part that fails.
    message:
      accepted[0] === x
        ? msg(
            `타임스탬프가 지금에서 5분 넘게 벗어났는데 거절하지 않았습니다: ${list('ko')}. 서명이 맞아도 이런 요청은 캡처한 요청을 다시 보낸 것(replay)으로 보고 401로 거절하고 배포하지 않아야 합니다 (${s.where.window}).`,
            `Not refused although the timestamp is more than five minutes from now: ${list('en')}. Even with a valid signature such a request is a replay of a captured one: refuse it with 401 and deploy nothing (${s.where.window}).`,
          )
        : msg('', ''),
  }));
  for (const id of ['fresh', 'recent-4min']) {
    const x = s.commands[id]!;
    parts.push(
      part(
        ok2xx(x.a) && x.dispatches.length === 1,
        `${L(x.c.label, 'ko')}: ${describe(x.a, 'ko')}, workflow_dispatch ${x.dispatches.length}번. 5분 안의 올바른 명령은 받아서 한 번 배포해야 합니다 (${s.where.slack}).`,
        `${L(x.c.label, 'en')}: ${describe(x.a, 'en')}, ${x.dispatches.length} workflow_dispatch(es). A valid command within five minutes must still be accepted and dispatched once (${s.where.slack}).`,
      ),
    );
  }
  const v = partial('replay', 3, parts);
  // partial() joins the failing parts' messages; the empty ones of the grouped requests are left out.
  if (v.passed) return v;
  const failing = parts.filter((p) => !p.ok && L(p.message, 'en') !== '');
  return { ...v, message: msg(failing.map((p) => L(p.message, 'ko')).join(' '), failing.map((p) => L(p.message, 'en')).join(' ')) };
}

/** ack: answered within Slack's 3 s while GitHub is slow, dispatched exactly once, and a failing dispatch does not end the bot. */
export function checkAck(s: Seen): CheckVerdict {
  const slow = s.commands.slow!;
  const after = s.commands['after-503']!;
  const down = s.commands['github-down']!;
  const answeredInTime = ok2xx(slow.a) && slow.a.ms < SLACK_MS;
  return partial('ack', 3, [
    part(
      answeredInTime,
      `${L(slow.c.label, 'ko')}: ${describe(slow.a, 'ko')} (${slow.a.ms} ms). Slack은 3초 안에 응답이 없으면 사용자에게 "/deploy failed with the error "operation_timeout""을 보여 줍니다. GitHub이 느려도 봇은 3초 안에 답해야 합니다 (${s.where.ack}).`,
      `${L(slow.c.label, 'en')}: ${describe(slow.a, 'en')} (${slow.a.ms} ms). Without an answer within 3 s Slack shows the user "/deploy failed with the error "operation_timeout"": the bot must answer in time however slow GitHub is (${s.where.ack}).`,
    ),
    part(
      slow.dispatches.length === 1 && slow.dispatches[0]!.at - slow.sentAt < 2000,
      `${L(slow.c.label, 'ko')}: GitHub에 도착한 workflow_dispatch가 ${slow.dispatches.length}번입니다${slow.dispatches.length === 1 ? ' (2초 넘게 늦음)' : ''}. 명령 하나에 배포 요청은 곧바로 정확히 한 번이어야 합니다. GitHub이 아직 답하지 않았다고 다시 보내면 배포가 두 번 돕니다 (${s.where.ack}).`,
      `${L(slow.c.label, 'en')}: ${slow.dispatches.length} workflow_dispatch(es) reached GitHub${slow.dispatches.length === 1 ? ' (more than 2 s late)' : ''}. One command must make exactly one dispatch, promptly; sending it again because GitHub has not answered yet runs the deploy twice (${s.where.ack}).`,
    ),
    part(
      !('error' in down.a && down.a.error === 'timeout') && ok2xx(after.a) && after.dispatches.length === 1,
      `GitHub이 /deploy shop staging v1.3.9에 503으로 답한 뒤 ${L(after.c.label, 'ko')}: ${describe(after.a, 'ko')}, workflow_dispatch ${after.dispatches.length}번. 실패한 dispatch는 기록하고(response_url로 알려도 좋습니다) 봇은 계속 살아 있어야 합니다. 처리하지 않은 Promise 거부는 Node를 종료시킵니다 (${s.where.ack}).`,
      `After GitHub answered 503 to /deploy shop staging v1.3.9, ${L(after.c.label, 'en')}: ${describe(after.a, 'en')}, ${after.dispatches.length} workflow_dispatch(es). Log a failed dispatch (telling the user through response_url is good) and keep running: an unhandled promise rejection ends a Node process (${s.where.ack}).`,
    ),
  ]);
}

/**
 * failure-mark: ❌ on failure and error messages, not on success and in_progress. Judged on the messages that arrived
 * (raw-body reports the ones that did not), as long as at least one failed deploy's message did.
 */
export function checkFailureMark(s: Seen): CheckVerdict {
  const byState = (st: string) => s.deliveries.find((x) => x.d.want?.state === st && x.d.id.startsWith('status:'));
  if (!byState('failure')?.posts[0] && !byState('error')?.posts[0]) {
    return fail(
      'failure-mark',
      msg(
        '실패한 배포(failure, error)의 메시지가 채널에 하나도 오지 않아 표시를 확인할 수 없습니다. 먼저 GitHub의 전달이 받아들여지게 하세요.',
        "No message for a failed deploy (failure, error) reached the channel, so its mark cannot be checked: get GitHub's deliveries accepted first.",
      ),
    );
  }
  const parts: Part[] = [];
  for (const [st, mark] of [
    ['failure', true],
    ['error', true],
    ['success', false],
    ['in_progress', false],
  ] as const) {
    const post = byState(st)?.posts[0];
    if (!post) continue;
    const has = hasCross(post.strings);
    parts.push(
      part(
        has === mark,
        mark
          ? `${st} 메시지에 ❌가 없습니다: "${clip(post.strings)}". 채널의 약속은 실패한 배포에 ❌를 붙이는 것입니다 (${s.where.icons}).`
          : `${st} 메시지에도 ❌가 있어 실패와 구별되지 않습니다: "${clip(post.strings)}" (${s.where.icons}).`,
        mark
          ? `The ${st} message carries no ❌: "${clip(post.strings)}". The channel's convention marks every failed deploy with ❌ (${s.where.icons}).`
          : `The ${st} message carries ❌ too, so failures no longer stand out: "${clip(post.strings)}" (${s.where.icons}).`,
      ),
    );
  }
  return partial('failure-mark', 2, parts);
}

/** rest-intact: what the bot did right before the bad week still holds. */
export function checkRestIntact(s: Seen): CheckVerdict {
  const parts: Part[] = [];
  const unsigned = s.deliveries.find((x) => x.d.id === 'forged:unsigned')!;
  parts.push(
    part(
      refusedStatus(unsigned.a) && unsigned.posts.length === 0,
      `${L(unsigned.d.label, 'ko')}: ${describe(unsigned.a, 'ko')}${unsigned.posts.length ? ', 채널에 메시지가 올라감' : ''}. 400, 401 또는 403으로 거절해야 합니다 (${s.where.verify}).`,
      `${L(unsigned.d.label, 'en')}: ${describe(unsigned.a, 'en')}${unsigned.posts.length ? ', and a message reached the channel' : ''}. It must be refused with 400, 401 or 403 (${s.where.verify}).`,
    ),
  );
  // While correctly signed deliveries are refused, other events are refused too: raw-body reports that, not this.
  const verifyBroken = s.deliveries.filter((x) => x.d.id.startsWith('status:')).some((x) => refusedStatus(x.a));
  for (const x of s.deliveries.filter((x) => x.d.id.startsWith('event:'))) {
    parts.push(
      part(
        (ok2xx(x.a) || (verifyBroken && refusedStatus(x.a))) && x.posts.length === 0,
        `${L(x.d.label, 'ko')}: ${describe(x.a, 'ko')}${x.posts.length ? `, 채널 메시지 "${clip(x.posts[0]!.strings)}"` : ''}. 다른 이벤트는 2xx로 답하고 아무것도 올리지 않습니다.`,
        `${L(x.d.label, 'en')}: ${describe(x.a, 'en')}${x.posts.length ? `, channel message "${clip(x.posts[0]!.strings)}"` : ''}. Other events are answered 2xx and post nothing.`,
      ),
    );
  }
  // The content of the messages that did arrive (raw-body says when none did).
  const contentMiss = s.deliveries
    .filter((x) => x.d.id.startsWith('status:') && x.posts[0])
    .map((x) => ({ x, p: x.posts[0]!, w: x.d.want! }))
    .find(
      ({ p, w }) =>
        !p.ok || !p.strings.includes(w.repo) || !new RegExp(`\\b${w.env}\\b`).test(p.strings) || !p.strings.includes(w.state) || !p.strings.includes(w.url),
    );
  parts.push(
    part(
      !contentMiss,
      contentMiss
        ? `${L(contentMiss.x.d.label, 'ko')}의 메시지 "${clip(contentMiss.p.strings)}"${contentMiss.p.ok ? '' : '(Slack이 받지 않는 형식)'}에 저장소(${contentMiss.w.repo}), 환경, 상태, 링크(target_url)가 모두 있어야 합니다.`
        : '',
      contentMiss
        ? `The message for ${L(contentMiss.x.d.label, 'en')}, "${clip(contentMiss.p.strings)}"${contentMiss.p.ok ? '' : ' (a body Slack does not take)'}, must name the repository (${contentMiss.w.repo}), environment, state and link (target_url).`
        : '',
    ),
  );
  for (const id of ['wrong-secret', 'unsigned', 'tampered']) {
    const x = s.commands[id]!;
    parts.push(
      part(
        refusedStatus(x.a) && x.dispatches.length === 0,
        `${L(x.c.label, 'ko')}: ${describe(x.a, 'ko')}, workflow_dispatch ${x.dispatches.length}번. 401(또는 400, 403)으로 거절하고 배포하지 않아야 합니다. 슬래시 명령의 서명 검증을 빼는 것은 고친 것이 아닙니다 (${s.where.slack}).`,
        `${L(x.c.label, 'en')}: ${describe(x.a, 'en')}, ${x.dispatches.length} workflow_dispatch(es). It must be refused with 401 (or 400, 403) and deploy nothing; taking the slash command's verification out is not a repair (${s.where.slack}).`,
      ),
    );
  }
  for (const id of ['not-deployer', 'other-channel', 'bad-version']) {
    const x = s.commands[id]!;
    parts.push(
      part(
        isAnswer(x.a) && x.a.status < 500 && x.dispatches.length === 0,
        `${L(x.c.label, 'ko')}: ${describe(x.a, 'ko')}, workflow_dispatch ${x.dispatches.length}번. 배포할 수 있는 사람, 채널, 환경과 버전의 허용 목록은 그대로여야 합니다.`,
        `${L(x.c.label, 'en')}: ${describe(x.a, 'en')}, ${x.dispatches.length} workflow_dispatch(es). Who may deploy, from which channel, and the allowed environments and versions must stay as they were.`,
      ),
    );
  }
  // The dispatch itself: the deploy workflow of octo-org/shop, from main, with the token and the command's inputs.
  const fresh = s.commands.fresh!;
  const d = fresh.dispatches[0];
  const wantPath = '/repos/octo-org/shop/actions/workflows/deploy.yml/dispatches';
  const dispatchOk =
    !d ||
    (d.path === wantPath &&
      d.ref === 'main' &&
      d.environment === 'staging' &&
      d.version === 'v1.4.0' &&
      String(d.headers.authorization ?? '') === `Bearer ${s.cfg.githubToken}`);
  parts.push(
    part(
      dispatchOk,
      d
        ? `workflow_dispatch: POST ${clip(d.path, 90)}, ref ${d.ref}, inputs ${d.environment}/${d.version}. POST ${wantPath}에 GITHUB_TOKEN과 ref main, 명령의 environment와 version을 그대로 보내야 합니다.`
        : '',
      d
        ? `workflow_dispatch: POST ${clip(d.path, 90)}, ref ${d.ref}, inputs ${d.environment}/${d.version}. It must POST ${wantPath} with GITHUB_TOKEN, ref main and the command's environment and version.`
        : '',
    ),
  );
  return partial('rest-intact', 3, parts);
}

// ---------------------------------------------------------------------------------------------------------------

export const CHECK_IDS = ['raw-body', 'replay', 'ack', 'failure-mark', 'rest-intact'];
const failAll = (m: Msg): GraderVerdict => ({ gradable: true, checks: CHECK_IDS.map((id) => fail(id, m)) });

export function locate(sub: Submission): Seen['where'] {
  const at = (fallback: string, ...alts: RegExp[][]) => {
    for (const pats of alts) {
      const l = findCodeLine(sub, 'bot.js', ...pats);
      if (l) return l;
    }
    return fallback;
  };
  return {
    verify: at('bot.js', [/x-hub-signature-256/i], [/createHmac/]),
    slack: at('bot.js', [/x-slack-request-timestamp/i], [/v0:/]),
    window: at('bot.js', [/Date\.now\(\)/, /timestamp|\bts\b/i], [/x-slack-request-timestamp/i]),
    ack: at('bot.js', [/\bawait\s+\w*dispatch\w*\s*\(/i], [/^(?!.*\bfunction\b).*\bdispatch\w*\s*\(/i], [/dispatches/]),
    icons: at('bot.js', [/❌|:x:/], [/failure/]),
  };
}

export async function grade(sub: Submission, cfg: Config, ctx?: GradeContext): Promise<GraderVerdict> {
  checkCommonJsSources(sub, 'bot.js');
  const deadline = Date.now() + (cfg.budgetMs ?? 15_000);
  const chatUrl = new URL(cfg.chatUrl);
  const ghUrl = new URL(cfg.githubApiUrl);
  const chat = new FakeChat(chatUrl.pathname);
  const github = new FakeGitHub();
  try {
    for (const [srv, u, name] of [
      [chat, chatUrl, 'CHAT_WEBHOOK_URL'],
      [github, ghUrl, 'GITHUB_API_URL'],
    ] as const) {
      if ((await srv.listen(u.hostname, Number(u.port))) === 'in-use') {
        return failAll(
          msg(
            `봇이 ${name}의 포트 ${u.port}에서 listen하고 있어 실습의 가짜 서버를 띄울 수 없었습니다. 봇은 process.env.PORT에서만 listen하세요.`,
            `The bot listens on port ${u.port}, the port of ${name}, so the lab's fake server could not start: listen on process.env.PORT only.`,
          ),
        );
      }
    }
    const up = await waitForPort(cfg.subjectUrl, Math.min(cfg.startupMs ?? 6000, deadline - Date.now() - 1000));
    if (!up) {
      const port = new URL(cfg.subjectUrl).port;
      return failAll(
        msg(
          `포트 ${port}에서 아무것도 응답하지 않았습니다. 봇이 시작하자마자 끝나지 않는지(환경 변수 확인), process.env.PORT에서 listen하는지 보세요 (${findCodeLine(sub, 'bot.js', /\.listen\s*\(/) ?? 'bot.js'}).`,
          `Nothing listened on port ${port}. Does the bot exit right after starting (check the environment variables it needs), and does it listen on process.env.PORT (${findCodeLine(sub, 'bot.js', /\.listen\s*\(/) ?? 'bot.js'})?`,
        ),
      );
    }
    const seen: Seen = { ...(await runAll(cfg, chat, github, deadline - 500)), where: locate(sub) };
    const checks = [checkRawBody(seen), checkReplay(seen), checkAck(seen), checkFailureMark(seen), checkRestIntact(seen)];
    for (const c of checks) ctx?.progress(c);
    return { gradable: true, checks };
  } finally {
    chat.close();
    github.close();
  }
}
