import Link from 'next/link';
import { notFound } from 'next/navigation';
import { currentLang } from '@/app/_server/lang';
import { currentUser } from '@/app/_server/session';
import { t, weekLabel } from '@/lib/i18n';
import { getModule, moduleLabs } from '@/lib/content/index';
import { getLab } from '@/lib/labs/registry';
import { weekProgress } from '@/lib/progress/roadmap';

export default async function WeekPage({ params }: { params: Promise<{ week: string }> }) {
  const { week: raw } = await params;
  const week = Number(raw);
  if (!/^\d{1,2}$/.test(raw) || week > 10) notFound();
  const lang = await currentLang();
  const mod = getModule(week);
  if (!mod) notFound();
  const user = await currentUser();
  const labs = moduleLabs(mod.meta).flatMap((id) => getLab(id) ?? []);
  const { lessons: progress, labs: labProgress } = await weekProgress(
    user,
    week,
    labs.map((l) => l.manifest.id),
  );
  return (
    <div className="space-y-8">
      <header>
        <p className="text-sm font-semibold uppercase text-slate-500">{weekLabel(lang, week)}</p>
        <h1 className="text-3xl font-bold">{mod.meta.title[lang]}</h1>
        <p className="mt-2 text-slate-600 dark:text-slate-300">{mod.meta.summary[lang]}</p>
      </header>
      <section>
        <h2 className="mb-2 text-xl font-semibold">{t(lang, 'common.goals')}</h2>
        <ul className="list-disc space-y-1 pl-6">
          {mod.meta.goals[lang].map((g) => (
            <li key={g}>{g}</li>
          ))}
        </ul>
      </section>
      <section>
        <h2 className="mb-2 text-xl font-semibold">{t(lang, 'common.lessons')}</h2>
        <ol className="space-y-2">
          {mod.lessons.map((l, i) => {
            const st = progress.find((p) => p.slug === l.slug)?.state;
            return (
              <li key={l.slug}>
                <Link
                  href={`/weeks/${week}/${l.slug}`}
                  className="flex items-center justify-between rounded-lg border border-slate-200 p-3 hover:border-blue-500 dark:border-slate-800"
                >
                  <span>
                    {i + 1}. {l.meta[lang].title}{' '}
                    <span className="text-sm text-slate-500">
                      · {l.meta[lang].minutes} {t(lang, 'common.minutes')}
                    </span>
                  </span>
                  {st && (
                    <span className="text-xs font-medium text-slate-600 dark:text-slate-400">
                      {st === 'DONE' ? '✓ ' : ''}
                      {st.toLowerCase()}
                    </span>
                  )}
                </Link>
              </li>
            );
          })}
        </ol>
      </section>
      {labs.map((lab) => {
        const p = labProgress.find((x) => x.labId === lab.manifest.id);
        const troubleshoot = lab.manifest.purpose === 'troubleshoot';
        return (
          <section
            key={lab.manifest.id}
            className={`rounded-lg border-2 p-4 ${troubleshoot ? 'border-amber-500' : 'border-blue-500'}`}
            data-lab={lab.manifest.id}
            data-purpose={lab.manifest.purpose}
          >
            <h2 className="text-xl font-semibold">
              {troubleshoot ? t(lang, 'common.troubleshootLab') : t(lang, 'common.lab')}: {lab.manifest.title[lang]}
            </h2>
            <p className="mt-1 text-slate-600 dark:text-slate-300">{lab.manifest.summary[lang]}</p>
            {p && (
              <p className="mt-1 text-sm">
                {t(lang, 'common.best')}: {p.bestScore}/{p.maxScore} {p.passed ? `· ${t(lang, 'common.passed')}` : ''}
              </p>
            )}
            <Link href={`/labs/${lab.manifest.id}`} className="mt-3 inline-block rounded-md bg-blue-600 px-3 py-1.5 text-white hover:bg-blue-700">
              {t(lang, 'common.viewLab')}
            </Link>
          </section>
        );
      })}
    </div>
  );
}
