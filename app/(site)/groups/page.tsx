import Link from 'next/link';
import { redirect } from 'next/navigation';
import type { Metadata } from 'next';
import { currentUser } from '@/lib/auth/session';
import { currentLang } from '@/lib/lang';
import { myGroups } from '@/lib/groups/groups';
import { CreateOrJoin } from './group-forms';

export const metadata: Metadata = { title: 'Study groups' };

export default async function GroupsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await currentUser();
  if (!user) redirect('/login?callbackUrl=/groups');
  const lang = await currentLang();
  const ko = lang === 'ko';
  const groups = await myGroups(user);
  const code = (await searchParams).code;
  return (
    <div className="space-y-8">
      <h1 className="text-3xl font-bold">{ko ? '스터디 그룹' : 'Study groups'}</h1>
      <ul className="grid gap-3 sm:grid-cols-2" data-testid="groups">
        {groups.map((m) => (
          <li key={m.groupId} className="rounded-lg border border-slate-200 p-4 dark:border-slate-800">
            <Link href={`/groups/${m.groupId}`} className="text-lg font-semibold hover:underline">
              {m.group.name}
            </Link>
            <p className="text-sm text-slate-600 dark:text-slate-400">
              {m.group._count.members} {ko ? '명' : 'members'}
            </p>
          </li>
        ))}
        {groups.length === 0 && <li className="text-slate-600">{ko ? '아직 그룹이 없습니다. 만들거나 초대 코드로 참여하세요.' : 'No group yet: create one or join with an invite code.'}</li>}
      </ul>
      <CreateOrJoin lang={lang} code={typeof code === 'string' && /^[A-Za-z0-9_-]{6,40}$/.test(code) ? code : ''} />
    </div>
  );
}
