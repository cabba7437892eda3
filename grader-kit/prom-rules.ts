/**
 * Reads a learner's Prometheus rule file (weeks 7's labs) into a small model of the rule file (groups, rules, exprs, labels, annotations) with
 * the line of everything the checks talk about. Malformed input (missing, empty, not UTF-8, not YAML, an alias bomb,
 * not a rule file at all) is NotGradable; a rule file that Prometheus would refuse for other reasons is still graded
 * (promtool says why in its own check).
 */
import YAML, { isAlias, isMap, isScalar, isSeq, LineCounter, type Document, type Node, type YAMLMap } from 'yaml';
import { msg as m, NotGradable, type Submission } from './index';

export interface ExprText {
  /** The PromQL as Prometheus reads it (the YAML value). */
  text: string;
  /** Where the value sits in the file, to turn an offset in `text` into a line and column. */
  node: Node;
}

export interface Rule {
  kind: 'alert' | 'record' | 'unknown';
  name: string;
  /** 1-based line of the rule's first key (the `- alert:` line). */
  line: number;
  group: string;
  expr: ExprText | null;
  /** The `for:` value as written, or null when absent. */
  forText: string | null;
  forLine: number;
  labels: Map<string, string> | null;
  annotations: Map<string, string> | null;
}

export interface RuleFile {
  /** The file's name in the submission. */
  file: string;
  text: string;
  rules: Rule[];
  lc: LineCounter;
  /** 1-based line and column of an offset in the file. */
  pos(offset: number): { line: number; col: number };
  /** Line and column in the file of an offset inside an expression's value. */
  exprPos(e: ExprText, offset: number): { line: number; col: number };
}

const MAX_DEPTH = 64;

/** Rejects what cannot be graded, with the file and, where known, the line. */
export function loadRuleFile(sub: Submission, RULE_FILE: string): RuleFile {
  if (!sub.has(RULE_FILE))
    throw new NotGradable(
      m(`${RULE_FILE} 파일이 없습니다. 규칙 파일을 ${RULE_FILE}라는 이름으로 제출하세요.`, `${RULE_FILE} is missing: submit your rule file under that name.`),
    );
  if (!sub.isValidUtf8(RULE_FILE)) throw new NotGradable(m(`${RULE_FILE}이 UTF-8 텍스트가 아닙니다.`, `${RULE_FILE} is not UTF-8 text.`));
  const text = sub.text(RULE_FILE)!;
  if (text.trim() === '') throw new NotGradable(m(`${RULE_FILE}이 비어 있습니다.`, `${RULE_FILE} is empty.`));
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    const line = text.slice(0, nul).split('\n').length;
    throw new NotGradable(
      m(`${RULE_FILE} ${line}행에 NUL 문자가 있습니다. 텍스트 파일이 아닙니다.`, `${RULE_FILE} line ${line} contains a NUL byte: this is not a text file.`),
    );
  }
  const lc = new LineCounter();
  let doc: Document.Parsed;
  try {
    // YAML.parse first: it throws on syntax errors and on alias bombs (maxAliasCount), before anything walks the tree.
    YAML.parse(text, { maxAliasCount: 100, merge: true });
    doc = YAML.parseDocument(text, { lineCounter: lc, merge: true });
  } catch (e) {
    throw yamlError(e, lc, RULE_FILE);
  }
  if (doc.errors.length > 0) throw yamlError(doc.errors[0], lc, RULE_FILE);
  const pos = (offset: number) => {
    const p = lc.linePos(Math.max(0, Math.min(offset, text.length)));
    return { line: p.line, col: p.col };
  };
  const root = doc.contents;
  const groups = isMap(root) ? deref(doc, root.get('groups', true)) : undefined;
  if (!isMap(root) || !(isSeq(groups) || (isScalar(groups) && groups.value === null))) {
    throw new NotGradable(
      m(
        `${RULE_FILE}은 Prometheus 규칙 파일이 아닙니다: 맨 위에 groups: 목록이 있어야 합니다 (groups 아래에 name과 rules를 가진 그룹).`,
        `${RULE_FILE} is not a Prometheus rule file: it needs a top-level groups: list (groups with a name and rules).`,
      ),
    );
  }
  if (depthOf(doc, root) > MAX_DEPTH) {
    throw new NotGradable(
      m(
        `${RULE_FILE}의 중첩이 너무 깊습니다 (${MAX_DEPTH}단계 초과). 규칙 파일은 이렇게 깊지 않습니다.`,
        `${RULE_FILE} is nested deeper than ${MAX_DEPTH} levels: a rule file never is.`,
      ),
    );
  }
  const rules: Rule[] = [];
  if (isSeq(groups)) {
    for (const gItem of groups.items) {
      const g = deref(doc, gItem as Node);
      if (!isMap(g)) continue;
      const gName = str(deref(doc, g.get('name', true))) ?? '';
      // Prometheus 3 adds a group's labels to every rule in it (a rule's own labels win).
      const gLabels = strMap(doc, field(doc, g, 'labels'));
      const rs = deref(doc, g.get('rules', true));
      if (!isSeq(rs)) continue;
      for (const rItem of rs.items) {
        const r = deref(doc, rItem as Node);
        if (!isMap(r)) continue;
        const get = (k: string) => field(doc, r, k);
        const alert = str(get('alert'));
        const record = str(get('record'));
        const exprNode = get('expr');
        const exprText = isScalar(exprNode) && exprNode.value !== null && typeof exprNode.value !== 'object' ? String(exprNode.value) : null;
        const forNode = get('for');
        rules.push({
          kind: alert !== null ? 'alert' : record !== null ? 'record' : 'unknown',
          name: alert ?? record ?? '',
          line: pos(r.range?.[0] ?? 0).line,
          group: gName,
          expr: exprText !== null && exprNode ? { text: exprText, node: exprNode } : null,
          forText: isScalar(forNode) && forNode.value !== null ? String(forNode.value) : null,
          forLine: forNode?.range ? pos(forNode.range[0]).line : pos(r.range?.[0] ?? 0).line,
          labels: mergeLabels(gLabels, strMap(doc, get('labels'))),
          annotations: strMap(doc, get('annotations')),
        });
      }
    }
  }
  return {
    file: RULE_FILE,
    text,
    rules,
    lc,
    pos,
    exprPos: (e, offset) => pos(exprOffsetInFile(text, e, offset)),
  };
}

