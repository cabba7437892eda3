'use strict';
// A small take on @octokit/webhooks: verify, then dispatch by event name.
const { EventEmitter } = require('node:events');
const { createHmac, timingSafeEqual } = require('node:crypto');
const log = require('./logger');

/** @octokit/webhooks-methods sign(): "sha256=" + HMAC hex of the payload. */
function sign(secret, payload) {
  return `sha256=${createHmac('sha256', secret).update(payload).digest('hex')}`;
}

/** @octokit/webhooks-methods verify(): equal-length buffers, then a constant-time comparison. */
function verify(secret, payload, signature) {
  const signatureBuffer = Buffer.from(signature);
  const verificationBuffer = Buffer.from(sign(secret, payload));
  if (signatureBuffer.length !== verificationBuffer.length) return false;
  return timingSafeEqual(signatureBuffer, verificationBuffer);
}

class Webhooks {
  constructor({ secret }) {
    if (!secret) throw new Error('[webhooks] secret is required');
    this.secret = secret;
    this.emitter = new EventEmitter();
  }

  on(name, handler) {
    this.emitter.on(name, (event) => Promise.resolve(handler(event)).catch((err) => log.error({ delivery: event.id, err: err.message }, 'handler failed')));
  }

  onAny(handler) {
    this.emitter.on('*', handler);
  }

  middleware({ path }) {
    return (req, res) => {
      if (req.url.split('?')[0] !== path) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":"Unknown route"}');
        return;
      }
      if (req.method !== 'POST') {
        res.writeHead(405, { allow: 'POST' });
        res.end();
        return;
      }
      const id = req.headers['x-github-delivery'];
      const name = req.headers['x-github-event'];
      const signature = req.headers['x-hub-signature-256'];
      if (!id || !name || !signature) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end('{"error":"Required headers missing"}');
        return;
      }
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        if (!verify(this.secret, raw, signature)) {
          res.writeHead(401, { 'content-type': 'application/json' });
          res.end('{"error":"signature does not match event payload and secret"}');
          return;
        }
        let payload;
        try {
          payload = JSON.parse(raw.toString('utf8'));
        } catch {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end('{"error":"Invalid JSON"}');
          return;
        }
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok\n');
        this.emitter.emit('*', { id, name, payload });
        this.emitter.emit(name, { id, name, payload });
      });
    };
  }
}

module.exports = { Webhooks, sign, verify };
