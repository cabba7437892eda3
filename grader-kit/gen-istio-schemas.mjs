// Writes istio/istio-schemas.json: the v1 OpenAPI schemas of the Istio kinds the mesh labs read (week 10 and its
// troubleshooting lab), taken from Istio's own CRDs
// (istio/api kubernetes/customresourcedefinitions.gen.yaml) with descriptions dropped, the apiVersions each kind is
// served at, and the CEL rules (x-kubernetes-validations) replaced by `cel: [{ name, message }]`, naming the rules
// istio-schema.ts implements.
// A rule this script does not know stops it, so a new Istio release cannot slip a rule past the grader unnoticed.
// A development tool, not part of the grader runtime. Run from the repository root with the CRD file of a release:
//   git -C <istio/api clone> show v1.30.3:kubernetes/customresourcedefinitions.gen.yaml > /tmp/crds.yaml
//   node grader-kit/gen-istio-schemas.mjs /tmp/crds.yaml "istio/api v1.30.3 (Istio 1.30)"
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const [crdFile, source] = process.argv.slice(2);
if (!crdFile || !source) {
  console.error('usage: node gen-istio-schemas.mjs <customresourcedefinitions.gen.yaml> "<source label>"');
  process.exit(2);
}
const YAML = createRequire(path.resolve('package.json'))('yaml');
const KINDS = ['VirtualService', 'DestinationRule', 'PeerAuthentication', 'AuthorizationPolicy', 'Gateway'];

// CEL rule text (whitespace collapsed) -> the name schema.ts knows it by.
const RULES = {
  "duration(self) >= duration('1ms')": 'duration-at-least-1ms',
  'self.all(key, !key.contains("*"))': 'label-keys-without-wildcard',
  'self.all(key, key.size() != 0)': 'label-keys-not-empty',
  '!self.contains("*")': 'label-value-without-wildcard',
  '(has(self.serviceAccounts) || has(self.notServiceAccounts)) ? (!has(self.principals) && !has(self.notPrincipals) && !has(self.namespaces) && !has(self.notNamespaces)) : true':
    'service-accounts-alone',
  'self.size() == 0': 'same-namespace-only',
  'has(self.portLevelMtls) ? (((has(self.selector) && has(self.selector.matchLabels)) ? self.selector.matchLabels : {}).size() > 0) : true':
    'port-level-mtls-needs-selector',
  'self.all(key, 0 < int(key) && int(key) <= 65535)': 'port-keys-in-range',
};

function convert(s, where) {
  if (Array.isArray(s)) return s.map((x, i) => convert(x, `${where}[${i}]`));
  if (!s || typeof s !== 'object') return s;
  const out = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === 'description') continue;
    if (k === 'x-kubernetes-validations') {
      out.cel = v.map((r) => {
        const text = r.rule.replace(/\s+/g, ' ').trim();
        // (has(self.a) ? 1 : 0) + (has(self.b) ? 1 : 0) ... <= 1: at most one of these fields.
        const terms = /^\(has\(self\.\w+\) \? 1 : 0\)( \+ \(has\(self\.\w+\) \? 1 : 0\))+ <= 1$/.test(text)
          ? [...text.matchAll(/has\(self\.(\w+)\)/g)].map((m) => m[1])
          : null;
        if (terms) return { name: 'at-most-one', fields: terms, message: r.message };
        const name = RULES[text];
        if (!name) throw new Error(`${where}: unknown CEL rule ${JSON.stringify(text)} (${r.message}); implement it in schema.ts and name it here`);
        return { name, message: r.message };
      });
      continue;
    }
    out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v).map(([n, c]) => [n, convert(c, `${where}.${n}`)])) : convert(v, `${where}.${k}`);
  }
  return out;
}

const out = { generatedFrom: source, kinds: {} };
for (const doc of YAML.parseAllDocuments(fs.readFileSync(crdFile, 'utf8'))) {
  const crd = doc.toJS();
  const kind = crd?.spec?.names?.kind;
  if (!KINDS.includes(kind)) continue;
  const v1 = crd.spec.versions.find((v) => v.name === 'v1');
  if (!v1) throw new Error(`${kind} has no v1 version`);
  out.kinds[kind] = {
    group: crd.spec.group,
    served: crd.spec.versions.filter((v) => v.served).map((v) => ({ name: v.name, deprecated: !!v.deprecated })),
    spec: convert(v1.schema.openAPIV3Schema.properties.spec, `${kind}.spec`),
  };
}
for (const k of KINDS) if (!out.kinds[k]) throw new Error(`${k} is not in ${crdFile}`);
const dest = path.join(path.dirname(fileURLToPath(import.meta.url)), 'istio', 'istio-schemas.json');
fs.writeFileSync(dest, JSON.stringify(out) + '\n');
console.log(`wrote ${dest} (${fs.statSync(dest).size} bytes) from ${source}`);
