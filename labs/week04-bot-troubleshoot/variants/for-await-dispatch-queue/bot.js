'use strict';
// Deploy bot for octo-org/shop: async/await throughout, bodies read with for await, and a small in-process queue
// between the slash command and GitHub so the command is answered at once and deploys are started one at a time.
const http = require('node:http');
const crypto = require('node:crypto');

const env = process.env;
const cfg = {
  port: Number(env.PORT) || 8080,
  webhookSecret: env.WEBHOOK_SECRET,
  signingSecret: env.SLACK_SIGNING_SECRET,
  chatUrl: env.CHAT_WEBHOOK_URL,
  github: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
  token: env.GITHUB_TOKEN,
  deployers: (env.DEPLOYERS || '').split(',').filter(Boolean),
  channel: env.DEPLOY_CHANNEL,
};
if (Object.values(cfg).some((v) => v === undefined || v === '')) {
  console.error('missing configuration');
  process.exit(1);
}

const hmac = (key, ...parts) => parts.reduce((h, p) => h.update(p), crypto.createHmac('sha256', key)).digest();

function equalHex(hex, mac) {
  if (!/^[0-9a-f]{64}$/i.test(hex)) return false;
  return crypto.timingSafeEqual(Buffer.from(hex, 'hex'), mac);
}

const githubSigned = (body, header) => typeof header === 'string' && header.startsWith('sha256=') && equalHex(header.slice(7), hmac(cfg.webhookSecret, body));

function slackSigned(body, ts, sig) {
  const now = Math.floor(Date.now() / 1000);
  const t = Number.parseInt(ts, 10);
  if (!/^\d+$/.test(String(ts)) || !Number.isSafeInteger(t)) return false;
  if (now - t > 300 || t - now > 300) return false; // Slack: refuse anything more than five minutes away
  return typeof sig === 'string' && sig.startsWith('v0=') && equalHex(sig.slice(3), hmac(cfg.signingSecret, `v0:${t}:`, body));
}

async function readBody(req, limit = 1 << 20) {
  const parts = [];
  let n = 0;
  for await (const chunk of req) {
    n += chunk.length;
    if (n > limit) throw Object.assign(new Error('too large'), { status: 413 });
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

function icon(state) {
  switch (state) {
    case 'failure':
    case 'error':
      return '❌';
    case 'success':
      return '✅';
    case 'in_progress':
    case 'queued':
    case 'pending':
      return '⏳';
    default:
      return '•';
  }
}

async function notify(p) {
  const s = p.deployment_status || {};
  const text = [`${icon(s.state)} ${p.repository && p.repository.full_name} → ${s.environment}: ${s.state}`, s.description ? `> ${s.description}` : null, s.target_url || null]
    .filter(Boolean)
    .join('\n')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
  const r = await fetch(cfg.chatUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
  console.log(`chat answered ${r.status}`);
}

// The queue: jobs run one after another; a failing job is logged and the next one runs.
const jobs = [];
let draining = false;
async function drain() {
  if (draining) return;
  draining = true;
  while (jobs.length) {
    const job = jobs.shift();
    try {
      await job();
    } catch (err) {
      console.error(`job failed: ${err.message}`);
    }
  }
  draining = false;
}
const enqueue = (job) => {
  jobs.push(job);
  drain();
};

async function dispatch(environment, version) {
  const r = await fetch(`${cfg.github}/repos/octo-org/shop/actions/workflows/deploy.yml/dispatches`, {
    method: 'POST',
    headers: { accept: 'application/vnd.github+json', authorization: `Bearer ${cfg.token}`, 'x-github-api-version': '2022-11-28', 'content-type': 'application/json' },
    body: JSON.stringify({ ref: 'main', inputs: { environment, version } }),
  });
  if (!r.ok) throw new Error(`workflow_dispatch ${environment} ${version}: GitHub answered ${r.status}`);
  console.log(`dispatched ${environment} ${version}`);
}

const json = (res, status, obj) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(obj));

async function onWebhook(req, res) {
  const body = await readBody(req);
  if (!githubSigned(body, req.headers['x-hub-signature-256'])) return json(res, 401, { error: 'bad signature' });
  if (req.headers['x-github-event'] !== 'deployment_status') return json(res, 200, { ignored: true });
  const payload = JSON.parse(body.toString('utf8'));
  json(res, 202, { accepted: true });
  notify(payload).catch((err) => console.error(`chat failed: ${err.message}`));
}

async function onCommand(req, res) {
  const body = await readBody(req);
  if (!slackSigned(body, req.headers['x-slack-request-timestamp'], req.headers['x-slack-signature'])) return json(res, 401, { error: 'bad signature' });
  const f = new URLSearchParams(body.toString('utf8'));
  if (!cfg.deployers.includes(f.get('user_id')) || f.get('channel_id') !== cfg.channel) {
    return json(res, 200, { response_type: 'ephemeral', text: 'Only the shop team deploys, and only in #shop-deploys.' });
  }
  const m = /^shop (staging|production) (v\d+\.\d+\.\d+|[0-9a-f]{40})$/.exec((f.get('text') || '').trim());
  if (!m) return json(res, 200, { response_type: 'ephemeral', text: 'Usage: /deploy shop staging|production v1.2.3' });
  const [, environment, version] = m;
  json(res, 200, { response_type: 'in_channel', text: `Deploy of shop ${version} to ${environment} requested by <@${f.get('user_id')}>` });
  enqueue(() => dispatch(environment, version));
}

const routes = { 'POST /webhook': onWebhook, 'POST /slack/commands': onCommand };

http
  .createServer((req, res) => {
    const route = routes[`${req.method} ${req.url}`];
    if (!route) return json(res, 404, { error: 'not found' });
    route(req, res).catch((err) => {
      if (!res.headersSent) json(res, err.status || 400, { error: err.status ? 'too large' : 'bad request' });
    });
  })
  .listen(cfg.port, () => console.log(`listening on ${cfg.port}`));
