/**
 * Writes the hidden scenarios in data/: what the shop's checkout (three pods behind the job "shop", scraped through
 * the kube-prometheus-stack ServiceMonitor, so every series also carries namespace, service, pod and instance) exposed
 * during an incident or a healthy stretch, in promtool's input_series notation, and which alert must fire (or that none
 * may). The grader wraps each in a `promtool test rules` file next to the learner's shop-rules.yml at grade time.
 * Run: node labs/week07-alerts-troubleshoot/grader/make-data.mjs (deterministic: same output every time).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const DIR = process.env.OUT_DIR ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'data');
const STEP_S = 60;
const PER_MIN = 60 / STEP_S;
const PODS = [
  { pod: 'checkout-6b7c9d8f5-2xk8p', instance: '10.244.1.12:8080' },
  { pod: 'checkout-6b7c9d8f5-9qz4m', instance: '10.244.2.7:8080' },
  { pod: 'checkout-6b7c9d8f5-t7w2c', instance: '10.244.3.9:8080' },
];
const BASE = (p) => `job="shop",namespace="shop",service="checkout",endpoint="http",pod="${p.pod}",instance="${p.instance}"`;
const ROUTES = [
  { route: '/api/products', share: 0.6, codes: ['200', '404', '500', '503'] },
  { route: '/api/cart', share: 0.25, codes: ['200', '500', '503'] },
  { route: '/api/checkout', share: 0.15, codes: ['200', '500', '503'] },
];
const LES = ['0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '+Inf'];
const LATENCY = {
  fast: [0.45, 0.75, 0.985, 0.998, 1, 1, 1, 1], // p99 ≈ 0.35 s
  busy: [0.35, 0.65, 0.96, 0.997, 1, 1, 1, 1], // p99 ≈ 0.45 s: close to the line, under it
  slow: [0.1, 0.2, 0.45, 0.7, 0.9, 0.995, 1, 1], // p99 ≈ 2.3 s
};

/** A small deterministic generator (mulberry32), so the "noisy" gauges are the same every run. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** promtool's expanding notation (null = no sample, 'stale' = a staleness marker): equal steps become a+bxn. */
function compress(values) {
  const out = [];
  let i = 0;
  while (i < values.length) {
    const v = values[i];
    if (v === null || v === 'stale') {
      out.push(v === null ? '_' : 'stale');
      i++;
      continue;
    }
    let j = i + 1;
    if (j < values.length && typeof values[j] === 'number') {
      const d = values[j] - v;
      while (j + 1 < values.length && typeof values[j + 1] === 'number' && Math.abs(values[j + 1] - values[j] - d) < 1e-9) j++;
      const n = j - i;
      if (n >= 2) {
        out.push(d === 0 ? `${fmt(v)}x${n}` : `${fmt(v)}${d < 0 ? '-' : '+'}${fmt(Math.abs(d))}x${n}`);
        i = j + 1;
        continue;
      }
    }
    out.push(fmt(v));
    i++;
  }
  return out.join(' ');
}
const fmt = (x) => String(Math.round(x * 1000) / 1000);

/**
 * One scenario's series. `at(min, podIndex)` describes a minute for one pod: { scraped: false } when Prometheus has no
 * target for it; { up: 0 } when the target is there and the scrape fails; otherwise { up: 1, load, err (share of 5xx
 * on every route), payFail (failed checkouts per second, whole service), lat, pending, restart }.
 */
