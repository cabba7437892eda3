/**
 * Week 10 troubleshooting: the shop's mesh answers 503 (and 404 and 403). The learner's repaired resources are
 * validated against Istio's CRD schemas, then hidden requests go through them the way the proxies would handle them
 * (mesh.ts on the kit's routing and security simulation): from the internet through the ingress gateway to the
 * frontend, and from the frontend's sidecar to checkout's v1 and v2. Each fault has its check, named after what the
 * access log shows (NR, UH, URX, RBAC); "still works" holds the repaired files to what the working mesh had (the 90/10
 * canary, the testers' route, both versions running), so a repair by deletion does not pass.
 */
import { joinMsgs, partial, reporter, type CheckVerdict, type GradeContext, type GraderVerdict, type Msg, type Submission } from '../../../grader-kit/index';
import { get } from '../../../grader-kit/yamldocs';
import {
  arr,
  at,
  endpoints,
  fqdn,
  load,
  msg,
  NAMESPACE,
  ROOT_NAMESPACE,
  sentences,
  showLabels,
  str,
  versionOf,
  type Model,
  type Pod,
} from '../../../grader-kit/istio-model';
import { declaredShare, outcome, rng, subsetsFor, virtualServiceFor, type SimRequest } from '../../../grader-kit/istio-routing';
import { ISTIO_SCHEMAS, resourceProblems } from '../../../grader-kit/istio-schema';
import { clientTls, decide, OTHER_PEERS, peerMode, peersNamedBy, type Decision, type Peer, type Workload } from '../../../grader-kit/istio-security';
import {
  CHECKOUT,
  frontendCaller,
  frontendToCheckout,
  FRONTEND_HOST,
  gatewayRef,
  ingressGateways,
  ingressToFrontend,
  INGRESS,
  INGRESS_PEER,
  PORT,
  SHOP_HOST,
  workloadOf,
  type Landing,
} from './mesh';

export const REQUIRED = ['istio/gateway.yaml', 'istio/traffic.yaml', 'istio/security.yaml', 'k8s/checkout.yaml', 'k8s/frontend.yaml'];
const SEED = 20261203;
const STABLE = 'v1';
const CANARY = 'v2';

// ── the hidden traffic ────────────────────────────────────────────────────────────────────────────────────────────

/** The frontend's calls to checkout during the incident: product pages, product details, the checkout button. */
export function frontendRequests(): { ordinary: SimRequest[]; testers: SimRequest[] } {
  const rand = rng(SEED);
  const ordinary: SimRequest[] = [];
  for (let i = 0; i < 600; i++) {
    const x = rand();
    const headers: Record<string, string> = i % 10 === 3 ? { 'x-canary': 'never' } : {};
    if (x < 0.45) ordinary.push({ method: 'GET', path: '/api/products', headers, port: PORT });
    else if (x < 0.7) ordinary.push({ method: 'GET', path: `/api/products/${[17, 42, 108][i % 3]}`, headers, port: PORT });
    else ordinary.push({ method: 'POST', path: '/api/checkout', headers, port: PORT });
  }
  const testers: SimRequest[] = [];
  for (let i = 0; i < 40; i++)
    testers.push({ method: i % 2 ? 'POST' : 'GET', path: i % 2 ? '/api/checkout' : '/api/products', headers: { 'x-canary': 'always' }, port: PORT });
  return { ordinary, testers };
}

/** Shoppers through the ingress gateway (Host: shop.example.com). */
export function ingressRequests(): SimRequest[] {
  const paths = ['/', '/cart', '/products/42', '/static/app.js'];
  return Array.from({ length: 120 }, (_, i) => ({ method: 'GET', path: paths[i % paths.length]!, headers: { host: SHOP_HOST }, port: 80 }));
}

export interface Traffic {
  m: Model;
  ordinary: Landing[];
  testers: Landing[];
  ingress: ReturnType<typeof ingressToFrontend>[];
  requests: { ordinary: SimRequest[]; testers: SimRequest[] };
}

