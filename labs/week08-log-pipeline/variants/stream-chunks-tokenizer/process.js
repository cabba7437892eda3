'use strict';
const { StringDecoder } = require('string_decoder');

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
let malformed = 0;

/** Splits a combined-format line into fields: bare words, [bracketed] and "quoted" (a backslash escapes the next character). */
function tokenize(line) {
  const fields = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === ' ') {
      i++;
      continue;
    }
    if (line[i] === '[') {
      const end = line.indexOf(']', i);
      if (end < 0) return null;
      fields.push(line.slice(i + 1, end));
      i = end + 1;
    } else if (line[i] === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
      if (j >= line.length) return null;
      fields.push(line.slice(i + 1, j));
      i = j + 1;
    } else {
      let j = i;
      while (j < line.length && line[j] !== ' ') j++;
      fields.push(line.slice(i, j));
      i = j;
    }
    if (i < line.length && line[i] !== ' ') return null; // fields are separated by spaces
  }
  return fields;
}

function parseTime(s) {
  const m = /^(\d{2})\/(\w{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  const month = MONTHS.indexOf(m[2]);
  const [day, year, hour, min, sec, oh, om] = [m[1], m[3], m[4], m[5], m[6], m[8], m[9]].map(Number);
  if (month < 0 || hour > 23 || min > 59 || sec > 59 || om > 59) return null;
  const local = new Date(Date.UTC(year, month, day, hour, min, sec));
  if (local.getUTCMonth() !== month || local.getUTCDate() !== day) return null;
  const offset = (oh * 60 + om) * 60000 * (m[7] === '-' ? -1 : 1);
  return new Date(local.getTime() - offset).toISOString();
}

function onLine(line) {
  const f = tokenize(line);
  // remote_addr, "-", remote_user, time_local, request, status, bytes, referer, user agent
  if (!f || f.length !== 9) return void malformed++;
  const [ip, , , timeLocal, request, status, bytes, , ua] = f;
  const time = parseTime(timeLocal);
  if (!time || !/^\d{3}$/.test(status) || !/^(\d+|-)$/.test(bytes)) return void malformed++;
  if (status[0] !== '5') return;
  const [method = '', path = ''] = request.split(' ');
  process.stdout.write(JSON.stringify({ status: Number(status), time, ip, method, path, bytes: bytes === '-' ? 0 : Number(bytes), ua }) + '\n');
}

const decoder = new StringDecoder('utf8');
let rest = '';
process.stdin.on('data', (chunk) => {
  const lines = (rest + decoder.write(chunk)).split('\n');
  rest = lines.pop();
  for (const l of lines) onLine(l.replace(/\r$/, ''));
});
process.stdin.on('end', () => {
  rest += decoder.end();
  if (rest !== '') onLine(rest.replace(/\r$/, ''));
  console.error(`malformed lines skipped: ${malformed}`);
});