function yamlError(e: unknown, lc: LineCounter, RULE_FILE: string): NotGradable {
  const err = e as { message?: string; linePos?: [{ line: number; col: number }]; pos?: [number, number] };
  let line: number | null = err.linePos?.[0]?.line ?? null;
  if (line === null && err.pos) line = lc.linePos(err.pos[0]).line;
  const first = String(err.message ?? e)
    .split('\n')[0]!
    .slice(0, 300);
  if (/alias/i.test(first) && /count|exceed|resource/i.test(first)) {
    return new NotGradable(
      m(`${RULE_FILE}의 YAML 별칭(alias)이 너무 많이 펼쳐집니다 (YAML 폭탄).`, `${RULE_FILE} expands too many YAML aliases (a YAML bomb).`),
    );
  }
  if (e instanceof RangeError) return new NotGradable(m(`${RULE_FILE}의 중첩이 너무 깊어 읽을 수 없습니다.`, `${RULE_FILE} is nested too deeply to read.`));
  const at = line !== null ? `${RULE_FILE}:${line}` : RULE_FILE;
  return new NotGradable(m(`${at}: YAML 문법 오류입니다: ${first}`, `${at}: not valid YAML: ${first}`));
}

function deref(doc: Document, n: unknown): Node | undefined {
  let cur = n;
  for (let i = 0; i < 10 && isAlias(cur); i++) cur = cur.resolve(doc);
  return (cur ?? undefined) as Node | undefined;
}

function str(n: Node | undefined): string | null {
  if (!isScalar(n) || n.value === null || typeof n.value === 'object') return null;
  return String(n.value);
}

/**
 * The key/value pairs of a mapping, with YAML merge keys (`<<: *defaults`) resolved as Go's YAML library (and so
 * Prometheus) resolves them: keys written in the mapping win over merged ones.
 */
function pairs(doc: Document, n: YAMLMap, depth = 0): [string, Node | undefined][] {
  const own: [string, Node | undefined][] = [];
  const merged: [string, Node | undefined][] = [];
  for (const p of n.items) {
    const keyNode = deref(doc, p.key as Node);
    // With merge keys on, the parser gives `<<` a symbol as its value.
    const k = isScalar(keyNode) && typeof keyNode.value === 'symbol' ? '<<' : str(keyNode);
    if (k === null) continue;
    if (k === '<<' && depth < 5) {
      const v = deref(doc, p.value as Node);
      const sources = isSeq(v) ? v.items.map((x) => deref(doc, x as Node)) : [v];
      for (const src of sources) if (isMap(src)) merged.push(...pairs(doc, src, depth + 1));
      continue;
    }
    own.push([k, deref(doc, p.value as Node)]);
  }
  const out = new Map<string, Node | undefined>();
  for (const [k, v] of merged) if (!out.has(k)) out.set(k, v);
  for (const [k, v] of own) out.set(k, v);
  return [...out.entries()];
}

