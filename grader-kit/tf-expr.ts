/**
 * A parser for the part of HCL's expression language that hcl2json hands back as text: every value that is not a plain
 * literal comes out as a template string ("${var.vpc_cidr}", "${var.name}-vpc"). This turns such text into a small
 * syntax tree for the evaluator in model.ts. It never recurses without bound: nesting deeper than MAX_NESTING throws.
 */

export type Node =
  | { t: 'lit'; v: string | number | boolean | null }
  | { t: 'tmpl'; parts: (string | Node)[] }
  | { t: 'name'; name: string }
  | { t: 'attr'; e: Node; name: string }
  | { t: 'index'; e: Node; key: Node }
  | { t: 'splat'; e: Node; each: Node }
  | { t: 'item' }
  | { t: 'call'; name: string; args: Node[]; expand: boolean }
  | { t: 'un'; op: '-' | '!'; e: Node }
  | { t: 'bin'; op: string; l: Node; r: Node }
  | { t: 'cond'; c: Node; a: Node; b: Node }
  | { t: 'tuple'; items: Node[] }
  | { t: 'object'; items: { k: Node; v: Node }[] }
  | { t: 'for'; k: string | null; v: string; coll: Node; key: Node | null; val: Node; cond: Node | null; group: boolean }
  | { t: 'unsupported'; what: string };

export class ExprSyntaxError extends Error {}

const MAX_NESTING = 100;

const LEVELS: string[][] = [['||'], ['&&'], ['==', '!='], ['<=', '>=', '<', '>'], ['+', '-'], ['*', '/', '%']];

const ID_START = /[A-Za-z_]/;
const ID_CHAR = /[A-Za-z0-9_-]/;

/** Parses a value as hcl2json writes it: a template in Terraform's JSON syntax (no backslash escapes). */
export function parseJsonTemplate(src: string): Node {
  const p = new Parser(src);
  const node = p.template('json');
  return node;
}

/** Parses a bare expression (for tests and for the odd caller). */
export function parseExpression(src: string): Node {
  const p = new Parser(src);
  const e = p.expr();
  p.ws();
  if (!p.eof()) throw new ExprSyntaxError(`unexpected "${src.slice(p.pos, p.pos + 10)}"`);
  return e;
}

class Parser {
  pos = 0;
  private depth = 0;
  constructor(private readonly s: string) {}

  eof(): boolean {
    return this.pos >= this.s.length;
  }

  private enter() {
    if (++this.depth > MAX_NESTING) throw new ExprSyntaxError('expression nested too deeply');
  }

  private leave() {
    this.depth--;
  }