function build(minutes, at) {
  const steps = minutes * PER_MIN + 1;
  const series = new Map();
  const set = (name, s, v) => {
    if (!series.has(name)) series.set(name, new Array(steps).fill(null));
    series.get(name)[s] = v;
  };
  PODS.forEach((p, pi) => {
    const counters = new Map();
    let wasUp = false;
    for (let s = 0; s < steps; s++) {
      const st = at(s / PER_MIN, pi);
      const base = BASE(p);
      if (st.scraped !== false) set(`up{${base}}`, s, st.up);
      else if (series.has(`up{${base}}`) && series.get(`up{${base}}`)[s - 1] !== null && series.get(`up{${base}}`)[s - 1] !== 'stale')
        set(`up{${base}}`, s, 'stale');
      const live = st.scraped !== false && st.up === 1;
      const names = [];
      if (live) {
        if (st.restart) counters.clear();
        const inc = (name, n) => {
          const v = (counters.get(name) ?? 0) + (s === 0 || st.restart ? 0 : n);
          counters.set(name, v);
          set(name, s, v);
        };
        const total = Math.round(300 * st.load);
        const payFail = Math.round(((st.payFail ?? 0) * STEP_S) / PODS.length);
        for (const r of ROUTES) {
          const n = Math.round(total * r.share);
          const e = Math.round(n * st.err);
          const nf = r.codes.includes('404') ? Math.round(n * 0.05) : 0;
          const extra = r.route === '/api/checkout' ? Math.min(payFail, n - e) : 0;
          const c = { 200: n - e - nf - extra, 404: nf, 500: Math.round(e * 0.6) + extra, 503: e - Math.round(e * 0.6) };
          for (const code of r.codes) {
            const name = `http_requests_total{${base},route="${r.route}",code="${code}"}`;
            names.push(name);
            inc(name, c[code]);
          }
        }
        LES.forEach((le, li) => {
          const name = `http_request_duration_seconds_bucket{${base},le="${le}"}`;
          names.push(name);
          inc(name, Math.round(total * LATENCY[st.lat][li]));
        });
        const g = `checkout_orders_pending{${base}}`;
        names.push(g);
        set(g, s, st.pending);
        wasUp = true;
      } else if (wasUp) {
        // The first failed or missing scrape marks every series of the target stale, as Prometheus does.
        for (const name of series.keys()) if (name.includes(`pod="${p.pod}"`) && !name.startsWith('up{')) set(name, s, 'stale');
        wasUp = false;
      }
    }
  });
  return [...series.entries()].map(([s, values]) => ({ series: s, values: compress(values) }));
}

const normal = { up: 1, load: 1, err: 0.003, payFail: 0, lat: 'fast', pending: 10 };
/** A backlog that moves up and down all the time, as orders come in and payments confirm. */
const noisy = (seed, lo, hi) => {
  const r = rng(seed);
  const cache = new Map();
  return (t, i) => {
    const k = `${Math.round(t * PER_MIN)}:${i}`;
    if (!cache.has(k)) cache.set(k, Math.round(lo + (hi - lo) * r()));
    return cache.get(k);
  };
};

// One generator per series, made once: the same values every time a minute is asked for.
const NOISE = {
  stuck: noisy(7, 2, 14),
  normal: [0, 1, 2].map((i) => noisy(11 + i, 2, 13)),
  busy: [0, 1, 2].map((i) => noisy(23 + i, 20, 31)),
  blips: [0, 1, 2].map((i) => noisy(31 + i, 3, 12)),
};

