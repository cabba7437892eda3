/**
 * Week 2: a Dockerfile for a small web server, really built (by the engine, with no network) and run as the subject;
 * plus a compose file. The Dockerfile is also read statically (pinned base, non-root user, HEALTHCHECK); the build's
 * second pass after touching server.js tells whether the dependency layers stay cached. The compose file is checked
 * against the Compose Specification schema that `docker-compose config` itself validates with.
 */
import Ajv2019 from 'ajv/dist/2019';
import { NotGradable, partial, type CheckVerdict, type GraderVerdict, type Msg, type Submission } from '../../../lib/grader-kit/index';
import { get, isObj, parseYamlFile, type Json, type Obj } from '../../../lib/grader-kit/yamldocs';
import composeSpec from './compose-spec.json';
import { parseDockerfile } from '../../../lib/grader-kit/dockerfile';

export { parseDockerfile };

export const PORT = 8080;
const msg = (ko: string, en: string): Msg => ({ ko, en });

export interface BuildInfo {
  ok: boolean;
  error?: string;
  steps?: { step: number; instruction: string; cached: boolean }[];
  rebuildSteps?: { step: number; instruction: string; cached: boolean }[];
  imageSize?: number;
}

export interface Probe {
  get(path: string): Promise<{ status: number; body: string } | { error: string }>;
}

