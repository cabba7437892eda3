import type { Metadata } from 'next';
import { currentLang } from '@/lib/lang';
import { auditEntries } from '@/lib/admin/users';
import { AdminNav } from '../admin-nav';
import { adminOr404 } from '../guard';

export const metadata: Metadata = { title: 'Audit log' };

const ACTIONS = ['role.change', 'submission.regrade', 'lab.regrade', 'grade.override', 'cohort.member.add', 'cohort.member.remove', 'cohort.invite', 'cohort.export', 'group.member.remove', 'user.lockout'];

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await adminOr404('/admin/audit');
  const lang = await currentLang();
  const ko = lang === 'ko';
  const sp = await searchParams;
  const action = typeof sp.action === 'string' && ACTIONS.includes(sp.action) ? sp.action : undefined;
  const before = typeof sp.before === 'string' && !Number.isNaN(Date.parse(sp.before)) ? new Date(sp.before) : undefined;
  const rows = await auditEntries(user, { action, before, take: 100 });
  const last = rows.at(-1);
  return (
    <div>
      <h1 className="mb-4 text-3xl font-bold">{ko ? '관리' : 'Admin'}</h1>
      <AdminNav here="audit" ko={ko} />
      <form method="get" className="mb-4 flex gap-2 text-sm">
        <select name="action" defaultValue={action ?? ''} className="rounded-md border border-slate-300 px-2 py-1 dark:border-slate-700 dark:bg-slate-900">
          <option value="">{ko ? '모든 동작' : 'All actions'}</option>
          {ACTIONS.map((a) => (
            <option key={a}>{a}</option>
          ))}
        </select>
        <button className="rounded-md border border-slate-300 px-3 py-1 dark:border-slate-700">{ko ? '거르기' : 'Filter'}</button>
      </form>
      <table className="w-full text-sm" data-testid="audit">
        <thead>
          <tr className="text-left text-slate-500">
            <th className="py-1">{ko ? '시각' : 'When'}</th>
            <th>{ko ? '누가' : 'Who'}</th>
            <th>{ko ? '동작' : 'Action'}</th>
            <th>{ko ? '대상' : 'Target'}</th>
            <th>{ko ? '내용' : 'Detail'}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} className="border-t border-slate-200 align-top dark:border-slate-800" data-action={r.action}>
              <td className="py-1 whitespace-nowrap">{r.createdAt.toISOString().replace('T', ' ').slice(0, 19)}</td>
              <td>{r.actor?.email ?? (ko ? '(시스템)' : '(system)')}</td>
              <td className="font-mono text-xs">{r.action}</td>
              <td className="font-mono text-xs">
                {r.targetType} {r.targetId ?? ''}
              </td>
              <td className="font-mono text-xs">{r.detail ? JSON.stringify(r.detail).slice(0, 200) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {last && rows.length === 100 && (
        <a className="mt-4 inline-block text-blue-700 underline" href={`/admin/audit?${new URLSearchParams({ ...(action ? { action } : {}), before: last.createdAt.toISOString() })}`}>
          {ko ? '더 보기' : 'Older'}
        </a>
      )}
    </div>
  );
}