export function run(m: Model): Traffic {
  const requests = frontendRequests();
  const a = rng(SEED + 1);
  const b = rng(SEED + 2);
  const c = rng(SEED + 3);
  return {
    m,
    requests,
    ordinary: requests.ordinary.map((r) => frontendToCheckout(m, r, a)),
    testers: requests.testers.map((r) => frontendToCheckout(m, r, b)),
    ingress: ingressRequests().map((r) => ingressToFrontend(m, r, c)),
  };
}

export const counts = (ls: { result: string }[]) => {
  const out = new Map<string, number>();
  for (const l of ls) out.set(l.result, (out.get(l.result) ?? 0) + 1);
  return [...out.entries()]
    .sort((x, y) => y[1] - x[1])
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ');
};

function placeFor(m: Model, kind: string, file: string): string {
  const r = m.resources.find((x) => x.kind === kind);
  return r ? at(r) : `${file}:1`;
}

export async function grade(sub: Submission, ctx?: GradeContext): Promise<GraderVerdict> {
  const m = load(sub, { required: REQUIRED, kinds: ['VirtualService', 'DestinationRule'] });
  const { checks, report } = reporter(ctx);
  report(checkSchema(m));
  const t = run(m);
  for (const check of [checkIngress, checkSubsets, checkMtls, checkAuthz, checkStillWorks]) report(check(t));
  return { gradable: true, checks };
}

// ── schema ────────────────────────────────────────────────────────────────────────────────────────────────────────

function checkSchema(m: Model): CheckVerdict {
  const istio = m.resources.filter((r) => r.kind in ISTIO_SCHEMAS.kinds);
  return partial(
    'schema',
    1,
    istio.map((r) => {
      const p = resourceProblems(r);
      const shown = p.slice(0, 3);
      if (p.length > 3) shown.push(msg(`(외 ${p.length - 3}건)`, `(and ${p.length - 3} more)`));
      return { ok: p.length === 0, message: shown.length ? joinMsgs(shown) : '' };
    }),
  );
}

// ── explanations shared by the checks ─────────────────────────────────────────────────────────────────────────────

function whyDenied(d: Decision, who: string): Msg {
  if (d.by.kind === 'deny')
    return msg(
      `${at(d.by.res, ['spec', 'rules', d.by.rule])}: DENY 정책 ${d.by.res.name}의 이 규칙에 걸립니다`,
      `${at(d.by.res, ['spec', 'rules', d.by.rule])}: this rule of DENY policy ${d.by.res.name} matches it`,
    );
  if (d.by.kind === 'no-allow') {
    const names = d.by.policies.map((p) => `${p.name} (${at(p)})`).join(', ');
    return msg(
      `이 워크로드에 적용되는 ALLOW 정책(${names}) 가운데 ${who}의 이 요청에 맞는 규칙이 없어서 거부됩니다(rbac_access_denied_matched_policy[none]). 규칙의 principals, methods, paths를 요청과 하나씩 맞춰 보세요. Istio의 경로 "/x/*"는 /x/ 아래만 고르고 /x 자체는 고르지 않습니다`,
      `no rule of the ALLOW policies that apply to this workload (${names}) matches this request from ${who}, so it is denied (rbac_access_denied_matched_policy[none]); compare the rules' principals, methods and paths with the request one by one. Istio's path "/x/*" matches what is under /x/, not /x itself`,
    );
  }
  return msg('', '');
}

// ── ingress: 404 NR at the ingress gateway ────────────────────────────────────────────────────────────────────────

