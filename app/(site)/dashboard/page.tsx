import Link from 'next/link';
import { redirect } from 'next/navigation';
import type { Metadata } from 'next';
import { currentLang } from '@/app/_server/lang';
import { currentUser } from '@/app/_server/session';
import { zoneOf } from '@/lib/time-zone';
import { dateLocale, messages, t, weekLabel } from '@/lib/i18n';
import { getRoadmap, currentWeek, nextStep } from '@/lib/progress/roadmap';
import { learnerStreak } from '@/lib/progress/streak';
import { getLab } from '@/lib/labs/registry';
import { BookIcon, FlameIcon, FlaskIcon } from '../roadmap/icons';
import { ChangePassword } from './change-password';
import { TimeZoneForm } from './time-zone';
import { CohortInvites } from './cohort-invites';
import { myCohortInvites, myCohorts } from '@/lib/cohorts/manage';
import { myGroups } from '@/lib/groups/groups';
import { recentSubmissions } from '@/lib/submissions/queries';
import { ScrollTable } from '@/components/scroll-table';

export const metadata: Metadata = { title: 'Dashboard' };

export default async function DashboardPage() {
  const user = await currentUser();
  if (!user) redirect('/login?callbackUrl=/dashboard');
  const lang = await currentLang();
  // Only the signed-in user's own rows are read here.
  const [nodes, streak, recent, cohorts, groups, invites] = await Promise.all([
    getRoadmap(user.id),
    learnerStreak(user.id, new Date(), zoneOf(user)),
    recentSubmissions(user, 8),
    myCohorts(user),
    myGroups(user),
    myCohortInvites(user),
  ]);
  const here = currentWeek(nodes);
  const step = nextStep(here);
  const fmt = (d: Date) => d.toLocaleString(dateLocale(lang), { timeZone: zoneOf(user), month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  const labs = nodes.flatMap((n) => n.labs.map((l) => ({ week: n.week, ...l })));
  const card = 'rounded-xl border border-slate-200 p-4 dark:border-slate-800';

  return (
    <div className="space-y-8">
      <h1 className="text-3xl font-bold">{t(lang, 'common.dashboard')}</h1>
      {invites.length > 0 && (
        <CohortInvites
          m={messages(lang, 'invites')}
          invites={invites.map((i) => ({ cohortId: i.cohortId, name: i.name, instructor: i.instructor, invitedAt: fmt(i.invitedAt) }))}
        />
      )}

      <div className="grid gap-4 md:grid-cols-3">
        <section className={`${card} md:col-span-2 border-blue-300 dark:border-blue-800`} data-testid="current-week" data-week={here.week}>
          <h2 className="text-xs font-semibold uppercase tracking-wide text-slate-500">{t(lang, 'dashboard.currentWeek')}</h2>
          <p className="mt-1 text-lg font-semibold">
            <Link href={`/weeks/${here.week}`} className="hover:underline">
              {weekLabel(lang, here.week)} · {here.title?.[lang]}
            </Link>
          </p>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            {t(lang, 'common.lessons')} {here.lessonsDone}/{here.lessonsTotal}
            {here.labId &&
              ` · ${t(lang, 'common.lab')} ${here.labPassed ? t(lang, 'dashboard.labPassed') : here.labBest !== undefined ? `${here.labBest}/${here.labMax}` : '—'}`}
            {here.dueAt && ` · ${here.overdue ? t(lang, 'dashboard.overdue') : t(lang, 'dashboard.due')} ${fmt(here.dueAt)}`}
          </p>
          <div className="mt-4 rounded-lg bg-blue-50 p-3 dark:bg-blue-950/40" data-testid="next-step" data-kind={step.kind}>
            <h3 className="text-xs font-semibold uppercase tracking-wide text-blue-800 dark:text-blue-300">{t(lang, 'common.nextStep')}</h3>
            {step.kind === 'lesson' && (
              <Link href={`/weeks/${step.week}/${step.slug}`} className="mt-1 block font-medium text-blue-800 underline dark:text-blue-300">
                <BookIcon className="mr-1 h-4 w-4" />
                {step.title[lang]} →
              </Link>
            )}
            {step.kind === 'lab' && (
              <Link href={`/labs/${step.labId}`} className="mt-1 block font-medium text-blue-800 underline dark:text-blue-300">
                <FlaskIcon className="mr-1 h-4 w-4" />
                {t(lang, 'common.lab')}: {step.title[lang]} →
              </Link>
            )}
            {step.kind === 'none' && <p className="mt-1">{t(lang, 'dashboard.weekComplete')}</p>}
          </div>
        </section>
        <section className={card} data-testid="streak" data-days={streak.days}>
          <h2 className="text-xs font-semibold uppercase tracking-wide text-slate-500">{t(lang, 'dashboard.streak')}</h2>
          <p className="mt-1 flex items-center gap-1 text-4xl font-bold">
            {streak.days > 0 && <FlameIcon className="h-9 w-9" />}
            {streak.days}
            <span className="ml-1 text-base font-medium text-slate-600 dark:text-slate-400">
              {streak.days === 1 ? t(lang, 'dashboard.day') : t(lang, 'dashboard.days')}
            </span>
          </p>
          <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">
            {t(lang, streak.activeToday ? 'dashboard.activeToday' : streak.days > 0 ? 'dashboard.keepGoing' : 'dashboard.streakExplain')}
          </p>
          <p className="mt-1 text-[11px] text-slate-500" data-testid="streak-zone">
            {t(lang, 'dashboard.daysCountedIn')}: {zoneOf(user)}
          </p>
        </section>
      </div>

      <section>
        <h2 className="mb-2 text-xl font-semibold">{t(lang, 'common.myLabs')}</h2>
        <ScrollTable label={t(lang, 'common.myLabs')}>
          <table className="w-full text-sm [&_td]:pr-3 [&_th]:pr-3" data-testid="lab-scores">
            <thead>
              <tr className="text-left text-slate-500">
                <th className="py-1">{t(lang, 'dashboard.week')}</th>
                <th>{t(lang, 'common.lab')}</th>
                <th>{t(lang, 'dashboard.best')}</th>
                <th>{t(lang, 'dashboard.attempts')}</th>
                <th>{t(lang, 'dashboard.state')}</th>
              </tr>
            </thead>
            <tbody>
              {labs.map((l) => (
                <tr key={l.id} className="border-t border-slate-200 dark:border-slate-800" data-lab={l.id}>
                  <td className="py-1.5">{l.week}</td>
                  <td className="min-w-40">
                    <Link href={`/labs/${l.id}`} className="hover:underline">
                      {l.title[lang]}
                    </Link>
                  </td>
                  <td className="whitespace-nowrap">
                    {l.best !== undefined ? (
                      <span className="inline-flex items-center gap-2">
                        <span className="h-1.5 w-16 rounded-full bg-slate-200 dark:bg-slate-800" aria-hidden>
                          <span
                            className={`block h-1.5 rounded-full ${l.passed ? 'bg-emerald-600' : 'bg-amber-500'}`}
                            style={{ width: `${(100 * l.best) / (l.max || 1)}%` }}
                          />
                        </span>
                        {l.best}/{l.max}
                      </span>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td className="whitespace-nowrap">{l.attempts || '—'}</td>
                  <td className="whitespace-nowrap">
                    {l.passed ? (
                      <span className="font-medium text-emerald-700 dark:text-emerald-400">✓ {t(lang, 'common.passed')}</span>
                    ) : l.state === 'attempted' ? (
                      t(lang, 'dashboard.notPassedYet')
                    ) : (
                      t(lang, 'dashboard.notStarted')
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      </section>

      <section>
        <h2 className="mb-2 text-xl font-semibold">{t(lang, 'common.recent')}</h2>
        {recent.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">{t(lang, 'common.noSubmissions')}</p>
        ) : (
          <ul className="divide-y divide-slate-200 rounded-xl border border-slate-200 text-sm dark:divide-slate-800 dark:border-slate-800" data-testid="recent">
            {recent.map((r) => (
              <li key={r.id}>
                <Link href={`/labs/${r.labId}?s=${r.id}`} className="flex flex-wrap items-center gap-2 px-3 py-2 hover:bg-slate-50 dark:hover:bg-slate-900">
                  <span className="font-medium">{getLab(r.labId)?.manifest.title[lang] ?? r.labId}</span>
                  {r.number && <span className="text-slate-500">#{r.number}</span>}
                  <span className="text-slate-500">{fmt(r.createdAt)}</span>
                  <span className="ml-auto flex items-center gap-2">
                    {r.late && (
                      <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-800 dark:bg-amber-900/50 dark:text-amber-200">
                        {t(lang, 'dashboard.late')}
                      </span>
                    )}
                    <span>{t(lang, `status.${r.status}`)}</span>
                    {r.result?.gradable && (
                      <span className={r.result.passed ? 'font-medium text-emerald-700 dark:text-emerald-400' : ''}>
                        {r.result.score}/{r.result.maxScore}
                      </span>
                    )}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="grid gap-4 sm:grid-cols-2">
        <div className={card}>
          <h2 className="mb-2 font-semibold">{t(lang, 'dashboard.myCohorts')}</h2>
          {cohorts.length ? (
            <ul className="text-sm" data-testid="my-cohorts">
              {cohorts.map((c) => (
                <li key={c.cohortId}>{c.name}</li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-slate-600 dark:text-slate-400">{t(lang, 'dashboard.joinWithLink')}</p>
          )}
        </div>
        <div className={card}>
          <h2 className="mb-2 font-semibold">{t(lang, 'dashboard.myGroups')}</h2>
          {groups.length ? (
            <ul className="text-sm">
              {groups.map((g) => (
                <li key={g.groupId}>
                  <Link href={`/groups/${g.group.id}`} className="hover:underline">
                    {g.group.name}
                  </Link>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-slate-600 dark:text-slate-400">
              <Link href="/groups" className="text-blue-700 underline dark:text-blue-400">
                {t(lang, 'dashboard.createOrJoinGroup')}
              </Link>
            </p>
          )}
        </div>
      </section>
      <TimeZoneForm m={messages(lang, 'timeZone')} current={zoneOf(user)} />
      <ChangePassword m={messages(lang, 'password')} />
    </div>
  );
}
