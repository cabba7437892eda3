/**
 * Week 4 grader: the learner's webhook receiver (bot.js) runs in the subject container. The grader starts a fake
 * Slack-style chat server on the address the bot was given (CHAT_WEBHOOK_URL), sends GitHub-shaped events from the
 * hidden payloads in data/ (correctly signed, unsigned, wrongly signed, tampered, malformed), and judges only what it
 * observes: the HTTP answers and the messages that arrive at the chat server. Nothing the bot prints is read.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import vm from 'node:vm';
import YAML from 'yaml';
import { NotGradable, partial, fail, pass, type CheckVerdict, type GradeContext, type GraderVerdict, type Msg, type Submission } from '../../../lib/grader-kit/index';

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
  if (!sub.has('bot.js')) throw new NotGradable({ ko: 'bot.js 파일이 없습니다.', en: 'bot.js is missing.' });
  for (const file of sub.paths().filter((p) => p.endsWith('.js'))) {
    if (!sub.isValidUtf8(file)) throw new NotGradable({ ko: `${file}: UTF-8 텍스트가 아닙니다.`, en: `${file} is not UTF-8 text.` });
    const text = sub.text(file)!;
    if (file === 'bot.js' && text.trim().length === 0) throw new NotGradable({ ko: 'bot.js가 비어 있습니다.', en: 'bot.js is empty.' });
    // Compile (never run) the file the way Node's CommonJS loader wraps it, so `return` at the top level is allowed
    // and `import` statements are not (Node 18 runs a .js file as CommonJS).
    const body = text.replace(/^#!.*/, '');
    try {
      new vm.Script(`(function (exports, require, module, __filename, __dirname) {\n${body}\n})`, { filename: file });
    } catch (e) {
      const err = e as Error;
      if (err instanceof RangeError || /call stack/i.test(String(err.message))) {
        throw new NotGradable({ ko: `${file}: 코드가 너무 깊게 중첩되어 읽을 수 없습니다.`, en: `${file}: the code is nested too deeply to read.` });
      }
      const line = syntaxErrorLine(err);
      const where = line ? `${file}:${line}` : file;
      const msg = String(err.message).split('\n')[0]!.slice(0, 200);
      const esm = /import statement|export/i.test(msg)
        ? { ko: ' Node 18은 .js 파일을 CommonJS로 실행하므로 import 대신 require()를 쓰세요.', en: ' Node 18 runs a .js file as CommonJS: use require() instead of import.' }
        : { ko: '', en: '' };
      throw new NotGradable({ ko: `${where}: JavaScript 문법 오류입니다 (${msg}).${esm.ko}`, en: `${where}: JavaScript syntax error (${msg}).${esm.en}` });
    }
  }
}

function syntaxErrorLine(err: Error): number | null {
  // V8 puts "file:line" on the first line of the stack of a SyntaxError from vm.Script; our wrapper adds one line.
  const m = /:(\d+)\s*\n/.exec(String(err.stack ?? ''));
  return m ? Math.max(1, Number(m[1]) - 1) : null;
}

