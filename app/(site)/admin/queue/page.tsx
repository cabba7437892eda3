import type { Metadata } from 'next';
import { currentLang } from '@/app/_server/lang';
import { queueOverview } from '@/lib/admin/users';
import { AdminNav } from '../admin-nav';
import { adminOr404 } from '../guard';
import { t, type PlainKey } from '@/lib/i18n';
import { ScrollTable } from '@/components/scroll-table';

export const metadata: Metadata = { title: 'Admin · Grading queue' };
export const dynamic = 'force-dynamic';

const STATES: { key: string; label: PlainKey; tone: string }[] = [
  { key: 'waiting', label: 'admin.stateWaiting', tone: 'border-blue-300 dark:border-blue-800' },
  { key: 'prioritized', label: 'admin.statePrioritized', tone: 'border-blue-300 dark:border-blue-800' },
  { key: 'active', label: 'admin.stateActive', tone: 'border-emerald-400 dark:border-emerald-800' },
  { key: 'delayed', label: 'admin.stateDelayed', tone: 'border-amber-400 dark:border-amber-800' },
  { key: 'failed', label: 'admin.stateFailed', tone: 'border-red-400 dark:border-red-800' },
  { key: 'completed', label: 'admin.stateCompleted', tone: 'border-slate-200 dark:border-slate-800' },
];

export default async function QueuePage() {
  const user = await adminOr404('/admin/queue');
  const lang = await currentLang();
  const { counts, jobs, workers } = await queueOverview(user);
  const label = (k: string) => {
    const s = STATES.find((x) => x.key === k);
    return s ? t(lang, s.label) : k;
  };
  return (
    <div>
      <h1 className="mb-4 text-3xl font-bold">{t(lang, 'admin.title')}</h1>
      <AdminNav here="queue" lang={lang} />
      <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
        {t(lang, 'admin.queueNow')}
        {workers !== null && ` ${t(lang, 'admin.workers', { n: workers })}`}
      </p>
      <dl className="mb-6 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6" data-testid="queue-counts">
        {STATES.map((s) => (
          <div key={s.key} className={`rounded-xl border-2 p-3 ${s.tone}`} data-state={s.key} data-count={counts[s.key] ?? 0}>
            <dt className="text-xs font-medium text-slate-500">{label(s.key)}</dt>
            <dd className="text-2xl font-semibold tabular-nums">{counts[s.key] ?? 0}</dd>
          </div>
        ))}
      </dl>
      <h2 className="mb-2 text-xl font-semibold">{t(lang, 'admin.latestJobs')}</h2>
      {jobs.length > 0 && (
        <ScrollTable label={t(lang, 'admin.latestJobs')} className="rounded-xl border border-slate-200 dark:border-slate-800">
          <table className="w-full text-sm" data-testid="queue-jobs">
            <thead className="bg-slate-50 dark:bg-slate-900">
              <tr className="text-left text-slate-500">
                <th className="p-2">{t(lang, 'admin.jobId')}</th>
                <th className="p-2">{t(lang, 'admin.state')}</th>
                <th className="p-2">{t(lang, 'admin.lab')}</th>
                <th className="p-2">{t(lang, 'admin.learner')}</th>
                <th className="p-2">{t(lang, 'admin.added')}</th>
                <th className="p-2">{t(lang, 'admin.tries')}</th>
                <th className="p-2">{t(lang, 'admin.error')}</th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((j) => (
                <tr key={j.id} className="border-t border-slate-200 align-top dark:border-slate-800" data-job-state={j.state}>
                  <td className="p-2 font-mono text-xs">{j.id}</td>
                  <td className="p-2">
                    <span
                      className={`rounded-full px-2 py-0.5 text-xs font-medium ${j.state === 'failed' ? 'bg-red-100 text-red-800 dark:bg-red-900/50 dark:text-red-200' : j.state === 'active' ? 'bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-200' : j.state === 'completed' ? 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300' : 'bg-blue-100 text-blue-800 dark:bg-blue-900/50 dark:text-blue-200'}`}
                    >
                      {label(j.state)}
                    </span>
                  </td>
                  <td className="p-2">{j.submission?.labId ?? '—'}</td>
                  <td className="p-2">{j.submission?.user.email ?? '—'}</td>
                  <td className="p-2 whitespace-nowrap">{new Date(j.timestamp).toISOString().replace('T', ' ').slice(0, 19)}</td>
                  <td className="p-2">{j.attempts}</td>
                  <td className="p-2 text-xs text-red-700 dark:text-red-400">{j.failedReason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
      {jobs.length === 0 && <p className="mt-3 text-slate-600 dark:text-slate-400">{t(lang, 'admin.noJobs')}</p>}
    </div>
  );
}
