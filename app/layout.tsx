import type { Metadata } from 'next';
import '@fontsource-variable/noto-sans-kr';
import './fonts/course-emoji.css';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'DevOps 10-Week Roadmap', template: '%s · DevOps Roadmap' },
  description: 'A free, self-hostable DevOps course in Korean and English, with labs graded in a sandbox within seconds.',
};

/**
 * A pass-through root: the site's pages `(site)/layout.tsx` (per request: reads the language cookie and the session)
 * and the prerendered lessons `lessons/[lang]/layout.tsx` (static: language from the path the proxy rewrites to) each
 * render their own <html>, so a lesson is built once and served as a file.
 */
export default function RootLayout({ children }: { children: React.ReactNode }) {
  return children;
}
