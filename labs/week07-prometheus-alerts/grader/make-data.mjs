/**
 * Writes the hidden scenarios in data/: the series the shop's checkout (three pods behind the job "shop", scraped
 * through the kube-prometheus-stack ServiceMonitor, so every series also carries namespace, service, endpoint, pod and
 * instance, as in week07-alerts-troubleshoot) would have exposed during an incident or a healthy stretch, in promtool's
 * input_series notation, and which alert must fire (or that none may).
 * The grader wraps each in a `promtool test rules` file next to the learner's alerts.yml at grade time.
 * Run: node labs/week07-prometheus-alerts/grader/make-data.mjs (deterministic: same output every time).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data');
const STEP_S = 30; // scrape interval and evaluation interval
const PER_MIN = 60 / STEP_S;
const PODS = [
  { pod: 'checkout-6b7c9d8f5-2xk8p', instance: '10.244.1.12:8080' },
  { pod: 'checkout-6b7c9d8f5-9qz4m', instance: '10.244.2.7:8080' },
  { pod: 'checkout-6b7c9d8f5-t7w2c', instance: '10.244.3.9:8080' },
];
const BASE = (p) => `job="shop",namespace="shop",service="checkout",endpoint="http",pod="${p.pod}",instance="${p.instance}"`;
const CODES = ['200', '404', '500', '502', '503'];
const LES = ['0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '+Inf'];

/** Cumulative share of requests at or under each bucket bound, and the mean latency (for _sum). */
const LATENCY = {
  fast: { cum: [0.45, 0.75, 0.985, 0.998, 1, 1, 1, 1], mean: 0.08 }, // p99 ≈ 0.35 s
  busy: { cum: [0.35, 0.65, 0.96, 0.998, 1, 1, 1, 1], mean: 0.12 }, // p99 ≈ 0.45 s: close to the line, still under it
  slow: { cum: [0.15, 0.3, 0.6, 0.85, 0.95, 0.995, 1, 1], mean: 0.6 }, // p99 ≈ 2.3 s
};

/** Requests per 30 s by code for one instance: `load` scales the traffic, `err` is the share of 5xx, `nf` of 404. */
function mix(load, err, nf) {
  const total = Math.round(300 * load);
  const e = Math.round(total * err);
  const e500 = Math.round(e * 0.4);
  const e502 = Math.round(e * 0.2);
  const e503 = e - e500 - e502;
  const n404 = Math.round(total * nf);
  return { 200: total - e - n404, 404: n404, 500: e500, 502: e502, 503: e503 };
}

/** promtool's expanding notation for a list of values (null = missing scrape): runs of equal steps become a+bxn. */
function compress(values) {
  const out = [];
  let i = 0;
  while (i < values.length) {
    if (values[i] === null) {
      let j = i;
      while (j < values.length && values[j] === null) j++;
      for (let k = i; k < j; k++) out.push('_');
      i = j;
      continue;
    }
    let j = i + 1;
    if (j < values.length && values[j] !== null) {
      const d = values[j] - values[i];
      while (j + 1 < values.length && values[j + 1] !== null && Math.abs(values[j + 1] - values[j] - d) < 1e-9) j++;
      const n = j - i;
      if (n >= 2) {
        out.push(d === 0 ? `${fmt(values[i])}x${n}` : `${fmt(values[i])}${d < 0 ? '-' : '+'}${fmt(Math.abs(d))}x${n}`);
        i = j + 1;
        continue;
      }
    }
    out.push(fmt(values[i]));
    i++;
  }
  return out.join(' ');
}
const fmt = (x) => String(Math.round(x * 1000) / 1000);

/**
 * Builds the series of one scenario. `at(min, inst)` describes minute `min` for instance index `inst`:
 * { up: 0|1, load, err, nf, lat: 'fast'|'busy'|'slow', restart: true on the first scrape after a restart }.
 */
function build(minutes, at) {
  const steps = minutes * PER_MIN + 1;
  const series = new Map();
  const push = (name, v) => {
    if (!series.has(name)) series.set(name, []);
    series.get(name).push(v);
  };
  PODS.forEach((p, ii) => {
    const base = BASE(p);
    const counters = new Map();
    for (let s = 0; s < steps; s++) {
      const st = at(s / PER_MIN, ii);
      push(`up{${base}}`, st.up);
      if (st.restart) counters.clear();
      const add = (name, inc) => {
        const v = (counters.get(name) ?? 0) + inc;
        counters.set(name, v);
        return v;
      };
      const m = mix(st.load, st.err, st.nf);
      const total = Object.values(m).reduce((a, b) => a + b, 0);
      const lat = LATENCY[st.lat];
      for (const c of CODES) {
        const name = `http_requests_total{${base},code="${c}"}`;
        push(name, st.up ? add(name, s === 0 ? 0 : m[c]) : null);
      }
      LES.forEach((le, li) => {
        const name = `http_request_duration_seconds_bucket{${base},le="${le}"}`;
        push(name, st.up ? add(name, s === 0 ? 0 : Math.round(total * lat.cum[li])) : null);
      });
      const cn = `http_request_duration_seconds_count{${base}}`;
      push(cn, st.up ? add(cn, s === 0 ? 0 : total) : null);
      const sn = `http_request_duration_seconds_sum{${base}}`;
      push(sn, st.up ? add(sn, s === 0 ? 0 : Math.round(total * lat.mean * 1000) / 1000) : null);
    }
  });
  return [...series.entries()].map(([s, values]) => ({ series: s, values: compress(values) }));
}

