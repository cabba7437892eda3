'use strict';
const http = require('node:http');
const { greet } = require('greeting');

const port = Number(process.env.PORT || 8080);
let ready = false;
const server = http.createServer((req, res) => {
  // readiness: only once warmed up; liveness: whenever the process answers
  if (req.url === '/readyz') {
    res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ ready }));
  }
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end('{"status":"ok"}');
  }
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(greet('checkout') + '\n');
});
server.listen(port, '0.0.0.0', () => {
  console.log(`listening on ${port}`);
  setTimeout(() => (ready = true), 200); // warm-up
});
process.on('SIGTERM', () => {
  ready = false; // stop receiving new traffic, finish what is in flight
  server.close(() => process.exit(0));
});
