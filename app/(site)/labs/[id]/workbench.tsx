'use client';
import { useCallback, useEffect, useRef, useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import dynamic from 'next/dynamic';
import type { EditorLanguage } from '@/components/editor/languages';
import {
  acknowledge,
  applyServer,
  fromServer,
  pendingFiles,
  saveStateAfter,
  type Applied,
  type SaveState,
  type ServerChange,
} from '@/components/workspace/sync';
import type { TerminalEnd } from '@/components/workspace/terminal';
import { submitLab } from '@/app/actions/submissions';
import type { SubmissionView } from '@/lib/submissions/queries';
import type { WorkspaceEvent, WorkspaceFiles, WorkspaceInfo, StepView } from '@/lib/workspaces';
import type { WorkspaceState } from '@/app/_server/workspace-state';
import { format } from '@/lib/i18n/format';
import { ResultView, type ViewStrings } from './result-view';
import { PracticeView, StepsList, ToolsList, type PracticeState, type WorkspaceStrings } from './workspace-panel';
import { StartFrom, type StartFromStrings, type StartFromView } from './start-from';

export interface WorkbenchFile {
  path: string;
  content: string;
  /** The manifest's editor mode for this file. */
  language: EditorLanguage;
}

export interface WorkbenchStrings extends ViewStrings {
  submit: string;
  submitting: string;
  upload: string;
  phases: Record<string, string>;
  statuses: Record<string, string>;
  queuePosition: string;
  attempt: string;
  editorKeys: string;
  /** The accessible name of the file tabs. */
  files: string;
  late: string;
}

const TERMINAL = ['GRADED', 'TIMED_OUT', 'ERROR'];
const SAVE_DELAY_MS = 400;

/** CodeMirror is a client island of this page only: loaded after the page, never on the server or other pages. */
const CodeEditor = dynamic(() => import('@/components/editor/code-editor'), {
  ssr: false,
  loading: () => <div className="h-96 animate-pulse rounded-md border border-slate-300 bg-slate-50 dark:border-slate-700 dark:bg-slate-900" aria-hidden />,
});

/** xterm.js likewise: only when the learner opens the terminal. */
const WorkspaceTerminal = dynamic(() => import('@/components/workspace/terminal'), {
  ssr: false,
  loading: () => <div className="h-72 animate-pulse rounded-md border border-slate-700 bg-[#0f172a] sm:h-96" aria-hidden />,
});

type Snapshot = { type: 'snapshot' } & WorkspaceState;

async function errorText(r: Response): Promise<string> {
  const body = (await r.json().catch(() => null)) as { error?: string } | null;
  return body?.error ?? `HTTP ${r.status}`;
}

const json = (method: string, value: unknown): RequestInit => ({ method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(value) });

export function Workbench({
  labId,
  initialFiles,
  watchId,
  lang,
  s,
  workspace,
  w,
  startFrom,
}: {
  labId: string;
  initialFiles: WorkbenchFile[];
  watchId: string | null;
  lang: 'ko' | 'en';
  s: WorkbenchStrings;
  /** The learner's workspace for this lab (null: the lab has none). */
  workspace: WorkspaceState | null;
  w: WorkspaceStrings;
  /** Earlier labs whose passing work this lab may start from (the manifest's startFrom), with the learner's own. */
  startFrom?: { offers: StartFromView[]; s: StartFromStrings };
}) {
  const router = useRouter();
  const [files, setFiles] = useState<WorkbenchFile[]>(initialFiles);
  const [active, setActive] = useState(initialFiles[0]?.path ?? '');
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const [view, setView] = useState<SubmissionView | null>(null);
  const [watching, setWatching] = useState<string | null>(watchId);
  /** The attempt the status panel follows: a poll's answer about any other (one sent before a new Submit) is dropped. */
  const watchingRef = useRef<string | null>(watchId);
  // Another attempt picked in the history (?s=...): watch that one. The workbench itself stays mounted, so an open
  // terminal survives a submit.
  const [shownWatchId, setShownWatchId] = useState(watchId);
  if (watchId !== shownWatchId) {
    setShownWatchId(watchId);
    watchingRef.current = watchId;
    setWatching(watchId);
    setView(null);
  }
  // Bumped when an upload or a reset replaces files, so the editor remounts with the new text.
  const [rev, setRev] = useState(0);
  // Bumped when the active file's text changed outside the editor (the terminal): replaced in place.
  const [external, setExternal] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  // ---- the workspace ------------------------------------------------------------------------------------------
  const [info, setInfo] = useState<WorkspaceInfo | null>(workspace?.workspace ?? null);
  const [steps, setSteps] = useState<StepView[]>(workspace?.steps ?? []);
  const [termOpen, setTermOpen] = useState(false);
  const [opening, setOpening] = useState(false);
  const [wsError, setWsError] = useState<string | null>(null);
  // Kept as a message key, so it reads in the page's language after a switch.
  const [notice, setNotice] = useState<{ key: 'conflict' | 'fromTerminal' | 'stoppedIdle' | 'stoppedReplaced' | 'stoppedOther'; path?: string } | null>(null);
  const [saveState, setSaveState] = useState<SaveState>('idle');
  const [practice, setPractice] = useState<PracticeState | null>(null);
  const [stepBusy, setStepBusy] = useState<string | null>(null);
  const [stepMessages, setStepMessages] = useState<Record<string, string | undefined>>({});
  const filesRef = useRef(files);
  const activeRef = useRef(active);
  const baseRef = useRef<Map<string, string> | null>(workspace?.files ? new Map(workspace.files.files.map((f) => [f.path, f.content])) : null);
  const revisionRef = useRef(workspace?.files?.revision ?? 0);
  const saving = useRef<Promise<void> | null>(null);
  const saveTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const saveBlocked = useRef(false);
  const infoRef = useRef(info);
  const inWorkspace = info !== null;

  useEffect(() => {
    filesRef.current = files;
    activeRef.current = active;
    infoRef.current = info;
  }, [files, active, info]);

  const localMap = () => new Map(filesRef.current.map((f) => [f.path, f.content]));

  /** Puts the result of applyServer into the editor's tabs. */
  const toEditor = useCallback(
    (a: Applied) => {
      const next = filesRef.current.map((f) => (a.local.has(f.path) ? { ...f, content: a.local.get(f.path)! } : f));
      for (const [path, content] of a.local) if (!next.some((f) => f.path === path)) next.push({ path, content, language: guessLanguage(path) });
      // A file deleted in the terminal that is not one of the lab's named files leaves its tab.
      const named = new Set(initialFiles.map((f) => f.path));
      const kept = next.filter((f) => !(a.removed.includes(f.path) && !named.has(f.path) && f.content === ''));
      filesRef.current = kept;
      setFiles(kept);
      const cur = activeRef.current;
      if (a.updated.includes(cur) || a.conflicts.includes(cur)) setExternal((n) => n + 1);
      if (a.conflicts.length) setNotice({ key: 'conflict', path: a.conflicts.join(', ') });
      else if (a.updated.length) setNotice({ key: 'fromTerminal', path: a.updated.join(', ') });
    },
    [initialFiles],
  );

  const applyChange = useCallback(
    (change: ServerChange, revision: number) => {
      const a = applyServer(localMap(), baseRef.current, change);
      baseRef.current = a.base;
      revisionRef.current = revision;
      toEditor(a);
    },
    [toEditor],
  );

  const applyFull = useCallback(
    (wf: WorkspaceFiles) => applyChange({ changed: wf.files.map((f) => ({ path: f.path, content: f.content })), deleted: [], full: true }, wf.revision),
    [applyChange],
  );

  /** Sends the editor's unsaved files (one save at a time; a stale one is answered with the current files, then retried). */
  const save = useCallback(async (): Promise<void> => {
    if (saving.current) {
      await saving.current;
      return save();
    }
    if (!infoRef.current || baseRef.current === null || saveBlocked.current) return;
    const sent = pendingFiles(localMap(), baseRef.current);
    if (!sent.length) {
      // An edit put back as the server has it: nothing to send, and nothing waiting.
      if (!saveTimer.current) setSaveState((st) => (st === 'saving' ? 'saved' : st));
      return;
    }
    setSaveState('saving');
    let again = false;
    let offline = false;
    saving.current = (async () => {
      try {
        const r = await fetch(`/api/labs/${labId}/workspace/files`, json('PUT', { files: sent, baseRevision: revisionRef.current }));
        if (r.ok) {
          baseRef.current = acknowledge(baseRef.current, sent);
          applyFull((await r.json()) as WorkspaceFiles);
          setWsError(null);
        } else if (r.status === 409) {
          const body = (await r.json()) as { current: WorkspaceFiles };
          applyFull(body.current);
          again = true;
        } else {
          // A name or size the lab does not take: shown, and not retried until the next edit.
          saveBlocked.current = true;
          setWsError(await errorText(r));
        }
      } catch {
        offline = true;
      } finally {
        saving.current = null;
        // "Saved" only when nothing is left to send: edits typed meanwhile (their save delay running) or a retry keep
        // "Saving…", as the learner reads "Saved" as "the terminal has it".
        setSaveState(
          saveStateAfter({
            blocked: saveBlocked.current,
            retrying: again || offline,
            scheduled: saveTimer.current !== null,
            pending: baseRef.current ? pendingFiles(localMap(), baseRef.current).length : 0,
          }),
        );
      }
    })();
    await saving.current;
    if (again) await save();
    // The network dropped: try again in a moment (the edits stay pending meanwhile).
    else if (offline) setTimeout(() => void save(), 2000);
  }, [labId, applyFull]);

  /** An edit or an upload waiting for its save: the indicator says "Saving…" from now, not only once it is sent. */
  const scheduleSave = useCallback(() => {
    if (saveTimer.current) clearTimeout(saveTimer.current);
    setSaveState('saving');
    saveTimer.current = setTimeout(() => {
      saveTimer.current = null;
      void save();
    }, SAVE_DELAY_MS);
  }, [save]);

  /** Everything typed so far is saved (before a submit, a check, a step). */
  const flush = useCallback(async () => {
    if (saveTimer.current) clearTimeout(saveTimer.current);
    saveTimer.current = null;
    await save();
  }, [save]);

  /** The full state again (after a gap in the events). */
  const resync = useCallback(async () => {
    const r = await fetch(`/api/labs/${labId}/workspace`, { cache: 'no-store' });
    if (!r.ok) return;
    const st = (await r.json()) as WorkspaceState;
    if (st.workspace) setInfo(st.workspace);
    setSteps(st.steps);
    if (st.files && !saving.current && fromServer(st.files.revision, revisionRef.current, 'full') === 'apply') applyFull(st.files);
  }, [labId, applyFull]);

  const onEvent = useCallback(
    (ev: WorkspaceEvent | Snapshot) => {
      switch (ev.type) {
        case 'snapshot':
          if (ev.workspace) setInfo(ev.workspace);
          setSteps(ev.steps);
          // A save on its way answers with the whole set anyway.
          // One read before a save committed can arrive after the save's answer: only a newer set is taken.
          if (ev.files && !saving.current && fromServer(ev.files.revision, revisionRef.current, 'full') === 'apply') applyFull(ev.files);
          return;
        case 'files':
          if (saving.current) return;
          switch (fromServer(ev.revision, revisionRef.current, 'change')) {
            case 'ignore':
              return;
            case 'resync':
              void resync();
              return;
          }
          applyChange({ changed: ev.changed, deleted: ev.deleted, full: false }, ev.revision);
          return;
        case 'status':
          setInfo((i) => (i ? { ...i, status: ev.status } : i));
          if (ev.status === 'stopped') {
            setTermOpen(false);
            if (ev.reason === 'idle') setNotice({ key: 'stoppedIdle' });
            else if (ev.reason === 'replaced') setNotice({ key: 'stoppedReplaced' });
            else if (ev.reason && ev.reason !== 'closed') setNotice({ key: 'stoppedOther' });
          }
          return;
        case 'step':
          setSteps((list) => list.map((st) => (st.id === ev.stepId ? { ...st, done: ev.done || st.done } : st)));
          setStepMessages((m) => ({ ...m, [ev.stepId]: ev.done ? undefined : ev.message }));
          return;
        case 'check':
          setPractice({ state: ev.state, ...(ev.result ? { result: ev.result } : {}) });
          return;
      }
    },
    [applyChange, applyFull, resync],
  );

  // The workspace's events while the page is open (a terminal edit reaches the editor within about a second).
  const wsId = info?.id ?? null;
  useEffect(() => {
    if (!wsId) return;
    const es = new EventSource(`/api/workspaces/${wsId}/events`);
    es.onmessage = (m) => {
      try {
        onEvent(JSON.parse(m.data as string) as WorkspaceEvent | Snapshot);
      } catch {
        /* a malformed event: ignored */
      }
    };
    return () => es.close();
  }, [wsId, onEvent]);

  // The terminal's messages (lms check, lms help, steps) follow the page's language.
  useEffect(() => {
    if (!wsId || info?.lang === lang) return;
    void fetch(`/api/workspaces/${wsId}`, json('PATCH', { lang })).then(async (r) => {
      if (r.ok) setInfo((await r.json()) as WorkspaceInfo);
    });
  }, [wsId, info?.lang, lang]);

  const openTerminal = async () => {
    setOpening(true);
    setWsError(null);
    setNotice(null);
    try {
      const r = await fetch(`/api/labs/${labId}/workspace`, json('POST', { lang }));
      if (!r.ok) {
        setWsError(await errorText(r));
        return;
      }
      const st = (await r.json()) as WorkspaceState;
      setInfo(st.workspace);
      infoRef.current = st.workspace;
      setSteps(st.steps);
      // The first open takes the editor's text (the latest attempt, unsaved edits) into the workspace.
      if (st.files) applyFull(st.files);
      setTermOpen(true);
      saveBlocked.current = false;
      void save();
    } catch {
      setWsError(w.stoppedOther);
    } finally {
      setOpening(false);
    }
  };

  const closeWorkspace = async () => {
    if (!info) return;
    await flush();
    setTermOpen(false);
    const r = await fetch(`/api/workspaces/${info.id}`, { method: 'DELETE' });
    if (r.ok) setInfo({ ...info, status: 'stopped' });
    else setWsError(await errorText(r));
  };

  const resetFiles = async () => {
    if (!window.confirm(w.resetConfirm)) return;
    if (saveTimer.current) clearTimeout(saveTimer.current);
    saveTimer.current = null;
    await saving.current;
    const r = await fetch(`/api/labs/${labId}/workspace/reset`, { method: 'POST' });
    if (!r.ok) {
      setWsError(await errorText(r));
      // Not reset: the editor's unsaved edits are still to be saved.
      if (baseRef.current && pendingFiles(localMap(), baseRef.current).length) scheduleSave();
      return;
    }
    // The editor now holds the starter as saved: nothing of its own is waiting.
    setSaveState('idle');
    const wf = (await r.json()) as WorkspaceFiles;
    const byPath = new Map(wf.files.map((f) => [f.path, f.content]));
    const named = new Set(initialFiles.map((f) => f.path));
    const next = filesRef.current.filter((f) => named.has(f.path) || byPath.has(f.path)).map((f) => ({ ...f, content: byPath.get(f.path) ?? '' }));
    for (const f of wf.files) if (!next.some((x) => x.path === f.path)) next.push({ path: f.path, content: f.content, language: guessLanguage(f.path) });
    filesRef.current = next;
    setFiles(next);
    baseRef.current = byPath;
    revisionRef.current = wf.revision;
    setRev((n) => n + 1);
  };

  const runCheck = async () => {
    if (!info) return;
    await flush();
    setPractice({ state: 'queued' });
    const r = await fetch(`/api/workspaces/${info.id}/check`, { method: 'POST' });
    if (!r.ok) {
      setPractice(null);
      setWsError(await errorText(r));
      return;
    }
    setPractice({ state: 'done', result: await r.json() });
  };

  const checkStep = async (stepId: string) => {
    if (!info) return;
    await flush();
    setStepBusy(stepId);
    try {
      const r = await fetch(`/api/workspaces/${info.id}/step`, json('POST', { stepId }));
      if (!r.ok) {
        setStepMessages((m) => ({ ...m, [stepId]: undefined }));
        setWsError(await errorText(r));
        return;
      }
      const out = (await r.json()) as { done: boolean; message?: string };
      setSteps((list) => list.map((st) => (st.id === stepId ? { ...st, done: out.done || st.done } : st)));
      setStepMessages((m) => ({ ...m, [stepId]: out.done ? undefined : out.message }));
    } finally {
      setStepBusy(null);
    }
  };

  const onTerminalEnd = useCallback((why: TerminalEnd, message?: string) => {
    if (why === 'stopped') {
      setTermOpen(false);
      setInfo((i) => (i ? { ...i, status: 'stopped' } : i));
    } else if (why === 'failed' && message) setWsError(message);
  }, []);

  // ---- submissions ----------------------------------------------------------------------------------------------

  const poll = useCallback(
    async (id: string) => {
      try {
        const r = await fetch(`/api/submissions/${id}`, { cache: 'no-store' });
        if (watchingRef.current !== id) return;
        if (r.ok) {
          const v = (await r.json()) as SubmissionView;
          if (watchingRef.current !== id) return;
          setView(v);
          if (TERMINAL.includes(v.status)) {
            router.refresh();
            return;
          }
        }
      } catch {
        /* the next poll will try again */
      }
      timer.current = setTimeout(() => void poll(id), 700);
    },
    [router],
  );

  useEffect(() => {
    if (!watching) return;
    void poll(watching);
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [watching, poll]);

  const current = files.find((f) => f.path === active);

  const onUpload = async (list: FileList | null) => {
    if (!list) return;
    const added: WorkbenchFile[] = [];
    // A browser gives only the file's name: put "deployment.yaml" where the lab expects "k8s/deployment.yaml".
    for (const f of Array.from(list)) {
      const target = files.find((x) => x.path === f.name) ?? files.find((x) => x.path.endsWith(`/${f.name}`));
      added.push({ path: target?.path ?? f.name, content: await f.text(), language: target?.language ?? guessLanguage(f.name) });
    }
    setFiles((prev) => {
      const map = new Map(prev.map((f) => [f.path, f]));
      for (const a of added) map.set(a.path, a);
      const next = [...map.values()];
      filesRef.current = next;
      return next;
    });
    setRev((r) => r + 1);
    if (added[0]) setActive(added[0].path);
    if (inWorkspace) {
      // An upload is a deliberate write: sent whatever the editor believes the server holds (a base left stale by
      // a reset racing a save would otherwise read an upload equal to it as "unchanged", and the file never arrived).
      for (const a of added) baseRef.current?.delete(a.path);
      saveBlocked.current = false;
      scheduleSave();
    }
  };

  /** Puts text into the editor's files (an earlier week's work, or back what was there); returns what they held. */
  const putFiles = (list: { path: string; content: string }[]) => {
    const prev = filesRef.current;
    const before = list.map((f) => ({ path: f.path, content: prev.find((x) => x.path === f.path)?.content ?? '' }));
    const map = new Map(prev.map((f) => [f.path, f]));
    for (const f of list) map.set(f.path, { path: f.path, content: f.content, language: map.get(f.path)?.language ?? guessLanguage(f.path) });
    const next = [...map.values()];
    filesRef.current = next;
    setFiles(next);
    setRev((r) => r + 1);
    if (list[0]) setActive(list[0].path);
    if (inWorkspace) {
      for (const f of list) baseRef.current?.delete(f.path); // a deliberate write, as an upload
      saveBlocked.current = false;
      scheduleSave();
    }
    return before;
  };

  const onEdit = useCallback(
    (text: string) => {
      setFiles((prev) => {
        const next = prev.map((f) => (f.path === active ? { ...f, content: text } : f));
        filesRef.current = next;
        return next;
      });
      if (infoRef.current && baseRef.current !== null && baseRef.current.get(active) !== text) {
        saveBlocked.current = false;
        scheduleSave();
      }
    },
    [active, scheduleSave],
  );

  const watch = (submissionId: string) => {
    watchingRef.current = submissionId;
    setView(null);
    setWatching(submissionId);
    router.replace(`/labs/${labId}?s=${submissionId}`, { scroll: false });
  };

  const onSubmit = () => {
    // The panel stops showing the last attempt at once, in the same render as "Submitting…" (outside the transition,
    // which would render later): saving the workspace first can take a moment, and a result on screen meanwhile reads
    // as this submission's.
    watchingRef.current = null;
    setView(null);
    setWatching(null);
    setError(null);
    start(async () => {
      if (inWorkspace) {
        // The workspace's files are the submission: what the editor holds is saved first, then the server sends
        // exactly the saved files (the terminal's last edits included).
        await flush();
        const r = await fetch(`/api/labs/${labId}/workspace/submit`, { method: 'POST' });
        if (!r.ok) {
          setError(await errorText(r));
          return;
        }
        watch(((await r.json()) as { submissionId: string }).submissionId);
        return;
      }
      const fd = new FormData();
      fd.set('labId', labId);
      // An empty tab (an optional file the learner did not write) is not part of the submission.
      for (const f of files) if (f.content.trim() !== '') fd.set(`file:${f.path}`, new Blob([f.content], { type: 'text/plain' }), f.path);
      const r = await submitLab(fd);
      if (!r.ok) {
        setError(r.error);
        return;
      }
      watch(r.data.submissionId);
    });
  };

  const running = info?.status === 'running' || info?.status === 'starting';
  const noticeText = notice ? format(w[notice.key], { path: notice.path ?? '' }) : null;
  const termStrings = {
    terminal: w.terminal,
    shellExited: w.shellExited,
    newShell: w.newShell,
    reconnecting: w.reconnecting,
    disconnected: w.disconnected,
    signedOut: w.signedOut,
    keys: w.keys,
    tabMoves: w.tabMoves,
    tabMovesOn: w.tabMovesOn,
    tabMovesOff: w.tabMovesOff,
  };

  return (
    <div className="space-y-4">
      {workspace && (
        <section
          className="space-y-3 rounded-lg border border-slate-200 p-3 sm:p-4 dark:border-slate-800"
          aria-labelledby="workspace-title"
          data-testid="workspace"
          data-status={info?.status ?? 'none'}
          data-workspace-id={info?.id}
        >
          <div className="flex flex-wrap items-center gap-2">
            <h2 id="workspace-title" className="mr-auto text-lg font-semibold">
              {w.title}
              {info && (
                <span
                  className={`ml-2 rounded-full px-2 py-0.5 align-middle text-xs font-medium ${running ? 'bg-emerald-100 text-emerald-800 dark:bg-emerald-900/60 dark:text-emerald-200' : 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300'}`}
                  data-testid="workspace-status"
                >
                  {info.status === 'running' ? w.running : info.status === 'starting' ? w.starting : w.stopped}
                </span>
              )}
            </h2>
            {!termOpen && (
              <button
                type="button"
                onClick={() => void openTerminal()}
                disabled={opening}
                className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700 disabled:opacity-60 dark:bg-slate-100 dark:text-slate-900 dark:hover:bg-slate-300"
                data-testid="open-terminal"
              >
                {opening ? w.opening : info?.status === 'stopped' || (info && !running) ? w.reopen : w.open}
              </button>
            )}
            {info && running && (
              <button
                type="button"
                onClick={() => void closeWorkspace()}
                className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
                data-testid="close-workspace"
              >
                {w.close}
              </button>
            )}
          </div>
          {!termOpen && <p className="text-sm text-slate-600 dark:text-slate-400">{w.intro}</p>}
          {termOpen && info && (
            // Going to the terminal saves what the editor holds at once (not after the save delay), so a command typed
            // right after an edit or an upload finds it in /work.
            <div onFocus={() => void flush()}>
              <WorkspaceTerminal workspaceId={info.id} s={termStrings} onEnd={onTerminalEnd} />
            </div>
          )}
          {wsError && (
            <p role="alert" className="text-sm text-red-600" data-testid="workspace-error">
              {wsError}
            </p>
          )}
          {info && <ToolsList info={info} lang={lang} w={w} />}
          <StepsList
            steps={steps}
            lang={lang}
            w={w}
            canCheck={!!info && running}
            busy={stepBusy}
            messages={stepMessages}
            onCheck={(id) => void checkStep(id)}
          />
          {info && (
            <div className="flex flex-wrap items-center gap-2">
              <button
                type="button"
                onClick={() => void runCheck()}
                disabled={practice !== null && practice.state !== 'done'}
                className="rounded-md border border-blue-600 px-3 py-1.5 text-sm font-medium text-blue-700 hover:bg-blue-50 disabled:opacity-60 dark:text-blue-300 dark:hover:bg-blue-950/40"
                data-testid="run-check"
              >
                {practice && practice.state !== 'done' ? w.checking : w.check}
              </button>
              <button
                type="button"
                onClick={() => void resetFiles()}
                className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
                data-testid="reset-files"
              >
                {w.reset}
              </button>
            </div>
          )}
          {practice && <PracticeView practice={practice} labId={labId} lang={lang} w={w} s={s} />}
        </section>
      )}
      {startFrom && <StartFrom offers={startFrom.offers} s={startFrom.s} put={putFiles} />}
      <div id="editor" className="flex scroll-mt-4 flex-wrap items-center gap-2">
        <div className="flex flex-wrap items-center gap-2" role="tablist" aria-label={s.files}>
          {files.map((f) => (
            <button
              key={f.path}
              type="button"
              role="tab"
              aria-selected={f.path === active}
              onClick={() => setActive(f.path)}
              className={`rounded-t-md border px-3 py-1 font-mono text-sm ${f.path === active ? 'border-blue-600 bg-blue-50 dark:bg-blue-950/40' : 'border-slate-300 dark:border-slate-700'}`}
            >
              {f.path}
            </button>
          ))}
        </div>
        <label className="ml-auto cursor-pointer rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100 focus-within:outline-3 focus-within:outline-offset-2 focus-within:outline-blue-600 dark:border-slate-700 dark:hover:bg-slate-800">
          {s.upload}
          <input type="file" multiple className="sr-only" onChange={(e) => void onUpload(e.target.files)} data-testid="upload" />
        </label>
      </div>
      {current && (
        <div>
          <CodeEditor
            key={`${current.path}#${rev}`}
            value={current.content}
            external={external}
            language={current.language}
            label={current.path}
            onChange={onEdit}
          />
          <p className="mt-1 flex flex-wrap justify-between gap-2 text-xs text-slate-500">
            <span>{s.editorKeys}</span>
            {inWorkspace && saveState !== 'idle' && <span data-testid="save-state">{saveState === 'saving' ? w.saving : w.saved}</span>}
          </p>
        </div>
      )}
      <p className="text-xs text-slate-600 dark:text-slate-400" role="status" aria-live="polite" data-testid="workspace-notice">
        {noticeText}
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          onClick={onSubmit}
          disabled={pending}
          className="rounded-md bg-blue-600 px-4 py-2 font-medium text-white hover:bg-blue-700 disabled:opacity-60"
          data-testid="submit"
        >
          {pending ? s.submitting : s.submit}
        </button>
        {inWorkspace && <span className="text-xs text-slate-600 dark:text-slate-400">{w.submitsWorkspace}</span>}
        {error && (
          <p role="alert" className="text-sm text-red-600">
            {error}
          </p>
        )}
      </div>
      {view && (
        <section aria-live="polite" className="space-y-3 rounded-lg border border-slate-200 p-4 dark:border-slate-800" data-testid="status-panel">
          <p className="font-medium" data-testid="status" data-status={view.status}>
            {view.number ? `${s.attempt} #${view.number} · ` : ''}
            {s.statuses[view.status] ?? view.status}
            {!TERMINAL.includes(view.status) && ` — ${s.phases[view.phase] ?? view.phase}`}
            {view.status === 'QUEUED' && view.queuePosition !== null && ` · ${s.queuePosition}: ${view.queuePosition + 1}`}
            {view.status === 'QUEUED' && view.estimateMs !== null && ` · ~${Math.max(1, Math.round(view.estimateMs / 1000))} s`}
          </p>
          {view.late && (
            <p className="text-sm font-medium text-amber-700 dark:text-amber-400" data-testid="late">
              {s.late}
            </p>
          )}
          {view.error && <p className="text-sm">{view.error}</p>}
          {view.status === 'RUNNING' && view.progress.length > 0 && (
            <ul className="space-y-1 text-sm" data-testid="progress">
              {view.progress.map((c) => (
                <li key={c.id}>
                  {c.passed ? '✓' : '✗'} {c.title[lang]}
                </li>
              ))}
            </ul>
          )}
          {view.result && <ResultView result={view.result} labPassed={view.labPassed} lang={lang} s={s} />}
        </section>
      )}
    </div>
  );
}

function guessLanguage(name: string): EditorLanguage {
  if (/\.ya?ml$/.test(name)) return 'yaml';
  if (/\.tf$|\.hcl$/.test(name)) return 'hcl';
  if (/\.[cm]?js$/.test(name)) return 'javascript';
  if (/\.tsx?$/.test(name)) return 'typescript';
  if (/\.json$/.test(name)) return 'json';
  if (/Dockerfile/i.test(name)) return 'dockerfile';
  if (/\.sh$/.test(name)) return 'shell';
  if (/\.py$/.test(name)) return 'python';
  return 'text';
}
