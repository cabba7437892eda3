/**
 * Week 5 troubleshooting grader: the shop's checkout and frontend manifests, broken five ways, fixed by the learner.
 * Read statically and played forward against the staging cluster (cluster.ts): what `kubectl apply -f k8s/` would
 * accept (the kit's Kubernetes 1.36 validation, immutable selectors), then what the kubelet, the scheduler and the
 * EndpointSlice controller would do with the objects that result. An object kubectl refuses, or one left out of the
 * files, leaves the live (broken) one in place, as `kubectl apply` does.
 *
 * One check per fault (config: the CrashLoopBackOff; images: the ImagePullBackOff; scheduling: Pending; endpoints:
 * the Service with none; readiness: the probe on the wrong port), the schema, and rest-intact: every property the
 * working configuration had is still there (replicas, limits, liveness, the Services' ports, non-root, ...), so a
 * "fix" that removes the feature instead of repairing it fails.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  NotGradable,
  partial,
  pass,
  fail,
  msg as m,
  reporter,
  Submission,
  type CheckVerdict,
  type GradeContext,
  type GraderVerdict,
  type Msg,
} from '../../../grader-kit/index';
import {
  containerPorts,
  containers,
  fmtLabels,
  labelsAt,
  objectsOf,
  POD_SPEC,
  resolvePort,
  selects,
  splitImage,
  summarise,
  type ContainerRef,
  type Finding,
  type K8sObject,
} from '../../../grader-kit/k8s-objects';
import { compareQuantity, formatQuantity, parseQuantity, type Quantity } from '../../../grader-kit/k8s-quantity';
import { validateObject } from '../../../grader-kit/k8s-schema';
import { get, isObj, parseYamlFile, type Json, type Obj, type PathPart, type YamlDoc } from '../../../grader-kit/yamldocs';
import { ANSWERS, CHECKOUT_SETTINGS, IMAGES, LISTENS, NAMESPACE, NODES, REGISTRY, SECRETS, SERVICE_ACCOUNTS } from './cluster';

export const FILES = ['k8s/checkout.yaml', 'k8s/frontend.yaml'];
export const CHECK_IDS = ['schema', 'config', 'images', 'scheduling', 'endpoints', 'readiness', 'rest-intact'] as const;
/** The replicas each workload ran before the incident. */
const REPLICAS: Record<string, number> = { checkout: 3, frontend: 2 };
const WORKLOADS = ['checkout', 'frontend'] as const;
type Workload = (typeof WORKLOADS)[number];

type B = { ko: string; en: string };

// ---------------------------------------------------------------------------------------------------------------
// Loading: the submitted objects, the live ones, and what kubectl apply makes of the two.

export interface Model {
  submitted: K8sObject[];
  strays: YamlDoc[];
  live: Map<string, K8sObject>;
  /** Why kubectl apply refuses a submitted object (schema problems, an immutable field changed). */
  refused: Map<K8sObject, Finding[]>;
  /** Objects in the namespace after `kubectl apply -f k8s/`, by key. */
  state: Map<string, Placed>;
}

/** An object as it is in the cluster after the apply, and how it got there. */
export interface Placed {
  obj: K8sObject;
  /** submitted: the learner's version was applied; refused / missing: the live one stayed. */
  how: 'submitted' | 'refused' | 'missing';
  /** For refused: the learner's object kubectl refused. */
  rejected?: K8sObject;
}

const nsOf = (o: K8sObject) => {
  const ns = o.get(['metadata', 'namespace']);
  return typeof ns === 'string' && ns ? ns : 'default';
};
export const keyOf = (kind: string, name: string, ns = NAMESPACE) => `${kind}/${ns}/${name}`;
const key = (o: K8sObject) => keyOf(o.kind, o.name, nsOf(o));

function yamlDocs(sub: Submission): YamlDoc[] {
  return sub
    .paths()
    .filter((p) => /\.ya?ml$/.test(p))
    .flatMap((f) => parseYamlFile(sub, f));
}

/** The live objects (the starter's files, as the cluster has them) from `liveDir`. */
export function readLive(liveDir: string): Map<string, K8sObject> {
  const files = new Map<string, Buffer>();
  const walk = (d: string, rel: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name), `${rel}${e.name}/`);
      else files.set(`${rel}${e.name}`, fs.readFileSync(path.join(d, e.name)));
    }
  };
  // Named live/...: a message about an object the cluster kept points at the live version, not the learner's file.
  walk(liveDir, 'live/');
  const { objects } = objectsOf(yamlDocs(new Submission(files)));
  return new Map(objects.map((o) => [key(o), o]));
}

export function load(sub: Submission, live: Map<string, K8sObject>): Model {
  for (const f of FILES) if (!sub.has(f)) throw new NotGradable(m(`${f} 파일이 없습니다.`, `${f} is missing.`));
  const docs = yamlDocs(sub);
  for (const f of FILES) if (!docs.some((d) => d.file === f)) throw new NotGradable(m(`${f}가 비어 있습니다.`, `${f} is empty.`));
  const { objects: submitted, strays } = objectsOf(docs);
  if (submitted.length > 200) throw new NotGradable(m('오브젝트가 너무 많습니다 (최대 200개).', 'Too many objects (at most 200).'));
  const refused = new Map<K8sObject, Finding[]>();
  const state = new Map<string, Placed>();
  for (const [k, o] of live) state.set(k, { obj: o, how: 'missing' });
  for (const o of submitted) {
    const problems: Finding[] = validateObject(o.value).map((p) => o.find(p.path, p.en, p.ko));
    const was = live.get(key(o));
    if (o.kind === 'Deployment' && was && JSON.stringify(canonical(o.get(['spec', 'selector']))) !== JSON.stringify(canonical(was.get(['spec', 'selector'])))) {
      problems.push(
        o.find(
          ['spec', 'selector'],
          `spec.selector differs from the selector of the Deployment in the cluster (${fmtLabels(labelsAt(was, ['spec', 'selector', 'matchLabels']))}) and is immutable: the API server answers "field is immutable" and keeps the old Deployment. Change the pod template's labels instead (a selector only needs a subset of them), or the Service's selector`,
          `spec.selector가 클러스터에 있는 Deployment의 셀렉터(${fmtLabels(labelsAt(was, ['spec', 'selector', 'matchLabels']))})와 다른데, 이 필드는 바꿀 수 없습니다. API 서버가 "field is immutable"로 거부하고 옛 Deployment를 그대로 둡니다. 대신 Pod 템플릿의 레이블을 바꾸거나(셀렉터는 그 일부만 맞으면 됩니다) Service의 셀렉터를 고치세요`,
        ),
      );
    }
    if (problems.length) {
      refused.set(o, problems);
      const prev = state.get(key(o));
      if (prev && prev.how !== 'submitted') state.set(key(o), { obj: prev.obj, how: 'refused', rejected: o });
      continue;
    }
    // A later document with the same kind, namespace and name replaces an earlier one, as a second apply would.
    state.set(key(o), { obj: o, how: 'submitted' });
  }
  return { submitted, strays, live, refused, state };
}

