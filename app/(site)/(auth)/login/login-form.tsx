'use client';
import { signIn } from 'next-auth/react';
import { useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { safeCallbackPath } from '@/lib/auth/callback-url';

export function LoginForm({ s }: { s: { email: string; password: string; signIn: string; invalid: string } }) {
  const router = useRouter();
  const params = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Only a path on this site, read the way the browser will read it (`/\host` and `/<tab>/host` are other hosts).
  const raw = params.get('callbackUrl');
  return (
    <form
      className="space-y-4"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        const fd = new FormData(e.currentTarget);
        const r = await signIn('credentials', { email: fd.get('email'), password: fd.get('password'), redirect: false });
        setBusy(false);
        if (!r || r.error) {
          setError(s.invalid);
          return;
        }
        router.push(safeCallbackPath(raw, window.location.origin));
        router.refresh();
      }}
    >
      <label className="block">
        <span className="text-sm font-medium">{s.email}</span>
        <input
          name="email"
          type="email"
          required
          autoComplete="email"
          className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 dark:border-slate-700 dark:bg-slate-900"
        />
      </label>
      <label className="block">
        <span className="text-sm font-medium">{s.password}</span>
        <input
          name="password"
          type="password"
          required
          autoComplete="current-password"
          className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 dark:border-slate-700 dark:bg-slate-900"
        />
      </label>
      {error && (
        <p role="alert" className="text-sm text-red-600">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy} className="w-full rounded-md bg-blue-600 px-4 py-2 font-medium text-white hover:bg-blue-700 disabled:opacity-60">
        {s.signIn}
      </button>
    </form>
  );
}
