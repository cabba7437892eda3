import { describe, expect, it } from 'vitest';
import { compileMarkdown } from '../../cli/content-compile';

describe('compileMarkdown (the content check)', () => {
  it('closes Korean bold that ends in punctuation before a particle, as the site renders it', async () => {
    // CommonMark alone leaves these asterisks showing; the site's remark-cjk-friendly closes them
    expect(await compileMarkdown('고칠 수 없는 대상은 **익스포터(exporter)**가 내보냅니다.\n', 'md')).toEqual([]);
    expect(await compileMarkdown('이름 규칙은 **`level:metric:operations`**입니다.\n', 'mdx')).toEqual([]);
  });
  it('reports emphasis markers that would show as text, with the line', async () => {
    const p = await compileMarkdown('# Title\n\nfine **bold** here\n\nbroken ** here\n', 'md');
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^line 5: stray emphasis marker in "broken \*\* here"/);
  });
  it('reports MDX that does not compile', async () => {
    expect((await compileMarkdown('<Unclosed>\n', 'mdx'))[0]).toMatch(/Unclosed|closing tag/i);
  });
});
