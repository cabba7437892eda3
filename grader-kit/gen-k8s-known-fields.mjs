// Generates a lab's known-fields.json: for each Kubernetes type reachable from the given kinds, the field names it
// declares and the type of each field's value. The compiled validators in kubernetes-models do not reject unknown
// fields (the OpenAPI schemas allow them), while `kubectl apply` does (strict field validation, the default since
// Kubernetes 1.27). `unknownFields` in k8s-fields.ts walks a resource against this table to report a misspelt field
// the way kubectl would. A development tool, not part of the grader runtime. Run from the repository root after
// updating kubernetes-models, naming the lab's grader folder (or a .json file) and the kinds it reads, e.g.
//   node grader-kit/gen-k8s-known-fields.mjs labs/week09-deploy-optimisation/grader apps/v1/Deployment policy/v1/PodDisruptionBudget
// The kit's shared table for k8s-schema.ts (week 5 and its troubleshooting lab, the workspaces' lms validate):
//   node grader-kit/gen-k8s-known-fields.mjs grader-kit/k8s-known-fields.json apps/v1/Deployment v1/Service v1/ConfigMap \
//     v1/Secret v1/ServiceAccount autoscaling/v2/HorizontalPodAutoscaler policy/v1/PodDisruptionBudget \
//     networking.k8s.io/v1/Ingress networking.k8s.io/v1/NetworkPolicy
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const [outDir, ...roots] = process.argv.slice(2);
if (!outDir || !roots.length) {
  console.error('usage: node grader-kit/gen-k8s-known-fields.mjs <grader-dir | file.json> <group/version/Kind>...');
  process.exit(2);
}
const require = createRequire(path.resolve('package.json'));
const pkgDir = path.dirname(require.resolve('kubernetes-models/package.json'));

const types = {};
function keyOf(file) {
  const rel = path.relative(path.dirname(pkgDir), file).replace(/\.d\.ts$/, '');
  return rel.replace(/^kubernetes-models\//, '').replace(/^(node_modules\/)?@kubernetes-models\//, '@');
}
function resolveImport(fromFile, spec) {
  if (spec.startsWith('.')) return path.resolve(path.dirname(fromFile), spec) + '.d.ts';
  const pj = require.resolve(spec.split('/').slice(0, 2).join('/') + '/package.json', { paths: [pkgDir] });
  return path.join(path.dirname(pj), spec.split('/').slice(2).join('/')) + '.d.ts';
}
function visit(file) {
  const key = keyOf(file);
  if (key in types) return types[key] === null ? null : key;
  const text = fs.readFileSync(file, 'utf8');
  const imports = new Map();
  for (const m of text.matchAll(/^import \{ (\w+) \} from "([^"]+)";$/gm)) imports.set(m[1], m[2]);
  const body = /^export interface I\w+(?: extends [\w, ]+)? \{\n([\s\S]*?)\n\}/m.exec(text);
  if (!body) {
    // A type alias (Time, Quantity, IntOrString, ...): a leaf value, not an object with fields.
    types[key] = null;
    return null;
  }
  types[key] = {};
  const props = {};
  for (const m of body[1].matchAll(/^ {4}"([^"]+)"\??: (.*)$/gm)) {
    let t = m[2].replace(/;$/, '');
    const arr = /^Array<(\w+)>$/.exec(t);
    if (arr) t = arr[1];
    props[m[1]] = imports.has(t) && /^I/.test(t) ? resolveImport(file, imports.get(t)) : null;
  }
  // TypeMeta fields come from `extends TypeMeta`.
  if (/extends TypeMeta/.test(body[0])) {
    props.apiVersion ??= null;
    props.kind ??= null;
  }
  const out = {};
  types[key] = out;
  for (const [name, f] of Object.entries(props)) out[name] = f && fs.existsSync(f) ? visit(f) : null;
  return key;
}
const rootKeys = {};
for (const root of roots) rootKeys[root] = visit(path.join(pkgDir, root + '.d.ts'));
for (const k of Object.keys(types)) if (types[k] === null) delete types[k];
const out = { generatedFrom: `kubernetes-models@${require('kubernetes-models/package.json').version}`, roots: rootKeys, types };
const dest = outDir.endsWith('.json') ? outDir : path.join(outDir, 'known-fields.json');
fs.writeFileSync(dest, JSON.stringify(out) + '\n');
console.log(`wrote ${dest}: ${Object.keys(types).length} types`);
