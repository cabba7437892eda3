/**
 * Writes the hidden logs in data/ and, next to each, what a correct program must make of it. The lines are built
 * from records, so the expected values come from the records themselves, not from parsing the log back.
 * Run: node labs/week08-log-pipeline/grader/make-data.mjs (deterministic: same output every time).
 */
import { Buffer } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function mulberry32(seed) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = mulberry32(20261122);
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
const pad = (n, w = 2) => String(n).padStart(w, '0');

/** nginx's $time_local for a UTC instant seen from a zone `offsetMin` minutes east of UTC. */
function timeLocal(utcMs, offsetMin) {
  const d = new Date(utcMs + offsetMin * 60000);
  const sign = offsetMin < 0 ? '-' : '+';
  const a = Math.abs(offsetMin);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${sign}${pad(Math.floor(a / 60))}${pad(a % 60)}`;
}

/** What nginx's default escaping makes of a value: ", \ and bytes outside 0x20-0x7e become \xHH. */
function nginxEscape(s) {
  let out = '';
  for (const b of Buffer.from(s, 'utf8'))
    out += b === 0x22 || b === 0x5c || b < 0x20 || b > 0x7e ? `\\x${b.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(b);
  return out;
}
/** The other escaping found in the wild (escape=json, Apache, proxies in front): \" and \\. */
const backslashEscape = (s) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

const UAS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 15; SM-S928N) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'curl/8.5.0',
  'python-requests/2.32.3',
  'Go-http-client/2.0',
];
const IPS = [
  '203.0.113.24',
  '203.0.113.87',
  '198.51.100.7',
  '198.51.100.142',
  '192.0.2.61',
  '10.0.3.17',
  '2001:db8:4f1a::21',
  '2001:db8:85a3::8a2e:370:7334',
  '::ffff:198.51.100.23',
  '172.16.8.4',
];
const PAGES = [
  ['GET', '/', 200, 18234],
  ['GET', '/products?category=outerwear&page=2', 200, 42817],
  ['GET', '/products/winter-parka-navy', 200, 38110],
  ['GET', '/static/js/app.3f9a1c.js', 200, 248113],
  ['GET', '/static/css/main.b71e0d.css', 304, 0],
  ['GET', '/api/cart', 200, 612],
  ['POST', '/api/cart/items', 201, 388],
  ['DELETE', '/api/cart/items/8812', 204, 0],
  ['GET', '/api/search?q=wool+scarf&sort=price', 200, 9184],
  ['GET', '/login', 200, 5120],
  ['POST', '/api/session', 401, 61],
  ['GET', '/account/orders', 302, 0],
  ['GET', '/favicon.ico', 404, 153],
  ['GET', '/wp-login.php', 404, 153],
  ['PUT', '/api/account/address', 200, 214],
];

/** Why a line is malformed: the part of the format it breaks ("part" picks the code a message points at). */
const WHY = {
  truncated: { part: 'parse', en: 'it is cut off before its last field ends', ko: '마지막 필드가 끝나기 전에 잘린 줄입니다' },
  fields: { part: 'parse', en: 'it does not have all nine fields', ko: '아홉 필드를 모두 갖추지 않았습니다' },
  format: { part: 'parse', en: 'it is not in the combined format at all', ko: 'combined 형식의 줄이 아닙니다' },
  month: { part: 'time', en: '"Foo" is not a month', ko: '"Foo"는 달 이름이 아닙니다' },
  time: { part: 'time', en: 'its time 25:61:09 does not exist', ko: '25:61:09라는 시각은 없습니다' },
  day: {
    part: 'time',
    en: 'its date 31/Nov does not exist (November has 30 days; Date.UTC and Date.parse roll it over to 1 December instead of refusing it)',
    ko: '31/Nov라는 날짜는 없습니다 (11월은 30일까지입니다. Date.UTC와 Date.parse는 이 날짜를 거부하지 않고 12월 1일로 넘겨 버립니다)',
  },
  emptyTime: { part: 'time', en: 'its time is empty', ko: '시간 필드가 비어 있습니다' },
  status: {
    part: 'status',
    en: 'its status "5O3" is not three digits (the middle one is the letter O)',
    ko: '상태 코드 "5O3"은 세 자리 숫자가 아닙니다 (가운데는 알파벳 O입니다)',
  },
  bytes: { part: 'parse', en: 'its byte count "12ab" is neither a number nor -', ko: '바이트 수 "12ab"는 숫자도 -도 아닙니다' },
};

