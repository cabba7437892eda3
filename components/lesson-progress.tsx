'use client';
import { useEffect, useState, useTransition } from 'react';
import { markLesson } from '@/app/actions/progress';
import { fetchMe } from './me-client';

type State = 'LEARNING' | 'DONE' | 'SKIPPED' | 'NONE';

/**
 * Self-reported lesson progress. Without `initial` (prerendered lessons) it asks /api/me and hides for guests.
 * `labels`: the button texts, the catalogue's `lesson` section in the reader's language.
 */
export function LessonProgress({
  week,
  slug,
  initial,
  labels,
}: {
  week: number;
  slug: string;
  initial?: State;
  labels: Record<Exclude<State, 'NONE'>, string>;
}) {
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
          className={`rounded-md border px-3 py-1 text-sm ${state === s ? 'border-emerald-700 bg-emerald-700 text-white' : 'border-slate-300 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800'}`}
        >
          {labels[s]}
        </button>
      ))}
      {error && (
        <span role="alert" className="text-sm text-red-600">
          {error}
        </span>
      )}
    </div>
  );
}
