'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { acceptInviteAction, declineInviteAction } from '@/app/actions/cohorts';
import type { Messages } from '@/lib/i18n';
import { format } from '@/lib/i18n/format';

export interface PendingInvite {
  cohortId: string;
  name: string;
  instructor: string;
  invitedAt: string;
}

/**
 * Cohorts that invited this person's e-mail: nothing happens until they answer. Accepting makes them a member (the
 * instructor then sees their progress and the cohort's due dates apply); declining hides the invite.
 */
export function CohortInvites({ m, invites }: { m: Messages['invites']; invites: PendingInvite[] }) {
  const router = useRouter();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const answer = async (cohortId: string, accept: boolean) => {
    setBusy(cohortId);
    setError(null);
    const r = await (accept ? acceptInviteAction : declineInviteAction)({ cohortId });
    setBusy(null);
    if (!r.ok) return setError(r.error);
    router.refresh();
  };
  const button = 'rounded-md px-3 py-1 text-sm font-medium disabled:opacity-60';
  return (
    <section className="rounded-xl border border-amber-300 bg-amber-50 p-4 dark:border-amber-800 dark:bg-amber-950/30" data-testid="cohort-invites">
      <h2 className="mb-1 font-semibold">{m.title}</h2>
      <p className="mb-2 text-sm text-slate-700 dark:text-slate-300">{m.explain}</p>
      <ul className="divide-y divide-amber-200 text-sm dark:divide-amber-900">
        {invites.map((i) => (
          <li key={i.cohortId} className="flex flex-wrap items-center gap-2 py-2" data-cohort={i.cohortId} data-cohort-name={i.name}>
            <span className="font-medium">{i.name}</span>
            <span className="text-slate-600 dark:text-slate-400">
              {format(m.byInstructor, { name: i.instructor })} · {i.invitedAt}
            </span>
            <span className="ml-auto flex gap-2">
              <button
                type="button"
                disabled={busy !== null}
                onClick={() => void answer(i.cohortId, true)}
                className={`${button} bg-blue-600 text-white hover:bg-blue-700`}
                data-testid="accept-invite"
              >
                {m.accept}
              </button>
              <button
                type="button"
                disabled={busy !== null}
                onClick={() => void answer(i.cohortId, false)}
                className={`${button} border border-slate-300 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800`}
                data-testid="decline-invite"
              >
                {m.decline}
              </button>
            </span>
          </li>
        ))}
      </ul>
      {error && (
        <p role="alert" className="mt-1 text-sm text-red-600">
          {error}
        </p>
      )}
    </section>
  );
}
