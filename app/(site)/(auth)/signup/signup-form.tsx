'use client';
import { signIn } from 'next-auth/react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { signUp } from '@/app/actions/account';

export function SignupForm({
  lang,
  s,
}: {
  lang: 'ko' | 'en';
  s: { name: string; email: string; password: string; signUp: string; received: string; signInWithPassword: string };
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState(false);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="space-y-4"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        setNotice(false);
        const fd = new FormData(e.currentTarget);
        const input = { name: String(fd.get('name') ?? ''), email: String(fd.get('email') ?? ''), password: String(fd.get('password') ?? ''), lang };
        const r = await signUp(input);
        if (!r.ok) {
          setBusy(false);
          setError(r.error);
          return;
        }
        // The answer is the same for a new e-mail and one that already had an account (which sign-up leaves as it
        // was): signing in with what was typed works for a new account, and for the owner of an old one.
        const r2 = await signIn('credentials', { email: input.email, password: input.password, redirect: false });
        if (!r2 || r2.error) {
          setBusy(false);
          setNotice(true);
          return;
        }
        router.push('/dashboard');
        router.refresh();
      }}
    >
      <label className="block">
        <span className="text-sm font-medium">{s.name}</span>
        <input
          name="name"
          required
          maxLength={80}
          autoComplete="name"
          className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 dark:border-slate-700 dark:bg-slate-900"
        />
      </label>
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
          minLength={10}
          autoComplete="new-password"
          className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 dark:border-slate-700 dark:bg-slate-900"
        />
      </label>
      {error && (
        <p role="alert" className="text-sm text-red-600">
          {error}
        </p>
      )}
      {notice && (
        <p role="status" className="text-sm text-slate-700 dark:text-slate-300" data-testid="signup-notice">
          {s.received}
          <Link href="/login" className="text-blue-700 underline dark:text-blue-400">
            {s.signInWithPassword}
          </Link>
          .
        </p>
      )}
      <button type="submit" disabled={busy} className="w-full rounded-md bg-blue-600 px-4 py-2 font-medium text-white hover:bg-blue-700 disabled:opacity-60">
        {s.signUp}
      </button>
    </form>
  );
}
