/**
 * Week 2 troubleshooting lab: the shop's image and compose file after a refactoring week. The image is really built
 * (by the engine's learner-image builder, no network) and run, as in the build lab; the compose file is read as Docker
 * Compose reads it (grader-kit/compose.ts). One check per fault (the container starts, answers on 8080, runs as a
 * non-root user, keeps its install cached; in compose, the shop reaches the database and the database's health check
 * can pass) and one for what the working setup had that a repair must not take away.
 *
 * The grader shares the running container's network namespace, so besides asking port 8080 it can read which ports
 * the server really listens on (/proc/net/tcp), the way `netstat -ltn` from a debugging container would.
 */
import { msg as m, partial, type CheckVerdict, type GraderVerdict, type Msg, type Submission } from '../../../grader-kit/index';
import { isObj, get, parseYamlFile, type Json, type Obj, type YamlDoc } from '../../../grader-kit/yamldocs';
import { parseImageRef, varsAt, type ParsedDockerfile } from '../../../grader-kit/dockerfile';
import {
  exposedPortList,
  readSubmittedDockerfile,
  refusedBeforeBuilding,
  stageChain,
  stepInstruction,
  type BuildInfo,
  type BuildStep,
  type RunInfo,
} from '../../../grader-kit/build-info';
import { buildContext, interpolateTree, isProjectFolder, publishedPorts, restartPolicy, validateCompose } from '../../../grader-kit/compose';
import { imageExposed, imageHealthcheck, imageUser, isRootUser, pinning } from '../../../grader-kit/docker-image';

export type { BuildInfo, RunInfo };

export const PORT = 8080;
export const CHECK_IDS = ['starts', 'port', 'non-root', 'cache', 'compose-db', 'db-health', 'rest-intact'] as const;
type CheckId = (typeof CHECK_IDS)[number];
export const POINTS: Record<CheckId, number> = { starts: 3, port: 3, 'non-root': 2, cache: 2, 'compose-db': 3, 'db-health': 2, 'rest-intact': 2 };
export const REQUIRED_FILES = ['Dockerfile', 'compose.yaml', 'server.js', 'package.json'];
/** The module the server requires at start; installed by scripts/install.js into node_modules. */
const DEPENDENCY = 'shop-catalog';

export interface Probe {
  get(path: string): Promise<{ status: number; body: string } | { error: string }>;
}

/** What the grader can see of the running container besides HTTP: the TCP ports something listens on. */
export interface Observed {
  listening(): number[];
}

const none = m('', '');
const clip = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n)}…` : s);
const one = (id: CheckId, ok: boolean, message: Msg) => partial(id, POINTS[id], [{ ok, message: ok ? none : message }]);

/** Listening TCP ports from /proc/net/tcp and tcp6 text (state 0A). */
export function listeningPorts(...tables: string[]): number[] {
  const out = new Set<number>();
  for (const t of tables) {
    for (const line of t.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] !== '0A') continue;
      const port = parseInt(cols[1]?.split(':').at(-1) ?? '', 16);
      if (Number.isInteger(port) && port > 0) out.add(port);
    }
  }
  return [...out].sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------------------------------------------
// The image

/** Whether the final image holds the installed dependency (from the engine's listing of the layers it adds). */
function dependencyInImage(build: BuildInfo): boolean | undefined {
  if (!build.added) return undefined;
  const files = build.added.flatMap((l) => l.files.map((f) => f.path));
  if (build.added.some((l) => l.truncated)) return files.some((p) => p.includes(`node_modules/${DEPENDENCY}/`)) ? true : undefined;
  return files.some((p) => p.includes(`node_modules/${DEPENDENCY}/`));
}

function checkStarts(df: ParsedDockerfile, build: BuildInfo, run: RunInfo | undefined): CheckVerdict {
  const id = 'starts';
  if (!build.ok) {
    const refused = refusedBeforeBuilding(id, build);
    if (refused) return refused;
    const failedStep = build.steps?.at(-1);
    const ins = failedStep ? stepInstruction(df, failedStep) : undefined;
    const where = ins ? `Dockerfile:${ins.line}` : 'Dockerfile';
    const err = (build.error ?? 'the build failed').replace(/\s+/g, ' ').slice(0, 300);
    return one(
      id,
      false,
      m(
        `${where}: 이미지를 빌드하지 못했습니다: ${err}. 고치다가 빌드를 깨뜨렸습니다. 빌드 로그의 마지막 단계부터 보세요.`,
        `${where}: the image does not build: ${err}. A repair broke the build; start from the last step of the build log.`,
      ),
    );
  }
  if (run?.started === false)
    return one(
      id,
      false,
      m(
        `Docker가 컨테이너를 시작하지 못했습니다: ${clip((run.error ?? '').replace(/\s+/g, ' '))}.`,
        `Docker could not start the container: ${clip((run.error ?? '').replace(/\s+/g, ' '))}.`,
      ),
    );
  if (run?.exited) {
    const dep = dependencyInImage(build);
    const final = df.stages.at(-1)!;
    return one(
      id,
      false,
      dep === false
        ? m(
            `Dockerfile:${final.line}: 컨테이너가 시작하자마자 종료됩니다(docker ps -a: Exited (1)). 최종 이미지에 node_modules/${DEPENDENCY}가 없어서 server.js의 require('${DEPENDENCY}')가 "Cannot find module"로 실패합니다. 설치는 앞 스테이지에서 했는데, 최종 스테이지는 FROM으로 새로 시작하므로 앞 스테이지에서 COPY --from으로 가져온 것만 가집니다.`,
            `Dockerfile:${final.line}: the container exits right after it starts (docker ps -a: Exited (1)). The final image has no node_modules/${DEPENDENCY}, so server.js's require('${DEPENDENCY}') fails with "Cannot find module". The install ran in an earlier stage, and the final stage starts afresh at its FROM: it holds only what COPY --from brings over.`,
          )
        : m(
            '컨테이너가 응답하기 전에 종료됩니다(docker ps -a: Exited). 시작하다 죽은 것입니다. docker logs로 마지막 오류를 읽어 보세요.',
            'The container exits before it answers (docker ps -a: Exited): it dies at start. Read the last error with docker logs.',
          ),
    );
  }
  return one(id, true, none);
}

