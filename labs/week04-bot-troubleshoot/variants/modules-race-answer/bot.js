'use strict';
// The shop's deploy bot, split into modules: lib/signatures.js (GitHub and Slack), lib/github.js (workflow_dispatch),
// lib/format.js (the channel's messages). A /deploy is answered as soon as GitHub accepts the dispatch or after
// 1.5 s, whichever comes first, so Slack never waits 3 s and the user learns of a quick failure at once.
const http = require('node:http');
const verify = require('./lib/signatures');
const { dispatchDeploy } = require('./lib/github');
const { deploymentStatusText } = require('./lib/format');

const e = process.env;
const required = ['WEBHOOK_SECRET', 'SLACK_SIGNING_SECRET', 'CHAT_WEBHOOK_URL', 'GITHUB_TOKEN', 'DEPLOY_CHANNEL'];
const missing = required.filter((k) => !e[k]);
if (missing.length) {
  console.error(`missing ${missing.join(', ')}`);
  process.exit(1);
}
const github = { api: (e.GITHUB_API_URL || 'https://api.github.com').replace(/\/$/, ''), token: e.GITHUB_TOKEN };
const deployers = new Set((e.DEPLOYERS || '').split(','));
const ANSWER_WITHIN_MS = 1500;

const send = (res, status, body, type = 'text/plain') => {
  res.writeHead(status, { 'content-type': type });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};

function webhook(raw, req, res) {
  if (!verify.github(e.WEBHOOK_SECRET, raw, req.headers['x-hub-signature-256'])) return send(res, 401, 'invalid signature\n');
  if (req.headers['x-github-event'] !== 'deployment_status') return send(res, 200, 'ignored\n');
  let payload;
  try {
    payload = JSON.parse(raw.toString('utf8'));
  } catch {
    return send(res, 400, 'not JSON\n');
  }
  send(res, 202, 'accepted\n');
  fetch(e.CHAT_WEBHOOK_URL, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: deploymentStatusText(payload) }) })
    .then((r) => r.ok || console.error(`chat answered ${r.status}`))
    .catch((err) => console.error(`chat: ${err.message}`));
}

function command(raw, req, res) {
  if (!verify.slack(e.SLACK_SIGNING_SECRET, raw, req.headers['x-slack-request-timestamp'], req.headers['x-slack-signature'])) return send(res, 401, 'invalid signature\n');
  const form = new URLSearchParams(raw.toString('utf8'));
  const user = form.get('user_id');
  const answer = (response_type, text) => send(res, 200, { response_type, text }, 'application/json');
  if (!deployers.has(user) || form.get('channel_id') !== e.DEPLOY_CHANNEL) return answer('ephemeral', 'Deploys are for the shop team in #shop-deploys.');
  const words = (form.get('text') || '').trim().split(/\s+/);
  const [appName, environment, version] = words;
  if (words.length !== 3 || appName !== 'shop' || !['staging', 'production'].includes(environment) || !/^(v\d+\.\d+\.\d+|[0-9a-f]{40})$/.test(version)) {
    return answer('ephemeral', 'Usage: /deploy shop staging|production v1.2.3');
  }
  const started = dispatchDeploy(github, environment, version).then(
    () => 'started',
    (err) => {
      console.error(`dispatch failed: ${err.message}`);
      return 'failed';
    },
  );
  const timer = new Promise((resolve) => setTimeout(resolve, ANSWER_WITHIN_MS, 'pending'));
  Promise.race([started, timer]).then((outcome) => {
    if (outcome === 'failed') return answer('ephemeral', `:x: Could not start the deploy of shop ${version} to ${environment}. Try again in a minute.`);
    answer('in_channel', `Deploy of shop ${version} to ${environment} requested by <@${user}>${outcome === 'pending' ? ' (GitHub is slow to confirm; watch this channel)' : ''}`);
  });
}

const routes = { '/webhook': webhook, '/slack/commands': command };
http
  .createServer((req, res) => {
    const handler = req.method === 'POST' ? routes[req.url] : undefined;
    if (!handler) return send(res, 404, 'not found\n');
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => handler(Buffer.concat(chunks), req, res));
    req.on('error', () => res.destroy());
  })
  .listen(Number(e.PORT) || 8080);
