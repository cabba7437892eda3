'use strict';
// Builds src/ into dist/ with the toolchain.
const fs = require('node:fs');
const path = require('node:path');
const { minify } = require(path.resolve('toolchain/minifier'));
fs.mkdirSync('dist', { recursive: true });
for (const f of fs.readdirSync('src')) fs.writeFileSync(path.join('dist', f), minify(fs.readFileSync(path.join('src', f), 'utf8')));
console.log(`built ${fs.readdirSync('dist').length} file(s) into dist/`);
