'use client';
import { useEffect, useState, useTransition } from 'react';
import { markLesson } from '@/app/actions/progress';
import { fetchMe } from './me-client';

type State = 'LEARNING' | 'DONE' | 'SKIPPED' | 'NONE';
const LABELS: Record<'ko' | 'en', Record<Exclude<State, 'NONE'>, string>> = {
  ko: { DONE: '완료로 표시', LEARNING: '학습 중', SKIPPED: '건너뛰기' },
  en: { DONE: 'Mark as done', LEARNING: 'Learning', SKIPPED: 'Skip' },
};

/** Self-reported lesson progress. Without `initial` (prerendered lessons) it asks /api/me and hides for guests. */
export function LessonProgress({ week, slug, initial, lang }: { week: number; slug: string; initial?: State; lang: 'ko' | 'en' }) {
  const [state, setState] = useState<State | undefined>(initial);
  useEffect(() => {
    if (initial !== undefined) return;
    let live = true;
    void fetchMe({ week, slug }).then((m) => live && m.user && setState(m.lesson ?? 'NONE'));
    return () => {
      live = false;
    };
  }, [initial, week, slug]);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const choose = (s: Exclude<State, 'NONE'>) =>
    start(async () => {
      const next = state === s ? 'NONE' : s;
      const r = await markLesson({ week, slug, state: next });
      if (r.ok) {
        setState(next);
        setError(null);
      } else setError(r.error);
    });
  if (state === undefined) return null;
  return (
    <div className="flex flex-wrap items-center gap-2" aria-label="Lesson progress">
      {(['DONE', 'LEARNING', 'SKIPPED'] as const).map((s) => (
        <button
          key={s}
          type="button"
          disabled={pending}
          aria-pressed={state === s}
          onClick={() => choose(s)}
          className={`rounded-md border px-3 py-1 text-sm ${state === s ? 'border-emerald-600 bg-emerald-600 text-white' : 'border-slate-300 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800'}`}
        >
          {LABELS[lang][s]}
        </button>
      ))}
      {error && <span role="alert" className="text-sm text-red-600">{error}</span>}
    </div>
  );
}
