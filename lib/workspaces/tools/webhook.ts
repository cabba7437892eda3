/**
 * `lms webhook` in the week-4 workspace: sends a GitHub-shaped webhook, signed with X-Hub-Signature-256 (HMAC-SHA256
 * of the body with $WEBHOOK_SECRET) as GitHub signs it, to the bot running in this workspace, and prints the answer.
 * `lms chat` is a fake chat server on the port $CHAT_WEBHOOK_URL names: it prints every message the bot posts.
 */
import crypto from 'node:crypto';
import http from 'node:http';

const EVENTS: Record<string, () => unknown> = {
  ping: () => ({ zen: 'Keep it logically awesome.', hook_id: 1, repository: { full_name: 'octo-org/shop' } }),
  deployment_status: () => ({
    action: 'created',
    deployment_status: { state: 'success', environment: 'production', target_url: 'https://github.com/octo-org/shop/actions/runs/1', description: 'Deployed' },
    deployment: { id: 1, sha: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0', ref: 'main', environment: 'production', creator: { login: 'octocat' } },
    repository: { full_name: 'octo-org/shop', html_url: 'https://github.com/octo-org/shop' },
    sender: { login: 'octocat' },
  }),
};

export async function main(args: string[], lang: 'ko' | 'en' = 'ko'): Promise<number> {
  const say = (ko: string, en: string) => (lang === 'ko' ? ko : en);
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  if (args.includes('-h') || args.includes('--help')) {
    process.stdout.write(
      say(
        '사용법: lms webhook [이벤트] [--state success|failure|error|pending] [--port 8080] [--bad-signature] [--body 파일]\n  이벤트: ping, deployment_status (기본)\n',
        'usage: lms webhook [event] [--state success|failure|error|pending] [--port 8080] [--bad-signature] [--body file]\n  events: ping, deployment_status (default)\n',
      ),
    );
    return 0;
  }
  const event =
    args.find((a, i) => !a.startsWith('-') && !(i > 0 && args[i - 1]!.startsWith('--') && args[i - 1] !== '--bad-signature')) ?? 'deployment_status';
  if (!EVENTS[event] && !opt('--body')) {
    process.stderr.write(say(`모르는 이벤트입니다: ${event} (ping, deployment_status)\n`, `unknown event: ${event} (ping, deployment_status)\n`));
    return 2;
  }
  let body: string;
  if (opt('--body')) body = (await import('node:fs')).readFileSync(opt('--body')!, 'utf8');
  else {
    const payload = EVENTS[event]!() as { deployment_status?: { state: string } };
    if (payload.deployment_status && opt('--state')) payload.deployment_status.state = opt('--state')!;
    body = JSON.stringify(payload);
  }
  const secret = process.env.WEBHOOK_SECRET ?? '';
  let sig = 'sha256=' + crypto.createHmac('sha256', secret).update(body).digest('hex');
  if (args.includes('--bad-signature')) sig = 'sha256=' + '0'.repeat(64);
  const port = Number(opt('--port') ?? process.env.PORT ?? 8080);
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: opt('--path') ?? '/webhook',
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': event,
          'x-github-delivery': crypto.randomUUID(),
          'x-hub-signature-256': sig,
          'user-agent': 'GitHub-Hookshot/lms',
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text = (text + c).slice(0, 4000)));
        res.on('end', () => {
          process.stdout.write(`HTTP ${res.statusCode}${text ? `\n${text}` : ''}\n`);
          resolve(res.statusCode && res.statusCode < 300 ? 0 : 1);
        });
      },
    );
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.on('error', (e) => {
      process.stderr.write(
        say(
          `봇에 연결할 수 없습니다 (127.0.0.1:${port}): ${e.message}. 다른 터미널에서 봇을 실행했나요? (PORT=${port} node bot.js)\n`,
          `cannot reach the bot at 127.0.0.1:${port}: ${e.message}. Is it running in another terminal? (PORT=${port} node bot.js)\n`,
        ),
      );
      resolve(1);
    });
    req.end(body);
  });
}
