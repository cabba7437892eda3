/**
 * The learner's configuration as the checks see it: every block from every .tf file, resources expanded by count and
 * for_each, and an evaluator for the expressions that decide the network (var.*, local.*, count.index, each.*,
 * references between resources, cidrsubnet() and friends). What only AWS knows (ids, zone names from a data source)
 * stays symbolic as a Ref, so two references can still be told apart; what the grader cannot work out is Unknown, with
 * the reason. Nothing the learner wrote is executed, and every recursion here is bounded.
 */
import type { Msg } from './index';
import { cidrsubnet, cidrsubnets } from './cidr';
import { ExprSyntaxError, parseJsonTemplate, type Node } from './tf-expr';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Obj = { [k: string]: Json };

export class Unknown {
  constructor(readonly why: Msg) {}
}

/** Something known only to AWS, like `aws_vpc.main.id` or `data.aws_availability_zones.available.names[0]`. */
export class Ref {
  constructor(
    readonly path: string,
    readonly inst?: Instance,
    readonly attr?: string,
  ) {}
}

/** A resource instance used as a value (`aws_subnet.public[0]`): its attributes are read on demand. */
export class InstVal {
  constructor(readonly inst: Instance) {}
}

export type Val = null | string | number | boolean | Val[] | Map<string, Val> | Unknown | Ref | InstVal;

/**
 * Map keys that stand for a value only AWS knows, such as a zone name from the aws_availability_zones data source
 * (`for_each = toset(local.azs)`, `{ for az in local.azs : az => ... }`). Terraform knows data sources at plan time,
 * so it accepts them as keys; the grader keeps them symbolic, and `each.key` gives the reference back.
 */
const REF_KEY = '\0ref:';
export function refKey(r: Ref): string {
  return REF_KEY + r.path;
}
/** A map key as a value: the reference again for a symbolic key, else the string. */
export function keyVal(k: string): string | Ref {
  return k.startsWith(REF_KEY) ? new Ref(k.slice(REF_KEY.length)) : k;
}
/** A key for messages and instance addresses: `"a"`, or the reference it stands for. */
export function showKey(k: string | number): string {
  return typeof k === 'number' ? String(k) : k.startsWith(REF_KEY) ? k.slice(REF_KEY.length) : JSON.stringify(k);
}
/** Turns a value into a map key: strings, numbers and bools as text, data-source references symbolically. */
function toKey(v: Val): string | Unknown {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Unknown) return v;
  if (v instanceof Ref && v.path.startsWith('data.')) return refKey(v);
  if (v instanceof Ref || v instanceof InstVal) {
    const what = v instanceof Ref ? v.path : v.inst.addr;
    return new Unknown({
      ko: `${what}는 apply한 뒤에야 알 수 있어 키로 쓸 수 없습니다 (Terraform도 이런 for_each/키를 거부합니다)`,
      en: `${what} is known only after apply, so it cannot be a key (Terraform refuses such a for_each or key too)`,
    });
  }
  return new Unknown({ ko: '키가 문자열이 아닙니다', en: 'a key must be a string' });
}

export interface Block {
  kind: 'resource' | 'data';
  type: string;
  name: string;
  body: Obj;
  file: string;
  line: number;
}

export interface Instance {
  block: Block;
  key: number | string | null;
  addr: string;
  scope: Scope;
}

interface Scope {
  count?: Val;
  /** each.key and each.value; `fns` are the functions that computed the for_each value (cidrsubnet, ...). */
  each?: { key: Val; value: Val; fns?: Set<string> };
  vars?: Map<string, Val>;
}

export const MAX_INSTANCES = 64;
const MAX_STEPS = 300_000;
const MAX_EVAL_DEPTH = 250;
const MAX_LIST = 4096;
const MAX_STRING = 64 * 1024;

const u = (ko: string, en: string) => new Unknown({ ko, en });

