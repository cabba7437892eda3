/**
 * Week 2: a Dockerfile for the shop's checkout service (a small Node.js web server), really built (by the engine, with
 * no network) and run as the subject; plus a compose file. Every check judges the image the Dockerfile makes, read with Docker's own semantics
 * (grader-kit/dockerfile.ts: ARG scopes, stages, inheritance through `FROM <stage>`; the engine's inspect of the
 * built image when it reports one): the images the build reads are pinned, the image's user is not root, its
 * HEALTHCHECK asks the health endpoint, the running container answers and declares its port, the dependency install
 * stays cached when only the source changes. The compose file is read as Docker Compose reads it (compose.ts).
 */
import { msg, partial, type CheckVerdict, type GraderVerdict, type Msg, type Submission } from '../../../grader-kit/index';
import { isObj, parseYamlFile, type Obj } from '../../../grader-kit/yamldocs';
import { parseImageRef, type ParsedDockerfile } from '../../../grader-kit/dockerfile';
import {
  readSubmittedDockerfile,
  refusedBeforeBuilding,
  exposedPortList,
  stepInstruction,
  type BuildInfo,
  type BuildStep,
  type RunInfo,
} from '../../../grader-kit/build-info';
import { buildContext, interpolateTree, isProjectFolder, publishedPorts, restartPolicy, validateCompose } from '../../../grader-kit/compose';
import {
  ABSENT_PROGRAMS,
  asksHealthEndpoint,
  imageExposed,
  imageHealthcheck,
  imageUser,
  isRootUser,
  pinning,
  readHealthcheck,
} from '../../../grader-kit/docker-image';

export { pinning };

export type { BuildInfo, RunInfo };

export const PORT = 8080;
/** GET / of server.js answers the checkout service's greeting; the server of this lab's first edition said hello-server. */
export const GREETING = /checkout|hello-server/;

export interface Probe {
  get(path: string): Promise<{ status: number; body: string } | { error: string }>;
}

/** The images a build here may start from (the engine's local bases). Shown in messages; the engine decides. */
export const LOCAL_BASES = ['node:26-bookworm-slim', 'node:26.12.1-bookworm-slim', 'debian:bookworm-slim'];

export async function gradeWith(sub: Submission, build: BuildInfo, probe: Probe | null, run?: RunInfo): Promise<GraderVerdict> {
  const df = readSubmittedDockerfile(sub, ['Dockerfile', 'compose.yaml', 'server.js', 'package.json']);
  const final = df.stages.at(-1)!;
  const files = new Map(
    sub
      .paths()
      .filter((p) => !p.startsWith('.lms/') && sub.isValidUtf8(p))
      .map((p) => [p, sub.text(p)!]),
  );
  const checks: CheckVerdict[] = [];

  checks.push(checkBuilds(df, build));
  checks.push(checkBase(df));
  checks.push(checkUser(df, build, run, final.line));
  checks.push(checkHealth(df, build, run, files));
  checks.push(await checkAnswers(df, build, probe, run, final.line));
  checks.push(checkCache(df, build));
  checks.push(checkCompose(sub));
  return { gradable: true, checks };
}

function checkBuilds(df: ParsedDockerfile, build: BuildInfo): CheckVerdict {
  if (build.ok) return { id: 'builds', points: 3, passed: true };
  // Refused before building (an image that is not here, a network mount...): the engine's own reasons, with lines.
  const refused = refusedBeforeBuilding('builds', build);
  if (refused) return refused;
  const failedStep = build.steps?.at(-1);
  const ins = failedStep ? stepInstruction(df, failedStep) : undefined;
  // What Docker itself would refuse before building, named at its line.
  const problem = df.problems[0];
  const line = ins?.line ?? problem?.line;
  const where = line ? `Dockerfile:${line}` : 'Dockerfile';
  const err = (build.error ?? 'the build failed').replace(/\s+/g, ' ').slice(0, 400);
  const why = problem && (!ins || problem.line === ins.line) ? ` (${problem.message})` : '';
  const buildkitOnly = /--mount|requires BuildKit|unknown flag: (mount|link|chmod|exclude)|heredoc/i.test(err);
  return {
    id: 'builds',
    points: 0,
    passed: false,
    message: msg(
      `${where}: 이미지를 빌드하지 못했습니다: ${err}${why}${buildkitOnly ? ` 이 빌드는 ${builderName(build, 'ko')}로 실행되었습니다.` : ''}`,
      `${where}: the image did not build: ${err}${why}${buildkitOnly ? ` This build ran on ${builderName(build, 'en')}.` : ''}`,
    ),
  };
}

