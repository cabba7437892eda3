/**
 * What the preload (grader/preload.js, loaded into the bot as .lms/harness.js) recorded, and the judgements made from
 * it: whether a refused signature went through a constant-time comparison of the right bytes, and whether a secret
 * shows up in what the bot printed, answered or posted. The record comes from the learner's process, so it is read as
 * untrusted input: every field is checked and capped.
 */
import crypto from 'node:crypto';
import net from 'node:net';

export interface ArgDigest {
  len?: number;
  sha256?: string;
}

export interface CompareCall {
  kind: 'timingSafeEqual' | 'subtle.verify';
  delivery: string;
  at: string | null;
  args: ArgDigest[];
  algorithm?: string;
}

export interface ListenCall {
  port: number;
  at: string | null;
  moved: boolean;
}

export interface Trace {
  compares: CompareCall[];
  listens: ListenCall[];
  /** What the bot wrote on stdout and stderr (the first 192 KiB and the last 64 KiB). */
  out: string;
  /** For writes within the first 192 KiB: [offset in `out`, the learner's line that wrote it]. */
  outAt: [number, string | null][];
  requests: number;
}

/** The abstract Unix socket the preload serves its record on, named after the bot's port. */
export const traceSocket = (port: string | number) => `\0lms-week04-trace-${String(port)}`;

const str = (v: unknown, n: number): string => (typeof v === 'string' ? v.slice(0, n) : '');
const HEX64 = /^[0-9a-f]{64}$/;

/** Checks the shape of a record; null when it is not one. */
export function parseTrace(text: string): Trace | null {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return null;
  }
  if (!doc || typeof doc !== 'object' || (doc as { v?: unknown }).v !== 1) return null;
  const d = doc as Record<string, unknown>;
  const compares: CompareCall[] = [];
  for (const c of Array.isArray(d.compares) ? d.compares.slice(0, 400) : []) {
    if (!c || typeof c !== 'object') continue;
    const x = c as Record<string, unknown>;
    if (x.kind !== 'timingSafeEqual' && x.kind !== 'subtle.verify') continue;
    const args: ArgDigest[] = [];
    let algorithm: string | undefined;
    for (const a of Array.isArray(x.args) ? x.args.slice(0, 3) : []) {
      if (!a || typeof a !== 'object') continue;
      const y = a as Record<string, unknown>;
      if (typeof y.algorithm === 'string') algorithm = y.algorithm.slice(0, 20);
      else
        args.push({ len: typeof y.len === 'number' ? y.len : undefined, sha256: typeof y.sha256 === 'string' && HEX64.test(y.sha256) ? y.sha256 : undefined });
    }
    compares.push({ kind: x.kind, delivery: str(x.delivery, 80), at: typeof x.at === 'string' ? x.at.slice(0, 200) : null, args, algorithm });
  }
  const listens: ListenCall[] = [];
  for (const l of Array.isArray(d.listens) ? d.listens.slice(0, 20) : []) {
    if (!l || typeof l !== 'object') continue;
    const x = l as Record<string, unknown>;
    if (typeof x.port !== 'number' || !Number.isInteger(x.port)) continue;
    listens.push({ port: x.port, at: typeof x.at === 'string' ? x.at.slice(0, 200) : null, moved: x.moved === true });
  }
  const outAt: [number, string | null][] = [];
  for (const e of Array.isArray(d.outAt) ? d.outAt.slice(0, 500) : []) {
    if (Array.isArray(e) && typeof e[0] === 'number') outAt.push([e[0], typeof e[1] === 'string' ? e[1].slice(0, 200) : null]);
  }
  return {
    compares,
    listens,
    out: str(d.out, 256 * 1024) + '\n' + str(d.outTail, 64 * 1024),
    outAt,
    requests: typeof d.requests === 'number' ? d.requests : 0,
  };
}

