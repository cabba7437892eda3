import { describe, expect, it } from 'vitest';
import { acknowledge, applyServer, fromServer, isDirty, pendingFiles, saveStateAfter } from '@/components/workspace/sync';

const m = (o: Record<string, string>) => new Map(Object.entries(o));

describe('editor ↔ workspace sync', () => {
  it('before the workspace exists, the editor wins: every non-empty file is pending', () => {
    const local = m({ 'main.tf': 'mine', 'vars.tf': '' });
    expect(pendingFiles(local, null)).toEqual([{ path: 'main.tf', content: 'mine' }]);
    // Opening answers the starter: the editor keeps its text and sends it.
    const a = applyServer(local, null, { changed: [{ path: 'main.tf', content: 'starter' }], deleted: [], full: true });
    expect(a.local.get('main.tf')).toBe('mine');
    expect(a.conflicts).toEqual([]);
    expect(pendingFiles(a.local, a.base)).toEqual([{ path: 'main.tf', content: 'mine' }]);
  });

  it('a terminal edit replaces a file the editor did not touch', () => {
    const base = m({ 'main.tf': 'v1', 'out.tf': 'o1' });
    const local = m({ 'main.tf': 'v1', 'out.tf': 'o1' });
    const a = applyServer(local, base, { changed: [{ path: 'main.tf', content: 'v2 from terminal' }], deleted: [], full: false });
    expect(a.local.get('main.tf')).toBe('v2 from terminal');
    expect(a.updated).toEqual(['main.tf']);
    expect(pendingFiles(a.local, a.base)).toEqual([]);
  });

  it('an editor edit to another file stays pending through a terminal change', () => {
    const base = m({ 'main.tf': 'v1', 'out.tf': 'o1' });
    const local = m({ 'main.tf': 'v1', 'out.tf': 'o1 edited' });
    const a = applyServer(local, base, { changed: [{ path: 'main.tf', content: 'v2' }], deleted: [], full: false });
    expect(a.local.get('out.tf')).toBe('o1 edited');
    expect(a.conflicts).toEqual([]);
    expect(pendingFiles(a.local, a.base)).toEqual([{ path: 'out.tf', content: 'o1 edited' }]);
  });

  it('a file changed on both sides takes the terminal text and says so', () => {
    const base = m({ 'main.tf': 'v1' });
    const local = m({ 'main.tf': 'v1 editor' });
    const a = applyServer(local, base, { changed: [{ path: 'main.tf', content: 'v1 terminal' }], deleted: [], full: false });
    expect(a.local.get('main.tf')).toBe('v1 terminal');
    expect(a.conflicts).toEqual(['main.tf']);
    expect(isDirty(a.local, a.base, 'main.tf')).toBe(false);
  });

  it('the answer to a save keeps edits typed meanwhile and takes a terminal edit saved meanwhile', () => {
    const base0 = m({ 'main.tf': 'a', 'out.tf': 'o' });
    const sent = [{ path: 'main.tf', content: 'ab' }];
    // While the save was on its way: the learner typed more, the terminal changed out.tf.
    const local = m({ 'main.tf': 'abc', 'out.tf': 'o' });
    const base1 = acknowledge(base0, sent);
    const a = applyServer(local, base1, {
      changed: [
        { path: 'main.tf', content: 'ab' },
        { path: 'out.tf', content: 'o2' },
      ],
      deleted: [],
      full: true,
    });
    expect(a.local.get('main.tf')).toBe('abc');
    expect(a.local.get('out.tf')).toBe('o2');
    expect(a.conflicts).toEqual([]);
    expect(pendingFiles(a.local, a.base)).toEqual([{ path: 'main.tf', content: 'abc' }]);
  });

  it('a file deleted in the terminal empties an untouched tab; a snapshot without a file deletes it', () => {
    const base = m({ 'main.tf': 'x', 'extra.tf': 'e' });
    const a = applyServer(m({ 'main.tf': 'x', 'extra.tf': 'e' }), base, { changed: [{ path: 'main.tf', content: 'x' }], deleted: [], full: true });
    expect(a.removed).toEqual(['extra.tf']);
    expect(a.local.get('extra.tf')).toBe('');
    expect(a.base.has('extra.tf')).toBe(false);
    expect(pendingFiles(a.local, a.base)).toEqual([]);
    // Deleted there but edited here: the edit stays and is sent again.
    const b = applyServer(m({ 'main.tf': 'x', 'extra.tf': 'e2' }), base, { changed: [], deleted: ['extra.tf'], full: false });
    expect(b.local.get('extra.tf')).toBe('e2');
    expect(pendingFiles(b.local, b.base)).toEqual([{ path: 'extra.tf', content: 'e2' }]);
  });

  it('files from outside a save are taken only when newer: an old snapshot arriving after a save answer is ignored', () => {
    // The first open's save answered revision 2; the event stream's snapshot was read before it committed (revision 1).
    expect(fromServer(1, 2, 'full')).toBe('ignore');
    expect(fromServer(2, 2, 'full')).toBe('ignore');
    expect(fromServer(3, 2, 'full')).toBe('apply');
    // A change event: the next revision is applied, a gap reads the whole set again, an old one is ignored.
    expect(fromServer(3, 2, 'change')).toBe('apply');
    expect(fromServer(5, 2, 'change')).toBe('resync');
    expect(fromServer(2, 2, 'change')).toBe('ignore');
    // What applying the old snapshot would have done: the saved attempt's files emptied in the editor.
    const saved = m({ 'main.tf': 'terraform {}\n', 'outputs.tf': 'output "x" {}' });
    const stale = applyServer(saved, saved, { changed: [{ path: 'main.tf', content: 'starter' }], deleted: [], full: true });
    expect(stale.local.get('outputs.tf')).toBe('');
  });

  it('"saved" only when nothing the editor holds is left to send', () => {
    const done = { blocked: false, retrying: false, scheduled: false, pending: 0 };
    expect(saveStateAfter(done)).toBe('saved');
    // An upload or an edit whose save delay is still running after an earlier save ended: not saved yet.
    expect(saveStateAfter({ ...done, scheduled: true })).toBe('saving');
    expect(saveStateAfter({ ...done, pending: 2 })).toBe('saving');
    expect(saveStateAfter({ ...done, retrying: true })).toBe('saving');
    // A refused save shows its error instead.
    expect(saveStateAfter({ ...done, blocked: true, pending: 1 })).toBe('idle');
  });
});
