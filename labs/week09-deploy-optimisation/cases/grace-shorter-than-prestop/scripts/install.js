'use strict';
// An offline stand-in for `npm ci`: runtime dependencies go into node_modules/ (from vendor/), build tools are set up
// in toolchain/ unless --omit=dev is given. Needs package.json, vendor/ and toolchain/, never src/.
const fs = require('node:fs');
const path = require('node:path');
const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
for (const [name, spec] of Object.entries(pkg.dependencies || {})) {
  const from = String(spec).replace(/^file:/, '');
  const to = path.join('node_modules', name);
  fs.mkdirSync(to, { recursive: true });
  for (const f of fs.readdirSync(from)) fs.copyFileSync(path.join(from, f), path.join(to, f));
  console.log(`installed ${name}`);
}
if (!process.argv.includes('--omit=dev')) {
  require(path.resolve('toolchain/minifier')).setup();
  console.log('set up the build toolchain');
}
