'use client';
import { useState } from 'react';

/** The only client code on a lesson page: copies the code block it sits in. */
export function CopyButton() {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      aria-label="Copy code"
      className="absolute right-2 top-2 rounded border border-slate-600 bg-slate-800 px-2 py-0.5 text-xs text-slate-200 opacity-80 hover:opacity-100"
      onClick={(e) => {
        const code = e.currentTarget.parentElement?.querySelector('code')?.textContent ?? '';
        void navigator.clipboard.writeText(code).then(() => {
          setDone(true);
          setTimeout(() => setDone(false), 1500);
        });
      }}
    >
      {done ? 'Copied' : 'Copy'}
    </button>
  );
}