/** A selector with matchLabels keys sorted, for comparing. */
function canonical(v: Json | undefined): Json | undefined {
  if (!isObj(v)) return v;
  const ml = isObj(v.matchLabels) ? Object.fromEntries(Object.entries(v.matchLabels).sort(([a], [b]) => a.localeCompare(b))) : undefined;
  return {
    ...(ml ? { matchLabels: ml } : {}),
    ...(Array.isArray(v.matchExpressions) && v.matchExpressions.length ? { matchExpressions: v.matchExpressions } : {}),
  };
}

const placed = (md: Model, kind: string, name: string) => md.state.get(keyOf(kind, name));

/** Why the cluster still has the old object, when it does: said before a check's own finding. */
function staleNote(md: Model, kind: string, name: string): B | null {
  const p = placed(md, kind, name);
  if (!p) return null;
  if (p.how === 'refused') {
    const f = md.refused.get(p.rejected!)![0]!;
    return m(
      `kubectl apply가 ${kind} ${name}를 거부해(${f.file}:${f.line}, schema 항목 참고) 클러스터에는 고장 난 옛 ${kind}(live/)가 그대로 있습니다.`,
      `kubectl apply refuses ${kind} ${name} (${f.file}:${f.line}, see the schema check), so the cluster keeps the broken old one (live/).`,
    );
  }
  if (p.how === 'missing') {
    const elsewhere = md.submitted.find((o) => o.kind === kind && o.name === name && nsOf(o) !== NAMESPACE);
    if (elsewhere) {
      return m(
        `${elsewhere.where(['metadata'])}: ${kind} ${name}가 네임스페이스 "${nsOf(elsewhere)}"에 있어, ${NAMESPACE}의 고장 난 옛 ${kind}(live/)는 그대로입니다.`,
        `${elsewhere.where(['metadata'])}: ${kind} ${name} is in namespace "${nsOf(elsewhere)}", so the broken one in ${NAMESPACE} (live/) stays as it is.`,
      );
    }
    return m(
      `매니페스트에 ${kind} ${name}가 없어 kubectl apply가 클러스터의 고장 난 옛 ${kind}(live/)를 그대로 둡니다.`,
      `The manifests have no ${kind} ${name}, so kubectl apply leaves the broken old one (live/) in the cluster.`,
    );
  }
  return null;
}

const withNote = (note: B | null, x: B): B => (note ? m(`${note.ko} ${x.ko}`, `${note.en} ${x.en}`) : x);
const say = (findings: Finding[]): Msg => summarise(findings);

/** The workload's main container: the one named like it, else the first. */
function mainContainer(d: K8sObject): ContainerRef | undefined {
  const cs = containers(d);
  return cs.find((c) => c.name === d.name) ?? cs[0];
}

function imageRepo(c: ContainerRef): string | null {
  return typeof c.c.image === 'string' ? splitImage(c.c.image.trim()).name : null;
}

// ---------------------------------------------------------------------------------------------------------------
// schema: kubectl apply accepts every object.

function checkSchema(md: Model): CheckVerdict {
  const findings: Finding[] = [...md.refused.values()].flat();
  for (const d of md.strays)
    findings.push({
      file: d.file,
      line: d.line(),
      en: 'this document is not a Kubernetes object (a mapping with apiVersion and kind)',
      ko: '이 문서는 쿠버네티스 오브젝트(apiVersion과 kind가 있는 매핑)가 아닙니다',
    });
  return findings.length ? fail('schema', say(findings)) : pass('schema', 2);
}

// ---------------------------------------------------------------------------------------------------------------
// config: checkout gets every setting it needs when its container starts.

interface EnvVar {
  value: string | null;
  from: string;
}

/** The container's environment as the kubelet builds it, and what makes the kubelet refuse to start it. */
export function environment(md: Model, c: ContainerRef): { vars: Map<string, EnvVar>; errors: B[] } {
  const vars = new Map<string, EnvVar>();
  const errors: B[] = [];
  const configMap = (name: string): Record<string, string> | null => {
    const p = placed(md, 'ConfigMap', name);
    if (!p) return null;
    const data = p.obj.get(['data']);
    const bin = p.obj.get(['binaryData']);
    const out: Record<string, string> = {};
    if (isObj(data)) for (const [k, v] of Object.entries(data)) out[k] = typeof v === 'string' ? v : String(v);
    if (isObj(bin)) for (const k of Object.keys(bin)) out[k] = '';
    return out;
  };
  const secret = (name: string): Record<string, string | null> | null => {
    const p = placed(md, 'Secret', name);
    if (p) {
      const out: Record<string, string | null> = {};
      const sd = p.obj.get(['stringData']);
      const d = p.obj.get(['data']);
      if (isObj(d)) for (const [k, v] of Object.entries(d)) out[k] = typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : null;
      if (isObj(sd)) for (const [k, v] of Object.entries(sd)) out[k] = typeof v === 'string' ? v : null;
      return out;
    }
    const s = SECRETS[name];
    return s ? Object.fromEntries(s.keys.map((k) => [k, null])) : null;
  };
  const validName = (n: string) => /^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(n);
  const envFrom = Array.isArray(c.c.envFrom) ? c.c.envFrom : [];
  for (const e of envFrom) {
    if (!isObj(e)) continue;
    const prefix = typeof e.prefix === 'string' ? e.prefix : '';
    const ref = isObj(e.configMapRef)
      ? { kind: 'ConfigMap' as const, r: e.configMapRef }
      : isObj(e.secretRef)
        ? { kind: 'Secret' as const, r: e.secretRef }
        : null;
    if (!ref || typeof ref.r.name !== 'string') continue;
    const data = ref.kind === 'ConfigMap' ? configMap(ref.r.name) : secret(ref.r.name);
    if (!data) {
      if (ref.r.optional !== true)
        errors.push(
          m(
            `envFrom의 ${ref.kind} "${ref.r.name}"가 없습니다 (CreateContainerConfigError: ${ref.kind.toLowerCase()} "${ref.r.name}" not found)`,
            `envFrom names ${ref.kind} "${ref.r.name}", which does not exist (CreateContainerConfigError: ${ref.kind.toLowerCase()} "${ref.r.name}" not found)`,
          ),
        );
      continue;
    }
    for (const [k, v] of Object.entries(data)) if (validName(prefix + k)) vars.set(prefix + k, { value: v, from: `${ref.kind} ${ref.r.name}` });
  }
  const env = Array.isArray(c.c.env) ? c.c.env : [];
  for (const e of env) {
    if (!isObj(e) || typeof e.name !== 'string') continue;
    if (!isObj(e.valueFrom)) {
      vars.set(e.name, { value: typeof e.value === 'string' ? e.value : e.value === undefined || e.value === null ? '' : String(e.value), from: 'env' });
      continue;
    }
    const vf = e.valueFrom;
    const ref = isObj(vf.configMapKeyRef)
      ? { kind: 'ConfigMap' as const, r: vf.configMapKeyRef }
      : isObj(vf.secretKeyRef)
        ? { kind: 'Secret' as const, r: vf.secretKeyRef }
        : null;
    if (!ref) {
      vars.set(e.name, { value: null, from: 'valueFrom' });
      continue;
    }
    const name = String(ref.r.name ?? '');
    const k = String(ref.r.key ?? '');
    const data = ref.kind === 'ConfigMap' ? configMap(name) : secret(name);
    if (!data || !(k in data)) {
      if (ref.r.optional !== true) {
        errors.push(
          !data
            ? m(
                `${e.name}가 읽는 ${ref.kind} "${name}"가 없습니다 (CreateContainerConfigError)`,
                `${e.name} reads ${ref.kind} "${name}", which does not exist (CreateContainerConfigError)`,
              )
            : m(
                `${e.name}가 읽는 키 "${k}"가 ${ref.kind} ${name}에 없습니다 (CreateContainerConfigError: couldn't find key ${k} in ${ref.kind} ${NAMESPACE}/${name})`,
                `${e.name} reads key "${k}", which ${ref.kind} ${name} does not have (CreateContainerConfigError: couldn't find key ${k} in ${ref.kind} ${NAMESPACE}/${name})`,
              ),
        );
      } else vars.delete(e.name);
      continue;
    }
    vars.set(e.name, { value: data[k] ?? null, from: `${ref.kind} ${name}, key ${k}` });
  }
  return { vars, errors };
}

