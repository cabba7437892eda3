/**
 * Week 4 grader: the learner's webhook receiver (bot.js) runs in the subject container, with grader/preload.js loaded
 * before it (see that file). The grader starts a fake Slack-style chat server on the address the bot was given
 * (CHAT_WEBHOOK_URL), sends GitHub-shaped deliveries from the hidden payloads in data/ (correctly signed, split inside a
 * multi-byte character, unsigned, wrongly signed, tampered, malformed), and judges what it observes: the HTTP answers,
 * the messages that reach the chat server, and what the preload saw (which bytes the signature was compared with, what
 * the bot printed, which ports it listened on).
 *
 * Whatever the learner's program does (never answers, answers garbage, floods the chat server, takes the chat
 * server's port, exits), the grader ends with a verdict within its time budget; it never throws because of the
 * program. Only a malformed submission (NotGradable) or a bug here ends otherwise.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import YAML from 'yaml';
import {
  inLang as lbl,
  msg as both,
  partial,
  fail,
  pass,
  type CheckVerdict,
  type GradeContext,
  type GraderVerdict,
  type Msg,
  type Submission,
} from '../../../grader-kit/index';
import { checkCommonJsSources, findCodeLine, waitForPort } from '../../../grader-kit/subject';
import { FakeChat, type ChatPost } from './chat';
import { findLeak, judgeCompare, locateLeak, readTrace, readableForms, traceSocket, writerAt, type LeakKind, type SecretSet, type Trace } from './trace';

export interface Config {
  /** WEBHOOK_SECRET as the bot was given it. */
  secret: string;
  /** CHAT_WEBHOOK_URL as the bot was given it; the fake chat server listens on its host and port. */
  chatUrl: string;
  /** Where the bot listens, e.g. http://127.0.0.1:8080. */
  subjectUrl: string;
  /** The hidden payloads. */
  dataDir: string;
  /** How long the bot may take to open its port. */
  startupMs?: number;
  /** The whole run, start to verdict, stays within this (20 s by default; the sandbox kills the grader at 30 s). */
  budgetMs?: number;
}

/** Reads the bot's environment from the lab manifest (copied into the grader image as /grader/lab.yaml). */
export function loadConfig(labYaml: string, dataDir: string, subjectUrl: string): Config {
  const doc = YAML.parse(fs.readFileSync(labYaml, 'utf8'), { maxAliasCount: 100 }) as { subject?: { env?: Record<string, string> } };
  const env = doc.subject?.env ?? {};
  if (!env.WEBHOOK_SECRET || !env.CHAT_WEBHOOK_URL) throw new Error('lab.yaml: subject.env needs WEBHOOK_SECRET and CHAT_WEBHOOK_URL');
  return { secret: env.WEBHOOK_SECRET, chatUrl: env.CHAT_WEBHOOK_URL, subjectUrl, dataDir };
}

// ---------------------------------------------------------------------------------------------------------------
// The submission, read statically only to refuse what cannot run and to point at lines in messages.

/** Refuses a submission that cannot run at all: no bot.js, empty, not UTF-8, or not valid CommonJS. */
export function checkSource(sub: Submission): void {
  checkCommonJsSources(sub, 'bot.js');
}

/** "bot.js:12" for the first line (bot.js first, then other .js files) that every pattern matches; null if none. */
export function findLine(sub: Submission, ...patterns: RegExp[]): string | null {
  return findCodeLine(sub, 'bot.js', ...patterns);
}

/**
 * The line most likely to hold a comparison whose time depends on the data: === / !== / Buffer.equals / compare on a
 * signature-like value (length and typeof tests do not count), else such a comparison inside a function named like a
 * comparison (safeCompare, isEqual, verify...), else where the header is read.
 */
