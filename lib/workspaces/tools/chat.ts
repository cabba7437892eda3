/** `lms chat`: a fake chat server (Slack-style incoming webhook) printing what the bot posts; see webhook.ts. */
import http from 'node:http';

export async function main(args: string[], lang: 'ko' | 'en' = 'ko'): Promise<number> {
  const url = new URL(process.env.CHAT_WEBHOOK_URL ?? 'http://127.0.0.1:9000/');
  const port = Number(args[args.indexOf('--port') + 1] || url.port || 9000);
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body = (body + c).slice(0, 16_000)));
    req.on('end', () => {
      process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${req.method} ${req.url}\n${body}\n\n`);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  process.stdout.write(
    lang === 'ko'
      ? `가짜 채팅 서버가 127.0.0.1:${port}에서 기다립니다 (Ctrl-C로 끝내기).\n`
      : `Fake chat server listening on 127.0.0.1:${port} (Ctrl-C to stop).\n`,
  );
  return new Promise(() => {});
}
