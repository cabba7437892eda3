import type { Metadata } from 'next';
import { currentLang } from '@/app/_server/lang';
import { analytics, teachableCohort } from '@/lib/cohorts/gradebook';
import { getLab } from '@/lib/labs/registry';
import { t } from '@/lib/i18n';
import { CohortNav } from '../cohort-nav';
import { instructorOr404 } from '../load';

export const metadata: Metadata = { title: 'Analytics' };

export default async function AnalyticsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const lang = await currentLang();
  const [cohort, rows] = await instructorOr404(`/instructor/cohorts/${id}/analytics`, (u) => Promise.all([teachableCohort(u, id), analytics(u, id)]));
  return (
    <div>
      <CohortNav id={id} name={cohort.name} lang={lang} here="analytics" />
      <p className="mb-4 text-sm text-slate-600 dark:text-slate-400">{t(lang, 'analytics.intro')}</p>
      <div className="grid gap-4 md:grid-cols-2" data-testid="analytics">
        {rows.map((a) => (
          <section
            key={a.labId}
            data-lab={a.labId}
            data-pass-rate={a.passRate}
            data-median-attempts={a.medianAttempts ?? ''}
            className="rounded-lg border border-slate-200 p-4 dark:border-slate-800"
          >
            <h2 className="font-semibold">
              W{a.week}. {getLab(a.labId)?.manifest.title[lang]}
            </h2>
            <div className="mt-2 h-2 overflow-hidden rounded bg-slate-200 dark:bg-slate-800" aria-hidden>
              <div className="h-2 bg-emerald-500" style={{ width: `${Math.round(a.passRate * 100)}%` }} />
            </div>
            <p className="mt-1 text-sm">
              {t(lang, 'analytics.passRate')} {Math.round(a.passRate * 100)}% ({a.passed}/{a.learners}) · {t(lang, 'analytics.started')} {a.started} ·{' '}
              {t(lang, 'analytics.medianAttempts')} {a.medianAttempts ?? '—'}
            </p>
            {a.failing.length > 0 && (
              <ol className="mt-2 list-decimal pl-5 text-sm">
                {a.failing.slice(0, 5).map((f) => (
                  <li key={f.id} data-check={f.id} data-learners={f.learners}>
                    {f.title[lang]} — {f.learners} {t(lang, f.learners === 1 ? 'analytics.learner' : 'analytics.learners')}
                  </li>
                ))}
              </ol>
            )}
          </section>
        ))}
      </div>
    </div>
  );
}