function checkIngress({ m, ingress }: Traffic): CheckVerdict {
  const ok = ingress.every((l) => l.result === '200 frontend');
  if (ok) return partial('ingress', 3, [{ ok: true, message: '' }]);
  const first = ingress.find((l) => l.result !== '200 frontend')!;
  const why: Msg[] = [];
  const gws = ingressGateways(m);
  if (first.result === '404 NR') {
    if (!gws.length) {
      why.push(
        msg(
          `${placeFor(m, 'Gateway', 'istio/gateway.yaml')}: 인그레스 게이트웨이 Pod(${showLabels(INGRESS.labels)}, ${ROOT_NAMESPACE})를 selector로 고르고 80번 포트 서버를 가진 Gateway가 없습니다`,
          `${placeFor(m, 'Gateway', 'istio/gateway.yaml')}: no Gateway selects the ingress gateway's Pods (${showLabels(INGRESS.labels)}, in ${ROOT_NAMESPACE}) with a server on port 80`,
        ),
      );
    } else if (!first.binding.notBound.length) {
      why.push(
        msg(
          `${placeFor(m, 'VirtualService', 'istio/gateway.yaml')}: hosts에 ${SHOP_HOST}가 있는 VirtualService가 없습니다`,
          `${placeFor(m, 'VirtualService', 'istio/gateway.yaml')}: no VirtualService has ${SHOP_HOST} in its hosts`,
        ),
      );
    } else {
      const nb = first.binding.notBound[0]!;
      const names = gws.map((g) => `${g.ns}/${g.name}`).join(', ');
      if (nb.why === 'no-gateway') {
        const resolved = nb.refs.filter((x) => x !== 'mesh').map((x) => gatewayRef(x, nb.vs.ns));
        why.push(
          msg(
            `${at(nb.vs, ['spec', 'gateways'])}: VirtualService ${nb.vs.ns}/${nb.vs.name}의 gateways는 ${resolved.length ? resolved.join(', ') : '(없음: mesh 트래픽에만 적용)'}를 가리키는데, 인그레스 게이트웨이가 쓰는 Gateway는 ${names}입니다. 네임스페이스 없이 쓴 이름은 VirtualService 자신의 네임스페이스에서 찾습니다. istioctl analyze는 이것을 IST0101(Referenced gateway not found)로 알려 줍니다`,
            `${at(nb.vs, ['spec', 'gateways'])}: the gateways of VirtualService ${nb.vs.ns}/${nb.vs.name} name ${resolved.length ? resolved.join(', ') : '(none: it applies to mesh traffic only)'}, while the ingress gateway runs ${names}; a name without a namespace is looked up in the VirtualService's own namespace. istioctl analyze reports this as IST0101 (Referenced gateway not found)`,
          ),
        );
      } else if (nb.why === 'server-hosts') {
        why.push(
          msg(
            `${at(nb.vs, ['spec', 'gateways'])}: Gateway의 80번 포트 서버 hosts가 ${nb.vs.ns} 네임스페이스의 ${SHOP_HOST}를 받아들이지 않습니다`,
            `${at(nb.vs, ['spec', 'gateways'])}: the Gateway's port-80 server hosts do not admit ${SHOP_HOST} from namespace ${nb.vs.ns}`,
          ),
        );
      } else {
        why.push(
          msg(
            `${at(nb.vs, ['spec', 'exportTo'])}: exportTo가 ${ROOT_NAMESPACE}의 인그레스 게이트웨이에게 이 VirtualService를 보여 주지 않습니다`,
            `${at(nb.vs, ['spec', 'exportTo'])}: exportTo hides this VirtualService from the ingress gateway in ${ROOT_NAMESPACE}`,
          ),
        );
      }
    }
  } else if (first.result === '403 RBAC' && first.hop?.decision) {
    why.push(whyDenied(first.hop.decision, INGRESS_PEER.name));
  } else if (first.hop) {
    why.push(tlsWhy(first.hop.client, first.hop.server, first.hop.pod));
  }
  return partial('ingress', 3, [
    {
      ok: false,
      message: sentences([
        msg(
          `https://${SHOP_HOST}/ 로 온 요청 ${ingress.length}개의 결과(인그레스 게이트웨이의 접근 로그): ${counts(ingress)}. 모두 frontend가 200으로 답해야 합니다`,
          `${ingress.length} requests to https://${SHOP_HOST}/ ended as the ingress gateway logs them: ${counts(ingress)}. The frontend must answer them all with 200`,
        ),
        ...why,
      ]),
    },
  ]);
}

// ── subsets: 503 UH ───────────────────────────────────────────────────────────────────────────────────────────────

