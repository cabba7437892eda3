import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { NotGradable, Submission, type GraderVerdict } from '../../../grader-kit/index';
import { readDockerfile, varsAt } from '../../../grader-kit/dockerfile';
import { stageChain } from '../../../grader-kit/build-info';
import { imageExposed, imageHealthcheck, imageUser } from '../../../grader-kit/docker-image';
import { labManifest, maxPoints } from '../../../lib/labs/manifest';
import { labSubmissionDirs, readCase, readFolderFiles, readVariant, type Lab } from '../../../lib/labs/registry';
import { graderOutput } from '../../../lib/grading/result';
import { CHECK_IDS, POINTS, gradeWith, healthTest, listeningPorts, seconds, type BuildInfo, type Probe, type RunInfo } from './checks';

// Unit tests at the seam: the build, the run and the running server are simulated here from the Dockerfile (what the
// final stage holds, the port it listens on, whether the install reruns). `bin/lms labs verify` builds and runs every
// case and variant for real in the learner-image builder.
const LAB = path.resolve(import.meta.dirname, '..');
const manifest = labManifest.parse(YAML.parse(fs.readFileSync(path.join(LAB, 'lab.yaml'), 'utf8')));
const lab: Lab = { manifest, dir: LAB };
const MAX = maxPoints(manifest);

const asRecord = (xs: { path: string; content: Buffer }[]) => Object.fromEntries(xs.map((f) => [f.path, f.content.toString('utf8')]));
const solution = asRecord(readFolderFiles(path.join(LAB, 'solution')));
const starter = asRecord(readFolderFiles(path.join(LAB, 'starter')));
const sub = (f: Record<string, string>) => new Submission(new Map(Object.entries(f).map(([k, v]) => [k, Buffer.from(v)])));
const total = (v: GraderVerdict) => v.checks.reduce((s, c) => s + c.points, 0);
const failed = (v: GraderVerdict) =>
  v.checks
    .filter((c) => !c.passed)
    .map((c) => c.id)
    .sort();
const en = (v: GraderVerdict, ...ids: string[]) =>
  ids
    .map((id) => {
      const mm = v.checks.find((c) => c.id === id)?.message;
      return typeof mm === 'string' ? mm : (mm?.en ?? '');
    })
    .join(' ');

/** What building and running this Dockerfile does, as far as this lab's checks can tell. */
function simulate(dockerfile: string): { build: BuildInfo; run: RunInfo } {
  const df = readDockerfile(dockerfile);
  const chain = stageChain(df);
  const final = chain[0]!;
  // The install's node_modules reach the final image when the final chain runs it, or copies them from a stage that did.
  const installs = (stage: number) => df.stages[stage]!.instructions.some((i) => i.op === 'RUN' && /scripts\/install\.js/.test(i.args));
  const inFinal =
    chain.some((s) => installs(s.index)) ||
    chain.some((s) =>
      s.instructions.some(
        (i) =>
          i.op === 'COPY' &&
          i.flags.some((f) => f.name === 'from') &&
          /node_modules/.test(i.args) &&
          installs(df.stages.findIndex((x) => x.name === i.flags.find((f) => f.name === 'from')!.value?.toLowerCase())),
      ),
    );
  const last = final.instructions.at(-1)!;
  const port = Number(varsAt(df, last).get('PORT') ?? 8080);
  const steps = df.instructions.map((i, k) => ({ step: k + 1, line: i.line, instruction: `${i.op} ${i.args}`.replace(/\s+/g, ' '), cached: false }));
  const touchedStages = new Set<number>();
  let touched = false;
  const rebuildSteps = df.instructions.map((i, k) => {
    if (i.op === 'FROM') touched = false;
    const from = i.flags.find((f) => f.name === 'from')?.value;
    if ((i.op === 'COPY' || i.op === 'ADD') && !from && i.words.slice(0, -1).some((w) => w === '.' || w === './' || /server\.js/.test(w))) touched = true;
    if ((i.op === 'COPY' || i.op === 'ADD') && from && touchedStages.has(df.stages.findIndex((s) => s.name === from.toLowerCase()))) touched = true;
    if (touched) touchedStages.add(i.stage);
    return { ...steps[k]!, cached: !touched };
  });
  const hc = imageHealthcheck(df);
  const build: BuildInfo = {
    ok: true,
    steps,
    rebuildSteps,
    image: {
      user: imageUser(df)?.value ?? '',
      exposedPorts: imageExposed(df).ports.map((p) => `${p.from}/${p.protocol}`),
      healthcheck: hc ? { test: hc.test } : null,
    },
    added: [
      { createdBy: 'COPY', size: 1, files: inFinal ? [{ path: 'app/node_modules/shop-catalog/index.js', size: 1 }] : [{ path: 'app/server.js', size: 1 }] },
    ],
  };
  // The grading sandbox sets PORT=8080 itself (as docker run -e PORT=8080 would), whatever the image's ENV says.
  const answered = inFinal;
  const run: RunInfo = {
    started: true,
    exited: !inFinal,
    answered,
    ...(answered ? { health: hc ? { exitCode: hc.test.join(' ').includes(':8080/') ? 0 : 1 } : null } : {}),
  };
  return { build: { ...build, image: { ...build.image, env: [`PORT=${port}`].filter(() => varsAt(df, last).has('PORT')) } }, run };
}

