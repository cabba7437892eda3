/**
 * A line diff with a bound on its work, for showing what changed between two attempts on the lab page.
 *
 * The page renders on the web process's only thread, so the diff must not depend on how different two files are:
 * the `diff` package's Myers implementation is O((N+M)·D) in time with a path object per step, and two unrelated
 * 5,000-line files (D = 10,000) took 8.6 s, during which every other request, the health check included, waited.
 * Here lines are interned to integers, the common head and tail are cut first, and the rest is Myers' linear-space
 * variant (the middle snake, divide and conquer: O(N+M) memory) with a budget of steps shared by the whole diff.
 * When the budget runs out, what is left of that region is shown as removed and added whole: still a correct diff
 * (applying it turns one file into the other), only not the shortest, and marked `exact: false` so the page says so.
 */

type Line = { op: ' ' | '-' | '+'; text: string };

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** Lines with their mark ('+', '-' or ' ') first, as in a unified diff, without the line break. */
  lines: string[];
}

export interface LineDiff {
  hunks: Hunk[];
  /** False when the step budget ran out and some region is shown as replaced whole. */
  exact: boolean;
  /** Changed lines not written into the hunks (over `maxLines`). */
  omitted: number;
}

/** Steps (diagonal moves and snake comparisons) one diff may take: a few tens of milliseconds at most. */
export const DEFAULT_DIFF_BUDGET = 1_500_000;

type Op = { op: ' ' | '-' | '+'; a: number; b: number; n: number };

/**
 * The lines of a text without their line breaks, and whether the last one had none (it then differs from the same
 * text with a line break, as diff(1) has it).
 */
function splitLines(s: string): { lines: string[]; noEol: boolean } {
  if (!s) return { lines: [], noEol: false };
  const lines = s.split('\n');
  if (lines[lines.length - 1] === '') {
    lines.pop();
    return { lines, noEol: false };
  }
  return { lines, noEol: true };
}

/** Steps left for one page's diffs: pass one to several `lineDiff` calls to bound them together. */
export class Budget {
  used = 0;
  exhausted = false;
  constructor(readonly max: number) {}
  spend(n: number): boolean {
    this.used += n;
    if (this.used > this.max) this.exhausted = true;
    return !this.exhausted;
  }
}

/**
 * The middle snake of a[aLo,aHi) against b[bLo,bHi) (Myers 1986, section 4b): the point the forward and backward
 * searches meet on a shortest edit path, or null when the budget ran out first.
 */
function middleSnake(a: Int32Array, aLo: number, aHi: number, b: Int32Array, bLo: number, bHi: number, budget: Budget): [number, number] | null {
  const n = aHi - aLo;
  const m = bHi - bLo;
  const maxD = Math.ceil((n + m) / 2);
  const off = maxD;
  const len = 2 * maxD + 2;
  const v1 = new Int32Array(len).fill(-1);
  const v2 = new Int32Array(len).fill(-1);
  v1[off + 1] = 0;
  v2[off + 1] = 0;
  const delta = n - m;
  const front = delta % 2 !== 0;
  let k1start = 0;
  let k1end = 0;
  let k2start = 0;
  let k2end = 0;
  for (let d = 0; d < maxD; d++) {
    if (!budget.spend(2 * d + 2)) return null;
    for (let k1 = -d + k1start; k1 <= d - k1end; k1 += 2) {
      const k1o = off + k1;
      let x1 = k1 === -d || (k1 !== d && v1[k1o - 1]! < v1[k1o + 1]!) ? v1[k1o + 1]! : v1[k1o - 1]! + 1;
      let y1 = x1 - k1;
      const x0 = x1;
      while (x1 < n && y1 < m && a[aLo + x1] === b[bLo + y1]) {
        x1++;
        y1++;
      }
      if (!budget.spend(x1 - x0)) return null;
      v1[k1o] = x1;
      if (x1 > n) k1end += 2;
      else if (y1 > m) k1start += 2;
      else if (front) {
        const k2o = off + delta - k1;
        if (k2o >= 0 && k2o < len && v2[k2o] !== -1 && x1 >= n - v2[k2o]!) return [x1, y1];
      }
    }
    for (let k2 = -d + k2start; k2 <= d - k2end; k2 += 2) {
      const k2o = off + k2;
      let x2 = k2 === -d || (k2 !== d && v2[k2o - 1]! < v2[k2o + 1]!) ? v2[k2o + 1]! : v2[k2o - 1]! + 1;
      let y2 = x2 - k2;
      const x0 = x2;
      while (x2 < n && y2 < m && a[aHi - 1 - x2] === b[bHi - 1 - y2]) {
        x2++;
        y2++;
      }
      if (!budget.spend(x2 - x0)) return null;
      v2[k2o] = x2;
      if (x2 > n) k2end += 2;
      else if (y2 > m) k2start += 2;
      else if (!front) {
        const k1o = off + delta - k2;
        if (k1o >= 0 && k1o < len && v1[k1o] !== -1) {
          const x1 = v1[k1o]!;
          const y1 = off + x1 - k1o;
          if (x1 >= n - x2) return [x1, y1];
        }
      }
    }
  }
  // No line in common: the region is replaced whole (that is the shortest script then).
  return [n, 0];
}