const normal = { up: 1, load: 1, err: 0.006, nf: 0.05, lat: 'fast' };
const scenarios = [
  {
    name: 'instance-down',
    kind: 'fires',
    alert: 'InstanceDown',
    title: { ko: 'checkout Pod 하나(…-9qz4m)가 2분 동안 응답하지 않음', en: 'one checkout pod (…-9qz4m) stops answering for 2 minutes' },
    minutes: 30,
    at: (t, i) => (i === 1 && t >= 10 && t < 12 ? { ...normal, up: 0 } : { ...normal, restart: i === 1 && t === 12 }),
  },
  {
    name: 'error-burst',
    kind: 'fires',
    alert: 'HighErrorRate',
    title: { ko: '20분 동안 요청의 약 8%가 500·502·503으로 실패', en: 'about 8% of requests fail with 500, 502 or 503 for 20 minutes' },
    minutes: 60,
    at: (t) => (t >= 20 && t < 40 ? { ...normal, err: 0.08 } : normal),
  },
  {
    name: 'latency-spike',
    kind: 'fires',
    alert: 'HighLatencyP99',
    title: { ko: '느린 DB 때문에 30분 동안 p99 지연이 약 2초', en: 'a slow database pushes p99 latency to about 2 s for 30 minutes' },
    minutes: 60,
    at: (t) => (t >= 15 && t < 45 ? { ...normal, lat: 'slow' } : normal),
  },
  {
    name: 'normal-day',
    kind: 'quiet',
    title: {
      ko: '평범한 4시간: 트래픽 증감, 404 5~8%, 5xx 약 1%, 점심 p99 약 0.45초, 카운터가 초기화되는 순차 배포',
      en: 'an ordinary 4 hours: traffic up and down, 5-8% 404s, about 1% 5xx, p99 near 0.45 s at lunch, a rolling deploy that resets counters',
    },
    minutes: 240,
    at: (t, i) => {
      const loads = [0.6, 0.8, 1, 1.3, 1.6, 1.4, 1.1, 0.9, 1.2, 1.5, 1.0, 0.7];
      const phase = Math.min(loads.length - 1, Math.floor(t / 20));
      const load = loads[phase] * [1, 0.9, 1.1][i];
      const err = [0.008, 0.012, 0.01, 0.015, 0.009, 0.011][phase % 6];
      const nf = [0.05, 0.08, 0.06, 0.07][phase % 4];
      const lat = phase === 4 || phase === 5 ? 'busy' : 'fast';
      const deployAt = 150 + 2 * i; // rolling deploy: one instance after another, each restarts (counters reset)
      return { up: 1, load, err, nf, lat, restart: t === deployAt };
    },
  },
  {
    name: 'restart-blip',
    kind: 'quiet',
    title: {
      ko: 'checkout Pod 하나(…-t7w2c)가 재시작하며 1분이 안 되는 동안 스크레이프 두 번 실패',
      en: 'one checkout pod (…-t7w2c) restarts and misses two scrapes, under a minute in all',
    },
    minutes: 30,
    at: (t, i) => (i === 2 && t >= 15 && t < 16 ? { ...normal, up: 0 } : { ...normal, restart: i === 2 && t === 16 }),
  },
  {
    name: 'error-blip',
    kind: 'quiet',
    title: { ko: '배포 중 4분 동안 요청의 10%가 5xx', en: '10% of requests fail with 5xx for 4 minutes during a deploy' },
    minutes: 40,
    at: (t) => (t >= 15 && t < 19 ? { ...normal, err: 0.1 } : normal),
  },
  {
    name: 'latency-blip',
    kind: 'quiet',
    title: { ko: '캐시가 비워져 3분 동안 p99 지연이 약 2초', en: 'a cache flush pushes p99 latency to about 2 s for 3 minutes' },
    minutes: 40,
    at: (t) => (t >= 15 && t < 18 ? { ...normal, lat: 'slow' } : normal),
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
  console.log(`${s.name}.yml  ${text.length} bytes`);
}
