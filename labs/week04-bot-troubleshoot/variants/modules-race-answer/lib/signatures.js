'use strict';
const crypto = require('node:crypto');

const FIVE_MINUTES_MS = 5 * 60 * 1000;

/** Compares a hex signature from a header with the HMAC we computed, in constant time; false for anything malformed. */
function matches(hex, mac) {
  if (typeof hex !== 'string' || hex.length !== mac.length * 2 || /[^0-9a-f]/i.test(hex)) return false;
  return crypto.timingSafeEqual(Buffer.from(hex, 'hex'), mac);
}

function github(secret, rawBody, header) {
  const prefix = 'sha256=';
  if (typeof header !== 'string' || !header.startsWith(prefix)) return false;
  return matches(header.slice(prefix.length), crypto.createHmac('sha256', secret).update(rawBody).digest());
}

function slack(secret, rawBody, timestamp, header, nowMs = Date.now()) {
  const seconds = Number(timestamp);
  if (!Number.isInteger(seconds) || seconds <= 0) return false;
  if (Math.abs(nowMs - seconds * 1000) > FIVE_MINUTES_MS) return false;
  if (typeof header !== 'string' || !header.startsWith('v0=')) return false;
  const base = Buffer.concat([Buffer.from(`v0:${seconds}:`, 'utf8'), rawBody]);
  return matches(header.slice(3), crypto.createHmac('sha256', secret).update(base).digest());
}

module.exports = { github, slack };