function field(doc: Document, n: YAMLMap, key: string): Node | undefined {
  return pairs(doc, n).find(([k]) => k === key)?.[1];
}

function mergeLabels(group: Map<string, string> | null, own: Map<string, string> | null): Map<string, string> | null {
  if (!group) return own;
  return new Map([...group, ...(own ?? new Map<string, string>())]);
}

function strMap(doc: Document, n: Node | undefined): Map<string, string> | null {
  if (!isMap(n)) return null;
  const out = new Map<string, string>();
  for (const [k, v] of pairs(doc, n)) out.set(k, str(v) ?? '');
  return out;
}

/** Nesting depth, iteratively (a hostile file must not overflow the stack here). */
function depthOf(doc: Document, root: Node): number {
  let max = 0;
  const stack: [unknown, number][] = [[root, 1]];
  let seen = 0;
  while (stack.length > 0) {
    const [n0, d] = stack.pop()!;
    if (++seen > 200_000) break;
    const n = isAlias(n0) ? undefined : n0; // aliases point at nodes already counted
    if (d > max) max = d;
    if (d > MAX_DEPTH) return d;
    if (isMap(n)) for (const p of n.items) stack.push([p.key, d + 1], [p.value, d + 1]);
    else if (isSeq(n)) for (const it of n.items) stack.push([it, d + 1]);
  }
  return max;
}

/**
 * Maps an offset in an expression's value back to the file. Between a YAML scalar's source and its value only
 * whitespace (folding, indentation), quotes and escapes differ, so counting the other characters lines them up.
 */
export function exprOffsetInFile(text: string, e: ExprText, offset: number): number {
  const range = e.node.range;
  if (!range) return 0;
  let start = range[0];
  const end = range[1];
  const type = (e.node as { type?: string }).type;
  if (type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED') {
    const nl = text.indexOf('\n', start);
    start = nl < 0 || nl > end ? start : nl + 1;
  } else if (type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE') start += 1;
  let k = 0;
  for (let i = 0; i < Math.min(offset, e.text.length); i++) if (!/\s/.test(e.text[i]!)) k++;
  let i = start;
  // Skip leading whitespace so the offset of the first character lands on it, not on the indentation.
  while (i < end && /\s/.test(text[i]!)) i++;
  while (i < end && k > 0) {
    if (!/\s/.test(text[i]!)) k--;
    i++;
    if (k === 0) while (i < end && /\s/.test(text[i]!)) i++;
  }
  return Math.min(i, Math.max(start, end - 1));
}

/** Prometheus durations: 1m, 90s, 1h30m, 500ms; a bare number is seconds. Null when it is not one. */
export function parseDuration(s: string): number | null {
  const t = s.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  const re = /(\d+)(ms|y|w|d|h|m|s)/y;
  const unit: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
  let total = 0;
  let i = 0;
  if (t === '') return null;
  while (i < t.length) {
    re.lastIndex = i;
    const mm = re.exec(t);
    if (!mm) return null;
    total += Number(mm[1]) * unit[mm[2]!]!;
    i = re.lastIndex;
  }
  return total;
}

/**
 * The rule file without the rules of the given names (to go on testing the other alerts after one fails to evaluate).
 * Null when the result cannot be written back (an alias into a removed rule, say).
 */
export function removeRules(text: string, names: Set<string>): string | null {
  try {
    const doc = YAML.parseDocument(text, { merge: true });
    const root = doc.contents;
    const groups = isMap(root) ? root.get('groups', true) : undefined;
    if (!isSeq(groups)) return null;
    for (const g of groups.items) {
      if (!isMap(g)) continue;
      const rs = g.get('rules', true);
      if (!isSeq(rs)) continue;
      rs.items = rs.items.filter((r) => {
        if (!isMap(r)) return true;
        const name = str(field(doc, r, 'alert')) ?? str(field(doc, r, 'record'));
        return name === null || !names.has(name);
      });
    }
    const out = doc.toString();
    YAML.parse(out, { maxAliasCount: 100, merge: true });
    return out;
  } catch {
    return null;
  }
}
