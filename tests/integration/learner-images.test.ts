/**
 * Learner images behave as on Docker with the official Node images (the Dockerfile labs, weeks 2 and 9): the bases
 * look like node:26-<debian>-slim, the image runs as its own non-root USER inside the sandbox's hardening, a USER it
 * does not have fails to start and the grader is told, and its HEALTHCHECK really runs once in the running subject.
 * Graded through the fixture lab test-build, whose grader echoes .lms/run.json in its `run` check.
 */
import { describe, expect, it } from 'vitest';
import { gradeFiles, type GradeOutcome } from '@/lib/grading/grade';
import { getLab } from '@/lib/labs/registry';
import { graderImageTag } from '@/lib/grading/images';
import { docker } from './helpers';

const f = (p: string, c: string) => ({ path: p, content: Buffer.from(c) });
// Answers with what the process is: uid:gid, effective capabilities, no_new_privs, what writing its home (from the
// passwd file: HOME is /tmp in the sandbox) gives, Node.
const WHOAMI = `const fs = require('fs');
const st = fs.readFileSync('/proc/self/status', 'utf8');
let home; try { fs.writeFileSync(require('os').userInfo().homedir + '/x', 'x'); home = 'written'; } catch (e) { home = e.code || 'no-user'; }
const me = process.getuid() + ':' + process.getgid() + ' cap=' + /CapEff:\\s*(\\S+)/.exec(st)[1] + ' nnp=' + /NoNewPrivs:\\s*(\\d)/.exec(st)[1] + ' home=' + home + ' ' + process.version;
require('http').createServer((q, s) => s.end(q.url === '/' ? me : 'hello')).listen(8080);
`;
const grade = (dockerfile: string, server = WHOAMI) =>
  gradeFiles({ docker, labId: 'test-build', files: [f('Dockerfile', dockerfile), f('server.js', server)] });
function checks(o: GradeOutcome) {
  if (o.kind !== 'graded') throw new Error(`expected a graded result, got ${o.kind}`);
  return Object.fromEntries(
    o.result.checks.map((c) => [c.id, { passed: c.passed, en: typeof c.message === 'object' && c.message ? c.message.en : String(c.message ?? '') }]),
  );
}
const runInfo = (o: GradeOutcome) =>
  JSON.parse(checks(o).run!.en) as {
    started: boolean;
    error?: string;
    user: string;
    answered?: boolean;
    health?: { exitCode: number; output: string; timedOut?: boolean } | null;
  };

