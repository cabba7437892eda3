import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { Submission, NotGradable, type GraderVerdict } from '../../../grader-kit/index';
import { parseImageRef, readDockerfile } from '../../../grader-kit/dockerfile';
import { labManifest } from '../../../lib/labs/manifest';
import { labSubmissionDirs, readCase, readFolderFiles, readVariant, type Lab } from '../../../lib/labs/registry';
import { gradeWith, pinning, type BuildInfo, type Probe } from './checks';
import { interpolate, publishedPorts, restartPolicy, validateCompose } from '../../../grader-kit/compose';
import { asksHealthEndpoint, imageExposed, imageHealthcheck, imageUser, isRootUser, readHealthcheck } from '../../../grader-kit/docker-image';

// Unit tests at the seam: the build information and the running server are fakes here; `bin/lms labs verify` and the
// integration suite build and run every case and variant for real.
const LAB = path.resolve(import.meta.dirname, '..');
const manifest = labManifest.parse(YAML.parse(fs.readFileSync(path.join(LAB, 'lab.yaml'), 'utf8')));
const lab = { dir: LAB, manifest } as unknown as Lab;
const maxScore = manifest.checks.reduce((s, c) => s + c.points, 0);

const asRecord = (fs_: { path: string; content: Buffer }[]) => Object.fromEntries(fs_.map((f) => [f.path, f.content.toString('utf8')]));
const files = (dir: string): Record<string, string> =>
  dir.startsWith('cases/')
    ? asRecord(readCase(path.join(LAB, dir)).files)
    : dir.startsWith('variants/')
      ? asRecord(readVariant(path.join(LAB, dir)).files)
      : asRecord(readFolderFiles(path.join(LAB, dir)));
const sub = (f: Record<string, string>) => new Submission(new Map(Object.entries(f).map(([k, v]) => [k, Buffer.from(v)])));
const failed = (v: GraderVerdict) =>
  v.checks
    .filter((c) => !c.passed)
    .map((c) => c.id)
    .sort();
const score = (v: GraderVerdict) => v.checks.reduce((s, c) => s + c.points, 0);
const en = (v: GraderVerdict, id: string) => {
  const m = v.checks.find((c) => c.id === id)?.message;
  return typeof m === 'object' ? m.en : (m ?? '');
};

/**
 * A build as the classic builder reports it, from the Dockerfile: one step per instruction; in the second build
 * (server.js changed) every step is cached up to the first COPY that brings server.js, none after it.
 */
function fakeBuild(dockerfile: string): BuildInfo {
  const df = readDockerfile(dockerfile);
  const steps = df.instructions.map((i, k) => ({ step: k + 1, instruction: `${i.op} ${i.args}`.replace(/\s+/g, ' '), cached: false }));
  let touched = false;
  const stageTouched = new Set<number>();
  const rebuildSteps = df.instructions.map((i, k) => {
    if (i.op === 'FROM')
      touched = df.stages[i.stage]?.parent.kind === 'stage' ? stageTouched.has((df.stages[i.stage]!.parent as { stage: number }).stage) : false;
    const from = i.flags.find((f) => f.name === 'from')?.value ?? undefined;
    if ((i.op === 'COPY' || i.op === 'ADD') && !from && i.words.slice(0, -1).some((w) => w === '.' || w === './' || /server\.js|\*/.test(w))) touched = true;
    if ((i.op === 'COPY' || i.op === 'ADD') && from && stageTouched.has(df.stages.findIndex((s) => s.name === from.toLowerCase()))) touched = true;
    if (touched) stageTouched.add(i.stage);
    return { ...steps[k]!, cached: !touched };
  });
  return { ok: true, steps, rebuildSteps };
}
const healthy: Probe = {
  get: async (p) =>
    p === '/healthz' ? { status: 200, body: '{"status":"ok","uptime":1}' } : { status: 200, body: "hello from checkout, the shop's service\n" },
};
const grade = (f: Record<string, string>, probe: Probe | null = healthy, build?: BuildInfo) => gradeWith(sub(f), build ?? fakeBuild(f.Dockerfile!), probe);

