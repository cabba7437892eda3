'use strict';
/**
 * Runs beside the learner's program in the subject container (as .lms/harness.js; learners cannot submit names
 * under .lms/). It turns a command-line filter into something the grader can reach over loopback:
 *
 *   POST /run   body = the program's stdin
 *   -> 200 {"code": 0, "signal": null, "stdout": "...", "stderr": "...", "timedOut": false, "truncated": false, "durationMs": 41}
 *
 * Usage: node .lms/harness.js <command> [args...]   (for example: node .lms/harness.js node process.js)
 * Each run is a fresh process (in a process group of its own) in the current folder, killed after 10 s with everything
 * it started; stdout and stderr are each capped at 1 MiB (the group is killed when it goes past), and a run ends at
 * most 500 ms after the program exits even if a process it left behind holds its output open. Node 18, no dependencies. The grader treats whatever this reports as the
 * learner's behaviour and checks it itself.
 */
const http = require('node:http');
const { spawn } = require('node:child_process');

const PORT = Number(process.env.PORT) || 8080;
const [cmd, ...args] = process.argv.slice(2);
// 10 s: a run takes well under a second, but four run at once in a 1-CPU container on a host that may be busy.
const TIMEOUT_MS = 10_000;
const OUTPUT_CAP = 1024 * 1024;
const INPUT_CAP = 8 * 1024 * 1024;

if (!cmd) {
  process.stderr.write('usage: node harness.js <command> [args...]\n');
  process.exit(2);
}

function capture(stream, onOver) {
  const chunks = [];
  let size = 0;
  let truncated = false;
  stream.on('data', (c) => {
    if (size >= OUTPUT_CAP) {
      truncated = true;
      onOver();
      return;
    }
    const part = c.length > OUTPUT_CAP - size ? c.subarray(0, OUTPUT_CAP - size) : c;
    if (part.length < c.length) {
      truncated = true;
      onOver();
    }
    chunks.push(part);
    size += part.length;
  });
  stream.on('error', () => {});
  return () => ({ text: Buffer.concat(chunks).toString('utf8'), truncated });
}

function run(input) {
  return new Promise((resolve) => {
    const started = Date.now();
    let child;
    try {
      // Its own process group, so the whole group (children it forks included) can be killed at once.
      child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: process.env, detached: true });
    } catch (e) {
      resolve({ code: null, signal: null, stdout: '', stderr: `could not start ${cmd}: ${e.message}`, timedOut: false, truncated: false, durationMs: 0 });
      return;
    }
    let timedOut = false;
    let finished = false;
    let exited = null;
    const kill = () => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* the group is gone */
      }
      try {
        child.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    };
    const out = capture(child.stdout, kill);
    const err = capture(child.stderr, kill);
    const finish = (code, signal, extra) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      clearTimeout(grace);
      kill();
      child.stdout.destroy();
      child.stderr.destroy();
      const o = out();
      const e = err();
      resolve({
        code,
        signal,
        stdout: o.text,
        stderr: e.text + (extra ? `\n${extra}` : ''),
        timedOut,
        truncated: o.truncated || e.truncated,
        durationMs: Date.now() - started,
      });
    };
    let grace;
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
      // If something still holds the pipes open, do not wait for it.
      grace = setTimeout(() => finish(exited ? exited[0] : null, exited ? exited[1] : 'SIGKILL'), 500);
    }, TIMEOUT_MS);
    child.on('error', (e) => finish(null, null, `could not start ${cmd}: ${e.message}`));
    // 'close' waits for stdout and stderr to end as well as the exit. A process the program left behind can keep them
    // open: 500 ms after the exit, the group is killed and the run ends with what was written.
    child.on('exit', (code, signal) => {
      exited = [code, signal];
      clearTimeout(grace);
      grace = setTimeout(() => finish(code, signal), 500);
    });
    child.on('close', (code, signal) => finish(code, signal));
    // A program that never reads stdin (or exits early) must not crash the harness with EPIPE.
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/run') {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":"POST /run only"}');
    return;
  }
  const chunks = [];
  let size = 0;
  req.on('data', (c) => {
    size += c.length;
    if (size <= INPUT_CAP) chunks.push(c);
  });
  req.on('error', () => {});
  req.on('end', async () => {
    if (size > INPUT_CAP) {
      res.writeHead(413, { 'content-type': 'application/json' });
      res.end('{"error":"input too large"}');
      return;
    }
    const result = await run(Buffer.concat(chunks));
    const body = JSON.stringify(result);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.listen(PORT, () => process.stderr.write(`harness: POST /run -> ${[cmd, ...args].join(' ')} on :${PORT}\n`));
