/**
 * A small evaluator for GitHub Actions expressions (`if:` conditions, `cancel-in-progress:`), enough to decide what a
 * workflow does in a given run: literals, contexts, `!`, comparisons (strings compared case-insensitively, as GitHub
 * does), `&&`/`||` (returning an operand, as GitHub does), parentheses, property access, and the functions
 * startsWith, endsWith, contains, format, join, toJSON, fromJSON and the status functions. A value the evaluator cannot
 * know (a variable, an input, a secret, a step's output) is UNKNOWN and propagates (three-valued logic), so a condition
 * is judged only on what the run makes certain.
 *
 * Iterative where the input decides the depth: the tokenizer is a loop and the parser refuses nesting beyond a bound.
 */

export const UNKNOWN: unique symbol = Symbol('unknown');
export type Val = null | boolean | number | string | Val[] | { [k: string]: Val } | typeof UNKNOWN;

/** A key that marks an object as partly known: a property it does not list is UNKNOWN rather than null. */
export const OPEN = '\u0000open';

export interface EvalContext {
  /** Context values by name (github, env, vars, ...); a missing name is UNKNOWN. */
  contexts: Record<string, Val>;
  /** Whether every job this one needs ran and succeeded (success()). */
  needsOk: boolean | typeof UNKNOWN;
  /** Whether a job upstream failed (failure()); runs are modelled as going well unless a caller says otherwise. */
  failed?: boolean | typeof UNKNOWN;
}

type Tok = { t: 'num'; v: number } | { t: 'str'; v: string } | { t: 'id'; v: string } | { t: 'op'; v: string };

const MAX_LEN = 10_000;
const MAX_DEPTH = 100;

