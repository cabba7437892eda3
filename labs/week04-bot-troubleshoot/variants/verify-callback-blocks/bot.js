'use strict';
// The deploy bot in the style of an Express app, without Express (no npm packages here): a tiny app.post() router and
// body parsers that take a verify(req, buf) callback, as express.json({ verify }) and express.urlencoded({ verify })
// do, so each signature is checked on the buffer before the body is parsed. Callbacks, no async/await.
const http = require('node:http');
const crypto = require('node:crypto');

const {
  PORT = '8080',
  WEBHOOK_SECRET,
  SLACK_SIGNING_SECRET,
  CHAT_WEBHOOK_URL,
  GITHUB_API_URL = 'https://api.github.com',
  GITHUB_TOKEN,
  DEPLOYERS = '',
  DEPLOY_CHANNEL,
} = process.env;
if (!WEBHOOK_SECRET || !SLACK_SIGNING_SECRET || !CHAT_WEBHOOK_URL || !GITHUB_TOKEN || !DEPLOY_CHANNEL) {
  console.error('configuration missing');
  process.exit(1);
}
const deployers = new Set(DEPLOYERS.split(','));

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// ---- a minimal app ---------------------------------------------------------------------------------------------
const app = { routes: [] };
app.post = (path, ...handlers) => app.routes.push({ path, handlers });

/** Like express.raw/json/urlencoded with a verify option: reads the whole body, calls verify(req, buf), then parses. */
function bodyParser(parse, verify) {
  return (req, res, next) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('error', next);
    req.on('end', () => {
      const buf = Buffer.concat(chunks);
      try {
        verify(req, buf);
        req.body = parse(buf);
      } catch (err) {
        return next(err);
      }
      next();
    });
  };
}

function run(req, res, handlers, i = 0) {
  const h = handlers[i];
  if (!h) return;
  h(req, res, (err) => {
    if (err) {
      res.writeHead(err.status || 400, { 'content-type': 'text/plain' });
      return res.end(`${err.message}\n`);
    }
    run(req, res, handlers, i + 1);
  });
}

// ---- verification ---------------------------------------------------------------------------------------------
function timingSafeHex(hex, expectedBuf) {
  const got = Buffer.from(hex, 'hex');
  if (!/^[0-9a-fA-F]{64}$/.test(hex) || got.length !== expectedBuf.length || !crypto.timingSafeEqual(got, expectedBuf)) throw new HttpError(401, 'invalid signature');
}

function verifyGitHub(req, buf) {
  const header = String(req.headers['x-hub-signature-256'] || '');
  if (!header.startsWith('sha256=')) throw new HttpError(401, 'missing signature');
  timingSafeHex(header.slice(7), crypto.createHmac('sha256', WEBHOOK_SECRET).update(buf).digest());
}

function verifySlack(req, buf) {
  const ts = String(req.headers['x-slack-request-timestamp'] || '');
  const sig = String(req.headers['x-slack-signature'] || '');
  if (!/^\d+$/.test(ts) || !sig.startsWith('v0=')) throw new HttpError(401, 'missing signature');
  const skewMs = Math.abs(Date.now() - Number(ts) * 1000);
  if (skewMs > 5 * 60 * 1000) throw new HttpError(401, 'stale request');
  timingSafeHex(sig.slice(3), crypto.createHmac('sha256', SLACK_SIGNING_SECRET).update('v0:' + ts + ':').update(buf).digest());
}

// ---- outgoing -------------------------------------------------------------------------------------------------
function postJson(url, headers, body, cb) {
  const u = new URL(url);
  const data = Buffer.from(JSON.stringify(body));
  const req = http.request({ hostname: u.hostname, port: u.port, path: u.pathname + u.search, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': data.length, ...headers } }, (res) => {
    res.resume();
    res.on('end', () => cb(null, res.statusCode));
  });
  req.setTimeout(10000, () => req.destroy(new Error('timeout')));
  req.on('error', (err) => cb(err));
  req.end(data);
}

const mrkdwn = (s) => String(s == null ? '' : s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function blocksFor(payload) {
  const s = payload.deployment_status || {};
  const bad = s.state === 'failure' || s.state === 'error';
  const head = `${bad ? ':x: ' : ''}*${mrkdwn(payload.repository && payload.repository.full_name)}* → *${mrkdwn(s.environment)}*: \`${mrkdwn(s.state)}\``;
  const text = `${head}${s.target_url ? ` <${s.target_url}|run>` : ''}`;
  return {
    text, // the notification's fallback
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: head } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `${mrkdwn(s.description || '')} ${s.target_url || ''}` }] },
    ],
  };
}

// ---- routes ---------------------------------------------------------------------------------------------------
app.post('/webhook', bodyParser((b) => JSON.parse(b.toString('utf8')), verifyGitHub), (req, res) => {
  if (req.headers['x-github-event'] !== 'deployment_status') return res.writeHead(204).end();
  res.writeHead(202).end();
  postJson(CHAT_WEBHOOK_URL, {}, blocksFor(req.body), (err, status) => {
    if (err || status !== 200) console.error(`chat: ${err ? err.message : status}`);
  });
});

app.post('/slack/commands', bodyParser((b) => new URLSearchParams(b.toString('utf8')), verifySlack), (req, res) => {
  const f = req.body;
  const say = (type, text) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ response_type: type, text }));
  if (!deployers.has(f.get('user_id')) || f.get('channel_id') !== DEPLOY_CHANNEL) return say('ephemeral', 'Not allowed here.');
  const [app_, environment, version] = String(f.get('text') || '').trim().split(/\s+/);
  if (app_ !== 'shop' || !['staging', 'production'].includes(environment) || !/^(v\d+\.\d+\.\d+|[0-9a-f]{40})$/.test(version || '')) {
    return say('ephemeral', 'Usage: /deploy shop staging|production v1.2.3');
  }
  say('in_channel', `Deploy of shop ${version} to ${environment} requested by <@${f.get('user_id')}>`);
  process.nextTick(() =>
    postJson(
      `${GITHUB_API_URL}/repos/octo-org/shop/actions/workflows/deploy.yml/dispatches`,
      { accept: 'application/vnd.github+json', authorization: `Bearer ${GITHUB_TOKEN}`, 'x-github-api-version': '2022-11-28', 'user-agent': 'shop-deploy-bot' },
      { ref: 'main', inputs: { environment, version } },
      (err, status) => {
        if (err || status !== 204) console.error(`dispatch ${environment} ${version} failed: ${err ? err.message : status}`);
      },
    ),
  );
});

http
  .createServer((req, res) => {
    const route = req.method === 'POST' && app.routes.find((r) => r.path === req.url);
    if (!route) return res.writeHead(404).end();
    run(req, res, route.handlers);
  })
  .listen(Number(PORT));
