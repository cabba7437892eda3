'use strict';
// The shop's deploy bot (bot.octo-org.example): GitHub's deployment_status webhooks become messages in #shop-deploys,
// and /deploy in #shop-deploys starts the deploy workflow of octo-org/shop with workflow_dispatch.
// Node 18 or later, no npm packages: node:http, node:crypto and the global fetch.
const http = require('node:http');
const crypto = require('node:crypto');

const PORT = Number(process.env.PORT) || 8080;
const WEBHOOK_SECRET = process.env.WEBHOOK_SECRET;
const SLACK_SIGNING_SECRET = process.env.SLACK_SIGNING_SECRET;
const CHAT_URL = process.env.CHAT_WEBHOOK_URL;
const GITHUB_API = (process.env.GITHUB_API_URL || 'https://api.github.com').replace(/\/$/, '');
const GITHUB_TOKEN = process.env.GITHUB_TOKEN;
const DEPLOYERS = new Set((process.env.DEPLOYERS || '').split(',').map((s) => s.trim()).filter(Boolean));
const DEPLOY_CHANNEL = process.env.DEPLOY_CHANNEL;
const MAX_BODY = 1024 * 1024;
const FIVE_MINUTES = 5 * 60 * 1000;
const stats = { deliveries: 0, refused: 0, commands: 0 };
const REDELIVERY_WINDOW = 3 * 24 * 3600 * 1000;
const MAX_REMEMBERED = 10000;
// X-GitHub-Delivery IDs already handled: a redelivery of one gets 200 and no second message.
const seenDeliveries = new Map();
// Slack signatures already accepted within the five-minute window: the same captured request sent again is refused.
const seenCommands = new Map();

function firstTime(map, key, windowMs) {
  const now = Date.now();
  for (const [k, t] of map) {
    if (now - t > windowMs || map.size > MAX_REMEMBERED) map.delete(k);
    else break; // insertion order is time order
  }
  if (map.has(key)) return false;
  map.set(key, now);
  return true;
}

process.on('unhandledRejection', (err) => console.error(`unhandled rejection: ${err && err.message}`));