function checkSubsets({ m, ordinary, testers }: Traffic): CheckVerdict {
  const fe = frontendCaller(m);
  const subsets = subsetsFor(m, CHECKOUT, fe.caller);
  const podLabels = [...new Set(endpoints(m, CHECKOUT).map((p) => `${p.name}: ${showLabels(p.labels)}`))].join(' | ') || '(none)';
  const problems: Msg[] = [];
  for (const want of [STABLE, CANARY]) {
    const def = subsets.get(want);
    if (!def) {
      problems.push(
        msg(
          `${placeFor(m, 'DestinationRule', 'istio/traffic.yaml')}: ${CHECKOUT}의 DestinationRule에 subset "${want}"이 없습니다. 없는 subset으로 가는 요청은 503 NC(cluster_not_found)가 됩니다`,
          `${placeFor(m, 'DestinationRule', 'istio/traffic.yaml')}: no DestinationRule for ${CHECKOUT} defines subset "${want}"; requests sent to it end in 503 NC (cluster_not_found)`,
        ),
      );
      continue;
    }
    const where = at(def.dr, ['spec', 'subsets', def.index, 'labels']);
    const pods = endpoints(m, CHECKOUT, def.labels);
    const strangers = pods.filter((p) => versionOf(p) !== want);
    if (!pods.length)
      problems.push(
        msg(
          `${where}: subset "${want}"의 레이블(${showLabels(def.labels)})을 모두 가진 checkout Pod가 없어서, 이 subset의 클러스터(outbound|${PORT}|${want}|${CHECKOUT})에 엔드포인트가 없고 요청은 503 UH(no_healthy_upstream)가 됩니다. subset은 Service의 Pod 가운데 이 레이블을 모두 가진 Pod입니다 (Pod 레이블: ${podLabels})`,
          `${where}: no checkout Pod carries all of subset "${want}"'s labels (${showLabels(def.labels)}), so its cluster (outbound|${PORT}|${want}|${CHECKOUT}) has no endpoints and its requests end in 503 UH (no_healthy_upstream); a subset is the Service's Pods that carry all its labels (Pods: ${podLabels})`,
        ),
      );
    else if (strangers.length)
      problems.push(
        msg(
          `${where}: subset "${want}"의 레이블(${showLabels(def.labels)})이 ${[...new Set(strangers.map((p) => p.name))].join(', ')}의 Pod도 고릅니다. 버전을 구분하는 레이블을 남기세요`,
          `${where}: subset "${want}" (${showLabels(def.labels)}) selects the Pods of ${[...new Set(strangers.map((p) => p.name))].join(', ')} too; keep the label that tells the versions apart`,
        ),
      );
  }
  const broken = [...ordinary, ...testers].filter((l) => /^503 (UH|NC)$/.test(l.result));
  return partial('subsets', 3, [
    { ok: problems.length === 0, message: problems.length ? sentences(problems) : '' },
    {
      ok: broken.length === 0,
      message: broken.length
        ? msg(
            `frontend가 checkout에 보낸 요청 ${ordinary.length + testers.length}개 가운데 ${broken.length}개가 엔드포인트를 찾지 못했습니다(${counts(broken)})`,
            `${broken.length} of the frontend's ${ordinary.length + testers.length} calls to checkout found no endpoint (${counts(broken)})`,
          )
        : '',
    },
  ]);
}

// ── mtls: 503 URX / UF ────────────────────────────────────────────────────────────────────────────────────────────

function tlsWhy(client: ReturnType<typeof clientTls>, server: ReturnType<typeof peerMode>, pod: Pod): Msg {
  if (client.mode && client.mode !== 'ISTIO_MUTUAL' && client.from) {
    const level = client.from.path.includes('portLevelSettings')
      ? { ko: `포트 ${PORT} 설정`, en: `port ${PORT}'s setting` }
      : client.from.path.includes('subsets')
        ? { ko: 'subset의 설정', en: "the subset's own setting" }
        : { ko: 'trafficPolicy', en: 'the trafficPolicy' };
    const what =
      client.mode === 'DISABLE'
        ? {
            ko: `평문을 보내고, ${server.mode}인 ${pod.name}의 프록시는 상호 TLS가 아닌 연결을 끊습니다. 호출한 쪽 사이드카는 재시도하다가 503 URX(upstream_reset_before_response_started{connection_termination})를 남깁니다`,
            en: `it sends plain text, and ${pod.name}'s proxy (${server.mode}) drops any connection that is not mutual TLS; the caller's sidecar retries and logs 503 URX (upstream_reset_before_response_started{connection_termination})`,
          }
        : {
            ko: '메시의 인증서가 아닌 TLS를 보내 핸드셰이크가 실패하고 503 UF(TLS_error)가 됩니다',
            en: 'it sends TLS that is not the mesh identity, the handshake fails and the caller logs 503 UF (TLS_error)',
          };
    return msg(
      `${at(client.from.res, client.from.path)}: ${level.ko}이 tls.mode를 ${client.mode}로 정합니다. ${what.ko}. tls를 지워 자동 mTLS에 맡기거나 ISTIO_MUTUAL을 쓰세요`,
      `${at(client.from.res, client.from.path)}: ${level.en} sets tls.mode ${client.mode}: ${what.en}. Leave tls out (auto mTLS) or use ISTIO_MUTUAL`,
    );
  }
  return msg(
    `${server.from ? at(server.from.res, server.from.path) : ''}: ${pod.name}의 PeerAuthentication 모드가 ${server.mode}입니다`,
    `${server.from ? at(server.from.res, server.from.path) : ''}: ${pod.name} runs PeerAuthentication mode ${server.mode}`,
  );
}

