import Link from 'next/link';
import { redirect } from 'next/navigation';
import type { Metadata } from 'next';
import { currentUser } from '@/app/_server/session';
import { currentLang } from '@/app/_server/lang';
import { cohortChoices, myGroups } from '@/lib/groups/groups';
import { messages, t } from '@/lib/i18n';
import { CreateOrJoin } from './group-forms';

export const metadata: Metadata = { title: 'Study groups' };

export default async function GroupsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await currentUser();
  if (!user) redirect('/login?callbackUrl=/groups');
  const lang = await currentLang();
  const [groups, cohorts] = await Promise.all([myGroups(user), cohortChoices(user)]);
  const code = (await searchParams).code;
  const prefilled = typeof code === 'string' && /^[A-Za-z0-9_-]{6,40}$/.test(code) ? code : '';
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-3xl font-bold">{t(lang, 'groups.title')}</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{t(lang, 'groups.intro')}</p>
      </div>
      {prefilled && (
        <p className="rounded-lg border border-blue-300 bg-blue-50 p-3 text-sm dark:border-blue-800 dark:bg-blue-950/40" role="status">
          {t(lang, 'groups.codeFilled')}
        </p>
      )}
      <ul className="grid gap-3 sm:grid-cols-2" data-testid="groups">
        {groups.map((m) => (
          <li key={m.groupId}>
            <Link
              href={`/groups/${m.groupId}`}
              className="block rounded-xl border border-slate-200 p-4 hover:border-blue-400 hover:shadow-sm dark:border-slate-800"
            >
              <span className="text-lg font-semibold">{m.group.name}</span>
              <span className="mt-1 flex flex-wrap gap-2 text-xs text-slate-600 dark:text-slate-400">
                <span>
                  {m.group._count.members} {t(lang, m.group._count.members === 1 ? 'groups.member' : 'groups.members')}
                </span>
                <span>·</span>
                <span>{m.group.cohort ? `${t(lang, 'groups.cohortSchedule')}: ${m.group.cohort.name}` : t(lang, 'groups.ownPace')}</span>
                {m.group.ownerId === user.id && <span className="rounded-full bg-slate-100 px-2 dark:bg-slate-800">{t(lang, 'groups.owner')}</span>}
              </span>
            </Link>
          </li>
        ))}
        {groups.length === 0 && <li className="text-slate-600 dark:text-slate-400">{t(lang, 'groups.none')}</li>}
      </ul>
      <CreateOrJoin m={messages(lang, 'groupForms')} code={prefilled} cohorts={cohorts} />
    </div>
  );
}
