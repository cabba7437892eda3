import fs from 'node:fs';
import path from 'node:path';
import { compile } from '@mdx-js/mdx';
import remarkCjkFriendly from 'remark-cjk-friendly';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import type { Root, Text } from 'mdast';
import rehypeCode, { knownLanguage } from '../lib/content/rehype-code.mjs';
import { ROOT } from './services';

/**
 * Emphasis markers left as text after parsing: `**` or `__` that did not open or close (Markdown that renders with
 * the asterisks showing). Reported with the line, so the writer can fix the source.
 */
function strayEmphasis(found: string[]) {
  return () => (tree: Root) => {
    const walk = (n: Root | Root['children'][number]) => {
      if (n.type === 'text' && /\*\*|__/.test((n as Text).value))
        found.push(`line ${n.position?.start.line ?? '?'}: stray emphasis marker in "${(n as Text).value.trim().slice(0, 60)}"`);
      if ('children' in n) for (const c of n.children) walk(c as Root['children'][number]);
    };
    walk(tree);
  };
}

/** A code block in a language the site cannot highlight (a typo, or a grammar nobody added): reported with its line. */
function unknownLanguages(found: string[]) {
  return () => (tree: Root) => {
    const walk = (n: Root | Root['children'][number]) => {
      if (n.type === 'code' && n.lang && !knownLanguage(n.lang))
        found.push(`line ${n.position?.start.line ?? '?'}: code block in "${n.lang}", which the site cannot highlight (lib/content/rehype-code.mjs)`);
      if ('children' in n) for (const c of n.children) walk(c as Root['children'][number]);
    };
    walk(tree);
  };
}

/** Compiles text as the site will (the same plugins as next.config.js); returns the problems found. */
export async function compileMarkdown(text: string, format: 'md' | 'mdx'): Promise<string[]> {
  const found: string[] = [];
  try {
    await compile(text, {
      format,
      remarkPlugins: [remarkFrontmatter, remarkGfm, remarkCjkFriendly, strayEmphasis(found), unknownLanguages(found)],
      rehypePlugins: [rehypeCode],
    });
  } catch (e) {
    return [(e as Error).message];
  }
  return found;
}

/**
 * Compiles every lesson and every lab's instructions as the site will, so a broken MDX file, or bold text that
 * would render with its asterisks showing, fails the check, not the reader.
 */
export async function compileAll(): Promise<string[]> {
  const problems: string[] = [];
  const files: string[] = [];
  const content = path.join(ROOT, 'content');
  for (const mod of fs.existsSync(content) ? fs.readdirSync(content) : []) {
    const md = path.join(content, mod);
    if (fs.statSync(md).isDirectory())
      files.push(
        ...fs
          .readdirSync(md)
          .filter((x) => x.endsWith('.mdx'))
          .map((f) => path.join(md, f)),
      );
  }
  const labs = path.join(ROOT, 'labs');
  for (const lab of fs.existsSync(labs) ? fs.readdirSync(labs) : []) {
    for (const lang of ['ko', 'en']) {
      const f = path.join(labs, lab, `instructions.${lang}.md`);
      if (fs.existsSync(f)) files.push(f);
    }
  }
  for (const f of files) {
    for (const p of await compileMarkdown(fs.readFileSync(f, 'utf8'), f.endsWith('.mdx') ? 'mdx' : 'md')) problems.push(`${path.relative(ROOT, f)}: ${p}`);
  }
  return problems;
}