/** "bot.js:12" for the first line (bot.js first, then other .js files) that every pattern matches; null if none. */
export function findLine(sub: Submission, ...patterns: RegExp[]): string | null {
  const files = ['bot.js', ...sub.paths().filter((p) => p.endsWith('.js') && p !== 'bot.js')];
  for (const f of files) {
    const text = sub.text(f);
    if (text === null) continue;
    const lines = text.split('\n');
    for (let i = 0; i < lines.length && i < 5000; i++) {
      const l = lines[i]!.slice(0, 2000);
      if (/^\s*(\/\/|\*|\/\*)/.test(l)) continue;
      if (patterns.every((p) => p.test(l))) return `${f}:${i + 1}`;
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
// The fake chat server: answers like a Slack incoming webhook ("ok", "invalid_payload", "no_text", "no_service").

export interface ChatPost {
  probe: number;
  at: number;
  method: string;
  path: string;
  contentType: string;
  headerText: string;
  raw: string;
  json: unknown;
  /** Every string in the JSON body joined (text, blocks, attachments), Slack's &amp; &lt; &gt; undone. */
  strings: string;
  text: string | null;
}

const MAX_POSTS = 300;
const MAX_POST_BYTES = 64 * 1024;

export class FakeChat {
  posts: ChatPost[] = [];
  dropped = 0;
  probe = -1;
  private server: http.Server;
  private waiters: (() => void)[] = [];

  constructor(private expectedPath: string) {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let over = false;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_POST_BYTES) over = true;
        else chunks.push(c);
      });
      req.on('error', () => {});
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let json: unknown = undefined;
        try {
          json = JSON.parse(raw);
        } catch {
          json = undefined;
        }
        const strings = collectStrings(json).join('\n').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
        const text = json && typeof json === 'object' && !Array.isArray(json) && typeof (json as { text?: unknown }).text === 'string' ? ((json as { text: string }).text as string) : null;
        const post: ChatPost = {
          probe: this.probe,
          at: Date.now(),
          method: req.method ?? '',
          path: (req.url ?? '').split('?')[0]!,
          contentType: String(req.headers['content-type'] ?? ''),
          headerText: Object.entries(req.headers).map(([k, v]) => `${k}: ${String(v)}`).join('\n').slice(0, 8192),
          raw: over ? raw + '…' : raw,
          json,
          strings,
          text,
        };
        if (this.posts.length < MAX_POSTS) this.posts.push(post);
        else this.dropped++;
        for (const w of this.waiters.splice(0)) w();
        const [status, body] =
          post.path !== this.expectedPath ? [404, 'no_service'] : over || json === undefined || typeof json !== 'object' ? [400, 'invalid_payload'] : text === null && !('blocks' in (json as object)) ? [400, 'no_text'] : [200, 'ok'];
        res.writeHead(status, { 'content-type': 'text/html' });
        res.end(body);
      });
    });
    this.server.on('clientError', (_e, socket) => socket.destroy());
  }

  listen(host: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
  }

  close(): void {
    this.server.close();
    this.server.closeAllConnections?.();
  }

  postsFor(probe: number): ChatPost[] {
    return this.posts.filter((p) => p.probe === probe);
  }

  /** Resolves when `cond` holds or after `ms`, whichever comes first. */
  async waitUntil(cond: () => boolean, ms: number): Promise<void> {
    const end = Date.now() + ms;
    while (!cond() && Date.now() < end) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, end - Date.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
}

function collectStrings(v: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 20 || out.length > 500) return out;
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) collectStrings(x, out, depth + 1);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) collectStrings(x, out, depth + 1);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Talking to the bot.

export interface Reply {
  status: number;
  headerText: string;
  body: string;
}

const MAX_REPLY_BYTES = 64 * 1024;

/** One POST to the bot with a deadline and a capped body; errors (refused, reset, timeout) come back as `{ error }`. */
export function send(base: string, pathname: string, headers: Record<string, string>, body: Buffer, timeoutMs = 3000): Promise<Reply | { error: string }> {
  const u = new URL(pathname, base);
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: Reply | { error: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const req = http.request({ host: u.hostname, port: Number(u.port), path: u.pathname, method: 'POST', headers: { ...headers, 'content-length': String(body.length) }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = () =>
        done({
          status: res.statusCode ?? 0,
          headerText: Object.entries(res.headers).map(([k, v]) => `${k}: ${String(v)}`).join('\n').slice(0, 8192),
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
    });
    const timer = setTimeout(() => {
      done({ error: 'no answer in time' });
      req.destroy();
    }, timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => done({ error: e.code === 'ECONNREFUSED' ? 'connection refused (is the program still running?)' : e.code === 'ECONNRESET' ? 'the connection was reset (did the program crash?)' : e.message }));
    req.end(body);
  });
}

/** Waits until something accepts TCP connections on the port: no HTTP request, so nothing is judged yet. */
export async function waitForPort(base: string, ms: number): Promise<boolean> {
  const u = new URL(base);
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: u.hostname, port: Number(u.port) });
      const t = setTimeout(() => {
        s.destroy();
        resolve(false);
      }, 500);
      s.once('connect', () => {
        clearTimeout(t);
        s.destroy();
        resolve(true);
      });
      s.once('error', () => {
        clearTimeout(t);
        resolve(false);
      });
    });
    if (ok) return true;
    await sleep(100);
  }
  return false;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------------------------
// The probes.

type Expect = 'post' | 'quiet' | 'reject' | 'alive';

