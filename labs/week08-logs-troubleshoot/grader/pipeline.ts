/**
 * The hidden log files through a loaded configuration, plugin by plugin, with Fluent Bit 5.1's semantics:
 * - tail: files matching path (minus exclude_path), tagged by replacing "*" in the tag with the file's path (slashes as
 *   dots); multiline.parser cri reads "<time> <stream> <P|F> <text>", joins P parts and stamps the record with the
 *   runtime's time; without it each raw line is a record {log} stamped when it is read;
 * - filters in order, each on the records whose tag it matches (match globs, match_regex):
 *   kubernetes adds the Pod's metadata from the tag (kube_tag_prefix) and, with merge_log, lifts a JSON log line into
 *   the record (keep_log decides whether log stays); multiline joins lines per tag with the regex rules' state machine
 *   of src/multiline/flb_ml_rule.c (continuation rules of the current state first, then start_state rules; a line that
 *   matches neither flushes what is pending and goes alone); parser tries its parsers in order on key_name, a record
 *   that none parses passes unchanged, a parsed time replaces the record's time (with %z, else time_zone, else
 *   time_offset), reserve_data and preserve_key decide what else stays; grep keeps (regex) or drops (exclude) records;
 * - outputs: the records whose tag each output matches.
 */
import { get, isObj, type Json } from '../../../grader-kit/yamldocs';
import type { Config, MlRule, ParserDef, Plugin } from './config';
import { truthy } from './config';
import { PODS, NODE } from './data';
import { compile } from './regex';
import { strptime } from './strptime';

export interface Rec {
  tag: string;
  /** ms since the epoch. */
  time: number;
  fields: Record<string, Json>;
  /** Where the record's first line came from. */
  src: { file: string; line: number };
}

export interface RunResult {
  /** Records at each output (by the output's index). */
  outputs: Rec[][];
  /** Files no input read. */
  unread: string[];
}

const globRe = (g: string, slash: boolean) =>
  new RegExp(
    `^${g
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join(slash ? '[^/]*' : '.*')}$`,
  );

export function tagMatches(p: Plugin, tag: string): boolean {
  const m = p.get('match');
  if (m !== undefined && globRe(m, false).test(tag)) return true;
  const r = p.get('match_regex');
  if (r !== undefined) {
    const c = compile(r);
    if (c.ok && new RegExp(`^(?:${c.re.source})`).test(tag)) return true;
  }
  return false;
}

const CRI = /^(\S+) (stdout|stderr) ([FP]) ?(.*)$/;

