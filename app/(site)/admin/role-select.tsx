'use client';
import { useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import { setRoleAction } from '@/app/actions/admin';

type Role = 'LEARNER' | 'INSTRUCTOR' | 'ADMIN';

/** `labels`: each role's name; `s`: the select's label, the self-demotion question and the saved mark (the catalogue's `admin` section). */
export function RoleSelect({
  userId,
  role,
  labels,
  self,
  s,
}: {
  userId: string;
  role: Role;
  labels: Record<string, string>;
  self: boolean;
  s: { role: string; confirmSelfDemote: string; saved: string };
}) {
  const router = useRouter();
  const [value, setValue] = useState(role);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [pending, start] = useTransition();
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <select
        aria-label={s.role}
        value={value}
        disabled={pending}
        data-testid="role-select"
        onChange={(e) => {
          const next = e.target.value as Role;
          if (self && next !== 'ADMIN' && !window.confirm(s.confirmSelfDemote)) return;
          start(async () => {
            const r = await setRoleAction({ userId, role: next });
            if (r.ok) {
              setValue(r.data.role);
              setError(null);
              setSaved(true);
              router.refresh();
            } else {
              setError(r.error);
              setSaved(false);
            }
          });
        }}
        className="rounded-md border border-slate-300 px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
      >
        {(['LEARNER', 'INSTRUCTOR', 'ADMIN'] as const).map((r) => (
          <option key={r} value={r}>
            {labels[r]}
          </option>
        ))}
      </select>
      {saved && !error && (
        <span role="status" className="text-xs text-emerald-700 dark:text-emerald-400">
          ✓ {s.saved}
        </span>
      )}
      {error && (
        <span role="alert" className="text-xs text-red-600">
          {error}
        </span>
      )}
    </span>
  );
}
