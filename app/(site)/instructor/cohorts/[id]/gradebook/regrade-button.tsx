'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { regradeEverywhereAction, regradeLabAction } from '@/app/actions/cohorts';

/** Regrades the lab for the cohort's members, or (`everywhere`, admins) for every learner. */
export function RegradeLabButton({ cohortId, labId, label, everywhere = false }: { cohortId: string; labId: string; label: string; everywhere?: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <span>
      <button
        type="button"
        disabled={busy}
        data-testid={everywhere ? 'regrade-everywhere' : 'regrade-lab'}
        className="rounded-md border border-amber-500 px-3 py-1 text-sm hover:bg-amber-50 dark:hover:bg-amber-950"
        onClick={async () => {
          setBusy(true);
          const r = everywhere ? await regradeEverywhereAction({ labId }) : await regradeLabAction({ cohortId, labId });
          setBusy(false);
          if (!r.ok) return setError(r.error);
          router.push(`/instructor/cohorts/${cohortId}/regrades/${r.data.batchId}${everywhere ? '?all=1' : ''}`);
        }}
      >
        {label}
      </button>
      {error && (
        <span role="alert" className="ml-2 text-sm text-red-600">
          {error}
        </span>
      )}
    </span>
  );
}
