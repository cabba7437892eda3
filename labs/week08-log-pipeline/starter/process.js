'use strict';
// The shop's log processor: the frontend nginx's "combined" access log lines on stdin -> one JSON object per line
// on stdout, 5xx only.
//   $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"
// Node 18, no npm packages.
const readline = require('node:readline');

let skipped = 0;

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });

rl.on('line', (line) => {
  // TODO: parse `line`; if it is malformed, count it in `skipped` and move on.
  // TODO: keep only 5xx responses and write
  //   {"time": ISO-8601 UTC, "ip", "method", "path", "status": number, "bytes": number, "ua"}
  // as one line of JSON on stdout.
});

rl.on('close', () => {
  // TODO: report how many lines were skipped, on stderr.
});
