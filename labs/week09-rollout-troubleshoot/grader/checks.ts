/**
 * Week 9 troubleshooting: checkout's stuck rollout. The repaired Deployment and PodDisruptionBudget are read with
 * Kubernetes' own semantics (the kit's rollout.ts: defaults, rounding, the fencepost rule, the disruption controller,
 * probe ports, preStop) and validated as kubectl apply would (the kit's k8s-schema.ts). One check per fault, named after
 * what the on-call saw; "still works" holds the files to what the working Deployment had, so a repair by deletion, a
 * rollback to an older image or a probe that no longer asks readiness does not pass.
 */
import {
  msg,
  NotGradable,
  partial,
  reporter,
  type CheckVerdict,
  type GradeContext,
  type GraderVerdict,
  type Msg,
  type Submission,
} from '../../../grader-kit/index';
import { get, isObj, parseYamlFile, type Json, type PathPart, type YamlDoc } from '../../../grader-kit/yamldocs';
import { intOrPercent, preStopSeconds, probePort, readBudget, readRollout, selects, type Rollout } from '../../../grader-kit/rollout';
import { validateObject } from '../../../grader-kit/k8s-schema';

export const REQUIRED = ['k8s/deployment.yaml', 'k8s/pdb.yaml'];
export const NAME = 'checkout';
export const NAMESPACE = 'shop';
export const REPLICAS = 6;
export const IMAGE = 'registry.example.com/shop/checkout:2.4.0';
/** What the shop measured (the instructions give the same figures, from the events and the logs). */
export const TIMING = {
  /** Scheduling to container start on a node that has to pull the image (Pulled "in 21.4s", then start). */
  startSeconds: 25,
  /** From start until /readyz answers 200 (the database pool is up). */
  readySeconds: 6,
  /** After SIGTERM, how long checkout takes to finish in-flight requests and exit. */
  drainSeconds: 10,
  /** How long kube-proxy on every node and the ALB keep sending new requests to a terminating Pod. */
  deregisterSeconds: 15,
};
const APP_PORT = 8080;
const METRICS_PORT = 9464;

interface Files {
  docs: YamlDoc[];
  dep: YamlDoc;
  pdb?: YamlDoc;
  /** The index of checkout's container in the Pod template. */
  ci: number;
  container: Json;
  ro: Rollout;
}

const at = (d: YamlDoc, p: PathPart[] = []) => `${d.file}:${d.line(p)}`;
const C = (f: Files, ...p: PathPart[]): PathPart[] => ['spec', 'template', 'spec', 'containers', f.ci, ...p];

export function read(sub: Submission): Files {
  for (const f of REQUIRED)
    if (!sub.has(f)) throw new NotGradable(msg(`${f} 파일이 없습니다. 시작 파일의 구조를 그대로 두세요.`, `${f} is missing. Keep the starter's layout.`));
  const docs = sub
    .paths()
    .filter((p) => /\.ya?ml$/.test(p))
    .flatMap((p) => parseYamlFile(sub, p))
    .filter((d) => d.value !== null);
  const deps = docs.filter((d) => isObj(d.value) && d.value.kind === 'Deployment');
  const dep = deps.find((d) => get(d.value, ['metadata', 'name']) === NAME);
  if (!dep)
    throw new NotGradable(msg(`이름이 ${NAME}인 Deployment가 없습니다 (k8s/deployment.yaml).`, `There is no Deployment named ${NAME} (k8s/deployment.yaml).`));
  const containers = get(dep.value, ['spec', 'template', 'spec', 'containers']);
  const list = Array.isArray(containers) ? containers : [];
  const byName = list.findIndex((c) => isObj(c) && c.name === NAME);
  const ci = byName >= 0 ? byName : 0;
  const container = list[ci];
  if (!isObj(container))
    throw new NotGradable(
      msg(`${at(dep, ['spec', 'template', 'spec'])}: ${NAME} 컨테이너가 없습니다.`, `${at(dep, ['spec', 'template', 'spec'])}: there is no ${NAME} container.`),
    );
  const podLabels = labelsOf(get(dep.value, ['spec', 'template', 'metadata', 'labels']));
  const pdbs = docs.filter((d) => isObj(d.value) && d.value.kind === 'PodDisruptionBudget');
  const pdb = pdbs.find((p) => selects(get(p.value, ['spec', 'selector']), podLabels)) ?? pdbs[0];
  return { docs, dep, pdb, ci, container, ro: readRollout(dep.value) };
}

