import { describe, expect, it } from 'vitest';
import { flowLayout } from '@/components/mdx/flow';

describe('Flow layout', () => {
  it('a straight flow: one row, an arrow between neighbours', () => {
    const f = flowLayout(['a', 'b', 'c']);
    expect(f.boxes.map((c) => c.length)).toEqual([1, 1, 1]);
    expect(f.arrows).toHaveLength(2);
    expect(f.label).toBe('a → b → c');
  });
  it('a branch fans out and in: every box of a column joined to every box of the next, columns centred', () => {
    const f = flowLayout(['push', ['test 24', 'test 26'], 'image']);
    expect(f.boxes.map((c) => c.map((b) => b.label))).toEqual([['push'], ['test 24', 'test 26'], ['image']]);
    expect(f.arrows).toHaveLength(4);
    const [push] = f.boxes[0]!;
    const [t24, t26] = f.boxes[1]!;
    expect(push!.y + push!.h / 2).toBeCloseTo((t24!.y + t26!.y + t26!.h) / 2);
    expect(t26!.y).toBeGreaterThan(t24!.y + t24!.h);
    expect(f.label).toBe('push → (test 24 | test 26) → image');
  });
  it('a loop adds room for the way back; empty steps are dropped', () => {
    expect(flowLayout(['a', 'b'], true).height).toBeGreaterThan(flowLayout(['a', 'b']).height);
    expect(flowLayout(['a', [], 'b']).boxes).toHaveLength(2);
  });
});
