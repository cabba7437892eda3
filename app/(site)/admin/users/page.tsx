import type { Metadata } from 'next';
import { currentLang } from '@/app/_server/lang';
import { listUsers } from '@/lib/admin/users';
import { AdminNav } from '../admin-nav';
import { RoleSelect } from '../role-select';
import { adminOr404 } from '../guard';

export const metadata: Metadata = { title: 'Admin · Users' };

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await adminOr404('/admin/users');
  const lang = await currentLang();
  const ko = lang === 'ko';
  const sp = await searchParams;
  const q = typeof sp.q === 'string' ? sp.q.slice(0, 80) : '';
  const page = typeof sp.page === 'string' && /^\d{1,5}$/.test(sp.page) ? Number(sp.page) : 1;
  const users = await listUsers(user, q, page);
  const link = (p: number) => `/admin/users?${new URLSearchParams({ ...(q ? { q } : {}), page: String(p) })}`;
  const ROLE: Record<string, string> = ko ? { LEARNER: '학습자', INSTRUCTOR: '강사', ADMIN: '관리자' } : { LEARNER: 'Learner', INSTRUCTOR: 'Instructor', ADMIN: 'Admin' };
  return (
    <div>
      <h1 className="mb-4 text-3xl font-bold">{ko ? '관리' : 'Admin'}</h1>
      <AdminNav here="users" ko={ko} />
      <form method="get" action="/admin/users" className="mb-4 flex flex-wrap items-center gap-2 text-sm" role="search">
        <label className="sr-only" htmlFor="user-q">
          {ko ? '이름 또는 이메일' : 'Name or email'}
        </label>
        <input id="user-q" name="q" defaultValue={q} maxLength={80} placeholder={ko ? '이름 또는 이메일' : 'Name or email'} className="w-64 rounded-md border border-slate-300 px-2 py-1 dark:border-slate-700 dark:bg-slate-900" />
        <button className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">{ko ? '찾기' : 'Search'}</button>
        <span className="text-slate-500">{ko ? `${users.total}명` : `${users.total} users`}</span>
      </form>
      <p className="mb-3 text-xs text-slate-500">
        {ko ? '역할을 바꾸면 감사 로그에 남고, 그 사용자의 세션이 끝나 새 역할로 다시 로그인합니다. 마지막 관리자는 강등할 수 없습니다.' : 'A role change is audited and ends that user’s sessions, so they sign in again with the new role. The last admin cannot be demoted.'}
      </p>
      <div className="overflow-x-auto rounded-xl border border-slate-200 dark:border-slate-800">
        <table className="w-full text-sm" data-testid="users">
          <thead className="bg-slate-50 dark:bg-slate-900">
            <tr className="text-left text-slate-500">
              <th className="p-2">{ko ? '이름' : 'Name'}</th>
              <th className="p-2">{ko ? '이메일' : 'Email'}</th>
              <th className="p-2">{ko ? '가입' : 'Joined'}</th>
              <th className="p-2">{ko ? '제출' : 'Submissions'}</th>
              <th className="p-2">{ko ? '역할' : 'Role'}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} className="border-t border-slate-200 dark:border-slate-800" data-email={u.email}>
                <td className="p-2">
                  {u.name}
                  {u.id === user.id && <span className="ml-1 text-xs text-slate-500">({ko ? '나' : 'you'})</span>}
                </td>
                <td className="p-2">{u.email}</td>
                <td className="p-2 whitespace-nowrap">{u.createdAt.toISOString().slice(0, 10)}</td>
                <td className="p-2">{u._count.submissions}</td>
                <td className="p-2">
                  <RoleSelect userId={u.id} role={u.role} labels={ROLE} self={u.id === user.id} ko={ko} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {users.length === 0 && <p className="mt-3 text-slate-600">{ko ? '찾는 사용자가 없습니다.' : 'No user matches.'}</p>}
      {users.pages > 1 && (
        <nav className="mt-4 flex items-center gap-3 text-sm" aria-label={ko ? '페이지' : 'Pages'}>
          {users.page > 1 && (
            <a href={link(users.page - 1)} className="text-blue-700 underline dark:text-blue-400">
              ← {ko ? '이전' : 'Previous'}
            </a>
          )}
          <span>
            {users.page} / {users.pages}
          </span>
          {users.page < users.pages && (
            <a href={link(users.page + 1)} className="text-blue-700 underline dark:text-blue-400">
              {ko ? '다음' : 'Next'} →
            </a>
          )}
        </nav>
      )}
    </div>
  );
}
