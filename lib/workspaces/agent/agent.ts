/**
 * The workspace agent: PID 1's child (under tini) in a learner's workspace container, bundled to /opt/lms/agent.cjs
 * (lib/workspaces/images.ts). It speaks JSON lines with the engine over its attached stdin/stdout (protocol.ts):
 * - puts the lab's files into /work when the editor changes them (and at start, from the saved copy);
 * - scans /work every 300 ms and reports the lab's files that changed, so what the learner edits in the terminal
 *   reaches the editor and the database;
 * - relays requests of the in-container `lms` command (`lms check`, ...) from a unix socket in /tmp to the engine, and
 *   prints the answers;
 * - ends a terminal's shell when the engine says so.
 * It runs as the learner's user with the same rights as the learner: nothing it says is trusted by the engine.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { checkEntryName } from '../../grading/tar';
import { AGENT_SOCKET, MAX_LINE_BYTES, PROTOCOL_VERSION, WORK_DIR, type FileRules, type FromAgent, type ToAgent, type WireFile } from './protocol';

const LMS_DIR = path.dirname(AGENT_SOCKET);
const READY = path.join(LMS_DIR, 'ready');
const SHELLS = path.join(LMS_DIR, 'shells');
const SCAN_MS = Number(process.env.LMS_AGENT_SCAN_MS ?? 300);
const MAX_WALK = 2000;
const MAX_DEPTH = 8;

let rules: FileRules = { files: [], extraExtensions: [], maxFileBytes: 256 * 1024, maxFiles: 20 };
let configured = false;
/** What the engine knows of each lab file: its stat and content hash. */
const known = new Map<string, { size: number; mtimeMs: number; hash: string }>();

function send(m: FromAgent): void {
  process.stdout.write(JSON.stringify(m) + '\n');
}

const sha = (b: Buffer) => crypto.createHash('sha1').update(b).digest('hex');

function isLabFile(rel: string): boolean {
  if (rules.files.includes(rel)) return true;
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 && rules.extraExtensions.includes(base.slice(dot));
}

interface Seen {
  files: Map<string, fs.Stats>;
  refused: { path: string; why: string }[];
}

/** Every lab file under /work (regular files only; links, devices and the like are refused by name). */
function walk(): Seen {
  const files = new Map<string, fs.Stats>();
  const refused: { path: string; why: string }[] = [];
  let count = 0;
  const visit = (dir: string, rel: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (++count > MAX_WALK) return;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.name.startsWith('.lms-')) continue;
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (depth < MAX_DEPTH && e.name !== '.git' && e.name !== 'node_modules') visit(abs, r, depth + 1);
        continue;
      }
      if (!isLabFile(r)) continue;
      const why = checkEntryName(r);
      if (why) {
        refused.push({ path: r.slice(0, 200), why });
        continue;
      }
      let st: fs.Stats;
      try {
        st = fs.lstatSync(abs);
      } catch {
        continue;
      }
      if (st.isSymbolicLink()) refused.push({ path: r, why: 'a link, not a file' });
      else if (!st.isFile()) refused.push({ path: r, why: 'not a regular file' });
      else if (st.size > rules.maxFileBytes) refused.push({ path: r, why: `larger than ${rules.maxFileBytes} bytes` });
      else files.set(r, st);
    }
  };
  visit(WORK_DIR, '', 1);
  return { files, refused };
}

