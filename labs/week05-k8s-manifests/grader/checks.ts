/**
 * Week 5 grader: Kubernetes manifests for a web app, read statically. Every document is validated against the
 * Kubernetes API schemas (kubernetes-models), then the objects are cross-checked the way they would meet in a
 * cluster: selectors against pod labels, Service ports against container ports, probes against the container's port,
 * resources, image tags and replicas. Nothing the learner wrote is run.
 */
import { NotGradable, partial, pass, fail, type CheckVerdict, type GraderVerdict, type Submission } from '../../../grader-kit/index';
import { readKustomization, type Kustomization } from './kustomize';
import {
  containerPorts,
  containers,
  fmtLabels,
  labelsAt,
  objectsOf,
  portList,
  portMatches,
  POD_SPEC,
  selects,
  splitImage,
  summarise,
  type ContainerRef,
  type Finding,
  type K8sObject,
} from '../../../grader-kit/k8s-objects';
import { compareQuantity, formatQuantity, parseQuantity } from '../../../grader-kit/k8s-quantity';
import { validateObject } from './schema';
import { isObj, parseYamlFile, type Json, type Obj, type PathPart, type YamlDoc } from '../../../grader-kit/yamldocs';

export { splitImage };

export const DEPLOYMENT_FILE = 'k8s/deployment.yaml';
export const SERVICE_FILE = 'k8s/service.yaml';
const KUSTOMIZATION_FILES = ['k8s/kustomization.yaml', 'k8s/kustomization.yml'];

interface Model {
  objects: K8sObject[];
  deployments: K8sObject[];
  services: K8sObject[];
  kustomization: Kustomization | null;
  /** Documents that are not Kubernetes objects at all (a list, a scalar). */
  strays: YamlDoc[];
}