/** The learner's line that wrote the output at `index` of `trace.out`, when the preload saw it. */
export function writerAt(trace: Trace, index: number): string | null {
  let at: string | null = null;
  for (const [offset, where] of trace.outAt) {
    if (offset > index) break;
    at = where;
  }
  return at;
}

/** Reads the record over the abstract socket; null when nothing answers (the bot exited, or the preload did not load). */
export function readTrace(socketName: string, timeoutMs = 1500): Promise<Trace | null> {
  return new Promise((resolve) => {
    let done = false;
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (t: Trace | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      s.destroy();
      resolve(t);
    };
    const s = net.connect(socketName);
    const timer = setTimeout(() => finish(null), timeoutMs);
    s.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 2 * 1024 * 1024) finish(null);
      else chunks.push(c);
    });
    s.on('end', () => finish(parseTrace(Buffer.concat(chunks).toString('utf8'))));
    s.on('error', () => finish(null));
    s.on('close', () => finish(chunks.length ? parseTrace(Buffer.concat(chunks).toString('utf8')) : null));
  });
}

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

/**
 * The byte strings a correct comparison of `header` (the X-Hub-Signature-256 the grader sent) against the HMAC of the
 * body could put side by side: raw digests, hex (either case), with or without "sha256=", base64, UTF-16. Each pair is
 * [sha256 of the expected side, sha256 of the received side].
 */
export function comparablePairs(secret: string, body: Buffer, header: string): [string, string][] {
  const expected = crypto.createHmac('sha256', secret).update(body).digest();
  const hex = header.startsWith('sha256=') ? header.slice(7) : header;
  const received = /^[0-9a-fA-F]*$/.test(hex) && hex.length % 2 === 0 ? Buffer.from(hex, 'hex') : Buffer.alloc(0);
  const forms: ((d: Buffer) => Buffer)[] = [
    (d) => d,
    (d) => Buffer.from(d.toString('hex')),
    (d) => Buffer.from(d.toString('hex').toUpperCase()),
    (d) => Buffer.from(`sha256=${d.toString('hex')}`),
    (d) => Buffer.from(`SHA256=${d.toString('hex').toUpperCase()}`),
    (d) => Buffer.from(d.toString('base64')),
    (d) => Buffer.from(d.toString('hex'), 'utf16le'),
    (d) => Buffer.from(`sha256=${d.toString('hex')}`, 'utf16le'),
  ];
  const receivedForms: Buffer[] = [
    received,
    Buffer.from(hex),
    Buffer.from(hex.toUpperCase()),
    Buffer.from(header),
    Buffer.from(header.toUpperCase()),
    Buffer.from(received.toString('base64')),
    Buffer.from(hex, 'utf16le'),
    Buffer.from(header, 'utf16le'),
  ];
  return forms.map((f, i) => [sha(f(expected)), sha(receivedForms[i]!)]);
}

export type CompareVerdict =
  | { ok: true; by: CompareCall }
  | { ok: false; why: 'no-call'; calls: CompareCall[] }
  | { ok: false; why: 'wrong-bytes'; calls: CompareCall[] };

/**
 * Whether, while handling the delivery `delivery`, the bot compared the signature it received with the HMAC of the
 * body through crypto.timingSafeEqual or checked it with crypto.subtle.verify (HMAC over the body bytes).
 */
export function judgeCompare(trace: Trace, delivery: string, secret: string, body: Buffer, header: string): CompareVerdict {
  const calls = trace.compares.filter((c) => c.delivery === delivery);
  if (calls.length === 0) return { ok: false, why: 'no-call', calls };
  const pairs = comparablePairs(secret, body, header);
  const hex = header.startsWith('sha256=') ? header.slice(7) : header;
  const rawReceived = sha(/^[0-9a-fA-F]*$/.test(hex) && hex.length % 2 === 0 ? Buffer.from(hex, 'hex') : Buffer.alloc(0));
  const bodyHash = sha(body);
  for (const c of calls) {
    const [a, b] = [c.args[0]?.sha256, c.args[1]?.sha256];
    if (!a || !b) continue;
    if (c.kind === 'timingSafeEqual' && pairs.some(([e, r]) => (a === e && b === r) || (a === r && b === e))) return { ok: true, by: c };
    if (c.kind === 'subtle.verify' && /^hmac$/i.test(c.algorithm ?? '') && a === rawReceived && b === bodyHash) return { ok: true, by: c };
  }
  return { ok: false, why: 'wrong-bytes', calls };
}

