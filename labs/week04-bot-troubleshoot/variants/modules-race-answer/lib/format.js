'use strict';

const MARKS = new Map([
  ['failure', ':x:'],
  ['error', ':x:'],
  ['success', ':white_check_mark:'],
  ['in_progress', ':arrows_counterclockwise:'],
]);
const esc = (s) => String(s ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function deploymentStatusText(payload) {
  const st = payload.deployment_status ?? {};
  const lines = [`${MARKS.get(st.state) ?? ':grey_question:'} ${esc(payload.repository?.full_name)} to ${esc(st.environment)}: ${esc(st.state)}`];
  if (st.description) lines.push(`> ${esc(st.description)}`);
  if (st.target_url) lines.push(st.target_url);
  return lines.join('\n');
}

module.exports = { deploymentStatusText };