describe('week 2: pinned images', () => {
  it.each([
    ['node:26.12.1-bookworm-slim', true],
    ['node:26-bookworm-slim', true],
    ['node:26', true],
    ['docker.io/library/node:26-slim', true],
    ['node:26-bookworm-slim@sha256:' + 'a'.repeat(64), true],
    ['node@sha256:' + 'b'.repeat(64), true],
    ['debian:bookworm-slim', true],
    ['debian:12-slim', true],
    ['node', false],
    ['node:latest', false],
    ['node:lts-bookworm-slim', false],
    ['node:current-slim', false],
    ['node:bookworm-slim', false],
    ['debian:stable-slim', false],
  ])('%s pinned: %s', (ref, ok) => {
    expect(pinning(parseImageRef(ref)).ok).toBe(ok);
  });
});

describe('week 2: the image the Dockerfile makes', () => {
  it('inherits USER, EXPOSE and HEALTHCHECK through FROM <stage>, with variables expanded where Docker expands them', () => {
    const df = readDockerfile(
      [
        'ARG IMG=node:26-bookworm-slim',
        'FROM ${IMG} AS base',
        'ARG P=8080',
        'ENV PORT=$P',
        'EXPOSE ${PORT}',
        'USER node',
        'HEALTHCHECK CMD ["node", "hc.js"]',
        'FROM base',
        'CMD ["node", "server.js"]',
      ].join('\n'),
    );
    expect(imageUser(df)).toMatchObject({ value: 'node', line: 6 });
    expect(imageExposed(df).ports).toEqual([{ from: 8080, to: 8080, protocol: 'tcp', line: 5 }]);
    expect(imageHealthcheck(df)).toMatchObject({ test: ['CMD', 'node', 'hc.js'], line: 7 });
    // a USER in a stage the final one does not start FROM is not the image's
    const other = readDockerfile(['FROM node:26-bookworm-slim AS deps', 'USER node', 'FROM node:26-bookworm-slim', 'CMD ["node", "server.js"]'].join('\n'));
    expect(imageUser(other)).toBeUndefined();
  });

  it.each([
    ['', true],
    ['root', true],
    ['0', true],
    ['0:0', true],
    ['root:node', true],
    ['node', false],
    ['1000:1000', false],
    ['10001', false],
    ['app:app', false],
  ])('USER %j is root: %s', (u, root) => {
    expect(isRootUser(u)).toBe(root);
  });

  it('reads EXPOSE ranges and protocols, and reports what is not a port', () => {
    const df = readDockerfile(['FROM node:26', 'EXPOSE 8000-8090/tcp 53/udp', 'EXPOSE $NOPE'].join('\n'));
    const e = imageExposed(df);
    expect(e.ports).toEqual([
      { from: 8000, to: 8090, protocol: 'tcp', line: 2 },
      { from: 53, to: 53, protocol: 'udp', line: 2 },
    ]);
    expect(e.bad).toEqual([{ word: '$NOPE (= empty)', line: 3 }]);
  });

  it.each([
    // [HEALTHCHECK line, extra files, asks /healthz on 8080 when it runs]
    ['HEALTHCHECK CMD ["node", "-e", "fetch(\'http://127.0.0.1:8080/healthz\')"]', {}, true],
    ['HEALTHCHECK --interval=5s CMD node -e "fetch(\'http://localhost:${PORT:-8080}/healthz\')"', {}, true],
    ['HEALTHCHECK CMD ["sh", "-c", "node -e \\"fetch(\'http://127.0.0.1:$PORT/healthz\')\\""]', {}, true],
    ['HEALTHCHECK CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`)"]', {}, true],
    ['HEALTHCHECK CMD ["node", "healthcheck.js"]', { 'healthcheck.js': "fetch('http://127.0.0.1:' + (process.env.PORT ?? 8080) + '/healthz')" }, true],
    ['HEALTHCHECK CMD node /app/scripts/health.js', { 'scripts/health.js': "fetch('http://127.0.0.1:8080/healthz')" }, true],
    ['HEALTHCHECK CMD ["node", "-e", "fetch(\'http://127.0.0.1:$PORT/healthz\')"]', {}, false],
    ['HEALTHCHECK CMD ["node", "-e", "fetch(\'http://127.0.0.1:8080/\')"]', {}, false],
    ['HEALTHCHECK CMD ["node", "healthcheck.js"]', { 'healthcheck.js': "fetch('http://127.0.0.1:3000/')" }, false],
  ])('%s → %s', (line, extra, ok) => {
    const hc = imageHealthcheck(readDockerfile(`FROM node:26\n${line}\n`))!;
    const r = readHealthcheck(hc, new Map(Object.entries(extra)))!;
    expect(asksHealthEndpoint(r, 8080).ok).toBe(ok);
  });

  it('knows which program a HEALTHCHECK runs, through sh -c', () => {
    const hc = imageHealthcheck(readDockerfile('FROM node:26\nHEALTHCHECK CMD ["/bin/sh", "-c", "curl -fsS http://127.0.0.1:8080/healthz || exit 1"]\n'))!;
    expect(readHealthcheck(hc, new Map())).toMatchObject({ program: 'curl', shell: true });
    expect(imageHealthcheck(readDockerfile('FROM node:26\nHEALTHCHECK --interval=5s NONE\n'))!.test).toEqual(['NONE']);
  });
});