function builderName(build: BuildInfo, lang: 'ko' | 'en'): string {
  const kind = build.builder?.kind ?? 'classic';
  if (kind === 'buildkit')
    return lang === 'ko'
      ? `BuildKit${build.builder?.version ? ` ${build.builder.version}` : ''}`
      : `BuildKit${build.builder?.version ? ` ${build.builder.version}` : ''}`;
  return lang === 'ko' ? 'Docker의 예전(classic) 빌더(BuildKit 전용 옵션 없음)' : "Docker's classic builder, which has no BuildKit-only options";
}

function checkBase(df: ParsedDockerfile): CheckVerdict {
  // Every image the build reads from outside the Dockerfile: each FROM that is not an earlier stage, COPY --from=<image>.
  const loose = df.references
    .filter((r) => r.kind === 'from' || r.kind === 'copy-from' || r.kind === 'mount-from')
    .map((r) => ({ r, ref: parseImageRef(r.value), verdict: pinning(parseImageRef(r.value)) }))
    .filter((x) => !x.verdict.ok);
  const describe = (lang: 'ko' | 'en') =>
    loose
      .map(({ r, ref, verdict }) => {
        const why = verdict.ok ? '' : verdict.why;
        const name = r.value;
        if (lang === 'ko')
          return `Dockerfile:${r.line}: ${name}${why === 'no-tag' ? '에는 태그가 없어 latest를 뜻합니다' : why === 'floating' ? `의 태그 ${ref.tag}는 새 버전이 나오면 다른 이미지를 가리킵니다` : `의 태그 ${ref.tag}는 ${ref.repository}의 버전을 적지 않습니다(그 배포판 위의 최신 버전을 따라갑니다)`}`;
        return `Dockerfile:${r.line}: ${name}${why === 'no-tag' ? ' has no tag, so it means latest' : why === 'floating' ? `: the tag ${ref.tag} moves to another release by design` : `: the tag ${ref.tag} names no version of ${ref.repository} (it follows the newest one on that distribution)`}`;
      })
      .join('; ');
  return partial('base-image', 2, [
    {
      ok: loose.length === 0,
      message: msg(
        `${describe('ko')}. 같은 Dockerfile이 내일은 다른 이미지로 빌드될 수 있습니다. 버전이 드러나는 태그(예: ${LOCAL_BASES[0]})를 쓰세요.`,
        `${describe('en')}. The same Dockerfile may build from a different image tomorrow; use a tag that names the version (e.g. ${LOCAL_BASES[0]}).`,
      ),
    },
  ]);
}

function checkUser(df: ParsedDockerfile, build: BuildInfo, run: RunInfo | undefined, finalLine: number): CheckVerdict {
  const written = imageUser(df);
  // The built image's own configuration is the truth; the Dockerfile reading names the line.
  const user = build.ok && build.image && build.image.user !== undefined ? build.image.user : written?.value;
  const at = written ? `Dockerfile:${written.line}` : `Dockerfile:${finalLine}`;
  if (isRootUser(user)) {
    return partial('non-root', 2, [
      {
        ok: false,
        message: written
          ? msg(
              `${at}: USER ${written.ins.args}는 root(uid 0)입니다. 컨테이너 안의 프로세스가 root로 실행됩니다.`,
              `${at}: USER ${written.ins.args} is root (uid 0): the process in the container runs as root.`,
            )
          : msg(
              `${at}: 이미지에 USER가 없어서 베이스 이미지의 기본 사용자인 root로 실행됩니다.`,
              `${at}: the image sets no USER, so it runs as its base image's default user, root.`,
            ),
      },
    ]);
  }
  // A user the image does not have: Docker cannot start the container at all.
  const missing = run?.started === false && /unable to find user|no matching entries in passwd/i.test(run.error ?? '');
  return partial('non-root', 2, [
    {
      ok: !missing,
      message: msg(
        `${at}: USER ${user}인 사용자가 이미지에 없어서 Docker가 컨테이너를 시작하지 못했습니다(${(run?.error ?? '').slice(0, 160)}). 베이스에 있는 사용자(node)를 쓰거나 USER 앞에서 useradd로 만드세요.`,
        `${at}: the image has no user ${user}, so Docker could not start the container (${(run?.error ?? '').slice(0, 160)}). Use a user the base has (node) or create it with useradd before USER.`,
      ),
    },
  ]);
}

