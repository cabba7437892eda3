/**
 * The colour scheme: `system` (the device's light or dark, by `prefers-color-scheme`), or one chosen. Kept on the
 * account (User.theme) and in the `theme` cookie, which the prerendered lessons read before the first paint.
 * `app/globals.css` defines Tailwind's `dark:` variant from it: the `dark` class on <html>, or the device's dark
 * scheme unless <html> has the `light` class.
 */
export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];
export const THEME_COOKIE = 'theme';

export function isTheme(x: unknown): x is Theme {
  return typeof x === 'string' && (THEMES as readonly string[]).includes(x);
}

/** The class <html> carries for a theme: none for `system` (the media query decides). */
export function themeClass(theme: Theme): 'light' | 'dark' | undefined {
  return theme === 'system' ? undefined : theme;
}

/**
 * Run inline in the <head> of a prerendered page, before anything is painted: the same HTML file serves every reader,
 * so the chosen scheme comes from the cookie. Allowed by the CSP's script-src 'unsafe-inline' (Next's own hydration
 * scripts need it too); it reads one cookie and sets one class, nothing else.
 */
export const THEME_SCRIPT = `(function(){try{var m=/(?:^|;\\s*)${THEME_COOKIE}=(light|dark)(?:;|$)/.exec(document.cookie);if(m)document.documentElement.classList.add(m[1])}catch(e){}})()`;
