import { SiteHeader } from '@/components/site-header';
import { currentLang } from '@/app/_server/lang';
import { currentUser } from '@/app/_server/session';

/** The site's pages: the header knows the reader (language cookie, session), so these render per request. */
export default async function SiteLayout({ children }: { children: React.ReactNode }) {
  const lang = await currentLang();
  const user = await currentUser();
  return (
    <html lang={lang}>
      <body className="min-h-screen">
        <a href="#main" className="sr-only focus:not-sr-only">
          Skip to content
        </a>
        <SiteHeader lang={lang} user={user} />
        <main id="main" className="mx-auto max-w-6xl px-4 py-8">
          {children}
        </main>
      </body>
    </html>
  );
}
