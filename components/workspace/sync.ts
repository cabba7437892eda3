/**
 * The lab page's side of "one source of truth" between the editor and a workspace (issue 16). The server's files
 * (WorkspaceFile rows, with a revision bumped by every change from either side) are the truth; the editor keeps
 * `base`, the server's text of each file as it last saw it, so it can tell its own unsaved edits (local ≠ base) from
 * changes made elsewhere (server ≠ base):
 *  - a file the learner has not touched follows the server (a terminal edit shows in the editor);
 *  - a file edited only in the editor is sent (the save carries the revision it was based on; a stale one is refused
 *    by the server and answered with the current files, which come back through here);
 *  - a file changed on both sides takes the server's text (the terminal's), and the learner is told.
 * Before the workspace exists (base null) the editor's text wins: opening the terminal takes what the editor holds
 * (the latest attempt or unsaved edits) into the workspace.
 * Pure functions, so the rules are unit-tested (tests/unit/workspace-sync.test.ts).
 */
export interface SyncFile {
  path: string;
  content: string;
}

export interface ServerChange {
  /** Files as the server now has them. */
  changed: SyncFile[];
  /** Files the server no longer has. */
  deleted: string[];
  /** `changed` is the server's whole set (a snapshot): what base has and it lacks was deleted. */
  full: boolean;
}

export interface Applied {
  local: Map<string, string>;
  base: Map<string, string>;
  /** Files whose editor text was replaced by the server's (not edited locally). */
  updated: string[];
  /** Files edited on both sides: the server's text was taken. */
  conflicts: string[];
  /** Files the server deleted that the editor had not changed (their text is now empty). */
  removed: string[];
}

/** Has the learner changed this file in the editor since the server's text was last seen? */
export function isDirty(local: Map<string, string>, base: Map<string, string> | null, path: string): boolean {
  const text = local.get(path);
  if (text === undefined) return false;
  if (base === null) return text !== '';
  return text !== (base.get(path) ?? '');
}

export function applyServer(local: Map<string, string>, base: Map<string, string> | null, change: ServerChange): Applied {
  const nextLocal = new Map(local);
  const nextBase = change.full ? new Map<string, string>() : new Map(base ?? []);
  const updated: string[] = [];
  const conflicts: string[] = [];
  const removed: string[] = [];
  for (const f of change.changed) {
    const mine = local.get(f.path);
    const dirty = isDirty(local, base, f.path);
    const serverMoved = base !== null && base.get(f.path) !== f.content;
    if (!dirty) {
      if (mine !== f.content) {
        nextLocal.set(f.path, f.content);
        updated.push(f.path);
      }
    } else if (base !== null && serverMoved && mine !== f.content) {
      nextLocal.set(f.path, f.content);
      conflicts.push(f.path);
    }
    nextBase.set(f.path, f.content);
  }
  const gone = new Set(change.deleted);
  if (change.full && base) for (const p of base.keys()) if (!change.changed.some((f) => f.path === p)) gone.add(p);
  for (const p of gone) {
    nextBase.delete(p);
    if (base === null || !base.has(p)) continue;
    const dirty = isDirty(local, base, p);
    if (!dirty && (local.get(p) ?? '') !== '') {
      nextLocal.set(p, '');
      removed.push(p);
    } else if (!dirty) removed.push(p);
  }
  return { local: nextLocal, base: nextBase, updated, conflicts, removed };
}

/** What a save sends: every file whose editor text differs from the server's (an empty tab never written is not sent). */
export function pendingFiles(local: Map<string, string>, base: Map<string, string> | null): SyncFile[] {
  const out: SyncFile[] = [];
  for (const [path, content] of local) if (isDirty(local, base, path)) out.push({ path, content });
  return out;
}

/**
 * A save accepted: what was sent is the server's text now. The caller then applies the answer (the server's whole set,
 * `full`) with applyServer, so a terminal edit saved meanwhile to another file reaches the editor instead of being
 * sent back, and edits typed while the save was on its way stay pending.
 */
export function acknowledge(base: Map<string, string> | null, sent: SyncFile[]): Map<string, string> {
  const next = new Map(base ?? []);
  for (const f of sent) next.set(f.path, f.content);
  return next;
}

/**
 * What the page does with the server's files arriving outside a save's answer (the event stream's snapshot, a `files`
 * event, a resync's answer), given the revision the editor last saw (`known`). Revisions only grow, so what is not
 * newer is old news: applying it would take the editor back (a snapshot read before a save committed can arrive after
 * the save's answer) and leave `known` behind, so the next save is refused and the learner's edit read as a conflict.
 * A `files` event is one change: applied when it is the next revision, otherwise the whole set is read again.
 */
export function fromServer(revision: number, known: number, kind: 'full' | 'change'): 'ignore' | 'apply' | 'resync' {
  if (revision <= known) return 'ignore';
  if (kind === 'change' && revision !== known + 1) return 'resync';
  return 'apply';
}

export type SaveState = 'idle' | 'saving' | 'saved';

/**
 * What the editor's save indicator says when a save ends. "Saved" only when nothing the editor holds is left to send:
 * an edit or an upload waiting for its save (typed during the save, or the save delay still running), or a save to try
 * again after a dropped connection, keep "Saving…"; the learner reads "Saved" as "the terminal has it". A refused save
 * says nothing (its error is shown).
 */
export function saveStateAfter(o: { blocked: boolean; retrying: boolean; scheduled: boolean; pending: number }): SaveState {
  if (o.blocked) return 'idle';
  return o.retrying || o.scheduled || o.pending > 0 ? 'saving' : 'saved';
}
