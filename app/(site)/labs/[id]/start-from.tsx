'use client';
import { useState } from 'react';
import Link from 'next/link';
import { format } from '@/lib/i18n/format';

/** One `startFrom` of the lab as the page hands it over: the earlier lab, and the learner's own passing work of it. */
export interface StartFromView {
  lab: string;
  week: number;
  /** The earlier lab's title in the page's language. */
  title: string;
  /** This lab's files the offer fills. */
  targets: string[];
  /** The learner's best passing attempt, its files under this lab's paths (read on the server, owner only); or none. */
  attempt: { score: number; maxScore: number; files: { path: string; content: string }[] } | null;
}

export type StartFromStrings = Record<'title' | 'use' | 'available' | 'notYet' | 'used' | 'undo' | 'undone' | 'openLab', string>;

/**
 * "Start from your week N work" (one running project): puts the learner's passing files of an earlier lab into the
 * editor over what it holds, without submitting; Undo puts back what was there. Without a passing attempt it says
 * what passing the earlier lab would give.
 */
export function StartFrom({
  offers,
  s,
  put,
}: {
  offers: StartFromView[];
  s: StartFromStrings;
  /** Replaces these files' text in the editor and returns what they held before. */
  put: (files: { path: string; content: string }[]) => { path: string; content: string }[];
}) {
  const [done, setDone] = useState<{ lab: string; before: { path: string; content: string }[] } | null>(null);
  const [note, setNote] = useState<string | null>(null);
  if (offers.length === 0) return null;
  return (
    <section
      className="space-y-2 rounded-lg border border-emerald-300 bg-emerald-50/60 p-3 text-sm dark:border-emerald-800 dark:bg-emerald-950/30"
      aria-labelledby="start-from-title"
      data-testid="start-from"
    >
      <h2 id="start-from-title" className="font-semibold">
        {s.title}
      </h2>
      {offers.map((o) => {
        const params = { week: o.week, lab: o.title, files: o.targets.join(', ') };
        if (!o.attempt) {
          return (
            <p key={o.lab} className="text-slate-700 dark:text-slate-300" data-testid="start-from-locked" data-lab={o.lab}>
              {format(s.notYet, params)}{' '}
              <Link href={`/labs/${o.lab}`} className="text-blue-700 underline dark:text-blue-400">
                {format(s.openLab, params)}
              </Link>
            </p>
          );
        }
        const attempt = o.attempt;
        return (
          <div key={o.lab} className="space-y-2" data-testid="start-from-offer" data-lab={o.lab}>
            <p className="text-slate-700 dark:text-slate-300">{format(s.available, { ...params, score: attempt.score, max: attempt.maxScore })}</p>
            <div className="flex flex-wrap items-center gap-2">
              <button
                type="button"
                onClick={() => {
                  setDone({ lab: o.lab, before: put(attempt.files) });
                  setNote(format(s.used, params));
                }}
                className="rounded-md bg-emerald-700 px-3 py-1.5 font-medium text-white hover:bg-emerald-800 disabled:opacity-60"
                data-testid="start-from-use"
              >
                {format(s.use, params)}
              </button>
              {done?.lab === o.lab && (
                <button
                  type="button"
                  onClick={() => {
                    put(done.before);
                    setDone(null);
                    setNote(format(s.undone, params));
                  }}
                  className="rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
                  data-testid="start-from-undo"
                >
                  {s.undo}
                </button>
              )}
            </div>
          </div>
        );
      })}
      <p role="status" aria-live="polite" className="text-slate-700 dark:text-slate-300" data-testid="start-from-note">
        {note}
      </p>
    </section>
  );
}