export function isKnown(v: Val): v is Exclude<Val, Unknown> {
  return !(v instanceof Unknown);
}

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Renders a value hcl2json wrote back as HCL-ish text for messages ("${var.x}" becomes var.x), capped. */
export function show(raw: Json | undefined, max = 100): string {
  let s: string;
  if (raw === undefined) s = '(not set)';
  else if (typeof raw === 'string') {
    const m = /^\$\{([\s\S]*)\}$/.exec(raw);
    s = m && !m[1]!.includes('${') ? m[1]!.trim() : JSON.stringify(raw);
  } else s = JSON.stringify(raw) ?? String(raw);
  s = s.replace(/\s+/g, ' ');
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

/** Names come from the learner: cap them in messages. */
export function clip(s: string, max = 80): string {
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

export function showVal(v: Val, max = 60): string {
  let s: string;
  if (v instanceof Unknown) s = '(unknown)';
  else if (v instanceof Ref) s = v.path;
  else if (v instanceof InstVal) s = v.inst.addr;
  else if (v instanceof Map) s = `{ ${[...v.entries()].map(([k, x]) => `${k} = ${showVal(x, 20)}`).join(', ')} }`;
  else if (Array.isArray(v)) s = `[${v.map((x) => showVal(x, 20)).join(', ')}]`;
  else s = JSON.stringify(v);
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

/**
 * The 1-based line of every block header in a file (`resource "aws_subnet" "public" {`), keyed by the block type and
 * its labels joined with NUL. One pass over the text, so a file with thousands of blocks costs no more than one.
 */
export function blockHeaderLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const re = /^[ \t]*(resource|data|provider|terraform|module)((?:[ \t]+(?:"(?:[^"\\\n]|\\.)*"|[A-Za-z_][A-Za-z0-9_-]*))*)[ \t]*\{/gm;
  let line = 1;
  let last = 0;
  for (const mm of text.matchAll(re)) {
    for (let k = last; k < mm.index; k++) if (text.charCodeAt(k) === 10) line++;
    last = mm.index;
    const labels = [...mm[2]!.matchAll(/"((?:[^"\\\n]|\\.)*)"|([A-Za-z_][A-Za-z0-9_-]*)/g)].map((x) => x[1] ?? x[2]!);
    const key = [mm[1]!, ...labels].join('\0');
    if (!out.has(key)) out.set(key, line);
  }
  return out;
}

interface Memo {
  v: Val;
  fns: Set<string>;
}

export class Model {
  readonly blocks: Block[] = [];
  readonly variables = new Map<string, { raw: Json | undefined; file: string }>();
  readonly locals = new Map<string, { raw: Json; file: string }>();
  readonly terraform: { body: Obj; file: string; line: number }[] = [];
  readonly providers: { name: string; body: Obj; file: string; line: number }[] = [];
  readonly modules: { name: string; body: Obj; file: string; line: number }[] = [];
  readonly files: string[] = [];

  private steps = 0;
  private depth = 0;
  private readonly fnTraces: Set<string>[] = [];
  private readonly astCache = new Map<string, Node | Unknown>();
  private readonly localMemo = new Map<string, Memo | 'busy'>();
  private readonly varMemo = new Map<string, Val>();
  private readonly attrMemo = new Map<Instance, Map<string, Memo | 'busy'>>();
  private readonly expansion = new Map<Block, Instance[] | Unknown | 'busy'>();
  /** One stand-in instance for a block whose count or for_each is unknown, so its arguments can still be read. */
  private readonly placeholders = new Map<Block, Instance>();

  /** Adds one parsed file (hcl2json's document) to the model. */
  addDocument(file: string, text: string, doc: Obj) {
    this.files.push(file);
    const headers = blockHeaderLines(text);
    const lineOf = (labels: string[]) => headers.get(labels.join('\0')) ?? 1;
    const blocksOf = (v: Json | undefined): Obj[] => (Array.isArray(v) ? v.filter(isObj) : isObj(v) ? [v] : []);
    const named = (v: Json | undefined): [string, Json][] => (isObj(v) ? Object.entries(v) : []);
    for (const [name, blocks] of named(doc.variable)) {
      const b = blocksOf(blocks)[0];
      if (!this.variables.has(name)) this.variables.set(name, { raw: b?.default, file });
    }
    for (const l of blocksOf(doc.locals)) for (const [k, v] of Object.entries(l)) if (!this.locals.has(k)) this.locals.set(k, { raw: v, file });
    for (const t of blocksOf(doc.terraform)) this.terraform.push({ body: t, file, line: lineOf(['terraform']) });
    for (const [name, blocks] of named(doc.provider))
      for (const b of blocksOf(blocks)) this.providers.push({ name, body: b, file, line: lineOf(['provider', name]) });
    for (const [name, blocks] of named(doc.module))
      for (const b of blocksOf(blocks)) this.modules.push({ name, body: b, file, line: lineOf(['module', name]) });
    for (const kind of ['resource', 'data'] as const) {
      for (const [type, byName] of named(doc[kind])) {
        for (const [name, blocks] of named(byName)) {
          for (const body of blocksOf(blocks)) this.blocks.push({ kind, type, name, body, file, line: lineOf([kind, type, name]) });
        }
      }
    }
  }

  block(type: string, name: string, kind: Block['kind'] = 'resource'): Block | undefined {
    return this.blocks.find((b) => b.kind === kind && b.type === type && b.name === name);
  }

  /** The instances of one block (one stand-in when its count or for_each is unknown). */
  instancesOf(b: Block): Instance[] {
    return this.instances(b.type, b);
  }

  blocksOf(type: string): Block[] {
    return this.blocks.filter((b) => b.kind === 'resource' && b.type === type);
  }

  /** Every instance of every resource block of this type; a block whose count cannot be worked out gives one. */
  instances(type: string, only?: Block): Instance[] {
    return (only ? [only] : this.blocksOf(type)).flatMap((b) => {
      const e = this.expand(b);
      if (Array.isArray(e)) return e;
      let p = this.placeholders.get(b);
      if (!p) this.placeholders.set(b, (p = { block: b, key: null, addr: `${b.type}.${b.name}`, scope: { count: e, each: { key: e, value: e } } }));
      return [p];
    });
  }

  where(i: Instance | Block): string {
    const b = 'block' in i ? i.block : i;
    const addr = 'addr' in i ? i.addr : `${b.type}.${b.name}`;
    return `${b.file}:${b.line} (${clip(addr)})`;
  }

  /** count and for_each, evaluated once per block. */
  expand(b: Block): Instance[] | Unknown {
    const got = this.expansion.get(b);
    if (got === 'busy') return u('count/for_each가 자기 자신을 참조합니다', 'count/for_each refers to itself');
    if (got) return got;
    this.expansion.set(b, 'busy');
    let out: Instance[] | Unknown;
    const base = `${b.type}.${b.name}`;
    if (b.body.count !== undefined) {
      const n = this.evalRaw(b.body.count, {});
      if (!isKnown(n)) out = n;
      else if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
        out = u(`count가 0 이상의 정수가 아닙니다 (${showVal(n)})`, `count is not a whole number of 0 or more (${showVal(n)})`);
      else if (n > MAX_INSTANCES)
        out = u(`count ${n}는 채점기가 펼치는 한도(${MAX_INSTANCES})보다 큽니다`, `count ${n} is more than the grader expands (${MAX_INSTANCES})`);
      else out = Array.from({ length: n }, (_, i) => ({ block: b, key: i, addr: `${base}[${i}]`, scope: { count: i } }));
    } else if (b.body.for_each !== undefined) {
      // The functions that computed the for_each value count for every argument that reads each.value.
      const { value: fe, fns } = this.traced(() => this.evalRaw(b.body.for_each!, {}));
      const tooMany = u('for_each 항목이 너무 많습니다', 'for_each has too many items');
      if (!isKnown(fe)) out = fe;
      else if (fe instanceof Map) {
        const keys = [...fe.keys()].sort();
        out =
          keys.length > MAX_INSTANCES
            ? tooMany
            : keys.map((k) => ({ block: b, key: k, addr: `${base}[${showKey(k)}]`, scope: { each: { key: keyVal(k), value: fe.get(k)!, fns } } }));
      } else if (Array.isArray(fe)) {
        // A set of strings, or of zone names from a data source (kept symbolic).
        const keys: string[] = [];
        let bad: Unknown | null = null;
        for (const x of fe) {
          const k = toKey(x);
          if (k instanceof Unknown || typeof x === 'number' || typeof x === 'boolean') {
            bad = k instanceof Unknown ? k : u('for_each는 map이나 문자열 set이어야 합니다', 'for_each must be a map or a set of strings');
            break;
          }
          if (!keys.includes(k)) keys.push(k);
        }
        keys.sort();
        out =
          bad ??
          (keys.length > MAX_INSTANCES
            ? tooMany
            : keys.map((k) => ({ block: b, key: k, addr: `${base}[${showKey(k)}]`, scope: { each: { key: keyVal(k), value: keyVal(k), fns } } })));
      } else out = u('for_each는 map이나 문자열 set이어야 합니다', 'for_each must be a map or a set of strings');
    } else out = [{ block: b, key: null, addr: base, scope: {} }];
    this.expansion.set(b, out);
    return out;
  }

  /** An instance's argument (`cidr_block`), evaluated in its own count/each scope; absent arguments are undefined. */
  attr(i: Instance, name: string): Val | undefined {
    if (!Object.prototype.hasOwnProperty.call(i.block.body, name)) return undefined;
    let memo = this.attrMemo.get(i);
    if (!memo) this.attrMemo.set(i, (memo = new Map()));
    const got = memo.get(name);
    if (got === 'busy') return u(`${i.addr}.${name}가 자기 자신을 참조합니다`, `${i.addr}.${name} refers to itself`);
    if (got) {
      this.noteFns(got.fns);
      return got.v;
    }
    memo.set(name, 'busy');
    const r = this.traced(() => this.evalRaw(i.block.body[name]!, i.scope));
    memo.set(name, { v: r.value, fns: r.fns });
    this.noteFns(r.fns);
    return r.value;
  }

  /**
   * A nested block argument such as a route table's `route`: the blocks written out (or given as a list attribute),
   * plus those a `dynamic "route" { for_each = ..., content { ... } }` block generates, each content evaluated with
   * its iterator (`route.key`, `route.value`, or the name given by `iterator`). `unknown` says why some could not be.
   */
  nestedBlocks(i: Instance, name: string): { blocks: Map<string, Val>[]; unknown: Unknown | null } {
    const blocks: Map<string, Val>[] = [];
    let unknown: Unknown | null = null;
    const stat = this.attr(i, name);
    if (stat instanceof Unknown) unknown = stat;
    for (const b of Array.isArray(stat) ? stat : stat instanceof Map ? [stat] : []) if (b instanceof Map) blocks.push(b);
    const dyn = i.block.body.dynamic;
    for (const d of Array.isArray(dyn) ? dyn : isObj(dyn) ? [dyn] : []) {
      if (!isObj(d)) continue;
      const specs = d[name];
      for (const spec of Array.isArray(specs) ? specs : isObj(specs) ? [specs] : []) {
        if (!isObj(spec) || spec.for_each === undefined) continue;
        const it = typeof spec.iterator === 'string' ? spec.iterator.replace(/^\$\{\s*|\s*\}$/g, '') : name;
        const fe = this.evalRaw(spec.for_each, i.scope);
        if (fe instanceof Unknown) {
          unknown ??= fe;
          continue;
        }
        const pairs: [Val, Val][] = Array.isArray(fe)
          ? fe.map((v, k) => [k, v])
          : fe instanceof Map
            ? [...fe.keys()].sort().map((k) => [keyVal(k), fe.get(k)!])
            : [];
        const content = Array.isArray(spec.content) ? spec.content.find(isObj) : isObj(spec.content) ? spec.content : undefined;
        if (!content) continue;
        for (const [k, v] of pairs.slice(0, MAX_INSTANCES)) {
          const vars = new Map(i.scope.vars ?? []);
          vars.set(
            it,
            new Map<string, Val>([
              ['key', k],
              ['value', v],
            ]),
          );
          const m = this.evalRaw(content, { ...i.scope, vars });
          if (m instanceof Map) blocks.push(m);
        }
      }
    }
    return { blocks, unknown };
  }

  /** Evaluates `f` and reports which functions were called on the way (through locals and references too). */
  traced<T>(f: () => T): { value: T; fns: Set<string> } {
    const fns = new Set<string>();
    this.fnTraces.push(fns);
    try {
      return { value: f(), fns };
    } finally {
      this.fnTraces.pop();
    }
  }

  private noteFns(fns: Iterable<string>) {
    for (const f of fns) for (const t of this.fnTraces) t.add(f);
  }

  /** A value as hcl2json wrote it: JSON literals as they are, strings as templates. */
  evalRaw(raw: Json, scope: Scope): Val {
    if (++this.steps > MAX_STEPS) return u('설정이 너무 복잡해 계산하지 않았습니다', 'the configuration is too complex to work out');
    if (this.depth > MAX_EVAL_DEPTH) return u('참조가 너무 깊게 이어집니다', 'references nest too deeply');
    this.depth++;
    try {
      if (raw === null || typeof raw === 'number' || typeof raw === 'boolean') return raw;
      if (typeof raw === 'string') {
        const ast = this.ast(raw);
        return ast instanceof Unknown ? ast : this.eval(ast, scope);
      }
      if (Array.isArray(raw)) return raw.length > MAX_LIST ? u('목록이 너무 깁니다', 'list too long') : raw.map((x) => this.evalRaw(x, scope));
      const m = new Map<string, Val>();
      for (const [k, v] of Object.entries(raw)) m.set(k, this.evalRaw(v, scope));
      return m;
    } finally {
      this.depth--;
    }
  }

  private ast(raw: string): Node | Unknown {
    let a = this.astCache.get(raw);
    if (a === undefined) {
      try {
        a = parseJsonTemplate(raw);
      } catch (e) {
        const why = e instanceof ExprSyntaxError ? e.message : String(e);
        a = u(`식을 해석하지 못했습니다: ${show(raw, 60)} (${why})`, `could not read the expression ${show(raw, 60)} (${why})`);
      }
      this.astCache.set(raw, a);
    }
    return a;
  }

  eval(n: Node, scope: Scope): Val {
    if (++this.steps > MAX_STEPS) return u('설정이 너무 복잡해 계산하지 않았습니다', 'the configuration is too complex to work out');
    if (this.depth > MAX_EVAL_DEPTH) return u('식이 너무 깊게 중첩되어 있습니다', 'the expression nests too deeply');
    this.depth++;
    try {
      return this.evalInner(n, scope);
    } finally {
      this.depth--;
    }
  }

  private evalInner(n: Node, scope: Scope): Val {
    switch (n.t) {
      case 'lit':
        return n.v;
      case 'unsupported':
        return u(`${n.what}는 채점기가 계산하지 않습니다`, `the grader does not evaluate a ${n.what}`);
      case 'tmpl': {
        if (n.parts.length === 1 && typeof n.parts[0] !== 'string') return this.eval(n.parts[0]!, scope);
        let s = '';
        for (const p of n.parts) {
          if (typeof p === 'string') s += p;
          else {
            const v = this.eval(p, scope);
            const str = toStr(v);
            if (str instanceof Unknown) return str;
            s += str;
          }
          if (s.length > MAX_STRING) return u('문자열이 너무 깁니다', 'string too long');
        }
        return s;
      }
      case 'tuple':
        return n.items.map((x) => this.eval(x, scope));
      case 'object': {
        const m = new Map<string, Val>();
        for (const { k, v } of n.items) {
          const key = toKey(this.eval(k, scope));
          if (key instanceof Unknown) return key;
          m.set(key, this.eval(v, scope));
        }
        return m;
      }
      case 'un': {
        const v = this.eval(n.e, scope);
        if (!isKnown(v)) return v;
        if (n.op === '-') return typeof v === 'number' ? -v : u('숫자가 아닌 값에 -를 썼습니다', 'minus applied to a non-number');
        return typeof v === 'boolean' ? !v : u('bool이 아닌 값에 !를 썼습니다', '! applied to a non-bool');
      }
      case 'bin':
        return this.binary(n.op, n.l, n.r, scope);
      case 'cond': {
        const c = this.eval(n.c, scope);
        if (!isKnown(c)) return c;
        if (typeof c !== 'boolean') return u('조건식의 조건이 bool이 아닙니다', 'the condition is not a bool');
        return this.eval(c ? n.a : n.b, scope);
      }
      case 'call':
        return this.call(n, scope);
      case 'for':
        return this.forExpr(n, scope);
      case 'item':
        return scope.vars?.get('\0item') ?? null;
      case 'splat': {
        const src = this.eval(n.e, scope);
        if (!isKnown(src)) return src;
        const list = src === null ? [] : Array.isArray(src) ? src : src instanceof Map ? null : [src];
        if (list === null) return u('map에는 [*]를 쓸 수 없습니다', '[*] cannot be used on a map');
        return list.map((item) => this.eval(n.each, { ...scope, vars: new Map([...(scope.vars ?? []), ['\0item', item]]) }));
      }
      case 'name':
      case 'attr':
      case 'index':
        return this.traversal(n, scope);
    }
  }

  private binary(op: string, ln: Node, rn: Node, scope: Scope): Val {
    const l = this.eval(ln, scope);
    if (op === '&&' && l === false) return false;
    if (op === '||' && l === true) return true;
    const r = this.eval(rn, scope);
    if (!isKnown(l)) return l;
    if (!isKnown(r)) return r;
    if (op === '==' || op === '!=') {
      const eq = valEq(l, r);
      if (eq instanceof Unknown) return eq;
      return op === '==' ? eq : !eq;
    }
    if (op === '&&' || op === '||') {
      if (typeof l !== 'boolean' || typeof r !== 'boolean') return u(`${op}의 양쪽이 bool이 아닙니다`, `both sides of ${op} must be bools`);
      return op === '&&' ? l && r : l || r;
    }
    const a = toNum(l);
    const b = toNum(r);
    if (a === null || b === null) return u(`${op}의 양쪽이 숫자가 아닙니다`, `both sides of ${op} must be numbers`);
    switch (op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        return b === 0 ? u('0으로 나눴습니다', 'division by zero') : a / b;
      case '%':
        return b === 0 ? u('0으로 나눴습니다', 'division by zero') : a % b;
      case '<':
        return a < b;
      case '<=':
        return a <= b;
      case '>':
        return a > b;
      case '>=':
        return a >= b;
    }
    return u(`연산자 ${op}`, `operator ${op}`);
  }

  private forExpr(n: Extract<Node, { t: 'for' }>, scope: Scope): Val {
    const coll = this.eval(n.coll, scope);
    if (!isKnown(coll)) return coll;
    let pairs: [Val, Val][];
    if (Array.isArray(coll)) pairs = coll.map((v, i) => [i, v]);
    else if (coll instanceof Map) pairs = [...coll.keys()].sort().map((k) => [keyVal(k), coll.get(k)!]);
    else return u('for 식은 목록이나 map에만 쓸 수 있습니다', 'a for expression needs a list or a map');
    if (pairs.length > MAX_LIST) return u('목록이 너무 깁니다', 'list too long');
    const outList: Val[] = [];
    const outMap = new Map<string, Val>();
    for (const [k, v] of pairs) {
      const vars = new Map(scope.vars ?? []);
      if (n.k !== null) vars.set(n.k, k);
      vars.set(n.v, v);
      const inner = { ...scope, vars };
      if (n.cond) {
        const c = this.eval(n.cond, inner);
        if (!isKnown(c)) return c;
        if (c !== true) continue;
      }
      const val = this.eval(n.val, inner);
      if (n.key) {
        const key = toKey(this.eval(n.key, inner));
        if (key instanceof Unknown) return key;
        if (n.group) {
          const prev = outMap.get(key);
          outMap.set(key, Array.isArray(prev) ? [...prev, val] : [val]);
        } else outMap.set(key, val);
      } else outList.push(val);
    }
    return n.key ? outMap : outList;
  }

  /** name, name.attr, name[index]...: finds what the root name means, then walks the rest. */
  private traversal(n: Node, scope: Scope): Val {
    const steps: ({ attr: string } | { index: Node })[] = [];
    let root: Node = n;
    while (root.t === 'attr' || root.t === 'index') {
      steps.unshift(root.t === 'attr' ? { attr: root.name } : { index: root.key });
      root = root.e;
    }
    let v: Val;
    let rest = steps;
    if (root.t !== 'name') v = this.eval(root, scope);
    else {
      const name = root.name;
      const a0 = steps[0] && 'attr' in steps[0] ? steps[0].attr : null;
      const a1 = steps[1] && 'attr' in steps[1] ? steps[1].attr : null;
      if (scope.vars?.has(name)) v = scope.vars.get(name)!;
      else if (name === 'count') {
        if (a0 !== 'index') return u('count 다음에는 .index만 쓸 수 있습니다', 'count only has .index');
        if (scope.count === undefined) return u('count가 없는 곳에서 count.index를 썼습니다', 'count.index used where there is no count');
        v = scope.count;
        rest = steps.slice(1);
      } else if (name === 'each') {
        if (scope.each === undefined) return u('for_each가 없는 곳에서 each를 썼습니다', 'each used where there is no for_each');
        if (a0 !== 'key' && a0 !== 'value') return u('each 다음에는 .key나 .value를 씁니다', 'each only has .key and .value');
        v = a0 === 'key' ? scope.each.key : scope.each.value;
        if (a0 === 'value' && scope.each.fns) this.noteFns(scope.each.fns);
        rest = steps.slice(1);
      } else if (name === 'var') {
        if (a0 === null) return u('var 다음에 변수 이름이 필요합니다', 'var needs a variable name');
        v = this.variable(a0);
        rest = steps.slice(1);
      } else if (name === 'local') {
        if (a0 === null) return u('local 다음에 이름이 필요합니다', 'local needs a name');
        v = this.local(a0);
        rest = steps.slice(1);
      } else if (name === 'data') {
        if (a0 === null || a1 === null) return u('data 참조가 완전하지 않습니다', 'incomplete data reference');
        if (!this.block(a0, a1, 'data')) return u(`data "${a0}" "${a1}" 블록이 없습니다`, `there is no data "${a0}" "${a1}" block`);
        v = new Ref(`data.${a0}.${a1}`);
        rest = steps.slice(2);
      } else if (['module', 'path', 'terraform', 'self'].includes(name)) {
        return u(`${name}.* 값은 채점기가 알 수 없습니다`, `the grader cannot know ${name}.* values`);
      } else {
        if (a0 === null) return u(`${name}만으로는 값이 아닙니다`, `${name} alone is not a value`);
        v = this.resource(name, a0);
        rest = steps.slice(1);
      }
    }
    for (const s of rest) {
      if (!isKnown(v)) return v;
      v = 'attr' in s ? this.getAttr(v, s.attr) : this.getIndex(v, this.eval(s.index, scope));
    }
    return v;
  }

  variable(name: string): Val {
    const got = this.varMemo.get(name);
    if (got !== undefined) return got;
    const d = this.variables.get(name);
    const v: Val = !d
      ? u(`variable "${name}" 블록이 없습니다`, `there is no variable "${name}" block`)
      : d.raw === undefined
        ? u(`var.${name}에 default 값이 없습니다`, `var.${name} has no default value`)
        : this.evalRaw(d.raw, {});
    this.varMemo.set(name, v);
    return v;
  }

  local(name: string): Val {
    const got = this.localMemo.get(name);
    if (got === 'busy') return u(`local.${name}가 자기 자신을 참조합니다`, `local.${name} refers to itself`);
    if (got) {
      this.noteFns(got.fns);
      return got.v;
    }
    const d = this.locals.get(name);
    if (!d) return u(`local.${name}가 정의되어 있지 않습니다`, `local.${name} is not defined`);
    this.localMemo.set(name, 'busy');
    const r = this.traced(() => this.evalRaw(d.raw, {}));
    this.localMemo.set(name, { v: r.value, fns: r.fns });
    this.noteFns(r.fns);
    return r.value;
  }

  private resource(type: string, name: string): Val {
    const b = this.block(type, name);
    if (!b) return u(`resource "${type}" "${name}" 블록이 없습니다`, `there is no resource "${type}" "${name}"`);
    const e = this.expand(b);
    if (!Array.isArray(e)) return e;
    if (b.body.count !== undefined) return e.map((i) => new InstVal(i));
    if (b.body.for_each !== undefined) return new Map(e.map((i) => [String(i.key), new InstVal(i)]));
    return new InstVal(e[0]!);
  }

  private getAttr(v: Val, name: string): Val {
    if (v instanceof Ref) return new Ref(`${v.path}.${name}`);
    if (v instanceof InstVal) {
      const a = this.attr(v.inst, name);
      return a === undefined ? new Ref(`${v.inst.addr}.${name}`, v.inst, name) : a;
    }
    if (v instanceof Map) return v.has(name) ? v.get(name)! : u(`"${name}" 키가 없습니다`, `no "${name}" key`);
    if (Array.isArray(v)) return u(`목록에는 .${name} 속성이 없습니다 ([*]가 필요할 수 있습니다)`, `a list has no .${name} (you may need [*])`);
    return u(`.${name}을 읽을 수 없는 값입니다`, `cannot read .${name} of this value`);
  }

  private getIndex(v: Val, k: Val): Val {
    if (!isKnown(k)) return k;
    if (v instanceof Ref)
      return typeof k === 'number' || typeof k === 'string' ? new Ref(`${v.path}[${JSON.stringify(k)}]`) : u('인덱스가 올바르지 않습니다', 'bad index');
    if (Array.isArray(v)) {
      const i = toNum(k);
      if (i === null || !Number.isInteger(i)) return u('목록의 인덱스가 정수가 아닙니다', 'a list index must be a whole number');
      if (i < 0 || i >= v.length) return u(`인덱스 ${i}가 목록 길이(${v.length})를 벗어납니다`, `index ${i} is out of range for a list of ${v.length}`);
      return v[i]!;
    }
    if (v instanceof Map) {
      const key = typeof k === 'string' || typeof k === 'number' ? String(k) : k instanceof Ref && k.path.startsWith('data.') ? refKey(k) : null;
      if (key === null) return u('map의 키가 문자열이 아닙니다', 'a map key must be a string');
      return v.has(key) ? v.get(key)! : u(`${showKey(key)} 키가 없습니다`, `no ${showKey(key)} key`);
    }
    return u('인덱스를 쓸 수 없는 값입니다', 'this value cannot be indexed');
  }

  private call(n: Extract<Node, { t: 'call' }>, scope: Scope): Val {
    const name = n.name;
    for (const t of this.fnTraces) t.add(name);
    // try() and can() look at errors, which the grader cannot tell from "unknown": take the first known argument.
    if (name === 'try') {
      for (const a of n.args) {
        const v = this.eval(a, scope);
        if (isKnown(v)) return v;
      }
      return u('try()의 어느 인자도 계산할 수 없습니다', 'no argument of try() could be worked out');
    }
    let args = n.args.map((a) => this.eval(a, scope));
    if (n.expand) {
      const last = args[args.length - 1];
      if (!Array.isArray(last)) return last instanceof Unknown ? last : u('...는 목록에만 쓸 수 있습니다', '... needs a list');
      args = [...args.slice(0, -1), ...last];
    }
    const unknown = args.find((a): a is Unknown => a instanceof Unknown);
    try {
      const r = callFunction(name, args);
      if (r !== NOT_HANDLED) return r;
    } catch (e) {
      return new Unknown({ ko: `${name}() 오류: ${(e as Error).message}`, en: `${name}(): ${(e as Error).message}` });
    }
    if (unknown) return unknown;
    const ref = args.find((a): a is Ref => a instanceof Ref);
    if (ref) return u(`${ref.path}는 AWS에 만들어진 뒤에야 알 수 있습니다`, `${ref.path} is known only once AWS has created it`);
    return u(`${name}() 함수는 채점기가 계산하지 않습니다`, `the grader does not evaluate ${name}()`);
  }
}

const NOT_HANDLED = Symbol('not handled');

function toNum(v: Val): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?[0-9]+(\.[0-9]+)?$/.test(v)) return Number(v);
  return null;
}

