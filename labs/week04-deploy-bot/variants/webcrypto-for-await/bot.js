// Deploy notifications for the team channel.
// Signature check follows GitHub's "Validating webhook deliveries" JavaScript example (Web Crypto).
const http = require('http');
const { webcrypto } = require('crypto');

const { subtle } = webcrypto;
const encoder = new TextEncoder();

const port = parseInt(process.env.PORT || '8080', 10);
const secret = process.env.WEBHOOK_SECRET;
const chatUrl = process.env.CHAT_WEBHOOK_URL;

let keyPromise;
function hmacKey() {
  if (!keyPromise) {
    const algorithm = { name: 'HMAC', hash: { name: 'SHA-256' } };
    keyPromise = subtle.importKey('raw', encoder.encode(secret), algorithm, false, ['sign', 'verify']);
  }
  return keyPromise;
}

function hexToBytes(hex) {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < hex.length; i += 2) bytes[i / 2] = parseInt(hex.slice(i, i + 2), 16);
  return bytes;
}

async function verifySignature(header, payload) {
  if (typeof header !== 'string') return false;
  const parts = header.split('=');
  if (parts.length !== 2 || parts[0] !== 'sha256' || !/^[0-9a-f]{64}$/i.test(parts[1])) return false;
  const key = await hmacKey();
  return subtle.verify('HMAC', key, hexToBytes(parts[1]), payload);
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function describe(payload) {
  const ds = payload.deployment_status;
  const repo = payload.repository.full_name;
  const bad = ds.state === 'failure' || ds.state === 'error';
  const lead = bad ? ':rotating_light: *FAILED*' : ds.state === 'success' ? ':rocket:' : ':hourglass_flowing_sand:';
  return `${lead} ${repo} → ${ds.environment} is now \`${ds.state}\`\n${ds.target_url}`;
}

async function handle(req, res) {
  if (req.method !== 'POST' || new URL(req.url, 'http://bot').pathname !== '/webhook') {
    res.writeHead(404).end();
    return;
  }
  const body = await readBody(req);
  if (!(await verifySignature(req.headers['x-hub-signature-256'], body))) {
    res.writeHead(401).end('signature mismatch');
    return;
  }
  const event = req.headers['x-github-event'];
  res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks');
  if (event !== 'deployment_status') return;

  const payload = JSON.parse(body.toString('utf8'));
  const response = await fetch(chatUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ text: describe(payload) }),
  });
  console.log(`posted ${payload.deployment_status.state} for ${payload.repository.full_name}: chat said ${response.status}`);
}

http
  .createServer((req, res) => {
    handle(req, res).catch((err) => {
      console.error('webhook handling failed:', err.message);
      if (!res.headersSent) res.writeHead(500).end();
    });
  })
  .listen(port, () => console.log(`listening on ${port}`));
