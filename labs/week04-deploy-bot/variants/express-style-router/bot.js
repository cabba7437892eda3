'use strict';
/*
 * deploy-notifier: a tiny Express-like app on node:http.
 *   app.use(rawBody)             -> req.rawBody (Buffer), like express.raw({ type: '*\/*' })
 *   app.post('/webhook', verifyGithub, onDelivery)
 */
var http = require('http');
var crypto = require('crypto');
var url = require('url');

var config = {
  port: Number(process.env.PORT || 3000),
  secret: process.env.WEBHOOK_SECRET || '',
  chatWebhook: process.env.CHAT_WEBHOOK_URL || '',
};

function createApp() {
  var stack = [];
  var routes = [];
  function app(req, res) {
    var path = url.parse(req.url).pathname;
    var handlers = stack.slice();
    routes.forEach(function (r) {
      if (r.method === req.method && r.path === path) handlers = handlers.concat(r.handlers);
    });
    var matched = routes.some(function (r) { return r.method === req.method && r.path === path; });
    if (!matched) handlers = [function (rq, rs) { rs.statusCode = 404; rs.end('Cannot ' + rq.method + ' ' + path); }];
    var i = 0;
    function next(err) {
      if (err) {
        res.statusCode = err.status || 500;
        return res.end(err.expose ? err.message : 'Internal Server Error');
      }
      var h = handlers[i++];
      if (!h) return;
      try {
        h(req, res, next);
      } catch (e) {
        next(e);
      }
    }
    next();
  }
  app.use = function (fn) { stack.push(fn); };
  app.post = function (path) { routes.push({ method: 'POST', path: path, handlers: Array.prototype.slice.call(arguments, 1) }); };
  app.listen = function (port, cb) { return http.createServer(app).listen(port, cb); };
  return app;
}

function httpError(status, message) {
  var e = new Error(message);
  e.status = status;
  e.expose = true;
  return e;
}

// express.raw(): keep the exact bytes
function rawBody(req, res, next) {
  var chunks = [];
  req.on('data', function (c) { chunks.push(c); });
  req.on('error', next);
  req.on('end', function () {
    req.rawBody = Buffer.concat(chunks);
    next();
  });
}

function verifyGithub(req, res, next) {
  var header = req.headers['x-hub-signature-256'];
  if (!header) return next(httpError(401, 'missing X-Hub-Signature-256'));
  var digest = 'sha256=' + crypto.createHmac('sha256', config.secret).update(req.rawBody).digest('hex');
  var a = Buffer.from(header, 'utf8');
  var b = Buffer.from(digest, 'utf8');
  if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) return next(httpError(401, 'bad signature'));
  next();
}

var COLORS = { success: 'good', failure: 'danger', error: 'danger' };

function slackMessage(event) {
  var ds = event.deployment_status;
  var repo = event.repository.full_name;
  return {
    attachments: [
      {
        color: COLORS[ds.state] || '#439FE0',
        title: repo + ' → ' + ds.environment,
        title_link: ds.target_url,
        text: 'State: ' + ds.state + '\n' + ds.target_url,
        fallback: repo + ' ' + ds.environment + ' ' + ds.state,
      },
    ],
  };
}

function postToChat(message, done) {
  var target = url.parse(config.chatWebhook);
  var body = JSON.stringify(message);
  var req = http.request(
    {
      hostname: target.hostname,
      port: target.port,
      path: target.path,
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      timeout: 5000,
    },
    function (res) {
      res.resume();
      res.on('end', function () { done(null, res.statusCode); });
    }
  );
  req.on('timeout', function () { req.destroy(new Error('chat webhook timed out')); });
  req.on('error', function (e) { done(e); });
  req.end(body);
}

function onDelivery(req, res) {
  var event = req.headers['x-github-event'];
  if (event !== 'deployment_status') {
    res.statusCode = 204;
    return res.end();
  }
  var payload;
  try {
    payload = JSON.parse(req.rawBody.toString('utf8'));
  } catch (e) {
    res.statusCode = 400;
    return res.end('invalid JSON');
  }
  res.statusCode = 200;
  res.end('ok');
  postToChat(slackMessage(payload), function (err, status) {
    if (err) console.error('[deploy-notifier] chat post failed: ' + err.message);
    else console.log('[deploy-notifier] chat answered ' + status);
  });
}

var app = createApp();
app.use(rawBody);
app.post('/webhook', verifyGithub, onDelivery);
app.listen(config.port, function () {
  console.log('[deploy-notifier] up on port ' + config.port);
});