class Log {
  constructor(name) {
    this.name = name;
    this.lines = [];
    this.meta = [];
  }
  /** A well-formed line. `ua` is the real value; `esc` picks how the log escapes it. */
  add({ ip, user = '-', utc, tz, method, target, proto = 'HTTP/1.1', status, bytes, referer = '-', ua, esc = 'nginx' }) {
    const uaRaw = ua === '-' ? '-' : esc === 'nginx' ? nginxEscape(ua) : backslashEscape(ua);
    const line = `${ip} - ${user} [${timeLocal(utc, tz)}] "${method} ${target} ${proto}" ${status} ${bytes} "${nginxEscape(referer)}" "${uaRaw}"`;
    this.lines.push(line);
    this.meta.push({
      kind: status >= 500 && status <= 599 ? '5xx' : 'other',
      want: { time: new Date(utc).toISOString(), ip, method, path: target, status, bytes: bytes === '-' ? 0 : bytes, ua: uaRaw, uaDecoded: ua },
    });
  }
  /**
   * A malformed line; `near` holds what a parser might still pull out of it (to recognise it in the output), `why`
   * what makes it malformed (WHY below), for the message when a program passes it on.
   */
  bad(line, near = {}, why = 'format') {
    this.lines.push(line);
    this.meta.push({ kind: 'malformed', near, why: WHY[why] });
  }
  write(trailingNewline = true) {
    const text = this.lines.join('\n') + (trailingNewline ? '\n' : '');
    fs.writeFileSync(path.join(DIR, `${this.name}.log`), text);
    const lines = this.meta.map((m, i) => ({ line: i + 1, ...m, text: this.lines[i].length > 180 ? this.lines[i].slice(0, 180) + '…' : this.lines[i] }));
    const doc = {
      log: `${this.name}.log`,
      malformed: lines.filter((l) => l.kind === 'malformed').length,
      fivexx: lines.filter((l) => l.kind === '5xx').length,
      lines,
    };
    fs.writeFileSync(path.join(DIR, `${this.name}.expected.json`), JSON.stringify(doc, null, 1) + '\n');
  }
}