describe('learner images', () => {
  it('the Node bases are laid out like the official ones: useradd -u 10001 works, the image runs as its USER with every hardening kept', async () => {
    for (const base of ['node:26-bookworm-slim', 'node:26.12.1-trixie-slim']) {
      // What `docker init` and many guides write: a system user at 10001.
      const own = await grade(
        `FROM ${base}\nRUN groupadd --gid 10001 app && useradd --uid 10001 --gid app --create-home app\nWORKDIR /app\nCOPY server.js .\nUSER app\nCMD ["node", "server.js"]\n`,
      );
      expect(checks(own).builds!.passed).toBe(true);
      expect(checks(own).answers!.en).toBe(`answered 10001:10001 cap=0000000000000000 nnp=1 home=EROFS v26.12.1`);
      expect(runInfo(own)).toMatchObject({ started: true, user: 'app', answered: true, health: null });
      // The official image's own user, and its entrypoint handing "server.js" to node.
      const node = await grade(`FROM ${base}\nWORKDIR /app\nCOPY server.js .\nUSER node\nCMD ["server.js"]\n`);
      expect(checks(node).answers!.en).toBe(`answered 1000:1000 cap=0000000000000000 nnp=1 home=EROFS v26.12.1`);
    }
    // USER root (or none) still runs as the sandbox user, never as root.
    const root = await grade('FROM node:26-slim\nWORKDIR /app\nCOPY server.js .\nUSER root\nCMD ["node", "server.js"]\n');
    expect(checks(root).answers!.en).toMatch(/^answered 10001:10001 cap=0000000000000000 nnp=1 /);
    expect(runInfo(root).user).toBe('10001:10001');
  });

  it('a USER the image does not have fails to start, as on Docker, and the grader is told why', async () => {
    const o = await grade('FROM node:26-bookworm-slim\nWORKDIR /app\nCOPY server.js .\nUSER app\nCMD ["node", "server.js"]\n');
    expect(checks(o).builds!.passed).toBe(true);
    expect(checks(o).answers!.passed).toBe(false);
    expect(runInfo(o)).toEqual({ started: false, user: 'app', error: 'unable to find user app: no matching entries in passwd file' });
  });

  it('the HEALTHCHECK runs once in the running subject, as its user, with its timeout, and the grader gets its exit code and output', async () => {
    const ok = await grade(
      `FROM node:26-bookworm-slim\nWORKDIR /app\nCOPY server.js .\nUSER node\nHEALTHCHECK --timeout=3s CMD id -u && node -e "fetch('http://127.0.0.1:8080/').then(r => r.text()).then(t => { console.log(t.split(' ')[0]); process.exit(3); })"\nCMD ["node", "server.js"]\n`,
    );
    expect(runInfo(ok).health).toMatchObject({ exitCode: 3, output: '1000\n1000:1000\n' });
    // curl is not in the image: the check fails as it would under Docker.
    const curl = await grade(
      'FROM node:26-bookworm-slim\nWORKDIR /app\nCOPY server.js .\nHEALTHCHECK CMD curl -fsS http://127.0.0.1:8080/ || exit 1\nCMD ["node", "server.js"]\n',
    );
    expect(runInfo(curl).health).toMatchObject({ exitCode: 1, output: expect.stringMatching(/curl: not found/) });
    const t0 = Date.now();
    const hang = await grade(
      'FROM node:26-bookworm-slim\nWORKDIR /app\nCOPY server.js .\nHEALTHCHECK --timeout=2s CMD ["sleep", "60"]\nCMD ["node", "server.js"]\n',
    );
    expect(runInfo(hang).health).toMatchObject({ exitCode: -1, timedOut: true, output: 'Health check exceeded timeout (2s)' });
    expect(Date.now() - t0).toBeLessThan(60_000);
  });

  it('.dockerignore leaves files out of the context as docker build does: COPY . . does not copy them', async () => {
    const server = "require('http').createServer((q, s) => s.end(require('fs').existsSync('/app/secret.txt') ? 'leaked' : 'hello')).listen(8080);";
    const files = [
      f('Dockerfile', 'FROM node:26-slim\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n'),
      f('server.js', server),
      f('secret.txt', 'key'),
      f('.dockerignore', '# not in the image\nsecret.txt\n'),
    ];
    const o = await gradeFiles({ docker, labId: 'test-build', files });
    expect(checks(o).answers).toEqual({ passed: true, en: 'Passed.' });
    const without = await gradeFiles({ docker, labId: 'test-build', files: files.filter((x) => x.path !== '.dockerignore') });
    expect(checks(without).answers!.en).toBe('answered leaked');
  });

  it('a changed grader image is built inside the builder from its small context, not copied whole from the host', async () => {
    const { leaseBuilder, provideImages } = await import('@/lib/grading/builder');
    const tag = graderImageTag(getLab('week02-docker-server')!);
    const lease = await leaseBuilder(docker, { images: [] });
    try {
      await lease.docker
        .getImage(tag)
        .remove({ force: true })
        .catch(() => {});
      const did = await provideImages(docker, lease.docker, [tag]);
      expect(did.built).toEqual([tag]);
      expect(did.copied.filter((t) => t.startsWith('lms-grader-'))).toEqual([]);
      const img = await lease.docker.getImage(tag).inspect();
      expect(img.Config.Labels?.['lms.lab']).toBe('week02-docker-server');
      expect(img.Config.User).toBe('10001:10001');
    } finally {
      await lease.release();
    }
  });
});
