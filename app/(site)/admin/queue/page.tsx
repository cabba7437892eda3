import type { Metadata } from 'next';
import { currentLang } from '@/lib/lang';
import { queueOverview } from '@/lib/admin/users';
import { AdminNav } from '../admin-nav';
import { adminOr404 } from '../guard';

export const metadata: Metadata = { title: 'Grading queue' };
export const dynamic = 'force-dynamic';

export default async function QueuePage() {
  const user = await adminOr404('/admin/queue');
  const ko = (await currentLang()) === 'ko';
  const { counts, jobs } = await queueOverview(user);
  return (
    <div>
      <h1 className="mb-4 text-3xl font-bold">{ko ? '관리' : 'Admin'}</h1>
      <AdminNav here="queue" ko={ko} />
      <dl className="mb-6 grid grid-cols-3 gap-3 sm:grid-cols-6" data-testid="queue-counts">
        {Object.entries(counts).map(([k, v]) => (
          <div key={k} className="rounded-lg border border-slate-200 p-3 dark:border-slate-800" data-state={k} data-count={v}>
            <dt className="text-xs uppercase text-slate-500">{k}</dt>
            <dd className="text-2xl font-semibold">{v}</dd>
          </div>
        ))}
      </dl>
      <table className="w-full text-sm">
        <thead>
          <tr className="text-left text-slate-500">
            <th className="py-1">{ko ? '제출' : 'Submission'}</th>
            <th>{ko ? '상태' : 'State'}</th>
            <th>{ko ? '실습' : 'Lab'}</th>
            <th>{ko ? '학습자' : 'Learner'}</th>
            <th>{ko ? '시도' : 'Tries'}</th>
            <th>{ko ? '오류' : 'Error'}</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((j) => (
            <tr key={j.id} className="border-t border-slate-200 dark:border-slate-800">
              <td className="py-1 font-mono text-xs">{j.id}</td>
              <td>{j.state}</td>
              <td>{j.submission?.labId ?? '—'}</td>
              <td>{j.submission?.user.email ?? '—'}</td>
              <td>{j.attempts}</td>
              <td className="text-xs text-red-700">{j.failedReason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {jobs.length === 0 && <p className="text-slate-600">{ko ? '대기 중인 작업이 없습니다.' : 'Nothing waiting, running or failed.'}</p>}
    </div>
  );
}
