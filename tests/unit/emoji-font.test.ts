import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FONT_CSS, FONT_FILE, courseEmoji, emojiIn, fontCss, unicodeRange } from '../../lib/content/emoji-font';

const hex = (cps: Iterable<number>) => [...cps].map((c) => c.toString(16)).sort();

describe('the course emoji font', () => {
  it('finds emoji, not pictographs written as text', () => {
    expect(hex(emojiIn('Deploy failed 🚨 and ✅'))).toEqual(['1f6a8', '2705']);
    expect(hex(emojiIn('⚠️ error'))).toEqual(['26a0', 'fe0f']);
    expect(hex(emojiIn('A ↔ B, ✖ GET /api (48ms), # 1 © ℹ ★ ✓'))).toEqual([]);
  });

  it('writes unicode-range with runs joined', () => {
    expect(unicodeRange([0x1f525, 0x2705, 0x1f523, 0x1f524])).toBe('U+2705, U+1F523-1F525');
  });

  it('covers every emoji of the lessons, lab instructions and messages (else: node --import tsx lib/content/emoji-font.ts)', () => {
    const used = courseEmoji();
    expect(used.size).toBeGreaterThan(0);
    const css = fs.readFileSync(FONT_CSS, 'utf8');
    const missing = [...used].filter(
      ([cp]) =>
        !fontCss([cp])
          .match(/unicode-range: ([^;]+);/)![1]!
          .split(', ')
          .every((r) => css.includes(r)),
    );
    expect(missing.map(([cp, file]) => `${String.fromCodePoint(cp)} U+${cp.toString(16).toUpperCase()} in ${file}`)).toEqual([]);
    expect(css).toBe(fontCss(used.keys()));
  });

  it('is the subset of Noto Color Emoji for exactly those characters, and small', async () => {
    const { default: subsetFont } = await import('subset-font');
    const source = path.join(
      path.dirname(FONT_CSS),
      '..',
      '..',
      'node_modules',
      '@fontsource',
      'noto-color-emoji',
      'files',
      'noto-color-emoji-emoji-400-normal.woff2',
    );
    const fresh = await subsetFont(fs.readFileSync(source), String.fromCodePoint(...courseEmoji().keys()), { targetFormat: 'woff2' });
    const shipped = fs.readFileSync(FONT_FILE);
    expect(shipped.subarray(0, 4).toString('latin1')).toBe('wOF2');
    expect(shipped.length).toBeLessThan(64 * 1024);
    expect(Buffer.compare(shipped, fresh)).toBe(0);
  }, 60_000);
});
