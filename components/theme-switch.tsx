'use client';
import { useEffect, useSyncExternalStore } from 'react';
import { setTheme } from '@/app/actions/preferences';
import { isTheme, themeClass, THEME_COOKIE, THEMES, type Theme } from '@/lib/theme';
import { fetchMe } from './me-client';

/** This browser's choice: the `theme` cookie, one store shared by every switch on the page (header on desktop and phone). */
const listeners = new Set<() => void>();
function subscribe(cb: () => void) {
  listeners.add(cb);
  return () => void listeners.delete(cb);
}
function cookieTheme(): Theme {
  const m = new RegExp(`(?:^|;\\s*)${THEME_COOKIE}=([a-z]+)`).exec(document.cookie);
  return isTheme(m?.[1]) ? m[1] : 'system';
}
/** Applies a scheme at once (the class on <html>, as the inline head script does) and remembers it in the cookie. */
function applyLocally(theme: Theme) {
  const root = document.documentElement;
  root.classList.remove('light', 'dark');
  const cls = themeClass(theme);
  if (cls) root.classList.add(cls);
  document.cookie = `${THEME_COOKIE}=${theme}; path=/; max-age=${365 * 24 * 3600}; samesite=lax`;
  for (const l of listeners) l();
}

/**
 * The colour scheme picker. `theme` is the account's (per-request pages render it); on prerendered pages it is
 * `'island'`: the cookie applied by the head script, then the account's from /api/me when the reader is signed in.
 */
export function ThemeSwitch({ theme, s }: { theme: Theme | 'island'; s: { theme: string; system: string; light: string; dark: string } }) {
  const value = useSyncExternalStore(subscribe, cookieTheme, () => (theme === 'island' ? 'system' : theme));
  useEffect(() => {
    // The account's choice follows the user to this browser: bring the cookie (read by prerendered pages) in line.
    if (theme !== 'island') {
      if (cookieTheme() !== theme) applyLocally(theme);
      return;
    }
    let live = true;
    void fetchMe().then((me) => {
      if (live && me.user && me.theme && me.theme !== cookieTheme()) applyLocally(me.theme);
    });
    return () => {
      live = false;
    };
  }, [theme]);
  const labels: Record<Theme, string> = { system: s.system, light: s.light, dark: s.dark };
  return (
    <label className="flex items-center gap-1.5 text-sm">
      <span className="sr-only">{s.theme}</span>
      <svg viewBox="0 0 20 20" className="h-4 w-4 shrink-0 text-slate-600 dark:text-slate-300" aria-hidden>
        <path fill="currentColor" d="M10 2a8 8 0 1 0 0 16 8 8 0 0 0 0-16Zm0 2v12a6 6 0 0 1 0-12Z" />
      </svg>
      <select
        value={value}
        data-testid="theme-switch"
        onChange={(e) => {
          const next = e.target.value;
          if (!isTheme(next)) return;
          applyLocally(next);
          void setTheme(next);
        }}
        className="rounded-md border border-slate-300 bg-white px-1.5 py-1 text-sm dark:border-slate-600 dark:bg-slate-900"
      >
        {THEMES.map((t) => (
          <option key={t} value={t}>
            {labels[t]}
          </option>
        ))}
      </select>
    </label>
  );
}
