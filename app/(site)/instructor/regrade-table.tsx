import type { RegradeSummary } from '@/lib/cohorts/regrade';
import { t } from '@/lib/i18n';
import { ScrollTable } from '@/components/scroll-table';

/** Before → after for one regrade batch: how many went up, down, stayed, and are still grading. */
export function RegradeTable({ sum, lang }: { sum: RegradeSummary; lang: 'ko' | 'en' }) {
  return (
    <>
      <h2 className="text-2xl font-semibold">{t(lang, 'regrade.title')}</h2>
      <p className="my-3 text-sm" data-testid="regrade-summary" data-up={sum.up} data-down={sum.down} data-same={sum.same} data-pending={sum.pending}>
        {t(lang, 'regrade.summary', { up: sum.up, down: sum.down, same: sum.same, pending: sum.pending })}
        {sum.pending > 0 && <span className="ml-2 text-slate-500">{t(lang, 'regrade.reload')}</span>}
      </p>
      <ScrollTable label={t(lang, 'regrade.title')}>
        <table className="w-full text-sm">
          <thead>
            <tr className="text-left text-slate-500">
              <th className="py-1">{t(lang, 'regrade.learner')}</th>
              <th>{t(lang, 'regrade.lab')}</th>
              <th>{t(lang, 'regrade.before')}</th>
              <th>{t(lang, 'regrade.after')}</th>
            </tr>
          </thead>
          <tbody>
            {sum.rows.map((r) => (
              <tr key={r.submissionId} className="border-t border-slate-200 dark:border-slate-800">
                <td className="py-1">{r.learner}</td>
                <td>{r.labId}</td>
                <td>{r.before ?? '—'}</td>
                <td
                  className={
                    r.after !== null && r.before !== null
                      ? r.after > r.before
                        ? 'text-emerald-700'
                        : r.after < r.before
                          ? 'text-red-700'
                          : ''
                      : 'text-slate-500'
                  }
                >
                  {r.after ?? r.status}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
    </>
  );
}