export class ExprError extends Error {}

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      let s = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new ExprError('unterminated string');
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            s += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        s += src[i++];
      }
      out.push({ t: 'str', v: s });
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['==', '!=', '<=', '>=', '&&', '||'].includes(two)) {
      out.push({ t: 'op', v: two });
      i += 2;
      continue;
    }
    if ('!<>()[].,*'.includes(c)) {
      out.push({ t: 'op', v: c });
      i++;
      continue;
    }
    const num = /^(?:0x[0-9a-fA-F]+|-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(src.slice(i, i + 64));
    if (num && (c !== '-' || /\d|\./.test(src[i + 1] ?? ''))) {
      out.push({ t: 'num', v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i, i + 200));
    if (id) {
      out.push({ t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    throw new ExprError(`unexpected character ${JSON.stringify(c)}`);
  }
  return out;
}

export type Node =
  | { k: 'lit'; v: Val }
  | { k: 'ctx'; name: string }
  | { k: 'prop'; obj: Node; key: Node | string }
  | { k: 'star'; obj: Node }
  | { k: 'not'; x: Node }
  | { k: 'bin'; op: string; a: Node; b: Node }
  | { k: 'call'; fn: string; args: Node[] };

export function parseExpr(src: string): Node {
  if (src.length > MAX_LEN) throw new ExprError('expression too long');
  const toks = tokenize(src);
  let p = 0;
  let depth = 0;
  const peek = () => toks[p];
  const isOp = (v: string) => peek()?.t === 'op' && peek()!.v === v;
  const expect = (v: string) => {
    if (!isOp(v)) throw new ExprError(`expected ${v}`);
    p++;
  };
  const enter = () => {
    if (++depth > MAX_DEPTH) throw new ExprError('expression nested too deeply');
  };
  let opCount = 0;
  const binary = (ops: string[], next: () => Node) => (): Node => {
    let a = next();
    for (let t = peek(); t?.t === 'op' && ops.includes(t.v); t = peek()) {
      // Evaluation recurses along the operator chain: keep it far below the stack's reach.
      if (++opCount > 500) throw new ExprError('too many operators');
      p++;
      a = { k: 'bin', op: t.v, a, b: next() };
    }
    return a;
  };
  const primary = (): Node => {
    const t = toks[p++];
    if (!t) throw new ExprError('unexpected end of expression');
    if (t.t === 'num') return { k: 'lit', v: t.v };
    if (t.t === 'str') return { k: 'lit', v: t.v };
    if (t.t === 'op' && t.v === '(') {
      enter();
      const e = or();
      expect(')');
      depth--;
      return e;
    }
    if (t.t === 'id') {
      const low = t.v.toLowerCase();
      if (low === 'true' || low === 'false') return { k: 'lit', v: low === 'true' };
      if (low === 'null') return { k: 'lit', v: null };
      if (isOp('(')) {
        p++;
        enter();
        const args: Node[] = [];
        if (!isOp(')')) {
          args.push(or());
          while (isOp(',')) {
            p++;
            args.push(or());
          }
        }
        expect(')');
        depth--;
        return { k: 'call', fn: low, args };
      }
      return { k: 'ctx', name: low };
    }
    throw new ExprError(`unexpected ${t.v}`);
  };
  const postfix = (): Node => {
    let e = primary();
    for (;;) {
      if (isOp('.')) {
        p++;
        const t = toks[p++];
        if (t?.t === 'id') e = { k: 'prop', obj: e, key: t.v };
        else if (t?.t === 'op' && t.v === '*') e = { k: 'star', obj: e };
        else throw new ExprError('expected a property name after .');
      } else if (isOp('[')) {
        p++;
        enter();
        if (isOp('*')) {
          p++;
          e = { k: 'star', obj: e };
        } else e = { k: 'prop', obj: e, key: or() };
        expect(']');
        depth--;
      } else return e;
    }
  };
  const unary = (): Node => {
    let n = 0;
    while (isOp('!')) {
      p++;
      if (++n > MAX_DEPTH) throw new ExprError('too many !');
    }
    let e = postfix();
    for (let i = 0; i < n; i++) e = { k: 'not', x: e };
    return e;
  };
  const cmp = binary(['<', '<=', '>', '>='], unary);
  const eq = binary(['==', '!='], cmp);
  const and = binary(['&&'], eq);
  const or: () => Node = binary(['||'], and);
  const root = or();
  if (p !== toks.length) throw new ExprError(`unexpected ${toks[p]!.v} after the expression`);
  return root;
}

/** Does the expression call a status function (success, always, failure, cancelled)? Then no implicit success(). */
export function usesStatusFunction(n: Node): boolean {
  const stack: Node[] = [n];
  while (stack.length) {
    const x = stack.pop()!;
    if (x.k === 'call') {
      if (['success', 'always', 'failure', 'cancelled'].includes(x.fn)) return true;
      stack.push(...x.args);
    } else if (x.k === 'not') stack.push(x.x);
    else if (x.k === 'bin') stack.push(x.a, x.b);
    else if (x.k === 'prop') {
      stack.push(x.obj);
      if (typeof x.key !== 'string') stack.push(x.key);
    } else if (x.k === 'star') stack.push(x.obj);
  }
  return false;
}

function truthy(v: Val): boolean | typeof UNKNOWN {
  if (v === UNKNOWN) return UNKNOWN;
  if (v === null || v === false || v === 0 || v === '' || (typeof v === 'number' && Number.isNaN(v))) return false;
  return true;
}

function toNum(v: Val): number | typeof UNKNOWN {
  if (v === UNKNOWN) return UNKNOWN;
  if (v === null) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v.trim() === '' ? 0 : Number(v.trim());
  return NaN;
}

function toStr(v: Val): string | typeof UNKNOWN {
  if (v === UNKNOWN) return UNKNOWN;
  if (v === null) return '';
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  if (typeof v === 'string') return v;
  return Array.isArray(v) ? 'Array' : 'Object';
}

/** GitHub's loose equality: same types compare directly (strings ignoring case), otherwise both become numbers. */
function equal(a: Val, b: Val): boolean | typeof UNKNOWN {
  if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) return a === b;
  if ((typeof a === 'object' && a !== null) || (typeof b === 'object' && b !== null)) return false;
  const x = toNum(a);
  const y = toNum(b);
  if (x === UNKNOWN || y === UNKNOWN) return UNKNOWN;
  return x === y;
}

function compare(op: string, a: Val, b: Val): boolean | typeof UNKNOWN {
  if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
  let x: number | string;
  let y: number | string;
  if (typeof a === 'string' && typeof b === 'string') {
    x = a.toLowerCase();
    y = b.toLowerCase();
  } else {
    const nx = toNum(a);
    const ny = toNum(b);
    if (nx === UNKNOWN || ny === UNKNOWN) return UNKNOWN;
    x = nx;
    y = ny;
  }
  switch (op) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    default:
      return x >= y;
  }
}

function prop(obj: Val, key: Val): Val {
  if (obj === UNKNOWN || key === UNKNOWN) return UNKNOWN;
  if (Array.isArray(obj)) {
    const i = toNum(key);
    return typeof i === 'number' && Number.isInteger(i) ? (obj[i] ?? null) : null;
  }
  if (obj === null || typeof obj !== 'object') return null;
  const k = toStr(key);
  if (k === UNKNOWN) return UNKNOWN;
  const hit = Object.keys(obj).find((x) => x !== OPEN && x.toLowerCase() === k.toLowerCase());
  if (hit === undefined) return (obj as Record<string, Val>)[OPEN] === true ? UNKNOWN : null;
  return (obj as Record<string, Val>)[hit]!;
}

/** Arrays made by an object filter (`*`), whose elements a following property is read from. */
const FILTERED = new WeakSet<Val[]>();
function filtered(a: Val[]): Val[] {
  FILTERED.add(a);
  return a;
}

export function evaluate(n: Node, ctx: EvalContext): Val {
  switch (n.k) {
    case 'lit':
      return n.v;
    case 'ctx':
      return n.name in ctx.contexts ? ctx.contexts[n.name]! : UNKNOWN;
    case 'prop': {
      const obj = evaluate(n.obj, ctx);
      const key = typeof n.key === 'string' ? n.key : evaluate(n.key, ctx);
      // After a filter (x.*), a property is read from each element: needs.*.result is the list of results.
      if (Array.isArray(obj) && FILTERED.has(obj)) return filtered(obj.map((e) => prop(e, key)));
      return prop(obj, key);
    }
    case 'star': {
      // The object filter: the values of an object whose keys are all known, or the elements of an array.
      const obj = evaluate(n.obj, ctx);
      if (Array.isArray(obj)) return filtered([...obj]);
      if (obj === null || typeof obj !== 'object' || (obj as Record<string, Val>)[OPEN] === true) return obj === null ? filtered([]) : UNKNOWN;
      return filtered(
        Object.keys(obj)
          .filter((k) => k !== OPEN)
          .map((k) => (obj as Record<string, Val>)[k]!),
      );
    }
    case 'not': {
      const t = truthy(evaluate(n.x, ctx));
      return t === UNKNOWN ? UNKNOWN : !t;
    }
    case 'bin': {
      if (n.op === '&&') {
        const a = evaluate(n.a, ctx);
        const ta = truthy(a);
        if (ta === false) return a;
        const b = evaluate(n.b, ctx);
        if (ta === UNKNOWN) return truthy(b) === false ? false : UNKNOWN;
        return b;
      }
      if (n.op === '||') {
        const a = evaluate(n.a, ctx);
        const ta = truthy(a);
        if (ta === true) return a;
        const b = evaluate(n.b, ctx);
        if (ta === UNKNOWN) return truthy(b) === true ? true : UNKNOWN;
        return b;
      }
      const a = evaluate(n.a, ctx);
      const b = evaluate(n.b, ctx);
      if (n.op === '==') return equal(a, b);
      if (n.op === '!=') {
        const e = equal(a, b);
        return e === UNKNOWN ? UNKNOWN : !e;
      }
      return compare(n.op, a, b);
    }
    case 'call': {
      const args = n.args.map((x) => evaluate(x, ctx));
      const s = (i: number) => toStr(args[i] ?? null);
      switch (n.fn) {
        case 'success':
          return ctx.needsOk;
        case 'always':
          return true;
        case 'failure':
          // Runs are modelled as going well unless the caller plays a failure (simulateRun).
          return ctx.failed ?? false;
        case 'cancelled':
          // Nobody cancels a modelled run.
          return false;
        case 'startswith':
        case 'endswith': {
          const a = s(0);
          const b = s(1);
          if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
          return n.fn === 'startswith' ? a.toLowerCase().startsWith(b.toLowerCase()) : a.toLowerCase().endsWith(b.toLowerCase());
        }
        case 'contains': {
          const hay = args[0] ?? null;
          const needle = args[1] ?? null;
          if (hay === UNKNOWN || needle === UNKNOWN) return UNKNOWN;
          if (Array.isArray(hay)) {
            let unknown = false;
            for (const x of hay) {
              const e = equal(x, needle);
              if (e === true) return true;
              if (e === UNKNOWN) unknown = true;
            }
            return unknown ? UNKNOWN : false;
          }
          const a = toStr(hay);
          const b = toStr(needle);
          if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
          return a.toLowerCase().includes(b.toLowerCase());
        }
        case 'format': {
          const f = s(0);
          if (f === UNKNOWN) return UNKNOWN;
          let unknown = false;
          const out = f.replace(/\{\{|\}\}|\{(\d+)\}/g, (m, i: string | undefined) => {
            if (m === '{{') return '{';
            if (m === '}}') return '}';
            const v = s(Number(i) + 1);
            if (v === UNKNOWN) unknown = true;
            return v === UNKNOWN ? '' : v;
          });
          return unknown ? UNKNOWN : out;
        }
        case 'join': {
          const a = args[0] ?? null;
          const sep = args.length > 1 ? s(1) : ',';
          if (a === UNKNOWN || sep === UNKNOWN) return UNKNOWN;
          if (!Array.isArray(a)) return toStr(a);
          const parts = a.map(toStr);
          return parts.includes(UNKNOWN) ? UNKNOWN : parts.join(sep);
        }
        case 'tojson':
          return args[0] === UNKNOWN ? UNKNOWN : JSON.stringify(args[0] ?? null, null, 2);
        case 'fromjson': {
          const a = s(0);
          if (a === UNKNOWN) return UNKNOWN;
          try {
            return JSON.parse(a) as Val;
          } catch {
            return UNKNOWN;
          }
        }
        default:
          return UNKNOWN;
      }
    }
  }
}

/** Truthiness of a value as a condition: true, false or UNKNOWN. */
export function asCondition(v: Val): boolean | typeof UNKNOWN {
  return truthy(v);
}

/**
 * How GitHub reads an `if:` value: a bare expression, or one wrapped whole in `${{ }}`. Text with `${{ }}` inside other
 * text is a string template, and a non-empty string is always true.
 */
export function conditionSource(raw: string): { expr: string } | { alwaysTrueTemplate: true } {
  const t = raw.trim();
  const m = /^\$\{\{([\s\S]*)\}\}$/.exec(t);
  if (m && !m[1]!.includes('${{') && !m[1]!.includes('}}')) return { expr: m[1]! };
  if (t.includes('${{')) return { alwaysTrueTemplate: true };
  return { expr: t };
}
