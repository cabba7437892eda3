'use strict';
/* eslint-disable no-constant-condition */
const readline = require('readline');

// ---- lexer: states are functions returning the next state ---------------------------------------------------
function lex(input) {
  const tokens = [];
  let pos = 0;
  let start = 0;
  const emit = (type, value) => tokens.push({ type, value });
  function lexSpace() {
    if (pos >= input.length) return null;
    if (input[pos] !== ' ') throw new SyntaxError(`expected a space at ${pos}`);
    pos++;
    return lexField;
  }
  function lexField() {
    start = pos;
    const c = input[pos];
    if (c === '[') return lexBracket;
    if (c === '"') return lexQuoted;
    return lexWord;
  }
  function lexWord() {
    while (pos < input.length && input[pos] !== ' ') pos++;
    if (pos === start) throw new SyntaxError(`empty field at ${pos}`);
    emit('WORD', input.slice(start, pos));
    return lexSpace;
  }
  function lexBracket() {
    const end = input.indexOf(']', pos);
    if (end < 0) throw new SyntaxError('unterminated [');
    emit('BRACKET', input.slice(pos + 1, end));
    pos = end + 1;
    return lexSpace;
  }
  function lexQuoted() {
    pos++;
    while (true) {
      if (pos >= input.length) throw new SyntaxError('unterminated "');
      if (input[pos] === '\\') pos += 2;
      else if (input[pos] === '"') break;
      else pos++;
    }
    emit('QUOTED', input.slice(start + 1, pos));
    pos++;
    return lexSpace;
  }
  let state = lexField;
  while (state) state = state();
  return tokens;
}

// ---- time: days_from_civil (H. Hinnant) ---------------------------------------------------------------------
const MONTHS = { Jan: 1, Feb: 2, Mar: 3, Apr: 4, May: 5, Jun: 6, Jul: 7, Aug: 8, Sep: 9, Oct: 10, Nov: 11, Dec: 12 };
const leap = (y) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const monthDays = (y, m) => [31, leap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];

function daysFromCivil(y, m, d) {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function epochMillis(timeLocal) {
  const m = /^(\d\d)\/(\w{3})\/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)$/.exec(timeLocal);
  if (!m) return null;
  const month = MONTHS[m[2]];
  const [d, y, hh, mm, ss, oh, om] = [m[1], m[3], m[4], m[5], m[6], m[8], m[9]].map(Number);
  if (!month || d < 1 || d > monthDays(y, month) || hh > 23 || mm > 59 || ss > 59 || om > 59) return null;
  const offset = (m[7] === '-' ? -1 : 1) * (oh * 3600 + om * 60);
  return (daysFromCivil(y, month, d) * 86400 + hh * 3600 + mm * 60 + ss - offset) * 1000;
}

function unescapeNginx(s) {
  const bytes = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && s[i + 1] === 'x' && /[0-9a-f]{2}/i.test(s.slice(i + 2, i + 4))) {
      bytes.push(parseInt(s.slice(i + 2, i + 4), 16));
      i += 3;
    } else if (s[i] === '\\' && i + 1 < s.length) {
      i++;
      for (const b of Buffer.from(s[i])) bytes.push(b);
    } else for (const b of Buffer.from(s[i])) bytes.push(b);
  }
  return Buffer.from(bytes).toString('utf8');
}

// ---- main ---------------------------------------------------------------------------------------------------
const out = [];
let skipped = 0;

function handle(line) {
  let t;
  try {
    t = lex(line);
  } catch {
    skipped++;
    return;
  }
  const shape = t.map((x) => x.type).join(',');
  if (shape !== 'WORD,WORD,WORD,BRACKET,QUOTED,WORD,WORD,QUOTED,QUOTED') return void skipped++;
  const ms = epochMillis(t[3].value);
  const status = t[5].value;
  const size = t[6].value;
  if (ms === null || !/^\d\d\d$/.test(status) || !/^(-|\d+)$/.test(size)) return void skipped++;
  const code = parseInt(status, 10);
  if (code < 500 || code > 599) return;
  const [method, target] = t[4].value.split(' ');
  out.push(JSON.stringify({ ip: t[0].value, time: new Date(ms).toISOString(), method: method || '', path: target || '', status: code, bytes: size === '-' ? 0 : parseInt(size, 10), ua: unescapeNginx(t[8].value) }));
  if (out.length >= 256) process.stdout.write(out.splice(0).join('\n') + '\n');
}

readline
  .createInterface({ input: process.stdin, terminal: false })
  .on('line', handle)
  .on('close', () => {
    if (out.length) process.stdout.write(out.join('\n') + '\n');
    process.stderr.write(`done; ${skipped} line(s) could not be parsed\n`);
  });