/** The files a container sees under its mounts of Secret volumes: path -> "secret/key". */
function secretFiles(d: K8sObject, c: ContainerRef): Map<string, string> {
  const out = new Map<string, string>();
  const vols = d.get([...POD_SPEC, 'volumes']);
  const mounts = Array.isArray(c.c.volumeMounts) ? c.c.volumeMounts : [];
  for (const mt of mounts) {
    if (!isObj(mt) || typeof mt.mountPath !== 'string' || typeof mt.name !== 'string') continue;
    const v = Array.isArray(vols) ? vols.find((x) => isObj(x) && x.name === mt.name) : undefined;
    if (!isObj(v) || !isObj(v.secret) || typeof v.secret.secretName !== 'string') continue;
    const name = v.secret.secretName;
    const keys = SECRETS[name]?.keys ?? [];
    const items = Array.isArray(v.secret.items) ? v.secret.items.filter(isObj) : null;
    const files: [string, string][] = items
      ? items.filter((i) => typeof i.key === 'string' && typeof i.path === 'string' && keys.includes(i.key)).map((i) => [String(i.path), String(i.key)])
      : keys.map((k) => [k, k]);
    const base = mt.mountPath.replace(/\/+$/, '');
    if (typeof mt.subPath === 'string' && mt.subPath) {
      const hit = files.find(([p]) => p === mt.subPath);
      if (hit) out.set(base, `${name}/${hit[1]}`);
    } else for (const [p, k] of files) out.set(`${base}/${p}`, `${name}/${k}`);
  }
  return out;
}

function checkConfig(md: Model): CheckVerdict {
  const p = placed(md, 'Deployment', 'checkout');
  if (!p) return fail('config', m('Deployment checkout이 없습니다.', 'There is no Deployment checkout.'));
  const d = p.obj;
  const c = mainContainer(d);
  if (!c) return fail('config', m(`${d.where(POD_SPEC)}: checkout에 컨테이너가 없습니다.`, `${d.where(POD_SPEC)}: checkout has no container.`));
  const note = staleNote(md, 'Deployment', 'checkout') ?? staleNote(md, 'ConfigMap', 'checkout-config');
  const { vars, errors } = environment(md, c);
  const where = d.where([...c.path, 'envFrom']);
  if (errors.length) {
    return fail(
      'config',
      withNote(
        note,
        m(
          `${where}: kubelet이 컨테이너를 만들지 못합니다: ${errors.map((e) => e.ko).join('; ')}.`,
          `${where}: the kubelet cannot create the container: ${errors.map((e) => e.en).join('; ')}.`,
        ),
      ),
    );
  }
  const problems: B[] = [];
  for (const [name, want] of Object.entries(CHECKOUT_SETTINGS)) {
    const v = vars.get(name);
    if (!v || v.value === '') {
      problems.push(
        m(
          `${name}가 없어 checkout이 "missing required setting ${name}"를 남기고 종료 코드 1로 끝납니다 (CrashLoopBackOff)`,
          `${name} is not set, so checkout exits with code 1 after "missing required setting ${name}" (CrashLoopBackOff)`,
        ),
      );
    } else if (v.value === null) {
      problems.push(
        m(
          `${name}를 값을 알 수 없는 곳(${v.from})에서 읽습니다. 이 클러스터에서는 "${want}"여야 합니다`,
          `${name} comes from ${v.from}, whose value is not "${want}" as this cluster needs`,
        ),
      );
    } else if (v.value !== want) {
      problems.push(
        m(
          `${name}가 "${v.value}"(${v.from})입니다. 이 클러스터에서는 "${want}"여야 합니다`,
          `${name} is "${v.value}" (${v.from}); this cluster needs "${want}"`,
        ),
      );
    }
  }
  const files = secretFiles(d, c);
  const pwFile = vars.get('DB_PASSWORD_FILE');
  const pw = vars.get('DB_PASSWORD');
  const pwOk = (pwFile?.value && files.get(pwFile.value) === 'shop-db/password') || (pw && pw.from === 'Secret shop-db, key password');
  if (!pwOk) {
    problems.push(
      pwFile?.value
        ? m(
            `DB_PASSWORD_FILE(${pwFile.value})에 Secret shop-db의 password 파일이 마운트되어 있지 않아 checkout이 ENOENT로 종료합니다`,
            `DB_PASSWORD_FILE (${pwFile.value}) is not where Secret shop-db's password is mounted, so checkout exits with ENOENT`,
          )
        : m(
            '데이터베이스 비밀번호(DB_PASSWORD_FILE로 마운트한 Secret shop-db의 password)가 없어 checkout이 시작하지 못합니다',
            "the database password (Secret shop-db's password, mounted and named by DB_PASSWORD_FILE) is gone, so checkout cannot start",
          ),
    );
  }
  if (!problems.length) return pass('config', 2);
  return fail('config', withNote(note, m(`${where}: ${problems.map((x) => x.ko).join('; ')}.`, `${where}: ${problems.map((x) => x.en).join('; ')}.`)));
}

