import type { Metadata } from 'next';
import { currentLang } from '@/app/_server/lang';
import { listUsers } from '@/lib/admin/users';
import { AdminNav } from '../admin-nav';
import { RoleSelect } from '../role-select';
import { adminOr404 } from '../guard';
import { t } from '@/lib/i18n';
import { ScrollTable } from '@/components/scroll-table';

export const metadata: Metadata = { title: 'Admin · Users' };

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await adminOr404('/admin/users');
  const lang = await currentLang();
  const sp = await searchParams;
  const q = typeof sp.q === 'string' ? sp.q.slice(0, 80) : '';
  const page = typeof sp.page === 'string' && /^\d{1,5}$/.test(sp.page) ? Number(sp.page) : 1;
  const users = await listUsers(user, q, page);
  const link = (p: number) => `/admin/users?${new URLSearchParams({ ...(q ? { q } : {}), page: String(p) })}`;
  const ROLE: Record<string, string> = {
    LEARNER: t(lang, 'admin.roleLearner'),
    INSTRUCTOR: t(lang, 'admin.roleInstructor'),
    ADMIN: t(lang, 'admin.roleAdmin'),
  };
  const roleStrings = { role: t(lang, 'admin.role'), confirmSelfDemote: t(lang, 'admin.confirmSelfDemote'), saved: t(lang, 'admin.saved') };
  return (
    <div>
      <h1 className="mb-4 text-3xl font-bold">{t(lang, 'admin.title')}</h1>
      <AdminNav here="users" lang={lang} />
      <form method="get" action="/admin/users" className="mb-4 flex flex-wrap items-center gap-2 text-sm" role="search">
        <label className="sr-only" htmlFor="user-q">
          {t(lang, 'admin.nameOrEmail')}
        </label>
        <input
          id="user-q"
          name="q"
          defaultValue={q}
          maxLength={80}
          placeholder={t(lang, 'admin.nameOrEmail')}
          className="w-64 rounded-md border border-slate-300 px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
        />
        <button className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">
          {t(lang, 'admin.search')}
        </button>
        <span className="text-slate-500">{t(lang, 'admin.userCount', { n: users.total })}</span>
      </form>
      <p className="mb-3 text-xs text-slate-500">{t(lang, 'admin.roleChangeNote')}</p>
      <ScrollTable label={t(lang, 'admin.users')} className="rounded-xl border border-slate-200 dark:border-slate-800">
        <table className="w-full text-sm" data-testid="users">
          <thead className="bg-slate-50 dark:bg-slate-900">
            <tr className="text-left text-slate-500">
              <th className="p-2">{t(lang, 'admin.name')}</th>
              <th className="p-2">{t(lang, 'admin.email')}</th>
              <th className="p-2">{t(lang, 'admin.joined')}</th>
              <th className="p-2">{t(lang, 'admin.submissions')}</th>
              <th className="p-2">{t(lang, 'admin.role')}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} className="border-t border-slate-200 dark:border-slate-800" data-email={u.email}>
                <td className="p-2">
                  {u.name}
                  {u.id === user.id && <span className="ml-1 text-xs text-slate-500">({t(lang, 'admin.you')})</span>}
                </td>
                <td className="p-2">{u.email}</td>
                <td className="p-2 whitespace-nowrap">{u.createdAt.toISOString().slice(0, 10)}</td>
                <td className="p-2">{u._count.submissions}</td>
                <td className="p-2">
                  <RoleSelect userId={u.id} role={u.role} labels={ROLE} self={u.id === user.id} s={roleStrings} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
      {users.length === 0 && <p className="mt-3 text-slate-600">{t(lang, 'admin.noUser')}</p>}
      {users.pages > 1 && (
        <nav className="mt-4 flex items-center gap-3 text-sm" aria-label={t(lang, 'admin.pages')}>
          {users.page > 1 && (
            <a href={link(users.page - 1)} className="text-blue-700 underline dark:text-blue-400">
              ← {t(lang, 'admin.previous')}
            </a>
          )}
          <span>
            {users.page} / {users.pages}
          </span>
          {users.page < users.pages && (
            <a href={link(users.page + 1)} className="text-blue-700 underline dark:text-blue-400">
              {t(lang, 'admin.next')} →
            </a>
          )}
        </nav>
      )}
    </div>
  );
}
