import type { MDXComponents } from 'mdx/types';
import { Callout } from '@/components/mdx/callout';
import { Quiz } from '@/components/mdx/quiz';
import { Flow } from '@/components/mdx/flow';
import { Figure } from '@/components/mdx/figure';
import { CopyButton } from '@/components/mdx/copy-button';

function slugify(children: React.ReactNode): string {
  const text = Array.isArray(children) ? children.join('') : String(children ?? '');
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .trim()
    .replace(/\s+/g, '-');
}

function heading(Tag: 'h2' | 'h3') {
  function Heading({ children }: { children?: React.ReactNode }) {
    const id = slugify(children);
    return (
      <Tag id={id} className="group scroll-mt-20">
        {children}
        <a href={`#${id}`} aria-label="Link to this section" className="ml-2 text-slate-400 no-underline opacity-0 group-hover:opacity-100">
          #
        </a>
      </Tag>
    );
  }
  return Heading;
}

const components: MDXComponents = {
  h2: heading('h2'),
  h3: heading('h3'),
  pre: ({ children, ...props }) => (
    <div className="relative">
      {/* Focusable: a long line scrolls the block sideways, and a keyboard must be able to scroll it too. */}
      <pre tabIndex={0} {...props}>
        {children}
      </pre>
      <CopyButton />
    </div>
  ),
  Callout,
  Quiz,
  Flow,
  Figure,
};

export function useMDXComponents(): MDXComponents {
  return components;
}
