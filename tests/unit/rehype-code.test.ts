import { describe, expect, it } from 'vitest';
import { compile } from '@mdx-js/mdx';
import rehypeCode, { knownLanguage, parseLineRanges } from '@/lib/content/rehype-code.mjs';
import { compileMarkdown } from '@/cli/content-compile';

/** Lessons' code blocks: real grammars for the course's languages, line highlights, unknown languages reported. */
async function html(md: string): Promise<string> {
  const out = await compile(md, { format: 'md', rehypePlugins: [rehypeCode], outputFormat: 'function-body', development: false });
  return String(out);
}

describe('rehype-code', () => {
  it('highlights HCL: blocks, attributes, strings with interpolation, functions, comments', async () => {
    const out = await html(
      '```hcl\nresource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16" # the VPC\n  tags = merge(local.tags, { Name = "${var.name}-vpc" })\n}\n```\n',
    );
    expect(out).toMatch(/hljs-keyword[^]*resource/);
    expect(out).toMatch(/hljs-attr[^]*cidr_block/);
    expect(out).toMatch(/hljs-built_in[^]*merge/);
    expect(out).toMatch(/hljs-subst[^]*\$\{var\.name\}/);
    expect(out).toMatch(/hljs-comment[^]*# the VPC/);
  });
  it('highlights PromQL: aggregations, functions, matchers and durations', async () => {
    const out = await html('```promql\nsum by (le) (rate(http_request_duration_seconds_bucket{code=~"5.."}[5m])) > 0.05\n```\n');
    expect(out).toMatch(/hljs-built_in[^]*sum/);
    expect(out).toMatch(/hljs-keyword[^]*by/);
    expect(out).toMatch(/hljs-attr[^]*code/);
    expect(out).toMatch(/hljs-number[^]*5m/);
  });
  it('highlights Dockerfile with its own grammar, not as shell', async () => {
    const out = await html('```dockerfile\nFROM node:26-trixie-slim\nRUN npm ci\n```\n');
    expect(out).toMatch(/language-dockerfile/);
    expect(out).toMatch(/hljs-keyword[^]*FROM/);
  });
  it('marks the lines a fence names, and reads ranges', async () => {
    expect(parseLineRanges('{1,3-5}')).toEqual([1, 3, 4, 5]);
    expect(parseLineRanges('title="x" {5-3}')).toEqual([3, 4, 5]);
    expect(parseLineRanges('')).toEqual([]);
    expect(parseLineRanges('{0,x}')).toEqual([]);
    const out = await html('```yaml {2}\na: 1\nb: 2\n```\n');
    expect(out).toMatch(/code-lines/);
    expect(out).toMatch(/"data-highlight-lines": "2"/);
    expect(out).toMatch(/calc\(var\(--code-pad\) \+ 1 \* var\(--lh\)\)/);
  });
  it('knows the languages the lessons use and reports one it cannot highlight', async () => {
    for (const l of ['hcl', 'terraform', 'tf', 'promql', 'dockerfile', 'yaml', 'bash', 'sh', 'js', 'json', 'text', 'groovy', 'properties', 'python', 'sql'])
      expect(knownLanguage(l), l).toBe(true);
    expect(knownLanguage('klingon')).toBe(false);
    expect(await compileMarkdown('# x\n\n```klingon\nqapla\n```\n', 'md')).toEqual([expect.stringMatching(/line 3: code block in "klingon"/)]);
  });
});
