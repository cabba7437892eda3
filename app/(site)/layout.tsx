import { SiteHeader } from '@/components/site-header';
import { currentLang } from '@/app/_server/lang';
import { currentUser } from '@/app/_server/session';
import { currentTheme } from '@/app/_server/theme';
import { t } from '@/lib/i18n';
import { themeClass } from '@/lib/theme';

/**
 * The site's pages: the header knows the reader (language cookie, session), so these render per request. The colour
 * scheme is a class on <html> from the account or the cookie (none: the device's), so the first paint is right.
 */
export default async function SiteLayout({ children }: { children: React.ReactNode }) {
  const lang = await currentLang();
  const user = await currentUser();
  const theme = await currentTheme(user);
  return (
    <html lang={lang} className={themeClass(theme)} suppressHydrationWarning>
      <body className="min-h-screen">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 dark:focus:bg-slate-900"
        >
          {t(lang, 'a11y.skipToContent')}
        </a>
        <SiteHeader lang={lang} user={user} theme={theme} />
        <main id="main" className="mx-auto max-w-6xl px-4 py-6 sm:py-8">
          {children}
        </main>
      </body>
    </html>
  );
}
