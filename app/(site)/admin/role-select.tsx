'use client';
import { useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import { setRoleAction } from '@/app/actions/admin';

type Role = 'LEARNER' | 'INSTRUCTOR' | 'ADMIN';

export function RoleSelect({ userId, role, labels, self, ko }: { userId: string; role: Role; labels: Record<string, string>; self: boolean; ko: boolean }) {
  const router = useRouter();
  const [value, setValue] = useState(role);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [pending, start] = useTransition();
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <select
        aria-label={ko ? '역할' : 'Role'}
        value={value}
        disabled={pending}
        data-testid="role-select"
        onChange={(e) => {
          const next = e.target.value as Role;
          if (self && next !== 'ADMIN' && !window.confirm(ko ? '내 관리자 권한을 내려놓습니다. 계속할까요?' : 'You are giving up your own admin role. Continue?')) return;
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
      {saved && !error && <span className="text-xs text-emerald-700 dark:text-emerald-400">✓ {ko ? '저장됨' : 'Saved'}</span>}
      {error && (
        <span role="alert" className="text-xs text-red-600">
          {error}
        </span>
      )}
    </span>
  );
}