// ---------------------------------------------------------------------------------------------------------------
// images: every pod can pull its image, and the image is the release being shipped.

function pullSecrets(md: Model, d: K8sObject): { names: string[]; sa: string; saMissing: boolean } {
  const own = d.get([...POD_SPEC, 'imagePullSecrets']);
  const names = Array.isArray(own) ? own.filter(isObj).map((x) => String(x.name ?? '')) : [];
  const saName = String(d.get([...POD_SPEC, 'serviceAccountName']) ?? d.get([...POD_SPEC, 'serviceAccount']) ?? 'default');
  const sa = placed(md, 'ServiceAccount', saName);
  if (sa) {
    const ips = sa.obj.get(['imagePullSecrets']);
    if (Array.isArray(ips)) names.push(...ips.filter(isObj).map((x) => String(x.name ?? '')));
    return { names, sa: saName, saMissing: false };
  }
  if (saName in SERVICE_ACCOUNTS) return { names: [...names, ...SERVICE_ACCOUNTS[saName]!], sa: saName, saMissing: false };
  return { names, sa: saName, saMissing: true };
}

/** What is wrong with an image reference in this registry, or null: it must exist and be the release being shipped. */
function imageProblem(img: { name: string; tag?: string; digest?: string }, at: string): B | null {
  const repo = IMAGES[img.name];
  if (!repo) {
    const same = Object.keys(IMAGES).find((r) => r.endsWith(`/${img.name.split('/').slice(-2).join('/')}`));
    return m(
      `${at}: "${img.name}"라는 이미지는 없습니다 (not found)${same ? `. 쇼핑몰 이미지는 ${same}에 있습니다` : ''}`,
      `${at}: there is no image "${img.name}" (not found)${same ? `; the shop's image is ${same}` : ''}`,
    );
  }
  let version: string | undefined;
  if (img.digest) {
    version = Object.entries(repo.tags).find(([, dg]) => dg === img.digest)?.[0];
    if (!version)
      return m(
        `${at}: 다이제스트 ${img.digest.slice(0, 19)}…가 ${img.name}에 없습니다 (not found)`,
        `${at}: no image of ${img.name} has the digest ${img.digest.slice(0, 19)}… (not found)`,
      );
    if (img.tag !== undefined && img.tag in repo.tags && repo.tags[img.tag] !== img.digest) {
      return m(
        `${at}: 태그 ${img.tag}와 다이제스트가 가리키는 이미지가 다릅니다. 다이제스트가 이기므로 ${version}이 실행됩니다`,
        `${at}: the tag ${img.tag} and the digest name different images; the digest wins, so ${version} runs`,
      );
    }
  } else if (img.tag === undefined) {
    return m(
      `${at}: 태그가 없어 :latest를 받는데, ${img.name}에는 latest가 없습니다 (not found). 있는 태그: ${Object.keys(repo.tags).join(', ')}`,
      `${at}: no tag means :latest, which ${img.name} does not have (not found); its tags are ${Object.keys(repo.tags).join(', ')}`,
    );
  } else if (!(img.tag in repo.tags)) {
    const bare = img.tag.replace(/^v/, '');
    return m(
      `${at}: 태그 ${img.tag}가 레지스트리에 없습니다 (not found). 있는 태그: ${Object.keys(repo.tags).join(', ')}${bare !== img.tag && bare in repo.tags ? ` (파이프라인은 v 없이 ${bare}로 밀어 넣습니다)` : ''}`,
      `${at}: the tag ${img.tag} is not in the registry (not found); its tags are ${Object.keys(repo.tags).join(', ')}${bare !== img.tag && bare in repo.tags ? ` (the pipeline pushes ${bare}, without a v)` : ''}`,
    );
  } else version = img.tag;
  if (version !== repo.release) {
    return m(
      `${at}: ${version}은 이번에 배포하는 ${repo.release}가 아닙니다. 이전 버전으로 되돌리면 증상은 사라져도 장애는 고쳐지지 않습니다. ${repo.release}를 배포하세요`,
      `${at}: ${version} is not ${repo.release}, the release this rollout ships; going back to an older version hides the symptom, it does not fix the incident. Ship ${repo.release}`,
    );
  }
  return null;
}

/** One part per question: does the image exist (and is it the release), can the node authenticate. */
function imageParts(md: Model, w: Workload): { ok: boolean; message: Msg }[] {
  const p = placed(md, 'Deployment', w);
  if (!p) return [{ ok: false, message: m(`Deployment ${w}이 없습니다.`, `There is no Deployment ${w}.`) }];
  const d = p.obj;
  const note = staleNote(md, 'Deployment', w);
  const exist: B[] = [];
  const auth: B[] = [];
  const all = containers(d, ['containers', 'initContainers']);
  if (!all.length) exist.push(m(`${d.where(POD_SPEC)}: 컨테이너가 없습니다`, `${d.where(POD_SPEC)}: there is no container`));
  const secrets = pullSecrets(md, d);
  for (const c of all) {
    const at = d.where([...c.path, 'image']);
    if (typeof c.c.image !== 'string' || !c.c.image.trim()) {
      exist.push(m(`${at}: 이미지가 없습니다`, `${at}: no image`));
      continue;
    }
    const img = splitImage(c.c.image.trim());
    const problem = imageProblem(img, at);
    if (c.c.imagePullPolicy === 'Never')
      exist.push(
        m(
          `${at}: imagePullPolicy: Never라 노드에 없는 이미지를 받지 않습니다 (ErrImageNeverPull)`,
          `${at}: imagePullPolicy: Never never pulls an image the node does not have (ErrImageNeverPull)`,
        ),
      );
    if (problem) exist.push(problem);
    if (img.name.startsWith(`${REGISTRY}/`)) {
      const sp = d.where([...POD_SPEC]);
      if (secrets.saMissing) {
        auth.push(
          m(
            `${sp}: serviceAccountName "${secrets.sa}"가 없어 ReplicaSet이 Pod를 만들지 못합니다 (serviceaccount "${secrets.sa}" not found)`,
            `${sp}: serviceAccountName "${secrets.sa}" does not exist, so the ReplicaSet cannot create pods (serviceaccount "${secrets.sa}" not found)`,
          ),
        );
        continue;
      }
      const usable = secrets.names.filter((n) => SECRETS[n]?.type === 'kubernetes.io/dockerconfigjson' && SECRETS[n]?.registry === REGISTRY);
      const inGit = secrets.names.filter((n) => placed(md, 'Secret', n)?.how === 'submitted');
      if (inGit.length) {
        auth.push(
          m(
            `${sp}: 레지스트리 자격 증명이 든 Secret "${inGit[0]}"를 매니페스트에 넣었습니다. 자격 증명은 Git에 두지 않습니다. 네임스페이스에 이미 있는 레지스트리용 Secret을 쓰세요`,
            `${sp}: the registry credentials Secret "${inGit[0]}" is in the manifests; credentials do not go into Git: use the registry Secret the namespace already has`,
          ),
        );
      } else if (!usable.length) {
        const unknown = secrets.names.filter((n) => n && !SECRETS[n]);
        auth.push(
          m(
            `${sp}: ${REGISTRY}는 인증이 필요한 레지스트리인데 이 Pod에는 쓸 수 있는 imagePullSecrets가 없습니다 (401 Unauthorized)${unknown.length ? `. "${unknown[0]}"라는 Secret은 없습니다` : ''}`,
            `${sp}: ${REGISTRY} needs credentials, and this pod has no usable imagePullSecrets (401 Unauthorized)${unknown.length ? `; there is no Secret "${unknown[0]}"` : ''}`,
          ),
        );
      }
    }
  }
  // The note (the cluster kept the old Deployment) is said once, with the first part that fails.
  const out = (xs: B[], first: boolean) => ({
    ok: xs.length === 0,
    message: (first ? (x: B) => withNote(note, x) : (x: B) => x)(m(xs.map((x) => x.ko).join('; ') + '.', xs.map((x) => x.en).join('; ') + '.')),
  });
  return [out(exist, true), out(auth, exist.length === 0)];
}

