import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { diffLines } from 'diff';
import { lineDiff, type LineDiff } from './line-diff';

/** Applies the hunks to `before` (checking every context and removed line) and returns the result. */
function apply(before: string, d: LineDiff): string {
  const old = before ? before.split(/(?<=\n)/) : [];
  const out: string[] = [];
  let at = 0; // index in old
  const text = (l: string) => (l.endsWith('\n\\ No newline at end of file') ? l.slice(1, -'\n\\ No newline at end of file'.length) : l.slice(1) + '\n');
  for (const h of d.hunks) {
    const start = h.oldLines === 0 ? h.oldStart : h.oldStart - 1;
    while (at < start) out.push(old[at++]!);
    for (const l of h.lines) {
      if (l[0] === '+') out.push(text(l));
      else {
        if (old[at] !== text(l)) throw new Error(`line ${at + 1} of the old text is not ${JSON.stringify(l)}`);
        if (l[0] === ' ') out.push(old[at]!);
        at++;
      }
    }
  }
  while (at < old.length) out.push(old[at++]!);
  return out.join('');
}

const changed = (d: LineDiff) => d.hunks.reduce((n, h) => n + h.lines.filter((l) => l[0] !== ' ').length, 0);
const randomText = (lines: number, alphabet: number) => Array.from({ length: lines }, () => `line ${crypto.randomInt(alphabet)}\n`).join('');

describe('lineDiff', () => {
  it('turns one text into the other with the fewest changed lines (as the diff package does on small inputs)', () => {
    for (let i = 0; i < 300; i++) {
      let a = randomText(crypto.randomInt(0, 40), 6);
      let b = randomText(crypto.randomInt(0, 40), 6);
      if (i % 5 === 0) a = a.slice(0, -1); // no newline at the end
      if (i % 7 === 0) b = b.replace(/\n$/, '');
      const d = lineDiff(a, b);
      expect(d.exact).toBe(true);
      expect(apply(a, d)).toBe(b);
      // with almost no budget the script is longer, never wrong
      expect(apply(a, lineDiff(a, b, { budget: 15 }))).toBe(b);
      const theirs = diffLines(a, b).reduce((n, p) => n + (p.added || p.removed ? (p.count ?? 0) : 0), 0);
      expect(changed(d)).toBe(theirs);
    }
  });

  it('writes unified hunks with two lines of context', () => {
    const a = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].join('\n') + '\n';
    const b = a.replace('e\n', 'E\n').replace('j\n', 'j\nk\n');
    const d = lineDiff(a, b);
    expect(d.hunks).toEqual([
      { oldStart: 3, oldLines: 5, newStart: 3, newLines: 5, lines: [' c', ' d', '-e', '+E', ' f', ' g'] },
      { oldStart: 9, oldLines: 2, newStart: 9, newLines: 3, lines: [' i', ' j', '+k'] },
    ]);
    expect(lineDiff(a, a).hunks).toEqual([]);
    expect(lineDiff('', 'x\n').hunks).toEqual([{ oldStart: 0, oldLines: 0, newStart: 1, newLines: 1, lines: ['+x'] }]);
    expect(lineDiff('x', 'x\n').hunks[0]!.lines).toEqual(['-x\n\\ No newline at end of file', '+x']);
  });

  it('two unrelated 5,000-line files (8.6 s with the diff package) take milliseconds, replaced whole exactly', () => {
    const a = Array.from({ length: 5000 }, (_, i) => `resource "aws_subnet" "a${i}" { cidr = "${crypto.randomBytes(4).toString('hex')}" }\n`).join('');
    const b = Array.from({ length: 5000 }, (_, i) => `resource "aws_subnet" "b${i}" { cidr = "${crypto.randomBytes(4).toString('hex')}" }\n`).join('');
    const t0 = performance.now();
    const d = lineDiff(a, b);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(d.exact).toBe(true);
    expect(apply(a, d)).toBe(b);
    expect(changed(d)).toBe(10_000);
  });

  it('the worst case the labs allow (512 KB a side, 2-byte lines that half match) is bounded and still correct', () => {
    // The most lines, and matches everywhere for the search to chase: far past the budget.
    const short = () => Array.from({ length: 256 * 1024 }, () => `${Math.floor(Math.random() * 4)}\n`).join('');
    const a = short();
    const b = short();
    const t0 = performance.now();
    const shown = lineDiff(a, b, { maxLines: 2000 });
    expect(performance.now() - t0).toBeLessThan(500); // about 50 ms here; the margin is for a busy machine
    expect(shown.exact).toBe(false);
    expect(shown.hunks.reduce((n, h) => n + h.lines.length, 0)).toBe(2000);
    expect(shown.omitted).toBeGreaterThan(100_000);
    // the whole script, not cut, is still a correct diff
    expect(apply(a, lineDiff(a, b))).toBe(b);
  });

  it('a small change in a large file is still found exactly', () => {
    const a = Array.from({ length: 20_000 }, (_, i) => `line ${i}\n`).join('');
    const b = a.replace('line 12345\n', 'line 12345 changed\n');
    const d = lineDiff(a, b);
    expect(d.exact).toBe(true);
    expect(d.hunks).toHaveLength(1);
    expect(d.hunks[0]!.lines.filter((l) => l[0] !== ' ')).toEqual(['-line 12345', '+line 12345 changed']);
  });
});
