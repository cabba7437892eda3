'use strict';
const http = require('node:http');
const crypto = require('node:crypto');

const { PORT = '8080', WEBHOOK_SECRET, CHAT_WEBHOOK_URL } = process.env;

function verify(raw, signature) {
  const expected = 'sha256=' + crypto.createHmac('sha256', WEBHOOK_SECRET).update(raw).digest('hex');
  // constant-time comparison, as GitHub's docs recommend
  return crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
}

function format({ deployment_status: s, repository: r }) {
  const bad = s.state === 'failure' || s.state === 'error';
  return [
    `${bad ? '🚨 FAILED' : '✅'} *${r.full_name}* → \`${s.environment}\` is *${s.state}*`,
    s.target_url,
  ].join('\n');
}

http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/webhook') {
    res.writeHead(404).end();
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    const signature = req.headers['x-hub-signature-256'] || '';
    if (!verify(raw, signature)) {
      res.writeHead(401).end('bad signature');
      return;
    }
    if (req.headers['x-github-event'] !== 'deployment_status') {
      res.writeHead(204).end();
      return;
    }
    const text = format(JSON.parse(raw.toString('utf8')));
    fetch(CHAT_WEBHOOK_URL, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) })
      .then((r) => res.writeHead(r.ok ? 200 : 502).end())
      .catch(() => res.writeHead(502).end());
  });
}).listen(Number(PORT));
