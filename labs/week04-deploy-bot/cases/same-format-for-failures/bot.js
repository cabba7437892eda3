'use strict';
const http = require('node:http');
const crypto = require('node:crypto');

const { PORT = '8080', WEBHOOK_SECRET, CHAT_WEBHOOK_URL } = process.env;

function signatureOk(raw, header) {
  if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
  const expected = Buffer.from('sha256=' + crypto.createHmac('sha256', WEBHOOK_SECRET).update(raw).digest('hex'));
  const got = Buffer.from(header);
  if (got.length !== expected.length) return false;
  return crypto.timingSafeEqual(got, expected);
}

async function notify(payload) {
  const { deployment_status: status, repository } = payload;
  // One format for every state: "<repo> deployed to <env>: <state>"
  const text = `:rocket: ${repository.full_name} deployment to ${status.environment}: ${status.state} (${status.target_url})`;
  const res = await fetch(CHAT_WEBHOOK_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
  });
  console.log('chat answered', res.status);
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
    if (!signatureOk(raw, req.headers['x-hub-signature-256'])) {
      res.writeHead(401).end('bad signature');
      return;
    }
    res.writeHead(200).end('ok');
    if (req.headers['x-github-event'] === 'deployment_status') {
      notify(JSON.parse(raw)).catch((e) => console.error('notify failed:', e.message));
    }
  });
}).listen(Number(PORT));