function readFile(rel: string): Buffer | null {
  try {
    // O_NOFOLLOW: a file swapped for a link between the walk and the read is not followed.
    const fd = fs.openSync(path.join(WORK_DIR, rel), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    try {
      const st = fs.fstatSync(fd);
      if (!st.isFile() || st.size > rules.maxFileBytes) return null;
      const buf = Buffer.alloc(st.size);
      let off = 0;
      while (off < st.size) {
        const n = fs.readSync(fd, buf, off, st.size - off, off);
        if (n <= 0) break;
        off += n;
      }
      return buf.subarray(0, off);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return null;
  }
}

let lastRefused = '';

/** Reports the lab files that changed since the engine last heard of them. */
function scan(force = false): void {
  if (!configured) return;
  const seen = walk();
  const files: WireFile[] = [];
  const deleted: string[] = [];
  for (const [rel, st] of seen.files) {
    const k = known.get(rel);
    if (!force && k && k.size === st.size && k.mtimeMs === st.mtimeMs) continue;
    const content = readFile(rel);
    if (!content) continue;
    const hash = sha(content);
    known.set(rel, { size: st.size, mtimeMs: st.mtimeMs, hash });
    if (k?.hash === hash) continue;
    files.push({ path: rel, b64: content.toString('base64') });
  }
  for (const rel of [...known.keys()]) {
    if (!seen.files.has(rel)) {
      known.delete(rel);
      deleted.push(rel);
    }
  }
  const refusedKey = JSON.stringify(seen.refused);
  if (files.length || deleted.length || refusedKey !== lastRefused) {
    lastRefused = refusedKey;
    send({ t: 'changed', files, deleted, refused: seen.refused });
  }
}

/** Makes the folders of a path, replacing anything in the way that is not a folder (a link the learner left there). */
function ensureParents(rel: string): void {
  const parts = rel.split('/').slice(0, -1);
  let dir = WORK_DIR;
  for (const p of parts) {
    dir = path.join(dir, p);
    let st: fs.Stats | null = null;
    try {
      st = fs.lstatSync(dir);
    } catch {
      /* missing */
    }
    if (st && !st.isDirectory()) fs.rmSync(dir, { force: true });
    if (!st || !st.isDirectory()) fs.mkdirSync(dir);
  }
}

function put(m: Extract<ToAgent, { op: 'put' }>): string[] {
  const errors: string[] = [];
  const listed = new Set<string>();
  for (const f of m.files) {
    const why = checkEntryName(f.path);
    if (why || !isLabFile(f.path)) {
      errors.push(`${f.path}: ${why ?? 'not a file of this lab'}`);
      continue;
    }
    listed.add(f.path);
    try {
      ensureParents(f.path);
      const content = Buffer.from(f.b64, 'base64');
      const abs = path.join(WORK_DIR, f.path);
      const tmp = path.join(path.dirname(abs), `.lms-${process.pid}-${Date.now()}.tmp`);
      fs.writeFileSync(tmp, content, { mode: 0o644 });
      // rename replaces a link at the name instead of writing through it.
      fs.renameSync(tmp, abs);
      const st = fs.lstatSync(abs);
      known.set(f.path, { size: st.size, mtimeMs: st.mtimeMs, hash: sha(content) });
    } catch (e) {
      errors.push(`${f.path}: ${(e as Error).message}`);
    }
  }
  const remove = new Set(m.delete ?? []);
  if (m.replace) for (const rel of walk().files.keys()) if (!listed.has(rel)) remove.add(rel);
  for (const rel of remove) {
    if (checkEntryName(rel) || !isLabFile(rel)) continue;
    try {
      fs.rmSync(path.join(WORK_DIR, rel), { force: true });
    } catch (e) {
      errors.push(`${rel}: ${(e as Error).message}`);
    }
    known.delete(rel);
  }
  return errors;
}

// ---- the in-container `lms` command ------------------------------------------------------------------------------

let nextReq = 1;
const pending = new Map<number, net.Socket>();
const REQ_CMDS = new Set(['check', 'files', 'step', 'steps', 'submit', 'help']);

function startSocket(): void {
  fs.rmSync(AGENT_SOCKET, { force: true });
  const server = net.createServer((sock) => {
    let buf = '';
    sock.setEncoding('utf8');
    sock.on('error', () => {});
    sock.on('data', (chunk: string) => {
      buf += chunk;
      if (buf.length > 64 * 1024) return void sock.destroy();
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      const line = buf.slice(0, nl);
      buf = '';
      let req: { cmd?: unknown; args?: unknown };
      try {
        req = JSON.parse(line) as typeof req;
      } catch {
        return void sock.end(JSON.stringify({ exit: 2, out: 'bad request\n' }) + '\n');
      }
      const cmd = String(req.cmd ?? 'help');
      const args = Array.isArray(req.args) ? req.args.slice(0, 20).map((a) => String(a).slice(0, 200)) : [];
      if (!REQ_CMDS.has(cmd)) return void sock.end(JSON.stringify({ exit: 2, out: `lms: unknown command "${cmd.slice(0, 40)}" (lms help)\n` }) + '\n');
      const id = nextReq++;
      pending.set(id, sock);
      sock.on('close', () => pending.delete(id));
      // A check grades the files as they are now: report any change first.
      if (cmd === 'check' || cmd === 'submit' || cmd === 'files') scan();
      send({ t: 'req', req: id, cmd: cmd as 'check', args });
    });
  });
  server.on('error', (e) => process.stderr.write(`lms agent: socket: ${e.message}\n`));
  server.listen(AGENT_SOCKET, () => fs.chmodSync(AGENT_SOCKET, 0o600));
}

// ---- the engine's messages -----------------------------------------------------------------------------------------

function handle(m: ToAgent): void {
  switch (m.op) {
    case 'config':
      rules = m.rules;
      configured = true;
      break;
    case 'put': {
      const errors = put(m);
      send({ t: 'ack', seq: m.seq, ...(errors.length ? { errors } : {}) });
      if (!fs.existsSync(READY)) fs.writeFileSync(READY, '');
      break;
    }
    case 'hello': {
      const seen = walk();
      const files: WireFile[] = [];
      known.clear();
      for (const [rel, st] of seen.files) {
        const c = readFile(rel);
        if (!c) continue;
        known.set(rel, { size: st.size, mtimeMs: st.mtimeMs, hash: sha(c) });
        files.push({ path: rel, b64: c.toString('base64') });
      }
      send({ t: 'state', seq: m.seq, files, refused: seen.refused, tools: readTools() });
      break;
    }
    case 'flush':
      scan();
      send({ t: 'ack', seq: m.seq });
      break;
    case 'print':
      pending.get(m.req)?.write(JSON.stringify({ out: m.text }) + '\n');
      break;
    case 'answer': {
      const sock = pending.get(m.req);
      pending.delete(m.req);
      sock?.end(JSON.stringify({ out: m.text, exit: m.exit }) + '\n');
      break;
    }
    case 'kill-shell': {
      if (!/^[a-z0-9]{1,40}$/.test(m.id)) break;
      try {
        const pid = Number(fs.readFileSync(path.join(SHELLS, m.id), 'utf8').trim());
        if (pid > 1) {
          for (const target of [-pid, pid]) {
            try {
              process.kill(target, 'SIGHUP');
            } catch {
              /* gone */
            }
          }
        }
        fs.rmSync(path.join(SHELLS, m.id), { force: true });
      } catch {
        /* no such shell */
      }
      break;
    }
  }
}

/** The image's tools and versions (images/workspace/versions.sh wrote them at build time). */
function readTools(): { name: string; version: string }[] {
  try {
    return JSON.parse(fs.readFileSync('/opt/lms/versions.json', 'utf8')) as { name: string; version: string }[];
  } catch {
    return [];
  }
}

function main(): void {
  fs.mkdirSync(SHELLS, { recursive: true, mode: 0o700 });
  fs.mkdirSync(process.env.HOME ?? '/tmp/home', { recursive: true });
  startSocket();
  let buf: Buffer[] = [];
  let size = 0;
  process.stdin.on('data', (chunk: Buffer) => {
    let start = 0;
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) {
      buf.push(chunk.subarray(start, i));
      const line = Buffer.concat(buf).toString('utf8');
      buf = [];
      size = 0;
      start = i + 1;
      if (!line.trim()) continue;
      try {
        handle(JSON.parse(line) as ToAgent);
      } catch (e) {
        process.stderr.write(`lms agent: ${(e as Error).message}\n`);
      }
    }
    const rest = chunk.subarray(start);
    size += rest.length;
    if (size > MAX_LINE_BYTES) {
      buf = [];
      size = 0;
    } else if (rest.length) buf.push(rest);
  });
  // The engine detaching (a web restart) is not the end: the workspace keeps running and is reattached.
  process.stdin.on('end', () => {});
  setInterval(() => {
    try {
      scan();
    } catch (e) {
      process.stderr.write(`lms agent: scan: ${(e as Error).message}\n`);
    }
  }, SCAN_MS);
  process.on('SIGTERM', () => {
    scan();
    process.exit(0);
  });
  send({ t: 'ready', version: PROTOCOL_VERSION, tools: readTools() });
}

main();