/** The grade, given what the engine saw of the build and a way to reach the running server (absent if not built). */
export async function gradeWith(sub: Submission, build: BuildInfo, probe: Probe | null): Promise<GraderVerdict> {
  for (const f of ['Dockerfile', 'compose.yaml', 'server.js', 'package.json'])
    if (!sub.has(f)) throw new NotGradable(msg(`${f} 파일이 없습니다. 시작 파일의 구조를 그대로 두세요.`, `${f} is missing. Keep the starter's layout.`));
  if (!sub.isValidUtf8('Dockerfile')) throw new NotGradable(msg('Dockerfile이 UTF-8 텍스트가 아닙니다.', 'The Dockerfile is not UTF-8 text.'));
  const ins = parseDockerfile(sub.text('Dockerfile')!);
  const froms = ins.filter((x) => x.op === 'FROM');
  if (!froms.length) throw new NotGradable(msg('Dockerfile에 FROM이 없습니다.', 'The Dockerfile has no FROM.'));
  const lastStage = froms.length - 1;
  const final = ins.filter((x) => x.stage === lastStage);
  const checks: CheckVerdict[] = [];

  // builds
  if (build.ok) checks.push({ id: 'builds', points: 3, passed: true });
  else {
    const failedStep = build.steps?.at(-1);
    const line = failedStep ? ins[failedStep.step - 1]?.line : undefined;
    const where = line ? `Dockerfile:${line}` : 'Dockerfile';
    const err = (build.error ?? 'the build failed').replace(/\s+/g, ' ').slice(0, 400);
    checks.push({ id: 'builds', points: 0, passed: false, message: msg(`${where}: 이미지를 빌드하지 못했습니다: ${err}`, `${where}: the image did not build: ${err}`) });
  }

  // base image pinned
  {
    const stages = new Set(froms.map((f) => /\s+AS\s+(\S+)/i.exec(f.args)?.[1]?.toLowerCase()).filter(Boolean));
    const loose = froms.filter((f) => {
      const image = f.args.split(/\s+/).find((w) => !w.startsWith('--')) ?? '';
      if (stages.has(image.toLowerCase())) return false;
      if (/@sha256:[0-9a-f]{64}$/.test(image)) return false;
      const tag = /:([^/:]+)$/.exec(image)?.[1];
      return !tag || tag === 'latest';
    });
    checks.push(
      partial('base-image', 2, [
        {
          ok: loose.length === 0,
          message: msg(`${loose.map((f) => `Dockerfile:${f.line}: FROM ${f.args}`).join('; ')}: 태그가 없거나 latest입니다. 같은 Dockerfile이 내일은 다른 이미지로 빌드될 수 있습니다.`, `${loose.map((f) => `Dockerfile:${f.line}: FROM ${f.args}`).join('; ')}: no tag, or latest: the same Dockerfile may build from a different image tomorrow.`),
        },
      ]),
    );
  }

  // non-root
  {
    const users = final.filter((x) => x.op === 'USER');
    const last = users.at(-1);
    const name = last?.args.split(':')[0]?.trim() ?? '';
    const ok = !!last && name !== '' && name !== 'root' && name !== '0';
    checks.push(
      partial('non-root', 2, [
        {
          ok,
          message: last
            ? msg(`Dockerfile:${last.line}: USER ${last.args}는 root입니다.`, `Dockerfile:${last.line}: USER ${last.args} is root.`)
            : msg(`Dockerfile:${froms[lastStage]!.line}: 마지막 스테이지에 USER가 없어서 서버가 root로 실행됩니다.`, `Dockerfile:${froms[lastStage]!.line}: the final stage has no USER, so the server runs as root.`),
        },
      ]),
    );
  }

  // healthcheck
  {
    const hc = final.filter((x) => x.op === 'HEALTHCHECK').at(-1);
    const none = !!hc && /^NONE\b/i.test(hc.args);
    if (!hc) checks.push(partial('healthcheck', 2, [{ ok: false, message: msg('Dockerfile에 HEALTHCHECK가 없습니다.', 'The Dockerfile has no HEALTHCHECK.') }]));
    else checks.push(
      partial('healthcheck', 2, [
        { ok: !!hc && !none, message: hc ? msg(`Dockerfile:${hc.line}: HEALTHCHECK NONE은 상태 검사를 끕니다.`, `Dockerfile:${hc.line}: HEALTHCHECK NONE turns health checks off.`) : msg('Dockerfile에 HEALTHCHECK가 없습니다.', 'The Dockerfile has no HEALTHCHECK.') },
        {
          ok: !!hc && !none && (new RegExp(`\\b${PORT}\\b`).test(hc.args) || /\$\{?PORT\b/.test(hc.args)) && /\/healthz\b/.test(hc.args),
          message: msg(`Dockerfile:${hc?.line ?? 1}: HEALTHCHECK가 서버의 상태 엔드포인트(포트 ${PORT}의 /healthz)를 확인하지 않습니다.`, `Dockerfile:${hc?.line ?? 1}: the HEALTHCHECK does not ask the server's health endpoint (/healthz on port ${PORT}).`),
        },
      ]),
    );
  }

  // answers: the built image, running, answers on its port
  {
    const expose = final.filter((x) => x.op === 'EXPOSE');
    const exposesPort = expose.some((x) => x.args.split(/\s+/).some((p) => p.replace(/\/tcp$/, '') === String(PORT)));
    if (!probe) {
      checks.push(
        partial('answers', 3, [
          { ok: false, message: msg('이미지가 빌드되지 않아서 실행해 볼 수 없었습니다.', 'The image did not build, so it could not be run.') },
          { ok: exposesPort, message: msg(`Dockerfile: EXPOSE ${PORT}이 없습니다.`, `Dockerfile: no EXPOSE ${PORT}.`) },
        ]),
      );
    } else {
      const root = await probe.get('/');
      const health = await probe.get('/healthz');
      const show = (r: Awaited<ReturnType<Probe['get']>>) => ('error' in r ? r.error : `HTTP ${r.status}`);
      let healthy = false;
      if (!('error' in health) && health.status === 200) {
        try {
          healthy = (JSON.parse(health.body) as { status?: string }).status === 'ok';
        } catch {
          healthy = false;
        }
      }
      checks.push(
        partial('answers', 3, [
          {
            ok: !('error' in root) && root.status === 200 && /hello-server/.test(root.body),
            message:
              !('error' in root) && root.status === 200
                ? msg(
                    `컨테이너의 ${PORT}번 포트에 GET /를 보냈더니 HTTP 200이지만 hello-server의 인사말이 아닙니다: ${JSON.stringify(root.body.slice(0, 80))}. server.js를 바꾸지 말고 그대로 실행하세요.`,
                    `GET / on the container's port ${PORT}: HTTP 200, but not hello-server's greeting: ${JSON.stringify(root.body.slice(0, 80))}. Run server.js as it is.`,
                  )
                : msg(`컨테이너의 ${PORT}번 포트에 GET /를 보냈더니 ${show(root)}.`, `GET / on the container's port ${PORT}: ${show(root)}.`),
          },
          { ok: healthy, message: msg(`GET /healthz가 {"status":"ok"}를 돌려주지 않았습니다 (${show(health)}).`, `GET /healthz did not answer {"status":"ok"} (${show(health)}).`) },
          { ok: exposesPort, message: msg(`Dockerfile: EXPOSE ${PORT}이 없어서 이미지만 보고는 어느 포트를 여는지 알 수 없습니다.`, `Dockerfile: no EXPOSE ${PORT}, so the image does not document the port it listens on.`) },
        ]),
      );
    }
  }

  // cache: after touching server.js, no RUN step runs again
  {
    const rebuilt = (build.rebuildSteps ?? []).filter((s) => /^RUN\b/i.test(s.instruction) && !s.cached);
    const ok = build.ok && (build.rebuildSteps?.length ?? 0) > 0 && rebuilt.length === 0;
    checks.push(
      partial('cache', 1, [
        {
          ok,
          message: !build.ok
            ? msg('빌드되지 않아 캐시를 확인할 수 없습니다.', 'Not built, so the cache could not be checked.')
            : !build.rebuildSteps?.length
              ? msg('server.js만 바꾼 두 번째 빌드가 실패해서 캐시를 확인할 수 없습니다. 같은 파일이 두 번 빌드되는지 확인하세요.', 'The second build, after changing only server.js, failed, so the cache could not be checked. Check that the same files build twice.')
              : msg(
                  `server.js만 바꿔 다시 빌드했더니 ${rebuilt.map((s) => `Dockerfile:${ins[s.step - 1]?.line ?? '?'} ${s.instruction}`).join('; ')} 단계가 다시 실행되었습니다.`,
                  `After changing only server.js, the rebuild ran ${rebuilt.map((s) => `Dockerfile:${ins[s.step - 1]?.line ?? '?'} ${s.instruction}`).join('; ')} again.`,
                ),
        },
      ]),
    );
  }

  checks.push(checkCompose(sub));
  return { gradable: true, checks };
}

const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false });
const validateCompose = ajv.compile(composeSpec as object);

