'use client';
import { useEffect, useRef, useState } from 'react';
import { EditorState } from '@codemirror/state';
import { EditorView, drawSelection, highlightActiveLine, highlightActiveLineGutter, highlightSpecialChars, lineNumbers } from '@codemirror/view';
import { HighlightStyle, bracketMatching, syntaxHighlighting } from '@codemirror/language';
import { tags } from '@lezer/highlight';
import { editing } from './commands';
import { languageExtension, type EditorLanguage } from './languages';

/** Colours readable on both themes (CSS light-dark(), the page sets color-scheme: light dark). */
const c = (light: string, dark: string) => `light-dark(${light}, ${dark})`;
const highlight = HighlightStyle.define([
  { tag: [tags.keyword, tags.controlKeyword, tags.operatorKeyword, tags.definitionKeyword, tags.moduleKeyword], color: c('#7c3aed', '#c4b5fd') },
  { tag: [tags.string, tags.special(tags.string), tags.regexp], color: c('#047857', '#6ee7b7') },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: c('#b45309', '#fcd34d') },
  { tag: [tags.comment, tags.lineComment, tags.blockComment], color: c('#475569', '#94a3b8'), fontStyle: 'italic' },
  { tag: [tags.propertyName, tags.attributeName, tags.definition(tags.propertyName)], color: c('#1d4ed8', '#93c5fd') },
  { tag: [tags.variableName, tags.definition(tags.variableName)], color: c('#0f172a', '#e2e8f0') },
  { tag: [tags.typeName, tags.className, tags.namespace], color: c('#be185d', '#f9a8d4') },
  { tag: [tags.function(tags.variableName), tags.function(tags.propertyName)], color: c('#0369a1', '#7dd3fc') },
  { tag: [tags.meta, tags.processingInstruction, tags.annotation], color: c('#9333ea', '#d8b4fe') },
  { tag: tags.invalid, color: c('#b91c1c', '#fca5a5') },
]);

const theme = EditorView.theme({
  '&': { fontSize: '13px', backgroundColor: 'transparent', height: '100%' },
  '.cm-scroller': { fontFamily: 'var(--font-mono)', lineHeight: '1.55' },
  '.cm-content': { caretColor: c('#0f172a', '#f8fafc'), padding: '8px 0' },
  '.cm-gutters': { backgroundColor: 'transparent', color: c('#64748b', '#94a3b8'), border: 'none', paddingRight: '4px' },
  '.cm-activeLine': { backgroundColor: c('#eff6ff', '#1e293b80') },
  '.cm-activeLineGutter': { backgroundColor: 'transparent', color: c('#1d4ed8', '#93c5fd') },
  '&.cm-focused': { outline: 'none' },
  '.cm-selectionBackground, &.cm-focused .cm-selectionBackground': { backgroundColor: c('#bfdbfe', '#1e40af') },
  '.cm-matchingBracket': { backgroundColor: c('#dbeafe', '#1e3a8a'), outline: 'none' },
});

export interface CodeEditorProps {
  /** The text the editor starts with; later changes come from the editor (remount it with a new key to replace). */
  value: string;
  language: EditorLanguage;
  /** Accessible name: the file's path. */
  label: string;
  onChange: (text: string) => void;
  /**
   * Bumped by the parent when `value` changed outside the editor (a workspace terminal's edit): the editor's text is
   * replaced in place by the smallest change, so the cursor and the focus stay where they were.
   */
  external?: number;
}

/**
 * CodeMirror 6 on one file. A client island: the lab page loads it with next/dynamic, so no other page carries it,
 * and the language's parser is loaded only for the files that need it.
 */
export default function CodeEditor({ value, language, label, onChange, external }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const changed = useRef(onChange);
  const [initial] = useState(value);
  const [ready, setReady] = useState(false);
  const viewRef = useRef<EditorView | null>(null);
  const latest = useRef(value);

  useEffect(() => {
    changed.current = onChange;
    latest.current = value;
  }, [onChange, value]);

  useEffect(() => {
    const view = viewRef.current;
    if (!view || external === undefined) return;
    const cur = view.state.doc.toString();
    const next = latest.current;
    if (cur === next) return;
    let a = 0;
    while (a < cur.length && a < next.length && cur[a] === next[a]) a++;
    let b = 0;
    while (b < cur.length - a && b < next.length - a && cur[cur.length - 1 - b] === next[next.length - 1 - b]) b++;
    view.dispatch({ changes: { from: a, to: cur.length - b, insert: next.slice(a, next.length - b) } });
  }, [external]);

  useEffect(() => {
    let view: EditorView | undefined;
    let cancelled = false;
    void languageExtension(language).then((lang) => {
      if (cancelled || !host.current) return;
      view = new EditorView({
        parent: host.current,
        state: EditorState.create({
          doc: latest.current,
          extensions: [
            lineNumbers(),
            highlightActiveLineGutter(),
            highlightSpecialChars(),
            drawSelection(),
            highlightActiveLine(),
            bracketMatching(),
            editing(),
            lang,
            syntaxHighlighting(highlight),
            theme,
            EditorState.tabSize.of(2),
            EditorView.contentAttributes.of({
              'aria-label': label,
              'data-testid': 'editor',
              spellcheck: 'false',
              autocapitalize: 'off',
              autocorrect: 'off',
              tabindex: '0',
            }),
            EditorView.updateListener.of((u) => {
              if (u.docChanged) changed.current(u.state.doc.toString());
            }),
          ],
        }),
      });
      viewRef.current = view;
      setReady(true);
    });
    return () => {
      cancelled = true;
      viewRef.current = null;
      view?.destroy();
    };
  }, [initial, language, label]);

  return (
    <div
      className="relative h-96 overflow-hidden rounded-md border border-slate-300 bg-slate-50 focus-within:border-blue-600 focus-within:ring-2 focus-within:ring-blue-600/30 dark:border-slate-700 dark:bg-slate-900"
      data-language={language}
      data-ready={ready}
    >
      <div ref={host} className="h-full [&_.cm-editor]:h-full" />
      {/* The text while the editor loads: a picture of it (no scrolling, nothing to focus; the editor replaces it). */}
      {!ready && (
        <pre className="absolute inset-0 overflow-hidden p-3 font-mono text-[13px] text-slate-500" aria-hidden>
          {initial}
        </pre>
      )}
    </div>
  );
}