function labelsOf(v: Json | undefined): Record<string, Json> {
  return isObj(v) ? v : {};
}

export async function grade(sub: Submission, ctx?: GradeContext): Promise<GraderVerdict> {
  const f = read(sub);
  const { checks, report } = reporter(ctx);
  for (const check of [checkReadiness, checkProgress, checkCapacity, checkDrain, checkGraceful, checkStillWorks]) report(check(f));
  return { gradable: true, checks };
}

// ── readiness: the new Pods never become ready ────────────────────────────────────────────────────────────────────

/** What the readiness probe asks, and whether checkout answers it with 200 once it is ready. */
export function readinessProblem(f: Files): Msg | null {
  const base = C(f, 'readinessProbe');
  const rp = get(f.container, ['readinessProbe']);
  const where = at(f.dep, base);
  if (!isObj(rp))
    return msg(
      `${at(f.dep, C(f))}: readinessProbe가 없으면 새 Pod는 시작하자마자 준비된 것으로 보여, 데이터베이스에 붙기도 전에 요청을 받습니다. 프로브를 지우는 것은 고친 것이 아닙니다`,
      `${at(f.dep, C(f))}: without a readinessProbe a new Pod counts as ready the moment it starts and gets requests before it reaches its database; removing the probe is not a repair`,
    );
  const http = get(rp, ['httpGet']);
  if (!isObj(http))
    return msg(
      `${where}: readinessProbe가 HTTP로 /readyz를 묻지 않습니다. checkout의 준비 상태는 ${APP_PORT}번 포트(http)의 /readyz만 알려 줍니다(tcpSocket이나 exec는 데이터베이스 연결을 모릅니다)`,
      `${where}: the readinessProbe does not ask /readyz over HTTP; only /readyz on port ${APP_PORT} (http) tells checkout's readiness (a tcpSocket or exec probe knows nothing of the database)`,
    );
  const port = get(http, ['port']);
  const n = probePort(f.container, port);
  const path = String(get(http, ['path']) ?? '/').split('?')[0];
  const scheme = String(get(http, ['scheme']) ?? 'HTTP');
  if (typeof port === 'string' && n === undefined)
    return msg(
      `${at(f.dep, [...base, 'httpGet', 'port'])}: 포트 이름 ${port}은 이 컨테이너의 ports에 없어서 프로브가 늘 실패합니다`,
      `${at(f.dep, [...base, 'httpGet', 'port'])}: port name ${port} is not one of this container's ports, so the probe always fails`,
    );
  if (n === METRICS_PORT)
    return msg(
      `${at(f.dep, [...base, 'httpGet', 'port'])}: 프로브가 ${String(port)}(${n}번 포트)로 /readyz를 묻습니다. 2.4.0부터 이 포트는 /metrics만 답하는 메트릭 서버라서 /readyz에는 404를 돌려주고(Readiness probe failed: HTTP probe failed with statuscode: 404), 새 Pod는 영영 준비되지 않습니다. /readyz는 앱 포트 ${APP_PORT}(http)에 있습니다`,
      `${at(f.dep, [...base, 'httpGet', 'port'])}: the probe asks /readyz on ${String(port)} (port ${n}). Since 2.4.0 that port is the metrics server, which answers only /metrics and gives /readyz a 404 (Readiness probe failed: HTTP probe failed with statuscode: 404), so a new Pod never becomes ready. /readyz is on the app port, ${APP_PORT} (http)`,
    );
  if (n !== APP_PORT || scheme !== 'HTTP' || path !== '/readyz')
    return msg(
      `${where}: 프로브가 ${scheme.toLowerCase()}://…:${String(n ?? port)}${path}를 묻습니다. checkout의 준비 상태는 ${APP_PORT}번 포트의 HTTP /readyz입니다(/healthz는 데이터베이스가 없어도, 종료 중에도 200이라 준비 상태를 알려 주지 않습니다)`,
      `${where}: the probe asks ${scheme.toLowerCase()}://…:${String(n ?? port)}${path}; checkout reports readiness over HTTP on /readyz, port ${APP_PORT} (/healthz answers 200 without a database and while shutting down, so it tells nothing about readiness)`,
    );
  return null;
}

