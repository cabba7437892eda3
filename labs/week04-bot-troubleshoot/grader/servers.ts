/**
 * The two services the bot talks to, faked on loopback in the network namespace it shares with the grader: a
 * Slack-style incoming webhook for #shop-deploys (CHAT_WEBHOOK_URL) and GitHub's REST API for workflow_dispatch
 * (GITHUB_API_URL). Both keep what arrives and survive whatever the learner's program sends them.
 */
import http from 'node:http';

const MAX_BODY = 64 * 1024;
const MAX_KEPT = 200;

export interface Arrival {
  at: number;
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
}

/** Every string in a JSON value, joined: what a reader of the channel sees (text, blocks, attachments). */
export function collectStrings(v: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 20 || out.length > 500) return out;
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v.slice(0, 200)) collectStrings(x, out, depth + 1);
  else if (v && typeof v === 'object') for (const x of Object.values(v).slice(0, 200)) collectStrings(x, out, depth + 1);
  return out;
}

abstract class Recorder {
  arrivals: Arrival[] = [];
  protected server: http.Server;

  constructor() {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= MAX_BODY) chunks.push(c);
      });
      req.on('error', () => {});
      res.on('error', () => {});
      req.on('end', () => {
        const a: Arrival = {
          at: Date.now(),
          method: req.method ?? '',
          path: (req.url ?? '').slice(0, 2000),
          headers: req.headers,
          raw: Buffer.concat(chunks).toString('utf8'),
        };
        if (this.arrivals.length < MAX_KEPT) this.arrivals.push(a);
        this.answer(a, res);
      });
    });
    this.server.maxConnections = 64;
    this.server.headersTimeout = 4000;
    this.server.requestTimeout = 8000;
    this.server.on('clientError', (_e, socket) => socket.destroy());
    this.server.on('connection', (socket) => socket.on('error', () => {}));
  }

  protected abstract answer(a: Arrival, res: http.ServerResponse): void;

  /** 'in-use' when something else (the learner's program) already listens there; other errors reject. */
  listen(host: string, port: number): Promise<'ok' | 'in-use'> {
    return new Promise((resolve, reject) => {
      const onError = (e: NodeJS.ErrnoException) => (e.code === 'EADDRINUSE' ? resolve('in-use') : reject(e));
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        this.server.on('error', () => {});
        resolve('ok');
      });
    });
  }

  close(): void {
    this.server.close();
    this.server.closeAllConnections?.();
  }
}

export interface ChatPost extends Arrival {
  /** Every string of the JSON body, Slack's &amp; &lt; &gt; undone; '' when the body is not JSON. */
  strings: string;
  ok: boolean;
}

/** Answers like a Slack incoming webhook: 200 "ok", 400 "invalid_payload"/"no_text", 404 "no_service". */
export class FakeChat extends Recorder {
  constructor(private expectedPath: string) {
    super();
  }

  protected answer(a: Arrival, res: http.ServerResponse): void {
    const p = this.read(a);
    const status = a.path.split('?')[0] !== this.expectedPath ? 404 : p.ok ? 200 : 400;
    res.writeHead(status, { 'content-type': 'text/html' });
    res.end(status === 200 ? 'ok' : status === 404 ? 'no_service' : p.strings ? 'no_text' : 'invalid_payload');
  }

  read(a: Arrival): ChatPost {
    let json: unknown;
    try {
      json = JSON.parse(a.raw);
    } catch {
      return { ...a, strings: '', ok: false };
    }
    const o = json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
    const nonEmpty = (v: unknown) => Array.isArray(v) && v.length > 0;
    const shaped = (typeof o.text === 'string' && o.text.trim() !== '') || nonEmpty(o.blocks) || nonEmpty(o.attachments);
    const strings = collectStrings(json).join('\n').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    return { ...a, strings, ok: shaped && /^application\/json\b/i.test(String(a.headers['content-type'] ?? '')) };
  }

  get posts(): ChatPost[] {
    return this.arrivals.map((a) => this.read(a));
  }
}

export interface Dispatch extends Arrival {
  /** inputs.version of the JSON body, when there is one: the grader gives every command its own version. */
  version: string | null;
  environment: string | null;
  ref: string | null;
}

/** How the fake GitHub answers a dispatch of a version: after `delayMs`, with `status` (204 by default). */
export interface DispatchPlan {
  delayMs?: number;
  status?: number;
}

/** GitHub's POST /repos/{owner}/{repo}/actions/workflows/{workflow}/dispatches: 204 No Content, or as planned. */
export class FakeGitHub extends Recorder {
  plans = new Map<string, DispatchPlan>();
  private timers = new Set<NodeJS.Timeout>();

  protected answer(a: Arrival, res: http.ServerResponse): void {
    const d = FakeGitHub.read(a);
    const plan = (d.version && this.plans.get(d.version)) || {};
    const status = plan.status ?? 204;
    const send = () => {
      if (res.destroyed) return;
      if (status === 204) {
        res.writeHead(204, { 'x-github-api-version-selected': '2022-11-28' });
        res.end();
      } else {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ message: status >= 500 ? 'Server Error' : 'Validation Failed', status: String(status) }));
      }
    };
    if (plan.delayMs) {
      const t = setTimeout(() => {
        this.timers.delete(t);
        send();
      }, plan.delayMs);
      this.timers.add(t);
    } else send();
  }

  static read(a: Arrival): Dispatch {
    const out: Dispatch = { ...a, version: null, environment: null, ref: null };
    try {
      const j = JSON.parse(a.raw) as { ref?: unknown; inputs?: { version?: unknown; environment?: unknown } };
      if (typeof j.ref === 'string') out.ref = j.ref;
      if (typeof j.inputs?.version === 'string') out.version = j.inputs.version;
      if (typeof j.inputs?.environment === 'string') out.environment = j.inputs.environment;
    } catch {
      /* not JSON: attributed to no command */
    }
    return out;
  }

  get dispatches(): Dispatch[] {
    return this.arrivals.map((a) => FakeGitHub.read(a));
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    super.close();
  }
}
