'use strict';
/**
 * Loaded into the learner's bot before its own code (`node --require ./.lms/harness.js bot.js`; the engine adds this
 * file as .lms/harness.js, a name learners cannot submit). It lets the grader observe three things no HTTP answer
 * shows, without changing what the bot does:
 *
 * 1. How the signature is compared. A timing leak cannot be measured over loopback, so the preload records each call
 *    of crypto.timingSafeEqual and crypto.subtle.verify (a SHA-256 of each argument, never the bytes) with the
 *    X-GitHub-Delivery of the request being handled. The grader knows which bytes a correct comparison must see.
 * 2. What the bot prints. process.stdout and process.stderr writes are copied (capped) so the grader can look for
 *    the secrets in the bot's own logs.
 * 3. Which ports it listens on. A listen() on the chat server's port (the port of CHAT_WEBHOOK_URL, reserved for the
 *    grader's fake chat server in the shared loopback) is moved to a free port and recorded with the line that made
 *    it, so the grader always owns that port and can say what happened, instead of failing to start.
 *
 * The grader reads the record from an abstract Unix socket (named after PORT; shared with the grader's container
 * through the network namespace, invisible in the file system). Everything here is best effort: any failure leaves
 * the bot's behaviour untouched. The learner's code runs in this same process and could tamper with the record; the
 * grader treats it as evidence of behaviour, like week 8's harness output. Node 18, no dependencies, prints nothing.
 */
