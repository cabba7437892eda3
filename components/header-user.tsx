'use client';
import { useEffect, useState } from 'react';
import { fetchMe, type Me } from './me-client';
import { SignOutButton } from './sign-out-button';

/** The header's user corner on prerendered pages: filled in after load from /api/me. */
export function HeaderUser({ s }: { s: { signIn: string; signOut: string; dashboard: string } }) {
  const [me, setMe] = useState<Me | undefined>();
  useEffect(() => {
    let live = true;
    void fetchMe().then((m) => live && setMe(m));
    return () => {
      live = false;
    };
  }, []);
  if (!me) return <span className="inline-block h-7 w-16" aria-hidden />;
  if (!me.user)
    return (
      <a href="/login" className="rounded-md bg-blue-700 px-3 py-1 text-sm font-medium whitespace-nowrap text-white hover:bg-blue-800">
        {s.signIn}
      </a>
    );
  return (
    <>
      <a href="/dashboard" className="text-sm whitespace-nowrap hover:underline">
        {s.dashboard}
      </a>
      <span className="max-w-[12rem] truncate text-sm text-slate-600 dark:text-slate-300" data-testid="user-name">
        {me.user.name}
      </span>
      <SignOutButton label={s.signOut} />
    </>
  );
}
