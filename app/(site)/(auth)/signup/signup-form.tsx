'use client';
import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { signUp } from '@/app/actions/account';

export function SignupForm({ lang, s }: { lang: 'ko' | 'en'; s: { name: string; email: string; password: string; signUp: string } }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="space-y-4"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        const fd = new FormData(e.currentTarget);
        const input = { name: String(fd.get('name') ?? ''), email: String(fd.get('email') ?? ''), password: String(fd.get('password') ?? ''), lang };
        const r = await signUp(input);
        if (!r.ok) {
          setBusy(false);
          setError(r.error);
          return;
        }
        await signIn('credentials', { email: input.email, password: input.password, redirect: false });
        router.push('/dashboard');
        router.refresh();
      }}
    >
      <label className="block">
        <span className="text-sm font-medium">{s.name}</span>
        <input name="name" required maxLength={80} autoComplete="name" className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 dark:border-slate-700 dark:bg-slate-900" />
      </label>
      <label className="block">
        <span className="text-sm font-medium">{s.email}</span>
        <input name="email" type="email" required autoComplete="email" className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 dark:border-slate-700 dark:bg-slate-900" />
      </label>
      <label className="block">
        <span className="text-sm font-medium">{s.password}</span>
        <input name="password" type="password" required minLength={10} autoComplete="new-password" className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 dark:border-slate-700 dark:bg-slate-900" />
      </label>
      {error && (
        <p role="alert" className="text-sm text-red-600">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy} className="w-full rounded-md bg-blue-600 px-4 py-2 font-medium text-white hover:bg-blue-700 disabled:opacity-60">
        {s.signUp}
      </button>
    </form>
  );
}
