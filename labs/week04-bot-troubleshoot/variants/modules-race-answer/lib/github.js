'use strict';

/** workflow_dispatch of octo-org/shop's deploy.yml from main. Resolves when GitHub accepted it, rejects otherwise. */
async function dispatchDeploy({ api, token }, environment, version) {
  const res = await fetch(`${api}/repos/octo-org/shop/actions/workflows/deploy.yml/dispatches`, {
    method: 'POST',
    headers: { accept: 'application/vnd.github+json', authorization: `Bearer ${token}`, 'x-github-api-version': '2022-11-28', 'content-type': 'application/json' },
    body: JSON.stringify({ ref: 'main', inputs: { environment, version } }),
  });
  if (res.status !== 204) throw new Error(`GitHub answered ${res.status}`);
}

module.exports = { dispatchDeploy };
