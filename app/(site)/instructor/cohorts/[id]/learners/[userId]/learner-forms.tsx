'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { overrideGradeAction, regradeSubmissionAction, setExtensionAction } from '@/app/actions/cohorts';
import type { Messages } from '@/lib/i18n';
import { format } from '@/lib/i18n/format';

/** This file's messages: the catalogue's `learnerForms` section in the reader's language. */
type M = Messages['learnerForms'];
const field = 'rounded-md border border-slate-300 px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900';
const button = 'rounded-md border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800';

function useMsg() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const run = async (p: () => Promise<{ ok: true } | { ok: false; error: string }>, okText: string) => {
    setBusy(true);
    const r = await p();
    setBusy(false);
    setMsg(r.ok ? { ok: true, text: okText } : { ok: false, text: r.error });
    if (r.ok) router.refresh();
  };
  const note = msg && (
    <p role={msg.ok ? 'status' : 'alert'} className={`text-xs ${msg.ok ? 'text-emerald-700' : 'text-red-600'}`}>
      {msg.text}
    </p>
  );
  return { busy, run, note };
}

/** A later due date (on the instructor's clock) for this learner and one week; empty removes it. */
export function ExtensionForm({ cohortId, userId, week, dueAt, m }: { cohortId: string; userId: string; week: number; dueAt: string; m: M }) {
  const { busy, run, note } = useMsg();
  return (
    <form
      className="flex flex-wrap items-center gap-1"
      data-testid={`extension-${week}`}
      onSubmit={(e) => {
        e.preventDefault();
        const v = String(new FormData(e.currentTarget).get('dueAt') ?? '');
        void run(() => setExtensionAction({ cohortId, userId, week, dueAt: v || null }), m.saved);
      }}
    >
      <input type="datetime-local" name="dueAt" defaultValue={dueAt} aria-label={format(m.extendedDue, { week })} className={field} />
      <button disabled={busy} className={button}>
        {m.save}
      </button>
      {note}
    </form>
  );
}

/** The instructor's score for one lab, with a reason; empty score removes the override. */
export function OverrideForm({
  cohortId,
  userId,
  labId,
  score,
  reason,
  max,
  m,
}: {
  cohortId: string;
  userId: string;
  labId: string;
  score: number | null;
  reason: string;
  max: number;
  m: M;
}) {
  const { busy, run, note } = useMsg();
  return (
    <form
      className="flex flex-wrap items-center gap-1"
      data-testid={`override-${labId}`}
      onSubmit={(e) => {
        e.preventDefault();
        const fd = new FormData(e.currentTarget);
        const s = String(fd.get('score') ?? '').trim();
        void run(() => overrideGradeAction({ cohortId, userId, labId, score: s === '' ? null : s, reason: String(fd.get('reason') ?? '') }), m.saved);
      }}
    >
      <input name="score" type="number" step="0.5" min={0} max={max} defaultValue={score ?? ''} aria-label={m.score} className={`${field} w-20`} />
      <input name="reason" defaultValue={reason} maxLength={300} placeholder={m.reason} aria-label={m.reason} className={`${field} w-48`} />
      <button disabled={busy} className={button}>
        {m.override}
      </button>
      {note}
    </form>
  );
}

/** Grades one submission again with the lab's current grader; opens the batch's before → after page. */
export function RegradeSubmissionButton({ cohortId, submissionId, m }: { cohortId: string; submissionId: string; m: M }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <span>
      <button
        type="button"
        disabled={busy}
        className={button}
        data-testid="regrade-submission"
        onClick={async () => {
          setBusy(true);
          const r = await regradeSubmissionAction({ cohortId, submissionId });
          setBusy(false);
          if (!r.ok) return setError(r.error);
          router.push(`/instructor/cohorts/${cohortId}/regrades/${r.data.batchId}`);
        }}
      >
        {m.regrade}
      </button>
      {error && (
        <span role="alert" className="ml-2 text-xs text-red-600">
          {error}
        </span>
      )}
    </span>
  );
}