function checkMtls({ m, ordinary, testers, ingress }: Traffic): CheckVerdict {
  // The server side: every Pod of the shop accepts only mutual TLS (a "fix" that accepts plain text does not count).
  const pods = [...endpoints(m, CHECKOUT), ...endpoints(m, FRONTEND_HOST)];
  const weak = pods.map((p) => ({ p, pm: peerMode(m, workloadOf(p), PORT) })).filter((x) => x.pm.mode !== 'STRICT');
  const serverMsg = (): Msg => {
    const { p, pm } = weak[0]!;
    if (!pm.from)
      return msg(
        `${placeFor(m, 'PeerAuthentication', 'istio/security.yaml')}: ${p.name}의 Pod에 적용되는 PeerAuthentication이 없어서 기본값 PERMISSIVE로 평문도 받습니다. 평문으로 보내는 쪽을 고쳐야지, 서버가 평문을 받게 하면 안 됩니다. ${NAMESPACE}는 STRICT여야 합니다`,
        `${placeFor(m, 'PeerAuthentication', 'istio/security.yaml')}: no PeerAuthentication applies to the Pods of ${p.name}, so they run with the default, PERMISSIVE, and accept plain text. Repair the side that sends plain text instead of letting the server accept it: ${NAMESPACE} stays STRICT`,
      );
    return msg(
      `${at(pm.from.res, pm.from.path)}: ${p.name}의 Pod가 ${pm.mode}로 동작해 상호 TLS가 아닌 연결도 받습니다. 평문으로 보내는 쪽을 고쳐야지, 서버가 평문을 받게 하면 안 됩니다. STRICT를 유지하세요`,
      `${at(pm.from.res, pm.from.path)}: the Pods of ${p.name} run with ${pm.mode} and accept connections that are not mutual TLS. Repair the side that sends plain text instead of letting the server accept it: keep STRICT`,
    );
  };
  const failing = [...ordinary, ...testers, ...ingress].filter((l) => /^503 (URX|UF|UC)$/.test(l.result));
  const fe = frontendCaller(m);
  const clientBad =
    [undefined, STABLE, CANARY].map((s) => clientTls(m, CHECKOUT, s, PORT, fe.caller)).find((t) => t.mode !== undefined && t.mode !== 'ISTIO_MUTUAL') ??
    [undefined].map(() => clientTls(m, FRONTEND_HOST, undefined, PORT, INGRESS)).find((t) => t.mode !== undefined && t.mode !== 'ISTIO_MUTUAL');
  const clientMsg = (): Msg => {
    const l = failing.find((x) => x.hop);
    if (l?.hop)
      return sentences([
        msg(
          `요청 ${failing.length}개가 TLS 단계에서 실패했습니다(${counts(failing)})`,
          `${failing.length} requests failed at the TLS step (${counts(failing)})`,
        ),
        tlsWhy(l.hop.client, l.hop.server, l.hop.pod),
      ]);
    return tlsWhy(clientBad!, { mode: 'STRICT' }, endpoints(m, CHECKOUT)[0] ?? ({ name: 'checkout' } as Pod));
  };
  return partial('mtls', 3, [
    { ok: weak.length === 0, message: weak.length ? serverMsg() : '' },
    { ok: failing.length === 0 && !clientBad, message: failing.length || clientBad ? clientMsg() : '' },
  ]);
}

