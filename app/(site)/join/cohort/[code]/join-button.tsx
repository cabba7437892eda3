'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { joinCohortAction } from '@/app/actions/cohorts';

export function JoinCohortButton({ code, label }: { code: string; label: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <div>
      <button
        type="button"
        disabled={busy}
        data-testid="join-cohort"
        onClick={async () => {
          setBusy(true);
          const r = await joinCohortAction({ code });
          setBusy(false);
          if (!r.ok) return setError(r.error);
          router.push('/dashboard');
          router.refresh();
        }}
        className="rounded-md bg-blue-600 px-4 py-2 font-medium text-white hover:bg-blue-700 disabled:opacity-60"
      >
        {label}
      </button>
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-600">
          {error}
        </p>
      )}
    </div>
  );
}
