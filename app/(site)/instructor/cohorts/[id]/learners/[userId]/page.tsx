import type { Metadata } from 'next';
import { currentLang } from '@/app/_server/lang';
import { gradebook, learnerTimeline, teachableCohort } from '@/lib/cohorts/gradebook';
import { listExtensions } from '@/lib/cohorts/manage';
import { currentUser } from '@/app/_server/session';
import { toZonedInput, zoneLabel, zoneOf } from '@/lib/time-zone';
import { ExtensionForm, OverrideForm, RegradeSubmissionButton } from './learner-forms';
import { getLab } from '@/lib/labs/registry';
import { dateLocale, messages, t } from '@/lib/i18n';
import { CohortNav } from '../../cohort-nav';
import { instructorOr404 } from '../../load';
import { ScrollTable } from '@/components/scroll-table';

export const metadata: Metadata = { title: 'Learner' };

export default async function LearnerPage({ params }: { params: Promise<{ id: string; userId: string }> }) {
  const { id, userId } = await params;
  const lang = await currentLang();
  const [cohort, tl, gb, exts] = await instructorOr404(`/instructor/cohorts/${id}/learners/${userId}`, async (u) => {
    const tl = await learnerTimeline(u, id, userId); // not_found unless the learner is in a cohort the actor teaches
    return Promise.all([teachableCohort(u, id), tl, gradebook(u, id), listExtensions(u, id, userId)]);
  });
  const row = gb.rows.find((r) => r.user.id === userId);
  const forms = messages(lang, 'learnerForms');
  const zone = zoneOf(await currentUser());
  const fmt = (d: Date) => d.toLocaleString(dateLocale(lang), { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' });
  return (
    <div>
      <CohortNav id={id} name={cohort.name} lang={lang} here="gradebook" />
      <h2 className="text-2xl font-semibold">{tl.user.name}</h2>
      <p className="mb-4 text-sm text-slate-500">{tl.user.email}</p>
      <div className="mb-8 grid gap-8 lg:grid-cols-2">
        <section className="min-w-0">
          <h3 className="mb-2 text-lg font-semibold">{t(lang, 'learner.labScores')}</h3>
          <ScrollTable label={t(lang, 'learner.labScores')}>
            <table className="w-full text-sm" data-testid="learner-labs">
              <tbody>
                {gb.labs.map((l) => {
                  const c = row?.cells[l.id];
                  return (
                    <tr key={l.id} id={`lab-${l.id}`} className="border-t border-slate-200 align-top dark:border-slate-800">
                      <td className="py-2 pr-2">
                        W{l.week} <span className="text-slate-500">{l.title[lang]}</span>
                        <span className="block text-xs text-slate-500">
                          {t(lang, 'learner.gradedBest')} {c?.best ?? '—'}/{l.max} · {c?.attempts ?? 0} {t(lang, 'learner.tries')}
                          {c?.passed ? ' · ✓' : ''}
                          {c?.lateAttempts ? ` · ${t(lang, 'learner.late')} ${c.lateAttempts}` : ''}
                        </span>
                      </td>
                      <td className="py-2">
                        <OverrideForm
                          cohortId={id}
                          userId={userId}
                          labId={l.id}
                          score={c?.override?.score ?? null}
                          reason={c?.override?.reason ?? ''}
                          max={l.max}
                          m={forms}
                        />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </ScrollTable>
        </section>
        <section className="min-w-0">
          <h3 className="mb-2 text-lg font-semibold">
            {t(lang, 'learner.extensions')}{' '}
            <span className="text-sm font-normal text-slate-500">
              ({zone}, {zoneLabel(zone, lang)})
            </span>
          </h3>
          <ScrollTable label={t(lang, 'learner.extensions')}>
            <table className="w-full text-sm" data-testid="extensions">
              <tbody>
                {cohort.schedule.map((w) => {
                  const ext = exts.find((e) => e.week === w.week);
                  return (
                    <tr key={w.week} className="border-t border-slate-200 dark:border-slate-800" data-week={w.week} data-extended={!!ext}>
                      <td className="py-1 pr-2">
                        W{w.week} <span className="block text-xs text-slate-500">{toZonedInput(w.dueAt, zone).replace('T', ' ')}</span>
                      </td>
                      <td className="py-1">
                        <ExtensionForm cohortId={id} userId={userId} week={w.week} dueAt={ext ? toZonedInput(ext.dueAt, zone) : ''} m={forms} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </ScrollTable>
          {cohort.schedule.length === 0 && <p className="text-sm text-slate-600">{t(lang, 'learner.noSchedule')}</p>}
        </section>
      </div>
      <h3 className="mb-2 text-lg font-semibold">{t(lang, 'learner.timeline')}</h3>
      <ol className="relative space-y-3 border-l border-slate-300 pl-4 dark:border-slate-700" data-testid="timeline">
        {tl.events.map((e, i) => (
          <li key={i} className="text-sm">
            <time className="block text-xs text-slate-500">{fmt(e.at)}</time>
            {e.kind === 'submission' ? (
              <span>
                {getLab(e.labId)?.manifest.title[lang] ?? e.labId}: {e.score === null ? e.status : `${e.score}/${e.max}`} {e.passed ? '✓' : ''}{' '}
                {e.late ? t(lang, 'learner.lateMark') : ''} {e.regrade ? t(lang, 'learner.regradeMark') : ''}{' '}
                {!e.regrade && e.status === 'GRADED' && <RegradeSubmissionButton cohortId={id} submissionId={e.id} m={forms} />}
              </span>
            ) : (
              <span>
                {t(lang, 'learner.lesson')} {e.week}/{e.slug}: {e.state}
              </span>
            )}
          </li>
        ))}
        {tl.events.length === 0 && <li className="text-sm text-slate-600">{t(lang, 'learner.noActivity')}</li>}
      </ol>
    </div>
  );
}
