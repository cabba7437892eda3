import Link from 'next/link';
import { t, type Lang } from '@/lib/i18n';
import type { SessionUser } from '@/app/_server/session';
import { LangSwitch } from './lang-switch';
import { SignOutButton } from './sign-out-button';
import { HeaderUser } from './header-user';

/** `user: "island"` on prerendered pages: the user corner is filled in by the browser from /api/me. */
export function SiteHeader({ lang, user }: { lang: Lang; user: SessionUser | null | 'island' }) {
  const known = user === 'island' ? null : user;
  return (
    <header className="border-b border-slate-200 dark:border-slate-800">
      <nav aria-label="Main" className="mx-auto flex max-w-6xl flex-wrap items-center gap-4 px-4 py-3">
        <Link href="/" className="font-bold">
          {t(lang, 'common.appName')}
        </Link>
        <Link href="/roadmap" className="text-sm hover:underline">
          {t(lang, 'common.roadmap')}
        </Link>
        {known && (
          <Link href="/dashboard" className="text-sm hover:underline">
            {t(lang, 'common.dashboard')}
          </Link>
        )}
        {known && (
          <Link href="/groups" className="text-sm hover:underline">
            {t(lang, 'nav.groups')}
          </Link>
        )}
        {known?.role === 'ADMIN' && (
          <Link href="/admin" className="text-sm hover:underline">
            {t(lang, 'nav.admin')}
          </Link>
        )}
        {known && (known.role === 'INSTRUCTOR' || known.role === 'ADMIN') && (
          <Link href="/instructor" className="text-sm hover:underline">
            {t(lang, 'nav.instructor')}
          </Link>
        )}
        <div className="ml-auto flex items-center gap-3">
          <LangSwitch lang={lang} />
          {user === 'island' ? (
            <HeaderUser s={{ signIn: t(lang, 'common.signIn'), signOut: t(lang, 'common.signOut'), dashboard: t(lang, 'common.dashboard') }} />
          ) : user ? (
            <>
              <span className="text-sm text-slate-600 dark:text-slate-400" data-testid="user-name">
                {user.name}
              </span>
              <SignOutButton label={t(lang, 'common.signOut')} />
            </>
          ) : (
            <Link href="/login" className="rounded-md bg-blue-600 px-3 py-1 text-sm font-medium text-white hover:bg-blue-700">
              {t(lang, 'common.signIn')}
            </Link>
          )}
        </div>
      </nav>
    </header>
  );
}
