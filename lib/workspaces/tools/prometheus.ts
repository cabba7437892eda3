/**
 * `lms prometheus` in the week-7 workspace: a real Prometheus (Debian's 3.5 LTS package) scraping a small demo app
 * (job "shop" like the shop's checkout in the lab: `http_requests_total{code}`, `http_request_duration_seconds`
 * histogram) with the learner's /work/alerts.yml loaded as its rule file, all on the workspace's loopback (the container has no other
 * network). `lms prometheus start|stop|status|reload|alerts`, and `lms prometheus demo errors|slow|ok|down` to make
 * the demo app misbehave so an alert can be watched going pending and firing.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const DIR = '/tmp/prometheus';
const DEMO_PORT = 8081;
const PROM = '127.0.0.1:9090';

function config(rules: string[]): string {
  return `global:
  scrape_interval: 5s
  evaluation_interval: 5s
rule_files:
${rules.map((r) => `  - ${JSON.stringify(r)}`).join('\n') || '  []'}
scrape_configs:
  - job_name: shop
    static_configs:
      - targets: ["127.0.0.1:${DEMO_PORT}"]
`;
}

function get(url: string, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = http.request(url, { method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body = (body + c).slice(0, 200_000)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.setTimeout(3000, () => req.destroy());
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end();
  });
}

function background(cmd: string, args: string[], log: string): number {
  const out = fs.openSync(log, 'a');
  const p = spawn(cmd, args, { detached: true, stdio: ['ignore', out, out] });
  p.unref();
  return p.pid ?? 0;
}

/** The demo app: answers /work traffic it makes for itself, 1% errors and fast answers unless told otherwise. */
export function demoApp(): void {
  let mode = 'ok';
  const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  const counts = new Map<string, number>();
  const hist = new Array(buckets.length + 1).fill(0) as number[];
  let sum = 0;
  let n = 0;
  setInterval(() => {
    if (mode === 'down') return;
    for (let i = 0; i < 20; i++) {
      const fail = mode === 'errors' ? Math.random() < 0.3 : Math.random() < 0.01;
      const code = fail ? '500' : '200';
      counts.set(code, (counts.get(code) ?? 0) + 1);
      const d = mode === 'slow' ? 0.4 + Math.random() * 1.2 : 0.01 + Math.random() * 0.08;
      let b = buckets.findIndex((x) => d <= x);
      if (b < 0) b = buckets.length;
      hist[b]!++;
      sum += d;
      n++;
    }
  }, 1000);
  http
    .createServer((req, res) => {
      if (req.url?.startsWith('/mode/')) {
        mode = req.url.slice(6);
        return void res.end(`mode ${mode}\n`);
      }
      if (mode === 'down') {
        req.socket.destroy();
        return;
      }
      const lines = ['# TYPE http_requests_total counter'];
      for (const [code, c] of counts) lines.push(`http_requests_total{code="${code}",method="GET",path="/api/orders"} ${c}`);
      lines.push('# TYPE http_request_duration_seconds histogram');
      let acc = 0;
      buckets.forEach((le, i) => {
        acc += hist[i]!;
        lines.push(`http_request_duration_seconds_bucket{le="${le}"} ${acc}`);
      });
      lines.push(
        `http_request_duration_seconds_bucket{le="+Inf"} ${acc + hist[buckets.length]!}`,
        `http_request_duration_seconds_sum ${sum}`,
        `http_request_duration_seconds_count ${n}`,
      );
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(lines.join('\n') + '\n');
    })
    .listen(DEMO_PORT, '127.0.0.1');
}

