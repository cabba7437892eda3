import { notFound } from 'next/navigation';
import { SiteHeader } from '@/components/site-header';
import { isLang, t } from '@/lib/i18n';
import { THEME_SCRIPT } from '@/lib/theme';

/**
 * The root layout of the prerendered lessons. The proxy rewrites /weeks/<week>/<slug> to /lessons/<lang>/... from
 * the language cookie, so the language comes from the path and nothing here reads the request: every lesson is
 * built once at `next build` and served as a file. Who is signed in is filled in by a small client island; the
 * colour scheme by a one-line script in <head> that reads the `theme` cookie before the first paint.
 */
export default async function LessonsLayout({ children, params }: { children: React.ReactNode; params: Promise<{ lang: string }> }) {
  const { lang } = await params;
  if (!isLang(lang)) notFound();
  return (
    <html lang={lang} data-static="lesson" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body className="min-h-screen">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 dark:focus:bg-slate-900"
        >
          {t(lang, 'a11y.skipToContent')}
        </a>
        <SiteHeader lang={lang} user="island" />
        <main id="main" className="mx-auto max-w-6xl px-4 py-6 sm:py-8">
          {children}
        </main>
      </body>
    </html>
  );
}

export function generateStaticParams() {
  return [{ lang: 'ko' }, { lang: 'en' }];
}

export const dynamicParams = false;