function checkHealth(df: ParsedDockerfile, build: BuildInfo, run: RunInfo | undefined, files: ReadonlyMap<string, string>): CheckVerdict {
  const hc = imageHealthcheck(df);
  const inspected = build.ok ? build.image?.healthcheck : undefined;
  const test = inspected?.test ?? hc?.test;
  if (!test || test.length === 0) {
    return partial('healthcheck', 2, [
      {
        ok: false,
        message: msg(
          `Dockerfile:${df.stages.at(-1)!.line}: 이미지에 HEALTHCHECK가 없습니다. 프로세스가 살아 있어도 요청에 답하는지는 아무도 확인하지 않습니다.`,
          `Dockerfile:${df.stages.at(-1)!.line}: the image has no HEALTHCHECK: nothing checks that the running process still answers.`,
        ),
      },
    ]);
  }
  const at = hc ? `Dockerfile:${hc.line}` : 'Dockerfile';
  if (test[0] === 'NONE') {
    return partial('healthcheck', 2, [
      { ok: false, message: msg(`${at}: HEALTHCHECK NONE은 헬스 체크를 끕니다.`, `${at}: HEALTHCHECK NONE turns health checks off.`) },
    ]);
  }
  // The check really run inside the running container, when the engine did: its exit code is the verdict.
  if (run?.health) {
    const out = (run.health.output ?? '').replace(/\s+/g, ' ').slice(0, 160);
    const text = `${test.join(' ')}\n${hc ? (readHealthcheck({ ...hc, test }, files)?.text ?? '') : ''}`;
    // localhost is ::1 first (Docker Engine 26+ keeps IPv6 on a container's loopback); server.js listens on IPv4 only.
    const ipv6 = /\blocalhost\b/.test(text) && !/127\.0\.0\.1/.test(text);
    const how = run.health.timedOut
      ? { ko: '제한 시간 안에 끝나지 않았습니다', en: 'did not finish within its timeout' }
      : { ko: `종료 코드 ${run.health.exitCode}로 실패했습니다`, en: `failed with exit code ${run.health.exitCode}` };
    return partial('healthcheck', 2, [
      { ok: true, message: msg('', '') },
      {
        ok: run.health.exitCode === 0 && !run.health.timedOut,
        message: msg(
          `${at}: 실행 중인 컨테이너 안에서 HEALTHCHECK를 실행했더니 ${how.ko}${out ? `: ${out}` : ''}. Docker는 이 컨테이너를 unhealthy로 표시합니다.${ipv6 ? ' localhost는 먼저 ::1로 풀리는데(Docker Engine 26부터 컨테이너의 루프백에 IPv6가 켜져 있습니다) 이 서버는 0.0.0.0, 곧 IPv4에서만 듣습니다. http://127.0.0.1:8080/healthz를 물으세요.' : ''}`,
          `${at}: run inside the running container, the HEALTHCHECK ${how.en}${out ? `: ${out}` : ''}. Docker would mark this container unhealthy.${ipv6 ? " localhost resolves to ::1 first (since Docker Engine 26 a container's loopback keeps IPv6) and this server listens on 0.0.0.0, IPv4 only: ask http://127.0.0.1:8080/healthz." : ''}`,
        ),
      },
    ]);
  }
  const reading = hc ? readHealthcheck({ ...hc, test }, files) : undefined;
  const part2 = ((): { ok: boolean; message: Msg } => {
    if (!reading)
      return { ok: false, message: msg(`${at}: HEALTHCHECK가 무엇을 실행하는지 읽을 수 없습니다.`, `${at}: cannot tell what the HEALTHCHECK runs.`) };
    if (ABSENT_PROGRAMS.includes(reading.program))
      return {
        ok: false,
        message: msg(
          `${at}: HEALTHCHECK가 ${reading.program}을(를) 실행하는데 이 이미지에는 ${reading.program}이 없습니다(공식 slim 이미지처럼). 검사는 매번 "not found"로 실패하고 컨테이너는 unhealthy가 됩니다. 이미지에 있는 node로 묻으세요(예: node -e "fetch('http://127.0.0.1:8080/healthz')...").`,
          `${at}: the HEALTHCHECK runs ${reading.program}, which this image does not have (like the official slim images): every check fails with "not found" and the container turns unhealthy. Ask with node, which the image has (e.g. node -e "fetch('http://127.0.0.1:8080/healthz')...").`,
        ),
      };
    const a = asksHealthEndpoint(reading, PORT);
    if (a.ok) return { ok: true, message: msg('', '') };
    if (a.why === 'exec-form-variable')
      return {
        ok: false,
        message: msg(
          `${at}: exec 형식(JSON 배열)의 HEALTHCHECK는 셸을 거치지 않아 $PORT가 바뀌지 않고 글자 그대로 남습니다. 포트를 8080으로 적거나, 셸 형식으로 쓰거나, node 안에서 process.env.PORT를 읽으세요.`,
          `${at}: an exec-form (JSON array) HEALTHCHECK runs without a shell, so $PORT stays as the literal text "$PORT". Write the port (8080), use the shell form, or read process.env.PORT inside node.`,
        ),
      };
    return {
      ok: false,
      message: msg(
        `${at}: HEALTHCHECK가 서버의 상태 엔드포인트(포트 ${PORT}의 /healthz)를 묻지 않습니다${a.why === 'no-path' ? '(/healthz가 없음)' : '(포트가 없음)'}.`,
        `${at}: the HEALTHCHECK does not ask the server's health endpoint (/healthz on port ${PORT})${a.why === 'no-path' ? ': no /healthz in it' : ': no port in it'}.`,
      ),
    };
  })();
  return partial('healthcheck', 2, [{ ok: true, message: msg('', '') }, part2]);
}

