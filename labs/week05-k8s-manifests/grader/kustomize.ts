/**
 * The parts of a kustomization.yaml this lab applies. kubectl is not in the grader image, so instead of running
 * `kubectl kustomize` the grader checks the file's shape and resource list and applies the transformations that
 * change what the other checks look at: `namespace`, `images` and `replicas`. Other transformers (patches, labels,
 * generators) are accepted and not applied.
 */
import { isObj, type Json, type YamlDoc } from '../../../grader-kit/yamldocs';
import type { Finding } from '../../../grader-kit/k8s-objects';

export interface ImageOverride {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
  line: number;
}

export interface Kustomization {
  file: string;
  namespace?: string;
  namespaceLine: number;
  images: ImageOverride[];
  replicas: { name: string; count: number; line: number }[];
  problems: Finding[];
}

/** Top-level fields of kustomize's Kustomization (v5) and its legacy spellings. */
const FIELDS = new Set([
  'apiVersion',
  'kind',
  'metadata',
  'resources',
  'components',
  'bases',
  'namespace',
  'namePrefix',
  'nameSuffix',
  'commonLabels',
  'labels',
  'commonAnnotations',
  'images',
  'replicas',
  'patches',
  'patchesStrategicMerge',
  'patchesJson6902',
  'configMapGenerator',
  'secretGenerator',
  'generatorOptions',
  'vars',
  'replacements',
  'crds',
  'configurations',
  'generators',
  'transformers',
  'validators',
  'openapi',
  'helmCharts',
  'helmGlobals',
  'buildMetadata',
  'sortOptions',
  'inventory',
]);

function normalise(base: string, rel: string): string | null {
  const parts = base.split('/').filter(Boolean);
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (!parts.length) return null;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join('/');
}

export function readKustomization(docs: YamlDoc[], files: Set<string>, required: string[]): Kustomization {
  const file = docs[0]?.file ?? 'k8s/kustomization.yaml';
  const k: Kustomization = { file, namespaceLine: 1, images: [], replicas: [], problems: [] };
  const add = (line: number, en: string, ko: string) => k.problems.push({ file, line, en, ko });
  if (docs.length !== 1) {
    add(docs[1]?.line() ?? 1, 'a kustomization is a single YAML document', 'kustomization은 YAML 문서 하나여야 합니다');
    if (!docs.length) return k;
  }
  const d = docs[0]!;
  const o = d.value;
  if (!isObj(o)) {
    add(d.line(), 'the kustomization is not a mapping', 'kustomization이 매핑이 아닙니다');
    return k;
  }
  if (o.apiVersion !== undefined && o.apiVersion !== 'kustomize.config.k8s.io/v1beta1') {
    add(
      d.line(['apiVersion']),
      `apiVersion must be kustomize.config.k8s.io/v1beta1 (found "${String(o.apiVersion)}")`,
      `apiVersion은 kustomize.config.k8s.io/v1beta1이어야 합니다 ("${String(o.apiVersion)}")`,
    );
  }
  if (o.kind !== undefined && o.kind !== 'Kustomization')
    add(d.line(['kind']), `kind must be Kustomization (found "${String(o.kind)}")`, `kind는 Kustomization이어야 합니다 ("${String(o.kind)}")`);
  for (const key of Object.keys(o)) if (!FIELDS.has(key)) add(d.line([key]), `unknown field "${key}"`, `알 수 없는 필드 "${key}"`);

  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
  const listed = new Set<string>();
  const resources: Json = o.resources ?? o.bases ?? null;
  if (!Array.isArray(resources)) {
    add(d.line(['resources']), 'resources must list the manifest files', 'resources에 매니페스트 파일을 나열해야 합니다');
  } else {
    resources.forEach((r, i) => {
      const line = d.line(['resources', i]);
      if (typeof r !== 'string') return add(line, `resources[${i}] is not a path`, `resources[${i}]가 경로가 아닙니다`);
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(r) || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(r)) {
        return add(line, `${r}: remote resources cannot be graded; submit the files`, `${r}: 원격 리소스는 채점할 수 없습니다. 파일을 함께 제출하세요`);
      }
      const p = normalise(dir, r);
      if (p === null || !files.has(p))
        return add(line, `resources lists "${r}", which is not among the submitted files`, `resources의 "${r}"가 제출한 파일에 없습니다`);
      listed.add(p);
    });
    // Files submitted beside the kustomization but left out of it would be skipped by `kubectl apply -k`.
    const manifests = [...files].filter((f) => /\.ya?ml$/.test(f) && f !== file && (dir ? f.startsWith(`${dir}/`) : true));
    for (const req of [...required, ...manifests.filter((f) => !required.includes(f)).sort()]) {
      if (!listed.has(req))
        add(
          d.line(['resources']),
          `resources does not list ${req.slice(dir ? dir.length + 1 : 0)}`,
          `resources에 ${req.slice(dir ? dir.length + 1 : 0)}이 없습니다`,
        );
    }
  }
  if (o.namespace !== undefined) {
    if (typeof o.namespace !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(o.namespace) || o.namespace.length > 63) {
      add(
        d.line(['namespace']),
        `namespace "${String(o.namespace)}" is not a valid namespace name`,
        `namespace "${String(o.namespace)}"는 올바른 네임스페이스 이름이 아닙니다`,
      );
    } else {
      k.namespace = o.namespace;
      k.namespaceLine = d.line(['namespace']);
    }
  }
  if (o.images !== undefined) {
    if (!Array.isArray(o.images)) add(d.line(['images']), 'images must be a list', 'images는 목록이어야 합니다');
    else
      o.images.forEach((im, i) => {
        const line = d.line(['images', i]);
        const okStr = (x: Json | undefined) => x === undefined || typeof x === 'string' || typeof x === 'number';
        if (!isObj(im) || typeof im.name !== 'string' || !okStr(im.newName) || !okStr(im.newTag) || !okStr(im.digest)) {
          return add(
            line,
            `images[${i}] needs a name and optionally newName, newTag or digest`,
            `images[${i}]에는 name과 선택적으로 newName, newTag, digest가 있어야 합니다`,
          );
        }
        const bad = Object.keys(im).filter((x) => !['name', 'newName', 'newTag', 'digest', 'tagSuffix'].includes(x));
        if (bad.length) add(d.line(['images', i, bad[0]!]), `unknown field "images[${i}].${bad[0]}"`, `알 수 없는 필드 "images[${i}].${bad[0]}"`);
        k.images.push({
          name: im.name,
          newName: im.newName === undefined ? undefined : String(im.newName),
          newTag: im.newTag === undefined ? undefined : String(im.newTag),
          digest: im.digest === undefined ? undefined : String(im.digest),
          line,
        });
      });
  }
  if (o.replicas !== undefined) {
    if (!Array.isArray(o.replicas)) add(d.line(['replicas']), 'replicas must be a list of name and count', 'replicas는 name과 count의 목록이어야 합니다');
    else
      o.replicas.forEach((r, i) => {
        const line = d.line(['replicas', i]);
        if (!isObj(r) || typeof r.name !== 'string' || typeof r.count !== 'number' || !Number.isInteger(r.count) || r.count < 0) {
          return add(line, `replicas[${i}] needs a name and a whole-number count`, `replicas[${i}]에는 name과 0 이상의 정수 count가 있어야 합니다`);
        }
        k.replicas.push({ name: r.name, count: r.count, line });
      });
  }
  return k;
}
