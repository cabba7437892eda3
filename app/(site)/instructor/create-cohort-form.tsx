'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { createCohortAction } from '@/app/actions/cohorts';
import type { Messages } from '@/lib/i18n';

export function CreateCohortForm({ m: s }: { m: Messages['createCohort'] }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="grid gap-3 rounded-lg border border-slate-200 p-4 sm:grid-cols-4 dark:border-slate-800"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        const fd = new FormData(e.currentTarget);
        const r = await createCohortAction({ name: fd.get('name'), start: fd.get('start'), latePenaltyPct: fd.get('latePenaltyPct') });
        setBusy(false);
        if (!r.ok) return setError(r.error);
        router.push(`/instructor/cohorts/${r.data.id}`);
      }}
    >
      <label className="block sm:col-span-2">
        <span className="text-sm font-medium">{s.name}</span>
        <input
          name="name"
          required
          maxLength={80}
          className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 dark:border-slate-700 dark:bg-slate-900"
        />
      </label>
      <label className="block">
        <span className="text-sm font-medium">{s.start}</span>
        <input name="start" type="date" required className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 dark:border-slate-700 dark:bg-slate-900" />
      </label>
      <label className="block">
        <span className="text-sm font-medium">{s.late}</span>
        <input
          name="latePenaltyPct"
          type="number"
          min={0}
          max={100}
          defaultValue={20}
          className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 dark:border-slate-700 dark:bg-slate-900"
        />
      </label>
      {error && (
        <p role="alert" className="text-sm text-red-600 sm:col-span-4">
          {error}
        </p>
      )}
      <button
        type="submit"
        disabled={busy}
        className="rounded-md bg-blue-600 px-4 py-2 font-medium text-white hover:bg-blue-700 disabled:opacity-60 sm:col-span-1"
      >
        {s.create}
      </button>
    </form>
  );
}
