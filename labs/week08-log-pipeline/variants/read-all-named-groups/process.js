// Batch version: read the whole log, parse, print the 5xx records, then the summary.
const fs = require('fs');

const QS = String.raw`"(?:[^"\\]|\\.)*"`; // a quoted string; \" and \xHH stay inside
const LINE = new RegExp(
  String.raw`^(?<clientip>\S+) (?<ident>\S+) (?<auth>\S+) \[(?<day>\d{2})/(?<mon>[A-Z][a-z]{2})/(?<year>\d{4}):(?<hh>\d{2}):(?<mm>\d{2}):(?<ss>\d{2}) (?<tz>[+-]\d{4})\] ` +
    String.raw`(?<request>${QS}) (?<response>\d{3}) (?<bytes>\d+|-) (?<referrer>${QS}) (?<agent>${QS})$`,
);
const MON = { Jan: '01', Feb: '02', Mar: '03', Apr: '04', May: '05', Jun: '06', Jul: '07', Aug: '08', Sep: '09', Oct: '10', Nov: '11', Dec: '12' };

function unquote(q) {
  const inner = q.slice(1, -1);
  const bytes = [];
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === '\\' && inner[i + 1] === 'x' && /^[0-9a-fA-F]{2}$/.test(inner.slice(i + 2, i + 4))) {
      bytes.push(parseInt(inner.slice(i + 2, i + 4), 16));
      i += 3;
    } else if (c === '\\' && i + 1 < inner.length) {
      bytes.push(...Buffer.from(inner[++i], 'utf8'));
    } else {
      bytes.push(...Buffer.from(c, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function isoTime(g) {
  const month = MON[g.mon];
  if (!month) return null;
  const iso = `${g.year}-${month}-${g.day}T${g.hh}:${g.mm}:${g.ss}${g.tz.slice(0, 3)}:${g.tz.slice(3)}`;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  // Date.parse rolls 31 Nov over to 1 Dec: make sure the wall-clock fields survive the round trip.
  const offsetMin = (g.tz[0] === '-' ? -1 : 1) * (Number(g.tz.slice(1, 3)) * 60 + Number(g.tz.slice(3)));
  const local = new Date(t + offsetMin * 60000).toISOString();
  if (local.slice(0, 19) !== iso.slice(0, 19)) return null;
  return new Date(t).toISOString();
}

const input = fs.readFileSync(0, 'utf8').replace(/^\uFEFF/, '');
const lines = input.split(/\r?\n/);
if (lines[lines.length - 1] === '') lines.pop();

const out = [];
let bad = 0;
for (const line of lines) {
  const m = LINE.exec(line);
  const time = m && isoTime(m.groups);
  if (!m || !time) {
    bad += 1;
    continue;
  }
  const status = Number(m.groups.response);
  if (status < 500 || status > 599) continue;
  const request = m.groups.request.slice(1, -1).split(' '); // the target as logged
  out.push(
    JSON.stringify({
      time,
      ip: m.groups.clientip,
      method: request[0],
      path: request[1] ?? '',
      status,
      bytes: m.groups.bytes === '-' ? 0 : parseInt(m.groups.bytes, 10),
      ua: unquote(m.groups.agent),
    }),
  );
}
if (out.length) process.stdout.write(out.join('\n') + '\n');
process.stderr.write(`${bad} malformed line(s) skipped\n`);
