'use client';
import type { ReactNode } from 'react';
import type { Messages } from '@/lib/i18n';
import { format } from '@/lib/i18n/format';
import type { PracticeResult, StepView, WorkspaceInfo } from '@/lib/workspaces';
import type { StoredResult } from '@/lib/grading/result';
import { ResultView, type ViewStrings } from './result-view';

export type WorkspaceStrings = Messages['workspace'];
type Lang = 'ko' | 'en';

/** A step's text: short markdown with `code` and **bold** (what lab.yaml's steps use), rendered without HTML. */
export function InlineMarkdown({ text }: { text: string }): ReactNode {
  return text.split(/\n{2,}/).map((para, i) => (
    <p key={i} className="mt-1">
      {para.split(/(`[^`\n]+`)/).map((part, j) =>
        part.startsWith('`') && part.endsWith('`') && part.length > 2 ? (
          <code key={j} className="rounded bg-slate-100 px-1 font-mono text-[0.9em] dark:bg-slate-800">
            {part.slice(1, -1)}
          </code>
        ) : (
          part
            .split(/(\*\*[^*\n]+\*\*)/)
            .map((t, k) => (t.startsWith('**') && t.endsWith('**') && t.length > 4 ? <strong key={`${j}-${k}`}>{t.slice(2, -2)}</strong> : t))
        ),
      )}
    </p>
  ));
}

export function ToolsList({ info, lang, w }: { info: WorkspaceInfo; lang: Lang; w: WorkspaceStrings }) {
  if (!info.tools.length && !info.missing.length) return null;
  return (
    <details className="text-sm" data-testid="workspace-tools">
      <summary className="cursor-pointer font-medium select-none">{w.tools}</summary>
      {info.tools.length > 0 && (
        <ul className="mt-1 flex flex-wrap gap-1.5">
          {info.tools.map((t) => (
            <li key={t.name} className="rounded border border-slate-300 px-1.5 py-0.5 font-mono text-xs dark:border-slate-700" data-tool={t.name}>
              {t.name} {t.version}
            </li>
          ))}
        </ul>
      )}
      {info.missing.length > 0 && (
        <div className="mt-2">
          <p className="font-medium">{w.missing}</p>
          <ul className="mt-1 list-disc space-y-0.5 pl-5 text-slate-600 dark:text-slate-400" data-testid="workspace-missing">
            {info.missing.map((m, i) => (
              <li key={i}>{m[lang]}</li>
            ))}
          </ul>
        </div>
      )}
    </details>
  );
}

export function StepsList({
  steps,
  lang,
  w,
  canCheck,
  busy,
  messages,
  onCheck,
}: {
  steps: StepView[];
  lang: Lang;
  w: WorkspaceStrings;
  canCheck: boolean;
  busy: string | null;
  messages: Record<string, string | undefined>;
  onCheck: (stepId: string) => void;
}) {
  if (!steps.length) return null;
  const done = steps.filter((s) => s.done).length;
  return (
    <section className="space-y-2" data-testid="steps" aria-labelledby="steps-title">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id="steps-title" className="font-semibold">
          {w.steps}
        </h3>
        <span className="text-sm text-slate-600 dark:text-slate-400" data-testid="steps-progress">
          {format(w.stepsProgress, { done, total: steps.length })}
        </span>
      </div>
      <div className="h-1.5 w-full rounded-full bg-slate-200 dark:bg-slate-800" aria-hidden>
        <div className="h-1.5 rounded-full bg-emerald-600" style={{ width: `${Math.round((100 * done) / steps.length)}%` }} />
      </div>
      <ol className="space-y-2">
        {steps.map((s, i) => (
          <li
            key={s.id}
            className={`rounded-md border p-3 text-sm ${s.done ? 'border-emerald-600/50 bg-emerald-50 dark:bg-emerald-950/30' : 'border-slate-200 dark:border-slate-800'}`}
            data-step={s.id}
            data-done={s.done}
          >
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <span className="font-medium">
                <span aria-hidden>{s.done ? '✓ ' : `${i + 1}. `}</span>
                {s.title[lang]}
                {s.done && <span className="sr-only"> ({w.stepDone})</span>}
              </span>
              <button
                type="button"
                disabled={!canCheck || busy === s.id}
                onClick={() => onCheck(s.id)}
                title={canCheck ? undefined : w.stepNeedsOpen}
                className="rounded-md border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 disabled:opacity-50 dark:border-slate-700 dark:hover:bg-slate-800"
                data-testid={`check-step-${s.id}`}
              >
                {busy === s.id ? w.checking : s.verifiable ? w.checkStep : w.markRead}
              </button>
            </div>
            <div className="text-slate-700 dark:text-slate-300">
              <InlineMarkdown text={s.text[lang]} />
            </div>
            {messages[s.id] && (
              <p className="mt-1 text-amber-800 dark:text-amber-300" role="status" data-testid={`step-message-${s.id}`}>
                {messages[s.id]}
              </p>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

export interface PracticeState {
  state: 'queued' | 'running' | 'done';
  result?: PracticeResult;
}

/** A practice result as the lab page shows graded results (ResultView), marked as practice. */
export function PracticeView({ practice, labId, lang, w, s }: { practice: PracticeState; labId: string; lang: Lang; w: WorkspaceStrings; s: ViewStrings }) {
  const r = practice.result;
  const stored: StoredResult | null = r
    ? {
        labId,
        gradable: r.gradable,
        score: r.score,
        maxScore: r.maxScore,
        ...(r.message ? { message: r.message } : {}),
        checks: r.checks.map((c) => ({
          id: c.id,
          title: c.title,
          points: c.points,
          maxPoints: c.maxPoints,
          passed: c.passed,
          message: c.message,
          hint: c.hint,
          required: c.required,
        })),
        durationMs: 0,
      }
    : null;
  return (
    <section
      aria-live="polite"
      className="space-y-2 rounded-lg border border-dashed border-slate-300 p-3 dark:border-slate-700"
      data-testid="practice"
      data-state={practice.state}
      data-passed={r ? r.passed : undefined}
    >
      <h3 className="font-semibold">{w.checkTitle}</h3>
      {practice.state !== 'done' ? (
        <p className="text-sm">{practice.state === 'queued' ? w.queued : w.checking}</p>
      ) : (
        stored && <ResultView result={stored} labPassed={r!.gradable ? r!.passed : null} lang={lang} s={s} />
      )}
      <p className="text-xs text-slate-500">{w.checkNote}</p>
    </section>
  );
}
