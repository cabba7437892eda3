// The floor of `bin/lms bench web`: a static server in its own process, as nginx would serve files it has in memory.
// Usage: node cli/bench-floor.mjs <dir>  — serves <dir>/<name> at /<name> (read once at start); prints its port.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const dir = process.argv[2];
const files = new Map();
for (const name of fs.readdirSync(dir)) {
  const body = fs.readFileSync(path.join(dir, name));
  const type = name.endsWith('.json') ? 'application/json' : 'text/html; charset=utf-8';
  files.set(`/${name}`, { body, type });
}
const server = http.createServer((req, res) => {
  const f = files.get(req.url ?? '/');
  if (!f) {
    res.statusCode = 404;
    res.end();
    return;
  }
  res.setHeader('Content-Type', f.type);
  res.setHeader('Content-Length', f.body.length);
  res.end(f.body);
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
