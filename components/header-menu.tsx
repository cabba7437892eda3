'use client';
import { useRef, useState } from 'react';
import { usePathname } from 'next/navigation';

/**
 * The header's links and controls: in a row from the `md` width up; on a phone behind a Menu button (a disclosure:
 * aria-expanded, Escape closes it and gives the focus back to the button). It closes when the page changes.
 */
export function HeaderMenu({ label, children }: { label: string; children: React.ReactNode }) {
  const pathname = usePathname();
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn !== null && openOn === pathname;
  const button = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls="site-menu"
        onClick={() => setOpenOn(open ? null : pathname)}
        className="ml-auto inline-flex items-center gap-1.5 rounded-md border border-slate-300 px-2.5 py-1.5 text-sm whitespace-nowrap md:hidden dark:border-slate-600"
        data-testid="menu-button"
      >
        <svg viewBox="0 0 20 20" className="h-4 w-4" aria-hidden>
          {open ? (
            <path d="M5 5l10 10M15 5L5 15" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
          ) : (
            <path d="M3 5h14M3 10h14M3 15h14" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
          )}
        </svg>
        {label}
      </button>
      <div
        id="site-menu"
        className={`${open ? 'flex' : 'hidden'} w-full flex-col gap-3 border-t border-slate-200 pt-3 md:flex md:w-auto md:flex-1 md:flex-row md:items-center md:gap-4 md:border-0 md:pt-0 dark:border-slate-800`}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && open) {
            setOpenOn(null);
            button.current?.focus();
          }
        }}
      >
        {children}
      </div>
    </>
  );
}
