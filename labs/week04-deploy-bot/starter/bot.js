'use strict';
// The shop's deploy bot: receives GitHub's webhooks for octo-org/shop and posts every deployment status change
// to the team's #shop-deploys channel.
// Node 18, no npm packages: node:http, node:crypto and the global fetch() are all you need.
const http = require('node:http');
// const crypto = require('node:crypto');

const PORT = Number(process.env.PORT) || 8080;
const SECRET = process.env.WEBHOOK_SECRET; // never print this
const CHAT_URL = process.env.CHAT_WEBHOOK_URL; // a Slack-style incoming webhook: POST {"text": "..."}

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/webhook') {
    res.writeHead(404);
    return res.end('not found\n');
  }

  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);

    // TODO 1: verify the X-Hub-Signature-256 header (HMAC-SHA256 of `raw` with SECRET); answer 401 if it is
    //         missing or wrong.
    // TODO 2: look at the X-GitHub-Event header; for anything but deployment_status, answer 2xx and stop.
    // TODO 3: for deployment_status, post a message to CHAT_URL naming the repository, the environment, the
    //         state and the target URL; make failures stand out.

    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok\n');
  });
});

server.listen(PORT, () => console.log(`listening on :${PORT}`));