function checkReadiness(f: Files): CheckVerdict {
  return one('readiness', 3, readinessProblem(f));
}

// ── progress: "exceeded its progress deadline" ────────────────────────────────────────────────────────────────────

const num = (v: Json | undefined, d: number) => (typeof v === 'number' && Number.isFinite(v) ? v : d);

/** Seconds from scheduling until a new Pod counts as available: start, first successful readiness probe, minReadySeconds. */
export function secondsToAvailable(f: Files): number {
  const rp = get(f.container, ['readinessProbe']);
  const delay = Math.max(0, num(get(rp, ['initialDelaySeconds']), 0));
  const period = Math.max(1, num(get(rp, ['periodSeconds']), 10));
  const success = Math.max(1, num(get(rp, ['successThreshold']), 1));
  // The kubelet probes at the initial delay and then every period; the first probe at or after the app is ready passes.
  const first = delay >= TIMING.readySeconds ? delay : delay + Math.ceil((TIMING.readySeconds - delay) / period) * period;
  const ready = isObj(rp) ? first + (success - 1) * period : 0;
  return TIMING.startSeconds + ready + Math.max(0, num(get(f.dep.value, ['spec', 'minReadySeconds']), 0));
}

function checkProgress(f: Files): CheckVerdict {
  const raw = get(f.dep.value, ['spec', 'progressDeadlineSeconds']);
  const deadline = raw === undefined ? 600 : num(raw, NaN);
  const minReady = num(get(f.dep.value, ['spec', 'minReadySeconds']), 0);
  const need = secondsToAvailable(f);
  const where = raw === undefined ? at(f.dep, ['spec']) : at(f.dep, ['spec', 'progressDeadlineSeconds']);
  if (!Number.isInteger(deadline) || deadline <= 0)
    return one('progress', 2, msg(`${where}: progressDeadlineSeconds는 양의 정수여야 합니다`, `${where}: progressDeadlineSeconds must be a positive integer`));
  if (deadline <= minReady)
    return one(
      'progress',
      2,
      msg(
        `${where}: API 서버가 거절합니다. progressDeadlineSeconds(${deadline})는 minReadySeconds(${minReady})보다 커야 합니다`,
        `${where}: the API server refuses this: progressDeadlineSeconds (${deadline}) must be greater than minReadySeconds (${minReady})`,
      ),
    );
  const ok = deadline >= 2 * need;
  return one(
    'progress',
    2,
    ok
      ? null
      : msg(
          `${where}: 진행 기한이 ${deadline}초${raw === undefined ? '(기본값)' : ''}인데, 이미지를 받아야 하는 노드에서 새 Pod 하나가 사용 가능해지기까지 약 ${need}초가 걸립니다(시작 ${TIMING.startSeconds}초, 첫 준비 성공, minReadySeconds ${minReady}초). 정상적인 롤아웃도 ProgressDeadlineExceeded로 실패로 보고됩니다. 그 두 배(${2 * need}초) 이상을 주세요`,
          `${where}: the progress deadline is ${deadline} s${raw === undefined ? ' (the default)' : ''}, while one new Pod takes about ${need} s to become available on a node that has to pull the image (start ${TIMING.startSeconds} s, the first successful readiness probe, minReadySeconds ${minReady} s), so even a healthy rollout is reported failed with ProgressDeadlineExceeded. Give it at least twice that (${2 * need} s)`,
        ),
  );
}

// ── capacity: ready Pods drop during a rollout ────────────────────────────────────────────────────────────────────

const shown = (x: Json | undefined) => (x === undefined ? { ko: '25%(기본값)', en: '25% (the default)' } : { ko: JSON.stringify(x), en: JSON.stringify(x) });

