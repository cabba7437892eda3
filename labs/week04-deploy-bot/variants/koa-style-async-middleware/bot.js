'use strict';
const http = require('node:http');
const crypto = require('node:crypto');
const { buffer } = require('node:stream/consumers');

const settings = Object.freeze({
  port: Number(process.env.PORT ?? 8080),
  secret: process.env.WEBHOOK_SECRET ?? '',
  chat: new URL(process.env.CHAT_WEBHOOK_URL ?? 'http://127.0.0.1:9/none'),
});

const metrics = { deliveries: 0, rejected: 0, posted: 0, postErrors: 0 };
const log = (level, msg, fields = {}) => console.log(JSON.stringify({ ts: new Date().toISOString(), level, msg, ...fields }));

// koa-compose, in short
function compose(middleware) {
  return (ctx) => {
    const dispatch = (i) => {
      const fn = middleware[i];
      if (!fn) return Promise.resolve();
      return Promise.resolve(fn(ctx, () => dispatch(i + 1)));
    };
    return dispatch(0);
  };
}

async function errorBoundary(ctx, next) {
  try {
    await next();
  } catch (err) {
    ctx.status = err.status ?? 500;
    ctx.body = err.expose ? err.message : 'internal error';
    if (ctx.status >= 500) log('error', 'request failed', { error: err.message });
  }
}

async function route(ctx, next) {
  if (ctx.path !== '/webhook') throw Object.assign(new Error('not found'), { status: 404, expose: true });
  if (ctx.method !== 'POST') throw Object.assign(new Error('method not allowed'), { status: 405, expose: true });
  await next();
}

async function rawBody(ctx, next) {
  ctx.raw = await buffer(ctx.req);
  await next();
}

function expectedSignature(raw) {
  return crypto.createHmac('sha256', settings.secret).update(raw).digest();
}

async function githubSignature(ctx, next) {
  const header = ctx.req.headers['x-hub-signature-256'];
  const m = typeof header === 'string' ? /^sha256=([a-f0-9]{64})$/.exec(header) : null;
  const ok = m !== null && crypto.timingSafeEqual(Buffer.from(m[1], 'hex'), expectedSignature(ctx.raw));
  if (!ok) {
    metrics.rejected++;
    throw Object.assign(new Error('signature verification failed'), { status: 401, expose: true });
  }
  await next();
}

function postJson(url, doc) {
  const body = Buffer.from(JSON.stringify(doc));
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

function chatText({ deployment_status: ds, repository: repo }) {
  const failed = ['failure', 'error'].includes(ds.state);
  return [failed ? ':x: *Deployment FAILED*' : ':white_check_mark: Deployment update', `repo: ${repo.full_name}`, `environment: ${ds.environment}`, `state: ${ds.state}`, `run: ${ds.target_url}`].join('\n');
}

async function events(ctx) {
  metrics.deliveries++;
  const name = ctx.req.headers['x-github-event'];
  ctx.status = 202;
  ctx.body = 'accepted';
  if (name !== 'deployment_status') return;
  const payload = JSON.parse(ctx.raw.toString('utf8'));
  ctx.after = async () => {
    try {
      const status = await postJson(settings.chat, { text: chatText(payload) });
      metrics.posted++;
      log('info', 'posted', { delivery: ctx.req.headers['x-github-delivery'], state: payload.deployment_status.state, status });
    } catch (err) {
      metrics.postErrors++;
      log('warn', 'chat post failed', { error: err.message });
    }
  };
}

const app = compose([errorBoundary, route, rawBody, githubSignature, events]);

http
  .createServer(async (req, res) => {
    const ctx = { req, method: req.method, path: new URL(req.url, 'http://x').pathname, status: 404, body: '' };
    await app(ctx);
    res.writeHead(ctx.status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(String(ctx.body));
    if (ctx.after) await ctx.after();
  })
  .listen(settings.port, () => log('info', 'listening', { port: settings.port }));

http
  .createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(Object.entries(metrics).map(([k, v]) => `deploy_bot_${k}_total ${v}`).join('\n') + '\n');
  })
  .listen(9102);