function toStr(v: Val): string | Unknown {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Unknown) return v;
  if (v instanceof Ref || v instanceof InstVal)
    return u(`${showVal(v)}는 AWS에 만들어진 뒤에야 알 수 있습니다`, `${showVal(v)} is known only once AWS has created it`);
  return u('문자열로 바꿀 수 없는 값입니다', 'this value cannot become a string');
}

export function valEq(a: Val, b: Val): boolean | Unknown {
  if (a instanceof Unknown) return a;
  if (b instanceof Unknown) return b;
  if (a instanceof Ref || b instanceof Ref)
    return a instanceof Ref && b instanceof Ref && a.path === b.path
      ? true
      : u('AWS만 아는 값끼리는 비교할 수 없습니다', 'values known only to AWS cannot be compared');
  if (a instanceof InstVal || b instanceof InstVal) return a instanceof InstVal && b instanceof InstVal && a.inst === b.inst;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      const e = valEq(a[i]!, b[i]!);
      if (e !== true) return e;
    }
    return true;
  }
  if (a instanceof Map || b instanceof Map) {
    if (!(a instanceof Map) || !(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, x] of a) {
      if (!b.has(k)) return false;
      const e = valEq(x, b.get(k)!);
      if (e !== true) return e;
    }
    return true;
  }
  return a === b;
}

