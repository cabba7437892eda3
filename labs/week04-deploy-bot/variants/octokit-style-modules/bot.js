'use strict';
const http = require('node:http');
const { Webhooks } = require('./lib/webhooks');
const { formatDeployment } = require('./lib/format');
const { postMessage } = require('./lib/slack');
const log = require('./lib/logger');

const webhooks = new Webhooks({ secret: process.env.WEBHOOK_SECRET });

webhooks.on('deployment_status', async ({ id, payload }) => {
  const status = await postMessage(process.env.CHAT_WEBHOOK_URL, formatDeployment(payload));
  log.info({ delivery: id, repo: payload.repository.full_name, state: payload.deployment_status.state, chatStatus: status }, 'deployment status announced');
});

webhooks.onAny(({ id, name }) => log.debug({ delivery: id, event: name }, 'delivery verified'));

const server = http.createServer(webhooks.middleware({ path: '/webhook' }));
server.listen(Number(process.env.PORT), () => log.info({ port: Number(process.env.PORT) }, 'deploy bot ready'));
