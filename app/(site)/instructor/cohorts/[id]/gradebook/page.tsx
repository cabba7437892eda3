import Link from 'next/link';
import type { Metadata } from 'next';
import { currentLang } from '@/app/_server/lang';
import { gradebook } from '@/lib/cohorts/gradebook';
import { CohortNav } from '../cohort-nav';
import { instructorOr404 } from '../load';
import { t, type PlainKey } from '@/lib/i18n';
import { RegradeLabButton } from './regrade-button';
import { ScrollTable } from '@/components/scroll-table';

export const metadata: Metadata = { title: 'Gradebook' };

const STATUS = ['all', 'passed', 'failed', 'not-started', 'late'] as const;
type Status = (typeof STATUS)[number];
const STATUS_LABEL: Record<Status, PlainKey> = {
  all: 'gradebook.statusAll',
  passed: 'gradebook.statusPassed',
  failed: 'gradebook.statusFailed',
  'not-started': 'gradebook.statusNotStarted',
  late: 'gradebook.statusLate',
};

export default async function GradebookPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const sp = await searchParams;
  const lang = await currentLang();
  const [gb, isAdmin] = await instructorOr404(`/instructor/cohorts/${id}/gradebook`, async (u) => [await gradebook(u, id), u.role === 'ADMIN'] as const);
  const labFilter = typeof sp.lab === 'string' && gb.labs.some((l) => l.id === sp.lab) ? sp.lab : undefined;
  const status: Status = STATUS.includes(sp.status as Status) ? (sp.status as Status) : 'all';
  const q = typeof sp.q === 'string' ? sp.q.slice(0, 80).toLowerCase() : '';
  const labs = labFilter ? gb.labs.filter((l) => l.id === labFilter) : gb.labs;
  const rows = gb.rows.filter((r) => {
    if (q && !r.user.name.toLowerCase().includes(q) && !r.user.email.toLowerCase().includes(q)) return false;
    const cells = labs.map((l) => r.cells[l.id]!);
    if (status === 'passed') return cells.some((c) => c.passed);
    if (status === 'failed') return cells.some((c) => c.attempts > 0 && !c.passed);
    if (status === 'not-started') return cells.some((c) => c.attempts === 0);
    if (status === 'late') return cells.some((c) => c.lateAttempts > 0);
    return true;
  });
  return (
    <div>
      <CohortNav id={id} name={gb.cohort.name} lang={lang} here="gradebook" />
      <form className="mb-4 flex flex-wrap items-end gap-3 text-sm" method="get">
        <label className="min-w-0 max-w-full">
          <span className="block text-slate-500">{t(lang, 'gradebook.lab')}</span>
          <select
            name="lab"
            defaultValue={labFilter ?? ''}
            className="max-w-full rounded-md border border-slate-300 px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
          >
            <option value="">{t(lang, 'gradebook.allLabs')}</option>
            {gb.labs.map((l) => (
              <option key={l.id} value={l.id}>
                {l.week}. {l.title[lang]}
              </option>
            ))}
          </select>
        </label>
        <label className="min-w-0 max-w-full">
          <span className="block text-slate-500">{t(lang, 'gradebook.status')}</span>
          <select
            name="status"
            defaultValue={status}
            className="max-w-full rounded-md border border-slate-300 px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
          >
            {STATUS.map((s) => (
              <option key={s} value={s}>
                {t(lang, STATUS_LABEL[s])}
              </option>
            ))}
          </select>
        </label>
        <label className="min-w-0 max-w-full">
          <span className="block text-slate-500">{t(lang, 'gradebook.nameOrEmail')}</span>
          <input
            name="q"
            defaultValue={q}
            maxLength={80}
            className="max-w-full rounded-md border border-slate-300 px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
          />
        </label>
        <button className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">
          {t(lang, 'gradebook.apply')}
        </button>
        {labFilter && <RegradeLabButton cohortId={id} labId={labFilter} label={t(lang, 'gradebook.regradeLab')} />}
        {labFilter && isAdmin && <RegradeLabButton cohortId={id} labId={labFilter} everywhere label={t(lang, 'gradebook.regradeEveryone')} />}
        <a
          href={`/api/cohorts/${id}/gradebook.csv`}
          className="ml-auto rounded-md bg-blue-600 px-3 py-1 font-medium text-white hover:bg-blue-700"
          data-testid="csv"
        >
          {t(lang, 'gradebook.exportCsv')}
        </a>
      </form>
      <ScrollTable label={t(lang, 'instructor.gradebook')}>
        <table className="w-full border-collapse text-sm" data-testid="gradebook">
          <thead>
            <tr className="text-left">
              <th className="sticky left-0 bg-white p-2 dark:bg-slate-950">{t(lang, 'gradebook.learner')}</th>
              {labs.map((l) => (
                <th key={l.id} className="p-2 font-medium" title={l.title[lang]}>
                  W{l.week}
                  <span className="block whitespace-nowrap text-xs font-normal text-slate-600 dark:text-slate-400">
                    {t(lang, l.purpose === 'troubleshoot' ? 'gradebook.kindFix' : 'gradebook.kindBuild')}
                  </span>
                </th>
              ))}
              <th className="whitespace-nowrap p-2">{t(lang, 'gradebook.total')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.user.id} className="border-t border-slate-200 dark:border-slate-800" data-learner={r.user.email}>
                <td className="sticky left-0 bg-white p-2 dark:bg-slate-950">
                  <Link href={`/instructor/cohorts/${id}/learners/${r.user.id}`} className="font-medium hover:underline">
                    {r.user.name}
                  </Link>
                </td>
                {labs.map((l) => {
                  const c = r.cells[l.id]!;
                  return (
                    <td
                      key={l.id}
                      data-lab={l.id}
                      data-best={c.best ?? ''}
                      data-attempts={c.attempts}
                      data-passed={c.passed}
                      data-late={c.lateAttempts}
                      data-override={c.override?.score ?? ''}
                      className={`p-2 whitespace-nowrap ${c.passed ? 'bg-emerald-50 dark:bg-emerald-950' : c.attempts ? 'bg-amber-50 dark:bg-amber-950' : ''}`}
                    >
                      <Link
                        href={`/instructor/cohorts/${id}/learners/${r.user.id}#lab-${l.id}`}
                        className="hover:underline"
                        title={c.override ? `${t(lang, 'gradebook.override')}: ${c.override.reason}` : undefined}
                      >
                        {c.score === null ? '—' : `${c.score}/${c.max}`}
                        {c.override && <span className="ml-1 text-xs text-violet-700 dark:text-violet-300">{t(lang, 'gradebook.overrideMark')}</span>}
                      </Link>
                      <span className="block text-xs text-slate-500">
                        {c.attempts} {t(lang, c.attempts === 1 ? 'gradebook.try' : 'gradebook.tries')}
                        {c.passed ? ' · ✓' : ''}
                        {c.lateAttempts ? ` · ${t(lang, 'gradebook.late')}` : ''}
                      </span>
                    </td>
                  );
                })}
                <td className="p-2 font-semibold">{Math.round(r.total * 100) / 100}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && <p className="p-4 text-slate-600">{t(lang, 'gradebook.noMatch')}</p>}
      </ScrollTable>
    </div>
  );
}
