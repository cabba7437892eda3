// Generates known-fields.json: the field names Istio's schemas declare, as a tree, for the kinds this lab grades.
// The compiled validators in @kubernetes-models/istio check types and enums but let unknown fields through, while
// `kubectl apply` refuses them (strict field validation, the default since Kubernetes 1.27) and istioctl validate does
// too. The grader walks a resource against this tree to report a misspelt field at its line.
// Tree: 0 = a scalar or anything (not walked), { f: { name: node } } = an object with these fields,
// { m: node } = a map whose values are node, { i: node } = a list of node.
// Run from the repository root after updating @kubernetes-models/istio:
//   node labs/week10-service-mesh/grader/gen-known-fields.mjs
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(path.resolve('package.json'));
const pkgDir = path.dirname(require.resolve('@kubernetes-models/istio/package.json'));
// networking.istio.io/v1 and security.istio.io/v1 PeerAuthentication are the v1beta1 schemas promoted unchanged
// (Istio 1.22); the package ships v1 models only for AuthorizationPolicy and RequestAuthentication.
const kinds = {
  VirtualService: 'networking.istio.io/v1beta1/VirtualService.js',
  DestinationRule: 'networking.istio.io/v1beta1/DestinationRule.js',
  PeerAuthentication: 'security.istio.io/v1beta1/PeerAuthentication.js',
  AuthorizationPolicy: 'security.istio.io/v1/AuthorizationPolicy.js',
};

function tree(s) {
  if (!s || typeof s !== 'object') return 0;
  if (s.additionalProperties && typeof s.additionalProperties === 'object') return { m: tree(s.additionalProperties) };
  if (s.properties && Object.keys(s.properties).length) {
    const f = {};
    for (const [k, v] of Object.entries(s.properties)) f[k] = k === 'metadata' ? 0 : tree(v);
    return { f };
  }
  if (s.type === 'array' && s.items) return { i: tree(s.items) };
  return 0;
}

// Fields newer Istio releases added that this package version does not know yet.
const additions = { AuthorizationPolicy: ['targetRef', 'targetRefs'] };

const out = { generatedFrom: `@kubernetes-models/istio@${require('@kubernetes-models/istio/package.json').version}`, kinds: {} };
for (const [kind, rel] of Object.entries(kinds)) {
  const text = fs.readFileSync(path.join(pkgDir, rel), 'utf8');
  const m = /const schema = (\{[\s\S]*?\n\});\n/.exec(text);
  if (!m) throw new Error(`no schema in ${rel}`);
  const t = tree(Function(`return ${m[1]}`)());
  for (const f of additions[kind] ?? []) t.f.spec.f[f] ??= 0;
  out.kinds[kind] = t;
}
const dest = path.join(path.dirname(fileURLToPath(import.meta.url)), 'known-fields.json');
fs.writeFileSync(dest, JSON.stringify(out) + '\n');
console.log(`wrote ${dest}`);