// ── authz: 403 RBAC ───────────────────────────────────────────────────────────────────────────────────────────────

function checkAuthz({ m, ordinary, testers, requests }: Traffic): CheckVerdict {
  const fe = frontendCaller(m);
  // 1. deny by default: a workload no policy selects answers nobody.
  const other: Workload = { ns: NAMESPACE, labels: { app: '(any other workload)' }, name: { ko: `${NAMESPACE}의 워크로드`, en: `a workload in ${NAMESPACE}` } };
  const outsider = OTHER_PEERS[0]!;
  const ask = (p: Peer, r: { method: string; path: string }, host: string) => ({
    principal: p.principal,
    ns: p.ns,
    serviceAccount: p.serviceAccount,
    ip: p.ip,
    method: r.method,
    path: r.path,
    port: PORT,
    hosts: [host],
    headers: {},
  });
  const d0 = decide(m, other, ask(outsider, { method: 'GET', path: '/' }, fqdn('reports', NAMESPACE)));
  const denyByDefault = {
    ok: !d0.allowed,
    message: d0.allowed
      ? msg(
          `${placeFor(m, 'AuthorizationPolicy', 'istio/security.yaml')}: ${NAMESPACE}의 워크로드 가운데 정책이 고르지 않은 것이 ${outsider.name}를 포함해 누구에게나 답합니다. 기본 거부 정책(allow-nothing)을 지우거나 넓히지 말고, 필요한 호출만 허용하세요`,
          `${placeFor(m, 'AuthorizationPolicy', 'istio/security.yaml')}: a workload in ${NAMESPACE} that no policy selects answers anyone, ${outsider.name} included. Keep the deny-by-default policy (allow-nothing) and allow only the calls that are needed`,
        )
      : '',
  };
  // 2. the frontend's own calls reach checkout, on every Pod of both versions.
  const kinds = [...new Map([...requests.ordinary, ...requests.testers].map((r) => [`${r.method} ${r.path}`, r])).values()];
  let frontendDenied: { pod: Pod; r: SimRequest; d: Decision } | undefined;
  for (const pod of endpoints(m, CHECKOUT)) {
    for (const r of kinds) {
      const d = decide(m, workloadOf(pod), ask(fe.peer, r, CHECKOUT));
      if (!d.allowed && !frontendDenied) frontendDenied = { pod, r, d };
    }
  }
  const denied = [...ordinary, ...testers].filter((l) => l.result === '403 RBAC');
  const frontendPart = {
    ok: !frontendDenied && denied.length === 0,
    message: frontendDenied
      ? sentences([
          msg(
            `frontend가 ${frontendDenied.pod.name}에 보내는 ${frontendDenied.r.method} ${frontendDenied.r.path}는 403(RBAC: access denied)을 받습니다${denied.length ? ` (숨은 요청 가운데 ${denied.length}개)` : ' (지금은 앞 단계의 오류에 가려 있어도, 그 오류를 고치면 드러납니다)'}`,
            `the frontend's ${frontendDenied.r.method} ${frontendDenied.r.path} to ${frontendDenied.pod.name} gets 403 (RBAC: access denied)${denied.length ? ` (${denied.length} of the hidden requests)` : ' (hidden behind an earlier error for now, it shows once that is fixed)'}`,
          ),
          whyDenied(frontendDenied.d, fe.peer.name),
        ])
      : denied.length
        ? sentences([
            msg(
              `frontend가 checkout에 보낸 요청 가운데 ${denied.length}개가 403(RBAC: access denied)을 받았습니다. 요청이 상호 TLS 없이 도착해서 checkout의 프록시는 호출한 쪽의 principal을 알 수 없고, frontend의 principal을 요구하는 규칙은 맞을 수 없습니다`,
              `${denied.length} of the frontend's calls to checkout got 403 (RBAC: access denied): they arrive without mutual TLS, so checkout's proxy has no principal for the caller and no rule that asks for the frontend's principal can match`,
            ),
            ...(denied[0]?.hop?.decision ? [whyDenied(denied[0].hop.decision, fe.peer.name)] : []),
          ])
        : '',
  };
  // 3. nobody else: the usual suspects, whoever the policies name, and the ingress gateway (it calls the frontend only).
  const others = [...OTHER_PEERS, INGRESS_PEER, ...peersNamedBy(m)].filter((p) => p.principal !== fe.peer.principal);
  let let_in: { p: Peer; pod: Pod; r: SimRequest; d: Decision } | undefined;
  for (const pod of endpoints(m, CHECKOUT)) {
    for (const r of kinds) {
      for (const p of others) {
        const d = decide(m, workloadOf(pod), ask(p, r, CHECKOUT));
        if (d.allowed && !let_in) let_in = { p, pod, r, d };
      }
    }
  }
  for (const pod of endpoints(m, FRONTEND_HOST)) {
    for (const p of others.filter((x) => x.principal !== INGRESS_PEER.principal)) {
      const d = decide(m, workloadOf(pod), ask(p, { method: 'GET', path: '/' }, FRONTEND_HOST));
      if (d.allowed && !let_in) let_in = { p, pod, r: { method: 'GET', path: '/', headers: {}, port: PORT }, d };
    }
  }
  const othersPart = {
    ok: !let_in,
    message: let_in
      ? let_in.d.by.kind === 'allow'
        ? msg(
            `${at(let_in.d.by.res, ['spec', 'rules', let_in.d.by.rule])}: ${let_in.d.by.res.name}의 이 규칙이 ${let_in.p.name}에게도 ${let_in.pod.name} 호출(${let_in.r.method} ${let_in.r.path})을 허용합니다. 403을 없애려고 규칙을 넓히지 말고, 필요한 호출자와 요청만 허용하세요`,
            `${at(let_in.d.by.res, ['spec', 'rules', let_in.d.by.rule])}: this rule of ${let_in.d.by.res.name} lets ${let_in.p.name} call ${let_in.pod.name} too (${let_in.r.method} ${let_in.r.path}). Do not widen a rule to make a 403 go away: allow only the callers and requests that are needed`,
          )
        : msg(
            `${placeFor(m, 'AuthorizationPolicy', 'istio/security.yaml')}: ${let_in.pod.name}에 적용되는 ALLOW 정책이 없어서 ${let_in.p.name}도 호출할 수 있습니다`,
            `${placeFor(m, 'AuthorizationPolicy', 'istio/security.yaml')}: no ALLOW policy applies to ${let_in.pod.name}, so ${let_in.p.name} can call it too`,
          )
      : '',
  };
  return partial('authz', 3, [denyByDefault, frontendPart, othersPart]);
}