function needStr(v: Val, what: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Ref) throw new Error(`${v.path} is known only once AWS has created it`);
  throw new Error(`${what} must be a string`);
}

function needNum(v: Val, what: string): number {
  const n = toNum(v);
  if (n === null) throw new Error(`${what} must be a number`);
  return n;
}

function needList(v: Val, what: string): Val[] {
  if (Array.isArray(v)) return v;
  throw new Error(`${what} must be a list`);
}

function capList(l: Val[]): Val[] {
  if (l.length > MAX_LIST) throw new Error('list too long');
  return l;
}

/** The Terraform functions a VPC configuration plausibly uses. Returns NOT_HANDLED when an argument is not known. */
function callFunction(name: string, args: Val[]): Val | typeof NOT_HANDLED {
  const refIndex = (r: Ref, i: number) => new Ref(`${r.path}[${i}]`);
  // element() and slice() also work on a list known only to AWS (a data source's zone names).
  if (name === 'element' && args[0] instanceof Ref && isKnown(args[1]!)) return refIndex(args[0], needNum(args[1]!, 'index'));
  if (name === 'slice' && args[0] instanceof Ref && isKnown(args[1]!) && isKnown(args[2]!)) {
    const [s, e] = [needNum(args[1]!, 'start'), needNum(args[2]!, 'end')];
    if (e - s > MAX_LIST || s < 0 || e < s) throw new Error('bad slice bounds');
    return Array.from({ length: e - s }, (_, i) => refIndex(args[0] as Ref, s + i));
  }
  if (name === 'tolist' && args[0] instanceof Ref) return args[0];
  if (args.some((a) => !isKnown(a))) return NOT_HANDLED;
  const a0 = args[0] ?? null;
  switch (name) {
    case 'cidrsubnet':
      if (args.length !== 3) throw new Error('takes 3 arguments');
      return cidrsubnet(needStr(a0, 'prefix'), needNum(args[1]!, 'newbits'), needNum(args[2]!, 'netnum'));
    case 'cidrsubnets':
      if (args.length < 1) throw new Error('needs a prefix');
      return cidrsubnets(needStr(a0, 'prefix'), ...args.slice(1).map((x) => needNum(x, 'newbits')));
    case 'element': {
      const l = needList(a0, 'list');
      if (l.length === 0) throw new Error('cannot use element() on an empty list');
      const i = needNum(args[1] ?? null, 'index');
      if (i < 0 || !Number.isInteger(i)) throw new Error('index must be a whole number of 0 or more');
      return l[i % l.length]!;
    }
    case 'length':
      if (Array.isArray(a0)) return a0.length;
      if (a0 instanceof Map) return a0.size;
      if (typeof a0 === 'string') return [...a0].length;
      if (a0 instanceof InstVal) throw new Error('length of a single resource');
      return NOT_HANDLED;
    case 'slice': {
      const l = needList(a0, 'list');
      const s = needNum(args[1] ?? null, 'start');
      const e = needNum(args[2] ?? null, 'end');
      if (s < 0 || e > l.length || s > e) throw new Error(`bounds ${s}..${e} do not fit a list of ${l.length}`);
      return l.slice(s, e);
    }
    case 'concat':
      return capList(args.flatMap((x) => needList(x, 'argument')));
    case 'flatten': {
      const out: Val[] = [];
      const walk = (x: Val, d: number) => {
        if (d > 20) throw new Error('nested too deeply');
        if (Array.isArray(x)) for (const y of x) walk(y, d + 1);
        else out.push(x);
        capList(out);
      };
      walk(needList(a0, 'list'), 0);
      return out;
    }
    case 'distinct':
    case 'toset': {
      const l = needList(a0, 'list');
      const out: Val[] = [];
      for (const x of l) if (!out.some((y) => valEq(x, y) === true)) out.push(x);
      return name === 'toset' && out.every((x) => typeof x === 'string') ? (out as string[]).sort() : out;
    }
    case 'tolist':
      return needList(a0, 'list');
    case 'tomap':
    case 'merge': {
      if (name === 'tomap') {
        if (a0 instanceof Map) return a0;
        throw new Error('needs a map');
      }
      const m = new Map<string, Val>();
      for (const x of args) {
        if (x === null) continue;
        if (!(x instanceof Map)) throw new Error('arguments must be maps');
        for (const [k, v] of x) m.set(k, v);
      }
      return m;
    }
    case 'keys':
      if (a0 instanceof Map) return [...a0.keys()].sort().map(keyVal);
      throw new Error('needs a map');
    case 'values':
      if (a0 instanceof Map) return [...a0.keys()].sort().map((k) => a0.get(k)!);
      throw new Error('needs a map');
    case 'lookup': {
      if (!(a0 instanceof Map)) throw new Error('needs a map');
      const k1 = args[1] ?? null;
      const k = k1 instanceof Ref && k1.path.startsWith('data.') ? refKey(k1) : needStr(k1, 'key');
      if (a0.has(k)) return a0.get(k)!;
      if (args.length >= 3) return args[2]!;
      throw new Error(`no "${k}" key`);
    }
    case 'contains':
      return needList(a0, 'list').some((x) => valEq(x, args[1] ?? null) === true);
    case 'index': {
      const i = needList(a0, 'list').findIndex((x) => valEq(x, args[1] ?? null) === true);
      if (i < 0) throw new Error('the value is not in the list');
      return i;
    }
    case 'one': {
      const l = a0 instanceof Map ? [...a0.values()] : needList(a0, 'list');
      if (l.length > 1) throw new Error('more than one element');
      return l[0] ?? null;
    }
    case 'compact':
      return needList(a0, 'list').filter((x) => x !== null && x !== '');
    case 'coalescelist': {
      const l = args.find((x) => Array.isArray(x) && x.length > 0);
      return l ?? [];
    }
    case 'reverse':
      return [...needList(a0, 'list')].reverse();
    case 'sort':
      return needList(a0, 'list')
        .map((x) => needStr(x, 'item'))
        .sort();
    case 'setunion':
    case 'setintersection':
    case 'setsubtract': {
      const lists = args.map((x) => needList(x, 'argument'));
      const has = (l: Val[], x: Val) => l.some((y) => valEq(x, y) === true);
      let out: Val[] = [];
      if (name === 'setunion') {
        for (const l of lists) for (const x of l) if (!has(out, x)) out.push(x);
      } else if (name === 'setintersection') out = (lists[0] ?? []).filter((x) => lists.every((l) => has(l, x)));
      else out = (lists[0] ?? []).filter((x) => !has(lists[1] ?? [], x));
      return capList(out);
    }
    case 'chunklist': {
      const l = needList(a0, 'list');
      const size = needNum(args[1] ?? null, 'size');
      if (!Number.isInteger(size) || size < 0) throw new Error('size must be a whole number');
      if (size === 0) return [l];
      const out: Val[] = [];
      for (let i = 0; i < l.length; i += size) out.push(l.slice(i, i + size));
      return out;
    }
    case 'formatlist': {
      const spec = needStr(a0, 'format');
      const lists = args.slice(1);
      const n = Math.max(1, ...lists.map((x) => (Array.isArray(x) ? x.length : 1)));
      if (n > MAX_LIST) throw new Error('list too long');
      return Array.from({ length: n }, (_, i) => callFunction('format', [spec, ...lists.map((x) => (Array.isArray(x) ? (x[i] ?? null) : x))]) as Val);
    }
    case 'replace': {
      const [str, sub, rep] = [needStr(a0, 'string'), needStr(args[1] ?? null, 'substring'), needStr(args[2] ?? null, 'replacement')];
      if (/^\/.*\/$/.test(sub)) return NOT_HANDLED;
      const out = str.split(sub).join(rep);
      if (out.length > MAX_STRING) throw new Error('string too long');
      return out;
    }
    case 'trimprefix':
      return ((s, p) => (s.startsWith(p) ? s.slice(p.length) : s))(needStr(a0, 'string'), needStr(args[1] ?? null, 'prefix'));
    case 'trimsuffix':
      return ((s, p) => (p && s.endsWith(p) ? s.slice(0, -p.length) : s))(needStr(a0, 'string'), needStr(args[1] ?? null, 'suffix'));
    case 'startswith':
      return needStr(a0, 'string').startsWith(needStr(args[1] ?? null, 'prefix'));
    case 'endswith':
      return needStr(a0, 'string').endsWith(needStr(args[1] ?? null, 'suffix'));
    case 'sum':
      return needList(a0, 'list').reduce<number>((t, x) => t + needNum(x, 'item'), 0);
    case 'pow':
      return Math.pow(needNum(a0, 'number'), needNum(args[1] ?? null, 'power'));
    case 'alltrue':
      return needList(a0, 'list').every((x) => x === true || x === 'true');
    case 'anytrue':
      return needList(a0, 'list').some((x) => x === true || x === 'true');
    case 'sensitive':
    case 'nonsensitive':
      return a0;
    case 'can':
      // can(expr) is false when expr fails; the arguments are all known here, so it did not.
      return true;
    case 'zipmap': {
      const ks = needList(a0, 'keys');
      const vs = needList(args[1] ?? null, 'values');
      if (ks.length !== vs.length) throw new Error('keys and values differ in length');
      return new Map(ks.map((k, i) => [needStr(k, 'key'), vs[i]!]));
    }
    case 'range': {
      const nums = args.map((x) => needNum(x, 'argument'));
      const [start, end, step] = nums.length === 1 ? [0, nums[0]!, 1] : [nums[0]!, nums[1]!, nums[2] ?? (nums[1]! >= nums[0]! ? 1 : -1)];
      if (step === 0) throw new Error('step cannot be 0');
      const out: number[] = [];
      for (let x = start; step > 0 ? x < end : x > end; x += step) {
        out.push(x);
        if (out.length > MAX_LIST) throw new Error('range too long');
      }
      return out;
    }
    case 'tostring':
      return a0 === null ? null : needStr(a0, 'value');
    case 'tonumber':
      return a0 === null ? null : needNum(a0, 'value');
    case 'tobool':
      if (a0 === true || a0 === 'true') return true;
      if (a0 === false || a0 === 'false') return false;
      throw new Error('not a bool');
    case 'format': {
      const spec = needStr(a0, 'format');
      let i = 1;
      const out = spec.replace(/%(%|[sdvq])/g, (_, c: string) => {
        if (c === '%') return '%';
        const v = args[i++];
        if (v === undefined) throw new Error('too few arguments');
        if (c === 'd') return String(Math.trunc(needNum(v, 'argument')));
        if (c === 'q') return JSON.stringify(needStr(v, 'argument'));
        return needStr(v, 'argument');
      });
      if (out.length > MAX_STRING) throw new Error('string too long');
      return out;
    }
    case 'join': {
      const out = needList(args[1] ?? null, 'list')
        .map((x) => needStr(x, 'item'))
        .join(needStr(a0, 'separator'));
      if (out.length > MAX_STRING) throw new Error('string too long');
      return out;
    }
    case 'split':
      return capList(needStr(args[1] ?? null, 'string').split(needStr(a0, 'separator')));
    case 'upper':
      return needStr(a0, 'string').toUpperCase();
    case 'lower':
      return needStr(a0, 'string').toLowerCase();
    case 'trimspace':
      return needStr(a0, 'string').trim();
    case 'substr': {
      const s = [...needStr(a0, 'string')];
      const off = needNum(args[1] ?? null, 'offset');
      const len = needNum(args[2] ?? null, 'length');
      return s.slice(off, len < 0 ? undefined : off + len).join('');
    }
    case 'min':
    case 'max': {
      const nums = args.map((x) => needNum(x, 'argument'));
      if (nums.length === 0) throw new Error('needs at least one number');
      return name === 'min' ? Math.min(...nums) : Math.max(...nums);
    }
    case 'abs':
      return Math.abs(needNum(a0, 'number'));
    case 'floor':
      return Math.floor(needNum(a0, 'number'));
    case 'ceil':
      return Math.ceil(needNum(a0, 'number'));
    case 'coalesce': {
      const v = args.find((x) => x !== null && x !== '');
      if (v === undefined) throw new Error('no non-empty argument');
      return v;
    }
  }
  return NOT_HANDLED;
}
