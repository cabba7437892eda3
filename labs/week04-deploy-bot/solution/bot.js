'use strict';
// The shop's deploy bot: a GitHub webhook receiver that posts the deployment status changes of octo-org/shop (and any
// other repository whose webhook points here) to #shop-deploys through a Slack-style incoming webhook.
// Node 18, no npm dependencies: node:http, node:crypto and the global fetch.
const http = require('node:http');
const crypto = require('node:crypto');

const PORT = Number(process.env.PORT) || 8080;
const SECRET = process.env.WEBHOOK_SECRET;
const CHAT_URL = process.env.CHAT_WEBHOOK_URL;
const MAX_BODY = 1024 * 1024; // GitHub caps payloads at 25 MB; ours are far smaller

if (!SECRET || !CHAT_URL) {
  console.error('WEBHOOK_SECRET and CHAT_WEBHOOK_URL must be set');
  process.exit(1);
}

/** True when the X-Hub-Signature-256 header is the HMAC-SHA256 of the raw body with our secret. */
function verifySignature(raw, header) {
  if (typeof header !== 'string' || !/^sha256=[0-9a-f]{64}$/i.test(header)) return false;
  const expected = crypto.createHmac('sha256', SECRET).update(raw).digest();
  const given = Buffer.from(header.slice('sha256='.length), 'hex');
  // timingSafeEqual throws on different lengths; the format check above makes them equal.
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

/** Slack's incoming webhooks treat &, < and > as control characters. */
const escape = (s) => String(s ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const FAILED = new Set(['failure', 'error']);
const ICONS = { success: ':white_check_mark:', in_progress: ':hourglass_flowing_sand:', queued: ':hourglass:', pending: ':hourglass:', inactive: ':zzz:' };

function formatDeploymentStatus(payload) {
  const status = payload.deployment_status || {};
  const repo = (payload.repository && payload.repository.full_name) || 'unknown repository';
  const env = status.environment || (payload.deployment && payload.deployment.environment) || 'unknown environment';
  const state = status.state || 'unknown';
  const url = status.target_url || status.log_url || status.environment_url || '';
  const head = FAILED.has(state)
    ? `:x: *FAILED* deployment of *${escape(repo)}* to *${escape(env)}*: ${escape(state)}`
    : `${ICONS[state] || ':information_source:'} Deployment of *${escape(repo)}* to *${escape(env)}*: ${escape(state)}`;
  const lines = [head];
  if (status.description) lines.push(`> ${escape(status.description)}`);
  if (url) lines.push(`<${url}|Details> ${url}`);
  return lines.join('\n');
}

async function postToChat(text) {
  const res = await fetch(CHAT_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
  });
  if (!res.ok) console.error(`chat webhook answered ${res.status}`);
}

function reply(res, status, body) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(body + '\n');
}

const server = http.createServer((req, res) => {
  if (req.url !== '/webhook') return reply(res, 404, 'not found');
  if (req.method !== 'POST') return reply(res, 405, 'method not allowed');

  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size <= MAX_BODY) chunks.push(chunk);
  });
  req.on('error', () => {});
  req.on('end', () => {
    if (size > MAX_BODY) return reply(res, 413, 'payload too large');
    const raw = Buffer.concat(chunks);
    if (!verifySignature(raw, req.headers['x-hub-signature-256'])) {
      console.warn(`rejected delivery ${req.headers['x-github-delivery'] || '?'}: bad or missing signature`);
      return reply(res, 401, 'invalid signature');
    }
    const event = req.headers['x-github-event'];
    if (event !== 'deployment_status') return reply(res, 202, `ignored ${String(event).slice(0, 40)}`);

    let payload;
    try {
      payload = JSON.parse(raw.toString('utf8'));
    } catch {
      return reply(res, 400, 'body is not JSON');
    }
    reply(res, 202, 'accepted');
    const text = formatDeploymentStatus(payload);
    console.log(`deployment_status ${payload.repository && payload.repository.full_name} ${payload.deployment_status && payload.deployment_status.state}`);
    postToChat(text).catch((err) => console.error(`posting to chat failed: ${err.message}`));
  });
});

server.listen(PORT, () => console.log(`deploy bot listening on :${PORT}`));
