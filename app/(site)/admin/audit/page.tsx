import type { Metadata } from 'next';
import { currentLang } from '@/app/_server/lang';
import { auditActions, auditEntries } from '@/lib/admin/users';
import { AdminNav } from '../admin-nav';
import { adminOr404 } from '../guard';
import { t } from '@/lib/i18n';
import { ScrollTable } from '@/components/scroll-table';

export const metadata: Metadata = { title: 'Admin · Audit log' };

const PAGE = 50;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await adminOr404('/admin/audit');
  const lang = await currentLang();
  const sp = await searchParams;
  const actions = await auditActions(user);
  const action = typeof sp.action === 'string' && actions.includes(sp.action) ? sp.action : undefined;
  // Cursor: the last row of the previous page (time and id).
  const at = typeof sp.before === 'string' && !Number.isNaN(Date.parse(sp.before)) ? new Date(sp.before) : undefined;
  const id = typeof sp.id === 'string' && /^[a-z0-9]{10,40}$/.test(sp.id) ? sp.id : '';
  const rows = await auditEntries(user, { action, before: at ? { at, id } : undefined, take: PAGE });
  const last = rows.at(-1);
  return (
    <div>
      <h1 className="mb-4 text-3xl font-bold">{t(lang, 'admin.title')}</h1>
      <AdminNav here="audit" lang={lang} />
      <form method="get" action="/admin/audit" className="mb-4 flex flex-wrap items-center gap-2 text-sm">
        <label htmlFor="audit-action">{t(lang, 'admin.action')}</label>
        <select
          id="audit-action"
          name="action"
          defaultValue={action ?? ''}
          className="rounded-md border border-slate-300 px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
          data-testid="audit-filter"
        >
          <option value="">{t(lang, 'admin.allActions')}</option>
          {actions.map((a) => (
            <option key={a}>{a}</option>
          ))}
        </select>
        <button className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">
          {t(lang, 'admin.filter')}
        </button>
        {at && (
          <a href={`/admin/audit${action ? `?action=${encodeURIComponent(action)}` : ''}`} className="text-blue-700 underline dark:text-blue-400">
            {t(lang, 'admin.newest')}
          </a>
        )}
      </form>
      <ScrollTable label={t(lang, 'admin.audit')} className="rounded-xl border border-slate-200 dark:border-slate-800">
        <table className="w-full text-sm" data-testid="audit">
          <thead className="bg-slate-50 dark:bg-slate-900">
            <tr className="text-left text-slate-500">
              <th className="p-2">{t(lang, 'admin.when')}</th>
              <th className="p-2">{t(lang, 'admin.who')}</th>
              <th className="p-2">{t(lang, 'admin.action')}</th>
              <th className="p-2">{t(lang, 'admin.target')}</th>
              <th className="p-2">{t(lang, 'admin.detail')}</th>
              <th className="p-2">IP</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className="border-t border-slate-200 align-top dark:border-slate-800" data-action={r.action}>
                <td className="p-2 whitespace-nowrap">{r.createdAt.toISOString().replace('T', ' ').slice(0, 19)}</td>
                <td className="p-2">{r.actor?.email ?? t(lang, 'admin.system')}</td>
                <td className="p-2">
                  <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs dark:bg-slate-800">{r.action}</code>
                </td>
                <td className="p-2 font-mono text-xs">
                  {r.targetType} {r.targetId ?? ''}
                </td>
                <td className="max-w-md p-2 font-mono text-xs break-all">{r.detail ? JSON.stringify(r.detail).slice(0, 300) : ''}</td>
                <td className="p-2 font-mono text-xs">{r.ip ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
      {rows.length === 0 && <p className="mt-3 text-slate-600">{t(lang, 'admin.nothing')}</p>}
      {last && rows.length === PAGE && (
        <a
          className="mt-4 inline-block text-blue-700 underline dark:text-blue-400"
          data-testid="audit-older"
          href={`/admin/audit?${new URLSearchParams({ ...(action ? { action } : {}), before: last.createdAt.toISOString(), id: last.id })}`}
        >
          {t(lang, 'admin.older')} →
        </a>
      )}
    </div>
  );
}