async function checkAnswers(df: ParsedDockerfile, build: BuildInfo, probe: Probe | null, run: RunInfo | undefined, finalLine: number): Promise<CheckVerdict> {
  if (!probe) {
    return partial('answers', 3, [
      {
        ok: false,
        message: msg(
          '이미지가 빌드되지 않아서 실행해 볼 수 없었습니다. EXPOSE도 이미지가 있어야 의미가 있습니다.',
          'The image did not build, so it could not be run (nor its EXPOSE read).',
        ),
      },
    ]);
  }
  const root = await probe.get('/');
  const health = await probe.get('/healthz');
  const show = (r: Awaited<ReturnType<Probe['get']>>) => ('error' in r ? r.error : `HTTP ${r.status}`);
  const startErr = run?.started === false ? (run.error ?? '').replace(/\s+/g, ' ').slice(0, 200) : undefined;
  const exited = run?.started !== false && run?.exited === true;
  let healthy = false;
  if (!('error' in health) && health.status === 200) {
    try {
      healthy = (JSON.parse(health.body) as { status?: string }).status === 'ok';
    } catch {
      healthy = false;
    }
  }
  // EXPOSE, inherited along FROM <stage> and with its variables expanded; the built image's inspect when reported.
  const written = imageExposed(df);
  const inspected = build.image ? exposedPortList(build.image) : undefined;
  const exposes = inspected
    ? inspected.some((p) => {
        const m = /^(\d+)(?:-(\d+))?(?:\/(\w+))?$/.exec(p);
        return !!m && (m[3] ?? 'tcp') === 'tcp' && Number(m[1]) <= PORT && PORT <= Number(m[2] ?? m[1]);
      })
    : written.ports.some((p) => p.protocol === 'tcp' && p.from <= PORT && PORT <= p.to);
  const exposeMsg = written.bad.length
    ? msg(
        `Dockerfile:${written.bad[0]!.line}: EXPOSE ${written.bad[0]!.word}는 포트 번호가 아닙니다. EXPOSE ${PORT}로 서버가 듣는 포트를 적으세요.`,
        `Dockerfile:${written.bad[0]!.line}: EXPOSE ${written.bad[0]!.word} is not a port number; write EXPOSE ${PORT}, the port the server listens on.`,
      )
    : written.ports.length
      ? msg(
          `Dockerfile:${written.ports[0]!.line}: 이미지가 ${written.ports.map((p) => `${p.from}${p.to !== p.from ? `-${p.to}` : ''}/${p.protocol}`).join(', ')}만 EXPOSE합니다. 서버가 실제로 듣는 ${PORT}/tcp를 적으세요.`,
          `Dockerfile:${written.ports[0]!.line}: the image exposes only ${written.ports.map((p) => `${p.from}${p.to !== p.from ? `-${p.to}` : ''}/${p.protocol}`).join(', ')}; declare ${PORT}/tcp, the port the server really listens on.`,
        )
      : msg(
          `Dockerfile:${finalLine}: EXPOSE ${PORT}이 없어서 이미지만 보고는 어느 포트를 여는지 알 수 없습니다.`,
          `Dockerfile:${finalLine}: no EXPOSE ${PORT}, so the image does not document the port it listens on.`,
        );
  return partial('answers', 3, [
    {
      ok: !('error' in root) && root.status === 200 && GREETING.test(root.body),
      message:
        !('error' in root) && root.status === 200
          ? msg(
              `컨테이너의 ${PORT}번 포트에 GET /를 보냈더니 HTTP 200이지만 checkout 서비스의 인사말이 아닙니다: ${JSON.stringify(root.body.slice(0, 80))}. server.js를 바꾸지 말고 그대로 실행하세요.`,
              `GET / on the container's port ${PORT}: HTTP 200, but not the checkout service's greeting: ${JSON.stringify(root.body.slice(0, 80))}. Run server.js as it is.`,
            )
          : msg(
              `컨테이너의 ${PORT}번 포트에 GET /를 보냈더니 ${show(root)}.${startErr !== undefined ? ` Docker가 컨테이너를 시작하지 못했습니다: ${startErr}.` : exited ? ' 컨테이너가 응답하기 전에 끝났습니다. 시작하다 죽은 것입니다(없는 라이브러리나 모듈, 시작 시 오류). docker run으로 직접 실행해 오류를 읽어 보세요.' : ''}`,
              `GET / on the container's port ${PORT}: ${show(root)}.${startErr !== undefined ? ` Docker could not start the container: ${startErr}.` : exited ? ' The container exited before it answered: it died at start (a missing library or module, an error at start); docker run it yourself and read its error.' : ''}`,
            ),
    },
    {
      ok: healthy,
      message: msg(`GET /healthz가 {"status":"ok"}를 돌려주지 않았습니다 (${show(health)}).`, `GET /healthz did not answer {"status":"ok"} (${show(health)}).`),
    },
    { ok: exposes, message: exposeMsg },
  ]);
}