function checkCompose(sub: Submission): CheckVerdict {
  const docs = parseYamlFile(sub, 'compose.yaml');
  if (docs.length !== 1 || !isObj(docs[0]!.value)) return { id: 'compose', points: 0, passed: false, message: msg('compose.yaml에는 YAML 문서(맵) 하나가 있어야 합니다.', 'compose.yaml must hold one YAML document (a map).') };
  const doc = docs[0]!;
  const c = doc.value as Obj;
  const at = (p: (string | number)[]) => `compose.yaml:${doc.line(p)}`;
  const valid = validateCompose(c) as boolean;
  const firstErr = validateCompose.errors?.[0];
  const errPath = (firstErr?.instancePath ?? '').split('/').filter(Boolean);
  const services = isObj(c.services) ? Object.entries(c.services).filter(([, s]) => isObj(s)) : [];
  const built = services.find(([, s]) => {
    const b = get(s, ['build']);
    // `build: { dockerfile: ... }` without a context builds from the Compose file's folder, as `.` does.
    const ctx = typeof b === 'string' ? b : isObj(b) ? (str(get(b, ['context'])) ?? (b.context === undefined ? '.' : undefined)) : undefined;
    return ctx === '.' || ctx === './';
  });
  const ports = built ? (Array.isArray(get(built[1], ['ports'])) ? (get(built[1], ['ports']) as Json[]) : []) : [];
  const containerPort = (p: Json): number | undefined => {
    if (isObj(p)) return typeof p.target === 'number' ? p.target : Number(p.target);
    const s = String(p).replace(/\/(tcp|udp)$/, '');
    const parts = s.split(':');
    return Number(parts.at(-1));
  };
  const restart = built ? str(get(built[1], ['restart'])) : undefined;
  return partial('compose', 2, [
    {
      ok: valid,
      message: msg(
        `${at(errPath)}: Compose 명세에 맞지 않습니다 (docker-compose config가 거부합니다): ${firstErr?.instancePath || '/'} ${firstErr?.message ?? ''}${firstErr?.params && 'additionalProperty' in firstErr.params ? ` (${String((firstErr.params as { additionalProperty: string }).additionalProperty)})` : ''}.`,
        `${at(errPath)}: not valid against the Compose Specification (docker-compose config refuses it): ${firstErr?.instancePath || '/'} ${firstErr?.message ?? ''}${firstErr?.params && 'additionalProperty' in firstErr.params ? ` (${String((firstErr.params as { additionalProperty: string }).additionalProperty)})` : ''}.`,
      ),
    },
    {
      ok: !!built && ports.some((p) => containerPort(p) === PORT),
      message: built
        ? msg(`${at(['services', built[0], 'ports'])}: 서비스 ${built[0]}이(가) 컨테이너의 ${PORT}번 포트를 호스트에 열지 않습니다.`, `${at(['services', built[0], 'ports'])}: service ${built[0]} does not publish the container's port ${PORT}.`)
        : msg(`${at(['services'])}: 이 폴더(.)에서 이미지를 빌드하는 서비스가 없습니다.`, `${at(['services'])}: no service builds its image from this folder (.).`),
    },
    {
      // Compose's schema takes any string here; Docker knows only these (and refuses the rest when it starts the service).
      ok: !!restart && /^(always|unless-stopped|on-failure(:[1-9]\d*)?)$/.test(restart),
      message:
        restart && restart !== 'no'
          ? msg(
              `${at(['services', built![0], 'restart'])}: "${restart.slice(0, 40)}"은(는) Docker가 아는 restart 정책이 아닙니다 (always, unless-stopped, on-failure[:N], no).`,
              `${at(['services', built![0], 'restart'])}: "${restart.slice(0, 40)}" is not a restart policy Docker knows (always, unless-stopped, on-failure[:N], no).`,
            )
          : msg(`${built ? at(['services', built[0]]) : at(['services'])}: restart 정책이 없어서 서버가 죽거나 호스트가 재부팅되면 다시 뜨지 않습니다.`, `${built ? at(['services', built[0]]) : at(['services'])}: no restart policy, so the server stays down after a crash or a reboot.`),
    },
  ]);
}

function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
