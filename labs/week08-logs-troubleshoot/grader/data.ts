/**
 * The hidden logs of one node of the shop's cluster during the incident, as the container runtime wrote them (CRI
 * format: "<time> <stream> <F|P> <text>"), and what each line is (the ground truth the checks compare with): checkout's
 * JSON lines, its stack traces on stderr, one JSON line long enough for the runtime to split (P then F), and the
 * frontend's nginx access log in Seoul time (+0900) with IPv4 and IPv6 clients and the kubelet's health checks. nginx
 * writes its access log through a buffer (buffer=32k flush=5s), so the runtime stamps a line when the buffer is flushed,
 * up to five seconds after the request.
 * Generated from a fixed seed: the same every run.
 */
export interface Truth {
  file: string;
  /** Index of the event's first line in its file. */
  line: number;
  kind: 'json' | 'trace' | 'access' | 'probe';
  /** When it happened (ms since the epoch, UTC). */
  at: number;
  /** json: the logged object; trace: the whole text; access: the fields of the access line. */
  json?: Record<string, unknown>;
  text?: string;
  access?: { remote: string; user: string; method: string; path: string; code: number; size: number; referer: string; agent: string };
  ipv6?: boolean;
}

export interface Pod {
  file: string;
  pod: string;
  container: string;
  image: string;
  labels: Record<string, string>;
}

const hex = (seed: number) =>
  Array.from({ length: 64 }, (_, i) => ((seed * 2654435761 + i * 40503) >>> (i % 24)) % 16)
    .map((n) => n.toString(16))
    .join('');
export const NODE = 'ip-10-0-11-42.ap-northeast-2.compute.internal';
export const CHECKOUT: Pod = {
  file: `/var/log/containers/checkout-7d9f8c6b5d-x2kq1_shop_checkout-${hex(7)}.log`,
  pod: 'checkout-7d9f8c6b5d-x2kq1',
  container: 'checkout',
  image: 'registry.example.com/shop/checkout:2.4.0',
  labels: { 'app.kubernetes.io/name': 'checkout', 'app.kubernetes.io/part-of': 'shop', 'pod-template-hash': '7d9f8c6b5d' },
};
export const FRONTEND: Pod = {
  file: `/var/log/containers/frontend-5c8d7f9b6-p4m2z_shop_frontend-${hex(11)}.log`,
  pod: 'frontend-5c8d7f9b6-p4m2z',
  container: 'frontend',
  image: 'registry.example.com/shop/frontend:1.9.0',
  labels: { 'app.kubernetes.io/name': 'frontend', 'app.kubernetes.io/part-of': 'shop', 'pod-template-hash': '5c8d7f9b6' },
};
/** A file of another namespace on the same node: the shop's pipeline does not read it. */
export const OTHER: Pod = {
  file: `/var/log/containers/coredns-6b9bb6c8d4-7gkq2_kube-system_coredns-${hex(13)}.log`,
  pod: 'coredns-6b9bb6c8d4-7gkq2',
  container: 'coredns',
  image: 'registry.k8s.io/coredns/coredns:v1.12.4',
  labels: { 'k8s-app': 'kube-dns' },
};
export const PODS = [CHECKOUT, FRONTEND, OTHER];

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The runtime's RFC 3339 time with nanoseconds, as containerd writes it. */
export const criTime = (ms: number) =>
  new Date(ms).toISOString().replace(/\.(\d{3})Z$/, (_, f: string) => `.${f}${String((ms * 7919) % 1_000_000).padStart(6, '0')}Z`);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** nginx's $time_local in Asia/Seoul (+0900). */
