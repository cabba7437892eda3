/**
 * The engine's end of the agent protocol (agent/protocol.ts): the attach stream of a workspace's PID 1, read as
 * hostile input. Lines longer than MAX_LINE_BYTES are dropped whole; each message is checked for its shape before
 * anything reads a field; a request waiting for an ack gives up after its timeout.
 */
import { EventEmitter } from 'node:events';
import { PassThrough, type Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { MAX_LINE_BYTES, type FromAgent, type ToAgent, type WireFile } from './agent/protocol';

const isStr = (v: unknown, max = 4096): v is string => typeof v === 'string' && v.length <= max;
const isWire = (v: unknown): v is WireFile => !!v && typeof v === 'object' && isStr((v as WireFile).path, 300) && isStr((v as WireFile).b64, MAX_LINE_BYTES);
const isRefused = (v: unknown) => !!v && typeof v === 'object' && isStr((v as { path: string }).path, 300) && isStr((v as { why: string }).why, 300);
const isArr = <T>(v: unknown, each: (x: unknown) => boolean, max: number): v is T[] => Array.isArray(v) && v.length <= max && v.every(each);

/** The message if it has a known shape, else null. */
export function parseAgentMessage(line: string): FromAgent | null {
  let m: unknown;
  try {
    m = JSON.parse(line);
  } catch {
    return null;
  }
  if (!m || typeof m !== 'object') return null;
  const o = m as Record<string, unknown>;
  switch (o.t) {
    case 'ready':
      return typeof o.version === 'number' &&
        isArr(o.tools, (x) => !!x && typeof x === 'object' && isStr((x as { name: string }).name, 40) && isStr((x as { version: string }).version, 200), 50)
        ? { t: 'ready', version: o.version, tools: (o.tools as { name: string; version: string }[]).map((x) => ({ name: x.name, version: x.version })) }
        : null;
    case 'ack':
      return Number.isSafeInteger(o.seq)
        ? { t: 'ack', seq: o.seq as number, ...(isArr<string>(o.errors, (x) => isStr(x, 500), 50) ? { errors: o.errors } : {}) }
        : null;
    case 'state':
    case 'changed': {
      if (!isArr<WireFile>(o.files, isWire, 500) || !isArr(o.refused, isRefused, 500)) return null;
      const files = o.files.map((f) => ({ path: f.path, b64: f.b64 }));
      const refused = (o.refused as { path: string; why: string }[]).map((r) => ({ path: r.path, why: r.why }));
      if (o.t === 'state') {
        const tools = isArr<{ name: string; version: string }>(
          o.tools,
          (x) => !!x && typeof x === 'object' && isStr((x as { name: string }).name, 40) && isStr((x as { version: string }).version, 200),
          50,
        )
          ? o.tools.map((x) => ({ name: x.name, version: x.version }))
          : [];
        return Number.isSafeInteger(o.seq) ? { t: 'state', seq: o.seq as number, files, refused, tools } : null;
      }
      return isArr<string>(o.deleted, (x) => isStr(x, 300), 500) ? { t: 'changed', files, deleted: [...o.deleted], refused } : null;
    }
    case 'req':
      return Number.isSafeInteger(o.req) &&
        ['check', 'files', 'step', 'steps', 'submit', 'help'].includes(o.cmd as string) &&
        isArr<string>(o.args, (x) => isStr(x, 200), 20)
        ? { t: 'req', req: o.req as number, cmd: o.cmd as 'check', args: [...o.args] }
        : null;
    default:
      return null;
  }
}

/** The messages the agent acks, without their sequence number (Omit distributed over the union). */
type Acked = Extract<ToAgent, { seq: number }> extends infer U ? (U extends unknown ? Omit<U, 'seq'> : never) : never;

export class AgentLink extends EventEmitter {
  private seq = 1;
  private waiting = new Map<number, (m: FromAgent | null) => void>();
  private parts: Buffer[] = [];
  private size = 0;
  private dropping = false;
  closed = false;
  readonly ended: Promise<void>;

  constructor(private stream: Duplex) {
    super();
    this.ended = new Promise((resolve) => {
      const end = () => {
        if (this.closed) return;
        this.closed = true;
        for (const w of this.waiting.values()) w(null);
        this.waiting.clear();
        this.emit('close');
        resolve();
      };
      stream.on('end', end);
      stream.on('close', end);
      stream.on('error', end);
    });
  }

  /** Attaches to a running workspace's PID 1 (stdin, stdout and stderr; stderr goes to the log). */
  static async attach(docker: Docker, container: Docker.Container, onStderr: (line: string) => void = () => {}): Promise<AgentLink> {
    const stream = (await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true })) as unknown as Duplex;
    const out = new PassThrough();
    const err = new PassThrough();
    docker.modem.demuxStream(stream, out, err);
    err.on('data', (c: Buffer) => onStderr(c.toString('utf8').slice(0, 2000)));
    const link = new AgentLink(stream);
    out.on('data', (c: Buffer) => link.feed(c));
    return link;
  }

  /** Splits the agent's output into lines (bounded) and dispatches each known message. */
  feed(chunk: Buffer): void {
    let start = 0;
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) {
      const piece = chunk.subarray(start, i);
      start = i + 1;
      if (this.dropping || this.size + piece.length > MAX_LINE_BYTES) {
        this.parts = [];
        this.size = 0;
        this.dropping = false;
        this.emit('bad', 'line too long');
        continue;
      }
      this.parts.push(piece);
      const line = Buffer.concat(this.parts).toString('utf8');
      this.parts = [];
      this.size = 0;
      if (!line.trim()) continue;
      const m = parseAgentMessage(line);
      if (!m) {
        this.emit('bad', line.slice(0, 200));
        continue;
      }
      if ((m.t === 'ack' || m.t === 'state') && this.waiting.has(m.seq)) {
        const w = this.waiting.get(m.seq)!;
        this.waiting.delete(m.seq);
        w(m);
      }
      this.emit('message', m);
    }
    const rest = chunk.subarray(start);
    if (!rest.length) return;
    if (this.dropping || this.size + rest.length > MAX_LINE_BYTES) {
      this.parts = [];
      this.size = 0;
      this.dropping = true;
      return;
    }
    this.parts.push(rest);
    this.size += rest.length;
  }

  send(m: ToAgent): void {
    if (this.closed) return;
    this.stream.write(JSON.stringify(m) + '\n');
  }

  /** Sends a message that the agent acks (put, flush, hello) and waits for the answer (null: timeout or closed). */
  request(m: Acked, timeoutMs = 5000): Promise<FromAgent | null> {
    const seq = this.seq++;
    return new Promise((resolve) => {
      if (this.closed) return resolve(null);
      const timer = setTimeout(() => {
        this.waiting.delete(seq);
        resolve(null);
      }, timeoutMs);
      timer.unref?.();
      this.waiting.set(seq, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      this.send({ ...m, seq } as ToAgent);
    });
  }

  close(): void {
    this.stream.destroy();
  }
}
