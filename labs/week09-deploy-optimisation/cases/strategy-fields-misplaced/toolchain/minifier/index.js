'use strict';
// A build-time tool. Like a real compiler toolchain, setting it up writes a large cache (toolchain/.cache) that the
// build needs and the running service never does.
const fs = require('node:fs');
const path = require('node:path');
const cacheDir = path.join(__dirname, '..', '.cache');

exports.setup = () => {
  fs.mkdirSync(cacheDir, { recursive: true });
  // 6 MiB of "precompiled tables", deterministic so every build writes the same bytes.
  const chunk = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 2654435761) >>> 24;
  for (let n = 0; n < 6; n++) fs.writeFileSync(path.join(cacheDir, `table-${n}.bin`), chunk);
};

exports.minify = (source) => {
  if (!fs.existsSync(path.join(cacheDir, 'table-0.bin'))) throw new Error('minifier: run the toolchain setup first (scripts/install.js)');
  return source
    .split('\n')
    .map((l) => l.replace(/^\s+/, '').replace(/\s*\/\/ .*$/, ''))
    .filter((l) => l.length > 0)
    .join('\n');
};
