import { EditorSelection, StateEffect, StateField, type ChangeSet, type Extension } from '@codemirror/state';
import { keymap, type EditorView, type KeyBinding } from '@codemirror/view';

/**
 * The few editing commands the lab editor needs (undo/redo, newline keeping indentation, indent/outdent with Tab),
 * written here because @codemirror/commands is not among the installed packages. Tab is taken by the editor; as in
 * every CodeMirror 6 editor, Escape then Tab moves the focus on (and Ctrl-M toggles that mode).
 */
interface Entry {
  changes: ChangeSet;
  selection: EditorSelection;
  time: number;
}
interface History {
  done: Entry[];
  undone: Entry[];
}

const setHistory = StateEffect.define<History>();
const GROUP_MS = 600;
const DEPTH = 300;

const historyField = StateField.define<History>({
  create: () => ({ done: [], undone: [] }),
  update(h, tr) {
    for (const e of tr.effects) if (e.is(setHistory)) return e.value;
    if (!tr.docChanged) return h;
    const inverse = tr.changes.invert(tr.startState.doc);
    const last = h.done.at(-1);
    const now = Date.now();
    // Typing or deleting in quick succession undoes as one step.
    if (last && now - last.time < GROUP_MS && (tr.isUserEvent('input.type') || tr.isUserEvent('delete'))) {
      return { done: [...h.done.slice(0, -1), { changes: inverse.compose(last.changes), selection: last.selection, time: now }], undone: [] };
    }
    return { done: [...h.done, { changes: inverse, selection: tr.startState.selection, time: now }].slice(-DEPTH), undone: [] };
  },
});

function travel(view: EditorView, from: 'done' | 'undone'): boolean {
  const h = view.state.field(historyField);
  const entry = h[from].at(-1);
  if (!entry) return false;
  const back: Entry = { changes: entry.changes.invert(view.state.doc), selection: view.state.selection, time: 0 };
  const next: History =
    from === 'done' ? { done: h.done.slice(0, -1), undone: [...h.undone, back] } : { done: [...h.done, back], undone: h.undone.slice(0, -1) };
  view.dispatch({
    changes: entry.changes,
    selection: entry.selection,
    effects: setHistory.of(next),
    userEvent: from === 'done' ? 'undo' : 'redo',
    scrollIntoView: true,
  });
  return true;
}

const undo = (view: EditorView) => travel(view, 'done');
const redo = (view: EditorView) => travel(view, 'undone');

const INDENT = '  ';

/** Enter: a new line with the current line's indentation, one level deeper after `:`, `{`, `[` or `(`. */
function newline(view: EditorView): boolean {
  const { state } = view;
  view.dispatch(
    state.changeByRange((range) => {
      const line = state.doc.lineAt(range.from);
      const indent = /^[ \t]*/.exec(line.text)![0];
      const before = line.text.slice(0, range.from - line.from).trimEnd();
      const insert = '\n' + indent + (/[:{[(]$/.test(before) ? INDENT : '');
      return { changes: { from: range.from, to: range.to, insert }, range: EditorSelection.cursor(range.from + insert.length) };
    }),
    { scrollIntoView: true, userEvent: 'input' },
  );
  return true;
}

function selectedLines(view: EditorView) {
  const lines = new Set<number>();
  for (const r of view.state.selection.ranges) {
    const first = view.state.doc.lineAt(r.from).number;
    const last = view.state.doc.lineAt(r.to).number;
    for (let n = first; n <= last; n++) lines.add(n);
  }
  return [...lines].map((n) => view.state.doc.line(n));
}

function indent(view: EditorView): boolean {
  const { state } = view;
  if (state.selection.ranges.every((r) => r.empty)) {
    view.dispatch(state.replaceSelection(INDENT), { userEvent: 'input', scrollIntoView: true });
    return true;
  }
  view.dispatch({ changes: selectedLines(view).map((l) => ({ from: l.from, insert: INDENT })), userEvent: 'input.indent' });
  return true;
}

function outdent(view: EditorView): boolean {
  const changes = selectedLines(view).flatMap((l) => {
    const n = /^ {0,2}/.exec(l.text)![0].length || (l.text.startsWith('\t') ? 1 : 0);
    return n ? [{ from: l.from, to: l.from + n }] : [];
  });
  if (changes.length) view.dispatch({ changes, userEvent: 'delete.dedent' });
  return true;
}

function selectAll(view: EditorView): boolean {
  view.dispatch({ selection: EditorSelection.single(0, view.state.doc.length), userEvent: 'select' });
  return true;
}

const bindings: KeyBinding[] = [
  { key: 'Mod-z', run: undo, preventDefault: true },
  { key: 'Mod-Shift-z', run: redo, preventDefault: true },
  { key: 'Mod-y', run: redo, preventDefault: true },
  { key: 'Enter', run: newline },
  { key: 'Tab', run: indent, shift: outdent },
  { key: 'Mod-a', run: selectAll },
];

export function editing(): Extension {
  return [historyField, keymap.of(bindings)];
}