const scenarios = [
  {
    name: 'error-burst',
    kind: 'fires',
    alert: 'ShopErrorRatioHigh',
    title: {
      ko: '데이터베이스 장애 복구 중 20분 동안 모든 경로의 요청 약 6%가 500·503',
      en: 'about 6% of requests on every route answer 500 or 503 for 20 minutes during a database failover',
    },
    minutes: 50,
    at: (t) => (t >= 15 && t < 35 ? { ...normal, err: 0.06 } : normal),
  },
  {
    name: 'payment-outage',
    kind: 'fires',
    alert: 'ShopCheckoutFailing',
    title: {
      ko: '결제 대행사 장애로 25분 동안 초당 약 1.2건의 주문이 500으로 실패',
      en: 'a payment provider outage fails about 1.2 checkouts a second with 500 for 25 minutes',
    },
    minutes: 50,
    at: (t) => (t >= 15 && t < 40 ? { ...normal, payFail: 1.2 } : normal),
  },
  {
    name: 'latency-incident',
    kind: 'fires',
    alert: 'ShopLatencyHigh',
    title: { ko: '인덱스가 빠진 쿼리 때문에 20분 동안 p99 지연이 약 2초', en: 'a query that lost its index pushes p99 latency to about 2 s for 20 minutes' },
    minutes: 50,
    at: (t) => (t >= 15 && t < 35 ? { ...normal, lat: 'slow' } : normal),
  },
  {
    name: 'stuck-backlog',
    kind: 'fires',
    alert: 'ShopOrderBacklog',
    title: {
      ko: '결제 확인 웹훅 큐가 멈춰 대기 주문이 25분 동안 약 240건에서 그대로',
      en: 'the payment confirmation queue stalls: about 240 orders stay pending, flat, for 25 minutes',
    },
    minutes: 50,
    at: (t, i) => {
      const before = NOISE.stuck(t, i);
      if (t < 10) return { ...normal, pending: before };
      if (t < 15) return { ...normal, pending: Math.round(before + ((80 - before) * (t - 10)) / 5) };
      return { ...normal, pending: 80 };
    },
  },
  {
    name: 'crash-loop',
    kind: 'fires',
    alert: 'ShopMetricsAbsent',
    title: {
      ko: '잘못된 배포로 15분 동안 checkout Pod 셋이 모두 CrashLoopBackOff: 대상은 남아 있고 스크레이프는 실패',
      en: 'a bad deploy crash-loops all three checkout pods for 15 minutes: the targets stay, every scrape fails',
    },
    minutes: 40,
    at: (t) => (t >= 15 && t < 30 ? { up: 0 } : { ...normal, restart: t === 30 }),
  },
  {
    name: 'scaled-to-zero',
    kind: 'fires',
    alert: 'ShopMetricsAbsent',
    title: {
      ko: '실수로 replicas: 0이 적용되어 15분 동안 스크레이프 대상이 하나도 없음',
      en: 'replicas: 0 applied by mistake: for 15 minutes there is no scrape target at all',
    },
    minutes: 40,
    at: (t) => (t >= 15 && t < 30 ? { scraped: false } : { ...normal, restart: t === 30 }),
  },
  {
    name: 'pod-down',
    kind: 'fires',
    alert: 'ShopTargetDown',
    title: { ko: 'Pod 하나가 노드 장애로 10분 동안 응답하지 않음', en: 'one pod stops answering for 10 minutes when its node fails' },
    minutes: 30,
    at: (t, i) => (i === 1 && t >= 10 && t < 20 ? { up: 0 } : { ...normal, restart: i === 1 && t === 20 }),
  },
  {
    name: 'normal-day',
    kind: 'quiet',
    title: {
      ko: '평범한 2시간 반: 트래픽 증감, 5xx 0.3%, 대기 주문이 5~40건 사이를 쉴 새 없이 오르내림, 카운터가 초기화되는 순차 배포',
      en: 'an ordinary two and a half hours: traffic up and down, 0.3% 5xx, pending orders moving between 5 and 40 all the time, a rolling deploy that resets counters',
    },
    minutes: 150,
    at: (t, i) => {
      const loads = [0.6, 0.8, 1, 1.3, 1.5, 1.2, 0.9, 1.1, 0.7];
      const load = loads[Math.min(loads.length - 1, Math.floor(t / 20))] * [1, 0.9, 1.1][i];
      const deployAt = 110 + 2 * i;
      return { ...normal, load, pending: NOISE.normal[i](t, i), restart: t === deployAt };
    },
  },
  {
    name: 'busy-evening',
    kind: 'quiet',
    title: {
      ko: '붐비는 저녁 80분: 트래픽 1.6배, p99 약 0.45초, 대기 주문이 60~95건 사이를 오르내림',
      en: 'a busy evening, 80 minutes: 1.6 times the traffic, p99 near 0.45 s, pending orders between 60 and 95',
    },
    minutes: 80,
    at: (t, i) => ({ ...normal, load: 1.6, lat: 'busy', err: 0.005, pending: NOISE.busy[i](t, i) }),
  },
  {
    name: 'blips',
    kind: 'quiet',
    title: {
      ko: '짧은 문제들: 2분 동안 5xx 6%, 2분 동안 결제 실패 초당 0.6건, 3분 동안 p99 약 2초, Pod 하나의 1분 재시작, 대기 주문 4분 동안 150건',
      en: 'short blips: 6% 5xx for 2 minutes, 0.6 failed checkouts a second for 2 minutes, p99 near 2 s for 3 minutes, one pod restarting for a minute, 150 pending orders for 4 minutes',
    },
    minutes: 115,
    at: (t, i) => {
      if (t >= 15 && t < 17) return { ...normal, err: 0.06 };
      if (t >= 35 && t < 37) return { ...normal, payFail: 0.6 };
      if (t >= 55 && t < 58) return { ...normal, lat: 'slow' };
      if (i === 2 && t >= 75 && t < 76) return { up: 0 };
      if (i === 2 && t === 76) return { ...normal, restart: true };
      if (t >= 95 && t < 99) return { ...normal, pending: 50 };
      return { ...normal, pending: NOISE.blips[i](t, i) };
    },
  },
];

fs.mkdirSync(DIR, { recursive: true });
for (const f of fs.readdirSync(DIR)) if (f.endsWith('.yml')) fs.rmSync(path.join(DIR, f));
for (const s of scenarios) {
  const doc = {
    name: s.name,
    kind: s.kind,
    ...(s.alert ? { alert: s.alert } : {}),
    title: s.title,
    interval: `${STEP_S}s`,
    minutes: s.minutes,
    input_series: build(s.minutes, s.at),
  };
  const text = `# Generated by make-data.mjs: do not edit by hand.\n${YAML.stringify(doc, { lineWidth: 0 })}`;
  fs.writeFileSync(path.join(DIR, `${s.name}.yml`), text);
  if (!process.env.OUT_DIR) console.log(`${s.name}.yml  ${text.length} bytes`);
}
