/**
 * `lms` inside a workspace (bundled to /opt/lms/lms.cjs, on PATH as /opt/lms/bin/lms). Platform commands (check,
 * files, steps, step, submit, help) go to the agent's socket and through it to the engine, which answers in the
 * learner's language; tool commands (hcl, validate, webhook, prometheus) run here, from /opt/lms/tools.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { AGENT_SOCKET } from './protocol';

const TOOLS_DIR = '/opt/lms/tools';
const lang = process.env.LMS_LANG === 'en' ? 'en' : 'ko';
const say = (ko: string, en: string) => (lang === 'ko' ? ko : en);

const PLATFORM = new Set(['check', 'files', 'steps', 'step', 'submit', 'help']);

function relay(cmd: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const sock = net.createConnection(AGENT_SOCKET);
    let buf = '';
    let exit: number | null = null;
    // A practice grading waits in the same queue as everyone's submissions: allow a few minutes.
    const timer = setTimeout(() => {
      process.stderr.write(say('lms: 응답이 없습니다. 잠시 뒤 다시 해 보세요.\n', 'lms: no answer. Try again in a moment.\n'));
      sock.destroy();
      resolve(1);
    }, 6 * 60_000);
    sock.setEncoding('utf8');
    sock.on('connect', () => sock.write(JSON.stringify({ cmd, args }) + '\n'));
    sock.on('data', (c: string) => {
      buf += c;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        try {
          const m = JSON.parse(line) as { out?: string; exit?: number };
          if (m.out) process.stdout.write(m.out);
          if (typeof m.exit === 'number') exit = m.exit;
        } catch {
          /* ignore */
        }
      }
    });
    sock.on('error', () => {
      clearTimeout(timer);
      process.stderr.write(
        say('lms: 플랫폼에 연결되어 있지 않습니다. 실습 페이지를 다시 열어 보세요.\n', 'lms: not connected to the platform. Reopen the lab page.\n'),
      );
      resolve(1);
    });
    sock.on('close', () => {
      clearTimeout(timer);
      resolve(exit ?? 1);
    });
  });
}

async function main(): Promise<number> {
  const [cmd = 'help', ...args] = process.argv.slice(2);
  if (cmd === '-h' || cmd === '--help') return relay('help', []);
  if (PLATFORM.has(cmd)) return relay(cmd, args);
  const tool = path.join(TOOLS_DIR, `${cmd.replace(/[^a-z0-9-]/g, '')}.cjs`);
  if (fs.existsSync(tool)) {
    // A bundled tool of this image (a path we built, never the learner's): loaded as CommonJS, as the bundle is.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(tool) as { main: (args: string[], lang: 'ko' | 'en') => Promise<number> };
    return mod.main(args, lang);
  }
  process.stderr.write(say(`lms: "${cmd}" 명령은 없습니다. lms help 로 쓸 수 있는 명령을 보세요.\n`, `lms: no command "${cmd}". See lms help.\n`));
  return 2;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`lms: ${e.message}\n`);
    process.exit(1);
  },
);
