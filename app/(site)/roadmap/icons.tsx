/** Small inline icons (the headless browsers and many desktops have no colour-emoji font). Always beside words. */
type P = { className?: string };
const base = 'inline-block shrink-0 align-[-0.125em]';

export function LockIcon({ className = 'h-3.5 w-3.5' }: P) {
  return (
    <svg viewBox="0 0 16 16" fill="currentColor" aria-hidden className={`${base} ${className}`}>
      <path d="M8 1a3.5 3.5 0 0 0-3.5 3.5V7H4a1.5 1.5 0 0 0-1.5 1.5v5A1.5 1.5 0 0 0 4 15h8a1.5 1.5 0 0 0 1.5-1.5v-5A1.5 1.5 0 0 0 12 7h-.5V4.5A3.5 3.5 0 0 0 8 1Zm2 6H6V4.5a2 2 0 1 1 4 0V7Z" />
    </svg>
  );
}

export function CalendarIcon({ className = 'h-3.5 w-3.5' }: P) {
  return (
    <svg viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden className={`${base} ${className}`}>
      <rect x="2" y="3" width="12" height="11" rx="1.5" />
      <path d="M2 6.5h12M5 1.5v3M11 1.5v3" strokeLinecap="round" />
    </svg>
  );
}

export function AlertIcon({ className = 'h-3.5 w-3.5' }: P) {
  return (
    <svg viewBox="0 0 16 16" fill="currentColor" aria-hidden className={`${base} ${className}`}>
      <path d="M8.9 1.6a1 1 0 0 0-1.8 0L.6 13.5A1 1 0 0 0 1.5 15h13a1 1 0 0 0 .9-1.5L8.9 1.6ZM8 5.5a.8.8 0 0 1 .8.8v3.4a.8.8 0 0 1-1.6 0V6.3a.8.8 0 0 1 .8-.8Zm0 7.3a1 1 0 1 1 0-2 1 1 0 0 1 0 2Z" />
    </svg>
  );
}

export function FlameIcon({ className = 'h-8 w-8' }: P) {
  return (
    <svg viewBox="0 0 24 24" aria-hidden className={`${base} ${className}`}>
      <path fill="#f97316" d="M12 2c.5 3.2-1.2 5-2.8 6.7C7.6 10.4 6 12.1 6 15a6 6 0 0 0 12 0c0-2.6-1.2-4.6-2.5-6.1-.2 1.6-1 2.7-2.2 3.1.6-3.6-.2-7.2-1.3-10Z" />
      <path fill="#fbbf24" d="M12 12.5c.2 1.4-.6 2.2-1.3 2.9-.6.6-1.2 1.3-1.2 2.4a2.5 2.5 0 0 0 5 0c0-1.5-.9-2.6-1.6-3.3-.2.6-.5.9-.9 1 .2-1.1 0-2.1 0-3Z" />
    </svg>
  );
}

export function BookIcon({ className = 'h-4 w-4' }: P) {
  return (
    <svg viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden className={`${base} ${className}`}>
      <path
        d="M2 3.5C2 2.7 2.7 2 3.5 2H7v11H3.5C2.7 13 2 13.7 2 14.5v-11ZM14 3.5c0-.8-.7-1.5-1.5-1.5H9v11h3.5c.8 0 1.5.7 1.5 1.5v-11Z"
        strokeLinejoin="round"
      />
    </svg>
  );
}

export function FlaskIcon({ className = 'h-4 w-4' }: P) {
  return (
    <svg viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden className={`${base} ${className}`}>
      <path
        d="M6 1.5h4M6.5 1.5v4.2L2.4 12.6A1.3 1.3 0 0 0 3.5 14.5h9a1.3 1.3 0 0 0 1.1-1.9L9.5 5.7V1.5M4.5 10h7"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
