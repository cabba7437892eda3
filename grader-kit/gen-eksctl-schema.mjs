#!/usr/bin/env node
/**
 * Writes eksctl-schema.json: eksctl's own JSON schema of ClusterConfig (pkg/apis/eksctl.io/v1alpha5/assets/schema.json
 * in the eksctl repository), with the documentation strings removed. Week 6's graders validate submissions against it, so
 * unknown fields, wrong types and unknown enum values are refused exactly where eksctl's strict loader refuses them.
 *
 *   node grader-kit/gen-eksctl-schema.mjs <path to eksctl's schema.json> <eksctl version> <commit>
 *
 * Update it when eksctl releases a new config field (SCHEMA_SOURCE in eksctl-schema.ts reads its $comment).
 */
import fs from 'node:fs';
import path from 'node:path';

const [src, version, commit] = process.argv.slice(2);
if (!src || !version || !commit) {
  console.error('usage: gen-eksctl-schema.mjs <schema.json> <eksctl version> <commit>');
  process.exit(2);
}
const DROP = new Set(['description', 'x-intellij-html-description', 'preferredOrder', 'x-kubernetes-group-version-kind']);
function strip(v, inProps) {
  if (Array.isArray(v)) return v.map((x) => strip(x, false));
  if (v === null || typeof v !== 'object') return v;
  const out = {};
  for (const [k, x] of Object.entries(v)) {
    // Inside "properties" and "definitions" the keys are field names, never keywords: keep them all.
    if (!inProps && DROP.has(k)) continue;
    out[k] = strip(x, k === 'properties' || k === 'definitions');
  }
  return out;
}
const schema = strip(JSON.parse(fs.readFileSync(src, 'utf8')), false);
// Where eksctl's loader takes more than its generated schema says: taints are a list of {key, value, effect} or a
// {key: "value:Effect"} map (taintsWrapper.UnmarshalJSON in pkg/apis/eksctl.io/v1alpha5/types.go).
const taints = schema.definitions.taintsWrapper;
if (!taints || taints.type !== 'array') throw new Error('taintsWrapper changed shape: check the corrections in this script');
schema.definitions.taintsWrapper = { anyOf: [taints, { type: 'object', additionalProperties: { type: 'string' } }] };
schema.$comment = `eksctl ${version} (commit ${commit}): pkg/apis/eksctl.io/v1alpha5/assets/schema.json, documentation strings removed by gen-eksctl-schema.mjs`;
fs.writeFileSync(path.join(import.meta.dirname, 'eksctl-schema.json'), JSON.stringify(schema, null, 1) + '\n');
