'use client';
import { useCallback, useEffect, useRef, useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import { submitLab } from '@/app/actions/submissions';
import type { SubmissionView } from '@/lib/submissions/queries';
import { ResultView, type ViewStrings } from './result-view';

export interface WorkbenchFile {
  path: string;
  content: string;
}

export interface WorkbenchStrings extends ViewStrings {
  submit: string;
  submitting: string;
  upload: string;
  phases: Record<string, string>;
  statuses: Record<string, string>;
  queuePosition: string;
  attempt: string;
}

const TERMINAL = ['GRADED', 'TIMED_OUT', 'ERROR'];

export function Workbench({ labId, initialFiles, watchId, lang, s }: { labId: string; initialFiles: WorkbenchFile[]; watchId: string | null; lang: 'ko' | 'en'; s: WorkbenchStrings }) {
  const router = useRouter();
  const [files, setFiles] = useState<WorkbenchFile[]>(initialFiles);
  const [active, setActive] = useState(initialFiles[0]?.path ?? '');
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const [view, setView] = useState<SubmissionView | null>(null);
  const [watching, setWatching] = useState<string | null>(watchId);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const poll = useCallback(
    async (id: string) => {
      try {
        const r = await fetch(`/api/submissions/${id}`, { cache: 'no-store' });
        if (r.ok) {
          const v = (await r.json()) as SubmissionView;
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
      added.push({ path: target?.path ?? f.name, content: await f.text() });
    }
    setFiles((prev) => {
      const map = new Map(prev.map((f) => [f.path, f]));
      for (const a of added) map.set(a.path, a);
      return [...map.values()];
    });
    if (added[0]) setActive(added[0].path);
  };

  const onSubmit = () =>
    start(async () => {
      setError(null);
      const fd = new FormData();
      fd.set('labId', labId);
      // An empty tab (an optional file the learner did not write) is not part of the submission.
      for (const f of files) if (f.content.trim() !== '') fd.set(`file:${f.path}`, new Blob([f.content], { type: 'text/plain' }), f.path);
      const r = await submitLab(fd);
      if (!r.ok) {
        setError(r.error);
        return;
      }
      setView(null);
      setWatching(r.data.submissionId);
      router.replace(`/labs/${labId}?s=${r.data.submissionId}`, { scroll: false });
    });

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-2" role="tablist" aria-label="Files">
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
        <label className="ml-auto cursor-pointer rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">
          {s.upload}
          <input type="file" multiple className="sr-only" onChange={(e) => void onUpload(e.target.files)} data-testid="upload" />
        </label>
      </div>
      {current && (
        <textarea
          aria-label={current.path}
          data-testid="editor"
          spellCheck={false}
          value={current.content}
          onChange={(e) => setFiles((prev) => prev.map((f) => (f.path === current.path ? { ...f, content: e.target.value } : f)))}
          className="h-96 w-full rounded-md border border-slate-300 bg-slate-50 p-3 font-mono text-sm dark:border-slate-700 dark:bg-slate-900"
        />
      )}
      <div className="flex items-center gap-3">
        <button type="button" onClick={onSubmit} disabled={pending} className="rounded-md bg-blue-600 px-4 py-2 font-medium text-white hover:bg-blue-700 disabled:opacity-60" data-testid="submit">
          {pending ? s.submitting : s.submit}
        </button>
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
          {view.result && <ResultView result={view.result} lang={lang} s={s} />}
        </section>
      )}
    </div>
  );
}
