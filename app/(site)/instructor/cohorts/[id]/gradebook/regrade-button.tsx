'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { regradeLabAction } from '@/app/actions/cohorts';

export function RegradeLabButton({ cohortId, labId, label }: { cohortId: string; labId: string; label: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <span>
      <button
        type="button"
        disabled={busy}
        data-testid="regrade-lab"
        className="rounded-md border border-amber-500 px-3 py-1 text-sm hover:bg-amber-50 dark:hover:bg-amber-950"
        onClick={async () => {
          setBusy(true);
          const r = await regradeLabAction({ cohortId, labId });
          setBusy(false);
          if (!r.ok) return setError(r.error);
          router.push(`/instructor/cohorts/${cohortId}/regrades/${r.data.batchId}`);
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
