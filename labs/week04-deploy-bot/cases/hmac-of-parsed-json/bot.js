// deploy-bot: GitHub deployment_status -> team chat
const http = require('http');
const crypto = require('crypto');

const secret = process.env.WEBHOOK_SECRET;
const chatUrl = process.env.CHAT_WEBHOOK_URL;

function isValid(payload, signature) {
  if (!signature) return false;
  const digest = 'sha256=' + crypto.createHmac('sha256', secret).update(JSON.stringify(payload)).digest('hex');
  const a = Buffer.from(digest);
  const b = Buffer.from(signature);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

function message(p) {
  const s = p.deployment_status;
  const failed = s.state === 'failure' || s.state === 'error';
  const icon = failed ? ':x:' : ':rocket:';
  return `${icon} ${p.repository.full_name} → ${s.environment}: *${s.state}*\n${s.target_url}`;
}

http
  .createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/webhook') {
      res.statusCode = 404;
      return res.end();
    }
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', async () => {
      let payload;
      try {
        payload = JSON.parse(data);
      } catch (e) {
        res.statusCode = 400;
        return res.end('bad json');
      }
      if (!isValid(payload, req.headers['x-hub-signature-256'])) {
        res.statusCode = 401;
        return res.end('unauthorized');
      }
      const event = req.headers['x-github-event'];
      if (event !== 'deployment_status') {
        res.statusCode = 204;
        return res.end();
      }
      try {
        await fetch(chatUrl, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ text: message(payload) }),
        });
      } catch (err) {
        console.error('chat post failed', err.message);
      }
      res.statusCode = 200;
      res.end('ok');
    });
  })
  .listen(process.env.PORT || 3000);