// ---------------------------------------------------------------------------------------------------------------
// Secrets in text.

export interface SecretSet {
  /** WEBHOOK_SECRET. */
  secret: string;
  /** The credential part of CHAT_WEBHOOK_URL (its path: whoever has it can post to the channel). */
  chatPath: string;
  /** Correct X-Hub-Signature-256 values (hex) for requests the bot must refuse: a forger's answer. */
  forged: string[];
}

export type LeakKind = 'secret' | 'chat-url' | 'signature';

/** The forms of the webhook secret that count as revealing it. */
function secretForms(secret: string): { text: string; caseless: boolean }[] {
  const b = Buffer.from(secret, 'utf8');
  const forms = [
    { text: secret, caseless: true },
    { text: b.toString('base64').replace(/=+$/, ''), caseless: false },
    { text: b.toString('base64url'), caseless: false },
    { text: b.toString('hex'), caseless: true },
  ];
  // Any 16 consecutive characters of it: a secret printed half-masked is still mostly printed.
  if (secret.length > 16) for (let i = 0; i + 16 <= secret.length; i++) forms.push({ text: secret.slice(i, i + 16), caseless: true });
  return forms.filter((f) => f.text.length >= 8);
}

/**
 * Which secret `text` reveals, if any. `signatures` says whether a forger's signature counts (in answers and chat
 * messages it does; in the bot's own logs it is poor practice but not graded).
 */
export function findLeak(text: string, set: SecretSet, signatures: boolean): LeakKind | null {
  return locateLeak(text, set, signatures)?.kind ?? null;
}

/** Like findLeak, with where in `text` the first form found starts. */
export function locateLeak(text: string, set: SecretSet, signatures: boolean): { kind: LeakKind; index: number } | null {
  if (!text) return null;
  const low = text.toLowerCase();
  for (const f of secretForms(set.secret)) {
    const i = f.caseless ? low.indexOf(f.text.toLowerCase()) : text.indexOf(f.text);
    if (i >= 0) return { kind: 'secret', index: i };
  }
  const token = set.chatPath.split('/').filter(Boolean).pop() ?? '';
  if (token.length >= 12 && text.includes(token)) return { kind: 'chat-url', index: text.indexOf(token) };
  if (signatures) {
    for (const h of set.forged) {
      for (let i = 0; i + 16 <= h.length; i += 4) {
        const j = low.indexOf(h.slice(i, i + 16));
        if (j >= 0) return { kind: 'signature', index: j };
      }
      const b64 = Buffer.from(h, 'hex').toString('base64').replace(/=+$/, '');
      if (text.includes(b64)) return { kind: 'signature', index: text.indexOf(b64) };
    }
  }
  return null;
}

/** Every string inside a JSON text (so an escaped secret is found too), or the text itself when it is not JSON. */
export function readableForms(text: string): string {
  if (!text) return '';
  try {
    const strings: string[] = [];
    const walk = (v: unknown, depth: number) => {
      if (depth > 20 || strings.length > 2000) return;
      if (typeof v === 'string') strings.push(v);
      else if (Array.isArray(v)) for (const x of v) walk(x, depth + 1);
      else if (v && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) {
          strings.push(k);
          walk(x, depth + 1);
        }
    };
    walk(JSON.parse(text), 0);
    return `${text}\n${strings.join('\n')}`;
  } catch {
    return text;
  }
}
