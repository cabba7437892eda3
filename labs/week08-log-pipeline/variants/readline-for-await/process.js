'use strict';
const readline = require('node:readline');

const MONTH = new Map(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map((m, i) => [m, i]));
const HEAD = /^(\S+) (\S+) (\S+) \[(\d\d)\/(\w\w\w)\/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)\] /;
const TOKEN = /"((?:[^"\\]|\\.)*)"|([^\s"]+)/y;

function tokens(rest) {
  const out = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < rest.length) {
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(rest);
    if (!m) return null;
    out.push(m[1] ?? m[2]);
    if (TOKEN.lastIndex < rest.length) {
      if (rest[TOKEN.lastIndex] !== ' ') return null;
      TOKEN.lastIndex += 1;
    }
    if (TOKEN.lastIndex === start) return null;
  }
  return out;
}

function utc(day, mon, year, h, mi, s, sign, oh, om) {
  const month = MONTH.get(mon);
  if (month === undefined) return null;
  const t = Date.UTC(year, month, day, h, mi, s);
  const d = new Date(t);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month || d.getUTCDate() !== day || d.getUTCHours() !== h || d.getUTCMinutes() !== mi || d.getUTCSeconds() !== s || om > 59) return null;
  return new Date(t - (sign === '-' ? -1 : 1) * (oh * 60 + om) * 60_000).toISOString();
}

function parse(line) {
  const head = HEAD.exec(line);
  if (!head) return null;
  const [, ip, , , dd, mon, yyyy, hh, mi, ss, sign, oh, om] = head;
  const time = utc(+dd, mon, +yyyy, +hh, +mi, +ss, sign, +oh, +om);
  const rest = tokens(line.slice(head[0].length));
  if (!time || !rest || rest.length !== 5) return null;
  const [request, status, bytes, , agent] = rest;
  if (!/^\d{3}$/.test(status) || !/^(\d+|-)$/.test(bytes)) return null;
  const [method = '', path = ''] = request.split(' ');
  return { bytes: bytes === '-' ? 0 : Number(bytes), ip, method, path, status: Number(status), time, ua: agent };
}

async function main() {
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  let skipped = 0;
  for await (const line of rl) {
    const rec = parse(line);
    if (!rec) {
      skipped++;
      continue;
    }
    if (rec.status >= 500 && rec.status <= 599) console.log(JSON.stringify(rec));
  }
  console.error(`skipped=${skipped}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