export function leakyCompareLine(sub: Submission): string | null {
  const files = ['bot.js', ...sub.paths().filter((p) => p.endsWith('.js') && p !== 'bot.js')];
  const op = /(===|!==|[^=!<>]==[^=]|!=[^=]|\.equals\(|Buffer\.compare\(|localeCompare\()/;
  const clean = (l: string) =>
    l
      .replace(/[\w.[\]'"]+\.length\s*[!=]==?\s*[\w.[\]'"]+/g, ' ')
      .replace(/[\w.[\]'"]+\s*[!=]==?\s*[\w.[\]'"]+\.length/g, ' ')
      .replace(/typeof\s+[\w.[\]'"]+\s*[!=]==?\s*['"]\w+['"]/g, ' ')
      .replace(/(===|!==|==|!=)\s*(null|undefined|true|false|\d+|'[^']*'|"[^"]*")/g, ' ');
  for (const pass of [1, 2] as const) {
    for (const f of files) {
      const lines = (sub.text(f) ?? '').split('\n').slice(0, 5000);
      let fn = '';
      for (let i = 0; i < lines.length; i++) {
        const l = lines[i]!.slice(0, 2000);
        const named =
          /function\s+([\w$]+)|([\w$]+)\s*[:=]\s*(async\s*)?(function\b|\([^)]*\)\s*=>|[\w$]+\s*=>)|^\s*(?:async\s+)?([\w$]+)\s*\([^)]*\)\s*\{/.exec(l);
        const name = named ? (named[1] ?? named[2] ?? named[5]) : undefined;
        if (name && !/^(if|for|while|switch|catch|return|function)$/.test(name)) fn = name;
        if (/^\s*(\/\/|\*|\/\*)/.test(l) || /timingSafeEqual|subtle\.verify/.test(l)) continue;
        const c = clean(l);
        if (!op.test(c)) continue;
        if (pass === 1 && /sig|digest|hmac|expected|hash/i.test(c)) return `${f}:${i + 1}`;
        if (pass === 2 && /compare|equal|verify|valid|check|match|safe|same/i.test(fn)) return `${f}:${i + 1}`;
      }
    }
  }
  return null;
}

function at(sub: Submission, fallback: string, ...alternatives: RegExp[][]): string {
  for (const pats of alternatives) {
    const l = findLine(sub, ...pats);
    if (l) return l;
  }
  return fallback;
}

// ---------------------------------------------------------------------------------------------------------------
// Talking to the bot.

export interface Reply {
  status: number;
  headerText: string;
  body: string;
}

export type Answer = Reply | { error: string };

const MAX_REPLY_BYTES = 64 * 1024;
const NO_ANSWER = 'no answer in time';
const NOT_SENT = 'not sent: the time for grading ran out after earlier requests got no answer';

/**
 * One POST to the bot with a deadline and a capped body; errors (refused, reset, timeout, not HTTP) come back as
 * `{ error }`. With `splitAt` the body goes in two writes 40 ms apart, as a large delivery arrives in pieces.
 */
export function send(base: string, pathname: string, headers: Record<string, string>, body: Buffer, timeoutMs = 3000, splitAt?: number): Promise<Answer> {
  const u = new URL(pathname, base);
  return new Promise((resolve) => {
    let settled = false;
    let splitTimer: NodeJS.Timeout | undefined;
    const done = (r: Answer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(splitTimer);
      resolve(r);
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
        const finish = () =>
          done({
            status: res.statusCode ?? 0,
            headerText: Object.entries(res.headers)
              .map(([k, v]) => `${k}: ${String(v)}`)
              .join('\n')
              .slice(0, 8192),
            body: Buffer.concat(chunks).toString('utf8'),
          });
        res.on('data', (c: Buffer) => {
          if (size < MAX_REPLY_BYTES) chunks.push(c.subarray(0, MAX_REPLY_BYTES - size));
          size += c.length;
          if (size >= MAX_REPLY_BYTES) {
            finish();
            res.destroy();
          }
        });
        res.on('end', finish);
        res.on('error', finish);
        res.on('aborted', finish);
      },
    );
    const timer = setTimeout(
      () => {
        done({ error: NO_ANSWER });
        req.destroy();
      },
      Math.max(1, timeoutMs),
    );
    req.on('error', (e: NodeJS.ErrnoException) =>
      done({
        error:
          e.code === 'ECONNREFUSED'
            ? 'connection refused (is the program still running?)'
            : e.code === 'ECONNRESET' || e.message === 'socket hang up'
              ? 'the connection was closed without an answer (did the program crash?)'
              : /parse error|HPE_/i.test(`${e.code} ${e.message}`)
                ? 'the answer was not valid HTTP'
                : e.message.slice(0, 120),
      }),
    );
    if (splitAt !== undefined && splitAt > 0 && splitAt < body.length) {
      req.write(body.subarray(0, splitAt));
      splitTimer = setTimeout(() => {
        if (!settled) req.end(body.subarray(splitAt));
      }, 40);
    } else req.end(body);
  });
}

export { waitForPort };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

// ---------------------------------------------------------------------------------------------------------------
// The probes.

type Expect = 'post' | 'quiet' | 'reject' | 'alive';

export interface Probe {
  id: string;
  label: Msg;
  event: string;
  /** X-GitHub-Delivery: what the preload files comparisons under. */
  delivery: string;
  body: Buffer;
  /** X-Hub-Signature-256 header value (undefined: not sent). */
  sig256?: string;
  /** The legacy X-Hub-Signature (SHA-1) header value (undefined: not sent). */
  sig1?: string;
  expect: Expect;
  /** What the message must name (deployment_status), or would name if the bot wrongly acted on a refused request. */
  want?: { repo: string; env: string; state: string; url: string };
  /** Send the body in two pieces, split at this byte (inside a multi-byte character). */
  splitAt?: number;
  /** For refused requests: the statuses that count as refusing. */
  refuse?: number[];
}

export interface Observation {
  probe: Probe;
  reply: Answer;
  posts: ChatPost[];
}

const hmac = (algo: 'sha256' | 'sha1', key: string, body: Buffer) => crypto.createHmac(algo, key).update(body).digest('hex');

interface StatusPayload {
  deployment_status: { state: string; environment: string; target_url: string };
  repository: { full_name: string };
}

/** 401 or 403 refuse a wrong signature; a missing or malformed header may also get 400 (as @octokit/webhooks answers). */
export const REFUSE_WRONG = [401, 403];
export const REFUSE_MALFORMED = [400, 401, 403];

/** The same payload with its target_url made unique (`?attempt=n`), so each refused request has its own bytes. */
function uniqueCopy(body: Buffer, n: number): Buffer {
  const text = body.toString('utf8');
  const m = /"target_url": "([^"]*)"/.exec(text);
  if (!m) throw new Error('payload without target_url');
  return Buffer.from(text.replace(m[0], `"target_url": "${m[1]}?attempt=${n}"`));
}

/** The byte offset of the second byte of the first multi-byte UTF-8 character, or undefined when the text is ASCII. */
export function splitInsideCharacter(body: Buffer): number | undefined {
  const i = body.findIndex((b) => b >= 0xc0);
  return i >= 0 ? i + 1 : undefined;
}

/** The sequence of requests, built from the hidden payloads. Deterministic: same data, same requests. */
export function buildProbes(dataDir: string, secret: string): Probe[] {
  const read = (f: string) => fs.readFileSync(path.join(dataDir, f));
  const signed = (body: Buffer) => ({ sig256: `sha256=${hmac('sha256', secret, body)}`, sig1: `sha1=${hmac('sha1', secret, body)}` });
  const wantOf = (body: Buffer) => {
    const p = JSON.parse(body.toString('utf8')) as StatusPayload;
    const s = p.deployment_status;
    return { repo: p.repository.full_name, env: s.environment, state: s.state, url: s.target_url };
  };
  const status = (f: string, split = false): Omit<Probe, 'delivery'> => {
    const body = read(f);
    const w = wantOf(body);
    const label = `deployment_status (${w.state}, ${w.repo}, ${w.env})`;
    return {
      id: `deployment_status:${w.state}`,
      label: { ko: label, en: label },
      event: 'deployment_status',
      body,
      ...signed(body),
      expect: 'post',
      want: w,
      splitAt: split ? splitInsideCharacter(body) : undefined,
    };
  };
  const other = (event: string): Omit<Probe, 'delivery'> => {
    const body = read(`${event}.json`);
    return { id: `event:${event}`, label: { ko: `${event} 이벤트`, en: `the ${event} event` }, event, body, ...signed(body), expect: 'quiet' };
  };
  const success = read('deployment_status.success.json');
  const failure = read('deployment_status.failure.json');
  const missing = uniqueCopy(success, 1);
  const wrong = uniqueCopy(failure, 2);
  const original = uniqueCopy(failure, 3);
  const short = uniqueCopy(success, 4);
  const notHex = uniqueCopy(success, 5);
  const sha1In256 = uniqueCopy(success, 6);
  // Same length as the original: a failed deployment made to look successful after it was signed.
  const tampered = Buffer.from(original.toString('utf8').replace('"state": "failure"', '"state": "success"'));
  const wrongKey = crypto.createHash('sha256').update(`not-${secret}`).digest('hex').slice(0, secret.length);
  const reject = (id: string, label: Msg, body: Buffer, sig: { sig256?: string; sig1?: string }, refuse: number[]): Omit<Probe, 'delivery'> => ({
    id,
    label,
    event: 'deployment_status',
    body,
    ...sig,
    expect: 'reject',
    want: wantOf(body),
    refuse,
  });
  const list: Omit<Probe, 'delivery'>[] = [
    status('deployment_status.success.json'),
    status('deployment_status.failure.json'),
    status('deployment_status.error.json'),
    status('deployment_status.in_progress.json', true),
    other('ping'),
    other('push'),
    other('workflow_run'),
    other('deployment'),
    reject(
      'reject:missing',
      {
        ko: 'X-Hub-Signature-256 없이 옛 SHA-1 서명(X-Hub-Signature)만 있는 deployment_status',
        en: 'a deployment_status with only the legacy SHA-1 X-Hub-Signature and no X-Hub-Signature-256',
      },
      missing,
      { sig1: signed(missing).sig1 },
      REFUSE_MALFORMED,
    ),
    reject(
      'reject:wrong-secret',
      { ko: '다른 비밀 값으로 서명한 deployment_status', en: 'a deployment_status signed with another secret' },
      wrong,
      { sig256: `sha256=${hmac('sha256', wrongKey, wrong)}`, sig1: `sha1=${hmac('sha1', wrongKey, wrong)}` },
      REFUSE_WRONG,
    ),
    reject(
      'reject:tampered',
      {
        ko: '서명 후 본문이 바뀐 deployment_status ("failure"를 "success"로)',
        en: 'a deployment_status whose body was changed after signing ("failure" to "success")',
      },
      tampered,
      signed(original),
      REFUSE_WRONG,
    ),
    reject(
      'reject:short',
      { ko: '너무 짧은 서명 (sha256=3f9a)', en: 'a too-short signature (sha256=3f9a)' },
      short,
      { sig256: 'sha256=3f9a' },
      REFUSE_MALFORMED,
    ),
    reject(
      'reject:not-hex',
      { ko: '16진수가 아닌 서명 (sha256=zzzz…)', en: 'a signature that is not hex (sha256=zzzz…)' },
      notHex,
      { sig256: `sha256=${'z'.repeat(64)}` },
      REFUSE_MALFORMED,
    ),
    reject(
      'reject:sha1-in-256',
      { ko: 'X-Hub-Signature-256 헤더에 SHA-1 서명 (sha1=…)', en: 'a SHA-1 signature in the X-Hub-Signature-256 header (sha1=…)' },
      sha1In256,
      { sig256: signed(sha1In256).sig1 },
      REFUSE_MALFORMED,
    ),
    {
      id: 'alive',
      label: { ko: '잘못된 서명들 다음에 보낸 올바른 ping', en: 'a correctly signed ping sent after the bad signatures' },
      event: 'ping',
      body: read('ping.json'),
      ...signed(read('ping.json')),
      expect: 'alive',
    },
  ];
  return list.map((p, i) => ({ ...p, delivery: `6f1a${String(i).padStart(4, '0')}-c7d2-11ef-8e4b-2a9d3c5e7f01` }));
}

function headersFor(p: Probe): Record<string, string> {
  const h: Record<string, string> = {
    accept: '*/*',
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/5b1c8e2',
    'x-github-event': p.event,
    'x-github-delivery': p.delivery,
    'x-github-hook-id': '512094877',
    'x-github-hook-installation-target-type': 'repository',
    'x-github-hook-installation-target-id': '612804551',
  };
  if (p.sig1 !== undefined) h['x-hub-signature'] = p.sig1;
  if (p.sig256 !== undefined) h['x-hub-signature-256'] = p.sig256;
  return h;
}

/**
 * Sends every probe in order and collects what happened, within `deadline` (ms since the epoch): a bot that never
 * answers costs 3 s once, then less, and probes past the deadline are not sent. A chat post belongs to the probe whose
 * unique target URL it names, else to the probe in flight when it arrived.
 */
export async function runProbes(cfg: Config, probes: Probe[], chat: FakeChat, deadline: number): Promise<Observation[]> {
  const obs: Observation[] = [];
  let sawPost = false;
  let silent = 0;
  for (let i = 0; i < probes.length; i++) {
    const p = probes[i]!;
    const left = deadline - Date.now();
    if (left < 300) {
      obs.push({ probe: p, reply: { error: NOT_SENT }, posts: [] });
      continue;
    }
    chat.probe = i;
    const timeout = Math.min(silent === 0 ? 3000 : silent === 1 ? 1500 : 600, left - 200);
    const reply = await send(cfg.subjectUrl, '/webhook', headersFor(p), p.body, timeout, p.splitAt);
    silent = 'error' in reply && reply.error === NO_ANSWER ? silent + 1 : 0;
    const room = deadline - Date.now() - 200;
    if ('error' in reply) await sleep(Math.min(50, room));
    else if (p.expect === 'post') {
      // The first message may take a moment (the first fetch() in Node 18 loads its HTTP client); after that, and
      // for a bot that never posts, shorter waits keep the whole run within seconds.
      const wait = sawPost || i === 0 ? 2000 : 400;
      await chat.waitUntil(() => chat.postsFor(i).length > 0, Math.min(wait, room));
      if (chat.postsFor(i).length > 0) sawPost = true;
      await sleep(Math.min(150, room));
    } else await sleep(Math.min(p.expect === 'alive' ? 400 : 200, room));
    obs.push({ probe: p, reply, posts: [] });
  }
  chat.probe = -1;
  attribute(probes, chat.posts);
  for (let i = 0; i < obs.length; i++) obs[i]!.posts = chat.postsFor(i);
  return obs;
}

/** Moves each post to the probe whose target URL it names (the longest such URL: refused copies add "?attempt=n"). */
export function attribute(probes: Probe[], posts: ChatPost[]): void {
  for (const post of posts) {
    let best = -1;
    let bestLen = 0;
    probes.forEach((p, i) => {
      const u = p.want?.url;
      if (u && u.length > bestLen && post.strings.includes(u)) {
        best = i;
        bestLen = u.length;
      }
    });
    if (best >= 0) post.probe = best;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Judging what was observed.

/**
 * Marks that make a failure stand out: emoji (as Slack shortcodes or Unicode), a capitalised word, or a Slack
 * attachment coloured red ("danger" or a red hex colour).
 */
export const FAILURE_MARK = /:x:|❌|:rotating_light:|🚨|:red_circle:|🔴|:no_entry:|⛔|:fire:|🔥|:boom:|💥|:warning:|⚠|\bFAILED\b|\bFAILURE\b|\bERROR\b/;

export function isRed(color: string): boolean {
  const c = color.trim().toLowerCase();
  if (c === 'danger') return true;
  const m = /^#?([0-9a-f]{6}|[0-9a-f]{3})$/.exec(c);
  if (!m) return false;
  const hex = m[1]!.length === 3 ? [...m[1]!].map((x) => x + x).join('') : m[1]!;
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const l = (max + min) / 2;
  if (max === min || l < 0.2 || l > 0.75) return false;
  const s = (max - min) / (1 - Math.abs(2 * l - 1));
  let h = max === r ? ((g - b) / (max - min)) % 6 : max === g ? (b - r) / (max - min) + 2 : (r - g) / (max - min) + 4;
  h *= 60;
  if (h < 0) h += 360;
  return s >= 0.45 && (h <= 15 || h >= 340);
}

export const hasFailureMark = (p: ChatPost) => FAILURE_MARK.test(p.strings) || p.colors.some(isRed);

const ok2xx = (r: Answer) => !('error' in r) && r.status >= 200 && r.status < 300;
const ERRORS_KO: Record<string, string> = {
  [NO_ANSWER]: '제때 응답 없음',
  [NOT_SENT]: '보내지 않음: 앞선 요청들이 응답을 받지 못해 채점 시간이 다 되었습니다',
  'connection refused (is the program still running?)': '연결 거부 (프로그램이 아직 실행 중인가요?)',
  'the connection was closed without an answer (did the program crash?)': '응답 없이 연결이 끊김 (프로그램이 죽었나요?)',
  'the answer was not valid HTTP': '응답이 올바른 HTTP가 아님',
};
const describe = (r: Answer, lang: 'ko' | 'en' = 'en') => ('error' in r ? (lang === 'ko' ? (ERRORS_KO[r.error] ?? r.error) : r.error) : `HTTP ${r.status}`);
const clip = (s: string, n = 120) => JSON.stringify(s.length > n ? s.slice(0, n) + '…' : s);
const word = (s: string, w: string) => new RegExp(`(^|[^a-z0-9_])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^a-z0-9_])`, 'i').test(s);

/** Where in the bot's code each part of the work most likely happens, for messages to point at. */
function whereIn(sub: Submission) {
  return {
    listen: at(sub, 'bot.js', [/\.listen\s*\(/], [/createServer/]),
    body: at(sub, 'bot.js', [/\+=\s*\w+/, /chunk|data|body|c\b/i], [/\.on\(\s*['"]data['"]/], [/for\s+await/], [/\.on\(\s*['"]end['"]/], [/createServer/]),
    sigHeader: at(sub, 'bot.js', [/x-hub-signature-256/i], [/signature/i], [/createHmac/], [/\.on\(\s*['"]end['"]/], [/createServer/]),
    legacy: at(sub, 'bot.js', [/['"]x-hub-signature['"]/i], [/sha1/i], [/x-hub-signature-256/i], [/signature/i]),
    compare: at(
      sub,
      'bot.js',
      [/timingSafeEqual|subtle\.verify/],
      [/(===|!==|==|!=|\.equals\(|Buffer\.compare)/, /sig|digest|hmac|expected/i],
      [/x-hub-signature-256/i],
      [/createHmac/],
      [/\.on\(\s*['"]end['"]/],
      [/createServer/],
    ),
    leakyCompare: leakyCompareLine(sub) ?? at(sub, 'bot.js', [/x-hub-signature-256/i], [/signature/i]),
    post: at(sub, 'bot.js', [/fetch\s*\(/], [/CHAT_WEBHOOK_URL/], [/http\.request|https\.request/], [/createServer/]),
    text: at(sub, 'bot.js', [/\btext\s*:/], [/['"]text['"]/], [/fetch\s*\(/]),
    failure: at(sub, 'bot.js', [/['"](failure|error)['"]/], [/\btext\s*:/], [/fetch\s*\(/]),
    event: at(sub, 'bot.js', [/x-github-event/i], [/deployment_status/], [/createServer/]),
    leakReply: at(
      sub,
      'bot.js',
      [/(res\.(end|write|writeHead)|JSON\.stringify|send\()/, /secret|expected|digest|hmac|WEBHOOK_SECRET|CHAT_WEBHOOK_URL|CHAT_URL/i],
      [/WEBHOOK_SECRET/],
    ),
    leakChat: at(sub, 'bot.js', [/\btext\s*:|`|headers/, /secret|WEBHOOK_SECRET|expected|digest|authorization/i], [/WEBHOOK_SECRET/]),
    leakLog: at(
      sub,
      'bot.js',
      [/console\.|process\.(stdout|stderr)|log(ger)?\.(info|warn|error|debug)/, /secret|WEBHOOK_SECRET|CHAT_WEBHOOK_URL|CHAT_URL|process\.env\b|url/i],
      [/console\.|log(ger)?\./, /env/],
      [/WEBHOOK_SECRET/],
    ),
  };
}
type Where = ReturnType<typeof whereIn>;

/** What every check reads: the requests and what came of them, the chat server's posts and the preload's record. */
interface Seen {
  sub: Submission;
  cfg: Config;
  obs: Observation[];
  chat: FakeChat;
  trace: Trace | null;
  /** The path of CHAT_WEBHOOK_URL, where the bot must post. */
  chatPath: string;
  where: Where;
  /** The deliveries by what the bot must do with them: post, stay quiet, refuse, still answer afterwards. */
  status: Observation[];
  others: Observation[];
  rejects: Observation[];
  alive: Observation | undefined;
  first: Observation | undefined;
  /** A listen() on the chat server's port that the preload moved elsewhere. */
  moved: Trace['listens'][number] | undefined;
  statusWithPosts: Observation[];
  anyDeploymentMessage: boolean;
}

/** A refused delivery: one of the statuses that refuse it, and no chat message. */
const refused = (o: Observation) => !('error' in o.reply) && (o.probe.refuse ?? REFUSE_WRONG).includes(o.reply.status) && o.posts.length === 0;

export function judge(sub: Submission, cfg: Config, obs: Observation[], chat: FakeChat, trace: Trace | null): CheckVerdict[] {
  const status = obs.filter((o) => o.probe.expect === 'post');
  const statusWithPosts = status.filter((o) => o.posts.length > 0);
  const seen: Seen = {
    sub,
    cfg,
    obs,
    chat,
    trace,
    chatPath: new URL(cfg.chatUrl).pathname,
    where: whereIn(sub),
    status,
    others: obs.filter((o) => o.probe.expect === 'quiet'),
    rejects: obs.filter((o) => o.probe.expect === 'reject'),
    alive: obs.find((o) => o.probe.expect === 'alive'),
    first: obs[0],
    moved: trace?.listens.find((l) => l.moved),
    statusWithPosts,
    anyDeploymentMessage: statusWithPosts.length > 0,
  };
  return [
    checkListens(seen),
    checkSignature(seen),
    checkPostsMessage(seen),
    checkMessageContent(seen),
    checkFailureFormat(seen),
    checkIgnoresOtherEvents(seen),
    checkNoSecretLeak(seen),
  ];
}

/** listens: POST /webhook gets an answer (not 404/405) on PORT. */
function checkListens({ where, first, moved }: Seen): CheckVerdict {
  if (!first || 'error' in first.reply) {
    return fail(
      'listens',
      both(
        `POST /webhook에 응답이 없습니다: ${first ? describe(first.reply, 'ko') : '요청 없음'} (${where.listen}).`,
        `POST /webhook got no answer: ${first ? describe(first.reply) : 'no request'} (${where.listen}).`,
      ),
    );
  } else if (first.reply.status === 404 || first.reply.status === 405) {
    return fail(
      'listens',
      both(
        `POST /webhook이 HTTP ${first.reply.status}로 답했습니다. 경로가 /webhook인가요? (${where.listen})`,
        `POST /webhook answered HTTP ${first.reply.status}: is the route /webhook? (${where.listen})`,
      ),
    );
  } else if (moved) {
    return pass(
      'listens',
      1,
      both(
        `참고: ${moved.at ?? where.listen}에서 포트 ${moved.port}에도 listen했습니다. 이 포트는 실습의 채팅 서버(CHAT_WEBHOOK_URL) 몫이라 채점 중에는 다른 포트로 옮겨 두었습니다.`,
        `Note: ${moved.at ?? where.listen} also listens on port ${moved.port}, which the lab reserves for its chat server (CHAT_WEBHOOK_URL); during grading that server was moved to another port.`,
      ),
    );
  } else return pass('listens', 1);
}

/** signature: correctly signed deliveries are accepted, every forged or malformed one refused, in constant time. */
function checkSignature({ sub, cfg, trace, where, status, others, rejects, alive }: Seen): CheckVerdict {
  const badValid = [...status, ...others].filter((o) => !ok2xx(o.reply));
  const rejectPart = (ids: string[], extra?: { ok: boolean; message: Msg }) => {
    const os = rejects.filter((o) => ids.includes(o.probe.id));
    const wrong = os.find((o) => !refused(o));
    if (!wrong) return extra ?? { ok: true, message: '' };
    const posted = wrong.posts.length > 0;
    const codes = (wrong.probe.refuse ?? REFUSE_WRONG).join(', ');
    if (wrong.probe.id === 'reject:missing' && ok2xx(wrong.reply)) {
      return {
        ok: false,
        message: both(
          `${lbl(wrong.probe.label, 'ko')}를 받아들였습니다 (응답 ${describe(wrong.reply, 'ko')}${posted ? ', 채팅 메시지까지 보냄' : ''}). X-Hub-Signature는 호환성 때문에만 보내는 옛 헤더입니다. X-Hub-Signature-256만 검증하고, 그것이 없으면 거절하세요 (${where.legacy}).`,
          `Accepted ${lbl(wrong.probe.label, 'en')} (got ${describe(wrong.reply)}${posted ? ', and a chat message was posted' : ''}). GitHub sends X-Hub-Signature only for compatibility: verify X-Hub-Signature-256, and refuse a delivery without it (${where.legacy}).`,
        ),
      };
    }
    return {
      ok: false,
      message: both(
        `${lbl(wrong.probe.label, 'ko')}: 응답 ${describe(wrong.reply, 'ko')}${posted ? ', 게다가 채팅 메시지까지 보냈습니다' : ''} (${codes} 중 하나여야 합니다; ${where.sigHeader}).`,
        `Sent ${lbl(wrong.probe.label, 'en')}: got ${describe(wrong.reply)}${posted ? ', and a chat message was posted anyway' : ''} (expected ${codes}; ${where.sigHeader}).`,
      ),
    };
  };
  const validPart = (): { ok: boolean; message: Msg } => {
    if (badValid.length === 0) return { ok: true, message: '' };
    const o = badValid[0]!;
    if (o.probe.splitAt !== undefined && !('error' in o.reply) && o.reply.status >= 400 && o.reply.status < 500) {
      return {
        ok: false,
        message: both(
          `올바르게 서명된 ${lbl(o.probe.label, 'ko')}: 응답 ${describe(o.reply, 'ko')}. 이 요청의 본문은 한글 글자 한가운데에서 나뉘어 두 조각으로 도착했습니다. 조각마다 문자열로 바꿔 이어 붙이면(body += chunk) 깨진 글자 때문에 바이트가 달라집니다. Buffer 조각을 모아 Buffer.concat으로 합친 뒤 HMAC을 계산하세요 (${where.body}).`,
          `The correctly signed ${lbl(o.probe.label, 'en')} got ${describe(o.reply)}. Its body arrived in two pieces, split inside a Korean character; turning each piece into a string on its own (body += chunk) breaks that character and changes the bytes. Collect the Buffer chunks, Buffer.concat them, and compute the HMAC over that (${where.body}).`,
        ),
      };
    }
    return {
      ok: false,
      message: both(
        `올바르게 서명된 ${lbl(o.probe.label, 'ko')}: 응답 ${describe(o.reply, 'ko')} (2xx여야 합니다). 서명은 받은 그대로의 바이트로 계산했나요? (${where.sigHeader})`,
        `The correctly signed ${lbl(o.probe.label, 'en')} got ${describe(o.reply)}, not 2xx: is the HMAC computed over the raw bytes as received? (${where.sigHeader})`,
      ),
    };
  };
  return partial('signature', 3, [
    validPart(),
    rejectPart(['reject:missing']),
    rejectPart(['reject:wrong-secret']),
    rejectPart(['reject:tampered']),
    rejectPart(
      ['reject:short', 'reject:not-hex', 'reject:sha1-in-256'],
      alive && 'error' in alive.reply
        ? {
            ok: false,
            message: both(
              `잘못된 형식의 서명들을 받은 뒤 올바르게 서명된 ping에 응답이 없습니다: ${describe(alive.reply, 'ko')} (${where.compare}).`,
              `After the malformed signatures, a correctly signed ping got no answer: ${describe(alive.reply)} (${where.compare}).`,
            ),
          }
        : undefined,
    ),
    constantTimePart(
      sub,
      cfg,
      rejects.filter((o) => ['reject:wrong-secret', 'reject:tampered'].includes(o.probe.id)),
      refused,
      trace,
      where,
    ),
  ]);
}

/** posts-message: one well-formed chat message for each deployment_status. */
function checkPostsMessage({ chatPath, where, status, anyDeploymentMessage }: Seen): CheckVerdict {
  const missing = status.filter((o) => o.posts.length === 0);
  const dup = status.find((o) => o.posts.length > 1);
  const bad = status.flatMap((o) => o.posts.map((p) => ({ o, p }))).find(({ p }) => p.status !== 200);
  const badWhy = (p: ChatPost): Msg =>
    p.method !== 'POST'
      ? both(`${p.method} 요청이었습니다 (POST여야 합니다)`, `it was a ${p.method} request, not POST`)
      : p.path !== chatPath
        ? both(`CHAT_WEBHOOK_URL이 아닌 경로 ${clip(p.path, 60)}로 보냈습니다`, `it went to ${clip(p.path, 60)}, not the path of CHAT_WEBHOOK_URL`)
        : !/^application\/json\b/i.test(p.contentType.trim())
          ? both(
              `Content-Type이 application/json이 아닙니다 (${clip(p.contentType, 60)})`,
              `its Content-Type is not application/json (${clip(p.contentType, 60)})`,
            )
          : p.shape === 'discord'
            ? both(
                `Discord 형식({"content": ...})입니다. 이 채팅 서버는 Slack 방식이라 {"text": "..."}를 받습니다: ${clip(p.raw)}`,
                `it has Discord's shape ({"content": ...}); this chat server is Slack-style and takes {"text": "..."}: ${clip(p.raw)}`,
              )
            : p.shape === 'not-json'
              ? both(`본문이 JSON이 아닙니다: ${clip(p.raw)}`, `its body is not JSON: ${clip(p.raw)}`)
              : both(
                  `본문에 비어 있지 않은 "text" 문자열(또는 Slack의 blocks/attachments)이 없습니다: ${clip(p.raw)}`,
                  `its body has no non-empty "text" string (nor Slack blocks or attachments): ${clip(p.raw)}`,
                );
  if (!anyDeploymentMessage) {
    return fail(
      'posts-message',
      both(
        `deployment_status 이벤트 ${status.length}개 중 어느 것에도 채팅 메시지가 오지 않았습니다. CHAT_WEBHOOK_URL로 POST하나요? (${where.post})`,
        `None of the ${status.length} deployment_status events produced a chat message. Does the bot POST to CHAT_WEBHOOK_URL? (${where.post})`,
      ),
    );
  } else
    return partial('posts-message', 2, [
      {
        ok: missing.length === 0,
        message: missing.length
          ? both(
              `${missing.map((o) => lbl(o.probe.label, 'ko')).join(', ')}에 대한 채팅 메시지가 오지 않았습니다 (${where.post}).`,
              `No chat message arrived for ${missing.map((o) => lbl(o.probe.label, 'en')).join(', ')} (${where.post}).`,
            )
          : '',
      },
      {
        ok: !dup,
        message: dup
          ? both(
              `${lbl(dup.probe.label, 'ko')} 하나에 메시지가 ${dup.posts.length}개 왔습니다 (${where.post}).`,
              `${lbl(dup.probe.label, 'en')} produced ${dup.posts.length} messages, not one (${where.post}).`,
            )
          : '',
      },
      {
        ok: !bad,
        message: bad
          ? both(
              `${lbl(bad.o.probe.label, 'ko')}의 메시지: ${lbl(badWhy(bad.p), 'ko')} (${where.post}).`,
              `The message for ${lbl(bad.o.probe.label, 'en')}: ${lbl(badWhy(bad.p), 'en')} (${where.post}).`,
            )
          : '',
      },
    ]);
}

/** message-content: each message names the repository, environment, state and target URL. */
function checkMessageContent({ where, statusWithPosts }: Seen): CheckVerdict {
  const msgs = statusWithPosts.map((o) => ({ o, s: o.posts[0]!.strings, w: o.probe.want! }));
  if (msgs.length === 0) {
    return fail(
      'message-content',
      both(
        `deployment_status에 대한 채팅 메시지가 하나도 없어 내용을 확인할 수 없습니다 (${where.post}).`,
        `No chat message arrived for any deployment_status, so there is nothing to read (${where.post}).`,
      ),
    );
  } else {
    const quoted = new Set<Observation>();
    const field = (
      name: Msg,
      has: (s: string, w: NonNullable<Probe['want']>) => boolean,
      value: (w: NonNullable<Probe['want']>) => string,
      extra?: (s: string, w: NonNullable<Probe['want']>) => Msg | null,
    ) => {
      const miss = msgs.find((m) => !has(m.s, m.w));
      if (!miss) return { ok: true, message: '' };
      // Quote a message only the first time it is named.
      const quote = quoted.has(miss.o) ? '' : `: ${clip(miss.s)}`;
      quoted.add(miss.o);
      const more = extra?.(miss.s, miss.w) ?? null;
      return {
        ok: false,
        message: both(
          `${lbl(miss.o.probe.label, 'ko')}의 메시지에 ${lbl(name, 'ko')} ${clip(value(miss.w), 100)}이(가) 없습니다${quote} (${where.text}).${more ? ' ' + lbl(more, 'ko') : ''}`,
          `The message for ${lbl(miss.o.probe.label, 'en')} does not name the ${lbl(name, 'en')} ${clip(value(miss.w), 100)}${quote} (${where.text}).${more ? ' ' + lbl(more, 'en') : ''}`,
        ),
      };
    };
    const humanised = (s: string, w: NonNullable<Probe['want']>): Msg | null =>
      w.state.includes('_') && word(s, w.state.replace(/_/g, ' '))
        ? both(`상태는 GitHub이 보낸 그대로(${w.state}) 써야 합니다.`, `Write the state as GitHub sends it (${w.state}), not reworded.`)
        : null;
    return partial('message-content', 3, [
      field(
        both('저장소 전체 이름', 'repository'),
        (s, w) => s.includes(w.repo),
        (w) => w.repo,
      ),
      field(
        both('환경', 'environment'),
        (s, w) => word(s, w.env),
        (w) => w.env,
      ),
      field(
        both('상태', 'state'),
        (s, w) => word(s, w.state),
        (w) => w.state,
        humanised,
      ),
      field(
        both('링크(target_url)', 'target URL'),
        (s, w) => s.includes(w.url),
        (w) => w.url,
      ),
    ]);
  }
}

/** failure-format: failures and errors stand out; successes and in-progress do not. */
function checkFailureFormat({ where, status }: Seen): CheckVerdict {
  const byState = (st: string) => status.find((o) => o.probe.want?.state === st);
  const part = (st: string, shouldMark: boolean) => {
    const o = byState(st);
    if (!o || o.posts.length === 0)
      return { ok: false, message: both(`${st} 상태에 대한 메시지가 없습니다 (${where.post}).`, `There is no message for the ${st} state (${where.post}).`) };
    const m = hasFailureMark(o.posts[0]!);
    return {
      ok: m === shouldMark,
      message: shouldMark
        ? both(
            `${st} 메시지에 실패 표시(:x:, ❌, 🚨, :rotating_light:, FAILED 같은 것)가 없습니다: ${clip(o.posts[0]!.strings)} (${where.failure}).`,
            `The ${st} message carries no failure mark (:x:, ❌, 🚨, :rotating_light:, FAILED and the like): ${clip(o.posts[0]!.strings)} (${where.failure}).`,
          )
        : both(
            `${st} 메시지에도 실패 표시가 있어 실패와 구별되지 않습니다: ${clip(o.posts[0]!.strings)} (${where.failure}).`,
            `The ${st} message carries a failure mark too, so failures do not stand out: ${clip(o.posts[0]!.strings)} (${where.failure}).`,
          ),
    };
  };
  const a = part('success', false);
  const b = part('in_progress', false);
  return partial('failure-format', 2, [part('failure', true), part('error', true), { ok: a.ok && b.ok, message: !a.ok ? a.message : b.message }]);
}

/** ignores-other-events: other events get 2xx and no message. */
function checkIgnoresOtherEvents({ where, others, alive, anyDeploymentMessage }: Seen): CheckVerdict {
  if (!anyDeploymentMessage) {
    return fail(
      'ignores-other-events',
      both(
        `봇이 deployment_status에도 메시지를 보내지 않아, 다른 이벤트를 골라서 무시하는지 판단할 수 없습니다 (${where.post}).`,
        `The bot posts nothing even for deployment_status, so whether it tells other events apart cannot be judged (${where.post}).`,
      ),
    );
  } else {
    const aliveObs = alive ? [alive] : [];
    return partial(
      'ignores-other-events',
      2,
      others.map((o) => {
        const posts = [...o.posts, ...(o.probe.event === 'ping' ? aliveObs.flatMap((a) => a.posts) : [])];
        const ok = ok2xx(o.reply) && posts.length === 0;
        return {
          ok,
          message: ok
            ? ''
            : posts.length > 0
              ? both(
                  `${lbl(o.probe.label, 'ko')}에도 채팅 메시지를 보냈습니다: ${clip(posts[0]!.strings)} (${where.event}).`,
                  `A chat message was posted for ${lbl(o.probe.label, 'en')}: ${clip(posts[0]!.strings)} (${where.event}).`,
                )
              : both(
                  `${lbl(o.probe.label, 'ko')}: 응답 ${describe(o.reply, 'ko')} (2xx여야 GitHub이 실패한 전달로 기록하지 않습니다; ${where.event}).`,
                  `Sent ${lbl(o.probe.label, 'en')}: got ${describe(o.reply)}; answer 2xx so GitHub does not record a failed delivery (${where.event}).`,
                ),
        };
      }),
    );
  }
}

/** no-secret-leak: neither the answers, the chat posts nor the logs carry the secret, the chat URL or a signature a forger could use. */
function checkNoSecretLeak({ cfg, obs, chat, trace, chatPath, where, rejects, anyDeploymentMessage }: Seen): CheckVerdict {
  const sent = new Set(obs.flatMap((o) => [o.probe.sig256, o.probe.sig1].filter(Boolean).map((s) => s!.replace(/^sha(1|256)=/, ''))));
  const set: SecretSet = { secret: cfg.secret, chatPath, forged: rejects.map((o) => hmac('sha256', cfg.secret, o.probe.body)).filter((h) => !sent.has(h)) };
  const replyLeak = obs
    .map((o) => ({ o, kind: 'error' in o.reply ? null : findLeak(readableForms(o.reply.body) + '\n' + o.reply.headerText, set, true) }))
    .find((x) => x.kind);
  // The path is where the bot must post (it holds the chat URL's secret by design); everything else is scanned.
  const chatLeak = chat.posts
    .map((p) => ({ p, kind: findLeak(`${p.query}\n${p.headerText}\n${readableForms(p.raw)}\n${p.strings}`, set, true) }))
    .find((x) => x.kind);
  const logFound = trace ? locateLeak(trace.out, set, false) : null;
  const logLeak = logFound?.kind ?? null;
  const logWhere = (logFound && trace && writerAt(trace, logFound.index)) ?? where.leakLog;
  const what = (k: LeakKind): Msg =>
    k === 'secret'
      ? both('WEBHOOK_SECRET 값', 'the value of WEBHOOK_SECRET')
      : k === 'chat-url'
        ? both('CHAT_WEBHOOK_URL의 비밀 경로', 'the secret path of CHAT_WEBHOOK_URL')
        : both('그 요청에 맞는 올바른 서명(위조하려는 사람이 바로 찾는 값)', 'the correct signature for that request, which is exactly what a forger needs');
  const parts = [
    {
      ok: !replyLeak,
      message: replyLeak
        ? both(
            `${lbl(replyLeak.o.probe.label, 'ko')}에 대한 HTTP 응답에 ${lbl(what(replyLeak.kind!), 'ko')}이(가) 들어 있습니다 (${where.leakReply}).`,
            `The HTTP answer to ${lbl(replyLeak.o.probe.label, 'en')} contains ${lbl(what(replyLeak.kind!), 'en')} (${where.leakReply}).`,
          )
        : '',
    },
    {
      ok: !chatLeak,
      message: chatLeak
        ? both(
            `채팅 서버로 보낸 요청에 ${lbl(what(chatLeak.kind!), 'ko')}이(가) 들어 있습니다 (${where.leakChat}).`,
            `A request to the chat server contains ${lbl(what(chatLeak.kind!), 'en')} (${where.leakChat}).`,
          )
        : '',
    },
    {
      ok: !logLeak,
      message: logLeak
        ? both(
            `봇이 출력한 로그(stdout/stderr)에 ${lbl(what(logLeak), 'ko')}이(가) 들어 있습니다. 로그는 여러 곳으로 복사되므로, 로그에 찍힌 비밀 값은 새어 나간 것으로 보고 바꿔야 합니다 (${logWhere}).`,
            `The bot's own output (stdout/stderr) contains ${lbl(what(logLeak), 'en')}. Logs are copied to many places; a secret that reaches them counts as leaked and must be rotated (${logWhere}).`,
          )
        : '',
    },
  ];
  if (parts.some((p) => !p.ok)) return partial('no-secret-leak', 2, parts);
  else if (!anyDeploymentMessage)
    return fail(
      'no-secret-leak',
      both(
        `봇이 채팅 메시지를 하나도 보내지 않아 이 항목을 판단할 수 없습니다 (${where.post}).`,
        `The bot posted no chat message at all, so this cannot be judged yet (${where.post}).`,
      ),
    );
  else return pass('no-secret-leak', 2);
}

/**
 * The signature must be compared in a way whose running time reveals nothing: crypto.timingSafeEqual on the received
 * signature and the HMAC of the body (in any matching encoding), or crypto.subtle.verify('HMAC', ...) over the body.
 * It is judged from the preload's record for the correctly formatted wrong signatures the bot refused; without a
 * record (the preload did not load), from the code.
 */
function constantTimePart(
  sub: Submission,
  cfg: Config,
  wrongButWellFormed: Observation[],
  refused: (o: Observation) => boolean,
  trace: Trace | null,
  where: Where,
): { ok: boolean; message: Msg } {
  const judged = wrongButWellFormed.filter(refused);
  if (judged.length === 0) {
    return {
      ok: false,
      message: both(
        `형식은 맞지만 틀린 서명을 하나도 거절하지 않아, 서명을 어떻게 비교하는지 볼 수 없습니다 (${where.compare}).`,
        `No correctly formatted but wrong signature was refused, so how the signature is compared could not be seen (${where.compare}).`,
      ),
    };
  }
  if (!trace) {
    const ok = sub.paths().some((f) => f.endsWith('.js') && /timingSafeEqual\s*\(|subtle\s*\.\s*verify\s*\(/.test(sub.text(f) ?? ''));
    return {
      ok,
      message: both(
        `${where.compare}: 서명을 crypto.timingSafeEqual(또는 crypto.subtle.verify)로 비교하지 않습니다. ===는 처음 다른 글자에서 멈추므로 걸린 시간이 정답을 알려 줍니다.`,
        `${where.compare}: the signature is not compared with crypto.timingSafeEqual (or crypto.subtle.verify); === stops at the first differing character, so its timing leaks the right answer.`,
      ),
    };
  }
  for (const o of judged) {
    const v = judgeCompare(trace, o.probe.delivery, cfg.secret, o.probe.body, o.probe.sig256 ?? '');
    if (v.ok) continue;
    if (v.why === 'no-call') {
      return {
        ok: false,
        message: both(
          `${lbl(o.probe.label, 'ko')}를 거절할 때 crypto.timingSafeEqual도 crypto.subtle.verify도 호출되지 않았습니다. 결정한 비교는 ===, Buffer.equals, 직접 짠 반복문 같은 것이고, 이런 비교는 앞에서부터 맞은 바이트 수에 따라 걸리는 시간이 달라집니다 (${where.leakyCompare}). 받은 서명과 계산한 HMAC을 같은 길이의 Buffer로 만들어 crypto.timingSafeEqual로 비교하세요.`,
          `Refusing ${lbl(o.probe.label, 'en')}, the bot called neither crypto.timingSafeEqual nor crypto.subtle.verify: the comparison that decided was ===, Buffer.equals, a hand-written loop or the like, whose running time depends on how many leading bytes match (${where.leakyCompare}). Turn the received signature and your HMAC into Buffers of the same length and compare them with crypto.timingSafeEqual.`,
        ),
      };
    }
    const c = v.calls[0]!;
    return {
      ok: false,
      message: both(
        `${lbl(o.probe.label, 'ko')}를 거절할 때 ${c.kind}를 호출했지만(${c.at ?? where.compare}), 받은 서명과 본문의 HMAC을 비교하지 않았습니다. 두 인자가 X-Hub-Signature-256 값과 받은 그대로의 본문으로 계산한 HMAC인지(같은 인코딩으로) 확인하세요.`,
        `Refusing ${lbl(o.probe.label, 'en')}, the bot called ${c.kind} (${c.at ?? where.compare}), but not on the received signature and the HMAC of the body: make its two arguments the X-Hub-Signature-256 value and the HMAC of the raw body, in the same encoding.`,
      ),
    };
  }
  return { ok: true, message: '' };
}

const CHECK_IDS = ['listens', 'signature', 'posts-message', 'message-content', 'failure-format', 'ignores-other-events', 'no-secret-leak'];
const failAll = (msg: Msg): GraderVerdict => ({ gradable: true, checks: CHECK_IDS.map((id) => fail(id, msg)) });

/** The verdict when nothing listens on PORT: says what the program did listen on, when the preload saw it. */
export function notListening(sub: Submission, cfg: Config, trace: Trace | null): GraderVerdict {
  const where = findLine(sub, /\.listen\s*\(/) ?? 'bot.js';
  const port = new URL(cfg.subjectUrl).port;
  const secs = Math.round((cfg.startupMs ?? 6000) / 1000);
  const moved = trace?.listens.find((l) => l.moved);
  if (moved) {
    return failAll(
      both(
        `${moved.at ?? where}에서 포트 ${moved.port}에 listen했습니다. 이 포트는 CHAT_WEBHOOK_URL의 포트로, 실습의 채팅 서버 몫입니다. 웹훅 서버는 process.env.PORT(${port})에서 listen하세요.`,
        `${moved.at ?? where} listens on port ${moved.port}, the port of CHAT_WEBHOOK_URL, which the lab reserves for its chat server. Listen for webhooks on process.env.PORT (${port}).`,
      ),
    );
  }
  const elsewhere = trace?.listens.filter((l) => String(l.port) !== port) ?? [];
  if (elsewhere.length) {
    const l = elsewhere[0]!;
    return failAll(
      both(
        `프로그램이 포트 ${port}가 아니라 ${elsewhere.map((x) => x.port).join(', ')}에서 listen합니다 (${l.at ?? where}). 포트는 process.env.PORT에서 읽으세요.`,
        `The program listens on port ${elsewhere.map((x) => x.port).join(', ')}, not on ${port} (${l.at ?? where}): read the port from process.env.PORT.`,
      ),
    );
  }
  return failAll(
    both(
      `${secs}초 안에 포트 ${port}에서 아무것도 응답하지 않았습니다. process.env.PORT로 listen하나요? 시작하자마자 종료되지는 않나요? (${where})`,
      `Nothing listened on port ${port} within ${secs} s. Does the bot listen on process.env.PORT, and does it keep running? (${where})`,
    ),
  );
}

export async function grade(sub: Submission, cfg: Config, ctx?: GradeContext): Promise<GraderVerdict> {
  checkSource(sub);
  const started = Date.now();
  const deadline = started + (cfg.budgetMs ?? 20_000);
  const probes = buildProbes(cfg.dataDir, cfg.secret);
  const chatUrl = new URL(cfg.chatUrl);
  const chatPort = Number(chatUrl.port || 80);
  const socket = traceSocket(new URL(cfg.subjectUrl).port);
  const chat = new FakeChat(chatUrl.pathname);
  const bound = await chat.listen(chatUrl.hostname, chatPort);
  try {
    if (bound === 'in-use') {
      // The preload moves a listen() on this port elsewhere; this is for a program that got past it.
      const where = findLine(sub, new RegExp(`\\b${chatPort}\\b`)) ?? findLine(sub, /\.listen\s*\(/) ?? 'bot.js';
      return failAll(
        both(
          `프로그램이 포트 ${chatPort}에서 listen하고 있습니다. 이 포트는 실습이 채팅 서버(CHAT_WEBHOOK_URL)에 쓰도록 남겨 둔 것이라, 채팅 서버를 띄울 수 없어 채점하지 못했습니다. process.env.PORT에서만 listen하세요 (${where}).`,
          `Your program listens on port ${chatPort}, which the lab reserves for the chat server (CHAT_WEBHOOK_URL), so the chat server could not start and nothing was graded. Listen only on process.env.PORT (${where}).`,
        ),
      );
    }
    const up = await waitForPort(cfg.subjectUrl, Math.min(cfg.startupMs ?? 6000, deadline - Date.now() - 1000));
    if (!up) return notListening(sub, cfg, await readTrace(socket));
    // A message the bot posts as it starts ("bot started") belongs to no delivery: let it arrive before the first one.
    await sleep(Math.min(800, deadline - Date.now() - 10_000));
    const obs = await runProbes(cfg, probes, chat, deadline - 1500);
    const trace = await readTrace(socket, Math.max(200, Math.min(1000, deadline - Date.now())));
    const checks = judge(sub, cfg, obs, chat, trace);
    for (const c of checks) ctx?.progress(c);
    return { gradable: true, checks };
  } finally {
    chat.close();
  }
}
