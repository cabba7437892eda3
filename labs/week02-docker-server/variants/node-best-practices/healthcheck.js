'use strict';
// exit code 0 = healthy, 1 = unhealthy (Docker runs this every --interval)
const port = Number(process.env.PORT ?? 8080);

fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) })
  .then((res) => process.exit(res.ok ? 0 : 1))
  .catch(() => process.exit(1));
