'use client';
import { useState, useTransition } from 'react';
import { setRoleAction } from '@/app/actions/admin';

export function RoleSelect({ userId, role }: { userId: string; role: 'LEARNER' | 'INSTRUCTOR' | 'ADMIN' }) {
  const [value, setValue] = useState(role);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <span>
      <select
        aria-label="Role"
        value={value}
        disabled={pending}
        onChange={(e) => {
          const next = e.target.value as typeof role;
          start(async () => {
            const r = await setRoleAction({ userId, role: next });
            if (r.ok) {
              setValue(r.data.role);
              setError(null);
            } else setError(r.error);
          });
        }}
        className="rounded-md border border-slate-300 px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
      >
        <option value="LEARNER">LEARNER</option>
        <option value="INSTRUCTOR">INSTRUCTOR</option>
        <option value="ADMIN">ADMIN</option>
      </select>
      {error && (
        <span role="alert" className="ml-2 text-xs text-red-600">
          {error}
        </span>
      )}
    </span>
  );
}
