/**
 * Week 10: Istio canary routing with mutual TLS and authorization, graded from the files alone.
 * Every Istio resource is validated against Istio's own CRD schemas (schema.ts); then the grader works out what the
 * mesh would do with the resources — which VirtualService the frontend's sidecar uses, where 1,200 hidden requests
 * land with Envoy's semantics (routing.ts), what each workload accepts and what callers send, and which callers
 * Istio's authorization lets in (security.ts) — and grades that, not how the YAML is written.
 */
import { reporter, joinMsgs, partial, type CheckVerdict, type GradeContext, type GraderVerdict, type Msg, type Submission } from '../../../grader-kit/index';
import { get, isObj } from '../../../grader-kit/yamldocs';
import scenarios from './data/scenarios.json';
import {
  arr,
  at,
  endpoints,
  fqdn,
  labelsOf,
  load,
  msg,
  NAMESPACE,
  ROOT_NAMESPACE,
  sentences,
  showLabels,
  str,
  versionOf,
  type Model,
} from '../../../grader-kit/istio-model';
import { declaredShare, land, outcome, rng, subsetsFor, virtualServiceFor, type RouteOutcome, type SimRequest } from '../../../grader-kit/istio-routing';
import { ISTIO_SCHEMAS, ISTIO_SOURCE, resourceProblems as schemaProblems } from '../../../grader-kit/istio-schema';
import {
  clientTls,
  decide,
  FRONTEND_PEER,
  OTHER_PEERS,
  peerMode,
  peersNamedBy,
  type AuthzRequest,
  type Decision,
  type Peer,
  type Workload,
} from '../../../grader-kit/istio-security';

export { fqdn } from '../../../grader-kit/istio-model';
export { rng } from '../../../grader-kit/istio-routing';
export { ISTIO_SOURCE };

/** The files this lab reads; a submission without one of them is not gradable. */
const REQUIRED = ['istio/traffic.yaml', 'istio/security.yaml', 'k8s/checkout.yaml'];

const SERVICE = 'checkout';
const STABLE = 'v1';
const CANARY = 'v2';
const PORT = 8080;
const HOST = fqdn(SERVICE, NAMESPACE);

// ── schema ────────────────────────────────────────────────────────────────────────────────────────────────────────

// ── the hidden requests ───────────────────────────────────────────────────────────────────────────────────────────

type ScenarioSpec = { count: number; method: string; paths: string[]; headers?: Record<string, string> }[];
const SC = scenarios as unknown as { seed: number; sigmas: number; everyone: ScenarioSpec; testers: ScenarioSpec };

