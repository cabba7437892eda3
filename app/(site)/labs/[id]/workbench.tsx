'use client';
import { useCallback, useEffect, useRef, useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import dynamic from 'next/dynamic';
import type { EditorLanguage } from '@/components/editor/languages';
import { submitLab } from '@/app/actions/submissions';
import type { SubmissionView } from '@/lib/submissions/queries';
import { ResultView, type ViewStrings } from './result-view';

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
  late: string;
}

const TERMINAL = ['GRADED', 'TIMED_OUT', 'ERROR'];

/** CodeMirror is a client island of this page only: loaded after the page, never on the server or other pages. */
const CodeEditor = dynamic(() => import('@/components/editor/code-editor'), {
  ssr: false,
  loading: () => <div className="h-96 animate-pulse rounded-md border border-slate-300 bg-slate-50 dark:border-slate-700 dark:bg-slate-900" aria-hidden />,
});

export function Workbench({ labId, initialFiles, watchId, lang, s }: { labId: string; initialFiles: WorkbenchFile[]; watchId: string | null; lang: 'ko' | 'en'; s: WorkbenchStrings }) {
  const router = useRouter();
  const [files, setFiles] = useState<WorkbenchFile[]>(initialFiles);
  const [active, setActive] = useState(initialFiles[0]?.path ?? '');
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const [view, setView] = useState<SubmissionView | null>(null);
  const [watching, setWatching] = useState<string | null>(watchId);
  // Bumped when an upload replaces files, so the editor remounts with the uploaded text.
  const [rev, setRev] = useState(0);
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
      added.push({ path: target?.path ?? f.name, content: await f.text(), language: target?.language ?? guessLanguage(f.name) });
    }
    setFiles((prev) => {
      const map = new Map(prev.map((f) => [f.path, f]));
      for (const a of added) map.set(a.path, a);
      return [...map.values()];
    });
    setRev((r) => r + 1);
    if (added[0]) setActive(added[0].path);
  };

  const onEdit = useCallback((text: string) => setFiles((prev) => prev.map((f) => (f.path === active ? { ...f, content: text } : f))), [active]);

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
        <div>
          <CodeEditor key={`${current.path}#${rev}`} value={current.content} language={current.language} label={current.path} onChange={onEdit} />
          <p className="mt-1 text-xs text-slate-500">{s.editorKeys}</p>
        </div>
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