// ── still works: what the working mesh had ────────────────────────────────────────────────────────────────────────

function checkStillWorks({ m, requests }: Traffic): CheckVerdict {
  const fe = frontendCaller(m);
  const problems: Msg[] = [];
  // Both versions still run as they did: a 503 is not repaired by removing the canary.
  const want: [string, string, number, string][] = [
    ['checkout-v1', STABLE, 3, '2.3.2'],
    ['checkout-v2', CANARY, 1, '2.4.1'],
  ];
  for (const [name, version, replicas, tag] of want) {
    const pod = m.pods.find((p) => p.name === name);
    const image = pod ? str(get(arr(get(pod.res.value, ['spec', 'template', 'spec', 'containers']))[0], ['image'])) : undefined;
    if (!pod)
      problems.push(
        msg(
          `k8s/checkout.yaml: Deployment ${name}이 없습니다. 카나리를 지우는 것은 고치는 것이 아닙니다`,
          `k8s/checkout.yaml: Deployment ${name} is gone; removing the canary does not repair it`,
        ),
      );
    else if (pod.replicas !== replicas || versionOf(pod) !== version || !image?.endsWith(`:${tag}`))
      problems.push(
        msg(
          `${at(pod.res, ['spec'])}: ${name}은 ${tag} 이미지의 ${version} Pod ${replicas}개로 그대로여야 합니다 (지금 ${pod.replicas}개, version=${versionOf(pod)}, ${image ?? '이미지 없음'})`,
          `${at(pod.res, ['spec'])}: ${name} stays ${replicas} ${version} Pod(s) of image ${tag} (now ${pod.replicas}, version=${versionOf(pod)}, ${image ?? 'no image'})`,
        ),
      );
  }
  // The split the default route declares, and the testers' route.
  const { vs } = virtualServiceFor(m, CHECKOUT, fe.caller);
  if (!vs)
    problems.push(
      msg(
        `${placeFor(m, 'VirtualService', 'istio/traffic.yaml')}: frontend의 사이드카에 적용되는 ${CHECKOUT}의 VirtualService가 없어서 카나리 분할도, 테스터 경로도 없습니다`,
        `${placeFor(m, 'VirtualService', 'istio/traffic.yaml')}: no VirtualService for ${CHECKOUT} applies to the frontend's sidecar, so there is no canary split and no testers' route`,
      ),
    );
  else {
    const plain = requests.ordinary.find((r) => !r.headers['x-canary'])!;
    const o = outcome(m, CHECKOUT, plain, fe.caller);
    const share = o.route === null ? 0 : declaredShare(o, CANARY, m);
    const stable = o.route === null ? 0 : declaredShare(o, STABLE, m);
    if (Math.abs(share - 0.1) > 1e-9 || Math.abs(stable - 0.9) > 1e-9) {
      const where = o.route !== null && o.route >= 0 ? at(vs, ['spec', 'http', o.route]) : at(vs, ['spec', 'http']);
      problems.push(
        msg(
          `${where}: 일반 요청이 타는 경로가 ${STABLE}에 ${(stable * 100).toFixed(1)}%, ${CANARY}에 ${(share * 100).toFixed(1)}%를 보냅니다. 장애 전처럼 90/10이어야 합니다`,
          `${where}: the route ordinary requests take sends ${(stable * 100).toFixed(1)}% to ${STABLE} and ${(share * 100).toFixed(1)}% to ${CANARY}; it was 90/10 before the incident and stays so`,
        ),
      );
    }
    const tester = requests.testers[0]!;
    const t = outcome(m, CHECKOUT, tester, fe.caller);
    const toCanary = t.route !== null && !t.status && !t.abort && t.dests.length > 0 && t.dests.every((d) => d.subset === CANARY || d.share === 0);
    if (!toCanary)
      problems.push(
        msg(
          `${t.route !== null && t.route >= 0 ? at(vs, ['spec', 'http', t.route]) : at(vs, ['spec', 'http'])}: 테스터 요청(x-canary: always)이 모두 ${CANARY}로 가지 않습니다. 테스터 경로를 지키세요`,
          `${t.route !== null && t.route >= 0 ? at(vs, ['spec', 'http', t.route]) : at(vs, ['spec', 'http'])}: tester requests (x-canary: always) do not all go to ${CANARY}; keep the testers' route`,
        ),
      );
  }
  // The frontend keeps its own identity (the policies name it) and the shop keeps its front door.
  if (fe.caller.serviceAccount === 'default')
    problems.push(
      msg(
        `${placeFor(m, 'Deployment', 'k8s/frontend.yaml')}: frontend가 default 서비스 어카운트로 실행되면 정책이 다른 워크로드와 구별할 수 없습니다`,
        `${placeFor(m, 'Deployment', 'k8s/frontend.yaml')}: a frontend running as the default service account cannot be told apart from other workloads by the policies`,
      ),
    );
  const gwHosts = ingressGateways(m).flatMap((g) =>
    arr(get(g.value, ['spec', 'servers'])).flatMap((s) => arr(get(s, ['hosts'])).filter((h): h is string => typeof h === 'string')),
  );
  if (gwHosts.some((h) => h === '*' || h.endsWith('/*')))
    problems.push(
      msg(
        `${placeFor(m, 'Gateway', 'istio/gateway.yaml')}: Gateway가 모든 호스트(*)를 받습니다. 쇼핑몰의 호스트 ${SHOP_HOST}만 받으세요`,
        `${placeFor(m, 'Gateway', 'istio/gateway.yaml')}: the Gateway takes every host (*); take only the shop's host, ${SHOP_HOST}`,
      ),
    );
  return partial('still-works', 3, [{ ok: problems.length === 0, message: problems.length ? sentences(problems.slice(0, 3)) : '' }]);
}