export interface Probe {
  id: string;
  label: Msg;
  event: string;
  body: Buffer;
  /** X-Hub-Signature-256 header value (undefined: not sent). */
  sig256?: string;
  /** The legacy X-Hub-Signature (SHA-1) header value (undefined: not sent). */
  sig1?: string;
  expect: Expect;
  /** For deployment_status probes: what the message must name. */
  want?: { repo: string; env: string; state: string; url: string };
}

export interface Observation {
  probe: Probe;
  reply: Reply | { error: string };
  posts: ChatPost[];
}

const hmac = (algo: 'sha256' | 'sha1', key: string, body: Buffer) => crypto.createHmac(algo, key).update(body).digest('hex');

interface StatusPayload {
  deployment_status: { state: string; environment: string; target_url: string };
  repository: { full_name: string };
}

/** The sequence of requests, built from the hidden payloads. Deterministic: same data, same requests. */
export function buildProbes(dataDir: string, secret: string): Probe[] {
  const read = (f: string) => fs.readFileSync(path.join(dataDir, f));
  const signed = (body: Buffer) => ({ sig256: `sha256=${hmac('sha256', secret, body)}`, sig1: `sha1=${hmac('sha1', secret, body)}` });
  const status = (f: string): Probe => {
    const body = read(f);
    const p = JSON.parse(body.toString('utf8')) as StatusPayload;
    const s = p.deployment_status;
    return {
      id: `deployment_status:${s.state}`,
      label: { ko: `deployment_status (${s.state}, ${p.repository.full_name}, ${s.environment})`, en: `deployment_status (${s.state}, ${p.repository.full_name}, ${s.environment})` },
      event: 'deployment_status',
      body,
      ...signed(body),
      expect: 'post',
      want: { repo: p.repository.full_name, env: s.environment, state: s.state, url: s.target_url },
    };
  };
  const other = (event: string): Probe => {
    const body = read(`${event}.json`);
    return { id: `event:${event}`, label: { ko: `${event} 이벤트`, en: `the ${event} event` }, event, body, ...signed(body), expect: 'quiet' };
  };
  const success = read('deployment_status.success.json');
  const failure = read('deployment_status.failure.json');
  // Same length as the original, so Content-Length stays right: a failed deployment made to look successful.
  const tampered = Buffer.from(failure.toString('utf8').replace('"state": "failure"', '"state": "success"'));
  const wrongKey = crypto.createHash('sha256').update(`not-${secret}`).digest('hex').slice(0, secret.length);
  return [
    status('deployment_status.success.json'),
    status('deployment_status.failure.json'),
    status('deployment_status.error.json'),
    status('deployment_status.in_progress.json'),
    other('ping'),
    other('push'),
    other('workflow_run'),
    other('deployment'),
    {
      id: 'reject:missing',
      label: { ko: 'X-Hub-Signature-256 없이 (옛 SHA-1 서명만) 보낸 deployment_status', en: 'a deployment_status without X-Hub-Signature-256 (only the old SHA-1 signature)' },
      event: 'deployment_status',
      body: success,
      sig1: signed(success).sig1,
      expect: 'reject',
    },
    {
      id: 'reject:wrong-secret',
      label: { ko: '다른 비밀 값으로 서명한 deployment_status', en: 'a deployment_status signed with another secret' },
      event: 'deployment_status',
      body: failure,
      sig256: `sha256=${hmac('sha256', wrongKey, failure)}`,
      sig1: `sha1=${hmac('sha1', wrongKey, failure)}`,
      expect: 'reject',
    },
    {
      id: 'reject:tampered',
      label: { ko: '서명 후 본문이 바뀐 deployment_status ("failure"를 "success"로)', en: 'a deployment_status whose body was changed after signing ("failure" to "success")' },
      event: 'deployment_status',
      body: tampered,
      ...signed(failure),
      expect: 'reject',
    },
    {
      id: 'reject:short',
      label: { ko: '너무 짧은 서명 (sha256=3f9a)', en: 'a too-short signature (sha256=3f9a)' },
      event: 'deployment_status',
      body: success,
      sig256: 'sha256=3f9a',
      expect: 'reject',
    },
    {
      id: 'reject:not-hex',
      label: { ko: '16진수가 아닌 서명 (sha256=zzzz…)', en: 'a signature that is not hex (sha256=zzzz…)' },
      event: 'deployment_status',
      body: success,
      sig256: `sha256=${'z'.repeat(64)}`,
      expect: 'reject',
    },
    {
      id: 'reject:sha1-in-256',
      label: { ko: 'X-Hub-Signature-256 헤더에 SHA-1 서명 (sha1=…)', en: 'a SHA-1 signature in the X-Hub-Signature-256 header (sha1=…)' },
      event: 'deployment_status',
      body: success,
      sig256: signed(success).sig1,
      expect: 'reject',
    },
    {
      id: 'alive',
      label: { ko: '잘못된 서명들 다음에 보낸 올바른 ping', en: 'a correctly signed ping sent after the bad signatures' },
      event: 'ping',
      body: read('ping.json'),
      ...signed(read('ping.json')),
      expect: 'alive',
    },
  ];
}