/**
 * The port the server listens on when the image runs as people run it (docker run, compose): server.js reads PORT,
 * which compose's environment sets if it names it, else the image's ENV, else the server's default, 8080. (The grading
 * sandbox sets PORT itself, as `docker run -e PORT=8080` would, so the image's own value is read from its config.)
 */
function configuredPort(
  df: ParsedDockerfile,
  build: BuildInfo,
  c: Compose | null,
): { image?: string; imageLine?: number; compose?: string; composeAt?: string } {
  const fromEnv = (env: string[] | undefined) =>
    env
      ?.filter((e) => e.startsWith('PORT='))
      .at(-1)
      ?.slice(5);
  const final = df.stages.at(-1)!;
  const last = final.instructions.at(-1);
  const written = last ? varsAt(df, last).get('PORT') : undefined;
  const envLine = stageChain(df)
    .flatMap((st) => [...st.instructions].reverse())
    .find((i) => i.op === 'ENV' && /\bPORT\b/.test(i.args))?.line;
  const image = build.ok && build.image?.env ? fromEnv(build.image.env) : written;
  const shop = c?.shop ? c.services[c.shop] : undefined;
  const compose = shop ? envOf(shop, 'PORT') : undefined;
  return { image, imageLine: envLine, compose, composeAt: c && c.shop && compose !== undefined ? c.at(['services', c.shop, 'environment']) : undefined };
}