// ---- access.log: twenty minutes of the shop's frontend nginx (KST, +0900): the storefront's pages and the /api/ requests it
// passes to checkout, with an outage of checkout (the upstream) at 06:12.
const KST = 9 * 60;
const t0 = Date.UTC(2026, 10, 21, 21, 0, 0); // 22/Nov/2026:06:00:00 +0900
const access = new Log('access');
const normal = (utc) => {
  const [method, target, status, bytes] = pick(PAGES);
  access.add({ ip: pick(IPS), utc, tz: KST, method, target, status, bytes, referer: rnd() < 0.5 ? 'https://shop.example.com/' : '-', ua: pick(UAS) });
};
let t = t0;
const step = () => (t += 1000 * (1 + Math.floor(rnd() * 9)));
for (let i = 0; i < 40; i++) {
  normal(step());
  if (i % 9 === 4) access.add({ ip: '10.0.3.1', utc: t, tz: KST, method: 'GET', target: '/healthz', status: 200, bytes: 2, ua: 'kube-probe/1.31' });
}
// Traps: numbers that look like 5xx but are not the status.
access.add({
  ip: '203.0.113.24',
  utc: step(),
  tz: KST,
  method: 'GET',
  target: '/products/gift-card-500',
  status: 200,
  bytes: 31877,
  referer: 'https://shop.example.com/',
  ua: UAS[0],
});
access.add({ ip: '198.51.100.7', utc: step(), tz: KST, method: 'GET', target: '/static/img/banner-503.webp', status: 200, bytes: 503, ua: UAS[2] });
access.add({ ip: '192.0.2.61', utc: step(), tz: KST, method: 'GET', target: '/help/errors/500', status: 200, bytes: 7214, ua: UAS[1] });
access.add({ ip: '2001:db8:4f1a::21', utc: step(), tz: KST, method: 'POST', target: '/api/checkout', status: 499, bytes: 0, ua: UAS[3] });
access.bad(`198.51.100.77 - - [${timeLocal(t + 400, KST).slice(0, 16)}`, { ip: '198.51.100.77' }, 'truncated');
// A real 5xx here and there.
access.add({
  ip: '203.0.113.87',
  utc: step(),
  tz: KST,
  method: 'POST',
  target: '/api/checkout',
  status: 500,
  bytes: 94,
  referer: 'https://shop.example.com/cart',
  ua: UAS[0],
});
for (let i = 0; i < 25; i++) normal(step());
access.bad(
  `203.0.113.9 - - [${timeLocal(t + 700, KST)}] "GET /api/products?page=3 HTTP/1.1" 200 48`,
  { ip: '203.0.113.9', path: '/api/products?page=3', status: 200 },
  'fields',
);
access.add({
  ip: '198.51.100.142',
  utc: step(),
  tz: KST,
  method: 'GET',
  target: '/api/reports/export?from=2026-11-01&to=2026-11-21',
  status: 504,
  bytes: 167,
  ua: 'python-requests/2.32.3',
});
access.add({ ip: '172.16.8.4', user: 'ops', utc: step(), tz: KST, method: 'GET', target: '/admin/metrics', status: 200, bytes: 1893, ua: 'Prometheus/3.0.1' });
access.bad(
  `198.51.100.7 - - [${timeLocal(t + 3000, KST).replace('/Nov/', '/Foo/')}] "GET /api/cart HTTP/1.1" 500 94 "-" "${UAS[1]}"`,
  { ip: '198.51.100.7', method: 'GET', path: '/api/cart', status: 500, bytes: 94, ua: UAS[1] },
  'month',
);
for (let i = 0; i < 20; i++) normal(step());
// A 503 with the apache-style "-" byte count, and a user agent with quotes escaped as \" (escape=json / a proxy).
access.add({
  ip: '192.0.2.61',
  utc: step(),
  tz: KST,
  method: 'GET',
  target: '/api/recommendations',
  status: 503,
  bytes: '-',
  ua: 'Mozilla/5.0 (compatible; "Shop Uptime" monitor/2.4; +https://status.shop.example.com)',
  esc: 'backslash',
});
access.bad(
  JSON.stringify({
    time: `${new Date(t + KST * 60000 + 4000).toISOString().slice(0, 19)}+09:00`,
    remote_addr: '203.0.113.5',
    request: 'GET /api/cart HTTP/1.1',
    status: 502,
  }),
  { ip: '203.0.113.5', path: '/api/cart', status: 502 },
  'format',
);
for (let i = 0; i < 12; i++) normal(step());
// The outage: the upstream restarts, nginx answers 502 then 503 for nine seconds.
t = Date.UTC(2026, 10, 21, 21, 12, 1);
const burstUas = [UAS[0], UAS[2], UAS[3], 'curl/8.5.0 "probe"', UAS[1], 'okhttp/4.12.0', UAS[4]];
for (let i = 0; i < 24; i++) {
  const status = i < 14 ? 502 : 503;
  const [method, target] = pick([
    ['GET', '/api/cart'],
    ['POST', '/api/cart/items'],
    ['GET', '/products?category=outerwear&page=2'],
    ['GET', '/api/search?q=wool+scarf&sort=price'],
    ['POST', '/api/checkout'],
    ['GET', '/'],
  ]);
  const ua = burstUas[i % burstUas.length];
  access.add({
    ip: IPS[(i * 3) % IPS.length],
    utc: t,
    tz: KST,
    method,
    target,
    status,
    bytes: status === 502 ? 157 : 0,
    referer: i % 2 ? 'https://shop.example.com/' : '-',
    ua,
  });
  if (i === 6)
    access.bad(
      '2026/11/22 06:12:03 [error] 29#29: *18321 connect() failed (111: Connection refused) while connecting to upstream, client: 203.0.113.45, server: shop.example.com, request: "GET /api/cart HTTP/1.1", upstream: "http://10.0.3.17:8080/api/cart", host: "shop.example.com"',
      { path: '/api/cart' },
      'format',
    );
  if (i === 11)
    access.bad(
      `203.0.113.24 - - [22/Nov/2026:06:12:05 +0900] "GET /api/cart HTTP/1.1" 502 157 "-" "${UAS[0].slice(0, 37)}`,
      { ip: '203.0.113.24', method: 'GET', path: '/api/cart', status: 502, bytes: 157 },
      'truncated',
    );
  if (i === 17)
    access.bad(
      `198.51.100.142 - - [22/Nov/2026:06:12:07 +0900] "GET /api/cart HTTP/1.1" 5O3 0 "-" "${UAS[6]}"`,
      { ip: '198.51.100.142', method: 'GET', path: '/api/cart', bytes: 0, ua: UAS[6] },
      'status',
    );
  if (i % 3 === 2) t += 1000;
}
// A TLS handshake on the plain port, and a connection closed before any request: well-formed lines, status 400.
access.add({
  ip: '192.0.2.200',
  utc: (t += 2000),
  tz: KST,
  method: '\x16\x03\x01\x02\x00\x01\x00\x01\xFC\x03\x03',
  target: '',
  proto: '',
  status: 400,
  bytes: 157,
  ua: '-',
});
access.lines[access.lines.length - 1] = access.lines[access.lines.length - 1].replace(
  /"[^"]*" 400/,
  '"\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xFC\\x03\\x03" 400',
);
access.add({ ip: '198.51.100.99', utc: (t += 2000), tz: KST, method: '-', target: '', proto: '', status: 400, bytes: 0, ua: '-' });
access.lines[access.lines.length - 1] = access.lines[access.lines.length - 1].replace(/"[^"]*" 400/, '"-" 400');
access.bad(
  `203.0.113.87 - - [${timeLocal(t + 1000, KST).replace(/:\d\d:\d\d:\d\d /, ':25:61:09 ')}] "GET /api/cart HTTP/1.1" 503 0 "-" "${UAS[0]}"`,
  { ip: '203.0.113.87', method: 'GET', path: '/api/cart', status: 503, bytes: 0, ua: UAS[0] },
  'time',
);
for (let i = 0; i < 15; i++) normal(step());
access.add({
  ip: '2001:db8:85a3::8a2e:370:7334',
  utc: step(),
  tz: KST,
  method: 'GET',
  target: '/api/orders/100482/invoice.pdf',
  status: 500,
  bytes: 94,
  referer: 'https://shop.example.com/account/orders',
  ua: 'Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) KakaoTalk 10.9.7 "인앱 브라우저"',
});
access.bad(
  `192.0.2.61 - - [${timeLocal(t + 2500, KST)}] "GET /api/cart HTTP/1.1" 500 12ab "-" "curl/8.5.0"`,
  { ip: '192.0.2.61', method: 'GET', path: '/api/cart', status: 500, ua: 'curl/8.5.0' },
  'bytes',
);
access.add({ ip: '203.0.113.24', utc: step(), tz: KST, method: 'GET', target: '/api/cart', status: 444, bytes: 0, ua: UAS[6] });
for (let i = 0; i < 6; i++) normal(step());
access.add({
  ip: '::ffff:198.51.100.23',
  utc: step(),
  tz: KST,
  method: 'PATCH',
  target: '/api/account/preferences',
  status: 502,
  bytes: 157,
  ua: 'Shop-iOS/5.12.0 (iPhone15,2; iOS 18.1) CFNetwork/1568.200.51 Darwin/24.1.0 \\ "beta"',
  esc: 'backslash',
});
access.add({ ip: '198.51.100.7', utc: step(), tz: KST, method: 'GET', target: '/', status: 200, bytes: 18234, ua: '-' });
// A day that does not exist in November: Date.parse('2026-11-31T...') and Date.UTC(2026, 10, 31) both roll it over to
// 1 December instead of refusing it, so only a program that checks the day against the month catches it.
access.bad(
  `203.0.113.87 - - [31/Nov/2026:06:14:20 +0900] "POST /api/checkout HTTP/1.1" 502 157 "-" "${UAS[2]}"`,
  { ip: '203.0.113.87', method: 'POST', path: '/api/checkout', status: 502, bytes: 157, ua: UAS[2] },
  'day',
);
access.write(true);