function headersFor(p: Probe, i: number): Record<string, string> {
  const h: Record<string, string> = {
    accept: '*/*',
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/5b1c8e2',
    'x-github-event': p.event,
    'x-github-delivery': `6f1a${String(i).padStart(4, '0')}-c7d2-11ef-8e4b-2a9d3c5e7f01`,
    'x-github-hook-id': '512094877',
    'x-github-hook-installation-target-type': 'repository',
    'x-github-hook-installation-target-id': '612804551',
  };
  if (p.sig1 !== undefined) h['x-hub-signature'] = p.sig1;
  if (p.sig256 !== undefined) h['x-hub-signature-256'] = p.sig256;
  return h;
}

/** Sends every probe in order and collects what happened; chat posts are attributed to the probe in flight. */
export async function runProbes(cfg: Config, probes: Probe[], chat: FakeChat): Promise<Observation[]> {
  const obs: Observation[] = [];
  let sawPost = false;
  for (let i = 0; i < probes.length; i++) {
    const p = probes[i]!;
    chat.probe = i;
    const reply = await send(cfg.subjectUrl, '/webhook', headersFor(p, i), p.body);
    if (p.expect === 'post') {
      // The first message may take a moment (the first fetch() in Node 18 loads its HTTP client); after that, and
      // for a bot that never posts, shorter waits keep the whole run within seconds.
      const wait = sawPost ? 2000 : i === 0 ? 2000 : 400;
      await chat.waitUntil(() => chat.postsFor(i).length > 0, wait);
      if (chat.postsFor(i).length > 0) sawPost = true;
      await sleep(150);
    } else {
      await sleep(p.expect === 'alive' ? 400 : 200);
    }
    obs.push({ probe: p, reply, posts: [] });
  }
  chat.probe = -1;
  for (let i = 0; i < obs.length; i++) obs[i]!.posts = chat.postsFor(i);
  return obs;
}

// ---------------------------------------------------------------------------------------------------------------
// Judging what was observed.

const FAILURE_MARK = /:x:|❌|🚨|:rotating_light:|\bFAILED\b/;
const ok2xx = (r: Reply | { error: string }) => !('error' in r) && r.status >= 200 && r.status < 300;
const ERRORS_KO: Record<string, string> = {
  'no answer in time': '제때 응답 없음',
  'connection refused (is the program still running?)': '연결 거부 (프로그램이 아직 실행 중인가요?)',
  'the connection was reset (did the program crash?)': '연결이 끊김 (프로그램이 죽었나요?)',
};
const describe = (r: Reply | { error: string }, lang: 'ko' | 'en' = 'en') => ('error' in r ? (lang === 'ko' ? (ERRORS_KO[r.error] ?? r.error) : r.error) : `HTTP ${r.status}`);
const both = (ko: string, en: string): Msg => ({ ko, en });
const lbl = (m: Msg, lang: 'ko' | 'en') => (typeof m === 'string' ? m : m[lang]);
const clip = (s: string, n = 120) => JSON.stringify(s.length > n ? s.slice(0, n) + '…' : s);

