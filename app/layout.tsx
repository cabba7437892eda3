import type { Metadata } from 'next';
import '@fontsource-variable/noto-sans-kr';
import './globals.css';
import { SiteHeader } from '@/components/site-header';
import { currentLang } from '@/lib/lang';
import { currentUser } from '@/lib/auth/session';

export const metadata: Metadata = {
  title: { default: 'DevOps 10-Week Roadmap', template: '%s · DevOps Roadmap' },
  description: 'A free, self-hostable DevOps course in Korean and English, with labs graded in a sandbox within seconds.',
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
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
