'use strict';
const { Transform, pipeline } = require('node:stream');

const stats = { lines: 0, malformed: 0, emitted: 0 };

class LineSplitter extends Transform {
  constructor() {
    super({ readableObjectMode: true });
    this.tail = Buffer.alloc(0);
  }
  _transform(chunk, _enc, done) {
    let buf = Buffer.concat([this.tail, chunk]);
    let nl;
    while ((nl = buf.indexOf(0x0a)) !== -1) {
      this.push(buf.subarray(0, nl).toString('utf8'));
      buf = buf.subarray(nl + 1);
    }
    this.tail = buf;
    done();
  }
  _flush(done) {
    if (this.tail.length) this.push(this.tail.toString('utf8'));
    done();
  }
}

// Field readers: each takes the text at `pos` and returns [value, nextPos] or null.
const word = (s, pos) => {
  const end = s.indexOf(' ', pos);
  return end === -1 ? [s.slice(pos), s.length] : [s.slice(pos, end), end];
};
const bracketed = (s, pos) => {
  if (s[pos] !== '[') return null;
  const end = s.indexOf(']', pos);
  return end === -1 ? null : [s.slice(pos + 1, end), end + 1];
};
const quoted = (s, pos) => {
  if (s[pos] !== '"') return null;
  for (let i = pos + 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '"') return [s.slice(pos + 1, i), i + 1];
  }
  return null;
};
const LAYOUT = [word, word, word, bracketed, quoted, word, word, quoted, quoted];
const NAMES = ['remote_addr', 'dash', 'remote_user', 'time_local', 'request', 'status', 'body_bytes_sent', 'http_referer', 'http_user_agent'];

function readFields(line) {
  const rec = {};
  let pos = 0;
  for (let i = 0; i < LAYOUT.length; i++) {
    if (i > 0) {
      if (line[pos] !== ' ') return null;
      pos++;
    }
    const r = LAYOUT[i](line, pos);
    if (!r) return null;
    [rec[NAMES[i]], pos] = r;
  }
  return pos === line.length ? rec : null;
}

const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';
function timeLocalToIso(t) {
  const m = /^(\d\d)\/([A-Za-z]{3})\/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-]\d\d)(\d\d)$/.exec(t);
  if (!m) return null;
  const mon = MONTHS.indexOf(m[2]);
  if (mon % 3 !== 0) return null;
  const [d, y, H, M, S] = [m[1], m[3], m[4], m[5], m[6]].map(Number);
  const local = Date.UTC(y, mon / 3, d, H, M, S);
  const back = new Date(local);
  if (back.getUTCDate() !== d || back.getUTCHours() !== H || back.getUTCMinutes() !== M || back.getUTCSeconds() !== S || Number(m[8]) > 59) return null;
  const off = Number(m[7]) * 60 + Math.sign(Number(`${m[7]}1`)) * Number(m[8]);
  return new Date(local - off * 60_000).toISOString();
}

function decode(s) {
  const out = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && s[i + 1] === 'x' && /^[\da-f]{2}$/i.test(s.substr(i + 2, 2))) {
      out.push(parseInt(s.substr(i + 2, 2), 16));
      i += 3;
    } else if (s[i] === '\\' && i + 1 < s.length) out.push(...Buffer.from(s[++i]));
    else out.push(...Buffer.from(s[i]));
  }
  return Buffer.from(out).toString();
}

const parser = new Transform({
  objectMode: true,
  transform(line, _enc, done) {
    stats.lines++;
    const f = readFields(line);
    const time = f && timeLocalToIso(f.time_local);
    if (!f || !time || !/^\d{3}$/.test(f.status) || !/^(\d+|-)$/.test(f.body_bytes_sent)) {
      stats.malformed++;
      return done();
    }
    const [method = '', path = ''] = f.request.split(' ');
    done(null, { time, ip: f.remote_addr, method, path, status: +f.status, bytes: f.body_bytes_sent === '-' ? 0 : +f.body_bytes_sent, ua: decode(f.http_user_agent) });
  },
});

const only5xx = new Transform({
  objectMode: true,
  transform(rec, _enc, done) {
    done(null, rec.status >= 500 && rec.status < 600 ? rec : undefined);
  },
});

const ndjson = new Transform({
  writableObjectMode: true,
  transform(rec, _enc, done) {
    stats.emitted++;
    done(null, JSON.stringify(rec) + '\n');
  },
  flush(done) {
    process.stderr.write(`lines=${stats.lines} emitted=${stats.emitted} malformed=${stats.malformed}\n`);
    done();
  },
});

pipeline(process.stdin, new LineSplitter(), parser, only5xx, ndjson, process.stdout, (err) => {
  if (err) {
    console.error(`pipeline failed: ${err.message}`);
    process.exitCode = 1;
  }
});