  /** Skips spaces, newlines and comments. */
  ws() {
    const s = this.s;
    for (;;) {
      const c = s[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.pos++;
      else if (c === '#' || (c === '/' && s[this.pos + 1] === '/')) {
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
      } else if (c === '/' && s[this.pos + 1] === '*') {
        const end = s.indexOf('*/', this.pos + 2);
        this.pos = end < 0 ? s.length : end + 2;
      } else return;
    }
  }

  private peek(str: string): boolean {
    return this.s.startsWith(str, this.pos);
  }

  private eat(str: string): boolean {
    this.ws();
    if (this.peek(str)) {
      this.pos += str.length;
      return true;
    }
    return false;
  }

  private expect(str: string) {
    if (!this.eat(str)) throw new ExprSyntaxError(`expected "${str}" at ${this.pos}`);
  }

  private ident(): string | null {
    this.ws();
    if (!ID_START.test(this.s[this.pos] ?? '')) return null;
    const start = this.pos;
    while (ID_CHAR.test(this.s[this.pos] ?? '')) this.pos++;
    return this.s.slice(start, this.pos);
  }

  /** A keyword such as "for" or "in" standing alone (not the start of a longer name). */
  private keyword(word: string): boolean {
    this.ws();
    if (this.peek(word) && !ID_CHAR.test(this.s[this.pos + word.length] ?? '')) {
      this.pos += word.length;
      return true;
    }
    return false;
  }

  /**
   * A template: text with ${...} interpolations. "json" mode is hcl2json's output (ends at the end of input);
   * "quoted" mode is a "..." string inside an expression (backslash escapes; ends at the closing quote).
   */
  template(mode: 'json' | 'quoted'): Node {
    this.enter();
    const parts: (string | Node)[] = [];
    let text = '';
    const s = this.s;
    for (;;) {
      if (this.pos >= s.length) {
        if (mode === 'quoted') throw new ExprSyntaxError('unterminated string');
        break;
      }
      const c = s[this.pos]!;
      if (mode === 'quoted' && c === '"') {
        this.pos++;
        break;
      }
      if (mode === 'quoted' && c === '\\') {
        const n = s[this.pos + 1];
        const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
        if (n !== undefined && simple[n] !== undefined) {
          text += simple[n];
          this.pos += 2;
          continue;
        }
        const u = n === 'u' ? /^[0-9a-fA-F]{4}/.exec(s.slice(this.pos + 2)) : n === 'U' ? /^[0-9a-fA-F]{8}/.exec(s.slice(this.pos + 2)) : null;
        if (u) {
          const cp = parseInt(u[0], 16);
          text += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
          this.pos += 2 + u[0].length;
          continue;
        }
        throw new ExprSyntaxError('invalid escape');
      }
      if ((c === '$' || c === '%') && s[this.pos + 1] === c && s[this.pos + 2] === '{') {
        text += c + '{';
        this.pos += 3;
        continue;
      }
      if (c === '%' && s[this.pos + 1] === '{') {
        // Template directives (%{ if }, %{ for }) are not evaluated: the whole template is unknown.
        this.leave();
        this.skipToTemplateEnd(mode);
        return { t: 'unsupported', what: 'template directive' };
      }
      if (c === '$' && s[this.pos + 1] === '{') {
        this.pos += 2;
        if (s[this.pos] === '~') this.pos++;
        if (text) parts.push(text);
        text = '';
        parts.push(this.expr());
        this.ws();
        if (s[this.pos] === '~') this.pos++;
        this.expect('}');
        continue;
      }
      text += c;
      this.pos++;
    }
    if (text) parts.push(text);
    this.leave();
    if (parts.length === 0) return { t: 'lit', v: '' };
    if (parts.length === 1 && typeof parts[0] === 'string') return { t: 'lit', v: parts[0] };
    return { t: 'tmpl', parts };
  }

  private skipToTemplateEnd(mode: 'json' | 'quoted') {
    if (mode === 'json') {
      this.pos = this.s.length;
      return;
    }
    // Good enough for a directive we do not evaluate: find the closing quote, minding escapes.
    while (this.pos < this.s.length) {
      const c = this.s[this.pos]!;
      if (c === '\\') this.pos += 2;
      else if (c === '"') {
        this.pos++;
        return;
      } else this.pos++;
    }
  }

  expr(): Node {
    this.enter();
    const c = this.binary(0);
    let out = c;
    if (this.eat('?')) {
      const a = this.expr();
      this.expect(':');
      const b = this.expr();
      out = { t: 'cond', c, a, b };
    }
    this.leave();
    return out;
  }

  private binary(level: number): Node {
    if (level >= LEVELS.length) return this.unary();
    let l = this.binary(level + 1);
    for (;;) {
      this.ws();
      const op = LEVELS[level]!.find((o) => this.peek(o) && !(o === '=' || (o === '<' && this.peek('<<'))));
      if (!op) return l;
      // "=>" belongs to for-expressions, "==" is matched whole above; a lone "=" is never an operator here.
      this.pos += op.length;
      const r = this.binary(level + 1);
      l = { t: 'bin', op, l, r };
    }
  }

  private unary(): Node {
    this.ws();
    const c = this.s[this.pos];
    if ((c === '-' || c === '!') && this.s[this.pos + 1] !== '=') {
      this.pos++;
      this.enter();
      const e = this.unary();
      this.leave();
      return { t: 'un', op: c, e };
    }
    return this.postfix(this.primary());
  }

  private postfix(e: Node): Node {
    for (;;) {
      this.ws();
      if (this.peek('[*]')) {
        this.pos += 3;
        return { t: 'splat', e, each: this.postfix({ t: 'item' }) };
      }
      if (this.peek('.*')) {
        // The legacy attribute-only splat: only `.name` steps apply to each item; an index after them applies to
        // the resulting list (`aws_subnet.public.*.id[0]` is the first subnet's id).
        this.pos += 2;
        let each: Node = { t: 'item' };
        while (this.s[this.pos] === '.' && ID_START.test(this.s[this.pos + 1] ?? '')) {
          this.pos++;
          each = { t: 'attr', e: each, name: this.ident()! };
        }
        e = { t: 'splat', e, each };
        continue;
      }
      if (this.s[this.pos] === '.' && /[0-9]/.test(this.s[this.pos + 1] ?? '')) {
        this.pos++;
        const start = this.pos;
        while (/[0-9]/.test(this.s[this.pos] ?? '')) this.pos++;
        e = { t: 'index', e, key: { t: 'lit', v: Number(this.s.slice(start, this.pos)) } };
        continue;
      }
      if (this.s[this.pos] === '.' && ID_START.test(this.s[this.pos + 1] ?? '')) {
        this.pos++;
        e = { t: 'attr', e, name: this.ident()! };
        continue;
      }
      if (this.s[this.pos] === '[') {
        this.pos++;
        const key = this.expr();
        this.expect(']');
        e = { t: 'index', e, key };
        continue;
      }
      return e;
    }
  }

  private primary(): Node {
    this.ws();
    const s = this.s;
    const c = s[this.pos];
    if (c === undefined) throw new ExprSyntaxError('unexpected end of expression');
    if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(s.slice(this.pos, this.pos + 400))!;
      this.pos += m[0].length;
      return { t: 'lit', v: Number(m[0]) };
    }
    if (c === '"') {
      this.pos++;
      return this.template('quoted');
    }
    if (c === '<' && s[this.pos + 1] === '<') throw new ExprSyntaxError('heredoc inside an expression');
    if (c === '(') {
      this.pos++;
      this.enter();
      const e = this.expr();
      this.expect(')');
      this.leave();
      return e;
    }
    if (c === '[') {
      this.pos++;
      this.enter();
      const save = this.pos;
      if (this.keyword('for')) {
        const f = this.forExpr(']', false);
        this.leave();
        return f;
      }
      this.pos = save;
      const items: Node[] = [];
      while (!this.eat(']')) {
        items.push(this.expr());
        if (!this.eat(',')) {
          this.expect(']');
          break;
        }
      }
      this.leave();
      return { t: 'tuple', items };
    }
    if (c === '{') {
      this.pos++;
      this.enter();
      const save = this.pos;
      if (this.keyword('for')) {
        const f = this.forExpr('}', true);
        this.leave();
        return f;
      }
      this.pos = save;
      const items: { k: Node; v: Node }[] = [];
      while (!this.eat('}')) {
        let k: Node;
        const before = this.pos;
        const id = this.ident();
        this.ws();
        if (id !== null && (this.peek('=') || this.peek(':')) && !this.peek('==')) k = { t: 'lit', v: id };
        else {
          this.pos = before;
          k = this.expr();
        }
        if (!this.eat('=') && !this.eat(':')) throw new ExprSyntaxError('expected "=" in object');
        const v = this.expr();
        items.push({ k, v });
        this.eat(',');
      }
      this.leave();
      return { t: 'object', items };
    }
    const id = this.ident();
    if (id === null) throw new ExprSyntaxError(`unexpected "${c}"`);
    if (id === 'true' || id === 'false') return { t: 'lit', v: id === 'true' };
    if (id === 'null') return { t: 'lit', v: null };
    this.ws();
    let name = id;
    // Provider-defined functions: provider::aws::arn_parse(...)
    while (this.peek('::')) {
      this.pos += 2;
      name += '::' + (this.ident() ?? '');
      this.ws();
    }
    if (this.s[this.pos] === '(') {
      this.pos++;
      this.enter();
      const args: Node[] = [];
      let expand = false;
      while (!this.eat(')')) {
        args.push(this.expr());
        if (this.eat('...')) expand = true;
        if (!this.eat(',')) {
          this.expect(')');
          break;
        }
      }
      this.leave();
      return { t: 'call', name, args, expand };
    }
    if (name !== id) throw new ExprSyntaxError('expected "(" after a provider function name');
    return { t: 'name', name };
  }

  /** After "[for" or "{for": `k, v in coll : val`, or `k, v in coll : key => val` for objects, then `if cond`. */
  private forExpr(close: string, obj: boolean): Node {
    const first = this.ident();
    if (first === null) throw new ExprSyntaxError('expected a name after "for"');
    let k: string | null = null;
    let v = first;
    if (this.eat(',')) {
      k = first;
      const second = this.ident();
      if (second === null) throw new ExprSyntaxError('expected a second name after ","');
      v = second;
    }
    if (!this.keyword('in')) throw new ExprSyntaxError('expected "in"');
    const coll = this.expr();
    this.expect(':');
    let key: Node | null = null;
    let val = this.expr();
    if (obj) {
      this.expect('=>');
      key = val;
      val = this.expr();
    }
    const group = obj && this.eat('...');
    let cond: Node | null = null;
    if (this.keyword('if')) cond = this.expr();
    this.expect(close);
    return { t: 'for', k, v, coll, key, val, cond, group };
  }
}