function checkCapacity(f: Files): CheckVerdict {
  const { ro } = f;
  const where = at(f.dep, ['spec', 'strategy', 'rollingUpdate']);
  let message: Msg | null = null;
  if (ro.problems.length) {
    const p = ro.problems[0]!;
    message = msg(
      `${at(f.dep, p.path)}: API 서버가 이 Deployment를 거절합니다: ${p.ko}`,
      `${at(f.dep, p.path)}: the API server refuses this Deployment: ${p.en}`,
    );
  } else if (ro.type !== 'RollingUpdate') {
    message = msg(
      `${at(f.dep, ['spec', 'strategy', 'type'])}: ${ro.type}는 새 Pod를 띄우기 전에 모든 Pod를 내립니다`,
      `${at(f.dep, ['spec', 'strategy', 'type'])}: ${ro.type} takes every Pod down before new ones start`,
    );
  } else if (ro.unavailable > 0) {
    message = msg(
      `${where}: 복제본 ${ro.replicas}개에 maxSurge ${shown(ro.rawSurge).ko}, maxUnavailable ${shown(ro.rawUnavailable).ko}이면 컨트롤러는 새 Pod가 준비되기 전에 준비된 Pod를 ${ro.unavailable}개 먼저 내립니다. 새 버전이 준비되지 못하는 지금처럼 롤아웃이 멈추면 그만큼의 용량을 잃은 채로 남습니다(READY ${ro.replicas - ro.unavailable}/${ro.replicas}). maxUnavailable: 0과 1 이상의 maxSurge로 새 Pod가 준비된 뒤에 예전 Pod를 내리게 하세요`,
      `${where}: with ${ro.replicas} replicas, maxSurge ${shown(ro.rawSurge).en} and maxUnavailable ${shown(ro.rawUnavailable).en}, the controller takes ${ro.unavailable} ready Pod(s) down before a new one is ready. When the rollout stalls, as it does when the new version never becomes ready, the Deployment stays that much short (READY ${ro.replicas - ro.unavailable}/${ro.replicas}). Set maxUnavailable: 0 and a maxSurge of at least 1, so old Pods go only after new ones are ready`,
    );
  } else {
    const uv = intOrPercent(ro.rawUnavailable) ?? { kind: 'percent' as const, n: 25 };
    if (uv.kind === 'percent' && uv.n > 0)
      message = msg(
        `${where}: maxUnavailable ${shown(ro.rawUnavailable).ko}은 복제본 ${ro.replicas}개에서는 내림해서 0개지만, 복제본이 ${Math.ceil(100 / uv.n)}개 이상이 되면 Pod를 먼저 내립니다. maxUnavailable: 0을 쓰세요`,
        `${where}: maxUnavailable ${shown(ro.rawUnavailable).en} rounds down to 0 Pods at ${ro.replicas} replicas, but at ${Math.ceil(100 / uv.n)} or more it takes Pods down first; write maxUnavailable: 0`,
      );
  }
  return one('capacity', 3, message);
}

// ── drain: the PodDisruptionBudget allows no eviction ─────────────────────────────────────────────────────────────

