import { notFound } from 'next/navigation';
import { SiteHeader } from '@/components/site-header';
import { isLang } from '@/lib/i18n';

/**
 * The root layout of the prerendered lessons. The proxy rewrites /weeks/<week>/<slug> to /lessons/<lang>/... from
 * the language cookie, so the language comes from the path and nothing here reads the request: every lesson is
 * built once at `next build` and served as a file. Who is signed in is filled in by a small client island.
 */
export default async function LessonsLayout({ children, params }: { children: React.ReactNode; params: Promise<{ lang: string }> }) {
  const { lang } = await params;
  if (!isLang(lang)) notFound();
  return (
    <html lang={lang} data-static="lesson">
      <body className="min-h-screen">
        <a href="#main" className="sr-only focus:not-sr-only">
          Skip to content
        </a>
        <SiteHeader lang={lang} user="island" />
        <main id="main" className="mx-auto max-w-6xl px-4 py-8">
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