function push(out: Op[], op: Op['op'], a: number, b: number, n: number) {
  if (n <= 0) return;
  const last = out[out.length - 1];
  if (last && last.op === op && last.a + (op === '+' ? 0 : last.n) === a && last.b + (op === '-' ? 0 : last.n) === b) last.n += n;
  else out.push({ op, a, b, n });
}

/**
 * Whether the two regions have any line in common (linear): unrelated regions, e.g. a file rewritten from scratch,
 * are replaced whole at once, which is also the shortest script for them, instead of searching every diagonal.
 */
function shareALine(
  a: Int32Array,
  aLo: number,
  aHi: number,
  b: Int32Array,
  bLo: number,
  bHi: number,
  budget: Budget,
  marks: { seen: Int32Array; stamp: number },
): boolean {
  budget.spend(aHi - aLo + bHi - bLo);
  const stamp = ++marks.stamp;
  for (let i = aLo; i < aHi; i++) marks.seen[a[i]!] = stamp;
  for (let j = bLo; j < bHi; j++) if (marks.seen[b[j]!] === stamp) return true;
  return false;
}

/** The edit script of a[aLo,aHi) against b[bLo,bHi), appended to `out` in order. */
function diffRange(
  a: Int32Array,
  aLo: number,
  aHi: number,
  b: Int32Array,
  bLo: number,
  bHi: number,
  budget: Budget,
  out: Op[],
  marks: { seen: Int32Array; stamp: number },
): void {
  // common head and tail
  let head = 0;
  while (aLo + head < aHi && bLo + head < bHi && a[aLo + head] === b[bLo + head]) head++;
  push(out, ' ', aLo, bLo, head);
  aLo += head;
  bLo += head;
  let tail = 0;
  while (aHi - tail > aLo && bHi - tail > bLo && a[aHi - 1 - tail] === b[bHi - 1 - tail]) tail++;
  aHi -= tail;
  bHi -= tail;
  budget.spend(head + tail);
  if (aLo === aHi || bLo === bHi || budget.exhausted || !shareALine(a, aLo, aHi, b, bLo, bHi, budget, marks)) {
    // nothing in common (or no budget left): replaced whole
    push(out, '-', aLo, bLo, aHi - aLo);
    push(out, '+', aHi, bLo, bHi - bLo);
  } else {
    const mid = middleSnake(a, aLo, aHi, b, bLo, bHi, budget);
    if (!mid || (mid[0] === aHi - aLo && mid[1] === 0)) {
      push(out, '-', aLo, bLo, aHi - aLo);
      push(out, '+', aHi, bLo, bHi - bLo);
    } else {
      diffRange(a, aLo, aLo + mid[0], b, bLo, bLo + mid[1], budget, out, marks);
      diffRange(a, aLo + mid[0], aHi, b, bLo + mid[1], bHi, budget, out, marks);
    }
  }
  push(out, ' ', aHi, bHi, tail);
}