describe('week 2: the compose file as Docker Compose reads it', () => {
  it.each([
    ['${HOST_PORT:-8080}:8080', '8080:8080'],
    ['${HOST_PORT-8080}', '8080'],
    ['$$HOME', '$HOME'],
    ['${UNSET}x', 'x'],
    ['${A:-${B:-nested}}', 'nested'],
    ['${SET:+alt}', ''],
  ])('interpolates %s → %s', (s, want) => {
    expect(interpolate(s)).toBe(want);
  });
  it('refuses a required variable without a value', () => {
    expect(() => interpolate('${IMAGE_TAG:?set the tag}')).toThrow(/IMAGE_TAG.*set the tag/);
  });

  it.each([
    [['8080:8080'], 8080],
    [['127.0.0.1:8080:8080'], 8080],
    [['[::1]:8080:8080/tcp'], 8080],
    [['8080'], 8080],
    [[8080], 8080],
    [['127.0.0.1::8080'], 8080],
    [['8000-8001:8080-8081'], 8080],
    [[{ target: 8080, published: '8080' }], 8080],
    [[{ target: 8080 }], 8080],
    [['80:8080/udp'], undefined],
    [['8080:80'], undefined],
  ])('ports %j publish container port 8080/tcp: %s', (ports, want) => {
    const p = publishedPorts({ ports } as never).ports.find((x) => x.protocol === 'tcp' && x.from <= 8080 && 8080 <= x.to);
    expect(p ? 8080 : undefined).toBe(want);
  });

  it.each([
    [{ restart: 'always' }, 'always'],
    [{ restart: 'unless-stopped' }, 'unless-stopped'],
    [{ restart: 'on-failure:3' }, 'on-failure'],
    [{ restart: 'on-failure:0' }, 'on-failure'],
    [{ restart: 'no' }, 'none'],
    [{}, 'none'],
    [{ restart: 'Always' }, 'invalid'],
    [{ restart: 'sometimes' }, 'invalid'],
    [{ deploy: { restart_policy: { condition: 'any' } } }, 'always'],
    [{ restart: 'always', deploy: { restart_policy: { delay: '5s' } } }, 'none'],
    [{ restart: 'no', deploy: { restart_policy: { condition: 'on-failure', max_attempts: 3 } } }, 'on-failure'],
  ])('restart policy of %j: %s', (service, kind) => {
    expect(restartPolicy(service as never).kind).toBe(kind);
  });

  it('validates against the current Compose Specification: top-level name, develop, models, published as a string', () => {
    const current = {
      name: 'shop',
      services: {
        checkout: {
          build: { context: '.' },
          ports: [{ target: 8080, published: '8080', app_protocol: 'http' }],
          develop: { watch: [{ action: 'sync', path: '.', target: '/app' }] },
          restart: 'unless-stopped',
          models: ['llm'],
        },
      },
      models: { llm: { model: 'ai/smollm2' } },
    };
    expect(validateCompose(current)).toEqual([]);
    expect(validateCompose({ services: { checkout: { build: '.', prots: ['8080:8080'] } } })[0]).toMatchObject({
      path: ['services', 'checkout', 'prots'],
    });
  });
});