function expand(spec: ScenarioSpec): SimRequest[] {
  const out: SimRequest[] = [];
  for (const s of spec) {
    for (let i = 0; i < s.count; i++) {
      out.push({
        method: s.method,
        path: s.paths[i % s.paths.length]!,
        headers: Object.fromEntries(Object.entries(s.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
        port: PORT,
      });
    }
  }
  return out;
}

const showCounts = (c: Map<string, number>) =>
  [...c.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${/^\d{3}$/.test(k) ? `HTTP ${k}` : k} ${n}`)
    .join(', ');

const pct = (x: number) => `${(Math.round(x * 1000) / 10).toString()}%`;

/** How a VirtualService that does not apply to the frontend's traffic is explained. */
function whyNoVirtualService(m: Model): Msg {
  const { skipped } = virtualServiceFor(m, HOST);
  const g = skipped.find((s) => s.why === 'gateways');
  if (g) {
    const gw = arr(get(g.vs.value, ['spec', 'gateways'])).join(', ');
    return msg(
      `${at(g.vs, ['spec', 'gateways'])}: VirtualService ${g.vs.name}는 gateways(${gw})에만 붙어 있어서 사이드카 사이의 트래픽(메시 안의 frontend → ${SERVICE})에는 적용되지 않습니다. 메시 트래픽에도 적용하려면 gateways를 빼거나 "mesh"를 함께 적으세요`,
      `${at(g.vs, ['spec', 'gateways'])}: VirtualService ${g.vs.name} is bound to gateways (${gw}) only, so it does not apply to sidecar traffic (the frontend calling ${SERVICE} inside the mesh); leave gateways out, or list "mesh" too`,
    );
  }
  const e = skipped.find((s) => s.why === 'exportTo');
  if (e)
    return msg(
      `${at(e.vs, ['spec', 'exportTo'])}: VirtualService ${e.vs.name}의 exportTo가 ${NAMESPACE} 네임스페이스의 frontend에게 보이지 않게 합니다`,
      `${at(e.vs, ['spec', 'exportTo'])}: the exportTo of VirtualService ${e.vs.name} hides it from the frontend in namespace ${NAMESPACE}`,
    );
  const elsewhere = m.resources.find(
    (r) => r.kind === 'VirtualService' && arr(get(r.value, ['spec', 'hosts'])).some((h) => typeof h === 'string' && fqdn(h, NAMESPACE) === HOST),
  );
  if (elsewhere) {
    return msg(
      `${at(elsewhere, ['spec', 'hosts'])}: VirtualService ${elsewhere.name}는 네임스페이스 ${elsewhere.ns}에 있어서 짧은 호스트 이름이 ${fqdn(SERVICE, elsewhere.ns)}로 풀립니다. ${NAMESPACE}에 두거나 ${HOST}처럼 전체 이름을 쓰세요`,
      `${at(elsewhere, ['spec', 'hosts'])}: VirtualService ${elsewhere.name} is in namespace ${elsewhere.ns}, where the short host name means ${fqdn(SERVICE, elsewhere.ns)}; put it in ${NAMESPACE} or write the full name ${HOST}`,
    );
  }
  const where = placeFor(m, 'VirtualService', 'istio/traffic.yaml');
  return msg(`${where}: ${HOST}를 hosts에 둔 VirtualService가 없습니다`, `${where}: no VirtualService lists ${HOST} in its hosts`);
}

/** What a destination that answers an error instead of reaching Pods means, where it is written. */
function destError(o: RouteOutcome): Msg | null {
  for (const d of o.dests) {
    if (!d.error || !o.vs) continue;
    const where = at(o.vs, ['spec', 'http', o.route!, 'route', d.index, 'destination']);
    const ko = {
      'no-service': `${where}: 호스트 ${d.host}에 해당하는 Service가 없어서 요청이 503으로 끝납니다`,
      'no-port': `${where}: Service ${SERVICE}에는 이 destination이 가리키는 포트가 없어서(Service 포트: ${PORT}) 요청이 503으로 끝납니다`,
      'no-subset': `${where}: 이 호스트의 DestinationRule에 없는 subset("${d.subset}")을 가리켜서 요청이 503으로 끝납니다`,
      'no-pods': `${where}: 이 destination의 subset("${d.subset ?? '(없음)'}")에 맞는 파드가 없어서 요청이 503으로 끝납니다`,
    }[d.error.why];
    const en = {
      'no-service': `${where}: no Service is called ${d.host}, so these requests end in 503`,
      'no-port': `${where}: Service ${SERVICE} has no such port (its port is ${PORT}), so these requests end in 503`,
      'no-subset': `${where}: subset "${d.subset}" is not defined by a DestinationRule for the host, so these requests end in 503`,
      'no-pods': `${where}: no Pod matches subset "${d.subset ?? '(none)'}", so these requests end in 503`,
    }[d.error.why];
    return msg(ko, en);
  }
  if (o.abort && o.vs) {
    const where = at(o.vs, ['spec', 'http', o.route!, 'fault', 'abort']);
    return msg(
      `${where}: fault.abort 때문에 요청의 ${pct(o.abort.share)}가 ${o.abort.status} 오류로 끝납니다. 시험용 장애 주입이 남아 있습니다`,
      `${where}: fault.abort ends ${pct(o.abort.share)} of the requests with ${o.abort.status}; a fault injected for testing is still there`,
    );
  }
  if (o.status && o.vs)
    return msg(
      `${at(o.vs, ['spec', 'http', o.route!])}: 이 경로는 파드로 보내지 않고 ${o.status}로 답합니다`,
      `${at(o.vs, ['spec', 'http', o.route!])}: this route answers ${o.status} itself instead of reaching the Pods`,
    );
  return null;
}

// ── authorization helpers ─────────────────────────────────────────────────────────────────────────────────────────

const authzRequest = (p: Peer, r: { method: string; path: string }): AuthzRequest => ({
  principal: p.principal,
  ns: p.ns,
  serviceAccount: p.serviceAccount,
  ip: p.ip,
  method: r.method,
  path: r.path,
  port: PORT,
  hosts: [SERVICE, `${SERVICE}:${PORT}`, `${SERVICE}.${NAMESPACE}`, `${SERVICE}.${NAMESPACE}:${PORT}`, HOST, `${HOST}:${PORT}`],
  headers: {},
});

function whyDenied(d: Decision): Msg {
  const unknown = d.unknown.length ? [...new Set(d.unknown)] : [];
  const unk = unknown.length
    ? {
        ko: ` (채점기가 판단할 수 없는 조건 ${unknown.join(', ')}은 맞지 않는 것으로 봤습니다)`,
        en: ` (conditions the grader cannot evaluate, ${unknown.join(', ')}, count as not matching)`,
      }
    : { ko: '', en: '' };
  if (d.by.kind === 'deny') {
    return msg(
      `${at(d.by.res, ['spec', 'rules', d.by.rule])}: DENY 정책 ${d.by.res.name}의 규칙이 이 요청에 맞습니다. DENY는 어떤 ALLOW보다 먼저 적용됩니다${unk.ko}`,
      `${at(d.by.res, ['spec', 'rules', d.by.rule])}: a rule of DENY policy ${d.by.res.name} matches it, and a DENY wins over any ALLOW${unk.en}`,
    );
  }
  if (d.by.kind === 'no-allow') {
    const list = d.by.policies.map((p) => `${p.name} (${at(p, ['spec'])}${arr(get(p.value, ['spec', 'rules'])).length ? '' : ', no rules'})`).join(', ');
    const spiffe = d.by.policies.flatMap((p) => JSON.stringify(p.value).match(/spiffe:\/\/[^"]*/g) ?? []);
    const hintKo = spiffe.length
      ? ` principals에는 spiffe:// 없이 cluster.local/ns/NS/sa/SA 형식을 씁니다("${spiffe[0]}"는 어떤 호출자와도 맞지 않습니다)`
      : '';
    const hintEn = spiffe.length ? ` Principals are written without spiffe:// (cluster.local/ns/NS/sa/SA); "${spiffe[0]}" matches no caller.` : '';
    return msg(
      `${SERVICE}에 적용되는 ALLOW 정책(${list}) 중 이 요청에 맞는 것이 없습니다.${hintKo}${unk.ko}`,
      `no ALLOW policy that applies to ${SERVICE} (${list}) matches it.${hintEn}${unk.en}`,
    );
  }
  return msg('', '');
}

/** Where to point when something is missing: the first resource of a kind, else the first resource of the file. */
function placeFor(m: Model, kind: string, file: string): string {
  const r = m.resources.find((x) => x.kind === kind && x.file === file) ?? m.resources.find((x) => x.kind === kind) ?? m.resources.find((x) => x.file === file);
  return r ? at(r) : `${file}:1`;
}

// ── the checks ────────────────────────────────────────────────────────────────────────────────────────────────────

/** What the checks share: the model, the hidden requests, the VirtualService and subsets for checkout. */
function observe(m: Model) {
  const everyone = expand(SC.everyone);
  const testers = expand(SC.testers);
  const { vs } = virtualServiceFor(m, HOST);
  const subsets = subsetsFor(m, HOST);
  const firstDr = m.resources.find((r) => r.kind === 'DestinationRule');
  return { m, everyone, testers, vs, subsets, firstDr };
}

/** ... and what the mesh does with the ordinary requests (worked out after the checks that do not need it). */
function withTraffic(base: ReturnType<typeof observe>) {
  const { m, everyone } = base;
  // The outcome of a request depends only on what it carries: work it out once per distinct request.
  const memo = new Map<string, RouteOutcome>();
  const outcomeOf = (r: SimRequest) => {
    const key = JSON.stringify([r.method, r.path, r.port, Object.entries(r.headers).sort()]);
    let o = memo.get(key);
    if (!o) memo.set(key, (o = outcome(m, HOST, r)));
    return o;
  };
  const ordinary = new Map<string, { o: RouteOutcome; n: number; example: SimRequest }>();
  const outcomes = everyone.map((r) => {
    const o = outcomeOf(r);
    const key = `${o.vs ? `${o.vs.file}#${o.vs.name}` : '-'}:${o.route}`;
    const e = ordinary.get(key) ?? { o, n: 0, example: r };
    e.n++;
    ordinary.set(key, e);
    return o;
  });

  // The default route: the one most ordinary requests take. Ordinary requests that another route catches (a header
  // match that is too wide) are the routing check's business, not a matter of weights.
  const mainRoute = [...ordinary.values()].sort((x, y) => y.n - x.n)[0];
  return { ...base, outcomeOf, ordinary, outcomes, mainRoute };
}
type Seen = ReturnType<typeof withTraffic>;

export async function grade(sub: Submission, ctx?: GradeContext): Promise<GraderVerdict> {
  const m = load(sub, { required: REQUIRED, kinds: ['VirtualService', 'DestinationRule'] });
  const { checks, report } = reporter(ctx);
  // In the order the work is done, so that a grader stopped midway keeps the checks it finished.
  report(checkSchema(m));
  const base = observe(m);
  report(checkSubsets(base));
  const seen = withTraffic(base);
  for (const check of [checkWeights, checkRouting, checkMtls, checkAuthz]) report(check(seen));
  return { gradable: true, checks };
}

/** schema: every Istio resource valid against Istio's CRD schema at networking/security.istio.io/v1. */
function checkSchema(m: Model): CheckVerdict {
  const istio = m.resources.filter((r) => r.kind in ISTIO_SCHEMAS.kinds);
  return partial(
    'schema',
    3,
    istio.map((r) => {
      const p = schemaProblems(r);
      const shown = p.slice(0, 3);
      if (p.length > 3) shown.push(msg(`(외 ${p.length - 3}건)`, `(and ${p.length - 3} more)`));
      return { ok: p.length === 0, message: shown.length ? joinMsgs(shown) : '' };
    }),
  );
}

/** subsets: every subset a route names exists; v1 and v2 each reach their version's Pods, and only those. */
function checkSubsets({ m, vs, subsets, firstDr }: ReturnType<typeof observe>): CheckVerdict {
  const named: { subset: string; where: string }[] = [];
  const routesOf = vs
    ? [vs]
    : m.resources.filter(
        (r) => r.kind === 'VirtualService' && arr(get(r.value, ['spec', 'hosts'])).some((h) => typeof h === 'string' && fqdn(h, r.ns) === HOST),
      );
  for (const v of routesOf) {
    arr(get(v.value, ['spec', 'http'])).forEach((h, i) =>
      arr(isObj(h) ? h.route : undefined).forEach((d, j) => {
        const s = str(get(d, ['destination', 'subset']));
        if (s && fqdn(str(get(d, ['destination', 'host'])) ?? '', v.ns) === HOST)
          named.push({ subset: s, where: at(v, ['spec', 'http', i, 'route', j, 'destination', 'subset']) });
      }),
    );
  }
  const missing = named.filter((n) => !subsets.has(n.subset));
  const defined = [...subsets.keys()].join(', ') || (firstDr ? '없음' : '없음');
  const podLabels = [...new Set(endpoints(m, HOST).map((p) => `${p.name}: ${showLabels(p.labels)}`))].join(' | ') || '(none)';
  const versionProblems: { ko: string; en: string }[] = [];
  for (const want of [STABLE, CANARY]) {
    const def = subsets.get(want);
    if (!def) {
      versionProblems.push({
        ko: `${HOST}의 DestinationRule에 subset "${want}" 정의가 없습니다 (있는 subset: ${defined})`,
        en: `subset "${want}" is not defined by a DestinationRule for ${HOST} (defined: ${[...subsets.keys()].join(', ') || 'none'})`,
      });
      continue;
    }
    const where = at(def.dr, ['spec', 'subsets', def.index, 'labels']);
    const pods = endpoints(m, HOST, def.labels);
    const strangers = pods.filter((p) => versionOf(p) !== want);
    if (!pods.length)
      versionProblems.push({
        ko: `${where}: subset "${want}"의 레이블(${showLabels(def.labels)})을 가진 ${SERVICE} 파드가 없어서 이 subset으로 가는 요청은 503이 됩니다 (파드 레이블: ${podLabels})`,
        en: `${where}: subset "${want}" selects ${showLabels(def.labels)}, which no ${SERVICE} Pod carries, so its requests end in 503 (Pods: ${podLabels})`,
      });
    else if (strangers.length)
      versionProblems.push({
        ko: `${where}: subset "${want}"의 레이블(${showLabels(def.labels)})이 ${[...new Set(strangers.map((p) => p.name))].join(', ')}의 파드도 고릅니다. subset은 Service의 파드 가운데 이 레이블을 모두 가진 파드이므로, 버전을 구분하는 레이블을 넣으세요`,
        en: `${where}: subset "${want}" selects ${showLabels(def.labels)}, which the Pods of ${[...new Set(strangers.map((p) => p.name))].join(', ')} carry too; a subset is the Service's Pods that carry all its labels, so include the label that tells the versions apart`,
      });
  }
  const vsWhere = vs ? at(vs, ['spec', 'http']) : placeFor(m, 'VirtualService', 'istio/traffic.yaml');
  return partial('subsets', 3, [
    {
      ok: missing.length === 0 && named.length > 0,
      message:
        named.length === 0
          ? msg(
              `${vsWhere}: VirtualService가 subset을 하나도 가리키지 않습니다. 버전별로 나누려면 destination마다 subset을 지정해야 합니다.`,
              `${vsWhere}: the VirtualService names no subset, so nothing is split by version; give each destination a subset.`,
            )
          : msg(
              `${missing.map((x) => `${x.where}: subset "${x.subset}"`).join('; ')} — ${HOST}의 DestinationRule에 정의되지 않은 subset입니다 (있는 subset: ${defined}). 없는 subset으로 가는 요청은 503이 됩니다.`,
              `${missing.map((x) => `${x.where}: subset "${x.subset}"`).join('; ')} is not defined by a DestinationRule for ${HOST} (defined: ${[...subsets.keys()].join(', ') || 'none'}); requests sent to it end in 503.`,
            ),
    },
    { ok: versionProblems.length === 0, message: msg(versionProblems.map((p) => p.ko).join('; ') + '.', versionProblems.map((p) => p.en).join('; ') + '.') },
  ]);
}

/** weights: the split the default route declares (weights relative to their sum), 90/10. */
function checkWeights({ m, vs, mainRoute }: Seen): CheckVerdict {
  const parts: { ok: boolean; message: Msg }[] = [];
  if (!vs)
    parts.push({
      ok: false,
      message: sentences([
        whyNoVirtualService(m),
        msg(
          '이때 요청은 가중치 없이 Service의 파드 전체에 replicas 비율로 나뉩니다.',
          "Requests then spread over all the Service's Pods by replicas, with no weights at all.",
        ),
      ]),
    });
  else {
    const wrong: Msg[] = [];
    // The default route: the one most ordinary requests take. Ordinary requests caught by another route (a header
    // match that is too wide) are the routing check's business, not a matter of weights.
    for (const { o, n } of mainRoute ? [mainRoute] : []) {
      if (o.route === null) {
        wrong.push(
          msg(
            `${at(vs, ['spec', 'http'])}: 일반 요청 ${n}개가 어떤 경로에도 맞지 않아 404가 됩니다. match가 없는 기본 경로를 마지막에 두세요`,
            `${at(vs, ['spec', 'http'])}: ${n} ordinary requests match no route and get 404; end with a default route without match`,
          ),
        );
        continue;
      }
      if (o.status || !o.dests.length) continue; // routing reports it
      const share = (s: string) => o.dests.filter((d) => d.subset === s).reduce((a, d) => a + d.share, 0);
      const v1 = share(STABLE);
      const v2 = share(CANARY);
      if (Math.abs(v1 - 0.9) < 1e-9 && Math.abs(v2 - 0.1) < 1e-9) continue;
      const declared = o.dests.map((d) => `${d.subset ?? '(no subset)'} ${d.weight}`).join(', ');
      const where = at(vs, ['spec', 'http', o.route, 'route']);
      const strays = [...new Set(o.dests.filter((d) => d.subset !== STABLE && d.subset !== CANARY && d.share > 0).map((d) => d.subset ?? '(no subset)'))];
      const named = strays.filter((x) => x !== '(no subset)');
      const strayKo =
        (strays.includes('(no subset)') ? ' subset이 없는 destination은 버전을 가리지 않고 Service의 모든 파드로 갑니다.' : '') +
        (named.length
          ? ` 나머지는 ${named.map((x) => `"${x}"`).join(', ')} 쪽으로 가는데, 이는 subset ${STABLE}도 ${CANARY}도 아닙니다(subset 이름은 대소문자까지 같아야 합니다).`
          : '');
      const strayEn =
        (strays.includes('(no subset)') ? " A destination without a subset goes to all the Service's Pods, whatever their version." : '') +
        (named.length
          ? ` The rest goes to ${named.map((x) => `"${x}"`).join(', ')}, which is neither subset ${STABLE} nor ${CANARY} (subset names are case-sensitive).`
          : '');
      wrong.push(
        msg(
          `${where}: 일반 요청이 타는 이 경로의 가중치(${declared})대로라면 ${STABLE}에 ${pct(v1)}, ${CANARY}에 ${pct(v2)}가 갑니다(각 destination은 가중치 ÷ 가중치 합만큼 받습니다).${strayKo} 과제는 ${STABLE} 90%, ${CANARY} 10%입니다`,
          `${where}: this route, which ordinary requests take, declares ${declared}, so it sends ${pct(v1)} to ${STABLE} and ${pct(v2)} to ${CANARY} (each destination gets its weight ÷ the sum of the weights).${strayEn} The task is ${STABLE} 90%, ${CANARY} 10%`,
        ),
      );
    }
    parts.push({ ok: wrong.length === 0, message: wrong.length ? sentences(wrong.slice(0, 2)) : '' });
  }
  return partial('weights', 2, parts);
}

/** routing: the hidden requests through the rules; ordinary ones land where the rules declare, testers on the canary. */
function checkRouting({ m, everyone, testers, vs, outcomeOf, ordinary, outcomes, mainRoute }: Seen): CheckVerdict {
  const randA = rng(SC.seed);
  const a = new Map<string, number>();
  for (const o of outcomes) {
    const k = land(o, randA);
    a.set(k, (a.get(k) ?? 0) + 1);
  }
  const randB = rng(SC.seed + 1);
  const b = new Map<string, number>();
  const testerOutcomes = testers.map(outcomeOf);
  for (const o of testerOutcomes) {
    const k = land(o, randB);
    b.set(k, (b.get(k) ?? 0) + 1);
  }
  const n = everyone.length;
  // Every ordinary request should be split as the default route declares (a subset counting as its name's version);
  // the binomial spread around that.
  const p0 = mainRoute ? declaredShare(mainRoute.o, CANARY, m) : 0;
  const ps = outcomes.map(() => p0);
  const expected = ps.reduce((s, p) => s + p, 0);
  const sd = Math.sqrt(ps.reduce((s, p) => s + p * (1 - p), 0));
  const tol = Math.max(1, Math.round(SC.sigmas * sd));
  const canaryN = a.get(CANARY) ?? 0;
  const stableN = a.get(STABLE) ?? 0;
  const errors = [...a.keys()].filter((k) => k !== STABLE && k !== CANARY);
  // Without a VirtualService for mesh traffic nothing splits the requests by the rules, whatever the counts say.
  const okA = !!vs && errors.length === 0 && stableN + canaryN === n && Math.abs(canaryN - expected) <= tol;
  const okB = (b.get(CANARY) ?? 0) === testers.length;
  const reasons: Msg[] = [];
  if (!vs) reasons.push(whyNoVirtualService(m));
  for (const g of ordinary.values()) {
    const e = destError(g.o);
    if (e) reasons.push(e);
    if (vs && g !== mainRoute && g.o.route !== null) {
      const ex = `${g.example.method} ${g.example.path}${Object.entries(g.example.headers)
        .map(([k, v]) => `, ${k}: ${v}`)
        .join('')}`;
      reasons.push(
        msg(
          `${at(vs, ['spec', 'http', g.o.route, 'match'])}: 일반 요청 ${g.n}개(예: ${ex})도 이 경로에 맞아서 기본 경로로 가지 않습니다. 테스터(x-canary: always)만 맞도록 match를 좁히세요`,
          `${at(vs, ['spec', 'http', g.o.route, 'match'])}: ${g.n} ordinary requests (e.g. ${ex}) match this route too, so they skip the default route; narrow the match to the testers (x-canary: always)`,
        ),
      );
    }
  }
  if (!reasons.length && errors.length === 0 && !okA) {
    const mixed = mainRoute?.o.dests.find((d) => d.subset !== undefined && d.pods.some((p) => versionOf(p) !== d.subset));
    const where =
      mixed && vs && mainRoute!.o.route !== null
        ? `${at(vs, ['spec', 'http', mainRoute!.o.route!, 'route', mixed.index, 'destination', 'subset'])}: `
        : `${placeFor(m, 'VirtualService', 'istio/traffic.yaml')}: `;
    const strangers = mixed ? [...new Set(mixed.pods.filter((p) => versionOf(p) !== mixed.subset).map((p) => p.name))].join(', ') : '';
    reasons.push(
      msg(
        `${where}기본 경로의 선언대로라면 ${CANARY}에 약 ${Math.round(expected)}개(±${tol})가 가야 하는데 ${canaryN}개가 갔습니다. ${mixed ? `subset "${mixed.subset}"이 ${strangers}의 파드에도 닿습니다` : 'subset의 레이블이 그 버전의 파드만 고르는지 확인하세요'}`,
        `${where}your default route declares about ${Math.round(expected)} (±${tol}) for ${CANARY}, and ${canaryN} went there; ${mixed ? `subset "${mixed.subset}" reaches the Pods of ${strangers} too` : "check that each subset's labels select only that version's Pods"}`,
      ),
    );
  }
  const testerWhy: Msg[] = [];
  if (!okB) {
    const t =
      testerOutcomes.find((o) => o.route !== null && !(o.dests.length === 1 && o.dests[0]!.subset === CANARY && !o.dests[0]!.error)) ?? testerOutcomes[0]!;
    if (!vs) testerWhy.push(whyNoVirtualService(m));
    else if (t.route === null)
      testerWhy.push(
        msg(`${at(vs, ['spec', 'http'])}: 테스터 요청이 어떤 경로에도 맞지 않습니다`, `${at(vs, ['spec', 'http'])}: tester requests match no route`),
      );
    else
      testerWhy.push(
        msg(
          `${at(vs, ['spec', 'http', t.route])}: 테스터 요청이 이 경로를 탑니다. 경로는 위에서부터 검사되고 처음 맞는 것이 이깁니다`,
          `${at(vs, ['spec', 'http', t.route])}: tester requests take this route; routes are tried from the top and the first that matches wins`,
        ),
      );
    const e = destError(t);
    if (e) testerWhy.push(e);
  }
  const reasonKo = reasons.length ? ` ${reasons.map((r) => (typeof r === 'string' ? r : r.ko)).join('. ')}.` : '';
  const cap = (x: string) => (/^[\w./-]+:\d+/.test(x) ? x : x.charAt(0).toUpperCase() + x.slice(1));
  const reasonEn = reasons.length ? ` ${reasons.map((r) => cap(typeof r === 'string' ? r : r.en)).join('. ')}.` : '';
  return partial('routing', 3, [
    {
      ok: okA,
      message: msg(
        `일반 요청 ${n}개를 여러분의 규칙대로 보낸 결과: ${showCounts(a)}. 모두 ${SERVICE} 파드(${STABLE} 또는 ${CANARY})에 닿고, 기본 경로가 선언한 비율(${CANARY} 약 ${Math.round(expected)}개 ±${tol})대로 나뉘어야 합니다.${reasonKo}`,
        `${n} ordinary requests sent through your rules went: ${showCounts(a)}. All must reach ${SERVICE} Pods (${STABLE} or ${CANARY}), split as your default route declares (about ${Math.round(expected)} ±${tol} to ${CANARY}).${reasonEn}`,
      ),
    },
    {
      ok: okB,
      message: msg(
        `테스터 요청(x-canary: always) ${testers.length}개의 결과: ${showCounts(b)}. 모두 ${CANARY}로 가야 합니다. ${testerWhy.map((r) => (typeof r === 'string' ? r : r.ko)).join('. ')}.`,
        `${testers.length} tester requests (x-canary: always) went: ${showCounts(b)}. All must reach ${CANARY}. ${testerWhy.map((r) => (typeof r === 'string' ? r : r.en)).join('. ')}.`,
      ),
    },
  ]);
}

/** mtls: every workload in shop accepts only mTLS on its port; callers of checkout send mTLS (ISTIO_MUTUAL or auto). */
function checkMtls({ m }: Seen): CheckVerdict {
  const checkoutPods = endpoints(m, HOST);
  const workloads: Workload[] = [
    { ns: NAMESPACE, labels: { app: '(any other workload)' }, name: { ko: `${NAMESPACE}의 워크로드`, en: `the workloads of ${NAMESPACE}` } },
    ...checkoutPods.map((p) => ({ ns: p.ns, labels: p.labels, name: { ko: `${p.name}의 파드`, en: `the Pods of ${p.name}` } })),
  ];
  const weak = workloads.map((w) => ({ w, pm: peerMode(m, w, PORT) })).filter((x) => x.pm.mode !== 'STRICT');
  const serverMsg = (): Msg => {
    const { w, pm } = weak[0]!;
    if (!pm.from) {
      return msg(
        `${placeFor(m, 'PeerAuthentication', 'istio/security.yaml')}: ${w.name.ko}에 적용되는 PeerAuthentication이 없어서 기본값 PERMISSIVE(평문도 받음)로 동작합니다. ${NAMESPACE} 네임스페이스 전체(또는 ${ROOT_NAMESPACE}에서 메시 전체)에 STRICT를 두세요.`,
        `${placeFor(m, 'PeerAuthentication', 'istio/security.yaml')}: no PeerAuthentication applies to ${w.name.en}, so they run with the default, PERMISSIVE (plain text accepted); set STRICT for the whole ${NAMESPACE} namespace (or the whole mesh, in ${ROOT_NAMESPACE}).`,
      );
    }
    const port = pm.from.path.includes('portLevelMtls');
    return msg(
      `${at(pm.from.res, pm.from.path)}: ${w.name.ko}${port ? `(포트 ${PORT})` : ''}에 적용되는 모드가 ${pm.mode}입니다. ${port ? '포트별 설정이 정책 전체의 모드를 덮어씁니다. ' : ''}${Object.keys(labelsOf(get(pm.from.res.value, ['spec', 'selector', 'matchLabels']))).length ? '워크로드 selector가 있는 정책은 네임스페이스 정책보다 우선합니다. ' : ''}상호 TLS만 받으려면 STRICT여야 합니다.`,
      `${at(pm.from.res, pm.from.path)}: ${w.name.en}${port ? ` on port ${PORT}` : ''} run with ${pm.mode}. ${port ? "A port-level setting overrides the policy's mode. " : ''}${Object.keys(labelsOf(get(pm.from.res.value, ['spec', 'selector', 'matchLabels']))).length ? 'A policy with a workload selector takes precedence over the namespace one. ' : ''}Accepting only mutual TLS takes STRICT.`,
    );
  };
  const clientBad = [undefined, STABLE, CANARY]
    .map((s) => ({ s, t: clientTls(m, HOST, s, PORT) }))
    .filter((x) => x.t.mode !== undefined && x.t.mode !== 'ISTIO_MUTUAL');
  const clientMsg = (): Msg => {
    const { s, t } = clientBad[0]!;
    const what = s ? `subset ${s}` : HOST;
    const level = t.from!.path.includes('portLevelSettings')
      ? { ko: `포트 ${PORT}의 설정이 `, en: `a port-level setting (port ${PORT}) ` }
      : t.from!.path.includes('subsets')
        ? { ko: 'subset의 설정이 ', en: "the subset's own setting " }
        : { ko: '', en: '' };
    return msg(
      `${at(t.from!.res, t.from!.path)}: ${level.ko}${what}로 가는 트래픽의 tls.mode를 ${t.mode}로 정합니다. ${t.mode === 'DISABLE' ? '평문으로 보내므로 STRICT인 서버가 거부합니다' : t.mode === 'SIMPLE' ? '클라이언트 인증서 없이 보내므로 상호 TLS가 아닙니다' : '직접 준 인증서를 쓰므로 메시의 신원이 아닙니다'}. tls를 지워 자동 mTLS에 맡기거나 ISTIO_MUTUAL을 쓰세요.`,
      `${at(t.from!.res, t.from!.path)}: ${level.en ? `${level.en}sets tls.mode ${t.mode} for` : `tls.mode is ${t.mode} for`} traffic to ${what}, ${t.mode === 'DISABLE' ? 'plain text, which a STRICT server refuses' : t.mode === 'SIMPLE' ? 'TLS without a client certificate, so not mutual' : 'with certificates you provide, not the mesh identity'}; leave tls out (auto mTLS) or use ISTIO_MUTUAL.`,
    );
  };
  return partial('mtls', 2, [
    { ok: weak.length === 0, message: weak.length ? serverMsg() : '' },
    { ok: clientBad.length === 0, message: clientBad.length ? clientMsg() : '' },
  ]);
}

/** authz: deny by default in shop; checkout answers the frontend's requests and nobody else's. */
function checkAuthz({ m, everyone, testers }: Seen): CheckVerdict {
  const requests = [
    ...new Map(
      [...everyone, ...testers].filter((r) => r.path.startsWith('/api/')).map((r) => [`${r.method} ${r.path}`, { method: r.method, path: r.path }]),
    ).values(),
  ];
  const other: Workload = { ns: NAMESPACE, labels: { app: '(any other workload)' }, name: { ko: `${NAMESPACE}의 워크로드`, en: `a workload in ${NAMESPACE}` } };
  const outsider = OTHER_PEERS[0]!;
  const d0 = decide(m, other, authzRequest(outsider, { method: 'GET', path: '/' }));
  const denyByDefault: { ok: boolean; message: Msg } = { ok: !d0.allowed, message: '' };
  if (d0.allowed) {
    denyByDefault.message =
      d0.by.kind === 'allow'
        ? msg(
            `${at(d0.by.res, ['spec', 'rules', d0.by.rule])}: 네임스페이스 전체에 적용되는 ALLOW 정책 ${d0.by.res.name}의 이 규칙이 ${outsider.name}에게 ${NAMESPACE}의 아무 워크로드나 호출하게 해 줍니다. 기본 거부가 되려면 다른 정책이 허용하지 않은 호출은 거부되어야 합니다.`,
            `${at(d0.by.res, ['spec', 'rules', d0.by.rule])}: this rule of ALLOW policy ${d0.by.res.name}, which applies to the whole namespace, lets ${outsider.name} call any workload in ${NAMESPACE}; deny-by-default means a call no policy allows is refused.`,
          )
        : msg(
            `${placeFor(m, 'AuthorizationPolicy', 'istio/security.yaml')}: ${NAMESPACE}의 워크로드 가운데 정책이 고르지 않은 것은 아무에게나 응답합니다. 네임스페이스 전체(또는 ${ROOT_NAMESPACE}에서 메시 전체)에 적용되는 기본 거부 정책이 없습니다. 규칙이 없는 ALLOW 정책은 아무것도 허용하지 않습니다.`,
            `${placeFor(m, 'AuthorizationPolicy', 'istio/security.yaml')}: a workload in ${NAMESPACE} that no policy selects still answers anyone: there is no deny-by-default policy for the whole namespace (or the whole mesh, in ${ROOT_NAMESPACE}). An ALLOW policy without rules allows nothing.`,
          );
  }
  const checkoutWorkloads: Workload[] = endpoints(m, HOST).map((p) => ({ ns: p.ns, labels: p.labels, name: { ko: p.name, en: p.name } }));
  if (!checkoutWorkloads.length) checkoutWorkloads.push({ ns: NAMESPACE, labels: { app: SERVICE }, name: { ko: SERVICE, en: SERVICE } });
  const others = [...OTHER_PEERS, ...peersNamedBy(m).filter((p) => !OTHER_PEERS.some((o) => o.principal === p.principal && o.ip === p.ip))];
  let frontendDenied: { w: Workload; r: { method: string; path: string }; d: Decision } | undefined;
  let otherAllowed: { w: Workload; p: Peer; r: { method: string; path: string }; d: Decision } | undefined;
  for (const w of checkoutWorkloads) {
    for (const r of requests) {
      const d = decide(m, w, authzRequest(FRONTEND_PEER, r));
      if (!d.allowed && !frontendDenied) frontendDenied = { w, r, d };
      for (const p of others) {
        const o = decide(m, w, authzRequest(p, r));
        if (o.allowed && !otherAllowed) otherAllowed = { w, p, r, d: o };
      }
    }
  }
  const parts: Msg[] = [];
  if (otherAllowed) {
    const { p, r, d } = otherAllowed;
    parts.push(
      d.by.kind === 'allow'
        ? msg(
            `${at(d.by.res, ['spec', 'rules', d.by.rule])}: ${d.by.res.name}의 이 규칙이 ${p.name}에게도 ${SERVICE} 호출(${r.method} ${r.path})을 허용합니다. frontend의 신원만 허용하세요`,
            `${at(d.by.res, ['spec', 'rules', d.by.rule])}: this rule of ${d.by.res.name} lets ${p.name} call ${SERVICE} too (${r.method} ${r.path}); allow only the frontend's identity`,
          )
        : msg(
            `${placeFor(m, 'AuthorizationPolicy', 'istio/security.yaml')}: ${SERVICE}에 적용되는 ALLOW 정책이 없어서 ${p.name}를 포함해 누구나 호출할 수 있습니다`,
            `${placeFor(m, 'AuthorizationPolicy', 'istio/security.yaml')}: no ALLOW policy applies to ${SERVICE}, so anyone, ${p.name} included, can call it`,
          ),
    );
  }
  if (frontendDenied) {
    const { r, d } = frontendDenied;
    const why = whyDenied(d);
    parts.push(
      msg(
        `frontend(${FRONTEND_PEER.principal})가 ${SERVICE}에 ${r.method} ${r.path}를 보내면 403을 받습니다. ${typeof why === 'string' ? why : why.ko}`,
        `the frontend (${FRONTEND_PEER.principal}) gets 403 for ${r.method} ${r.path} to ${SERVICE}: ${typeof why === 'string' ? why : why.en}`,
      ),
    );
  }
  return partial('authz', 2, [denyByDefault, { ok: parts.length === 0, message: parts.length ? sentences(parts) : '' }]);
}