// ---- edge.log: an aggregated log from servers in other zones, times that cross a day, a month and a year in UTC,
// and no newline after the last line (a 5xx).
const edge = new Log('edge');
edge.add({ ip: '198.51.100.61', utc: Date.UTC(2026, 10, 22, 3, 30, 0), tz: -300, method: 'GET', target: '/api/cart', status: 502, bytes: 157, ua: UAS[6] });
edge.add({ ip: '198.51.100.61', utc: Date.UTC(2026, 10, 22, 3, 30, 2), tz: -300, method: 'GET', target: '/api/cart', status: 200, bytes: 612, ua: UAS[6] });
edge.add({
  ip: '203.0.113.250',
  utc: Date.UTC(2026, 11, 1, 4, 59, 59),
  tz: -300,
  method: 'POST',
  target: '/api/payments/webhook',
  status: 503,
  bytes: 0,
  ua: 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
});
edge.add({
  ip: '2001:db8::7',
  utc: Date.UTC(2026, 10, 30, 18, 45, 30),
  tz: 330,
  method: 'GET',
  target: '/products/winter-parka-navy',
  status: 304,
  bytes: 0,
  ua: UAS[4],
});
edge.add({
  ip: '2001:db8::7',
  utc: Date.UTC(2026, 10, 30, 18, 45, 31),
  tz: 330,
  method: 'GET',
  target: '/api/recommendations?for=winter-parka-navy',
  status: 500,
  bytes: 94,
  ua: UAS[4],
});
edge.add({
  ip: '192.0.2.14',
  utc: Date.UTC(2027, 0, 1, 1, 0, 0),
  tz: -300,
  method: 'GET',
  target: '/api/new-year-sale',
  status: 504,
  bytes: 167,
  ua: UAS[5],
});
edge.write(false);