(function lmsPreload() {
  let net;
  let nodeCrypto;
  try {
    net = require('node:net');
    nodeCrypto = require('node:crypto');
  } catch {
    return;
  }
  const MAX_COMPARES = 400;
  const MAX_LISTENS = 20;
  const OUT_HEAD = 192 * 1024;
  const OUT_TAIL = 64 * 1024;
  const MAX_HASHED = 1 << 20;

  const record = { v: 1, compares: [], listens: [], out: '', outTail: '', outBytes: 0, outAt: [], requests: 0 };
  let current = '';
  const chatPort = (() => {
    try {
      const u = new URL(String(process.env.CHAT_WEBHOOK_URL));
      return Number(u.port || (u.protocol === 'https:' ? 443 : 80));
    } catch {
      return null;
    }
  })();

  const bytesOf = (v) => {
    if (Buffer.isBuffer(v)) return v;
    if (ArrayBuffer.isView(v)) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    if (v instanceof ArrayBuffer) return Buffer.from(v);
    return null;
  };
  const digest = (v) => {
    try {
      const b = bytesOf(v);
      if (!b) return { type: typeof v };
      if (b.length > MAX_HASHED) return { len: b.length };
      return { len: b.length, sha256: nodeCrypto.createHash('sha256').update(b).digest('hex') };
    } catch {
      return { type: 'unreadable' };
    }
  };
  /** "bot.js:12" for the first stack frame in the learner's files (not node internals, not this file). */
  const caller = () => {
    try {
      const lines = String(new Error().stack).split('\n').slice(2);
      const cwd = process.cwd().replace(/\/$/, '') + '/';
      for (const l of lines) {
        const m = /\(?((?:file:\/\/)?\/[^():]+):(\d+):\d+\)?\s*$/.exec(l);
        if (!m) continue;
        const file = m[1].replace(/^file:\/\//, '');
        if (!file.startsWith(cwd) || file.includes('/.lms/') || file.includes('/node_modules/')) continue;
        return `${file.slice(cwd.length)}:${m[2]}`;
      }
    } catch {
      /* no location */
    }
    return null;
  };
  const note = (kind, args) => {
    if (record.compares.length >= MAX_COMPARES) return;
    record.compares.push({ kind, delivery: current, at: caller(), args });
  };

  // 1. Comparisons.
  try {
    const tse = nodeCrypto.timingSafeEqual;
    if (typeof tse === 'function') {
      nodeCrypto.timingSafeEqual = function timingSafeEqual(a, b) {
        note('timingSafeEqual', [digest(a), digest(b)]);
        return tse.apply(this, arguments);
      };
    }
  } catch {
    /* leave it */
  }
  try {
    const subtle = nodeCrypto.webcrypto && nodeCrypto.webcrypto.subtle;
    const proto = subtle && Object.getPrototypeOf(subtle);
    const verify = proto && proto.verify;
    if (typeof verify === 'function') {
      proto.verify = function verifyRecorded(algorithm, key, signature, data) {
        let name = '';
        try {
          name = String(typeof algorithm === 'string' ? algorithm : algorithm && algorithm.name);
        } catch {
          name = '';
        }
        note('subtle.verify', [digest(signature), digest(data), { algorithm: name.slice(0, 20) }]);
        return verify.apply(this, arguments);
      };
    }
  } catch {
    /* leave it */
  }

  // The request being handled: probes arrive one at a time, so the latest request is the one a comparison belongs to.
  try {
    const http = require('node:http');
    const emit = http.Server.prototype.emit;
    http.Server.prototype.emit = function emitRecorded(event, req) {
      if (event === 'request') {
        try {
          record.requests++;
          const d = req && req.headers && req.headers['x-github-delivery'];
          current = typeof d === 'string' ? d.slice(0, 80) : '';
        } catch {
          current = '';
        }
      }
      return emit.apply(this, arguments);
    };
  } catch {
    /* leave it */
  }

  // 2. Output.
  const keep = (chunk) => {
    try {
      const b = typeof chunk === 'string' ? null : bytesOf(chunk);
      const s = typeof chunk === 'string' ? chunk : b ? b.toString('utf8') : '';
      record.outBytes += s.length;
      // Where each write came from (console.log -> stream.write: the first frame in the learner's files).
      if (record.out.length < OUT_HEAD && record.outAt.length < 500 && s) record.outAt.push([record.out.length, caller()]);
      if (record.out.length < OUT_HEAD) record.out += s.slice(0, OUT_HEAD - record.out.length);
      else record.outTail = (record.outTail + s).slice(-OUT_TAIL);
    } catch {
      /* not kept */
    }
  };
  // A stream on a file writes through fs.writeSync: count such a write once.
  let inStream = 0;
  for (const stream of [process.stdout, process.stderr]) {
    try {
      const write = stream.write;
      stream.write = function writeRecorded(chunk) {
        keep(chunk);
        inStream++;
        try {
          return write.apply(this, arguments);
        } finally {
          inStream--;
        }
      };
    } catch {
      /* leave it */
    }
  }

  // Loggers that write to the descriptors themselves (pino's sonic-boom, fs.writeSync(1, ...)) go around the streams.
  try {
    const fs = require('node:fs');
    const writeSync = fs.writeSync;
    fs.writeSync = function writeSyncRecorded(fd, chunk) {
      if ((fd === 1 || fd === 2) && inStream === 0) keep(chunk);
      return writeSync.apply(this, arguments);
    };
    const write = fs.write;
    fs.write = function writeRecorded(fd, chunk) {
      if ((fd === 1 || fd === 2) && inStream === 0) keep(chunk);
      return write.apply(this, arguments);
    };
  } catch {
    /* leave them */
  }

  // The channel the grader reads the record from (opened before the listen() hook, so it is not recorded).
  try {
    const name = `\0lms-week04-trace-${String(process.env.PORT || '')}`;
    const server = net.createServer((socket) => {
      socket.on('error', () => {});
      try {
        socket.end(JSON.stringify(record));
      } catch {
        socket.destroy();
      }
    });
    server.on('error', () => {});
    server.listen(name);
    server.unref();
  } catch {
    /* no channel: the grader falls back to reading the code */
  }

  // 3. Listening.
  try {
    const listen = net.Server.prototype.listen;
    const portOf = (a) => {
      if (typeof a === 'number') return a;
      if (typeof a === 'string' && /^\d+$/.test(a)) return Number(a);
      if (a && typeof a === 'object' && !Array.isArray(a) && 'port' in a) return portOf(a.port);
      return null;
    };
    net.Server.prototype.listen = function listenRecorded(...args) {
      try {
        const port = portOf(args[0]);
        if (port !== null && record.listens.length < MAX_LISTENS) {
          const moved = chatPort !== null && port === chatPort;
          record.listens.push({ port, at: caller(), moved });
          if (moved) {
            if (typeof args[0] === 'object') args[0] = { ...args[0], port: 0 };
            else args[0] = 0;
          }
        }
      } catch {
        /* listen as asked */
      }
      return listen.apply(this, args);
    };
  } catch {
    /* leave it */
  }
})();