function checkDrain(f: Files): CheckVerdict {
  const pdb = f.pdb;
  const podLabels = labelsOf(get(f.dep.value, ['spec', 'template', 'metadata', 'labels']));
  const replicas = f.ro.replicas;
  let message: Msg | null = null;
  if (!pdb)
    message = msg(
      'k8s/pdb.yaml:1: PodDisruptionBudget이 없으면 노드를 비울 때 checkout의 Pod가 한꺼번에 내려갈 수 있습니다. 지우는 것은 고친 것이 아닙니다',
      "k8s/pdb.yaml:1: without a PodDisruptionBudget a node drain may take checkout's Pods down all at once; deleting it is not a repair",
    );
  else {
    const budget = readBudget(pdb.value, replicas);
    const ns = get(pdb.value, ['metadata', 'namespace']);
    if (get(pdb.value, ['apiVersion']) !== 'policy/v1')
      message = msg(`${at(pdb, ['apiVersion'])}: PodDisruptionBudget은 policy/v1입니다`, `${at(pdb, ['apiVersion'])}: a PodDisruptionBudget is policy/v1`);
    else if (ns !== undefined && ns !== NAMESPACE)
      message = msg(
        `${at(pdb, ['metadata', 'namespace'])}: PodDisruptionBudget이 ${String(ns)}에 있어 ${NAMESPACE}의 Pod를 고르지 못합니다`,
        `${at(pdb, ['metadata', 'namespace'])}: the PodDisruptionBudget is in ${String(ns)}, so it cannot select the Pods in ${NAMESPACE}`,
      );
    else if (!selects(get(pdb.value, ['spec', 'selector']), podLabels))
      message = msg(
        `${at(pdb, ['spec', 'selector'])}: 셀렉터가 checkout의 Pod 레이블과 맞지 않아 아무 Pod도 지키지 않습니다`,
        `${at(pdb, ['spec', 'selector'])}: the selector does not match checkout's Pod labels, so it protects no Pod`,
      );
    else if (budget.problems.length)
      message = msg(
        `${at(pdb, budget.problems[0]!.path)}: API 서버가 거절합니다: ${budget.problems[0]!.ko}`,
        `${at(pdb, budget.problems[0]!.path)}: the API server refuses this: ${budget.problems[0]!.en}`,
      );
    else if (budget.mustStay === undefined)
      message = msg(
        `${at(pdb, ['spec'])}: minAvailable도 maxUnavailable도 없어 아무것도 정하지 않습니다`,
        `${at(pdb, ['spec'])}: with neither minAvailable nor maxUnavailable it sets nothing`,
      );
    else if (budget.mustStay >= replicas)
      message = msg(
        `${at(pdb, ['spec'])}: 복제본 ${replicas}개 가운데 ${budget.mustStay}개를 지키라는 예산이라 ALLOWED DISRUPTIONS가 0입니다. kubectl drain은 "Cannot evict pod as it would violate the pod's disruption budget"을 되풀이하며 끝나지 않고, 노드 업그레이드와 Karpenter의 통합이 멈춥니다. 한 번에 하나씩은 내보낼 수 있게 하세요`,
        `${at(pdb, ['spec'])}: a budget keeping ${budget.mustStay} of ${replicas} replicas leaves ALLOWED DISRUPTIONS at 0: kubectl drain repeats "Cannot evict pod as it would violate the pod's disruption budget" forever, and node upgrades and Karpenter's consolidation stop. Let a drain evict at least one at a time`,
      );
    else if (budget.mustStay < Math.ceil(replicas / 2))
      message = msg(
        `${at(pdb, ['spec'])}: 복제본 ${replicas}개 가운데 ${budget.mustStay}개만 지키면 노드 비우기 한 번에 checkout의 절반 넘게 내려갈 수 있습니다. 적어도 ${Math.ceil(replicas / 2)}개는 남기세요`,
        `${at(pdb, ['spec'])}: keeping only ${budget.mustStay} of ${replicas} replicas lets one drain take more than half of checkout down; keep at least ${Math.ceil(replicas / 2)}`,
      );
  }
  return one('drain', 2, message);
}

// ── graceful: preStop outlasts the grace period ───────────────────────────────────────────────────────────────────

