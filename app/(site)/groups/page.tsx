import Link from 'next/link';
import { redirect } from 'next/navigation';
import type { Metadata } from 'next';
import { currentUser } from '@/app/_server/session';
import { currentLang } from '@/app/_server/lang';
import { cohortChoices, myGroups } from '@/lib/groups/groups';
import { CreateOrJoin } from './group-forms';

export const metadata: Metadata = { title: 'Study groups' };

export default async function GroupsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await currentUser();
  if (!user) redirect('/login?callbackUrl=/groups');
  const lang = await currentLang();
  const ko = lang === 'ko';
  const [groups, cohorts] = await Promise.all([myGroups(user), cohortChoices(user)]);
  const code = (await searchParams).code;
  const prefilled = typeof code === 'string' && /^[A-Za-z0-9_-]{6,40}$/.test(code) ? code : '';
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-3xl font-bold">{ko ? '스터디 그룹' : 'Study groups'}</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          {ko
            ? '함께 공부하는 사람들과 로드맵 진도를 나눕니다. 제출물·파일·피드백은 공유되지 않습니다.'
            : 'Share roadmap progress with the people you study with. Submissions, files and feedback are never shared.'}
        </p>
      </div>
      {prefilled && (
        <p className="rounded-lg border border-blue-300 bg-blue-50 p-3 text-sm dark:border-blue-800 dark:bg-blue-950/40" role="status">
          {ko ? '초대 코드가 채워졌습니다. "참여하기"를 눌러 그룹에 들어가세요.' : 'The invite code is filled in: press “Join” to enter the group.'}
        </p>
      )}
      <ul className="grid gap-3 sm:grid-cols-2" data-testid="groups">
        {groups.map((m) => (
          <li key={m.groupId}>
            <Link href={`/groups/${m.groupId}`} className="block rounded-xl border border-slate-200 p-4 hover:border-blue-400 hover:shadow-sm dark:border-slate-800">
              <span className="text-lg font-semibold">{m.group.name}</span>
              <span className="mt-1 flex flex-wrap gap-2 text-xs text-slate-600 dark:text-slate-400">
                <span>
                  {m.group._count.members} {ko ? '명' : m.group._count.members === 1 ? 'member' : 'members'}
                </span>
                <span>·</span>
                <span>{m.group.cohort ? `${ko ? '코호트 일정' : 'Cohort schedule'}: ${m.group.cohort.name}` : ko ? '우리만의 속도' : 'Own pace'}</span>
                {m.group.ownerId === user.id && <span className="rounded-full bg-slate-100 px-2 dark:bg-slate-800">{ko ? '그룹장' : 'owner'}</span>}
              </span>
            </Link>
          </li>
        ))}
        {groups.length === 0 && <li className="text-slate-600 dark:text-slate-400">{ko ? '아직 그룹이 없습니다. 만들거나 초대 코드로 참여하세요.' : 'No group yet: create one or join with an invite code.'}</li>}
      </ul>
      <CreateOrJoin lang={lang} code={prefilled} cohorts={cohorts} />
    </div>
  );
}
