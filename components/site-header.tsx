import Link from 'next/link';
import { t, type Lang } from '@/lib/i18n';
import type { SessionUser } from '@/app/_server/session';
import type { Theme } from '@/lib/theme';
import { LangSwitch } from './lang-switch';
import { SignOutButton } from './sign-out-button';
import { HeaderUser } from './header-user';
import { HeaderMenu } from './header-menu';
import { ThemeSwitch } from './theme-switch';

const link = 'rounded py-1.5 text-sm whitespace-nowrap hover:underline md:py-0';

/**
 * `user: "island"` on prerendered pages: the user corner is filled in by the browser from /api/me, and the colour
 * scheme comes from the cookie (`theme` is then ignored). On a phone the links and controls sit behind a Menu button.
 */
export function SiteHeader({ lang, user, theme = 'system' }: { lang: Lang; user: SessionUser | null | 'island'; theme?: Theme }) {
  const known = user === 'island' ? null : user;
  const themeStrings = {
    theme: t(lang, 'a11y.theme'),
    system: t(lang, 'a11y.themeSystem'),
    light: t(lang, 'a11y.themeLight'),
    dark: t(lang, 'a11y.themeDark'),
  };
  return (
    <header className="border-b border-slate-200 dark:border-slate-800">
      <nav aria-label={t(lang, 'a11y.mainNav')} className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-3 px-4 py-3">
        <Link href="/" className="font-bold whitespace-nowrap">
          {t(lang, 'common.appName')}
        </Link>
        <HeaderMenu label={t(lang, 'a11y.menu')}>
          <div className="flex flex-col md:flex-row md:items-center md:gap-4">
            <Link href="/roadmap" className={link}>
              {t(lang, 'common.roadmap')}
            </Link>
            {known && (
              <Link href="/dashboard" className={link}>
                {t(lang, 'common.dashboard')}
              </Link>
            )}
            {known && (
              <Link href="/groups" className={link}>
                {t(lang, 'nav.groups')}
              </Link>
            )}
            {known?.role === 'ADMIN' && (
              <Link href="/admin" className={link}>
                {t(lang, 'nav.admin')}
              </Link>
            )}
            {known && (known.role === 'INSTRUCTOR' || known.role === 'ADMIN') && (
              <Link href="/instructor" className={link}>
                {t(lang, 'nav.instructor')}
              </Link>
            )}
          </div>
          <div className="flex flex-wrap items-center gap-3 md:ml-auto">
            <LangSwitch lang={lang} />
            <ThemeSwitch theme={user === 'island' ? 'island' : theme} s={themeStrings} />
            {user === 'island' ? (
              <HeaderUser s={{ signIn: t(lang, 'common.signIn'), signOut: t(lang, 'common.signOut'), dashboard: t(lang, 'common.dashboard') }} />
            ) : user ? (
              <>
                <span className="max-w-[12rem] truncate text-sm text-slate-600 dark:text-slate-300" data-testid="user-name">
                  {user.name}
                </span>
                <SignOutButton label={t(lang, 'common.signOut')} />
              </>
            ) : (
              <Link href="/login" className="rounded-md bg-blue-700 px-3 py-1 text-sm font-medium whitespace-nowrap text-white hover:bg-blue-800">
                {t(lang, 'common.signIn')}
              </Link>
            )}
          </div>
        </HeaderMenu>
      </nav>
    </header>
  );
}