describe('week 2 Docker server grader', () => {
  it('gives the solution full marks when it builds, answers and stays cached', async () => {
    const v = await grade(files('solution'));
    expect(v.checks.map((c) => c.id)).toEqual(manifest.checks.map((c) => c.id));
    expect(failed(v)).toEqual([]);
    expect(score(v)).toBe(maxScore);
  });

  for (const d of labSubmissionDirs(lab, 'variants')) {
    const name = path.basename(d);
    it(`variant ${name} scores full marks on every check read from its files`, async () => {
      expect(failed(await grade(files(`variants/${name}`)))).toEqual([]);
    });
  }

  it('keeps the starter below the pass mark even when it builds and answers', async () => {
    const v = await grade(files('starter'));
    expect(score(v)).toBeLessThan(maxScore * manifest.passRatio);
  });

  it('maps a failed build step to its Dockerfile line, and names the builder when a BuildKit option failed', async () => {
    const f = files('solution');
    const steps = fakeBuild(f.Dockerfile!).steps!;
    const install = steps.findIndex((s) => /install\.js/.test(s.instruction));
    const v = await grade(f, null, {
      ok: false,
      error: "The command '/bin/sh -c node scripts/install.js' returned a non-zero code: 1",
      steps: steps.slice(0, install + 1),
    });
    const line = readDockerfile(f.Dockerfile!).instructions[install]!.line;
    expect(en(v, 'builds')).toMatch(new RegExp(`^Dockerfile:${line}: the image did not build: The command`));
    expect(failed(v)).toEqual(['answers', 'builds', 'cache']);
    // no credit for EXPOSE when there is no image
    expect(v.checks.find((c) => c.id === 'answers')!.points).toBe(0);
    const mount = await grade(f, null, {
      ok: false,
      error: 'the --mount option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ to learn how to build images with BuildKit enabled',
      steps: steps.slice(0, 2),
    });
    expect(en(mount, 'builds')).toMatch(/classic builder/);
  });

  it('fails answers when the server does not answer or its health is wrong', async () => {
    const f = files('solution');
    const down: Probe = { get: async () => ({ error: 'connection refused' }) };
    expect(failed(await grade(f, down))).toEqual(['answers']);
    const sick: Probe = {
      get: async (p) => (p === '/healthz' ? { status: 500, body: 'x' } : { status: 200, body: "hello from checkout, the shop's service" }),
    };
    expect(en(await grade(f, sick), 'answers')).toContain('/healthz');
    // GET / must be the checkout service's greeting (or, from an earlier server.js, hello-server's); anything else is not.
    const saying = (body: string): Probe => ({ get: async (p) => (p === '/healthz' ? { status: 200, body: '{"status":"ok"}' } : { status: 200, body }) });
    expect(failed(await grade(f, saying('안녕하세요, 쇼핑몰의 checkout 서비스입니다\n')))).toEqual([]);
    expect(failed(await grade(f, saying('hello from hello-server\n')))).toEqual([]);
    const other = await grade(f, saying('<h1>Welcome to nginx!</h1>'));
    expect(failed(other)).toEqual(['answers']);
    expect(en(other, 'answers')).toMatch(/HTTP 200, but not the checkout service's greeting: "<h1>Welcome to nginx!<\/h1>"/);
    const notStarted = await gradeWith(sub(f), fakeBuild(f.Dockerfile!), down, {
      started: false,
      error: 'unable to find user app: no matching entries in passwd file',
    });
    expect(en(notStarted, 'answers')).toMatch(/Docker could not start the container: unable to find user app/);
  });

  it('judges the cache: the install must stay cached and no RUN may run again; no install at all fails', async () => {
    const f = files('solution');
    const b = fakeBuild(f.Dockerfile!);
    const rerun = { ...b, rebuildSteps: b.rebuildSteps!.map((s) => (/install\.js/.test(s.instruction) ? { ...s, cached: false } : s)) };
    const v = await grade(f, healthy, rerun);
    expect(failed(v)).toEqual(['cache']);
    expect(en(v, 'cache')).toMatch(/Dockerfile:\d+ RUN node scripts\/install\.js/);
    expect(en(await grade(f, healthy, { ...b, rebuildSteps: [] }), 'cache')).toMatch(/second build.*failed/);
    expect(en(await grade(files('cases/dependencies-copied-not-installed')), 'cache')).toMatch(/no RUN step installs the dependencies/);
  });

  it('reads the built image when the engine reports it: its USER, EXPOSE and HEALTHCHECK are the truth', async () => {
    const f = files('solution');
    const b = fakeBuild(f.Dockerfile!);
    const asRoot = await grade(f, healthy, {
      ...b,
      image: { user: '', exposedPorts: { '8080/tcp': {} }, healthcheck: { test: ['CMD', 'node', '-e', "fetch('http://127.0.0.1:8080/healthz')"] } },
    });
    expect(failed(asRoot)).toEqual(['non-root']);
    const noExpose = await grade(f, healthy, { ...b, image: { user: 'node', exposedPorts: {} } });
    expect(failed(noExpose)).toEqual(['answers']);
  });

  it('runs the HEALTHCHECK when the engine did: its exit code decides', async () => {
    const f = files('solution');
    const b = fakeBuild(f.Dockerfile!);
    const v = await gradeWith(sub(f), b, healthy, { started: true, health: { exitCode: 127, output: 'sh: 1: curl: not found' } });
    expect(failed(v)).toEqual(['healthcheck']);
    expect(en(v, 'healthcheck')).toMatch(/failed with exit code 127: sh: 1: curl: not found/);
    expect(failed(await gradeWith(sub(f), b, healthy, { started: true, health: { exitCode: 0 } }))).toEqual([]);
    const lh = files('cases/healthcheck-localhost-ipv6');
    const v6 = await gradeWith(sub(lh), fakeBuild(lh.Dockerfile!), healthy, { started: true, health: { exitCode: 1, output: '' } });
    expect(failed(v6)).toEqual(['healthcheck']);
    expect(en(v6, 'healthcheck')).toMatch(/localhost resolves to ::1 first .* ask http:\/\/127\.0\.0\.1:8080\/healthz/);
    const slow = await gradeWith(sub(f), b, healthy, { started: true, health: { exitCode: -1, output: '', timedOut: true } });
    expect(en(slow, 'healthcheck')).toMatch(/did not finish within its timeout/);
    const died = await gradeWith(sub(f), b, { get: async () => ({ error: 'fetch failed' }) }, { started: true, exited: true });
    expect(en(died, 'answers')).toMatch(/The container exited before it answered/);
  });

  it('says what is wrong with a HEALTHCHECK, where', async () => {
    expect(en(await grade(files('cases/healthcheck-curl-not-in-image')), 'healthcheck')).toMatch(
      /^Dockerfile:12: the HEALTHCHECK runs curl, which this image does not have/,
    );
    expect(en(await grade(files('cases/healthcheck-exec-form-variable')), 'healthcheck')).toMatch(
      /^Dockerfile:12: an exec-form \(JSON array\) HEALTHCHECK runs without a shell, so \$PORT stays/,
    );
    expect(en(await grade(files('cases/user-only-in-build-stage')), 'non-root')).toMatch(
      /^Dockerfile:10: the image sets no USER, so it runs as its base image's default user, root/,
    );
  });

  it('judges the compose file by what Compose would run, with the line of the problem', async () => {
    const f = files('solution');
    const compose = (text: string) => grade({ ...f, 'compose.yaml': text });
    const typo = await compose(f['compose.yaml']!.replace('    ports:', '    prots:'));
    expect(en(typo, 'compose')).toMatch(
      /compose\.yaml:\d+: not valid against the Compose Specification; docker compose config refuses it: services\.checkout must NOT have additional properties \(prots\)/,
    );
    expect(failed(await compose('services:\n  checkout:\n    build: .\n    ports: ["${CHECKOUT_PORT:-8080}:8080"]\n    restart: always\n'))).toEqual([]);
    expect(en(await compose('services:\n  checkout:\n    build: .\n    ports: ["8080:3000"]\n    restart: always\n'), 'compose')).toMatch(
      /compose\.yaml:4: service checkout does not publish the container's port 8080\/tcp \(it publishes host→container 8080→3000\/tcp\)/,
    );
    expect(en(await compose('services:\n  checkout:\n    build: ./other\n    ports: ["8080:8080"]\n    restart: always\n'), 'compose')).toMatch(
      /service checkout builds from \.\/other; no service builds its image from this folder/,
    );
    expect(en(await compose('services:\n  checkout:\n    build: .\n    ports: ["8080:8080"]\n    restart: sometimes\n'), 'compose')).toMatch(
      /compose\.yaml:5: "sometimes" is not a restart policy Docker knows/,
    );
    expect(en(await grade(files('cases/restart-on-failure')), 'compose')).toMatch(
      /compose\.yaml:7: restart on-failure:3 restarts only after a non-zero exit, gives up after 3 tries, and does not start the container when the Docker daemon restarts/,
    );
    expect(
      en(
        await compose(
          'services:\n  checkout:\n    build: .\n    ports: ["8080:8080"]\n    restart: always\n    deploy:\n      restart_policy:\n        delay: 5s\n',
        ),
        'compose',
      ),
    ).toMatch(/deploy\.restart_policy with no condition means never restart; docker compose up uses deploy\.restart_policy instead of restart/);
  });

  for (const d of labSubmissionDirs(lab, 'cases')) {
    const c = path.basename(d);
    const expected = [...readCase(d).expect.fail].sort();
    // Cases whose failure only a real build or run shows are covered by `bin/lms labs verify` and the integration suite
    // (and the localhost HEALTHCHECK, which only running it shows to fail: see the test above).
    if (expected.some((id) => ['builds', 'answers'].includes(id)) || c === 'healthcheck-localhost-ipv6') continue;
    it(`case ${c} fails exactly its expected checks`, async () => {
      expect(failed(await grade(files(`cases/${c}`)))).toEqual(expected);
    });
  }

  it('is not gradable without its files or a FROM, and never crashes on garbage', async () => {
    await expect(gradeWith(sub({ 'notes.md': 'x' }), { ok: false }, null)).rejects.toBeInstanceOf(NotGradable);
    const f = files('solution');
    await expect(grade({ ...f, Dockerfile: '# nothing\n' })).rejects.toThrow(/no FROM/);
    for (const garbage of [
      'FROM ${',
      'FROM x\nHEALTHCHECK CMD [',
      'FROM x\nUSER\nEXPOSE\nHEALTHCHECK',
      'FROM x AS a\nFROM a AS b\nFROM b\nCOPY --from=9 / /',
    ]) {
      const v = await grade({ ...f, Dockerfile: garbage }, null, { ok: false, error: 'x' });
      expect(v.gradable).toBe(true);
    }
  });
});
