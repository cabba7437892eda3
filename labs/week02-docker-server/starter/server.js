'use strict';
// checkout, the shop's Node.js service. This week it goes into an image; its database, GET /readyz and the cart and
// checkout API come in later weeks, so here the product list is fixed and /healthz only says the process is alive.
const http = require('node:http');
const { greet } = require('greeting');

const port = Number(process.env.PORT || 8080);
const products = [
  { id: 'mug', name: 'Shop mug', price: 12000 },
  { id: 'tee', name: 'Shop T-shirt', price: 25000 },
];
const json = (res, body) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const server = http.createServer((req, res) => {
  if (req.url === '/healthz') return json(res, { status: 'ok', uptime: Math.round(process.uptime()) });
  if (req.url === '/api/products') return json(res, products);
  if (req.url === '/' || req.url.startsWith('/?')) {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    return res.end(greet(/lang=ko/.test(req.url) ? 'ko' : 'en') + '\n');
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found\n');
});
server.listen(port, '0.0.0.0', () => console.log(`checkout listening on ${port}`));
// docker stop sends SIGTERM: close cleanly instead of waiting to be killed.
process.on('SIGTERM', () => server.close(() => process.exit(0)));
