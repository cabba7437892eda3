'use strict';
async function postMessage(webhookUrl, text) {
  const res = await fetch(webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ text, unfurl_links: false }),
    signal: AbortSignal.timeout(5000),
  });
  return res.status;
}
module.exports = { postMessage };
