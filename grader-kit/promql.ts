/**
 * PromQL read with Prometheus's own lezer grammar (@prometheus-io/lezer-promql, the one its web UI uses): syntax
 * errors with their position, and the few facts the checks need about an expression (which metrics it selects, in
 * which function, over which window, under which aggregation).
 */
import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import { parseDuration } from './prom-rules';

export interface Matcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

export interface Selector {
  name: string | null;
  matchers: Matcher[];
  from: number;
  to: number;
  /** The function whose argument this selector is (through a range or subquery), lower-case, or null. */
  fn: string | null;
  /** The aggregation operator applied directly to it (`count(x)`), lower-case, or null. */
  directAgg: string | null;
  /** The range in seconds when the selector is a range vector (`x[5m]`), else null. */
  rangeSec: number | null;
  /** Aggregations around it, innermost first: the operator and the labels it keeps. */
  aggs: Agg[];
  /** histogram_quantile calls around it, innermost first: the quantile, when it is a number. */
  quantiles: (number | null)[];
}

export interface Agg {
  op: string;
  /** by (...) labels, or null. */
  by: string[] | null;
  /** without (...) labels, or null. */
  without: string[] | null;
}

export interface Parsed {
  /** Offset of the first syntax error, or null. */
  errorAt: number | null;
  selectors: Selector[];
  /** Every function called, lower-case. */
  fns: Set<string>;
}

/** Counters as Prometheus names them: a raw value that only ever grows (and resets on restart). */
export function isCounter(name: string | null): boolean {
  return name !== null && !name.includes(':') && /_(total|count|sum|bucket)$/.test(name);
}

/** Functions that are right to apply to a counter as it is. */
const COUNTER_FNS = new Set([
  'rate',
  'irate',
  'increase',
  'resets',
  'absent',
  'absent_over_time',
  'present_over_time',
  'count_over_time',
  'timestamp',
  'changes',
]);
const COUNTER_AGGS = new Set(['count', 'group']);

export function counterUseOk(s: Selector): boolean {
  if (s.fn !== null) return COUNTER_FNS.has(s.fn);
  return s.directAgg !== null && COUNTER_AGGS.has(s.directAgg);
}

const MAX_EXPR = 20_000;

export function parsePromQL(expr: string): Parsed {
  if (expr.length > MAX_EXPR) return { errorAt: MAX_EXPR, selectors: [], fns: new Set() };
  const tree = parser.parse(expr);
  let errorAt: number | null = null;
  const selectors: Selector[] = [];
  const fns = new Set<string>();
  const txt = (n: SyntaxNode | null) => (n ? expr.slice(n.from, n.to) : '');
  tree.iterate({
    enter(ref) {
      if (ref.type.isError) {
        if (errorAt === null || ref.from < errorAt) errorAt = ref.from;
        return;
      }
      if (ref.name === 'FunctionIdentifier') fns.add(txt(ref.node).toLowerCase());
      if (ref.name === 'VectorSelector') selectors.push(selectorOf(expr, ref.node));
    },
  });
  // An empty expression parses to an error node too; keep it as an error at 0.
  if (expr.trim() === '' && errorAt === null) errorAt = 0;
  return { errorAt, selectors, fns };
}

function unquote(s: string): string {
  if (s.length >= 2 && (s[0] === '"' || s[0] === "'")) {
    const body = s.slice(1, s[s.length - 1] === s[0] ? -1 : undefined);
    return body.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c);
  }
  if (s[0] === '`') return s.slice(1, s.endsWith('`') ? -1 : undefined);
  return s;
}

const WRAPPERS = new Set(['OffsetExpr', 'StepInvariantExpr', 'AnchoredExpr', 'SmoothedExpr']);

function up(n: SyntaxNode | null): SyntaxNode | null {
  let p = n?.parent ?? null;
  while (p && WRAPPERS.has(p.name)) p = p.parent;
  return p;
}

