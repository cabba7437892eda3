// nginx access log -> JSON lines (5xx only)
const readline = require('readline');

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LINE_RE =
  /^(?<ip>\S+) \S+ (?<user>\S+) \[(?<day>\d{2})\/(?<mon>\w{3})\/(?<year>\d{4}):(?<h>\d{2}):(?<m>\d{2}):(?<s>\d{2}) (?<tz>[+-]\d{4})\] "(?<request>(?:[^"\\]|\\.)*)" (?<status>\d{3}) (?<bytes>\d+|-) "(?<referer>(?:[^"\\]|\\.)*)" "(?<ua>(?:[^"\\]|\\.)*)"$/;

function utcTime(g) {
  const month = MONTHS.indexOf(g.mon);
  if (month < 0) return null;
  const mm = String(month + 1).padStart(2, '0');
  // e.g. 2026-11-22T06:12:01+09:00, which Date understands
  return new Date(`${g.year}-${mm}-${g.day}T${g.h}:${g.m}:${g.s}${g.tz.slice(0, 3)}:${g.tz.slice(3)}`).toISOString();
}

let skipped = 0;
const rl = readline.createInterface({ input: process.stdin });

rl.on('line', (line) => {
  const match = LINE_RE.exec(line);
  if (!match) {
    skipped++;
    return;
  }
  const g = match.groups;
  const time = utcTime(g);
  if (!time) {
    skipped++;
    return;
  }
  const status = parseInt(g.status, 10);
  if (status < 500 || status > 599) return;
  const [method, path] = g.request.split(' ');
  const out = {
    time,
    ip: g.ip,
    method,
    path,
    status,
    bytes: g.bytes === '-' ? 0 : parseInt(g.bytes, 10),
    ua: g.ua,
  };
  console.log(JSON.stringify(out));
});

rl.on('close', () => {
  console.error(`skipped ${skipped} malformed lines`);
});
