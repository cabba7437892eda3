/**
 * Code blocks in lessons and lab instructions: highlighted at build time with highlight.js's own grammars, plus two
 * the course needs and highlight.js does not ship (HCL for Terraform, PromQL), and line highlights from the fence's
 * meta (```hcl {3,5-7}). Plain JavaScript with no TypeScript so Next's MDX loader (Turbopack) can load it by path.
 *
 * Line highlights do not restructure the highlighted markup (a span can run over several lines, a multi-line
 * comment say): the <pre> gets a `data-highlight-lines` attribute and its <code> a background of bands, one per
 * highlighted line, at multiples of the line height (globals.css `.code-lines`); code blocks never wrap, so line n is
 * always (n-1) line heights below the top padding.
 */
import rehypeHighlight from 'rehype-highlight';
import { common, createLowlight } from 'lowlight';
import dockerfile from 'highlight.js/lib/languages/dockerfile';
import groovy from 'highlight.js/lib/languages/groovy';
import properties from 'highlight.js/lib/languages/properties';

/** HashiCorp Configuration Language (Terraform): blocks, attributes, interpolation, heredocs, the three comment forms. */
export function hcl(hljs) {
  const interpolation = { className: 'subst', begin: /\$\{/, end: /\}/, contains: [] };
  const string = {
    className: 'string',
    variants: [
      { begin: /"/, end: /"/, contains: [hljs.BACKSLASH_ESCAPE, interpolation] },
      { begin: /<<-?\s*([A-Za-z_][A-Za-z0-9_]*)\n/, end: /^\s*[A-Za-z_][A-Za-z0-9_]*\s*$/, contains: [interpolation] },
    ],
  };
  const number = { className: 'number', begin: /\b\d+(\.\d+)?([eE][+-]?\d+)?\b/, relevance: 0 };
  interpolation.contains = [string, number, { className: 'keyword', begin: /\b(for|in|if)\b/ }];
  return {
    name: 'HCL',
    aliases: ['terraform', 'tf', 'hcl2'],
    keywords: {
      keyword: 'for in if else endif endfor',
      literal: 'true false null',
      built_in:
        'abs ceil floor log max min pow signum chomp format formatlist indent join lower regex regexall replace split strrev substr title trim trimprefix trimsuffix trimspace upper chunklist coalesce coalescelist compact concat contains distinct element flatten index keys length lookup matchkeys merge one range reverse setintersection setproduct setsubtract setunion slice sort sum transpose values zipmap base64decode base64encode csvdecode jsondecode jsonencode urlencode yamldecode yamlencode abspath dirname pathexpand basename file fileexists fileset filebase64 templatefile formatdate timeadd timestamp base64sha256 md5 sha1 sha256 uuid cidrhost cidrnetmask cidrsubnet cidrsubnets can nonsensitive sensitive tobool tolist tomap tonumber toset tostring try type',
    },
    contains: [
      hljs.HASH_COMMENT_MODE,
      hljs.C_LINE_COMMENT_MODE,
      hljs.C_BLOCK_COMMENT_MODE,
      string,
      number,
      // a block: `resource "aws_vpc" "main" {`, `provider "aws" {`, `dynamic "route" {`
      { begin: /^\s*[A-Za-z_][A-Za-z0-9_-]*(?=(\s+"[^"]*")*\s*\{)/, className: 'keyword' },
      // an attribute: `cidr_block =`
      { begin: /\b[A-Za-z_][A-Za-z0-9_-]*(?=\s*=(?!=))/, className: 'attr', relevance: 0 },
    ],
  };
}

/** PromQL: metric names with label matchers, range selectors, functions, aggregations with by/without, durations. */
export function promql(hljs) {
  return {
    name: 'PromQL',
    aliases: ['prometheus'],
    keywords: {
      keyword: 'by without on ignoring group_left group_right offset bool and or unless @',
      built_in:
        'sum min max avg group stddev stdvar count count_values bottomk topk quantile limitk limit_ratio abs absent absent_over_time ceil changes clamp clamp_max clamp_min day_of_month day_of_week day_of_year days_in_month delta deriv exp floor histogram_avg histogram_count histogram_fraction histogram_quantile histogram_stddev histogram_stdvar histogram_sum holt_winters double_exponential_smoothing hour idelta increase irate label_join label_replace ln log2 log10 minute month predict_linear rate resets round scalar sgn sort sort_desc sort_by_label sort_by_label_desc sqrt time timestamp vector year avg_over_time min_over_time max_over_time sum_over_time count_over_time quantile_over_time stddev_over_time stdvar_over_time last_over_time present_over_time mad_over_time',
    },
    contains: [
      hljs.HASH_COMMENT_MODE,
      { className: 'string', begin: /"/, end: /"/, contains: [hljs.BACKSLASH_ESCAPE] },
      { className: 'string', begin: /'/, end: /'/, contains: [hljs.BACKSLASH_ESCAPE] },
      // label matchers inside braces: {code=~"5.."}
      { begin: /\{/, end: /\}/, contains: [{ className: 'attr', begin: /[A-Za-z_][A-Za-z0-9_]*(?=\s*(=~|!~|!=|=))/ }, { className: 'string', begin: /"/, end: /"/, contains: [hljs.BACKSLASH_ESCAPE] }] },
      // range and subquery selectors, offsets: [5m], [1h:5m], offset 1d
      { className: 'number', begin: /\b\d+(ms|s|m|h|d|w|y)\b/ },
      { className: 'number', begin: /\b\d+(\.\d+)?([eE][+-]?\d+)?\b/, relevance: 0 },
    ],
  };
}

const LANGUAGES = { ...common, dockerfile, groovy, properties, hcl, promql };
const ALIASES = { hcl: ['terraform', 'tf'], dockerfile: ['docker', 'containerfile'], bash: ['console', 'shell-session'], promql: ['prometheus'] };

const PLAIN = ['text', 'txt', 'plain'];

let registry;
/** Whether a fence's language is one the site highlights (a name or alias lowlight knows), or plain text on purpose. */
export function knownLanguage(lang) {
  const l = String(lang).toLowerCase();
  if (PLAIN.includes(l)) return true;
  if (!registry) {
    registry = createLowlight(LANGUAGES);
    registry.registerAlias(ALIASES);
  }
  return registry.registered(l);
}

/** `{1,3-5}` in a fence's meta: the lines to highlight, 1-based, sorted, at most 500. */
export function parseLineRanges(meta) {
  const m = /\{([\d,\s-]+)\}/.exec(meta ?? '');
  if (!m) return [];
  const out = new Set();
  for (const part of m[1].split(',')) {
    const r = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(part);
    if (!r) continue;
    const a = Number(r[1]);
    const b = r[2] ? Number(r[2]) : a;
    for (let n = Math.min(a, b); n <= Math.max(a, b) && out.size < 500; n++) if (n >= 1) out.add(n);
  }
  return [...out].sort((x, y) => x - y);
}

function visit(node, fn, parent) {
  fn(node, parent);
  for (const c of node.children ?? []) visit(c, fn, node);
}

/** Marks highlighted lines on each <pre> whose <code> carries a `{...}` meta. */
function lineHighlights() {
  return (tree) => {
    visit(tree, (node, parent) => {
      if (node.type !== 'element' || node.tagName !== 'code' || !parent || parent.tagName !== 'pre') return;
      const lines = parseLineRanges(node.data?.meta ?? node.properties?.metastring);
      if (!lines.length) return;
      parent.properties = { ...(parent.properties ?? {}), dataHighlightLines: lines.join(','), className: [...(parent.properties?.className ?? []), 'code-lines'] };
      // One band per highlighted line, as a background of the <code> block (which paints the block's own background,
      // highlight.js's theme); --lh is its line height and --code-pad its top padding (globals.css `.code-lines`).
      const bands = lines.map((n) => `linear-gradient(var(--code-hl), var(--code-hl)) 0 calc(var(--code-pad) + ${n - 1} * var(--lh)) / 100% var(--lh) no-repeat`);
      node.properties = { ...(node.properties ?? {}), style: `background: ${bands.join(', ')}, var(--code-bg)` };
    });
  };
}

export default function rehypeCode() {
  const highlight = rehypeHighlight({ detect: false, languages: LANGUAGES, aliases: ALIASES, plainText: PLAIN });
  const lines = lineHighlights();
  return (tree, file) => {
    lines(tree);
    return highlight(tree, file);
  };
}