/**
 * The unified-diff hunks (with `context` unchanged lines around each change) that turn `before` into `after`. At most
 * `maxLines` lines are written into hunks; the changed lines left out are counted in `omitted`.
 */
export function lineDiff(before: string, after: string, opts: { context?: number; budget?: number | Budget; maxLines?: number } = {}): LineDiff {
  const context = opts.context ?? 2;
  const maxLines = opts.maxLines ?? Infinity;
  const A = splitLines(before);
  const B = splitLines(after);
  const la = A.lines;
  const lb = B.lines;
  const ids = new Map<string, number>();
  // the last line without a line break is a line of its own kind
  const NO_EOL = '\n';
  const intern = (lines: string[], noEol: boolean) => {
    const out = new Int32Array(lines.length);
    for (let i = 0; i < lines.length; i++) {
      const key = noEol && i === lines.length - 1 ? lines[i]! + NO_EOL : lines[i]!;
      let id = ids.get(key);
      if (id === undefined) ids.set(key, (id = ids.size));
      out[i] = id;
    }
    return out;
  };
  const a = intern(la, A.noEol);
  const b = intern(lb, B.noEol);
  const budget = opts.budget instanceof Budget ? opts.budget : new Budget(opts.budget ?? DEFAULT_DIFF_BUDGET);
  const exhaustedBefore = budget.exhausted;
  const seen = new Int32Array(ids.size);
  const ops: Op[] = [];
  diffRange(a, 0, a.length, b, 0, b.length, budget, ops, { seen, stamp: 0 });

  const hunks: Hunk[] = [];
  let cur: Hunk | null = null;
  let written = 0;
  let omitted = 0;
  const lastA = A.noEol ? la.length - 1 : -1;
  const lastB = B.noEol ? lb.length - 1 : -1;
  const add = (h: Hunk, op: Line['op'], i: number) => {
    // context and removed lines are read from `before`, added ones from `after`
    const noEol = op === '+' ? i === lastB : i === lastA;
    h.lines.push(op + (op === '+' ? lb[i] : la[i]) + (noEol ? '\n\\ No newline at end of file' : ''));
    written++;
    if (op !== '+') h.oldLines++;
    if (op !== '-') h.newLines++;
  };
  const close = (h: Hunk) => {
    // as diff(1) writes it: a side with no lines starts at the line before
    if (h.oldLines === 0) h.oldStart--;
    if (h.newLines === 0) h.newStart--;
  };
  for (let i = 0; i < ops.length; i++) {
    const o = ops[i]!;
    if (written >= maxLines) {
      if (o.op !== ' ') omitted += o.n;
      continue;
    }
    if (o.op === ' ') {
      if (!cur) continue;
      const through = o.n <= 2 * context && i < ops.length - 1 ? o.n : Math.min(context, o.n);
      for (let j = 0; j < through; j++) add(cur, ' ', o.a + j);
      if (through < o.n || i === ops.length - 1) {
        close(cur);
        cur = null;
      }
      continue;
    }
    if (!cur) {
      const prev = ops[i - 1];
      const lead = prev && prev.op === ' ' ? Math.min(context, prev.n) : 0;
      cur = { oldStart: o.a - lead + 1, oldLines: 0, newStart: o.b - lead + 1, newLines: 0, lines: [] };
      hunks.push(cur);
      for (let j = lead; j > 0; j--) add(cur, ' ', o.a - j);
    }
    const room = Math.max(0, Math.min(o.n, maxLines - written));
    for (let j = 0; j < room; j++) add(cur, o.op, o.op === '-' ? o.a + j : o.b + j);
    omitted += o.n - room;
  }
  if (cur) close(cur);
  return { hunks, exact: exhaustedBefore ? false : !budget.exhausted, omitted };
}