/** RUN steps that install the dependencies (the lab's installer, npm/yarn/pnpm), found in the first build. */
const INSTALL = /(^|[\s;&|(])(node\s+(\.\/)?scripts\/install\.js|npm\s+(ci|install|i)\b|yarn(\s+install)?(\s|$)|pnpm\s+(install|i)\b)/;

/**
 * The cache check means: after a change to server.js alone, the dependency install is taken from the cache and no
 * RUN step runs again. A Dockerfile that installs nothing has no install to keep cached, and fails it.
 */
function checkCache(df: ParsedDockerfile, build: BuildInfo): CheckVerdict {
  const fail = (ko: string, en: string) => partial('cache', 1, [{ ok: false, message: msg(ko, en) }]);
  if (!build.ok) return fail('빌드되지 않아 캐시를 확인할 수 없습니다.', 'Not built, so the cache could not be checked.');
  const isRun = (s: BuildStep) => /^RUN\b/i.test(s.instruction.trim());
  const installs = (build.steps ?? []).filter((s) => isRun(s) && INSTALL.test(stepInstruction(df, s)?.args ?? s.instruction));
  if (!installs.length)
    return fail(
      'Dockerfile: 의존성을 설치하는 RUN 단계(node scripts/install.js 또는 npm ci)가 없어서 캐시에 남길 설치 단계가 없습니다. package.json과 vendor/를 복사하고 설치한 뒤 server.js를 복사하세요.',
      'Dockerfile: no RUN step installs the dependencies (node scripts/install.js, or npm ci), so there is no install to keep cached. Copy package.json and vendor/, install, then copy server.js.',
    );
  if (!build.rebuildSteps?.length)
    return fail(
      'server.js만 바꾼 두 번째 빌드가 실패해서 캐시를 확인할 수 없습니다. 같은 파일이 두 번 빌드되는지 확인하세요.',
      'The second build, after changing only server.js, failed, so the cache could not be checked. Check that the same files build twice.',
    );
  const rerun = build.rebuildSteps.filter((s) => isRun(s) && !s.cached);
  if (!rerun.length) return partial('cache', 1, [{ ok: true, message: msg('', '') }]);
  const list = rerun.map((s) => `Dockerfile:${stepInstruction(df, s)?.line ?? '?'} ${s.instruction.slice(0, 80)}`).join('; ');
  const installRerun = rerun.some((s) => INSTALL.test(stepInstruction(df, s)?.args ?? s.instruction));
  return fail(
    `server.js만 바꿔 다시 빌드했더니 ${list} 단계가 다시 실행되었습니다${installRerun ? '. 설치 단계가 server.js까지 복사한 COPY 뒤에 있습니다' : ''}. 설치에 필요한 파일만 먼저 COPY하고, server.js는 RUN 단계들 뒤에 복사하세요.`,
    `After changing only server.js, the rebuild ran ${list} again${installRerun ? ': the install comes after a COPY that also brings server.js' : ''}. COPY only what the install needs first, and server.js after the RUN steps.`,
  );
}

function checkCompose(sub: Submission): CheckVerdict {
  const docs = parseYamlFile(sub, 'compose.yaml');
  if (docs.length !== 1 || !isObj(docs[0]!.value))
    return {
      id: 'compose',
      points: 0,
      passed: false,
      message: msg('compose.yaml에는 YAML 문서(맵) 하나가 있어야 합니다.', 'compose.yaml must hold one YAML document (a map).'),
    };
  const doc = docs[0]!;
  const at = (p: (string | number)[]) => `compose.yaml:${doc.line(p)}`;
  // As Docker Compose reads it: interpolated first (nothing set in the environment), then the schema.
  const interp = interpolateTree(doc.value);
  const c = interp.value as Obj;
  const problems = interp.error ? [{ path: interp.error.path, message: interp.error.message }] : validateCompose(c);
  const services = isObj(c.services) ? Object.entries(c.services).filter(([, s]) => isObj(s)) : [];
  const built = services.filter(([, s]) => isProjectFolder(buildContext(s)));
  // Of the services that build from this folder, the one that comes closest.
  const judged = built
    .map(([name, s]) => {
      const { ports } = publishedPorts(s);
      const publishes = ports.some((p) => p.protocol === 'tcp' && p.from <= PORT && PORT <= p.to);
      const restart = restartPolicy(s);
      const restarts = restart.kind === 'always' || restart.kind === 'unless-stopped';
      return { name, s, ports, publishes, restart, restarts, score: Number(publishes) + Number(restarts) };
    })
    .sort((a, b) => b.score - a.score)[0];
  const portsMsg = (): Msg => {
    if (!judged) {
      const other = services.find(([, s]) => buildContext(s) !== undefined);
      return other
        ? msg(
            `${at(['services', other[0], 'build'])}: 서비스 ${other[0]}은(는) ${buildContext(other[1])}에서 빌드합니다. 이 폴더(.)에서 빌드하는 서비스가 없습니다.`,
            `${at(['services', other[0], 'build'])}: service ${other[0]} builds from ${buildContext(other[1])}; no service builds its image from this folder (.).`,
          )
        : msg(
            `${at(['services'])}: 이 폴더(.)에서 이미지를 빌드하는 서비스가 없습니다(build: .).`,
            `${at(['services'])}: no service builds its image from this folder (build: .).`,
          );
    }
    const shown = judged.ports.map((p) => `${p.published ?? '(any)'}→${p.from}${p.to !== p.from ? `-${p.to}` : ''}/${p.protocol}`).join(', ');
    return msg(
      `${at(['services', judged.name, judged.ports.length ? 'ports' : ''].filter(Boolean))}: 서비스 ${judged.name}이(가) 컨테이너의 ${PORT}/tcp 포트를 호스트에 공개하지 않습니다${shown ? `(공개하는 것: 호스트→컨테이너 ${shown})` : ''}. ports의 컨테이너 쪽(오른쪽, 긴 문법의 target)이 서버가 듣는 ${PORT}이어야 합니다.`,
      `${at(['services', judged.name, judged.ports.length ? 'ports' : ''].filter(Boolean))}: service ${judged.name} does not publish the container's port ${PORT}/tcp${shown ? ` (it publishes host→container ${shown})` : ''}. The container side of a ports entry (the right-hand side, or target in the long syntax) must be ${PORT}, the port the server listens on.`,
    );
  };
  const restartMsg = (): Msg => {
    if (!judged)
      return msg(
        `${at(['services'])}: 이 폴더에서 빌드하는 서비스가 없어 재시작 정책을 볼 수 없습니다.`,
        `${at(['services'])}: no service builds from this folder, so there is no restart policy to read.`,
      );
    const r = judged.restart;
    const where =
      r.source === 'deploy'
        ? at(['services', judged.name, 'deploy', 'restart_policy'])
        : r.source === 'restart'
          ? at(['services', judged.name, 'restart'])
          : at(['services', judged.name]);
    const via = r.source === 'deploy' ? 'deploy.restart_policy' : 'restart';
    switch (r.kind) {
      case 'none':
        return r.source === 'default'
          ? msg(
              `${where}: 서비스 ${judged.name}에 restart 정책이 없어서(기본값 no) 서버가 죽거나 호스트가 재부팅되면 다시 뜨지 않습니다. restart: unless-stopped를 쓰세요.`,
              `${where}: service ${judged.name} has no restart policy (the default is no), so the server stays down after a crash or a reboot. Use restart: unless-stopped.`,
            )
          : msg(
              `${where}: ${via}${r.value ? ` ${r.value}` : '(condition 없음)'}은(는) 재시작하지 않는다는 뜻입니다${r.source === 'deploy' ? '. docker compose up은 deploy.restart_policy가 있으면 restart 대신 그것을 씁니다' : ''}.`,
              `${where}: ${via}${r.value ? ` ${r.value}` : ' with no condition'} means never restart${r.source === 'deploy' ? '; docker compose up uses deploy.restart_policy instead of restart when it is there' : ''}.`,
            );
      case 'invalid':
        return msg(
          `${where}: "${r.value.slice(0, 40)}"은(는) Docker가 아는 재시작 정책이 아닙니다(always, unless-stopped, on-failure[:N], no). 컨테이너를 만들 때 거절됩니다.`,
          `${where}: "${r.value.slice(0, 40)}" is not a restart policy Docker knows (always, unless-stopped, on-failure[:N], no); creating the container fails.`,
        );
      case 'on-failure':
        return msg(
          `${where}: ${via} ${r.value}은(는) 0이 아닌 코드로 끝났을 때만 다시 시작하고${r.maxRetries ? `, ${r.maxRetries}번 실패하면 포기하며` : ''}, Docker 데몬이 다시 시작할 때(호스트 재부팅)는 컨테이너를 띄우지 않습니다. 재부팅 뒤에도 돌아오게 하려면 unless-stopped나 always를 쓰세요.`,
          `${where}: ${via} ${r.value} restarts only after a non-zero exit${r.maxRetries ? `, gives up after ${r.maxRetries} tries,` : ''} and does not start the container when the Docker daemon restarts (a reboot). To come back after a reboot too, use unless-stopped or always.`,
        );
      default:
        return msg('', '');
    }
  };
  const first = problems[0];
  return partial('compose', 2, [
    {
      ok: problems.length === 0,
      message: msg(
        `${first ? at(first.path) : 'compose.yaml'}: Compose 명세에 맞지 않아 docker compose config가 거부합니다: ${first?.message ?? ''}.`,
        `${first ? at(first.path) : 'compose.yaml'}: not valid against the Compose Specification; docker compose config refuses it: ${first?.message ?? ''}.`,
      ),
    },
    { ok: !!judged?.publishes, message: portsMsg() },
    { ok: !!judged?.restarts, message: restartMsg() },
  ]);
}
