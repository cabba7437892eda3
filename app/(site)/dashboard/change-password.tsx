'use client';
import { useState } from 'react';
import { changePasswordAction } from '@/app/actions/account';
import type { Messages } from '@/lib/i18n';

export function ChangePassword({ m }: { m: Messages['password'] }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const field = 'rounded-md border border-slate-300 px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900';
  return (
    <details className="rounded-lg border border-slate-200 p-3 text-sm dark:border-slate-800">
      <summary className="cursor-pointer font-medium">{m.title}</summary>
      <form
        className="mt-3 flex flex-wrap items-end gap-2"
        onSubmit={async (e) => {
          e.preventDefault();
          const fd = new FormData(e.currentTarget);
          setBusy(true);
          const r = await changePasswordAction({ current: fd.get('current'), next: fd.get('next') });
          setBusy(false);
          if (!r.ok) return setError(r.error);
          // Every session ended with the old password, this one too: sign in again.
          window.location.href = '/login?changed=1';
        }}
      >
        <input name="current" type="password" required autoComplete="current-password" placeholder={m.current} className={field} />
        <input name="next" type="password" required minLength={10} autoComplete="new-password" placeholder={m.next} className={field} />
        <button disabled={busy} className="rounded-md bg-blue-600 px-3 py-1 font-medium text-white disabled:opacity-60">
          {m.change}
        </button>
        {error && (
          <p role="alert" className="w-full text-red-600">
            {error}
          </p>
        )}
      </form>
    </details>
  );
}