async function grade(files: Record<string, string>): Promise<GraderVerdict> {
  const { build, run } = simulate(files.Dockerfile!);
  const probe: Probe | null = run.exited
    ? null
    : {
        get: async (p) =>
          !run.answered
            ? { error: 'connect ECONNREFUSED 127.0.0.1:8080' }
            : p === '/healthz'
              ? { status: 200, body: '{"status":"ok","uptime":1}' }
              : { status: 200, body: '[{"id":1}]' },
      };
  return gradeWith(sub(files), build, probe, run, run.exited ? null : { listening: () => [8080] });
}

describe('the manifest and the instructions', () => {
  it("is a troubleshooting lab of week 2 that builds the image, whose checks are the grader's", () => {
    expect(manifest.id).toBe('week02-docker-troubleshoot');
    expect(manifest.week).toBe(2);
    expect(manifest.purpose).toBe('troubleshoot');
    expect(manifest.kind).toBe('subject');
    expect(manifest.subject).toMatchObject({ port: 8080, build: { dockerfile: 'Dockerfile', cacheProbe: 'server.js' } });
    expect(manifest.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
    expect(Object.fromEntries(manifest.checks.map((c) => [c.id, c.points]))).toEqual(POINTS);
    expect(manifest.checks.filter((c) => c.required).map((c) => c.id)).toEqual(['starts', 'port', 'compose-db']);
  });
  const read = (lang: string) => fs.readFileSync(path.join(LAB, `instructions.${lang}.md`), 'utf8').split('\n');
  it('have the same structure in Korean and English, list every check with its points, and quote no repair', () => {
    const shape = (lines: string[]) => ({
      headings: lines.filter((l) => /^#{1,3} /.test(l)).length,
      fences: lines.filter((l) => l.startsWith('```')).length,
      rows: lines.filter((l) => l.startsWith('|')).length,
    });
    expect(shape(read('ko'))).toEqual(shape(read('en')));
    for (const lang of ['ko', 'en']) {
      const rows = read(lang).filter((l) => l.startsWith('|') && /\|\s*\d+\s*\|$/.test(l));
      expect(
        rows.map((r) => Number(r.split('|').at(-2)!.trim())),
        lang,
      ).toEqual(manifest.checks.map((c) => c.points));
      expect(read(lang).join('\n')).not.toMatch(/COPY --from=deps \/app\/node_modules|"CMD-SHELL", "mysqladmin|- backend\n\s+depends_on/);
    }
  });
});

describe('the lab folder, with the build and the run simulated', () => {
  it('the solution gets full marks as a valid grader output', async () => {
    const v = await grade(solution);
    expect(graderOutput.safeParse(v).success).toBe(true);
    expect(v.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
    expect(failed(v), JSON.stringify(v.checks.filter((c) => !c.passed))).toEqual([]);
    expect(total(v)).toBe(MAX);
  });
  it('the starter fails every fault and stays below the pass mark, saying what is wrong', async () => {
    const v = await grade(starter);
    expect(failed(v)).toEqual(['cache', 'compose-db', 'db-health', 'non-root', 'port', 'starts']);
    expect(total(v) / MAX).toBeLessThan(manifest.passRatio);
    expect(en(v, 'starts')).toMatch(/final image has no node_modules\/shop-catalog.*Cannot find module/);
    expect(en(v, 'non-root')).toMatch(/USER node applies to the stage deps only/);
    expect(en(v, 'cache')).toMatch(/ran Dockerfile:\d+ RUN node scripts\/install\.js again/);
    expect(en(v, 'compose-db')).toMatch(/checkout service is on frontend and the db service on backend: they share no network.*ENOTFOUND db/);
    expect(en(v, 'db-health')).toMatch(/exec: "mysqladmin ping -h 127\.0\.0\.1 --silent": executable file not found/);
  });
  for (const dir of labSubmissionDirs(lab, 'cases')) {
    it(`case ${path.basename(dir)} fails exactly ${readCase(dir).expect.fail.join(', ')}`, async () => {
      const c = readCase(dir);
      const v = await grade(asRecord(c.files));
      expect(failed(v), en(v, ...failed(v))).toEqual([...c.expect.fail].sort());
    });
  }
  for (const dir of labSubmissionDirs(lab, 'variants')) {
    it(`variant ${path.basename(dir)} gets full marks`, async () => {
      const v = await grade(asRecord(readVariant(dir).files));
      expect(failed(v), JSON.stringify(v.checks.filter((c) => !c.passed))).toEqual([]);
    });
  }
  it('has at least 5 cases and 5 variants', () => {
    expect(labSubmissionDirs(lab, 'cases').length).toBeGreaterThanOrEqual(5);
    expect(labSubmissionDirs(lab, 'variants').length).toBeGreaterThanOrEqual(5);
  });
});

describe('what the grader reads from the engine', () => {
  it('a build that fails names its step; a user the image lacks, the start error', async () => {
    const broken = await gradeWith(
      sub(solution),
      {
        ok: false,
        error: 'process "/bin/sh -c node scripts/install.js" did not complete successfully: exit code: 1',
        steps: [{ step: 9, line: 9, instruction: 'RUN node scripts/install.js', cached: false }],
      },
      null,
    );
    expect(failed(broken)).toContain('starts');
    expect(en(broken, 'starts')).toMatch(/Dockerfile:9: the image does not build: process/);
    const { build } = simulate(solution.Dockerfile!);
    const nouser = await gradeWith(sub(solution), { ...build, image: { ...build.image, user: 'app' } }, null, {
      started: false,
      error: 'unable to find user app: no matching entries in passwd file',
    });
    expect(en(nouser, 'starts', 'non-root')).toMatch(/could not start the container: unable to find user app.*has no user app/);
  });
  it("reads the port from the image's environment (the sandbox sets its own PORT) and says where the server really listens", async () => {
    const v = await grade({ ...solution, Dockerfile: solution.Dockerfile!.replace('PORT=8080', 'PORT=3000') });
    expect(failed(v)).toEqual(['port']);
    expect(en(v, 'port')).toMatch(/Dockerfile:\d+: the image's environment sets PORT=3000/);
    // The log line the message quotes is the one server.js prints.
    expect(solution['server.js']).toContain('console.log(`checkout listening on ${port}`)');
    expect(en(v, 'port')).toMatch(/its log: checkout listening on 3000/);
    const { build, run } = simulate(solution.Dockerfile!);
    const refused: Probe = { get: async () => ({ error: 'connect ECONNREFUSED 127.0.0.1:8080' }) };
    const hard = await gradeWith(
      sub({ ...solution, 'server.js': solution['server.js']!.replace("server.listen(port, '0.0.0.0'", "server.listen(3000, '0.0.0.0'") }),
      build,
      refused,
      { ...run, answered: false },
      { listening: () => [3000] },
    );
    expect(en(hard, 'port')).toMatch(/The server listens on 3000 \(netstat -ltn/);
    const composed = await gradeWith(
      sub({ ...solution, 'compose.yaml': solution['compose.yaml']!.replace('      DB_HOST: db\n', '      DB_HOST: db\n      PORT: "3000"\n') }),
      build,
      refused,
      run,
      null,
    );
    expect(en(composed, 'port')).toMatch(/compose runs it with PORT=3000/);
  });
  it('reads listening ports from /proc/net/tcp and tcp6', () => {
    const tcp =
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n   0: 00000000:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 1 1\n   1: 0100007F:1F90 0100007F:A2B4 01 00000000:00000000 00:00000000 00000000  1000        0 2 1\n';
    const tcp6 =
      '  sl  local_address                         remote_address                        st\n   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A\n';
    expect(listeningPorts(tcp, tcp6)).toEqual([3000, 8080]);
    expect(listeningPorts('', 'garbage')).toEqual([]);
  });
  it('reads health check tests and durations as Docker and Compose do', () => {
    expect(healthTest(['CMD', 'mysqladmin', 'ping'])).toEqual({ kind: 'exec', argv: ['mysqladmin', 'ping'] });
    expect(healthTest(['CMD-SHELL', 'mysqladmin ping'])).toEqual({ kind: 'shell', script: 'mysqladmin ping' });
    expect(healthTest('mysqladmin ping')).toEqual({ kind: 'shell', script: 'mysqladmin ping' });
    expect(healthTest(['NONE'])).toEqual({ kind: 'none' });
    expect(healthTest(['mysqladmin', 'ping'])).toMatchObject({ kind: 'bad' });
    expect(seconds('1m30s')).toBe(90);
    expect(seconds('500ms')).toBe(0.5);
    expect(seconds('soon')).toBeUndefined();
  });
});

describe('compose repairs, accepted and refused', () => {
  const compose = solution['compose.yaml']!;
  const withCompose = (from: string, to: string) => {
    expect(compose.split(from).length - 1, `"${from.slice(0, 50)}" occurs once`).toBe(1);
    return grade({ ...solution, 'compose.yaml': compose.replace(from, to) });
  };
  it('finds the service by what it builds, not by its name (the first edition called it shop)', async () => {
    const renamed = compose.replace('\n  checkout:\n', '\n  shop:\n');
    expect(renamed).not.toBe(compose);
    expect(failed(await grade({ ...solution, 'compose.yaml': renamed }))).toEqual([]);
    // ...and still says which service shares no network with db, by its own name.
    const apart = renamed.replace('      - frontend\n      - backend\n', '      - frontend\n');
    expect(apart).not.toBe(renamed);
    expect(en(await grade({ ...solution, 'compose.yaml': apart }), 'compose-db')).toMatch(/the shop service is on frontend/);
  });
  it('accepts the database by its container_name on a shared network', async () => {
    const v = await grade({
      ...solution,
      'compose.yaml': compose
        .replace('      DB_HOST: db\n', '      DB_HOST: shop-db\n')
        .replace('    image: mysql:9.7\n', '    image: mysql:9.7\n    container_name: shop-db\n'),
    });
    expect(failed(v)).toEqual([]);
  });
  it.each([
    [
      'a DB_HOST that is no service',
      '      DB_HOST: db\n',
      '      DB_HOST: database\n',
      ['compose-db'],
      /neither the db service's name nor one of its aliases/,
    ],
    ['DB_PORT set to a host port', '      DB_HOST: db\n', '      DB_HOST: db\n      DB_PORT: "13306"\n', ['compose-db'], /not a port published on the host/],
    [
      'the health check turned off',
      '      test: ["CMD-SHELL", "mysqladmin ping -h 127.0.0.1 --silent"]\n',
      '      test: ["NONE"]\n',
      ['db-health'],
      /turns the health check off/,
    ],
    [
      'a health check that asks something else',
      '      test: ["CMD-SHELL", "mysqladmin ping -h 127.0.0.1 --silent"]\n',
      '      test: ["CMD-SHELL", "true"]\n',
      ['db-health'],
      /does not ask MySQL itself/,
    ],
    ['the shop published on every address', '"127.0.0.1:8080:8080"', '"8080:8080"', ['rest-intact'], /127\.0\.0\.1 only/],
    ['the data volume removed', '      - db-data:/var/lib/mysql\n', '', ['rest-intact'], /named volume db-data/],
    [
      'a compose file the specification refuses',
      '    restart: unless-stopped\n\n  db:',
      '    restart: unless-stopped\n    networkz: [x]\n\n  db:',
      ['rest-intact'],
      /not valid against the Compose Specification/,
    ],
  ] as [string, string, string, string[], RegExp][])('%s', async (_, from, to, fails, why) => {
    const v = await withCompose(from, to);
    expect(failed(v)).toEqual([...fails].sort());
    expect(en(v, ...fails)).toMatch(why);
  });
});

describe('submissions that cannot be graded', () => {
  it('a missing file of the layout, or a Dockerfile without FROM, is not gradable', async () => {
    const ng = async (f: Record<string, string>) => {
      try {
        await gradeWith(sub(f), { ok: false, error: 'x' }, null);
      } catch (e) {
        if (e instanceof NotGradable) return (e.msg as { en: string }).en;
        throw e;
      }
      throw new Error('expected NotGradable');
    };
    const { 'compose.yaml': _c, ...noCompose } = solution;
    expect(await ng(noCompose)).toMatch(/compose\.yaml is missing/);
    expect(await ng({ ...solution, Dockerfile: 'RUN true\n' })).toMatch(/no FROM/);
  });
});
