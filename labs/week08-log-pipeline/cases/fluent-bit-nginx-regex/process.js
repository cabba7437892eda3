// nginx access log -> JSON lines, 5xx only.
// The regex is Fluent Bit's stock "nginx" parser (parsers.conf), ported to JavaScript.
const readline = require('readline');

const NGINX = /^(?<remote>[^ ]*) (?<host>[^ ]*) (?<user>[^ ]*) \[(?<time>[^\]]*)\] "(?<method>\S+)(?: +(?<path>[^\"]*?)(?: +\S*)?)?" (?<code>[^ ]*) (?<size>[^ ]*)(?: "(?<referer>[^\"]*)" "(?<agent>[^\"]*)")/;
const TIME = /^(\d{2})\/(\w{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-]\d{2})(\d{2})$/; // Time_Format %d/%b/%Y:%H:%M:%S %z
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function parseTime(s) {
  const m = TIME.exec(s);
  if (!m) return null;
  const mon = MONTHS.indexOf(m[2]);
  const [d, y, hh, mm, ss] = [m[1], m[3], m[4], m[5], m[6]].map(Number);
  if (mon < 0 || hh > 23 || mm > 59 || ss > 59) return null;
  const local = Date.UTC(y, mon, d, hh, mm, ss);
  if (new Date(local).getUTCDate() !== d) return null;
  const off = Number(m[7]) * 60 + Math.sign(Number(m[7] + '1')) * Number(m[8]);
  return new Date(local - off * 60000).toISOString();
}

let skipped = 0;
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const m = NGINX.exec(line);
  const time = m && parseTime(m.groups.time);
  if (!m || !time || !/^\d{3}$/.test(m.groups.code) || !/^(\d+|-)$/.test(m.groups.size)) {
    skipped++;
    return;
  }
  const status = Number(m.groups.code);
  if (status < 500 || status > 599) return;
  const g = m.groups;
  console.log(JSON.stringify({ time, ip: g.remote, method: g.method, path: g.path || '', status, bytes: g.size === '-' ? 0 : Number(g.size), ua: g.agent }));
}).on('close', () => console.error(`skipped ${skipped}`));
