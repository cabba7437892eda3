// nginx access log -> JSON lines (5xx only)
const readline = require('readline');

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LINE_RE =
  /^(?<ip>\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}) \S+ (?<user>\S+) \[(?<day>\d{2})\/(?<mon>\w{3})\/(?<year>\d{4}):(?<h>\d{2}):(?<m>\d{2}):(?<s>\d{2}) (?<tz>[+-]\d{4})\] "(?<request>[^"]*)" (?<status>\d{3}) (?<bytes>\d+|-) "(?<referer>[^"]*)" "(?<ua>[^"]*)"$/;

function utcTime(g) {
  const month = MONTHS.indexOf(g.mon);
  if (month < 0) return null;
  const sign = g.tz[0] === '-' ? -1 : 1;
  const offsetMin = sign * (Number(g.tz.slice(1, 3)) * 60 + Number(g.tz.slice(3, 5)));
  if (+g.h > 23 || +g.m > 59 || +g.s > 59) return null;
  if (new Date(Date.UTC(+g.year, month, +g.day)).getUTCDate() !== +g.day) return null; // 31/Nov
  const ms = Date.UTC(+g.year, month, +g.day, +g.h, +g.m, +g.s) - offsetMin * 60000;
  return new Date(ms).toISOString();
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