function tailRecords(input: Plugin, files: Map<string, string[]>): Rec[] {
  const paths = (input.get('path') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const excludes = (input.get('exclude_path') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const tag = input.get('tag') ?? 'tail.0';
  const mls = (input.get('multiline.parser') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const out: Rec[] = [];
  for (const [file, lines] of files) {
    if (!paths.some((g) => globRe(g, true).test(file)) || excludes.some((g) => globRe(g, true).test(file))) continue;
    const t = tag.includes('*') ? tag.replace('*', file.replace(/\//g, '.').replace(/^\./, '')) : tag;
    let pending: { time: number; stream: string; text: string; line: number } | null = null;
    lines.forEach((raw, i) => {
      const m = mls.includes('cri') ? CRI.exec(raw) : null;
      if (!m) {
        // No CRI parser (or a line it does not read): the raw line, stamped when the agent reads it.
        const readAt = Date.parse(raw.split(' ')[0] ?? '') || 0;
        out.push({ tag: t, time: readAt + 1000, fields: { log: raw }, src: { file, line: i } });
        return;
      }
      const time = Date.parse(m[1]!);
      if (pending && pending.stream === m[2]) {
        pending.text += m[4]!;
      } else pending = { time, stream: m[2]!, text: m[4]!, line: i };
      if (m[3] === 'F') {
        out.push({ tag: t, time: pending.time, fields: { stream: pending.stream, _p: 'F', log: pending.text }, src: { file, line: pending.line } });
        pending = null;
      }
    });
  }
  return out;
}

// ── record accessor ($kubernetes['labels']['app'] or a plain key) ─────────────────────────────────────────────────

export function accessor(key: string): string[] {
  const k = key.trim();
  if (!k.startsWith('$')) return [k];
  const m = /^\$([^[\s]+)((?:\[['"][^'"]*['"]\])*)$/.exec(k);
  if (!m) return [k];
  return [m[1]!, ...[...m[2]!.matchAll(/\[['"]([^'"]*)['"]\]/g)].map((x) => x[1]!)];
}
export const lookup = (fields: Record<string, Json>, path: string[]): Json | undefined => get(fields, path);

// ── filters ───────────────────────────────────────────────────────────────────────────────────────────────────────

function kubernetes(f: Plugin, r: Rec): Rec {
  const prefix = f.get('kube_tag_prefix') ?? 'kube.var.log.containers.';
  if (!r.tag.startsWith(prefix)) return r;
  const name = r.tag.slice(prefix.length);
  const m = /^([^_]+)_([^_]+)_(.+)-([a-z0-9]{64})\.log$/.exec(name);
  if (!m) return r;
  const pod = PODS.find((p) => p.pod === m[1]);
  const meta: Record<string, Json> = { pod_name: m[1]!, namespace_name: m[2]!, host: NODE, container_name: m[3]!, docker_id: m[4]! };
  if (pod) {
    meta.container_image = pod.image;
    if (truthy(f.get('labels'), true)) meta.labels = { ...pod.labels };
  }
  const fields: Record<string, Json> = { ...r.fields };
  if (truthy(f.get('merge_log'), false) && typeof fields.log === 'string') {
    const text = truthy(f.get('merge_log_trim'), true) ? fields.log.trim() : fields.log;
    let parsed: Json | undefined;
    try {
      parsed = JSON.parse(text) as Json;
    } catch {
      parsed = undefined;
    }
    if (isObj(parsed)) {
      const into = f.get('merge_log_key');
      if (into) fields[into] = parsed;
      else Object.assign(fields, parsed);
      if (!truthy(f.get('keep_log'), true)) delete fields.log;
    }
  }
  fields.kubernetes = meta;
  return { ...r, fields };
}

function castTo(ty: string, v: string): Json {
  if (ty === 'integer') return /^[+-]?\d+$/.test(v) ? Number(v) : v;
  if (ty === 'float') return Number.isFinite(Number(v)) && v.trim() !== '' ? Number(v) : v;
  if (ty === 'bool') return /^true$/i.test(v) ? true : /^false$/i.test(v) ? false : v;
  if (ty === 'hex') return /^[0-9a-f]+$/i.test(v) ? parseInt(v, 16) : v;
  return v;
}

/** One parser on one text: the fields and the time it found, or null when it does not parse. */
export function runParser(p: ParserDef, text: string): { fields: Record<string, Json>; time?: number } | null {
  let fields: Record<string, Json>;
  if (p.format === 'json') {
    try {
      const v = JSON.parse(text) as Json;
      if (!isObj(v)) return null;
      fields = { ...v };
    } catch {
      return null;
    }
  } else {
    if (!p.regex) return null;
    const m = p.regex.exec(text);
    if (!m || !m.groups) return null;
    fields = {};
    for (const [k, v] of Object.entries(m.groups)) if (v !== undefined) fields[k] = castTo(p.types.get(k) ?? 'string', v);
  }
  let time: number | undefined;
  const raw = fields[p.timeKey];
  if (p.timeFormat !== undefined && typeof raw === 'string') {
    const t = strptime(raw, p.timeFormat);
    if (t) {
      const offset = t.offset ?? p.zone ?? p.timeOffset;
      time = t.utc - offset * 60_000;
      if (!p.timeKeep) delete fields[p.timeKey];
    } else delete fields[p.timeKey]; // "invalid time format": the key is skipped, the record keeps its time
  }
  return { fields, time };
}

function parserFilter(cfg: Config, f: Plugin, r: Rec): Rec {
  const key = f.get('key_name') ?? '';
  const value = r.fields[key];
  if (typeof value !== 'string') return r;
  for (const name of f.props.get('parser')?.values ?? []) {
    const p = cfg.parsers.get(name);
    if (!p) continue;
    const got = runParser(p, value);
    if (!got) continue;
    const fields: Record<string, Json> = { ...got.fields };
    const reserve = truthy(f.get('reserve_data'), false);
    const preserve = truthy(f.get('preserve_key'), false);
    for (const [k, v] of Object.entries(r.fields)) {
      if (k === key ? preserve : reserve) if (!(k in fields)) fields[k] = v;
    }
    return { ...r, fields, time: got.time ?? r.time };
  }
  return r;
}

function grep(f: Plugin, r: Rec): boolean {
  const test = (rule: string) => {
    const m = /^\s*(\S+)\s+(.+)$/.exec(rule);
    if (!m) return { has: false, hit: false };
    const v = lookup(r.fields, accessor(m[1]!));
    const c = compile(m[2]!);
    if (v === undefined || v === null || isObj(v) || Array.isArray(v) || !c.ok) return { has: false, hit: false };
    return { has: true, hit: c.re.test(String(v)) };
  };
  const regex = (f.props.get('regex')?.values ?? []).map(test);
  const exclude = (f.props.get('exclude')?.values ?? []).map(test);
  const or = (f.get('logical_op') ?? 'legacy').toLowerCase() === 'or';
  if (regex.length) {
    const keep = or ? regex.some((x) => x.hit) : regex.every((x) => x.has && x.hit);
    if (!keep) return false;
  }
  if (exclude.length) {
    const drop = or || (f.get('logical_op') ?? 'legacy').toLowerCase() === 'legacy' ? exclude.some((x) => x.hit) : exclude.every((x) => x.hit);
    if (drop) return false;
  }
  return true;
}

/** The multiline filter over the records of one tag, in order (src/multiline/flb_ml_rule.c). */
function multiline(cfg: Config, f: Plugin, recs: Rec[]): Rec[] {
  const key = f.get('multiline.key_content');
  const names = (f.get('multiline.parser') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const parser = names.map((n) => cfg.mlParsers.get(n)).find((x) => x);
  if (!key || !parser) return recs;
  const out: Rec[] = [];
  let group: { rec: Rec; text: string } | null = null;
  // The rule last matched: its next_state names the rules that may continue the record. Like Fluent Bit, a flush does
  // not reset it.
  let last: { next: string } | null = null as { next: string } | null;
  const flush = () => {
    if (group) out.push({ ...group.rec, fields: { ...group.rec.fields, [key]: group.text } });
    group = null;
  };
  const starts = parser.rules.filter((r) => r.state === 'start_state');
  for (const r of recs) {
    const text = r.fields[key];
    if (typeof text !== 'string') {
      flush();
      out.push(r);
      continue;
    }
    const next: string | undefined = last ? (last as { next: string }).next : undefined;
    const cont: MlRule | undefined =
      next !== undefined && group ? parser.rules.find((x) => x.state !== 'start_state' && x.state === next && x.re.test(text)) : undefined;
    if (cont && group) {
      const g: { rec: Rec; text: string } = group;
      g.text = g.text.endsWith('\n') ? g.text + text : `${g.text}\n${text}`;
      last = cont;
      continue;
    }
    const s = starts.find((x) => x.re.test(text));
    flush();
    if (s) {
      group = { rec: r, text };
      last = s;
    } else out.push(r);
  }
  flush();
  return out;
}

export function run(cfg: Config, files: Map<string, string[]>): RunResult {
  const read = new Set<string>();
  let recs: Rec[] = [];
  for (const input of cfg.inputs) {
    const got = tailRecords(input, files);
    for (const r of got) read.add(r.src.file);
    recs.push(...got);
  }
  for (const f of cfg.filters) {
    if (f.name === 'multiline') {
      // Per tag, in the order each file was read; other records pass.
      const byTag = new Map<string, Rec[]>();
      const rest: Rec[] = [];
      for (const r of recs) (tagMatches(f, r.tag) ? (byTag.get(r.tag) ?? byTag.set(r.tag, []).get(r.tag)!) : rest).push(r);
      recs = [...rest, ...[...byTag.values()].flatMap((rs) => multiline(cfg, f, rs))];
      continue;
    }
    const next: Rec[] = [];
    for (const r of recs) {
      if (!tagMatches(f, r.tag)) next.push(r);
      else if (f.name === 'kubernetes') next.push(kubernetes(f, r));
      else if (f.name === 'parser') next.push(parserFilter(cfg, f, r));
      else if (f.name === 'grep') {
        if (grep(f, r)) next.push(r);
      } else next.push(r);
    }
    recs = next;
  }
  const outputs = cfg.outputs.map((o) => recs.filter((r) => tagMatches(o, r.tag)));
  return { outputs, unread: [...files.keys()].filter((f) => !read.has(f)) };
}
