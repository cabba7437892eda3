'use client';
import { signOutNow } from './me-client';

export function SignOutButton({ label }: { label: string }) {
  return (
    <button
      type="button"
      onClick={() => void signOutNow()}
      className="rounded-md px-2 py-1 text-sm whitespace-nowrap hover:bg-slate-100 dark:hover:bg-slate-800"
    >
      {label}
    </button>
  );
}