async function checkPort(
  df: ParsedDockerfile,
  build: BuildInfo,
  probe: Probe | null,
  run: RunInfo | undefined,
  observed: Observed | null,
  c: Compose | null,
): Promise<CheckVerdict> {
  const id = 'port';
  // 1. The port it is configured to listen on.
  const conf = configuredPort(df, build, c);
  const wrong = [conf.compose, conf.image].find((p) => p !== undefined && p.trim() !== String(PORT));
  const confMsg =
    conf.compose !== undefined && conf.compose.trim() !== String(PORT)
      ? m(
          `${conf.composeAt}: compose가 PORT=${conf.compose}로 실행합니다. 서버는 PORT에서 듣는데, 공개한 포트와 헬스 체크는 ${PORT}에 묻습니다.`,
          `${conf.composeAt}: compose runs it with PORT=${conf.compose}. The server listens on PORT, while the published port and the health check ask ${PORT}.`,
        )
      : m(
          `${conf.imageLine ? `Dockerfile:${conf.imageLine}` : 'Dockerfile'}: 이미지의 환경 변수가 PORT=${conf.image}입니다. server.js는 PORT에서 들으므로, docker run이나 compose로 실행하면 서버가 ${conf.image}에서 듣고, ${PORT}으로 오는 연결은 "Connection reset by peer"로 끊깁니다(로그: checkout listening on ${conf.image}). checkout은 어디서나(로드 밸런서, compose, 다음 주의 매니페스트) ${PORT}입니다. 다른 것을 ${conf.image}에 맞추는 것은 고친 것이 아닙니다.`,
          `${conf.imageLine ? `Dockerfile:${conf.imageLine}` : 'Dockerfile'}: the image's environment sets PORT=${conf.image}. server.js listens on PORT, so run with docker run or compose it listens on ${conf.image}, and connections to ${PORT} end in "Connection reset by peer" (its log: checkout listening on ${conf.image}). checkout is ${PORT} everywhere (the load balancer, compose, next week's manifests); moving the rest to ${conf.image} is not a fix.`,
        );
  // 2. What it answers when it runs.
  let answerMsg: Msg | null = null;
  if (!probe || !build.ok || run?.started === false || run?.exited)
    answerMsg = m(
      '컨테이너가 떠 있지 않아 8080 포트에 물어볼 수 없었습니다. 먼저 컨테이너가 시작하게 하세요.',
      'The container is not up, so port 8080 could not be asked. Make it start first.',
    );
  else {
    const health = await probe.get('/healthz');
    const products = await probe.get('/api/products');
    const show = (r: Awaited<ReturnType<Probe['get']>>) => ('error' in r ? r.error : `HTTP ${r.status}`);
    const okJson = (r: Awaited<ReturnType<Probe['get']>>, test: (v: unknown) => boolean) => {
      if ('error' in r || r.status !== 200) return false;
      try {
        return test(JSON.parse(r.body));
      } catch {
        return false;
      }
    };
    const healthy = okJson(health, (v) => (v as { status?: string } | null)?.status === 'ok');
    const listed = okJson(products, (v) => Array.isArray(v) && v.length > 0);
    const elsewhere = (observed?.listening() ?? []).filter((p) => p !== PORT);
    if (!healthy || !listed)
      answerMsg = m(
        `컨테이너의 ${PORT}번 포트에 GET /healthz와 GET /api/products를 보냈더니 ${show(health)}, ${show(products)}입니다.${elsewhere.length ? ` 서버는 ${elsewhere.join(', ')}번 포트에서 듣고 있습니다(컨테이너 안에서 본 netstat -ltn).` : ''}`,
        `GET /healthz and GET /api/products on the container's port ${PORT}: ${show(health)}, ${show(products)}.${elsewhere.length ? ` The server listens on ${elsewhere.join(', ')} (netstat -ltn from inside the container).` : ''}`,
      );
    else if (run?.health && run.health.exitCode !== 0) {
      const hc = imageHealthcheck(df);
      answerMsg = m(
        `${hc ? `Dockerfile:${hc.line}` : 'Dockerfile'}: 실행 중인 컨테이너 안에서 이미지의 HEALTHCHECK가 종료 코드 ${run.health.exitCode}로 실패했습니다${run.health.output ? `: ${clip(run.health.output.replace(/\s+/g, ' '), 120)}` : ''}. Docker는 이 컨테이너를 unhealthy로 표시합니다.`,
        `${hc ? `Dockerfile:${hc.line}` : 'Dockerfile'}: run inside the running container, the image's HEALTHCHECK failed with exit code ${run.health.exitCode}${run.health.output ? `: ${clip(run.health.output.replace(/\s+/g, ' '), 120)}` : ''}. Docker marks this container unhealthy.`,
      );
    }
  }
  // 3. The port the image declares.
  const inspected = build.ok && build.image ? exposedPortList(build.image) : undefined;
  const exposes = inspected
    ? inspected.some((p) => /^8080(\/tcp)?$/.test(p))
    : imageExposed(df).ports.some((p) => p.protocol === 'tcp' && p.from <= PORT && PORT <= p.to);
  return partial(id, POINTS[id], [
    { ok: wrong === undefined, message: wrong === undefined ? none : confMsg },
    { ok: answerMsg === null, message: answerMsg ?? none },
    {
      ok: exposes,
      message: m(
        `Dockerfile:${df.stages.at(-1)!.line}: 이미지가 ${PORT}/tcp를 EXPOSE하지 않습니다(이미지가 적은 포트: ${inspected?.join(', ') || '없음'}).`,
        `Dockerfile:${df.stages.at(-1)!.line}: the image does not EXPOSE ${PORT}/tcp (it declares: ${inspected?.join(', ') || 'nothing'}).`,
      ),
    },
  ]);
}

function checkNonRoot(df: ParsedDockerfile, build: BuildInfo, run: RunInfo | undefined): CheckVerdict {
  const id = 'non-root';
  const written = imageUser(df);
  const user = build.ok && build.image && build.image.user !== undefined ? build.image.user : written?.value;
  const final = df.stages.at(-1)!;
  if (isRootUser(user)) {
    const elsewhere = df.stages.slice(0, -1).flatMap((s) => s.instructions.filter((i) => i.op === 'USER').map((i) => ({ i, s })));
    const e = elsewhere.at(-1);
    return one(
      id,
      false,
      e && !written
        ? m(
            `Dockerfile:${e.i.line}: USER ${e.i.args}는 스테이지 ${e.s.name ?? e.s.index}에만 적용됩니다. 최종 이미지는 Dockerfile:${final.line}의 FROM에서 새로 시작하고, 그 스테이지에는 USER가 없어 root로 실행됩니다.`,
            `Dockerfile:${e.i.line}: USER ${e.i.args} applies to the stage ${e.s.name ?? e.s.index} only. The final image starts afresh at the FROM on Dockerfile:${final.line}, which sets no USER, so it runs as root.`,
          )
        : written
          ? m(
              `Dockerfile:${written.line}: USER ${written.ins.args}는 root(uid 0)입니다.`,
              `Dockerfile:${written.line}: USER ${written.ins.args} is root (uid 0).`,
            )
          : m(
              `Dockerfile:${final.line}: 최종 이미지에 USER가 없어 root로 실행됩니다.`,
              `Dockerfile:${final.line}: the final image sets no USER, so it runs as root.`,
            ),
    );
  }
  const missing = run?.started === false && /unable to find user|no matching entries in passwd/i.test(run.error ?? '');
  return one(
    id,
    !missing,
    m(
      `USER ${user}인 사용자가 이미지에 없어 Docker가 컨테이너를 시작하지 못했습니다. 베이스에 있는 node(uid 1000)를 쓰세요.`,
      `The image has no user ${user}, so Docker could not start the container. Use node (uid 1000), which the base has.`,
    ),
  );
}

