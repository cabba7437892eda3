'use strict';
// An offline stand-in for `npm ci`: installs the dependencies package.json lists from vendor/ into node_modules/.
// Like npm ci, it needs package.json (and the vendored packages) but not the application's source.
const fs = require('node:fs');
const path = require('node:path');
const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
for (const [name, spec] of Object.entries(pkg.dependencies || {})) {
  const from = String(spec).replace(/^file:/, '');
  const to = path.join('node_modules', name);
  fs.mkdirSync(to, { recursive: true });
  for (const f of fs.readdirSync(from)) fs.copyFileSync(path.join(from, f), path.join(to, f));
  console.log(`installed ${name} from ${from}`);
}
