'use client';
import type { StoredResult } from '@/lib/grading/result';
import type { Messages } from '@/lib/i18n';
import { format } from '@/lib/i18n/format';

export interface ViewStrings {
  score: string;
  passed: string;
  failed: string;
  hint: string;
  notGradable: string;
  /** The verdict lines and labels (the catalogue's `result` section). */
  verdict: Messages['result'];
}

/** One graded result: the score, then each check with its points, its message and a hint that opens on demand. */
export function ResultView({ result, labPassed, lang, s }: { result: StoredResult; labPassed: boolean | null; lang: 'ko' | 'en'; s: ViewStrings }) {
  if (!result.gradable) {
    return (
      <div role="status" className="rounded-lg border-2 border-amber-500 p-4" data-testid="result">
        <p className="font-semibold">{s.notGradable}</p>
        <p className="mt-1 text-sm whitespace-pre-wrap">{result.message?.[lang]}</p>
      </div>
    );
  }
  const passedChecks = result.checks.filter((c) => c.passed).length;
  const pct = result.maxScore ? Math.round((100 * result.score) / result.maxScore) : 0;
  const missedRequired = result.checks.filter((c) => c.required && !c.passed);
  return (
    <div className="space-y-3" data-testid="result">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <p className="text-2xl font-bold" data-testid="score">
          {s.score}: {result.score} / {result.maxScore}
        </p>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {passedChecks}/{result.checks.length} {s.verdict.checksPassed}
        </p>
      </div>
      {labPassed !== null && (
        <p
          className={`rounded-md px-3 py-2 text-sm font-medium ${labPassed ? 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900/50 dark:text-emerald-100' : 'bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-100'}`}
          data-testid="lab-verdict"
          data-passed={labPassed}
        >
          {labPassed
            ? s.verdict.labPassed
            : missedRequired.length
              ? format(missedRequired.length === 1 ? s.verdict.missedRequiredOne : s.verdict.missedRequiredMany, {
                  checks: missedRequired.map((c) => c.title[lang]).join(', '),
                })
              : s.verdict.belowPassMark}
        </p>
      )}
      <div className="h-2 w-full rounded-full bg-slate-200 dark:bg-slate-800" aria-hidden>
        <div className={`h-2 rounded-full ${passedChecks === result.checks.length ? 'bg-emerald-600' : 'bg-amber-500'}`} style={{ width: `${pct}%` }} />
      </div>
      <ul className="space-y-2">
        {result.checks.map((c) => (
          <li
            key={c.id}
            className={`rounded-lg border-l-4 p-3 ${c.passed ? 'border-emerald-600 bg-emerald-50 dark:bg-emerald-950/30' : 'border-red-600 bg-red-50 dark:bg-red-950/30'}`}
            data-check={c.id}
            data-passed={c.passed}
          >
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <span className="font-medium">
                <span aria-hidden>{c.passed ? '✓' : '✗'}</span> {c.title[lang]}
                {c.required && (
                  <span
                    className="ml-2 rounded border border-slate-400 px-1 py-px text-[10px] font-semibold tracking-wide text-slate-600 uppercase dark:border-slate-500 dark:text-slate-300"
                    data-testid="required-check"
                  >
                    {s.verdict.required}
                  </span>
                )}
              </span>
              <span
                className={`rounded-full px-2 py-0.5 text-xs font-medium ${c.passed ? 'bg-emerald-100 text-emerald-800 dark:bg-emerald-900/60 dark:text-emerald-200' : 'bg-red-100 text-red-800 dark:bg-red-900/60 dark:text-red-200'}`}
              >
                {c.points}/{c.maxPoints} · {c.passed ? s.passed : s.failed}
              </span>
            </div>
            <p className="mt-1 text-sm whitespace-pre-wrap">{c.message[lang]}</p>
            {!c.passed && (
              <details className="group mt-2 text-sm">
                <summary className="cursor-pointer font-medium text-blue-700 select-none dark:text-blue-400">{s.hint}</summary>
                <p className="mt-1 rounded-md bg-white/70 p-2 whitespace-pre-wrap dark:bg-slate-900/60">{c.hint[lang]}</p>
              </details>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