function checkImages(md: Model): CheckVerdict {
  const [cExist, cAuth] = imageParts(md, 'checkout');
  const [fExist, fAuth] = imageParts(md, 'frontend');
  const checkout = { ok: cExist!.ok && (cAuth?.ok ?? false), message: !cExist!.ok ? cExist!.message : cAuth!.message };
  return partial('images', 3, [checkout, fExist!, fAuth ?? fExist!]);
}

// ---------------------------------------------------------------------------------------------------------------
// scheduling: every replica fits on a node.

interface PodNeed {
  cpu: Quantity;
  memory: Quantity;
}

const ZERO: Quantity = { num: 0n, den: 1n };
const add = (a: Quantity, b: Quantity): Quantity => ({ num: a.num * b.den + b.num * a.den, den: a.den * b.den });
const sub_ = (a: Quantity, b: Quantity): Quantity => ({ num: a.num * b.den - b.num * a.den, den: a.den * b.den });
const max = (a: Quantity, b: Quantity) => (compareQuantity(a, b) >= 0 ? a : b);

/** What the scheduler reserves for one pod: per resource, requests (or the limit they default to), init containers by max. */
export function podNeed(d: K8sObject): { need: PodNeed; defaulted: string[] } {
  const defaulted: string[] = [];
  const of = (c: ContainerRef, r: 'cpu' | 'memory'): Quantity => {
    const req = get(c.c, ['resources', 'requests', r]);
    const lim = get(c.c, ['resources', 'limits', r]);
    if (req !== undefined) return parseQuantity(req) ?? ZERO;
    if (lim !== undefined) {
      defaulted.push(`${c.name} ${r}`);
      return parseQuantity(lim) ?? ZERO;
    }
    return ZERO;
  };
  const need: PodNeed = { cpu: ZERO, memory: ZERO };
  for (const c of containers(d)) for (const r of ['cpu', 'memory'] as const) need[r] = add(need[r], of(c, r));
  for (const c of containers(d, ['initContainers'])) for (const r of ['cpu', 'memory'] as const) need[r] = max(need[r], of(c, r));
  return { need, defaulted };
}

