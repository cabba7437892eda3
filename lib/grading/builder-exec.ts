/**
 * Reaching a builder's engine through the host engine's API alone, for workers that do not share a file system with
 * the Docker host (a remote DOCKER_HOST, a worker in a container: docker-compose, Kubernetes). Each connection to the
 * builder's engine is an exec in the builder container running `docker system dial-stdio`, which pipes its stdin and
 * stdout to the engine's socket inside the builder, as docker-modem's ssh transport and buildx's container driver do.
 * Connections are kept alive and reused, so a grading opens a handful of them.
 *
 * Leases in this mode live in the builder itself (a folder made atomically in its /run, with the holder's id and a
 * heartbeat), so every worker that shares the Docker host shares its builders without sharing a disk.
 */
import http from 'node:http';
import { Duplex } from 'node:stream';
import type Docker from 'dockerode';

const DIAL = ['docker', '-H', 'unix:///lms/run/docker.sock', 'system', 'dial-stdio'];

/** One connection: the exec's hijacked stream, stdin written raw, stdout demultiplexed from Docker's 8-byte frames. */
class ExecSocket extends Duplex {
  private raw?: NodeJS.ReadWriteStream & { destroy(): void; end(): void };
  private pending: Buffer = Buffer.alloc(0);
  private timer?: NodeJS.Timeout;
  private idleMs = 0;
  private onIdle?: () => void;
  readonly ready: Promise<void>;
  remoteAddress = 'builder';

  constructor(host: Docker, container: string) {
    super({ allowHalfOpen: false });
    this.ready = (async () => {
      const exec = await host.getContainer(container).exec({ Cmd: DIAL, AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: false });
      const raw = (await exec.start({ hijack: true, stdin: true })) as unknown as NodeJS.ReadWriteStream & { destroy(): void; end(): void };
      this.raw = raw;
      raw.on('data', (c: Buffer) => this.demux(c));
      raw.on('end', () => this.push(null));
      raw.on('close', () => this.push(null));
      raw.on('error', (e: Error) => this.destroy(e));
    })();
  }

  private demux(c: Buffer) {
    this.touch();
    this.pending = this.pending.length ? Buffer.concat([this.pending, c]) : c;
    while (this.pending.length >= 8) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      const type = this.pending[0];
      const payload = this.pending.subarray(8, 8 + size);
      this.pending = this.pending.subarray(8 + size);
      if (type === 1) this.push(payload);
    }
  }

  override _read() {}

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void) {
    this.touch();
    this.ready.then(() => this.raw!.write(chunk, () => cb()), cb);
  }

  override _final(cb: (e?: Error | null) => void) {
    this.ready.then(() => {
      this.raw!.end();
      cb();
    }, cb);
  }

  override _destroy(err: Error | null, cb: (e: Error | null) => void) {
    clearTimeout(this.timer);
    this.ready
      .then(
        () => this.raw?.destroy(),
        () => {},
      )
      .finally(() => cb(err));
  }

  private touch() {
    if (!this.idleMs) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.emit('timeout'), this.idleMs);
  }

  // What Node's http client and agent call on a socket.
  private timeoutCb?: () => void;
  setTimeout(ms: number, cb?: () => void) {
    this.idleMs = ms;
    // One callback at a time: a kept-alive connection is given a new one with every request.
    if (this.timeoutCb) this.removeListener('timeout', this.timeoutCb);
    this.timeoutCb = cb;
    if (cb) this.once('timeout', cb);
    if (!ms) clearTimeout(this.timer);
    else this.touch();
    return this;
  }
  setNoDelay() {
    return this;
  }
  setKeepAlive() {
    return this;
  }
  ref() {
    return this;
  }
  unref() {
    return this;
  }
}

/** An http.Agent whose connections are execs of dial-stdio in the builder container. */
export class BuilderExecAgent extends http.Agent {
  constructor(
    private host: Docker,
    private container: string,
  ) {
    super({ keepAlive: true, maxSockets: 16, maxFreeSockets: 4, timeout: 120_000 });
  }

  override createConnection(_opts: unknown, cb?: (err: Error | null, socket: Duplex) => void): Duplex {
    const s = new ExecSocket(this.host, this.container);
    s.ready.then(
      () => cb?.(null, s),
      (e: Error) => cb?.(e, s),
    );
    return undefined as unknown as Duplex;
  }
}

const LEASE_DIR = '/run/lms-lease';
/** A lease whose holder has not renewed it for this long is taken as abandoned (its worker is gone). */
const EXEC_LEASE_STALE_S = 90;

const LEASE_SCRIPT = `d=${LEASE_DIR}; owner="$2"
case "$1" in
  take)
    if mkdir "$d" 2>/dev/null; then echo "$owner" > "$d/owner"; exit 0; fi
    age=$(( $(date +%s) - $(stat -c %Y "$d/owner" 2>/dev/null || stat -c %Y "$d" 2>/dev/null || echo 0) ))
    [ "$age" -gt ${EXEC_LEASE_STALE_S} ] || exit 1
    g="$d.stale.$$"; mv "$d" "$g" 2>/dev/null || exit 1; rm -rf "$g"
    mkdir "$d" 2>/dev/null || exit 1; echo "$owner" > "$d/owner"; exit 0 ;;
  renew) [ "$(cat "$d/owner" 2>/dev/null)" = "$owner" ] && touch "$d/owner" ;;
  give) [ "$(cat "$d/owner" 2>/dev/null)" = "$owner" ] && rm -rf "$d"; exit 0 ;;
esac`;

/** Takes, renews or gives back the lease kept inside a builder (exec mode). */
export async function execLease(
  exec: (cmd: string[], timeoutMs?: number) => Promise<{ code: number | null }>,
  op: 'take' | 'renew' | 'give',
  owner: string,
): Promise<boolean> {
  const r = await exec(['sh', '-c', LEASE_SCRIPT, 'lms-lease', op, owner], 15_000);
  return r.code === 0;
}
