/**
 * Reading the learner's YAML safely: every document of every file, with a way back from a field path to the line it
 * was written on. Malformed input (invalid UTF-8, a YAML syntax error, an alias bomb, absurd nesting) is not
 * gradable.
 */
import YAML, { isAlias, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import { NotGradable, type Submission } from './index';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Obj = { [k: string]: Json };
export type PathPart = string | number;

export const MAX_DEPTH = 64;
export const MAX_DOCS = 50;

export interface YamlDoc {
  file: string;
  /** 0-based index of the document in its file. */
  index: number;
  value: Json;
  /** The line (1-based) where the deepest existing part of `path` is written. */
  line(path?: PathPart[]): number;
}

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Depth without recursion, so a hostile document cannot overflow the stack. */
export function depthOf(root: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (d > max) max = d;
    if (d > MAX_DEPTH) return d;
    if (Array.isArray(v)) for (const x of v) stack.push([x, d + 1]);
    else if (isObj(v)) for (const x of Object.values(v)) stack.push([x, d + 1]);
  }
  return max;
}

function lineFinder(doc: Document, lc: YAML.LineCounter): (path?: PathPart[]) => number {
  return (path = []) => {
    let node: unknown = doc.contents;
    const start = (node as Node | null)?.range?.[0] ?? 0;
    let offset = start;
    for (const step of path) {
      // An alias (`*name`) stands for its anchor's node: follow it, so fields reached through it get the anchor's lines.
      for (let hops = 0; isAlias(node) && hops < 8; hops++) node = (node as YAML.Alias).resolve(doc);
      if (isMap(node)) {
        let pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(step));
        // A key brought in by a merge key (`<<: *defaults`) is written where the merged mapping is.
        if (!pair) {
          for (const m of node.items.filter((p) => isScalar(p.key) && (p.key.source === '<<' || p.key.value === '<<'))) {
            const sources = isSeq(m.value) ? m.value.items : [m.value];
            for (const src of sources) {
              const target = isAlias(src) ? (src as YAML.Alias).resolve(doc) : src;
              const hit = isMap(target) ? target.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(step)) : undefined;
              if (hit) {
                pair = hit;
                break;
              }
            }
            if (pair) break;
          }
        }
        if (!pair) break;
        const k = pair.key as Node | null;
        if (k?.range) offset = k.range[0];
        node = pair.value;
      } else if (isSeq(node) && typeof step === 'number') {
        const item = node.items[step] as Node | undefined;
        if (!item) break;
        if (item.range) offset = item.range[0];
        node = item;
      } else break;
    }
    return lc.linePos(offset).line;
  };
}

/**
 * Parses one file into its non-empty documents. `version: '1.1'` reads YAML 1.1 scalars as Go's gopkg.in/yaml.v2
 * (and so sigs.k8s.io/yaml, eksctl's reader) does: yes/no/on/off are booleans.
 */
export function parseYamlFile(sub: Submission, file: string, opts: { version?: '1.1' | '1.2' } = {}): YamlDoc[] {
  if (!sub.isValidUtf8(file)) throw new NotGradable({ ko: `${file}: UTF-8 텍스트가 아닙니다.`, en: `${file} is not UTF-8 text.` });
  const text = sub.text(file)!;
  const lc = new YAML.LineCounter();
  let docs: Document.Parsed[];
  try {
    // merge: `<<` merge keys, which Kubernetes' YAML reader (YAML 1.1) applies; YAML 1.2 alone would keep `<<` as a key.
    docs = YAML.parseAllDocuments(text, {
      lineCounter: lc,
      prettyErrors: false,
      uniqueKeys: true,
      merge: true,
      ...(opts.version ? { version: opts.version } : {}),
    }) as Document.Parsed[];
  } catch (e) {
    throw new NotGradable({ ko: `${file}를 YAML로 읽을 수 없습니다: ${short(e)}`, en: `${file} is not valid YAML: ${short(e)}` });
  }
  if (!Array.isArray(docs)) docs = [];
  const out: YamlDoc[] = [];
  for (const [i, doc] of docs.entries()) {
    const err = doc.errors[0];
    if (err) {
      const line = err.pos ? lc.linePos(err.pos[0]).line : 1;
      const msg = err.message.split('\n')[0]!.slice(0, 200);
      throw new NotGradable({ ko: `${file}:${line}: YAML 문법 오류입니다: ${msg}`, en: `${file}:${line}: YAML syntax error: ${msg}` });
    }
    let value: Json;
    try {
      value = doc.toJS({ maxAliasCount: 100 }) as Json;
    } catch (e) {
      throw new NotGradable({ ko: `${file}: YAML을 풀 수 없습니다 (${short(e)}).`, en: `${file}: cannot expand the YAML (${short(e)}).` });
    }
    if (value === null || value === undefined) continue;
    if (depthOf(value) > MAX_DEPTH) throw new NotGradable({ ko: `${file}: 너무 깊게 중첩되어 있습니다.`, en: `${file}: nested too deeply.` });
    if (out.length >= MAX_DOCS)
      throw new NotGradable({ ko: `${file}: 문서가 너무 많습니다 (최대 ${MAX_DOCS}개).`, en: `${file}: too many documents (at most ${MAX_DOCS}).` });
    out.push({ file, index: i, value, line: lineFinder(doc, lc) });
  }
  return out;
}

function short(e: unknown): string {
  return String((e as Error)?.message ?? e)
    .split('\n')[0]!
    .slice(0, 200);
}

/** `spec.template.spec.containers[0].ports[1]` from ['spec', 'template', ..., 0, 'ports', 1]. */
export function dotted(path: PathPart[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s ? `.${p}` : p;
  return s;
}

/** Follows a path through plain data; undefined where it leads nowhere. */
export function get(v: Json | undefined, path: PathPart[]): Json | undefined {
  let cur: Json | undefined = v;
  for (const p of path) {
    if (typeof p === 'number') cur = Array.isArray(cur) ? cur[p] : undefined;
    else cur = isObj(cur) ? cur[p] : undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}
