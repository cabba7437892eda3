'use client';
import type { StoredResult } from '@/lib/grading/result';

export interface ViewStrings {
  score: string;
  passed: string;
  failed: string;
  hint: string;
  notGradable: string;
}

export function ResultView({ result, lang, s }: { result: StoredResult; lang: 'ko' | 'en'; s: ViewStrings }) {
  if (!result.gradable) {
    return (
      <div role="status" className="rounded-lg border-2 border-amber-500 p-4" data-testid="result">
        <p className="font-semibold">{s.notGradable}</p>
        <p className="mt-1 text-sm">{result.message?.[lang]}</p>
      </div>
    );
  }
  return (
    <div className="space-y-3" data-testid="result">
      <p className="text-2xl font-bold" data-testid="score">
        {s.score}: {result.score} / {result.maxScore}
      </p>
      <ul className="space-y-2">
        {result.checks.map((c) => (
          <li key={c.id} className={`rounded-lg border-l-4 p-3 ${c.passed ? 'border-emerald-600 bg-emerald-50 dark:bg-emerald-950/30' : 'border-red-600 bg-red-50 dark:bg-red-950/30'}`} data-check={c.id} data-passed={c.passed}>
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <span className="font-medium">
                {c.passed ? '✓' : '✗'} {c.title[lang]}
              </span>
              <span className="text-sm">
                {c.points}/{c.maxPoints} · {c.passed ? s.passed : s.failed}
              </span>
            </div>
            <p className="mt-1 text-sm">{c.message[lang]}</p>
            {!c.passed && (
              <details className="mt-1 text-sm">
                <summary className="cursor-pointer text-blue-700 dark:text-blue-400">{s.hint}</summary>
                <p className="mt-1">{c.hint[lang]}</p>
              </details>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
