'use strict';
// checkout, the shop's Node.js service: a storefront and its JSON API. /healthz says the process is alive; /readyz says
// the database answers.
const http = require('node:http');
const net = require('node:net');
const { products } = require('shop-catalog');

const port = Number(process.env.PORT || 8080);
const db = { host: process.env.DB_HOST || 'db', port: Number(process.env.DB_PORT || 3306) };

function send(res, status, type, body) {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}
const json = (res, status, value) => send(res, status, 'application/json', JSON.stringify(value));

// Ready when a TCP connection to MySQL opens within a second (the real check runs SELECT 1; the idea is the same).
function databaseAnswers() {
  return new Promise((resolve) => {
    const socket = net.connect({ host: db.host, port: db.port });
    const done = (error) => {
      socket.destroy();
      resolve(error ? { ok: false, error: `${error.code || error.message} ${db.host}:${db.port}` } : { ok: true });
    };
    socket.setTimeout(1000, () => done(new Error('ETIMEDOUT')));
    socket.once('connect', () => done(null));
    socket.once('error', done);
  });
}

const server = http.createServer(async (req, res) => {
  const { pathname } = new URL(req.url, 'http://checkout');
  if (pathname === '/healthz') return json(res, 200, { status: 'ok', uptime: Math.round(process.uptime()) });
  if (pathname === '/readyz') {
    const r = await databaseAnswers();
    if (!r.ok) console.error(`GET /readyz failed: ${r.error}`);
    return json(res, r.ok ? 200 : 503, r.ok ? { status: 'ready' } : { status: 'not ready', error: r.error });
  }
  if (pathname === '/api/products') return json(res, 200, products);
  if (pathname === '/') {
    const rows = products.map((p) => `<li>${p.name}: ${p.price.toLocaleString('ko-KR')}원</li>`).join('');
    return send(res, 200, 'text/html; charset=utf-8', `<!doctype html><title>shop</title><h1>shop</h1><ul>${rows}</ul>`);
  }
  json(res, 404, { error: 'not found' });
});

server.listen(port, '0.0.0.0', () => console.log(`checkout listening on ${port}`));
// docker stop sends SIGTERM: finish the requests in flight and leave, instead of being killed ten seconds later.
process.on('SIGTERM', () => server.close(() => process.exit(0)));
