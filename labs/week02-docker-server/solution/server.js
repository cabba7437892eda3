'use strict';
const http = require('node:http');
const { greet } = require('greeting');

const port = Number(process.env.PORT || 8080);
const server = http.createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ status: 'ok', uptime: Math.round(process.uptime()) }));
  }
  if (req.url === '/' || req.url.startsWith('/?')) {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    return res.end(greet(/lang=ko/.test(req.url) ? 'ko' : 'en') + '\n');
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found\n');
});
server.listen(port, '0.0.0.0', () => console.log(`listening on ${port}`));
// docker stop sends SIGTERM: close cleanly instead of waiting to be killed.
process.on('SIGTERM', () => server.close(() => process.exit(0)));