for (const [name, value] of Object.entries({ WEBHOOK_SECRET, SLACK_SIGNING_SECRET, CHAT_URL, GITHUB_TOKEN, DEPLOY_CHANNEL })) {
  if (!value) {
    console.error(`configuration missing: ${name}`);
    process.exit(1);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Signatures: GitHub's and Slack's, both HMAC-SHA256 with a shared secret.

function sameHex(givenHex, expected) {
  if (!/^[0-9a-f]+$/i.test(givenHex) || givenHex.length % 2) return false;
  const given = Buffer.from(givenHex, 'hex');
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

/**
 * GitHub: X-Hub-Signature-256 = "sha256=" + hex(HMAC(secret, body)). Takes the parsed payload so the handler parses
 * the body once and test/verify.test.js can call it with an object (#231).
 */
function verifyGitHub(raw, header) {
  if (typeof header !== 'string' || !/^sha256=[0-9a-f]{64}$/i.test(header)) return false;
  return sameHex(header.slice(7), crypto.createHmac('sha256', WEBHOOK_SECRET).update(raw).digest());
}

/** Slack: X-Slack-Signature = "v0=" + hex(HMAC(secret, "v0:" + timestamp + ":" + raw body)), timestamp within 5 minutes. */
function verifySlack(raw, timestamp, signature) {
  if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp)) return false;
  if (typeof signature !== 'string' || !/^v0=[0-9a-f]{64}$/i.test(signature)) return false;
  if (Math.abs(Date.now() - Number(timestamp) * 1000) > FIVE_MINUTES) return false; // older than five minutes: a replay
  const expected = crypto.createHmac('sha256', SLACK_SIGNING_SECRET).update(`v0:${timestamp}:`).update(raw).digest();
  return sameHex(signature.slice(3), expected);
}

// ---------------------------------------------------------------------------------------------------------------
// Messages to #shop-deploys

const escape = (s) => String(s ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
// The channel's convention: a failed deploy starts with ❌, so the on-call's keyword notification fires.
const ICONS = { success: '✅', failure: '❌', error: '❌', in_progress: '⏳', queued: '⏳', pending: '⏳', inactive: '💤' };

function formatDeploymentStatus(payload) {
  const status = payload.deployment_status || {};
  const repo = (payload.repository && payload.repository.full_name) || 'unknown repository';
  const env = status.environment || (payload.deployment && payload.deployment.environment) || 'unknown environment';
  const state = status.state || 'unknown';
  const url = status.target_url || status.log_url || '';
  const lines = [`${ICONS[state] || 'ℹ️'} Deploy of *${escape(repo)}* → *${escape(env)}*: ${escape(state)}`];
  if (status.description) lines.push(`> ${escape(status.description)}`);
  if (url) lines.push(url);
  return lines.join('\n');
}

async function postToChat(text) {
  const res = await fetch(CHAT_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
    signal: AbortSignal.timeout(5000),
  });
  if (!res.ok) console.error(`chat webhook answered ${res.status}`);
}

// ---------------------------------------------------------------------------------------------------------------
// /deploy

const ENVIRONMENTS = new Set(['staging', 'production']);
const VERSION = /^(v\d+\.\d+\.\d+|[0-9a-f]{40})$/;

async function dispatch(environment, version) {
  const res = await fetch(`${GITHUB_API}/repos/octo-org/shop/actions/workflows/deploy.yml/dispatches`, {
    method: 'POST',
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${GITHUB_TOKEN}`,
      'x-github-api-version': '2022-11-28',
      'content-type': 'application/json',
    },
    body: JSON.stringify({ ref: 'main', inputs: { environment, version } }),
    signal: AbortSignal.timeout(10000),
  });
  if (res.status !== 204 && res.status !== 200) throw new Error(`GitHub answered ${res.status}`);
}

async function followUp(responseUrl, text) {
  if (typeof responseUrl !== 'string' || !responseUrl.startsWith('https://hooks.slack.com/')) return;
  await fetch(responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', text }),
    signal: AbortSignal.timeout(5000),
  });
}

async function handleCommand(raw, headers, res) {
  stats.commands++;
  const type = String(headers['content-type'] || '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return reply(res, 415, 'expected a form-encoded slash command');
  if (!verifySlack(raw, headers['x-slack-request-timestamp'], headers['x-slack-signature'])) {
    console.warn('refused a slash command: bad signature or stale timestamp');
    return reply(res, 401, 'invalid signature');
  }
  if (!firstTime(seenCommands, headers['x-slack-signature'].toLowerCase(), 2 * FIVE_MINUTES)) {
    console.warn('refused a slash command: the same signed request was already accepted (replay)');
    return reply(res, 401, 'replayed request');
  }
  const form = new URLSearchParams(raw.toString('utf8'));
  const user = form.get('user_id') || '';
  const answer = (responseType, text) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ response_type: responseType, text }));
  };
  if (!DEPLOYERS.has(user) || form.get('channel_id') !== DEPLOY_CHANNEL) {
    return answer('ephemeral', 'Deploys are started in #shop-deploys by the shop team. Ask to be added.');
  }
  const [app, environment, version] = (form.get('text') || '').trim().split(/\s+/);
  if (app !== 'shop' || !ENVIRONMENTS.has(environment) || !VERSION.test(version || '')) {
    return answer('ephemeral', 'Usage: /deploy shop staging|production <v1.2.3 or a full commit SHA>');
  }
  console.log(`deploy requested: ${environment} ${version} by ${user}`);
  answer('in_channel', `Deploy of shop ${version} to ${environment} requested by <@${user}>`);
  dispatch(environment, version)
    .catch((err) => {
      console.error(`dispatch failed: ${err.message}`);
      return followUp(form.get('response_url'), `❌ Could not start the deploy of shop ${version} to ${environment}: ${err.message}`);
    })
    .catch((err) => console.error(`follow-up failed: ${err.message}`));
}

// ---------------------------------------------------------------------------------------------------------------
// GitHub webhooks

function handleWebhook(raw, headers, res) {
  const delivery = String(headers['x-github-delivery'] || '?').slice(0, 64);
  stats.deliveries++;
  if (!verifyGitHub(raw, headers['x-hub-signature-256'])) {
    stats.refused++;
    console.warn(`rejected delivery ${delivery}: bad or missing signature`);
    return reply(res, 401, 'invalid signature');
  }
  const event = String(headers['x-github-event'] || '');
  if (event !== 'deployment_status') return reply(res, 202, 'ignored');
  if (delivery !== '?' && !firstTime(seenDeliveries, delivery, REDELIVERY_WINDOW)) {
    console.log(`delivery ${delivery} already handled`);
    return reply(res, 200, 'duplicate');
  }
  // GitHub sends JSON, or with content type "application/x-www-form-urlencoded" the JSON in a payload= field.
  let payload;
  try {
    const type = String(headers['content-type'] || '').split(';')[0].trim().toLowerCase();
    const text = raw.toString('utf8');
    payload = JSON.parse(type === 'application/x-www-form-urlencoded' ? new URLSearchParams(text).get('payload') || '' : text);
    if (!payload || typeof payload !== 'object') throw new Error('not an object');
  } catch {
    seenDeliveries.delete(delivery);
    return reply(res, 400, 'body is not JSON');
  }
  reply(res, 202, 'accepted');
  const state = payload.deployment_status && payload.deployment_status.state;
  console.log(`delivery ${delivery} deployment_status ${state}`);
  postToChat(formatDeploymentStatus(payload)).catch((err) => console.error(`posting to chat failed: ${err.message}`));
}

// ---------------------------------------------------------------------------------------------------------------

function reply(res, status, body) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(body + '\n');
}

const routes = { '/webhook': handleWebhook, '/slack/commands': handleCommand };

const server = http
  .createServer((req, res) => {
    const route = routes[req.url];
    if (!route) return reply(res, 404, 'not found');
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
      Promise.resolve(route(Buffer.concat(chunks), req.headers, res)).catch((err) => {
        console.error(`handler failed: ${err.message}`);
        if (!res.headersSent) reply(res, 500, 'internal error');
      });
    });
  })
  .listen(PORT, () => console.log(`deploy bot listening on :${PORT}`));
server.requestTimeout = 15000;
server.headersTimeout = 10000;

setInterval(() => {
  console.log(`last five minutes: ${stats.deliveries} deliveries (${stats.refused} refused), ${stats.commands} commands`);
  stats.deliveries = stats.refused = stats.commands = 0;
}, FIVE_MINUTES).unref();