export async function main(args: string[], lang: 'ko' | 'en' = 'ko'): Promise<number> {
  const say = (ko: string, en: string) => (lang === 'ko' ? ko : en);
  const [sub = 'help', arg] = args;
  fs.mkdirSync(DIR, { recursive: true });
  const work = process.env.LMS_WORK ?? '/work';
  switch (sub) {
    case 'demo-app':
      demoApp();
      return new Promise(() => {});
    case 'start': {
      if ((await get(`http://${PROM}/-/ready`)).status === 200) {
        process.stdout.write(
          say(
            'Prometheus가 이미 실행 중입니다. (lms prometheus reload 로 규칙을 다시 읽습니다)\n',
            'Prometheus is already running (lms prometheus reload re-reads the rules).\n',
          ),
        );
        return 0;
      }
      const rules = fs
        .readdirSync(work)
        .filter((f) => /\.ya?ml$/.test(f) && !/test/i.test(f))
        .map((f) => path.join(work, f));
      fs.writeFileSync(path.join(DIR, 'prometheus.yml'), config(rules));
      background(process.execPath, [path.join(__dirname, 'prometheus.cjs'), 'demo-app'], path.join(DIR, 'demo-app.log'));
      background(
        'prometheus',
        [
          `--config.file=${DIR}/prometheus.yml`,
          `--storage.tsdb.path=${DIR}/data`,
          `--web.listen-address=${PROM}`,
          '--web.enable-lifecycle',
          '--storage.tsdb.retention.time=2h',
        ],
        path.join(DIR, 'prometheus.log'),
      );
      for (let i = 0; i < 60; i++) {
        if ((await get(`http://${PROM}/-/ready`)).status === 200) {
          process.stdout.write(
            say(
              `Prometheus가 http://${PROM} 에서 실행 중입니다 (데모 앱 job="shop" 을 5초마다 수집, 규칙: ${rules.join(', ') || '없음'}).\n  curl -s ${PROM}/api/v1/alerts | jq     # 알림 상태\n  lms prometheus demo errors|slow|down|ok   # 데모 앱을 망가뜨리기/되돌리기\n  로그: ${DIR}/prometheus.log\n`,
              `Prometheus is running at http://${PROM} (scraping the demo app, job="shop", every 5 s; rules: ${rules.join(', ') || 'none'}).\n  curl -s ${PROM}/api/v1/alerts | jq     # alert states\n  lms prometheus demo errors|slow|down|ok   # break the demo app / make it healthy\n  log: ${DIR}/prometheus.log\n`,
            ),
          );
          return 0;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
      process.stdout.write(
        say(`Prometheus가 시작되지 않았습니다. ${DIR}/prometheus.log 를 보세요.\n`, `Prometheus did not start; see ${DIR}/prometheus.log\n`),
      );
      return 1;
    }
    case 'reload': {
      const r = await get(`http://${PROM}/-/reload`, 'POST');
      process.stdout.write(
        r.status === 200
          ? say('규칙을 다시 읽었습니다.\n', 'Rules reloaded.\n')
          : say(`다시 읽지 못했습니다 (HTTP ${r.status}): ${r.body}\n`, `Reload failed (HTTP ${r.status}): ${r.body}\n`),
      );
      return r.status === 200 ? 0 : 1;
    }
    case 'alerts': {
      const r = await get(`http://${PROM}/api/v1/alerts`);
      if (r.status !== 200) {
        process.stdout.write(say('Prometheus가 실행 중이 아닙니다 (lms prometheus start).\n', 'Prometheus is not running (lms prometheus start).\n'));
        return 1;
      }
      const alerts = (JSON.parse(r.body) as { data: { alerts: { labels: { alertname: string }; state: string; activeAt?: string }[] } }).data.alerts;
      process.stdout.write(
        alerts.length
          ? alerts.map((a) => `${a.labels.alertname}\t${a.state}\t${a.activeAt ?? ''}`).join('\n') + '\n'
          : say('울리는 알림이 없습니다.\n', 'No alerts pending or firing.\n'),
      );
      return 0;
    }
    case 'demo': {
      const r = await get(`http://127.0.0.1:${DEMO_PORT}/mode/${arg ?? 'ok'}`);
      process.stdout.write(r.status === 200 ? r.body : say('데모 앱이 실행 중이 아닙니다.\n', 'The demo app is not running.\n'));
      return r.status === 200 ? 0 : 1;
    }
    case 'stop':
    case 'status': {
      const running = (await get(`http://${PROM}/-/ready`)).status === 200;
      if (sub === 'status') {
        process.stdout.write(running ? say(`실행 중: http://${PROM}\n`, `running: http://${PROM}\n`) : say('실행 중이 아닙니다.\n', 'not running.\n'));
        return running ? 0 : 1;
      }
      await new Promise<void>((resolve) =>
        spawn('pkill', ['-u', String(process.getuid?.() ?? 10001), '-f', '^prometheus |prometheus.cjs demo-app'], { stdio: 'ignore' }).on('close', () =>
          resolve(),
        ),
      );
      process.stdout.write(say('멈췄습니다.\n', 'Stopped.\n'));
      return 0;
    }
    default:
      process.stdout.write(
        say(
          '사용법: lms prometheus start|stop|status|reload|alerts|demo <errors|slow|down|ok>\n',
          'usage: lms prometheus start|stop|status|reload|alerts|demo <errors|slow|down|ok>\n',
        ),
      );
      return sub === 'help' ? 0 : 2;
  }
}

if (require.main === module) void main(process.argv.slice(2)).then((c) => c !== undefined && process.exit(c));
