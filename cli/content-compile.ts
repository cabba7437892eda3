import fs from 'node:fs';
import path from 'node:path';
import { compile } from '@mdx-js/mdx';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import { ROOT } from './services';

/** Compiles every lesson as the site will, so a broken MDX file fails the check, not the reader. */
export async function compileAll(): Promise<string[]> {
  const problems: string[] = [];
  const dir = path.join(ROOT, 'content');
  if (!fs.existsSync(dir)) return problems;
  for (const mod of fs.readdirSync(dir)) {
    const md = path.join(dir, mod);
    if (!fs.statSync(md).isDirectory()) continue;
    for (const f of fs.readdirSync(md).filter((x) => x.endsWith('.mdx'))) {
      try {
        await compile(fs.readFileSync(path.join(md, f), 'utf8'), { remarkPlugins: [remarkFrontmatter, remarkGfm] });
      } catch (e) {
        problems.push(`${mod}/${f}: ${(e as Error).message}`);
      }
    }
  }
  return problems;
}