// ---- garbage.log: nothing usable at all, invalid UTF-8 included, no final newline.
const garbage = new Log('garbage');
garbage.bad('GET /api/cart HTTP/1.1');
garbage.bad('-- Logs begin at Sat 2026-11-21 00:00:01 KST. --');
garbage.bad('\u0000\u0000\u0000\u0000');
garbage.bad('203.0.113.7 - - [] "" 502 157 "" ""', { ip: '203.0.113.7', status: 502, bytes: 157, ua: '' }, 'emptyTime');
garbage.bad('Nov 22 06:12:03 web-1 nginx[29]: 2026/11/22 06:12:03 [crit] 29#29: *1 SSL_do_handshake() failed');
garbage.bad('#Fields: date time s-ip cs-method cs-uri-stem sc-status');
garbage.write(false);
// An invalid UTF-8 line, which no JavaScript string literal above can hold.
{
  const f = path.join(DIR, 'garbage.log');
  const bytes = Buffer.concat([
    fs.readFileSync(f),
    Buffer.from('\n'),
    Buffer.from([0xff, 0xfe, 0x35, 0x30, 0x32, 0x20, 0xc3, 0x28, 0x0a]),
    Buffer.from('203.0.113.7 - - [22/Nov/2026:06:12:03 +0900] "GET / HTTP/1.1" 502'),
  ]);
  fs.writeFileSync(f, bytes);
  const doc = JSON.parse(fs.readFileSync(path.join(DIR, 'garbage.expected.json'), 'utf8'));
  doc.lines.push({ line: doc.lines.length + 1, kind: 'malformed', near: { status: 502 }, why: WHY.format, text: '\\xFF\\xFE502 \\xC3(' });
  doc.lines.push({
    line: doc.lines.length + 1,
    kind: 'malformed',
    near: { ip: '203.0.113.7', method: 'GET', path: '/', status: 502 },
    why: WHY.fields,
    text: '203.0.113.7 - - [22/Nov/2026:06:12:03 +0900] "GET / HTTP/1.1" 502',
  });
  doc.malformed += 2;
  fs.writeFileSync(path.join(DIR, 'garbage.expected.json'), JSON.stringify(doc, null, 1) + '\n');
}
