'use strict';
// pino-style JSON lines: {"level":30,"time":...,"msg":"..."}; secrets redacted by key.
const LEVELS = { debug: 20, info: 30, warn: 40, error: 50 };
const REDACT = new Set(['secret', 'authorization', 'x-hub-signature-256', 'webhookUrl', 'CHAT_WEBHOOK_URL', 'WEBHOOK_SECRET']);

function redact(obj) {
  const out = {};
  for (const [k, v] of Object.entries(obj || {})) out[k] = REDACT.has(k) ? '[Redacted]' : v;
  return out;
}

function write(level, obj, msg) {
  const line = JSON.stringify({ level: LEVELS[level], time: Date.now(), name: 'deploy-bot', ...redact(obj), msg });
  (level === 'error' ? process.stderr : process.stdout).write(line + '\n');
}

module.exports = Object.fromEntries(Object.keys(LEVELS).map((l) => [l, (obj, msg) => write(l, obj, msg)]));
