'use strict';
const EMOJI = { success: '✅', failure: '❌', error: '❌', in_progress: '⏳', queued: '⏳', pending: '⏳', inactive: '💤' };

const escapeSlack = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function formatDeployment({ deployment_status: status, repository }) {
  const emoji = EMOJI[status.state] || 'ℹ️';
  const link = status.target_url ? ` · <${status.target_url}|logs>` : '';
  return `${emoji} *${escapeSlack(repository.full_name)}* · ${escapeSlack(status.environment)} · ${escapeSlack(status.state)}${link}`;
}

module.exports = { formatDeployment };