export function nginxTime(ms: number): string {
  const d = new Date(ms + 9 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0900`;
}

const START = Date.UTC(2026, 11, 3, 1, 29, 0);
const TRACES = [
  [
    'Error: connect ETIMEDOUT 10.0.11.42:3306',
    '    at TCPConnectWrap.afterConnectImpl (node:net:1630:16)',
    '    at Pool.getConnection (/app/node_modules/mysql2/lib/pool.js:48:15)',
    '    at async placeOrder (/app/dist/orders.js:112:18)',
    '    at async /app/dist/server.js:77:5',
  ],
  [
    "TypeError: Cannot read properties of undefined (reading 'sku')",
    '    at priceOf (/app/dist/cart.js:31:24)',
    '    at Array.map (<anonymous>)',
    '    at totalOf (/app/dist/cart.js:40:21)',
    '    at async /app/dist/server.js:91:20',
  ],
  [
    'Error: Request failed with status 503',
    '    at paymentClient.charge (/app/dist/payments.js:58:11)',
    '    at process.processTicksAndRejections (node:internal/process/task_queues:105:5)',
    '    at async Promise.all (index 1)',
    '    at async placeOrder (/app/dist/orders.js:121:7)',
    '    at async /app/dist/server.js:77:5',
  ],
];
const UAS = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/143.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Safari/605.1.15',
];
const V4 = ['203.0.113.87', '198.51.100.23', '192.0.2.146', '203.0.113.5'];
const V6 = ['2001:db8:4006:812::200e', '2001:db8:85a3::8a2e:370:7334', '2001:db8:1f70::999:de8:7648:6e8', '::ffff:198.51.100.77'];
const PATHS: [string, string][] = [
  ['GET', '/'],
  ['GET', '/products/42'],
  ['GET', '/api/products?page=2'],
  ['POST', '/api/checkout'],
  ['GET', '/cart'],
  ['GET', '/static/app.3f9c2a1.js'],
];

export interface HiddenLogs {
  files: Map<string, string[]>;
  truth: Truth[];
}

export function hiddenLogs(): HiddenLogs {
  const rand = rng(20261203);
  const files = new Map<string, string[]>(PODS.map((p) => [p.file, []]));
  const truth: Truth[] = [];
  const push = (file: string, line: string) => files.get(file)!.push(line);
  let t = START;
  let trace = 0;
  let order = 10230;
  // checkout: JSON on stdout, a stack trace now and then on stderr, and one line long enough to be split (16 KiB).
  for (let i = 0; i < 48; i++) {
    t += 800 + Math.floor(rand() * 2400);
    if (i % 14 === 9 && trace < TRACES.length) {
      const lines = TRACES[trace++]!;
      truth.push({ file: CHECKOUT.file, line: files.get(CHECKOUT.file)!.length, kind: 'trace', at: t, text: lines.join('\n') });
      lines.forEach((l, j) => push(CHECKOUT.file, `${criTime(t + j)} stderr F ${l}`));
      continue;
    }
    const json: Record<string, unknown> =
      i === 20
        ? {
            level: 'warn',
            time: new Date(t).toISOString(),
            msg: 'cart too large',
            cart: 'c-7781',
            items: Array.from({ length: 700 }, (_, k) => `sku-${1000 + k}`),
          }
        : {
            level: rand() < 0.1 ? 'error' : 'info',
            time: new Date(t).toISOString(),
            msg: rand() < 0.5 ? 'order placed' : 'products listed',
            order: `A-${order++}`,
            ms: 20 + Math.floor(rand() * 300),
          };
    const text = JSON.stringify(json);
    truth.push({ file: CHECKOUT.file, line: files.get(CHECKOUT.file)!.length, kind: 'json', at: t, json });
    if (text.length > 4000) {
      // The runtime splits a line longer than its buffer: P parts, then the F part.
      push(CHECKOUT.file, `${criTime(t)} stdout P ${text.slice(0, 4000)}`);
      push(CHECKOUT.file, `${criTime(t)} stdout F ${text.slice(4000)}`);
    } else push(CHECKOUT.file, `${criTime(t)} stdout F ${text}`);
  }
  // frontend: nginx's combined format in +0900, written through a buffer that flushes every 5 s.
  t = START + 3000;
  for (let i = 0; i < 90; i++) {
    t += 1000 * (1 + Math.floor(rand() * 2)); // nginx logs whole seconds
    const probe = i % 10 === 4;
    const v6 = !probe && i % 5 === 2;
    const [method, path] = probe ? ['GET', '/healthz'] : PATHS[Math.floor(rand() * PATHS.length)]!;
    const code = probe ? 200 : rand() < 0.15 ? [502, 503, 504][i % 3]! : rand() < 0.1 ? 404 : 200;
    const access = {
      remote: probe ? '10.0.11.42' : v6 ? V6[i % V6.length]! : V4[i % V4.length]!,
      user: '-',
      method,
      path,
      code,
      size: code >= 500 ? 157 : 512 + Math.floor(rand() * 9000),
      referer: probe || rand() < 0.4 ? '-' : 'https://shop.example.com/',
      agent: probe ? 'kube-probe/1.36' : UAS[i % UAS.length]!,
    };
    const text = `${access.remote} - ${access.user} [${nginxTime(t)}] "${method} ${path} HTTP/1.1" ${code} ${access.size} "${access.referer}" "${access.agent}"`;
    const written = START + Math.ceil((t - START) / 5000) * 5000; // the next flush of nginx's buffer
    truth.push({ file: FRONTEND.file, line: files.get(FRONTEND.file)!.length, kind: probe ? 'probe' : 'access', at: t, access, ipv6: v6 });
    push(FRONTEND.file, `${criTime(written)} stdout F ${text}`);
  }
  // coredns, in kube-system: not the shop's.
  for (let i = 0; i < 5; i++)
    push(
      OTHER.file,
      `${criTime(START + i * 7000)} stdout F [INFO] 10.0.10.57:41812 - ${4000 + i} "A IN checkout.shop.svc.cluster.local. udp 50 false 512" NOERROR qr,aa,rd 108 0.000142s`,
    );
  return { files, truth };
}
