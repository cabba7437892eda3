import type { Metadata } from 'next';
import { currentLang } from '@/lib/lang';
import { listUsers } from '@/lib/admin/users';
import { AdminNav } from './admin-nav';
import { RoleSelect } from './role-select';
import { adminOr404 } from './guard';

export const metadata: Metadata = { title: 'Admin' };

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await adminOr404('/admin');
  const lang = await currentLang();
  const ko = lang === 'ko';
  const q = typeof (await searchParams).q === 'string' ? ((await searchParams).q as string) : '';
  const users = await listUsers(user, q);
  return (
    <div>
      <h1 className="mb-4 text-3xl font-bold">{ko ? '관리' : 'Admin'}</h1>
      <AdminNav here="users" ko={ko} />
      <form method="get" className="mb-4 flex gap-2 text-sm">
        <input name="q" defaultValue={q} maxLength={80} placeholder={ko ? '이름 또는 이메일' : 'Name or email'} className="rounded-md border border-slate-300 px-2 py-1 dark:border-slate-700 dark:bg-slate-900" />
        <button className="rounded-md border border-slate-300 px-3 py-1 dark:border-slate-700">{ko ? '찾기' : 'Search'}</button>
      </form>
      <table className="w-full text-sm" data-testid="users">
        <thead>
          <tr className="text-left text-slate-500">
            <th className="py-1">{ko ? '이름' : 'Name'}</th>
            <th>{ko ? '이메일' : 'Email'}</th>
            <th>{ko ? '제출' : 'Submissions'}</th>
            <th>{ko ? '역할' : 'Role'}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} className="border-t border-slate-200 dark:border-slate-800" data-email={u.email}>
              <td className="py-1">{u.name}</td>
              <td>{u.email}</td>
              <td>{u._count.submissions}</td>
              <td>
                <RoleSelect userId={u.id} role={u.role} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
