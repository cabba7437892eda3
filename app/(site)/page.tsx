import Link from 'next/link';
import { currentLang } from '@/app/_server/lang';
import { t, weekLabel } from '@/lib/i18n';
import { loadContent } from '@/lib/content/index';

export default async function Home() {
  const lang = await currentLang();
  const modules = loadContent();
  return (
    <div className="space-y-10">
      <section className="space-y-4 py-6">
        <h1 className="text-4xl font-bold tracking-tight">{t(lang, 'common.appName')}</h1>
        <p className="max-w-2xl text-lg text-slate-600 dark:text-slate-300">{t(lang, 'home.tagline')}</p>
        <div className="flex gap-3">
          <Link href="/roadmap" className="rounded-md bg-blue-600 px-4 py-2 font-medium text-white hover:bg-blue-700">
            {t(lang, 'common.startLearning')}
          </Link>
          <Link
            href="/login"
            className="rounded-md border border-slate-300 px-4 py-2 font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
          >
            {t(lang, 'common.signIn')}
          </Link>
        </div>
      </section>
      <section aria-labelledby="weeks">
        <h2 id="weeks" className="mb-4 text-2xl font-semibold">
          {t(lang, 'home.weeksAtAGlance')}
        </h2>
        <ol className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {modules.map((m) => (
            <li key={m.week}>
              <Link href={`/weeks/${m.week}`} className="block h-full rounded-lg border border-slate-200 p-4 hover:border-blue-500 dark:border-slate-800">
                <span className="text-xs font-semibold uppercase text-slate-500">{weekLabel(lang, m.week)}</span>
                <span className="mt-1 block font-medium">{m.meta.title[lang]}</span>
                <span className="mt-1 block text-sm text-slate-600 dark:text-slate-400">{m.meta.summary[lang]}</span>
              </Link>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