export function judge(sub: Submission, cfg: Config, obs: Observation[], chat: FakeChat): CheckVerdict[] {
  const chatPath = new URL(cfg.chatUrl).pathname;
  const where = {
    listen: at(sub, 'bot.js', [/\.listen\s*\(/], [/createServer/]),
    sigHeader: at(sub, 'bot.js', [/x-hub-signature-256/i], [/signature/i], [/createHmac/], [/\.on\(\s*['"]end['"]/], [/createServer/]),
    compare: at(sub, 'bot.js', [/timingSafeEqual/], [/(===|!==|==|!=)/, /sig|digest|hmac|expected/i], [/x-hub-signature-256/i], [/createHmac/], [/\.on\(\s*['"]end['"]/], [/createServer/]),
    post: at(sub, 'bot.js', [/fetch\s*\(/], [/CHAT_WEBHOOK_URL/], [/http\.request|https\.request/], [/createServer/]),
    text: at(sub, 'bot.js', [/\btext\s*:/], [/['"]text['"]/], [/fetch\s*\(/]),
    failure: at(sub, 'bot.js', [/['"](failure|error)['"]/], [/\btext\s*:/], [/fetch\s*\(/]),
    event: at(sub, 'bot.js', [/x-github-event/i], [/deployment_status/], [/createServer/]),
    leakReply: at(sub, 'bot.js', [/(res\.(end|write|writeHead)|JSON\.stringify)/, /secret|expected|digest|hmac|WEBHOOK_SECRET/i], [/WEBHOOK_SECRET/]),
    leakChat: at(sub, 'bot.js', [/\btext\s*:|`/, /secret|WEBHOOK_SECRET|expected|digest/i], [/WEBHOOK_SECRET/]),
  };
  const checks: CheckVerdict[] = [];
  const status = obs.filter((o) => o.probe.expect === 'post');
  const others = obs.filter((o) => o.probe.expect === 'quiet');
  const rejects = obs.filter((o) => o.probe.expect === 'reject');
  const alive = obs.find((o) => o.probe.expect === 'alive');
  const first = obs[0];

  // 1. listens
  if (!first || 'error' in first.reply) {
    checks.push(fail('listens', both(`POST /webhook에 응답이 없습니다: ${first ? describe(first.reply, 'ko') : '요청 없음'} (${where.listen}).`, `POST /webhook got no answer: ${first ? describe(first.reply) : 'no request'} (${where.listen}).`)));
  } else if (first.reply.status === 404 || first.reply.status === 405) {
    checks.push(fail('listens', both(`POST /webhook이 HTTP ${first.reply.status}로 답했습니다. 경로가 /webhook인가요? (${where.listen})`, `POST /webhook answered HTTP ${first.reply.status}: is the route /webhook? (${where.listen})`)));
  } else checks.push(pass('listens', 1));

  // 2. signature
  const badValid = [...status, ...others].filter((o) => !ok2xx(o.reply));
  const rejectPart = (ids: string[], extra?: { ok: boolean; message: Msg }) => {
    const os = rejects.filter((o) => ids.includes(o.probe.id));
    const wrong = os.find((o) => 'error' in o.reply || o.reply.status !== 401 || o.posts.length > 0);
    if (!wrong) return extra ?? { ok: true, message: '' };
    const posted = wrong.posts.length > 0;
    return {
      ok: false,
      message: both(
        `${lbl(wrong.probe.label, 'ko')}: 응답 ${describe(wrong.reply, 'ko')}${posted ? ', 게다가 채팅 메시지까지 보냈습니다' : ''} (401이어야 합니다; ${where.sigHeader}).`,
        `Sent ${lbl(wrong.probe.label, 'en')}: got ${describe(wrong.reply)}${posted ? ', and a chat message was posted anyway' : ''} (expected 401; ${where.sigHeader}).`,
      ),
    };
  };
  const usesTimingSafe = sub.paths().some((f) => f.endsWith('.js') && /timingSafeEqual\s*\(/.test(sub.text(f) ?? ''));
  checks.push(
    partial('signature', 3, [
      {
        ok: badValid.length === 0,
        message: badValid.length
          ? both(`올바르게 서명된 ${lbl(badValid[0]!.probe.label, 'ko')}: 응답 ${describe(badValid[0]!.reply, 'ko')} (2xx여야 합니다). 서명은 받은 그대로의 바이트로 계산했나요? (${where.sigHeader})`, `The correctly signed ${lbl(badValid[0]!.probe.label, 'en')} got ${describe(badValid[0]!.reply)}, not 2xx: is the HMAC computed over the raw bytes as received? (${where.sigHeader})`)
          : '',
      },
      rejectPart(['reject:missing']),
      rejectPart(['reject:wrong-secret']),
      rejectPart(['reject:tampered']),
      rejectPart(
        ['reject:short', 'reject:not-hex', 'reject:sha1-in-256'],
        alive && 'error' in alive.reply
          ? { ok: false, message: both(`잘못된 형식의 서명들을 받은 뒤 올바르게 서명된 ping에 응답이 없습니다: ${describe(alive.reply, 'ko')} (${where.compare}).`, `After the malformed signatures, a correctly signed ping got no answer: ${describe(alive.reply)} (${where.compare}).`) }
          : undefined,
      ),
      {
        ok: usesTimingSafe,
        message: both(`${where.compare}: 서명을 crypto.timingSafeEqual로 비교하지 않습니다. ===는 처음 다른 글자에서 멈추므로 걸린 시간이 정답을 알려 줍니다.`, `${where.compare}: the signature is not compared with crypto.timingSafeEqual; === stops at the first differing character, so its timing leaks the right answer.`),
      },
    ]),
  );

  // 3. posts-message
  const statusWithPosts = status.filter((o) => o.posts.length > 0);
  const anyDeploymentMessage = statusWithPosts.length > 0;
  {
    const missing = status.filter((o) => o.posts.length === 0);
    const dup = status.find((o) => o.posts.length > 1);
    const bad = status.flatMap((o) => o.posts.map((p) => ({ o, p }))).find(({ p }) => p.method !== 'POST' || p.path !== chatPath || !/^application\/json\b/i.test(p.contentType.trim()) || p.text === null || p.text.trim() === '');
    const badWhy = (p: ChatPost): Msg =>
      p.method !== 'POST'
        ? both(`${p.method} 요청이었습니다 (POST여야 합니다)`, `it was a ${p.method} request, not POST`)
        : p.path !== chatPath
          ? both(`CHAT_WEBHOOK_URL이 아닌 경로 ${clip(p.path, 60)}로 보냈습니다`, `it went to ${clip(p.path, 60)}, not the path of CHAT_WEBHOOK_URL`)
          : !/^application\/json\b/i.test(p.contentType.trim())
            ? both(`Content-Type이 application/json이 아닙니다 (${clip(p.contentType, 60)})`, `its Content-Type is not application/json (${clip(p.contentType, 60)})`)
            : both(`본문이 "text" 문자열을 가진 JSON 객체가 아닙니다: ${clip(p.raw)}`, `its body is not a JSON object with a "text" string: ${clip(p.raw)}`);
    if (!anyDeploymentMessage) {
      checks.push(
        fail('posts-message', both(`deployment_status 이벤트 ${status.length}개 중 어느 것에도 채팅 메시지가 오지 않았습니다. CHAT_WEBHOOK_URL로 POST하나요? (${where.post})`, `None of the ${status.length} deployment_status events produced a chat message. Does the bot POST to CHAT_WEBHOOK_URL? (${where.post})`)),
      );
    } else checks.push(
      partial('posts-message', 2, [
        {
          ok: missing.length === 0,
          message: missing.length
            ? both(`${missing.map((o) => lbl(o.probe.label, 'ko')).join(', ')}에 대한 채팅 메시지가 오지 않았습니다 (${where.post}).`, `No chat message arrived for ${missing.map((o) => lbl(o.probe.label, 'en')).join(', ')} (${where.post}).`)
            : '',
        },
        {
          ok: !dup,
          message: dup ? both(`${lbl(dup.probe.label, 'ko')} 하나에 메시지가 ${dup.posts.length}개 왔습니다 (${where.post}).`, `${lbl(dup.probe.label, 'en')} produced ${dup.posts.length} messages, not one (${where.post}).`) : '',
        },
        {
          ok: anyDeploymentMessage && !bad,
          message: bad
            ? both(`${lbl(bad.o.probe.label, 'ko')}의 메시지: ${lbl(badWhy(bad.p), 'ko')} (${where.post}).`, `The message for ${lbl(bad.o.probe.label, 'en')}: ${lbl(badWhy(bad.p), 'en')} (${where.post}).`)
            : both(`메시지가 하나도 없어 형식을 확인할 수 없습니다 (${where.post}).`, `No message arrived, so its format cannot be checked (${where.post}).`),
        },
      ]),
    );
  }

  // 4. message-content
  {
    const msgs = statusWithPosts.map((o) => ({ o, s: o.posts[0]!.strings, w: o.probe.want! }));
    if (msgs.length === 0) {
      checks.push(fail('message-content', both(`deployment_status에 대한 채팅 메시지가 하나도 없어 내용을 확인할 수 없습니다 (${where.post}).`, `No chat message arrived for any deployment_status, so there is nothing to read (${where.post}).`)));
    } else {
      const quoted = new Set<Observation>();
      const field = (name: Msg, has: (s: string, w: NonNullable<Probe['want']>) => boolean, value: (w: NonNullable<Probe['want']>) => string) => {
        const miss = msgs.find((m) => !has(m.s, m.w));
        if (!miss) return { ok: true, message: '' };
        // Quote a message only the first time it is named.
        const quote = quoted.has(miss.o) ? '' : `: ${clip(miss.s)}`;
        quoted.add(miss.o);
        return {
          ok: false,
          message: both(
            `${lbl(miss.o.probe.label, 'ko')}의 메시지에 ${lbl(name, 'ko')} ${clip(value(miss.w), 100)}이(가) 없습니다${quote} (${where.text}).`,
            `The message for ${lbl(miss.o.probe.label, 'en')} does not name the ${lbl(name, 'en')} ${clip(value(miss.w), 100)}${quote} (${where.text}).`,
          ),
        };
      };
      const word = (s: string, w: string) => new RegExp(`(^|[^a-z0-9_])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^a-z0-9_])`, 'i').test(s);
      checks.push(
        partial('message-content', 3, [
          field(both('저장소 전체 이름', 'repository'), (s, w) => s.includes(w.repo), (w) => w.repo),
          field(both('환경', 'environment'), (s, w) => word(s, w.env), (w) => w.env),
          field(both('상태', 'state'), (s, w) => word(s, w.state), (w) => w.state),
          field(both('링크(target_url)', 'target URL'), (s, w) => s.includes(w.url), (w) => w.url),
        ]),
      );
    }
  }

  // 5. failure-format
  {
    const byState = (st: string) => status.find((o) => o.probe.want?.state === st);
    const marked = (o: Observation | undefined) => Boolean(o && o.posts[0] && FAILURE_MARK.test(o.posts[0].strings));
    const part = (st: string, shouldMark: boolean) => {
      const o = byState(st);
      if (!o || o.posts.length === 0) return { ok: false, message: both(`${st} 상태에 대한 메시지가 없습니다 (${where.post}).`, `There is no message for the ${st} state (${where.post}).`) };
      const m = marked(o);
      return {
        ok: m === shouldMark,
        message: shouldMark
          ? both(`${st} 메시지에 실패 표시(:x:, ❌, 🚨, :rotating_light:, FAILED)가 없습니다: ${clip(o.posts[0]!.strings)} (${where.failure}).`, `The ${st} message carries no failure mark (:x:, ❌, 🚨, :rotating_light:, FAILED): ${clip(o.posts[0]!.strings)} (${where.failure}).`)
          : both(`${st} 메시지에도 실패 표시가 있어 실패와 구별되지 않습니다: ${clip(o.posts[0]!.strings)} (${where.failure}).`, `The ${st} message carries a failure mark too, so failures do not stand out: ${clip(o.posts[0]!.strings)} (${where.failure}).`),
      };
    };
    const a = part('success', false);
    const b = part('in_progress', false);
    checks.push(partial('failure-format', 2, [part('failure', true), part('error', true), { ok: a.ok && b.ok, message: !a.ok ? a.message : b.message }]));
  }

  // 6. ignores-other-events
  if (!anyDeploymentMessage) {
    checks.push(fail('ignores-other-events', both(`봇이 deployment_status에도 메시지를 보내지 않아, 다른 이벤트를 골라서 무시하는지 판단할 수 없습니다 (${where.post}).`, `The bot posts nothing even for deployment_status, so whether it tells other events apart cannot be judged (${where.post}).`)));
  } else {
    const aliveObs = alive ? [alive] : [];
    checks.push(
      partial(
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
                ? both(`${lbl(o.probe.label, 'ko')}에도 채팅 메시지를 보냈습니다: ${clip(posts[0]!.strings)} (${where.event}).`, `A chat message was posted for ${lbl(o.probe.label, 'en')}: ${clip(posts[0]!.strings)} (${where.event}).`)
                : both(`${lbl(o.probe.label, 'ko')}: 응답 ${describe(o.reply, 'ko')} (2xx여야 GitHub이 실패한 전달로 기록하지 않습니다; ${where.event}).`, `Sent ${lbl(o.probe.label, 'en')}: got ${describe(o.reply)}; answer 2xx so GitHub does not record a failed delivery (${where.event}).`),
          };
        }),
      ),
    );
  }

  // 7. no-secret-leak
  if (!anyDeploymentMessage) {
    checks.push(fail('no-secret-leak', both(`봇이 채팅 메시지를 하나도 보내지 않아 이 항목을 판단할 수 없습니다 (${where.post}).`, `The bot posted no chat message at all, so this cannot be judged yet (${where.post}).`)));
  } else {
    const secrets = [cfg.secret.toLowerCase()];
    // The right signature for a request the bot refused: handing it out lets anyone forge that request.
    const forged = rejects.map((o) => hmac('sha256', cfg.secret, o.probe.body));
    const leakIn = (s: string): 'secret' | 'signature' | null => {
      const low = s.toLowerCase();
      if (secrets.some((x) => low.includes(x))) return 'secret';
      if (forged.some((x) => low.includes(x))) return 'signature';
      return null;
    };
    const replyLeak = obs.map((o) => ({ o, kind: 'error' in o.reply ? null : leakIn(o.reply.headerText + '\n' + o.reply.body) })).find((x) => x.kind);
    const allPosts = chat.posts;
    const chatLeak = allPosts.map((p) => ({ p, kind: leakIn(`${p.path}\n${p.headerText}\n${p.raw}`) })).find((x) => x.kind);
    const what = (k: 'secret' | 'signature'): Msg => (k === 'secret' ? both('WEBHOOK_SECRET 값', 'the value of WEBHOOK_SECRET') : both('그 요청에 맞는 올바른 서명', 'the correct signature for that request'));
    checks.push(
      partial('no-secret-leak', 2, [
        {
          ok: !replyLeak,
          message: replyLeak
            ? both(`${lbl(replyLeak.o.probe.label, 'ko')}에 대한 HTTP 응답에 ${lbl(what(replyLeak.kind!), 'ko')}이(가) 들어 있습니다 (${where.leakReply}).`, `The HTTP answer to ${lbl(replyLeak.o.probe.label, 'en')} contains ${lbl(what(replyLeak.kind!), 'en')} (${where.leakReply}).`)
            : '',
        },
        {
          ok: !chatLeak,
          message: chatLeak ? both(`채팅 메시지에 ${lbl(what(chatLeak.kind!), 'ko')}이(가) 들어 있습니다 (${where.leakChat}).`, `A chat message contains ${lbl(what(chatLeak.kind!), 'en')} (${where.leakChat}).`) : '',
        },
      ]),
    );
  }
  return checks;
}

const CHECK_IDS = ['listens', 'signature', 'posts-message', 'message-content', 'failure-format', 'ignores-other-events', 'no-secret-leak'];

export async function grade(sub: Submission, cfg: Config, ctx?: GradeContext): Promise<GraderVerdict> {
  checkSource(sub);
  const probes = buildProbes(cfg.dataDir, cfg.secret);
  const chatUrl = new URL(cfg.chatUrl);
  const chat = new FakeChat(chatUrl.pathname);
  await chat.listen(chatUrl.hostname, Number(chatUrl.port || 80));
  try {
    const up = await waitForPort(cfg.subjectUrl, cfg.startupMs ?? 6000);
    if (!up) {
      const where = findLine(sub, /\.listen\s*\(/) ?? 'bot.js';
      const port = new URL(cfg.subjectUrl).port;
      const msg = both(
        `${Math.round((cfg.startupMs ?? 6000) / 1000)}초 안에 포트 ${port}에서 아무것도 응답하지 않았습니다. process.env.PORT로 listen하나요? 시작하자마자 종료되지는 않나요? (${where})`,
        `Nothing listened on port ${port} within ${Math.round((cfg.startupMs ?? 6000) / 1000)} s. Does the bot listen on process.env.PORT, and does it keep running? (${where})`,
      );
      return { gradable: true, checks: CHECK_IDS.map((id) => fail(id, msg)) };
    }
    const obs = await runProbes(cfg, probes, chat);
    const checks = judge(sub, cfg, obs, chat);
    for (const c of checks) ctx?.progress(c);
    return { gradable: true, checks };
  } finally {
    chat.close();
  }
}