/** Whether a node satisfies the pod's nodeSelector and required node affinity. */
function nodeMatches(d: K8sObject, labels: Record<string, string>): boolean {
  const sel = d.get([...POD_SPEC, 'nodeSelector']);
  if (isObj(sel)) for (const [k, v] of Object.entries(sel)) if (labels[k] !== String(v)) return false;
  const terms = d.get([...POD_SPEC, 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms']);
  if (!Array.isArray(terms) || !terms.length) return true;
  return terms.some((t) => {
    const exprs = isObj(t) && Array.isArray(t.matchExpressions) ? t.matchExpressions : [];
    return exprs.every((e) => {
      if (!isObj(e) || typeof e.key !== 'string') return false;
      const vals = Array.isArray(e.values) ? e.values.map(String) : [];
      const has = e.key in labels;
      switch (e.operator) {
        case 'In':
          return has && vals.includes(labels[e.key]!);
        case 'NotIn':
          return !has || !vals.includes(labels[e.key]!);
        case 'Exists':
          return has;
        case 'DoesNotExist':
          return !has;
        case 'Gt':
          return has && Number(labels[e.key]) > Number(vals[0]);
        case 'Lt':
          return has && Number(labels[e.key]) < Number(vals[0]);
        default:
          return false;
      }
    });
  });
}

const fits = (n: PodNeed, free: PodNeed) => compareQuantity(n.cpu, free.cpu) <= 0 && compareQuantity(n.memory, free.memory) <= 0;

function checkScheduling(md: Model): CheckVerdict {
  const pods: { w: Workload; d: K8sObject; need: PodNeed }[] = [];
  const parts = new Map<Workload, B[]>(WORKLOADS.map((w) => [w, []]));
  for (const w of WORKLOADS) {
    const p = placed(md, 'Deployment', w);
    if (!p) {
      parts.get(w)!.push(m(`Deployment ${w}이 없습니다`, `there is no Deployment ${w}`));
      continue;
    }
    const d = p.obj;
    const note = staleNote(md, 'Deployment', w);
    const { need, defaulted } = podNeed(d);
    const replicas = typeof d.get(['spec', 'replicas']) === 'number' ? (d.get(['spec', 'replicas']) as number) : 1;
    const candidates = NODES.filter((n) => nodeMatches(d, n.labels));
    const c = mainContainer(d);
    const at = c ? d.where([...c.path, 'resources']) : d.where(POD_SPEC);
    if (!candidates.length) {
      parts
        .get(w)!
        .push(
          withNote(
            note,
            m(
              `${d.where([...POD_SPEC])}: nodeSelector나 nodeAffinity에 맞는 노드가 없습니다 (0/${NODES.length} nodes are available: node(s) didn't match Pod's node affinity/selector)`,
              `${d.where([...POD_SPEC])}: no node matches the nodeSelector or node affinity (0/${NODES.length} nodes are available: node(s) didn't match Pod's node affinity/selector)`,
            ),
          ),
        );
      continue;
    }
    if (!candidates.some((n) => fits(need, n.free))) {
      const short = (['cpu', 'memory'] as const).filter((r) => !candidates.some((n) => compareQuantity(need[r], n.free[r]) <= 0));
      const free = candidates[0]!.free;
      const detail = short.map((r) => `${r} ${formatQuantity(need[r], r)} > ${formatQuantity(free[r], r)}`).join(', ');
      const detailKo = short.map((r) => `${r} ${formatQuantity(need[r], r, 'ko')} > ${formatQuantity(free[r], r, 'ko')}`).join(', ');
      const dflt = defaulted.length
        ? m(
            ` requests를 지웠더니 쿠버네티스가 limits 값(${defaulted.join(', ')})을 requests로 씁니다.`,
            ` With requests left out, Kubernetes uses the limits (${defaulted.join(', ')}) as requests.`,
          )
        : m('', '');
      parts
        .get(w)!
        .push(
          withNote(
            note,
            m(
              `${at}: Pod 하나가 요청하는 양(${detailKo})이 어느 노드의 남은 자원보다도 큽니다 (0/${NODES.length} nodes are available: ${NODES.length} Insufficient ${short.join(', ')}).${dflt.ko}`,
              `${at}: one pod requests more (${detail}) than any node has left (0/${NODES.length} nodes are available: ${NODES.length} Insufficient ${short.join(', ')}).${dflt.en}`,
            ),
          ),
        );
      continue;
    }
    for (let i = 0; i < Math.min(replicas, 50); i++) pods.push({ w, d, need });
  }
  // The replicas together, placed largest first on the first node with room.
  const left = NODES.map((n) => ({ n, free: { ...n.free } }));
  pods.sort((a, b) => compareQuantity(b.need.cpu, a.need.cpu));
  const pending = new Map<Workload, number>();
  for (const pod of pods) {
    const slot = left.find((x) => nodeMatches(pod.d, x.n.labels) && fits(pod.need, x.free));
    if (!slot) pending.set(pod.w, (pending.get(pod.w) ?? 0) + 1);
    else slot.free = { cpu: sub_(slot.free.cpu, pod.need.cpu), memory: sub_(slot.free.memory, pod.need.memory) };
  }
  for (const [w, n] of pending) {
    const d = placed(md, 'Deployment', w)!.obj;
    const c = mainContainer(d);
    parts
      .get(w)!
      .push(
        m(
          `${c ? d.where([...c.path, 'resources', 'requests']) : d.where(POD_SPEC)}: Pod 하나는 노드에 들어가지만, 모든 복제본의 requests를 합치면 세 노드에 다 들어가지 않아 ${n}개가 Pending으로 남습니다`,
          `${c ? d.where([...c.path, 'resources', 'requests']) : d.where(POD_SPEC)}: one pod fits on a node, but all the replicas' requests together do not fit on the three nodes: ${n} stay Pending`,
        ),
      );
  }
  return partial(
    'scheduling',
    2,
    WORKLOADS.map((w) => {
      const xs = parts.get(w)!;
      return { ok: xs.length === 0, message: m(xs.map((x) => x.ko).join(' '), xs.map((x) => x.en).join(' ')) };
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// endpoints: each Service selects its pods and reaches the port they listen on.

function serviceParts(md: Model, w: Workload): { ok: boolean; message: Msg } {
  const ps = placed(md, 'Service', w);
  const pd = placed(md, 'Deployment', w);
  if (!ps || !pd) return { ok: false, message: m(`Service나 Deployment ${w}이 없습니다.`, `Service or Deployment ${w} is missing.`) };
  const s = ps.obj;
  const d = pd.obj;
  const note = staleNote(md, 'Service', w) ?? staleNote(md, 'Deployment', w);
  const sel = labelsAt(s, ['spec', 'selector']);
  const labels = labelsAt(d, ['spec', 'template', 'metadata', 'labels']);
  if (!Object.keys(sel).length) {
    return {
      ok: false,
      message: withNote(
        note,
        m(
          `${s.where(['spec'])}: selector가 없는 Service에는 쿠버네티스가 엔드포인트를 만들지 않습니다 (kubectl get endpoints ${w}: <none>).`,
          `${s.where(['spec'])}: for a Service without a selector Kubernetes makes no endpoints (kubectl get endpoints ${w}: <none>).`,
        ),
      ),
    };
  }
  if (!selects({ matchLabels: sel }, labels)) {
    const missing = Object.entries(sel)
      .filter(([k, v]) => labels[k] !== v)
      .map(([k, v]) => `${k}=${v}`);
    return {
      ok: false,
      message: withNote(
        note,
        m(
          `${s.where(['spec', 'selector'])}: 셀렉터(${fmtLabels(sel)})가 ${w} Pod의 레이블(${fmtLabels(labels)}, ${d.at(['spec', 'template', 'metadata', 'labels'])})을 고르지 못합니다. Pod에 없는 것: ${missing.join(', ')}. 그래서 엔드포인트가 없습니다 (<none>).`,
          `${s.where(['spec', 'selector'])}: the selector (${fmtLabels(sel)}) does not select the ${w} pods, labelled ${fmtLabels(labels)} (${d.at(['spec', 'template', 'metadata', 'labels'])}); the pods lack ${missing.join(', ')}, so there are no endpoints (<none>).`,
        ),
      ),
    };
  }
  const c = mainContainer(d);
  const repo = c ? imageRepo(c) : null;
  const listens = repo ? LISTENS[repo] : undefined;
  const ports = Array.isArray(s.get(['spec', 'ports'])) ? (s.get(['spec', 'ports']) as Json[]) : [];
  const bad: B[] = [];
  ports.forEach((pt, j) => {
    if (!isObj(pt) || !c) return;
    const target = pt.targetPort ?? pt.port;
    const n = resolvePort(target, containerPorts(c.c));
    if (listens !== undefined && n !== listens) {
      bad.push(
        m(
          `${s.where(['spec', 'ports', j])}: targetPort ${JSON.stringify(target)}는 ${n === null ? '컨테이너 포트 이름과 맞지 않습니다' : `포트 ${n}인데`} ${w}는 ${listens}에서 듣습니다 (connection refused)`,
          `${s.where(['spec', 'ports', j])}: targetPort ${JSON.stringify(target)} ${n === null ? 'names no container port' : `is port ${n}`}, while ${w} listens on ${listens} (connection refused)`,
        ),
      );
    }
  });
  if (!ports.length) bad.push(m(`${s.where(['spec'])}: ports가 없습니다`, `${s.where(['spec'])}: no ports`));
  return { ok: bad.length === 0, message: withNote(note, m(bad.map((x) => x.ko).join('; ') + '.', bad.map((x) => x.en).join('; ') + '.')) };
}

function checkEndpoints(md: Model): CheckVerdict {
  return partial(
    'endpoints',
    2,
    WORKLOADS.map((w) => serviceParts(md, w)),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// readiness / liveness: probes that ask the program, on the port it listens on.

/** What is wrong with a probe, or null. `paths`: what an httpGet may ask (null: any path the program answers). */
function probeProblem(d: K8sObject, c: ContainerRef, kind: 'readinessProbe' | 'livenessProbe', paths: string[] | null): B | null {
  const probe = c.c[kind];
  const at = d.where([...c.path, kind]);
  // An image this cluster does not know is the images check's business: its port and paths are not judged here.
  const repo = imageRepo(c);
  const listens = repo ? LISTENS[repo] : undefined;
  if (!isObj(probe)) {
    return kind === 'readinessProbe'
      ? m(
          `${d.where(c.path)}: ${c.name}에 readinessProbe가 없습니다. 프로브를 지우면 프로그램이 듣기 전에도 Pod가 Ready가 되어 요청이 실패합니다. 고칠 것은 프로브가 확인하는 포트입니다`,
          `${d.where(c.path)}: ${c.name} has no readinessProbe; without one a pod is Ready before the program listens and requests fail. What needs fixing is the port the probe checks`,
        )
      : m(
          `${d.where(c.path)}: ${c.name}에 livenessProbe가 없습니다 (원래 있었습니다). 멈춘 프로세스를 아무도 재시작하지 않습니다`,
          `${d.where(c.path)}: ${c.name} has no livenessProbe any more; nobody restarts a stuck process`,
        );
  }
  const handler = (['httpGet', 'tcpSocket', 'grpc'] as const).find((h) => isObj(probe[h]));
  if (!handler)
    return m(
      `${at}: exec 프로브는 포트를 확인하지 않습니다. httpGet이나 tcpSocket으로 ${listens ?? '앱의'} 포트를 확인하세요`,
      `${at}: an exec probe checks no port; use httpGet or tcpSocket on ${listens !== undefined ? `port ${listens}` : "the app's port"}`,
    );
  const port = (probe[handler] as Obj).port;
  const n = resolvePort(port, containerPorts(c.c));
  if (listens !== undefined && n !== listens) {
    return m(
      `${d.where([...c.path, kind, handler, 'port'])}: ${kind}가 ${n === null ? `포트 ${JSON.stringify(port ?? null)}(선언된 컨테이너 포트 이름이 아님)` : `포트 ${n}`}를 확인하는데 ${c.name}는 ${listens}에서 듣습니다 (connect: connection refused). 컨테이너 포트 선언을 바꿔도 프로그램이 듣는 포트는 바뀌지 않습니다`,
      `${d.where([...c.path, kind, handler, 'port'])}: the ${kind} checks ${n === null ? `port ${JSON.stringify(port ?? null)}, which names no declared container port` : `port ${n}`}, while ${c.name} listens on ${listens} (connect: connection refused); declaring another containerPort does not move where the program listens`,
    );
  }
  if (handler === 'httpGet') {
    const p = (probe.httpGet as Obj).path;
    const pathText = typeof p === 'string' ? p : '/';
    const answers = repo ? ANSWERS[repo] : undefined;
    if (answers && !answers.includes(pathText)) {
      return m(
        `${d.where([...c.path, kind, 'httpGet', 'path'])}: ${c.name}는 ${pathText}에 404로 답합니다 (HTTP probe failed with statuscode: 404). 답하는 경로: ${answers.join(', ')}`,
        `${d.where([...c.path, kind, 'httpGet', 'path'])}: ${c.name} answers ${pathText} with 404 (HTTP probe failed with statuscode: 404); it answers ${answers.join(', ')}`,
      );
    }
    if (paths && !paths.includes(pathText)) {
      return m(
        `${d.where([...c.path, kind, 'httpGet', 'path'])}: 이 프로브는 원래 ${paths.join(' 또는 ')}를 확인했습니다. ${pathText}는 데이터베이스가 멈춰도 성공해, 준비되지 않은 Pod에 요청이 갑니다`,
        `${d.where([...c.path, kind, 'httpGet', 'path'])}: this probe asked ${paths.join(' or ')}; ${pathText} succeeds while the database is down, so requests reach pods that cannot serve them`,
      );
    }
  }
  return null;
}

function checkReadiness(md: Model): CheckVerdict {
  return partial(
    'readiness',
    2,
    WORKLOADS.map((w) => {
      const p = placed(md, 'Deployment', w);
      const c = p ? mainContainer(p.obj) : undefined;
      if (!p || !c) return { ok: false, message: m(`Deployment ${w}에 컨테이너가 없습니다.`, `Deployment ${w} has no container.`) };
      const x = probeProblem(p.obj, c, 'readinessProbe', w === 'checkout' ? ['/readyz'] : null);
      return { ok: !x, message: x ? withNote(staleNote(md, 'Deployment', w), m(`${x.ko}.`, `${x.en}.`)) : '' };
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// rest-intact: what worked before still works.

function checkRestIntact(md: Model): CheckVerdict {
  const objects: Finding[] = [];
  const pods: Finding[] = [];
  const probes: B[] = [];
  const wanted: [string, string][] = [
    ['ConfigMap', 'checkout-config'],
    ['Deployment', 'checkout'],
    ['Service', 'checkout'],
    ['Deployment', 'frontend'],
    ['Service', 'frontend'],
  ];
  for (const [kind, name] of wanted) {
    const inFiles = md.submitted.some((o) => o.kind === kind && o.name === name && nsOf(o) === NAMESPACE);
    if (!inFiles) {
      const o = md.live.get(keyOf(kind, name))!;
      objects.push({
        file: o.doc.file.replace(/^live\//, ''),
        line: 1,
        where: `${kind} ${name}`,
        en: `not in the manifests any more (namespace ${NAMESPACE}). kubectl apply leaves the old one running, but Git no longer describes it, and the next clean deploy (or a GitOps tool that prunes) deletes it`,
        ko: `${kind} ${name}가 매니페스트(네임스페이스 ${NAMESPACE})에서 사라졌습니다. kubectl apply는 옛 것을 그대로 두지만 Git이 더 이상 그것을 설명하지 않아, 다음에 새로 배포하거나 정리(prune)하는 GitOps 도구가 지웁니다`,
      });
    }
  }
  const cm = placed(md, 'ConfigMap', 'checkout-config');
  if (cm?.how === 'submitted') {
    for (const [k, v] of [
      ['DB_HOST', 'db'],
      ['DB_USER', 'shop'],
      ['LOG_LEVEL', 'info'],
    ] as const) {
      const got = cm.obj.get(['data', k]);
      if (got !== v)
        objects.push(
          cm.obj.find(
            ['data'],
            `the key ${k}: ${v} is ${got === undefined ? 'gone' : `now ${JSON.stringify(got)}`}; keep the settings that were right`,
            `키 ${k}: ${v}가 ${got === undefined ? '사라졌습니다' : `${JSON.stringify(got)}로 바뀌었습니다`}. 맞던 설정은 그대로 두세요`,
          ),
        );
    }
  }
  for (const w of WORKLOADS) {
    const s = placed(md, 'Service', w);
    if (s?.how === 'submitted') {
      const type = s.obj.get(['spec', 'type']);
      if (type !== undefined && type !== 'ClusterIP')
        objects.push(
          s.obj.find(
            ['spec', 'type'],
            `type ${String(type)} opens ${w} outside the cluster; it was a ClusterIP Service, reached through the Gateway`,
            `type ${String(type)}는 ${w}를 클러스터 밖으로 엽니다. 원래 Gateway를 거쳐 들어오는 ClusterIP Service였습니다`,
          ),
        );
      const ports = s.obj.get(['spec', 'ports']);
      const p80 = Array.isArray(ports) && ports.some((p) => isObj(p) && p.port === 80);
      if (!p80)
        objects.push(
          s.obj.find(
            ['spec', 'ports'],
            `port 80 is gone; ${w === 'checkout' ? 'nginx in frontend calls http://checkout (port 80)' : 'the Gateway sends / to frontend on port 80'}`,
            `포트 80이 사라졌습니다. ${w === 'checkout' ? 'frontend의 nginx는 http://checkout(포트 80)을 부릅니다' : 'Gateway는 /를 frontend의 포트 80으로 보냅니다'}`,
          ),
        );
    }
    const p = placed(md, 'Deployment', w);
    if (!p || p.how !== 'submitted') continue;
    const d = p.obj;
    const replicas = d.get(['spec', 'replicas']);
    const n = typeof replicas === 'number' ? replicas : 1;
    if (n < REPLICAS[w]!)
      pods.push(
        d.find(
          replicas === undefined ? ['spec'] : ['spec', 'replicas'],
          `${w} runs ${n} replica${n === 1 ? '' : 's'}, not ${REPLICAS[w]} as before; fewer pods is not a fix for pods that do not start`,
          `${w}가 복제본 ${n}개로 줄었습니다 (원래 ${REPLICAS[w]}개). Pod 수를 줄이는 것은 뜨지 않는 Pod를 고치는 방법이 아닙니다`,
        ),
      );
    if (get(d.value, ['spec', 'strategy', 'type']) === 'Recreate')
      pods.push(
        d.find(
          ['spec', 'strategy', 'type'],
          'strategy Recreate stops every pod before starting new ones; the rolling update kept the shop up while new pods could not start',
          'strategy Recreate는 새 Pod를 띄우기 전에 모든 Pod를 멈춥니다. 롤링 업데이트 덕분에 새 Pod가 뜨지 못해도 쇼핑몰이 살아 있었습니다',
        ),
      );
    const labels = labelsAt(d, ['spec', 'template', 'metadata', 'labels']);
    if (labels['app.kubernetes.io/part-of'] !== 'shop')
      pods.push(
        d.find(
          ['spec', 'template', 'metadata', 'labels'],
          'the pods lost the label app.kubernetes.io/part-of: shop, which dashboards and kubectl get -l app.kubernetes.io/part-of=shop select them by',
          'Pod에서 app.kubernetes.io/part-of: shop 레이블이 사라졌습니다. 대시보드와 kubectl get -l app.kubernetes.io/part-of=shop이 이 레이블로 Pod를 고릅니다',
        ),
      );
    const nonRoot =
      d.get([...POD_SPEC, 'securityContext', 'runAsNonRoot']) === true || containers(d).every((c) => get(c.c, ['securityContext', 'runAsNonRoot']) === true);
    if (!nonRoot)
      pods.push(
        d.find(
          [...POD_SPEC, 'securityContext'],
          "runAsNonRoot: true is gone; the shop's images run as a non-root user and the pods said so",
          'runAsNonRoot: true가 사라졌습니다. 쇼핑몰 이미지는 root가 아닌 사용자로 실행되고 Pod도 그렇게 선언했었습니다',
        ),
      );
    const c = mainContainer(d);
    if (!c) continue;
    for (const r of ['cpu', 'memory'] as const) {
      if (get(c.c, ['resources', 'limits', r]) === undefined)
        pods.push(
          d.find(
            [...c.path, 'resources'],
            `container ${c.name} has no limits.${r} any more; the limit keeps one pod from taking the node (${r === 'memory' ? 'OOM' : 'CPU starvation'} of its neighbours)`,
            `컨테이너 ${c.name}에서 limits.${r}가 사라졌습니다. 제한이 있어야 Pod 하나가 노드를 다 차지하지 않습니다`,
          ),
        );
      if (get(c.c, ['resources', 'requests', r]) === undefined && get(c.c, ['resources', 'limits', r]) !== undefined && r === 'memory')
        pods.push(
          d.find(
            [...c.path, 'resources'],
            `container ${c.name} has no requests.memory any more; write the requests the scheduler should reserve`,
            `컨테이너 ${c.name}에서 requests.memory가 사라졌습니다. 스케줄러가 예약할 요청을 적으세요`,
          ),
        );
    }
    const live = probeProblem(d, c, 'livenessProbe', w === 'checkout' ? ['/healthz'] : null);
    if (live) probes.push(live);
  }
  return partial('rest-intact', 3, [
    { ok: objects.length === 0, message: say(objects) },
    { ok: pods.length === 0, message: say(pods) },
    { ok: probes.length === 0, message: m(probes.map((x) => `${x.ko}.`).join(' '), probes.map((x) => `${x.en}.`).join(' ')) },
  ]);
}

// ---------------------------------------------------------------------------------------------------------------

export interface GradeConfig {
  /** The live objects: grader/data/live. */
  liveDir: string;
}

export async function grade(sub: Submission, config: GradeConfig, ctx?: GradeContext): Promise<GraderVerdict> {
  const md = load(sub, readLive(config.liveDir));
  const { checks, report } = reporter(ctx);
  report(checkSchema(md));
  report(checkConfig(md));
  report(checkImages(md));
  report(checkScheduling(md));
  report(checkEndpoints(md));
  report(checkReadiness(md));
  report(checkRestIntact(md));
  return { gradable: true, checks };
}

export type { PathPart };
