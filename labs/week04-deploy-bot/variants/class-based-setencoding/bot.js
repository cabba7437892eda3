'use strict';
const http = require('node:http');
const crypto = require('node:crypto');

class DeploymentFormatter {
  static FAILED = new Set(['failure', 'error']);

  format(payload) {
    const s = payload.deployment_status;
    const icon = DeploymentFormatter.FAILED.has(s.state) ? '🚨' : s.state === 'success' ? '✅' : '🔄';
    const lines = [`${icon} ${payload.repository.full_name} [${s.environment}] ${s.state}`];
    if (s.target_url) lines.push(`details: ${s.target_url}`);
    return lines.join('\n');
  }
}

class ChatNotifier {
  constructor(webhookUrl) {
    this.webhookUrl = webhookUrl;
  }

  async notify(text) {
    const res = await fetch(this.webhookUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text }),
    });
    if (!res.ok) throw new Error(`chat answered HTTP ${res.status}`);
  }
}

class WebhookReceiver {
  constructor({ secret, notifier, formatter }) {
    this.secret = secret;
    this.notifier = notifier;
    this.formatter = formatter;
    this.seen = new Map(); // delivery id -> time, to drop redeliveries
  }

  isAuthentic(body, header) {
    if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
    const givenHex = header.slice('sha256='.length);
    if (givenHex.length !== 64 || /[^0-9a-fA-F]/.test(givenHex)) return false;
    const expected = crypto.createHmac('sha256', this.secret).update(body, 'utf8').digest();
    return crypto.timingSafeEqual(Buffer.from(givenHex, 'hex'), expected);
  }

  isDuplicate(id) {
    if (!id) return false;
    if (this.seen.has(id)) return true;
    this.seen.set(id, Date.now());
    if (this.seen.size > 1000) this.seen.delete(this.seen.keys().next().value);
    return false;
  }

  respond(res, status, doc) {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(doc));
  }

  handle(req, res) {
    if (req.method !== 'POST' || req.url !== '/webhook') return this.respond(res, 404, { error: 'not found' });
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (part) => {
      body += part;
    });
    req.on('end', () => {
      if (!this.isAuthentic(body, req.headers['x-hub-signature-256'])) return this.respond(res, 401, { error: 'invalid signature' });
      const event = req.headers['x-github-event'];
      if (event !== 'deployment_status' || this.isDuplicate(req.headers['x-github-delivery'])) return this.respond(res, 202, { ok: true, ignored: true });
      this.respond(res, 202, { ok: true });
      const text = this.formatter.format(JSON.parse(body));
      this.notifier.notify(text).catch((err) => console.error(`notify failed: ${err.message}`));
    });
  }

  listen(port) {
    http.createServer((req, res) => this.handle(req, res)).listen(port, () => console.info(`receiver on :${port}`));
  }
}

new WebhookReceiver({
  secret: process.env.WEBHOOK_SECRET,
  notifier: new ChatNotifier(process.env.CHAT_WEBHOOK_URL),
  formatter: new DeploymentFormatter(),
}).listen(Number(process.env.PORT));