function selectorOf(expr: string, node: SyntaxNode): Selector {
  const txt = (n: SyntaxNode | null) => (n ? expr.slice(n.from, n.to) : '');
  let name: string | null = node.getChild('Identifier') ? txt(node.getChild('Identifier')) : null;
  const matchers: Matcher[] = [];
  const lm = node.getChild('LabelMatchers');
  for (let c = lm?.firstChild ?? null; c; c = c.nextSibling) {
    if (c.name === 'UnquotedLabelMatcher' || c.name === 'QuotedLabelMatcher') {
      const label = c.name === 'UnquotedLabelMatcher' ? txt(c.getChild('LabelName')) : unquote(txt(c.getChild('QuotedLabelName')));
      const op = txt(c.getChild('MatchOp')) as Matcher['op'];
      const value = unquote(txt(c.getChild('StringLiteral')));
      if (label === '__name__' && op === '=') name = value;
      else matchers.push({ label, op, value });
    } else if (c.name === 'QuotedLabelName') name = unquote(txt(c));
  }
  let fn: string | null = null;
  let directAgg: string | null = null;
  let rangeSec: number | null = null;
  let p = up(node);
  if (p && (p.name === 'MatrixSelector' || p.name === 'SubqueryExpr')) {
    const d = p.getChild('DurationExpr');
    rangeSec = d ? parseDuration(txt(d)) : null;
    p = up(p);
  }
  if (p && p.name === 'FunctionCallBody') {
    const call = p.parent;
    if (call?.name === 'FunctionCall') fn = txt(call.getChild('FunctionIdentifier')).toLowerCase();
    else if (call?.name === 'AggregateExpr' && rangeSec === null) directAgg = txt(call.getChild('AggregateOp')).toLowerCase();
  }
  // Aggregations and histogram_quantile calls around the selector.
  const aggs: Agg[] = [];
  const quantiles: (number | null)[] = [];
  for (let a: SyntaxNode | null = node.parent, i = 0; a && i < 10_000; a = a.parent, i++) {
    if (a.name === 'AggregateExpr') {
      const mod = a.getChild('AggregateModifier');
      const labels = mod ? groupingLabels(expr, mod.getChild('GroupingLabels')) : null;
      aggs.push({
        op: txt(a.getChild('AggregateOp')).toLowerCase(),
        by: mod?.getChild('By') ? labels : null,
        without: mod?.getChild('Without') ? labels : null,
      });
    } else if (a.name === 'FunctionCall' && txt(a.getChild('FunctionIdentifier')).toLowerCase() === 'histogram_quantile') {
      const body = a.getChild('FunctionCallBody');
      let first = body?.firstChild ?? null; // anonymous tokens such as "(" are not in the tree
      while (first && first.name === 'ParenExpr') first = first.firstChild;
      quantiles.push(first && first.name === 'NumberDurationLiteral' ? Number(txt(first)) : null);
    }
  }
  return { name, matchers, from: node.from, to: node.to, fn, directAgg, rangeSec, aggs, quantiles };
}

function groupingLabels(expr: string, g: SyntaxNode | null): string[] {
  const out: string[] = [];
  for (let c = g?.firstChild ?? null; c; c = c.nextSibling) {
    if (c.name === 'LabelName') out.push(expr.slice(c.from, c.to));
    else if (c.name === 'QuotedLabelName') out.push(unquote(expr.slice(c.from, c.to)));
  }
  return out;
}

/** Does this matcher on `code` select the server errors (5xx) and not successes or client errors? */
export function selects5xx(mt: Matcher): boolean {
  return codeSplit(mt) === '5xx';
}

/**
 * Does this matcher on `code` split the server errors from everything else: '5xx' when it keeps exactly the 5xx codes,
 * 'not-5xx' when it keeps exactly the others (for `1 - ok / all`), null when it mixes them (4xx counted as errors, only
 * 500, ...).
 */
export function codeSplit(mt: Matcher): '5xx' | 'not-5xx' | null {
  if (mt.label !== 'code') return null;
  const errs = ['500', '502', '503', '504', '599'];
  const others = ['200', '201', '204', '301', '304', '400', '404', '429', '499'];
  let test: (c: string) => boolean;
  if (mt.op === '=' || mt.op === '!=') test = (c) => c === mt.value;
  else {
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${mt.value})$`);
    } catch {
      return null;
    }
    test = (c) => re.test(c);
  }
  const keeps = (c: string) => (mt.op === '=' || mt.op === '=~' ? test(c) : !test(c));
  if (errs.every(keeps) && !others.some(keeps)) return '5xx';
  if (others.every(keeps) && !errs.some(keeps)) return 'not-5xx';
  return null;
}
