import type { RegradeSummary } from '@/lib/cohorts/regrade';

/** Before → after for one regrade batch: how many went up, down, stayed, and are still grading. */
export function RegradeTable({ sum, lang }: { sum: RegradeSummary; lang: 'ko' | 'en' }) {
  const ko = lang === 'ko';
  return (
    <>
      <h2 className="text-2xl font-semibold">{ko ? '재채점 결과' : 'Regrade: before and after'}</h2>
      <p className="my-3 text-sm" data-testid="regrade-summary" data-up={sum.up} data-down={sum.down} data-same={sum.same} data-pending={sum.pending}>
        {ko ? `올라감 ${sum.up} · 내려감 ${sum.down} · 같음 ${sum.same} · 채점 중 ${sum.pending}` : `${sum.up} up · ${sum.down} down · ${sum.same} unchanged · ${sum.pending} still grading`}
        {sum.pending > 0 && <span className="ml-2 text-slate-500">{ko ? '(새로 고치면 갱신됩니다)' : '(reload to update)'}</span>}
      </p>
      <table className="w-full text-sm">
        <thead>
          <tr className="text-left text-slate-500">
            <th className="py-1">{ko ? '학습자' : 'Learner'}</th>
            <th>{ko ? '실습' : 'Lab'}</th>
            <th>{ko ? '이전' : 'Before'}</th>
            <th>{ko ? '이후' : 'After'}</th>
          </tr>
        </thead>
        <tbody>
          {sum.rows.map((r) => (
            <tr key={r.submissionId} className="border-t border-slate-200 dark:border-slate-800">
              <td className="py-1">{r.learner}</td>
              <td>{r.labId}</td>
              <td>{r.before ?? '—'}</td>
              <td className={r.after !== null && r.before !== null ? (r.after > r.before ? 'text-emerald-700' : r.after < r.before ? 'text-red-700' : '') : 'text-slate-500'}>{r.after ?? r.status}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
