'use client';
import { signOut } from 'next-auth/react';

export function SignOutButton({ label }: { label: string }) {
  return (
    <button type="button" onClick={() => void signOut({ callbackUrl: '/' })} className="rounded-md px-2 py-1 text-sm hover:bg-slate-100 dark:hover:bg-slate-800">
      {label}
    </button>
  );
}