function checkGraceful(f: Files): CheckVerdict {
  const rawGrace = get(f.dep.value, ['spec', 'template', 'spec', 'terminationGracePeriodSeconds']);
  const grace = num(rawGrace, 30);
  const wait = preStopSeconds(f.container);
  const graceWhere =
    rawGrace === undefined ? at(f.dep, ['spec', 'template', 'spec']) : at(f.dep, ['spec', 'template', 'spec', 'terminationGracePeriodSeconds']);
  const stopWhere = at(f.dep, C(f, 'lifecycle', 'preStop'));
  let message: Msg | null = null;
  if (wait < TIMING.deregisterSeconds)
    message = msg(
      `${isObj(get(f.container, ['lifecycle', 'preStop'])) ? stopWhere : at(f.dep, C(f))}: preStop이 ${wait}초 기다립니다. 쇼핑몰이 잰 바로는 종료 중인 Pod에 kube-proxy와 ALB가 새 요청을 보내지 않게 되기까지 ${TIMING.deregisterSeconds}초가 걸리므로, 그보다 짧으면 앱이 요청을 받다가 닫혀 502가 납니다. preStop을 지우는 것은 고친 것이 아닙니다`,
      `${isObj(get(f.container, ['lifecycle', 'preStop'])) ? stopWhere : at(f.dep, C(f))}: preStop waits ${wait} s. The shop measured ${TIMING.deregisterSeconds} s until kube-proxy and the ALB stop sending new requests to a terminating Pod, so a shorter wait closes the app while requests still arrive (502s); removing the preStop is not a repair`,
    );
  else if (grace < wait + TIMING.drainSeconds)
    message = msg(
      `${graceWhere}: terminationGracePeriodSeconds가 ${grace}초${rawGrace === undefined ? '(기본값)' : ''}인데 preStop이 ${wait}초 기다리고, SIGTERM을 받은 checkout이 처리 중인 요청을 마치는 데 ${TIMING.drainSeconds}초까지 걸립니다. 유예 시간은 preStop까지 포함해 재므로, ${grace < wait ? `kubelet은 preStop을 ${grace}초에 끊고("PreStop hook not completed in grace period") 2초 뒤 SIGKILL을 보냅니다` : `preStop이 끝난 뒤 ${grace - wait}초만 남아 SIGKILL이 요청을 끊습니다`}. 유예 시간을 preStop + ${TIMING.drainSeconds}초(${wait + TIMING.drainSeconds}초) 이상으로 하세요`,
      `${graceWhere}: terminationGracePeriodSeconds is ${grace} s${rawGrace === undefined ? ' (the default)' : ''}, while preStop waits ${wait} s and checkout needs up to ${TIMING.drainSeconds} s after SIGTERM to finish its requests. The grace period counts the preStop too, so ${grace < wait ? `the kubelet abandons the preStop at ${grace} s ("PreStop hook not completed in grace period") and sends SIGKILL 2 s later` : `only ${grace - wait} s are left after the preStop before SIGKILL cuts requests`}. Make the grace period at least preStop + ${TIMING.drainSeconds} s (${wait + TIMING.drainSeconds} s)`,
    );
  return one('graceful', 2, message);
}

// ── still works: what the working Deployment had ──────────────────────────────────────────────────────────────────

