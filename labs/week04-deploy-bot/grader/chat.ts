/**
 * The fake chat server: answers like a Slack incoming webhook ("ok", "invalid_payload", "no_text", "no_service") and
 * keeps what arrives. It shares a loopback-only network namespace with the learner's program, so it must survive
 * anything that program does: floods, half-sent requests, never-ending bodies, garbage instead of HTTP.
 */
import http from 'node:http';

export interface ChatPost {
  /** The probe in flight when it arrived (-1 before the first and after the last). */
  probe: number;
  at: number;
  method: string;
  path: string;
  /** The query string, if any (without "?"). */
  query: string;
  contentType: string;
  headerText: string;
  raw: string;
  /** Every string in the JSON body joined (text, blocks, attachments), Slack's &amp; &lt; &gt; undone. */
  strings: string;
  /** What Slack would make of the body: a message, Discord's shape, or something else. */
  shape: 'slack' | 'discord' | 'not-json' | 'other';
  /** The top-level "text", when it is a string. */
  text: string | null;
  /** Colours of Slack's (legacy) attachments, as given. */
  colors: string[];
  /** What the fake chat answered. */
  status: number;
}

const MAX_POSTS = 120;
const MAX_POST_BYTES = 64 * 1024;

export function collectStrings(v: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 20 || out.length > 500) return out;
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v.slice(0, 200)) collectStrings(x, out, depth + 1);
  else if (v && typeof v === 'object') for (const x of Object.values(v).slice(0, 200)) collectStrings(x, out, depth + 1);
  return out;
}

/** Slack accepts a JSON object with a non-empty "text", or "blocks", or (legacy) "attachments". */
export function slackShape(json: unknown): ChatPost['shape'] {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return 'other';
  const o = json as Record<string, unknown>;
  const nonEmptyArray = (v: unknown) => Array.isArray(v) && v.length > 0;
  if ((typeof o.text === 'string' && o.text.trim() !== '') || nonEmptyArray(o.blocks) || nonEmptyArray(o.attachments)) return 'slack';
  if (typeof o.content === 'string' || nonEmptyArray(o.embeds)) return 'discord';
  return 'other';
}

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
      res.on('error', () => {});
      req.on('end', () => {
        const post = this.record(req, Buffer.concat(chunks).toString('utf8'), over);
        res.writeHead(post.status, { 'content-type': 'text/html' });
        res.end(post.status === 200 ? 'ok' : post.status === 404 ? 'no_service' : post.shape === 'not-json' ? 'invalid_payload' : 'no_text');
      });
    });
    // A program can open connections and never finish a request, or flood them: bound both.
    this.server.maxConnections = 64;
    this.server.headersTimeout = 4000;
    this.server.requestTimeout = 8000;
    this.server.on('clientError', (_e, socket) => socket.destroy());
    this.server.on('connection', (socket) => socket.on('error', () => {}));
  }

  private record(req: http.IncomingMessage, raw: string, over: boolean): ChatPost {
    let json: unknown = undefined;
    let parsed = false;
    if (!over) {
      try {
        json = JSON.parse(raw);
        parsed = true;
      } catch {
        parsed = false;
      }
    }
    const shape = parsed ? slackShape(json) : 'not-json';
    const strings = collectStrings(json).join('\n').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    const o = json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
    const colors = Array.isArray(o.attachments)
      ? o.attachments
          .slice(0, 20)
          .map((a: unknown) =>
            a && typeof a === 'object' && typeof (a as { color?: unknown }).color === 'string' ? String((a as { color: string }).color).slice(0, 40) : '',
          )
          .filter(Boolean)
      : [];
    const [path = '', ...rest] = (req.url ?? '').slice(0, 4000).split('?');
    const post: ChatPost = {
      probe: this.probe,
      at: Date.now(),
      method: req.method ?? '',
      path,
      query: rest.join('?'),
      contentType: String(req.headers['content-type'] ?? '').slice(0, 200),
      headerText: Object.entries(req.headers)
        .map(([k, v]) => `${k}: ${String(v)}`)
        .join('\n')
        .slice(0, 8192),
      raw: over ? raw + '…' : raw,
      strings,
      shape,
      text: typeof o.text === 'string' ? o.text : null,
      colors,
      status:
        path !== this.expectedPath ? 404 : shape === 'slack' && /^application\/json\b/i.test(String(req.headers['content-type'] ?? '').trim()) ? 200 : 400,
    };
    if (this.posts.length < MAX_POSTS) this.posts.push(post);
    else this.dropped++;
    for (const w of this.waiters.splice(0)) w();
    return post;
  }

  /** 'in-use' when something else (the learner's program) already listens there; other errors reject. */
  listen(host: string, port: number): Promise<'ok' | 'in-use'> {
    return new Promise((resolve, reject) => {
      const onError = (e: NodeJS.ErrnoException) => (e.code === 'EADDRINUSE' ? resolve('in-use') : reject(e));
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        // From now on an error (a refused accept() when descriptors run out, say) must not end the grader.
        this.server.on('error', () => {});
        resolve('ok');
      });
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