const INSTALL = /(^|[\s;&|(])(node\s+(\.\/)?scripts\/install\.js|npm\s+(ci|install|i)\b)/;

function checkCache(df: ParsedDockerfile, build: BuildInfo): CheckVerdict {
  const id = 'cache';
  if (!build.ok) return one(id, false, m('빌드되지 않아 캐시를 확인할 수 없습니다.', 'Not built, so the cache could not be checked.'));
  const isRun = (s: BuildStep) => /^RUN\b/i.test(s.instruction.trim());
  const installs = (build.steps ?? []).filter((s) => isRun(s) && INSTALL.test(stepInstruction(df, s)?.args ?? s.instruction));
  if (!installs.length)
    return one(
      id,
      false,
      m('의존성을 설치하는 RUN 단계(node scripts/install.js)가 없습니다.', 'No RUN step installs the dependencies (node scripts/install.js).'),
    );
  if (!build.rebuildSteps?.length)
    return one(
      id,
      false,
      m(
        'server.js만 바꾼 두 번째 빌드가 실패해서 캐시를 확인할 수 없습니다.',
        'The second build, after changing only server.js, failed, so the cache could not be checked.',
      ),
    );
  const rerun = build.rebuildSteps.filter((s) => isRun(s) && !s.cached);
  const list = rerun.map((s) => `Dockerfile:${stepInstruction(df, s)?.line ?? '?'} ${s.instruction.slice(0, 60)}`).join('; ');
  return one(
    id,
    rerun.length === 0,
    m(
      `server.js 한 줄만 바꿔 다시 빌드했더니 ${list} 단계가 다시 실행되었습니다. 그 앞의 COPY가 server.js까지 복사하면, server.js가 바뀔 때마다 그 뒤의 캐시가 모두 무효가 됩니다. 설치가 읽는 파일만 먼저 복사하세요.`,
      `After changing one line of server.js, the rebuild ran ${list} again. When a COPY before it copies server.js too, every change to server.js invalidates the cache from there on: copy only what the install reads first.`,
    ),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The compose file

interface Compose {
  doc: YamlDoc;
  value: Obj;
  at: (p: (string | number)[]) => string;
  services: Record<string, Obj>;
  shop: string | null;
  db: string | null;
  problems: { path: (string | number)[]; message: string }[];
}

function readCompose(sub: Submission): Compose | null {
  const docs = parseYamlFile(sub, 'compose.yaml');
  if (docs.length !== 1 || !isObj(docs[0]!.value)) return null;
  const doc = docs[0]!;
  const interp = interpolateTree(doc.value);
  const value = interp.value as Obj;
  const problems = interp.error ? [{ path: interp.error.path, message: interp.error.message }] : validateCompose(value);
  const services: Record<string, Obj> = {};
  if (isObj(value.services)) for (const [k, v] of Object.entries(value.services)) if (isObj(v)) services[k] = v;
  const shop = Object.keys(services).find((k) => isProjectFolder(buildContext(services[k]!))) ?? null;
  const db = Object.keys(services).find((k) => /^(docker\.io\/)?(library\/)?mysql(:|@|$)/.test(String(services[k]!.image ?? ''))) ?? null;
  return { doc, value, at: (p) => `compose.yaml:${doc.line(p)}`, services, shop, db, problems };
}

/** The networks a service joins, and its aliases on each (`default` when it names none). */
function networksOf(svc: Obj): Map<string, string[]> {
  const n = svc.networks;
  if (Array.isArray(n)) return new Map(n.filter((x): x is string => typeof x === 'string').map((x) => [x, []]));
  if (isObj(n)) return new Map(Object.entries(n).map(([k, v]) => [k, Array.isArray(get(v, ['aliases'])) ? (get(v, ['aliases']) as Json[]).map(String) : []]));
  return new Map([['default', []]]);
}

/** An environment variable of a service (map or KEY=value list), after interpolation. */
function envOf(svc: Obj, name: string): string | undefined {
  const e = svc.environment;
  if (isObj(e)) return e[name] === undefined || e[name] === null ? undefined : String(e[name]);
  if (Array.isArray(e)) for (const x of e) if (typeof x === 'string' && x.startsWith(`${name}=`)) return x.slice(name.length + 1);
  return undefined;
}

function checkComposeDb(c: Compose | null): CheckVerdict {
  const id = 'compose-db';
  if (!c) return one(id, false, m('compose.yaml에는 YAML 문서(맵) 하나가 있어야 합니다.', 'compose.yaml must hold one YAML document (a map).'));
  if (!c.shop || !c.db)
    return one(
      id,
      false,
      m(
        `${c.at(['services'])}: 이 폴더에서 빌드하는 서비스(checkout)나 mysql 이미지의 db 서비스가 없습니다.`,
        `${c.at(['services'])}: there is no service building from this folder (checkout), or no db service running the mysql image.`,
      ),
    );
  const shop = c.services[c.shop]!;
  const db = c.services[c.db]!;
  const host = (envOf(shop, 'DB_HOST') ?? 'db').trim();
  const port = envOf(shop, 'DB_PORT');
  const at = envOf(shop, 'DB_HOST') !== undefined ? c.at(['services', c.shop, 'environment']) : c.at(['services', c.shop]);
  if (shop.network_mode !== undefined || db.network_mode !== undefined)
    return one(
      id,
      false,
      m(
        `${c.at(['services', shop.network_mode !== undefined ? c.shop : c.db, 'network_mode'])}: network_mode는 서비스를 프로젝트의 네트워크에서 빼냅니다. 두 서비스 모두 네트워크로 연결하세요.`,
        `${c.at(['services', shop.network_mode !== undefined ? c.shop : c.db, 'network_mode'])}: network_mode takes a service off the project's networks; connect both through networks.`,
      ),
    );
  if (/^(localhost|127\.\d+\.\d+\.\d+|::1|0\.0\.0\.0)$/i.test(host))
    return one(
      id,
      false,
      m(
        `${at}: DB_HOST가 ${host}입니다. 컨테이너 안에서 ${host}는 그 컨테이너 자신이고, MySQL은 거기 없습니다(ECONNREFUSED). 같은 네트워크의 다른 컨테이너는 서비스 이름으로 찾습니다.`,
        `${at}: DB_HOST is ${host}. Inside a container, ${host} is that container itself, and MySQL is not in it (ECONNREFUSED). Containers on one network find each other by service name.`,
      ),
    );
  if (/^host\.docker\.internal$|^\d+\.\d+\.\d+\.\d+$/.test(host))
    return one(
      id,
      false,
      m(
        `${at}: DB_HOST가 ${host}입니다. 호스트를 거쳐 데이터베이스에 닿으려면 데이터베이스 포트를 호스트에 공개해야 하는데, 그러면 데이터베이스가 컨테이너 밖으로 열립니다. 두 서비스가 한 네트워크를 함께 쓰게 하세요.`,
        `${at}: DB_HOST is ${host}. Reaching the database through the host needs its port published on the host, which opens the database outside the containers. Put both services on a network they share.`,
      ),
    );
  if (port !== undefined && port.trim() !== '3306')
    return one(
      id,
      false,
      m(
        `${at}: DB_PORT가 ${port}입니다. 같은 네트워크에서는 컨테이너의 포트(MySQL은 3306)로 닿습니다. 호스트에 공개한 포트가 아닙니다.`,
        `${at}: DB_PORT is ${port}. On a shared network you reach the container's own port (3306 for MySQL), not a port published on the host.`,
      ),
    );
  const shopNets = networksOf(shop);
  const dbNets = networksOf(db);
  const names = (net: string) => [c.db!, ...(typeof db.container_name === 'string' ? [db.container_name] : []), ...(dbNets.get(net) ?? [])];
  const shared = [...shopNets.keys()].filter((n) => dbNets.has(n));
  if (shared.some((n) => names(n).includes(host))) return one(id, true, none);
  const resolvesSomewhere = [...dbNets.keys()].some((n) => names(n).includes(host));
  return one(
    id,
    false,
    !resolvesSomewhere
      ? m(
          `${at}: DB_HOST ${host}는 db 서비스의 이름도 별칭도 아닙니다(getaddrinfo ENOTFOUND ${host}).`,
          `${at}: DB_HOST ${host} is neither the db service's name nor one of its aliases (getaddrinfo ENOTFOUND ${host}).`,
        )
      : m(
          `${c.at(['services', c.shop, 'networks'])}: ${c.shop} 서비스는 ${[...shopNets.keys()].join(', ')} 네트워크에, db 서비스는 ${[...dbNets.keys()].join(', ')} 네트워크에 있어 함께 쓰는 네트워크가 없습니다. Compose의 DNS는 같은 네트워크에 있는 서비스의 이름만 풀어 주므로 ${host}를 찾지 못합니다(getaddrinfo ENOTFOUND ${host}).`,
          `${c.at(['services', c.shop, 'networks'])}: the ${c.shop} service is on ${[...shopNets.keys()].join(', ')} and the db service on ${[...dbNets.keys()].join(', ')}: they share no network. Compose's DNS resolves the names of services on a network you share, so ${host} is not found (getaddrinfo ENOTFOUND ${host}).`,
        ),
  );
}

/** "5s", "1m30s", "500ms" as seconds (Compose's durations); undefined when absent or unreadable. */
export function seconds(v: Json | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  let total = 0;
  let matched = '';
  for (const mm of v.trim().matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)) {
    matched += mm[0];
    const n = Number(mm[1]);
    total += mm[2] === 'h' ? n * 3600 : mm[2] === 'm' ? n * 60 : mm[2] === 's' ? n : mm[2] === 'ms' ? n / 1000 : n / 1e6;
  }
  return matched === v.trim() && matched ? total : undefined;
}

/** How a health check test runs: as argv (CMD), through /bin/sh -c (CMD-SHELL or a string), or not at all. */
export function healthTest(
  test: Json | undefined,
): { kind: 'exec'; argv: string[] } | { kind: 'shell'; script: string } | { kind: 'none' } | { kind: 'bad'; why: string } {
  if (typeof test === 'string') return test.trim() === '' ? { kind: 'bad', why: 'empty' } : { kind: 'shell', script: test };
  if (!Array.isArray(test) || test.length === 0) return { kind: 'bad', why: 'missing' };
  const [head, ...rest] = test.map(String);
  if (head === 'NONE') return { kind: 'none' };
  if (head === 'CMD') return rest.length ? { kind: 'exec', argv: rest } : { kind: 'bad', why: 'empty' };
  if (head === 'CMD-SHELL') return rest.length === 1 ? { kind: 'shell', script: rest[0]! } : { kind: 'bad', why: 'CMD-SHELL takes one string' };
  return { kind: 'bad', why: `the first element must be CMD, CMD-SHELL or NONE, not "${clip(head ?? '', 30)}"` };
}

function checkDbHealth(c: Compose | null): CheckVerdict {
  const id = 'db-health';
  if (!c || !c.shop || !c.db)
    return one(
      id,
      false,
      m(
        'compose.yaml에서 checkout 서비스(이 폴더에서 빌드)나 db 서비스를 찾을 수 없습니다.',
        'compose.yaml lacks the checkout service (built from this folder) or the db service.',
      ),
    );
  const db = c.services[c.db]!;
  const hc = db.healthcheck;
  const at = c.at(['services', c.db, 'healthcheck', 'test']);
  const dep = get(c.services[c.shop], ['depends_on', c.db, 'condition']);
  const waits = dep === 'service_healthy';
  if (!waits)
    return one(
      id,
      false,
      m(
        `${c.at(['services', c.shop, 'depends_on'])}: ${c.shop}가 db의 헬스 체크를 기다리지 않습니다(depends_on.${c.db}.condition: service_healthy). 기다리지 않게 하는 것은 고친 것이 아닙니다. 쇼핑몰이 MySQL이 연결을 받기 전에 시작합니다.`,
        `${c.at(['services', c.shop, 'depends_on'])}: ${c.shop} no longer waits for db's health check (depends_on.${c.db}.condition: service_healthy). Not waiting is not a fix: the shop starts before MySQL accepts connections.`,
      ),
    );
  if (!isObj(hc) || hc.disable === true)
    return one(
      id,
      false,
      m(
        `${c.at(['services', c.db])}: db에 헬스 체크가 없거나 꺼져 있는데 ${c.shop}는 service_healthy를 기다립니다. docker compose up이 그 의존성에서 실패합니다. 헬스 체크를 고쳐야지 지우면 안 됩니다.`,
        `${c.at(['services', c.db])}: db has no health check (or it is disabled) while ${c.shop} waits for service_healthy, so docker compose up fails on that dependency. Repair the check; do not remove it.`,
      ),
    );
  const t = healthTest(hc.test);
  if (t.kind === 'none')
    return one(
      id,
      false,
      m(
        `${at}: test: ["NONE"]는 헬스 체크를 끕니다. ${c.shop}는 그 결과를 기다립니다.`,
        `${at}: test: ["NONE"] turns the health check off, and ${c.shop} waits for its result.`,
      ),
    );
  if (t.kind === 'bad') return one(id, false, m(`${at}: Docker가 읽을 수 없는 test입니다(${t.why}).`, `${at}: Docker cannot read this test (${t.why}).`));
  if (t.kind === 'exec' && /\s/.test(t.argv[0]!))
    return one(
      id,
      false,
      m(
        `${at}: CMD 형식에서는 배열의 첫 요소가 실행할 파일 이름 그 자체입니다. "${clip(t.argv[0]!, 60)}"라는 이름의 파일은 없으니 매번 exec: "${clip(t.argv[0]!, 60)}": executable file not found in $PATH로 실패하고, db는 끝내 healthy가 되지 않습니다. 인자를 배열의 요소로 나누거나 CMD-SHELL로 셸에 넘기세요.`,
        `${at}: in the CMD form, the array's first element is the name of the file to run, as it is. There is no file called "${clip(t.argv[0]!, 60)}", so every check fails with exec: "${clip(t.argv[0]!, 60)}": executable file not found in $PATH and db never turns healthy. Split the arguments into array elements, or hand the string to a shell with CMD-SHELL.`,
      ),
    );
  const words = t.kind === 'exec' ? t.argv : t.script.split(/\s+/);
  const text = words.join(' ');
  const program = (t.kind === 'exec' ? t.argv[0]! : (/(?:^|[;&|]\s*)(?:exec\s+)?([^\s;&|]+)/.exec(t.script)?.[1] ?? '')).replace(/^.*\//, '');
  if (!/^(mysqladmin|mysql)$/.test(program) && !/\bmysqladmin\b|\bmysql\b/.test(text))
    return one(
      id,
      false,
      m(
        `${at}: 헬스 체크가 MySQL 자신에게 묻지 않습니다(${clip(text, 60)}). mysqladmin ping이나 mysql로 서버에 물으세요.`,
        `${at}: the health check does not ask MySQL itself (${clip(text, 60)}); ask the server with mysqladmin ping or mysql.`,
      ),
    );
  // The TCP question: without a host (or with localhost) the client uses the socket, which the image's entrypoint
  // opens during initialisation with networking off, so the check passes before MySQL accepts TCP connections.
  const hostMatch = /(?:^|\s)(?:-h\s*|--host[=\s])(\S+)/.exec(text);
  const host = hostMatch?.[1]?.replace(/^["']|["']$/g, '');
  const tcp = /--protocol[=\s]tcp\b/i.test(text) || (host !== undefined && host !== 'localhost');
  if (!tcp)
    return one(
      id,
      false,
      m(
        `${at}: ${host ? `-h ${host}` : '-h가 없는'} mysqladmin은 TCP가 아니라 유닉스 소켓으로 묻습니다. 이미지의 엔트리포인트는 처음 초기화하는 동안 네트워크를 끈 임시 서버를 띄우는데, 소켓으로는 그때도 응답이 와서 db가 너무 일찍 healthy가 되고 ${c.shop}의 첫 연결은 거절됩니다. -h 127.0.0.1로 TCP를 쓰세요.`,
        `${at}: mysqladmin ${host ? `-h ${host}` : 'without -h'} asks over the Unix socket, not TCP. During its first initialisation the image's entrypoint runs a temporary server with networking off, which answers on the socket, so db turns healthy too early and ${c.shop}'s first connections are refused. Use TCP with -h 127.0.0.1.`,
      ),
    );
  if (/(?:^|\s)(-p|--password)(\s|$)/.test(text))
    return one(
      id,
      false,
      m(
        `${at}: 값이 없는 -p는 비밀번호를 묻는 프롬프트를 띄웁니다. 헬스 체크는 입력을 받을 수 없어 시간 초과로 끝납니다. compose 파일의 $변수는 Compose가 먼저 바꾸므로(여기서는 빈 값) 컨테이너의 변수를 쓰려면 $$로 적습니다.`,
        `${at}: -p with no value prompts for a password; a health check cannot type one, so it times out. Compose replaces $VARIABLES in the file first (here with nothing): write $$ to leave one for the container's shell.`,
      ),
    );
  const interval = seconds(hc.interval) ?? 30;
  const retries = typeof hc.retries === 'number' ? hc.retries : 3;
  const start = seconds(hc.start_period) ?? 0;
  const window = start + interval * retries;
  if (window < 30)
    return one(
      id,
      false,
      m(
        `${c.at(['services', c.db, 'healthcheck'])}: start_period ${start}초 + interval ${interval}초 × retries ${retries} = ${window}초 안에 db가 healthy가 되지 못하면 unhealthy로 바뀝니다. MySQL은 처음 시작할 때 데이터 디렉터리를 초기화하느라 20~30초가 걸리므로, 여유를 두세요.`,
        `${c.at(['services', c.db, 'healthcheck'])}: if db is not healthy within start_period ${start}s + interval ${interval}s × retries ${retries} = ${window}s it turns unhealthy, and MySQL takes 20-30 s to initialise its data directory on its first start: leave room.`,
      ),
    );
  return one(id, true, none);
}

// ---------------------------------------------------------------------------------------------------------------
// rest-intact

function checkRest(df: ParsedDockerfile, build: BuildInfo, c: Compose | null): CheckVerdict {
  const id = 'rest-intact';
  // 1. The image's own safety: pinned bases, a HEALTHCHECK that stays.
  const loose = df.references.filter((r) => r.kind === 'from' || r.kind === 'copy-from').filter((r) => !pinning(parseImageRef(r.value)).ok);
  const hc = build.ok && build.image ? build.image.healthcheck?.test : imageHealthcheck(df)?.test;
  const imageMsg = loose.length
    ? m(
        `Dockerfile:${loose[0]!.line}: ${loose[0]!.value}는 버전이 드러나지 않는 태그입니다. 원래처럼 버전을 적은 태그(node:26.12.1-trixie-slim)를 쓰세요.`,
        `Dockerfile:${loose[0]!.line}: ${loose[0]!.value} names no version; keep a tag with the version, as before (node:26.12.1-trixie-slim).`,
      )
    : !hc || hc.length === 0 || hc[0] === 'NONE'
      ? m(
          `Dockerfile:${df.stages.at(-1)!.line}: 이미지의 HEALTHCHECK가 사라졌습니다. 실패하는 헬스 체크를 지우는 것은 고친 것이 아닙니다.`,
          `Dockerfile:${df.stages.at(-1)!.line}: the image's HEALTHCHECK is gone. Deleting a failing health check is not a fix.`,
        )
      : null;
  // 2. The compose file as it was: valid, the shop published on the host's loopback and restarted, the database
  //    private, its data in the named volume, passwords in secrets.
  let composeMsg: Msg | null = null;
  if (!c) composeMsg = m('compose.yaml에는 YAML 문서(맵) 하나가 있어야 합니다.', 'compose.yaml must hold one YAML document (a map).');
  else if (c.problems.length)
    composeMsg = m(
      `${c.at(c.problems[0]!.path)}: Compose 명세에 맞지 않아 docker compose config가 거부합니다: ${clip(c.problems[0]!.message, 160)}.`,
      `${c.at(c.problems[0]!.path)}: not valid against the Compose Specification; docker compose config refuses it: ${clip(c.problems[0]!.message, 160)}.`,
    );
  else if (!c.shop || !c.db)
    composeMsg = m(
      `${c.at(['services'])}: checkout 서비스(이 폴더에서 빌드)와 db 서비스(mysql)가 모두 있어야 합니다.`,
      `${c.at(['services'])}: both the checkout service (built from this folder) and the db service (mysql) must stay.`,
    );
  else {
    const shop = c.services[c.shop]!;
    const db = c.services[c.db]!;
    const ports = publishedPorts(shop).ports;
    const published = ports.some((p) => p.protocol === 'tcp' && p.from <= PORT && PORT <= p.to);
    const loopbackOnly =
      (get(shop, ['ports']) as Json[] | undefined)?.every((p) =>
        typeof p === 'string' ? p.startsWith('127.0.0.1:') : isObj(p) ? p.host_ip === '127.0.0.1' : false,
      ) ?? false;
    const restart = restartPolicy(shop);
    const dbPublishes = Array.isArray(db.ports) && db.ports.length > 0;
    const secretEnv = (svc: Obj) => ['MYSQL_PASSWORD', 'MYSQL_ROOT_PASSWORD', 'DB_PASSWORD'].find((k) => envOf(svc, k) !== undefined);
    const dbNets = networksOf(db);
    const dbOnOpenNetwork = [...dbNets.keys()].some((n) => get(c.value, ['networks', n, 'internal']) !== true);
    const volume = (Array.isArray(db.volumes) ? db.volumes : []).some((v) =>
      typeof v === 'string' ? /^db-data:\/var\/lib\/mysql(:|$)/.test(v) : isObj(v) && v.source === 'db-data' && v.target === '/var/lib/mysql',
    );
    if (!published || !loopbackOnly)
      composeMsg = m(
        `${c.at(['services', c.shop, 'ports'])}: ${c.shop}는 원래처럼 컨테이너의 ${PORT}을 호스트의 127.0.0.1에만 공개해야 합니다("127.0.0.1:8080:8080").`,
        `${c.at(['services', c.shop, 'ports'])}: ${c.shop} must publish the container's ${PORT} on the host's 127.0.0.1 only, as before ("127.0.0.1:8080:8080").`,
      );
    else if (restart.kind !== 'unless-stopped' && restart.kind !== 'always')
      composeMsg = m(
        `${c.at(['services', c.shop])}: ${c.shop}의 restart: unless-stopped가 사라졌습니다.`,
        `${c.at(['services', c.shop])}: ${c.shop} lost its restart: unless-stopped.`,
      );
    else if (String(db.image) !== 'mysql:9.7')
      composeMsg = m(
        `${c.at(['services', c.db, 'image'])}: db의 이미지가 ${clip(String(db.image), 40)}입니다. 데이터 디렉터리는 mysql:9.7의 것이니 그대로 두세요.`,
        `${c.at(['services', c.db, 'image'])}: db runs ${clip(String(db.image), 40)}; its data directory is mysql:9.7's, keep that image.`,
      );
    else if (dbPublishes)
      composeMsg = m(
        `${c.at(['services', c.db, 'ports'])}: db가 포트를 호스트에 공개합니다. 데이터베이스는 ${c.shop}만 닿으면 됩니다.`,
        `${c.at(['services', c.db, 'ports'])}: db publishes a port on the host; only ${c.shop} needs to reach the database.`,
      );
    else if (dbOnOpenNetwork)
      composeMsg = m(
        `${c.at(['services', c.db, 'networks'])}: db가 internal이 아닌 네트워크(${[...dbNets.keys()].join(', ')})에 있습니다. 원래 db는 밖으로 나갈 길이 없는 backend 네트워크에만 있었습니다. 바꿀 것은 db가 아니라 ${c.shop}의 네트워크입니다.`,
        `${c.at(['services', c.db, 'networks'])}: db is on a network that is not internal (${[...dbNets.keys()].join(', ')}). It was on the backend network only, with no way out; what needs to change is ${c.shop}'s networks, not db's.`,
      );
    else if (!volume)
      composeMsg = m(
        `${c.at(['services', c.db, 'volumes'])}: db의 데이터가 더 이상 이름 있는 볼륨 db-data(/var/lib/mysql)에 있지 않습니다. 컨테이너를 다시 만들면 데이터가 사라집니다.`,
        `${c.at(['services', c.db, 'volumes'])}: db's data is no longer in the named volume db-data (/var/lib/mysql): recreating the container would lose it.`,
      );
    else if (secretEnv(db) || secretEnv(shop))
      composeMsg = m(
        `${c.at(['services', secretEnv(db) ? c.db : c.shop, 'environment'])}: ${secretEnv(db) ?? secretEnv(shop)}에 비밀번호를 직접 적었습니다. 원래처럼 시크릿 파일(*_FILE, /run/secrets)로 넘기세요.`,
        `${c.at(['services', secretEnv(db) ? c.db : c.shop, 'environment'])}: a password is written in ${secretEnv(db) ?? secretEnv(shop)}; pass it as a secret file (*_FILE, /run/secrets) as before.`,
      );
  }
  return partial(id, POINTS[id], [
    { ok: imageMsg === null, message: imageMsg ?? none },
    { ok: composeMsg === null, message: composeMsg ?? none },
  ]);
}

export async function gradeWith(
  sub: Submission,
  build: BuildInfo,
  probe: Probe | null,
  run?: RunInfo,
  observed: Observed | null = null,
): Promise<GraderVerdict> {
  const df = readSubmittedDockerfile(sub, REQUIRED_FILES);
  const c = readCompose(sub);
  const checks: CheckVerdict[] = [];
  checks.push(checkStarts(df, build, run));
  checks.push(await checkPort(df, build, probe, run, observed, c));
  checks.push(checkNonRoot(df, build, run));
  checks.push(checkCache(df, build));
  checks.push(checkComposeDb(c));
  checks.push(checkDbHealth(c));
  checks.push(checkRest(df, build, c));
  return { gradable: true, checks };
}