function checkStillWorks(f: Files): CheckVerdict {
  const problems: Msg[] = [];
  // kubectl apply must accept both files.
  for (const d of f.docs) {
    const p = validateObject(d.value);
    if (p.length)
      problems.push(msg(`${at(d, p[0]!.path)}: kubectl apply가 거절합니다: ${p[0]!.ko}`, `${at(d, p[0]!.path)}: kubectl apply refuses this: ${p[0]!.en}`));
  }
  const v = f.dep.value;
  const ns = get(v, ['metadata', 'namespace']);
  if (ns !== NAMESPACE)
    problems.push(
      msg(
        `${at(f.dep, ['metadata'])}: Deployment는 네임스페이스 ${NAMESPACE}에 있어야 합니다`,
        `${at(f.dep, ['metadata'])}: the Deployment belongs in namespace ${NAMESPACE}`,
      ),
    );
  if (f.ro.replicas !== REPLICAS)
    problems.push(
      msg(
        `${at(f.dep, ['spec', 'replicas'])}: 복제본은 전처럼 ${REPLICAS}개여야 합니다`,
        `${at(f.dep, ['spec', 'replicas'])}: replicas stay at ${REPLICAS}, as before`,
      ),
    );
  const sel = get(v, ['spec', 'selector']);
  if (JSON.stringify(sel) !== JSON.stringify({ matchLabels: { 'app.kubernetes.io/name': NAME } }))
    problems.push(
      msg(
        `${at(f.dep, ['spec', 'selector'])}: Deployment의 selector는 바꿀 수 없는 필드라(field is immutable) 적용이 거절됩니다. app.kubernetes.io/name: ${NAME} 그대로 두세요`,
        `${at(f.dep, ['spec', 'selector'])}: a Deployment's selector is immutable (field is immutable), so applying a new one is refused; keep app.kubernetes.io/name: ${NAME}`,
      ),
    );
  const image = get(f.container, ['image']);
  if (image !== IMAGE)
    problems.push(
      msg(
        `${at(f.dep, C(f, 'image'))}: 이미지는 ${IMAGE}여야 합니다. 예전 버전으로 되돌리면 급한 불은 끄지만, 이 실습은 2.4.0을 내보내는 것이 목표입니다`,
        `${at(f.dep, C(f, 'image'))}: the image stays ${IMAGE}; rolling back to an older version puts the fire out, but the point is to ship 2.4.0`,
      ),
    );
  const ports = get(f.container, ['ports']);
  const has = (name: string, port: number) => Array.isArray(ports) && ports.some((p) => isObj(p) && p.name === name && p.containerPort === port);
  if (!has('http', APP_PORT) || !has('metrics', METRICS_PORT))
    problems.push(
      msg(
        `${at(f.dep, C(f, 'ports'))}: 포트 http(${APP_PORT})와 metrics(${METRICS_PORT})가 그대로 있어야 합니다. Service와 Prometheus가 이름으로 찾습니다`,
        `${at(f.dep, C(f, 'ports'))}: the ports http (${APP_PORT}) and metrics (${METRICS_PORT}) stay: the Service and Prometheus find them by name`,
      ),
    );
  const live = get(f.container, ['livenessProbe', 'httpGet']);
  if (!isObj(live) || live.path !== '/healthz' || probePort(f.container, live.port) !== APP_PORT)
    problems.push(
      msg(
        `${at(f.dep, C(f, 'livenessProbe'))}: livenessProbe(${APP_PORT}번 포트의 /healthz)는 그대로 두세요`,
        `${at(f.dep, C(f, 'livenessProbe'))}: keep the livenessProbe (/healthz on port ${APP_PORT})`,
      ),
    );
  const sa = get(v, ['spec', 'template', 'spec', 'serviceAccountName']);
  if (sa !== NAME)
    problems.push(
      msg(
        `${at(f.dep, ['spec', 'template', 'spec'])}: serviceAccountName: ${NAME}을 그대로 두세요`,
        `${at(f.dep, ['spec', 'template', 'spec'])}: keep serviceAccountName: ${NAME}`,
      ),
    );
  const env = JSON.stringify(get(f.container, ['envFrom']) ?? null);
  if (!env.includes('checkout-config') || !env.includes('checkout-db'))
    problems.push(
      msg(
        `${at(f.dep, C(f))}: envFrom의 checkout-config와 checkout-db가 그대로 있어야 앱이 설정과 데이터베이스 비밀번호를 받습니다`,
        `${at(f.dep, C(f))}: envFrom keeps checkout-config and checkout-db, where the app gets its settings and database password`,
      ),
    );
  const limits = get(f.container, ['resources']);
  if (!isObj(get(limits, ['requests'])) || get(limits, ['limits', 'memory']) === undefined)
    problems.push(
      msg(`${at(f.dep, C(f))}: resources(요청과 메모리 제한)를 그대로 두세요`, `${at(f.dep, C(f))}: keep the resources (requests and the memory limit)`),
    );
  const sc = get(f.container, ['securityContext']);
  if (get(sc, ['runAsNonRoot']) !== true || get(sc, ['allowPrivilegeEscalation']) !== false || get(sc, ['readOnlyRootFilesystem']) !== true)
    problems.push(
      msg(
        `${at(f.dep, C(f))}: securityContext(runAsNonRoot, allowPrivilegeEscalation: false, readOnlyRootFilesystem)를 그대로 두세요`,
        `${at(f.dep, C(f))}: keep the securityContext (runAsNonRoot, allowPrivilegeEscalation: false, readOnlyRootFilesystem)`,
      ),
    );
  const shownProblems = problems.slice(0, 3);
  if (problems.length > 3) shownProblems.push(msg(`(외 ${problems.length - 3}건)`, `(and ${problems.length - 3} more)`));
  return one('still-works', 3, problems.length ? joinSentences(shownProblems) : null);
}

/** A check with one verdict: passed, or failed with a message of whole sentences. */
function one(id: string, points: number, problem: Msg | null): CheckVerdict {
  return partial(id, points, [{ ok: !problem, message: problem ? joinSentences([problem]) : '' }]);
}

function joinSentences(ms: Msg[]): Msg {
  const stop = (s: string) => (/[.!?)]$/.test(s) ? s : `${s}.`);
  return { ko: ms.map((m) => stop(typeof m === 'string' ? m : m.ko)).join(' '), en: ms.map((m) => stop(typeof m === 'string' ? m : m.en)).join(' ') };
}
