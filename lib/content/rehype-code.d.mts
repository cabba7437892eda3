import type { Root } from 'hast';
declare const rehypeCode: () => (tree: Root, file: unknown) => void;
export default rehypeCode;
export function knownLanguage(lang: string): boolean;
export function parseLineRanges(meta: string | undefined | null): number[];
export function hcl(hljs: unknown): unknown;
export function promql(hljs: unknown): unknown;