export function load(sub: Submission): Model {
  for (const f of [DEPLOYMENT_FILE, SERVICE_FILE]) {
    if (!sub.has(f)) throw new NotGradable({ ko: `${f} 파일이 없습니다.`, en: `${f} is missing.` });
  }
  const yamlFiles = sub.paths().filter((p) => /\.ya?ml$/.test(p));
  const docsByFile = new Map<string, YamlDoc[]>();
  for (const f of yamlFiles) docsByFile.set(f, parseYamlFile(sub, f));
  for (const f of [DEPLOYMENT_FILE, SERVICE_FILE]) {
    if (!docsByFile.get(f)?.length) throw new NotGradable({ ko: `${f}가 비어 있습니다.`, en: `${f} is empty.` });
  }
  const kFile = KUSTOMIZATION_FILES.find((f) => sub.has(f));
  const kustomization = kFile ? readKustomization(docsByFile.get(kFile) ?? [], new Set(sub.paths()), [DEPLOYMENT_FILE, SERVICE_FILE]) : null;

  const { objects, strays } = objectsOf([...docsByFile].filter(([file]) => !KUSTOMIZATION_FILES.includes(file)).flatMap(([, docs]) => docs));
  const deployments = objects.filter((o) => o.kind === 'Deployment');
  const services = objects.filter((o) => o.kind === 'Service');
  if (!deployments.length)
    throw new NotGradable({ ko: `${DEPLOYMENT_FILE}에 kind: Deployment 문서가 없습니다.`, en: `${DEPLOYMENT_FILE} has no document with kind: Deployment.` });
  if (!services.length)
    throw new NotGradable({ ko: `${SERVICE_FILE}에 kind: Service 문서가 없습니다.`, en: `${SERVICE_FILE} has no document with kind: Service.` });
  return { objects, deployments, services, kustomization, strays };
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

function namespaceOf(m: Model, o: K8sObject): string {
  if (m.kustomization?.namespace) return m.kustomization.namespace;
  const ns = o.get(['metadata', 'namespace']);
  return typeof ns === 'string' && ns ? ns : 'default';
}

// ---------------------------------------------------------------------------------------------------------------
// Checks

function checkSchema(m: Model): CheckVerdict {
  const byKind = { Deployment: [] as Finding[], Service: [] as Finding[], other: [] as Finding[] };
  for (const o of m.objects) {
    const problems = validateObject(o.value);
    const bucket = o.kind === 'Deployment' ? byKind.Deployment : o.kind === 'Service' ? byKind.Service : byKind.other;
    for (const p of problems) bucket.push(o.find(p.path, p.en, p.ko));
  }
  for (const d of m.strays) {
    byKind.other.push({
      file: d.file,
      line: d.line(),
      en: 'this document is not a Kubernetes object (a mapping with apiVersion and kind)',
      ko: '이 문서는 쿠버네티스 오브젝트(apiVersion과 kind가 있는 매핑)가 아닙니다',
    });
  }
  if (m.kustomization) byKind.other.push(...m.kustomization.problems);
  const ns = new Map<string, K8sObject>();
  for (const o of m.objects) {
    const key = `${o.kind}/${namespaceOf(m, o)}/${o.name}`;
    const prev = ns.get(key);
    if (prev) {
      const f = o.find(
        ['metadata', 'name'],
        `a second ${o.kind} named "${o.name}" (the first is at ${prev.at(['metadata', 'name'])}); the later one would replace it`,
        `같은 이름의 ${o.kind} "${o.name}"가 또 있습니다 (처음 것은 ${prev.at(['metadata', 'name'])}). 나중 것이 앞의 것을 덮어씁니다`,
      );
      (o.kind === 'Deployment' ? byKind.Deployment : o.kind === 'Service' ? byKind.Service : byKind.other).push(f);
    }
    ns.set(key, o);
  }
  return partial('schema', 3, [
    { ok: byKind.Deployment.length === 0, message: summarise(byKind.Deployment) },
    { ok: byKind.Service.length === 0, message: summarise(byKind.Service) },
    { ok: byKind.other.length === 0, message: summarise(byKind.other) },
  ]);
}

function checkSelectors(m: Model): CheckVerdict {
  const dep: Finding[] = [];
  for (const d of m.deployments) {
    const sel = d.get(['spec', 'selector']);
    const labels = labelsAt(d, ['spec', 'template', 'metadata', 'labels']);
    if (!isObj(sel))
      dep.push(
        d.find(
          ['spec'],
          'spec.selector is missing: apps/v1 requires the Deployment to say which pods it owns',
          'spec.selector가 없습니다. apps/v1에서는 Deployment가 자신의 파드를 선택해야 합니다',
        ),
      );
    else if (!selects(sel, labels)) {
      const want = isObj(sel.matchLabels) ? fmtLabels(labelsAt(d, ['spec', 'selector', 'matchLabels'])) : 'matchExpressions';
      dep.push(
        d.find(
          ['spec', 'selector'],
          `the selector (${want}) does not match the pod template's labels (${fmtLabels(labels)}, line ${d.line(['spec', 'template', 'metadata', 'labels'])})`,
          `셀렉터(${want})가 파드 템플릿의 레이블(${fmtLabels(labels)}, ${d.line(['spec', 'template', 'metadata', 'labels'])}행)과 맞지 않습니다`,
        ),
      );
    }
  }
  const svc: Finding[] = [];
  for (const s of m.services) {
    const sel = labelsAt(s, ['spec', 'selector']);
    if (!Object.keys(sel).length) {
      svc.push(
        s.find(
          ['spec'],
          'spec.selector is missing: the Service would send traffic to no pod',
          'spec.selector가 없습니다. Service가 어떤 파드로도 트래픽을 보내지 않습니다',
        ),
      );
      continue;
    }
    const ns = namespaceOf(m, s);
    const hit = m.deployments.filter((d) => selects({ matchLabels: sel }, labelsAt(d, ['spec', 'template', 'metadata', 'labels'])));
    const sameNs = hit.filter((d) => namespaceOf(m, d) === ns);
    if (sameNs.length) continue;
    if (hit.length) {
      const d = hit[0]!;
      svc.push(
        s.find(
          ['metadata', 'namespace'],
          `the Service is in namespace "${ns}" but Deployment ${d.name} runs its pods in "${namespaceOf(m, d)}"; a Service only selects pods in its own namespace`,
          `Service는 네임스페이스 "${ns}"에 있지만 Deployment ${d.name}의 파드는 "${namespaceOf(m, d)}"에 있습니다. Service는 같은 네임스페이스의 파드만 선택합니다`,
        ),
      );
    } else {
      const pods = m.deployments
        .map((d) => `${d.name}: ${fmtLabels(labelsAt(d, ['spec', 'template', 'metadata', 'labels']))} (${d.at(['spec', 'template', 'metadata', 'labels'])})`)
        .join('; ');
      svc.push(
        s.find(
          ['spec', 'selector'],
          `the selector (${fmtLabels(sel)}) matches no pod template's labels (${pods})`,
          `셀렉터(${fmtLabels(sel)})와 맞는 파드 템플릿 레이블이 없습니다 (${pods})`,
        ),
      );
    }
  }
  return partial('selectors', 2, [
    { ok: dep.length === 0, message: summarise(dep) },
    { ok: svc.length === 0, message: summarise(svc) },
  ]);
}

function checkServicePorts(m: Model): CheckVerdict {
  const findings: Finding[] = [];
  for (const s of m.services) {
    const sel = labelsAt(s, ['spec', 'selector']);
    const ns = namespaceOf(m, s);
    let targets = m.deployments.filter(
      (d) => namespaceOf(m, d) === ns && Object.keys(sel).length && selects({ matchLabels: sel }, labelsAt(d, ['spec', 'template', 'metadata', 'labels'])),
    );
    // A Service whose selector is wrong is the selectors check's business: compare its ports with every Deployment.
    if (!targets.length) targets = m.deployments;
    const ports = s.get(['spec', 'ports']);
    if (!Array.isArray(ports) || !ports.length) {
      findings.push(s.find(['spec'], 'spec.ports is empty: the Service exposes nothing', 'spec.ports가 비어 있습니다. Service가 아무 포트도 열지 않습니다'));
      continue;
    }
    ports.forEach((p, j) => {
      if (!isObj(p)) return;
      const explicit = p.targetPort !== undefined;
      const target = explicit ? p.targetPort : p.port;
      const protocol = typeof p.protocol === 'string' ? p.protocol : 'TCP';
      for (const d of targets) {
        const all = containers(d).flatMap((c) => containerPorts(c.c));
        if (portMatches(target, all, protocol)) continue;
        const path: PathPart[] = ['spec', 'ports', j, explicit ? 'targetPort' : 'port'];
        const what = explicit ? `targetPort ${JSON.stringify(target)}` : `targetPort (defaults to port ${JSON.stringify(target)})`;
        const whatKo = explicit ? `targetPort ${JSON.stringify(target)}` : `targetPort(생략되어 port ${JSON.stringify(target)} 값을 따름)`;
        findings.push(
          s.find(
            path,
            `${what} matches no containerPort ${typeof target === 'string' ? 'name ' : ''}of Deployment ${d.name} (its ports: ${portList(all)} at ${d.at([...POD_SPEC, 'containers'])})`,
            `${whatKo}에 맞는 Deployment ${d.name}의 containerPort${typeof target === 'string' ? ' 이름' : ''}이 없습니다 (포트: ${portList(all)}, ${d.at([...POD_SPEC, 'containers'])})`,
          ),
        );
      }
    });
  }
  return findings.length ? fail('service-port', summarise(findings)) : pass('service-port', 2);
}

function checkResources(m: Model): CheckVerdict {
  const missing: Finding[] = [];
  const order: Finding[] = [];
  for (const d of m.deployments) {
    for (const c of containers(d)) {
      const res = isObj(c.c.resources) ? c.c.resources : {};
      for (const r of ['cpu', 'memory'] as const) {
        const req = isObj(res.requests) ? res.requests[r] : undefined;
        const lim = isObj(res.limits) ? res.limits[r] : undefined;
        const lacks = [req === undefined ? `requests.${r}` : null, lim === undefined ? `limits.${r}` : null].filter(Boolean);
        if (lacks.length) {
          missing.push(
            d.find([...c.path, 'resources'], `container "${c.name}" has no ${lacks.join(' or ')}`, `컨테이너 "${c.name}"에 ${lacks.join(', ')}가 없습니다`),
          );
          continue;
        }
        const rq = parseQuantity(req);
        const lq = parseQuantity(lim);
        if (!rq || !lq) {
          const [bad, which] = !rq ? [req, 'requests'] : [lim, 'limits'];
          order.push(
            d.find(
              [...c.path, 'resources', which, r],
              `container "${c.name}": ${which}.${r} "${String(bad)}" is not a quantity (e.g. 250m, 0.5 for CPU; 128Mi, 1Gi for memory)`,
              `컨테이너 "${c.name}": ${which}.${r} "${String(bad)}"는 수량 표기가 아닙니다 (CPU는 250m, 0.5, 메모리는 128Mi, 1Gi 같은 형식)`,
            ),
          );
          continue;
        }
        if (compareQuantity(rq, lq) > 0) {
          // Spell the two out in one unit when they are written differently (128Mi against 128M, 0.6 against 500m).
          const unitOf = (q: Json | undefined) => String(q).replace(/^[\d.+-]+/, '');
          const same = unitOf(req) === unitOf(lim);
          const inBase = same ? '' : ` (${formatQuantity(rq, r)} against ${formatQuantity(lq, r)})`;
          const inBaseKo = same ? '' : ` (${formatQuantity(rq, r, 'ko')} 대 ${formatQuantity(lq, r, 'ko')})`;
          order.push(
            d.find(
              [...c.path, 'resources', 'requests', r],
              `container "${c.name}": requests.${r} ${String(req)} is more than limits.${r} ${String(lim)} (line ${d.line([...c.path, 'resources', 'limits', r])})${inBase}; the API server rejects a request above its limit`,
              `컨테이너 "${c.name}": requests.${r} ${String(req)}가 limits.${r} ${String(lim)}(${d.line([...c.path, 'resources', 'limits', r])}행)보다 큽니다${inBaseKo}. API 서버는 limit보다 큰 request를 거부합니다`,
            ),
          );
        }
      }
    }
  }
  return partial('resources', 2, [
    { ok: missing.length === 0, message: summarise(missing) },
    {
      ok: order.length === 0 && missing.length < m.deployments.reduce((n, d) => n + containers(d).length * 2, 0),
      message: order.length ? summarise(order) : { ko: '비교할 requests와 limits가 없습니다.', en: 'There are no requests and limits to compare.' },
    },
  ]);
}

function probeProblem(c: ContainerRef, kind: 'readinessProbe' | 'livenessProbe'): Finding | null {
  const probe = c.c[kind];
  const ports = containerPorts(c.c);
  const label = kind === 'readinessProbe' ? 'readiness' : 'liveness';
  if (!isObj(probe)) return c.d.find(c.path, `container "${c.name}" has no ${kind}`, `컨테이너 "${c.name}"에 ${kind}가 없습니다`);
  const handler = (['httpGet', 'tcpSocket', 'grpc'] as const).find((h) => isObj(probe[h]));
  if (!handler) {
    return c.d.find(
      [...c.path, kind],
      `the ${label} probe of "${c.name}" does not check a port (use httpGet, tcpSocket or grpc on the container's port)`,
      `"${c.name}"의 ${label} 프로브가 포트를 확인하지 않습니다 (컨테이너 포트에 httpGet, tcpSocket, grpc를 쓰세요)`,
    );
  }
  const port = (probe[handler] as Obj).port;
  if (!ports.length) {
    return c.d.find(
      [...c.path, kind, handler, 'port'],
      `container "${c.name}" declares no containerPort for its ${label} probe to use`,
      `컨테이너 "${c.name}"에 ${label} 프로브가 쓸 containerPort가 선언되어 있지 않습니다`,
    );
  }
  if (!portMatches(port, ports)) {
    return c.d.find(
      [...c.path, kind, handler, 'port'],
      `the ${label} probe of "${c.name}" checks port ${JSON.stringify(port ?? null)}, which is not one of its containerPorts (${portList(ports)}); probe the port the app listens on, by number or by name`,
      `"${c.name}"의 ${label} 프로브가 확인하는 포트(${JSON.stringify(port ?? null)})가 컨테이너 포트 목록(${portList(ports)})에 없습니다. 앱이 실제로 듣는 포트의 번호나 이름을 쓰세요`,
    );
  }
  return null;
}

function checkProbes(m: Model): CheckVerdict {
  const all = m.deployments.flatMap((d) => containers(d));
  const ready = all.map((c) => probeProblem(c, 'readinessProbe')).filter((x): x is Finding => x !== null);
  const live = all.map((c) => probeProblem(c, 'livenessProbe')).filter((x): x is Finding => x !== null);
  const none = { ko: '컨테이너가 없습니다.', en: 'There are no containers.' };
  return partial('probes', 2, [
    { ok: all.length > 0 && ready.length === 0, message: all.length ? summarise(ready) : none },
    { ok: all.length > 0 && live.length === 0, message: all.length ? summarise(live) : none },
  ]);
}

function checkImages(m: Model): CheckVerdict {
  const findings: Finding[] = [];
  for (const d of m.deployments) {
    for (const c of containers(d, ['containers', 'initContainers'])) {
      if (typeof c.c.image !== 'string' || !c.c.image.trim()) {
        findings.push(d.find(c.path, `container "${c.name}" has no image`, `컨테이너 "${c.name}"에 image가 없습니다`));
        continue;
      }
      let img = splitImage(c.c.image.trim());
      let via = '';
      const o = m.kustomization?.images.find((x) => x.name === img.name);
      if (o) {
        img = { name: o.newName ?? img.name, tag: o.newTag ?? img.tag, digest: o.digest ?? img.digest };
        via = ` (after ${m.kustomization!.file}:${o.line} images)`;
      }
      const shown = `${img.name}${img.tag !== undefined ? `:${img.tag}` : ''}${img.digest ? `@${img.digest}` : ''}`;
      if (img.digest && /^sha256:[a-f0-9]{64}$/.test(img.digest)) continue;
      if (img.tag === undefined || img.tag === '') {
        findings.push(
          d.find(
            [...c.path, 'image'],
            `image "${shown}"${via} has no tag, so it means :latest; pin a version tag (e.g. 1.4.2) or a digest`,
            `이미지 "${shown}"${via}에 태그가 없어 :latest와 같습니다. 버전 태그(예: 1.4.2)나 다이제스트로 고정하세요`,
          ),
        );
      } else if (img.tag.toLowerCase() === 'latest') {
        findings.push(
          d.find(
            [...c.path, 'image'],
            `image "${shown}"${via} uses :latest; which version runs would change without any change to the manifest`,
            `이미지 "${shown}"${via}가 :latest를 씁니다. 매니페스트가 그대로여도 실행되는 버전이 바뀔 수 있습니다`,
          ),
        );
      } else if (!/\d/.test(img.tag)) {
        // stable, mainline, alpine, edge, main...: names of a channel, moved to each new release like latest.
        findings.push(
          d.find(
            [...c.path, 'image'],
            `image "${shown}"${via}: the tag "${img.tag}" names no version, so like latest it moves to each new release; pin a version tag (e.g. 1.29.3-alpine) or a digest`,
            `이미지 "${shown}"${via}: 태그 "${img.tag}"에는 버전이 없어서 latest처럼 새 릴리스마다 바뀝니다. 버전 태그(예: 1.29.3-alpine)나 다이제스트로 고정하세요`,
          ),
        );
      } else if (img.digest) {
        findings.push(
          d.find(
            [...c.path, 'image'],
            `image "${shown}"${via} has a malformed digest (sha256: and 64 hex digits)`,
            `이미지 "${shown}"${via}의 다이제스트 형식이 잘못되었습니다 (sha256:와 16진수 64자리)`,
          ),
        );
      }
    }
  }
  return findings.length ? fail('image-tag', summarise(findings)) : pass('image-tag', 1);
}

function checkReplicas(m: Model): CheckVerdict {
  const findings: Finding[] = [];
  const hpas = m.objects.filter((o) => o.kind === 'HorizontalPodAutoscaler');
  for (const d of m.deployments) {
    const override = m.kustomization?.replicas.find((r) => r.name === d.name);
    const raw = d.get(['spec', 'replicas']);
    const count = override ? override.count : typeof raw === 'number' ? raw : raw === undefined ? 1 : NaN;
    const hpa = hpas.find(
      (h) =>
        h.get(['spec', 'scaleTargetRef', 'kind']) === 'Deployment' &&
        h.get(['spec', 'scaleTargetRef', 'name']) === d.name &&
        namespaceOf(m, h) === namespaceOf(m, d),
    );
    if (hpa) {
      // The autoscaler owns the count: it can go down to minReplicas (1 when left out), whatever spec.replicas says.
      const hpaMin = hpa.get(['spec', 'minReplicas']);
      const min = hpaMin === undefined ? 1 : hpaMin;
      if (typeof min === 'number' && min >= 2) continue;
      findings.push(
        hpa.find(
          hpaMin === undefined ? ['spec'] : ['spec', 'minReplicas'],
          `HorizontalPodAutoscaler ${hpa.name} scales Deployment ${d.name} and may take it down to ${JSON.stringify(min)} ${hpaMin === undefined ? '(minReplicas left out defaults to 1)' : '(minReplicas)'}; with an autoscaler, minReplicas decides, so set it to 2 or more`,
          `HorizontalPodAutoscaler ${hpa.name}가 Deployment ${d.name}를 ${JSON.stringify(min)}개까지 줄일 수 있습니다${hpaMin === undefined ? ' (minReplicas를 생략하면 1)' : ' (minReplicas)'}. 오토스케일러가 있으면 minReplicas가 개수를 정하므로 2 이상으로 하세요`,
        ),
      );
      continue;
    }
    if (Number.isInteger(count) && count >= 2) continue;
    if (override) {
      findings.push({
        file: m.kustomization!.file,
        line: override.line,
        en: `replicas sets Deployment ${d.name} to ${override.count}; run at least 2 so one pod can fail or be replaced while another serves`,
        ko: `replicas가 Deployment ${d.name}를 ${override.count}개로 정합니다. 한 파드가 죽거나 교체되는 동안 다른 파드가 응답하도록 2개 이상 실행하세요`,
      });
    } else if (raw === undefined) {
      findings.push(
        d.find(
          ['spec'],
          'spec.replicas is not set, so it defaults to 1; run at least 2 so one pod can fail or be replaced while another serves',
          'spec.replicas가 없어 기본값 1이 됩니다. 한 파드가 죽거나 교체되는 동안 다른 파드가 응답하도록 2개 이상 실행하세요',
        ),
      );
    } else if (typeof raw !== 'number') {
      findings.push(
        d.find(
          ['spec', 'replicas'],
          `spec.replicas is ${JSON.stringify(raw)}, not a number (the API refuses it); write it without quotes, e.g. replicas: 2`,
          `spec.replicas가 숫자가 아니라 ${JSON.stringify(raw)}입니다 (API가 거부합니다). 따옴표 없이 replicas: 2처럼 쓰세요`,
        ),
      );
    } else {
      findings.push(
        d.find(
          ['spec', 'replicas'],
          `spec.replicas is ${JSON.stringify(raw)}; run at least 2 so one pod can fail or be replaced while another serves`,
          `spec.replicas가 ${JSON.stringify(raw)}입니다. 한 파드가 죽거나 교체되는 동안 다른 파드가 응답하도록 2개 이상 실행하세요`,
        ),
      );
    }
  }
  return findings.length ? fail('replicas', summarise(findings)) : pass('replicas', 1);
}

export async function grade(sub: Submission): Promise<GraderVerdict> {
  const m = load(sub);
  const checks = [checkSchema(m), checkSelectors(m), checkServicePorts(m), checkResources(m), checkProbes(m), checkImages(m), checkReplicas(m)];
  return { gradable: true, checks };
}
