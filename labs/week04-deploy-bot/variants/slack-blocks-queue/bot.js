'use strict';
const http = require('node:http');
const crypto = require('node:crypto');

const { PORT = '8080', WEBHOOK_SECRET, CHAT_WEBHOOK_URL } = process.env;
if (!WEBHOOK_SECRET || !CHAT_WEBHOOK_URL) {
  console.error('missing WEBHOOK_SECRET or CHAT_WEBHOOK_URL');
  process.exit(1);
}

const SIGNATURE = /^sha256=([0-9a-f]{64})$/;

function signatureIsValid(rawBody, header) {
  const match = SIGNATURE.exec(header || '');
  if (!match) return false;
  const received = Buffer.from(match[1], 'hex');
  const computed = crypto.createHmac('sha256', WEBHOOK_SECRET).update(rawBody).digest();
  return crypto.timingSafeEqual(received, computed);
}

// ---- Block Kit ---------------------------------------------------------------------------------------------
const mrkdwnEscape = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const HEADLINE = {
  success: ':large_green_circle: Deployed',
  failure: ':red_circle: Deployment FAILED',
  error: ':red_circle: Deployment ERROR',
  in_progress: ':large_blue_circle: Deploying',
};

function blocksFor(payload) {
  const { state, environment, target_url: targetUrl, description } = payload.deployment_status;
  const repo = payload.repository.full_name;
  const blocks = [
    { type: 'header', text: { type: 'plain_text', text: `${HEADLINE[state] || ':white_circle: Deployment update'}: ${repo}`, emoji: true } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Repository*\n${mrkdwnEscape(repo)}` },
        { type: 'mrkdwn', text: `*Environment*\n${mrkdwnEscape(environment)}` },
        { type: 'mrkdwn', text: `*State*\n\`${state}\`` },
        { type: 'mrkdwn', text: `*Run*\n<${targetUrl}|open the run>` },
      ],
    },
  ];
  if (description) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwnEscape(description) }] });
  return { blocks };
}

// ---- posting: one at a time, bounded time, one polite retry on 429 ---------------------------------------
const queue = [];
let draining = false;

async function send(message, attempt = 1) {
  const res = await fetch(CHAT_WEBHOOK_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(message),
    signal: AbortSignal.timeout(4000),
  });
  if (res.status === 429 && attempt === 1) {
    const wait = Math.min(Number(res.headers.get('retry-after')) || 1, 10);
    await new Promise((r) => setTimeout(r, wait * 1000));
    return send(message, 2);
  }
  if (!res.ok) console.warn(`chat webhook answered ${res.status}`);
}

async function drain() {
  if (draining) return;
  draining = true;
  while (queue.length) {
    const message = queue.shift();
    try {
      await send(message);
    } catch (err) {
      console.warn(`chat post failed: ${err.name}`);
    }
  }
  draining = false;
}

function enqueue(message) {
  queue.push(message);
  drain();
}

// ---- HTTP ---------------------------------------------------------------------------------------------------
const server = http.createServer((req, res) => {
  if (req.url !== '/webhook') return void res.writeHead(404).end();
  if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end();
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    if (!signatureIsValid(raw, req.headers['x-hub-signature-256'])) return void res.writeHead(401).end();
    const event = req.headers['x-github-event'];
    if (event === 'ping') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('pong');
    res.writeHead(204).end();
    if (event === 'deployment_status') {
      try {
        enqueue(blocksFor(JSON.parse(raw)));
      } catch (err) {
        console.warn(`could not read deployment_status payload: ${err.message}`);
      }
    }
  });
});

server.listen(Number(PORT), '0.0.0.0');
