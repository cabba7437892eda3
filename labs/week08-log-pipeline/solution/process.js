'use strict';
// Reads the shop's frontend nginx "combined" access log lines on stdin and writes one JSON object per line on stdout
// for every server error (5xx). Malformed lines are skipped and counted; the count goes to stderr at the end.
//   log_format combined '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent '
//                       '"$http_referer" "$http_user_agent"';
const readline = require('node:readline');

const MONTHS = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };
// A quoted field: anything but an unescaped quote; a backslash escapes the next character (\" or \x22 in the log).
const QUOTED = '"((?:[^"\\\\]|\\\\.)*)"';
const COMBINED = new RegExp(
  '^(\\S+) (\\S+) (\\S+) \\[(\\d{2})/([A-Za-z]{3})/(\\d{4}):(\\d{2}):(\\d{2}):(\\d{2}) ([+-])(\\d{2})(\\d{2})\\] ' +
    `${QUOTED} (\\d{3}) (\\d+|-) ${QUOTED} ${QUOTED}\\s*$`,
);

/** [dd/Mon/yyyy:HH:MM:SS ±hhmm] to an ISO-8601 UTC string, or null when the date or time does not exist. */
function toUtc(dd, mon, yyyy, hh, mm, ss, sign, oh, om) {
  const month = MONTHS[mon];
  const [d, y, h, mi, s, offH, offM] = [dd, yyyy, hh, mm, ss, oh, om].map(Number);
  if (month === undefined || h > 23 || mi > 59 || s > 59 || offH > 14 || offM > 59 || d < 1) return null;
  const local = Date.UTC(y, month, d, h, mi, s);
  if (new Date(local).getUTCDate() !== d) return null; // 31/Nov and the like
  const offsetMs = (sign === '-' ? -1 : 1) * (offH * 60 + offM) * 60000;
  return new Date(local - offsetMs).toISOString();
}

/** Undoes nginx's escaping (\xHH for bytes) and the backslash style (\" and \\). */
function unescape(s) {
  if (!s.includes('\\')) return s;
  const bytes = [];
  for (let i = 0; i < s.length; i++) {
    const hex = s[i] === '\\' && s[i + 1] === 'x' ? /^[0-9A-Fa-f]{2}$/.exec(s.slice(i + 2, i + 4)) : null;
    if (hex) {
      bytes.push(parseInt(hex[0], 16));
      i += 3;
    } else if (s[i] === '\\' && i + 1 < s.length) {
      bytes.push(...Buffer.from(s[i + 1]));
      i += 1;
    } else bytes.push(...Buffer.from(s[i]));
  }
  return Buffer.from(bytes).toString('utf8');
}

let skipped = 0;

function handle(line) {
  const m = COMBINED.exec(line);
  if (!m) return void skipped++;
  const [, ip, , , dd, mon, yyyy, hh, mm, ss, sign, oh, om, request, status, bytes, , ua] = m;
  const time = toUtc(dd, mon, yyyy, hh, mm, ss, sign, oh, om);
  if (time === null) return void skipped++;
  const code = Number(status);
  if (code < 500 || code > 599) return;
  const [method = '', path = ''] = request.split(' ');
  const record = { time, ip, method, path, status: code, bytes: bytes === '-' ? 0 : Number(bytes), ua: unescape(ua) };
  process.stdout.write(JSON.stringify(record) + '\n');
}

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  try {
    handle(line);
  } catch (err) {
    skipped++;
    console.error(`could not process a line: ${err.message}`);
  }
});
rl.on('close', () => {
  process.stderr.write(`skipped ${skipped} malformed line(s)\n`);
});
