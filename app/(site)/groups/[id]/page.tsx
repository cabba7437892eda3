import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import type { Metadata } from 'next';
import { currentUser } from '@/app/_server/session';
import { zoneOf } from '@/lib/time-zone';
import { currentLang } from '@/app/_server/lang';
import { isAppError } from '@/lib/errors';
import { cohortChoices, groupBoard } from '@/lib/groups/groups';
import { dateLocale, messages, t, weekLabel } from '@/lib/i18n';
import { LockIcon } from '../../roadmap/icons';
import { CopyLink, MemberControls, PaceSelect, RemoveButton } from '../group-forms';
import { ScrollTable } from '@/components/scroll-table';

export const metadata: Metadata = { title: 'Study group' };

export default async function GroupPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await currentUser();
  if (!user) redirect(`/login?callbackUrl=/groups/${encodeURIComponent(id)}`);
  if (!/^[a-z0-9]{10,40}$/.test(id)) notFound();
  const lang = await currentLang();
  let board;
  try {
    // groupBoard checks membership next to the data: anyone else gets not_found.
    board = await groupBoard(user, id);
  } catch (e) {
    if (isAppError(e, 'not_found')) notFound();
    throw e;
  }
  const cohorts = board.me.owner ? await cohortChoices(user) : [];
  const forms = messages(lang, 'groupForms');
  const now = new Date();
  const fmt = (d: Date) => d.toLocaleDateString(dateLocale(lang), { timeZone: zoneOf(user), month: 'numeric', day: 'numeric' });
  const medal = ['bg-amber-400 text-amber-950', 'bg-slate-300 text-slate-900', 'bg-orange-300 text-orange-950'];
  return (
    <div className="space-y-8">
      <div className="space-y-3">
        <p className="text-sm">
          <Link href="/groups" className="text-slate-500 hover:underline">
            ← {t(lang, 'groups.title')}
          </Link>
        </p>
        <h1 className="text-3xl font-bold">{board.group.name}</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="group-pace-label">
          {board.rows.length} {t(lang, board.rows.length === 1 ? 'groups.member' : 'groups.members')} ·{' '}
          {board.group.cohort ? `${t(lang, 'groups.followsCohort')} “${board.group.cohort.name}”` : t(lang, 'groups.studiesOwnPace')}
        </p>
        {board.group.inviteCode && (
          <div className="flex flex-wrap items-center gap-2 rounded-xl border border-slate-200 p-3 text-sm dark:border-slate-800">
            <span className="font-medium">{t(lang, 'groups.inviteCode')}</span>
            <code className="rounded bg-slate-100 px-2 py-1 font-mono dark:bg-slate-900" data-testid="group-code">
              {board.group.inviteCode}
            </code>
            <CopyLink m={forms} path={`/join/group/${board.group.inviteCode}`} />
            <span className="text-xs text-slate-500">{t(lang, 'groups.sendCode')}</span>
          </div>
        )}
        <div className="flex flex-wrap items-center gap-4">
          <MemberControls m={forms} groupId={id} onBoard={board.me.onLeaderboard} owner={board.me.owner} alone={board.rows.length === 1} />
          {board.me.owner && <PaceSelect m={forms} groupId={id} cohortId={board.group.cohort?.id ?? null} cohorts={cohorts} />}
        </div>
      </div>

      <section>
        <h2 className="mb-1 text-xl font-semibold">{t(lang, 'groups.board')}</h2>
        <p className="mb-3 text-xs text-slate-500">{t(lang, 'groups.boardHint')}</p>
        <ScrollTable label={t(lang, 'groups.board')} className="rounded-xl border border-slate-200 dark:border-slate-800">
          <table className="w-full border-collapse text-sm" data-testid="board">
            <thead className="bg-slate-50 dark:bg-slate-900">
              <tr className="text-left">
                <th scope="col" className="sticky left-0 bg-slate-50 p-2 dark:bg-slate-900">
                  {t(lang, 'groups.memberColumn')}
                </th>
                {board.weeks.map((w) => {
                  const locked = w.unlockAt && w.unlockAt > now;
                  return (
                    <th
                      key={w.week}
                      scope="col"
                      className="p-2 text-center font-medium"
                      title={`${weekLabel(lang, w.week)}${w.title ? ` · ${w.title[lang]}` : ''}`}
                    >
                      <span className="block">{w.week === 0 ? t(lang, 'groups.intro0') : `W${w.week}`}</span>
                      {w.dueAt && (
                        <span
                          className={`block text-[10px] font-normal ${locked ? 'text-slate-500' : w.dueAt < now ? 'text-red-600 dark:text-red-400' : 'text-amber-700 dark:text-amber-400'}`}
                        >
                          {locked ? (
                            <>
                              <LockIcon className="mr-0.5 h-2.5 w-2.5" />
                              {fmt(w.unlockAt!)}
                            </>
                          ) : (
                            `${t(lang, 'groups.due')} ${fmt(w.dueAt)}`
                          )}
                        </span>
                      )}
                    </th>
                  );
                })}
                <th scope="col" className="p-2 text-center" title={t(lang, 'groups.totalsTitle')}>
                  {t(lang, 'groups.totals')}
                </th>
              </tr>
            </thead>
            <tbody>
              {board.rows.map((r) => (
                <tr key={r.userId} className="border-t border-slate-200 dark:border-slate-800" data-member={r.name}>
                  <th scope="row" className="sticky left-0 whitespace-nowrap bg-white p-2 text-left font-medium dark:bg-slate-950">
                    {r.name}
                    {r.owner && (
                      <span className="ml-1 rounded-full bg-slate-100 px-1.5 text-[10px] font-normal dark:bg-slate-800">{t(lang, 'groups.owner')}</span>
                    )}
                    {r.userId === user.id && <span className="ml-1 text-xs font-normal text-slate-500">({t(lang, 'groups.you')})</span>}
                    {board.me.owner && r.userId !== user.id && <RemoveButton m={forms} groupId={id} userId={r.userId} />}
                  </th>
                  {r.weeks.map((w) => {
                    const full = w.of > 0 && w.done === w.of;
                    return (
                      <td key={w.week} className="p-1.5 text-center" data-week={w.week} data-done={w.done} data-lab-passed={w.labPassed}>
                        <span
                          className={`inline-flex min-w-12 items-center justify-center gap-0.5 rounded-md px-1.5 py-1 text-xs tabular-nums ${w.labPassed ? 'bg-emerald-700 font-semibold text-white' : full ? 'bg-blue-600 text-white' : w.done > 0 ? 'bg-blue-100 text-blue-900 dark:bg-blue-900/60 dark:text-blue-100' : 'bg-slate-100 text-slate-600 dark:bg-slate-900'}`}
                          aria-label={`${weekLabel(lang, w.week)}: ${t(lang, 'groups.cellLessons', { done: w.done, of: w.of })}${w.hasLab ? t(lang, w.labPassed ? 'groups.cellLabPassed' : 'groups.cellLabNotPassed') : ''}`}
                        >
                          {w.done}/{w.of}
                          {w.labPassed && <span aria-hidden> ★</span>}
                        </span>
                      </td>
                    );
                  })}
                  <td className="p-2 text-center text-xs whitespace-nowrap">
                    {r.lessonsDone} · ★{r.labsPassed}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      </section>

      <section className="max-w-xl">
        <h2 className="mb-1 text-xl font-semibold">{t(lang, 'groups.leaderboard')}</h2>
        <p className="mb-3 text-xs text-slate-500">{t(lang, 'groups.leaderboardHint')}</p>
        {board.leaderboard.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">{t(lang, 'groups.nobodyOptedIn')}</p>
        ) : (
          <ol className="divide-y divide-slate-200 rounded-xl border border-slate-200 dark:divide-slate-800 dark:border-slate-800" data-testid="leaderboard">
            {board.leaderboard.map((l, i) => (
              <li key={l.userId} className="flex items-center gap-3 px-3 py-2" data-user={l.userId}>
                <span
                  className={`inline-flex h-7 w-7 items-center justify-center rounded-full text-sm font-bold ${medal[i] ?? 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200'}`}
                >
                  {i + 1}
                </span>
                <span className="flex-1 font-medium">{l.name}</span>
                <span className="text-sm text-slate-600 dark:text-slate-400">
                  ★ {l.labsPassed} {t(lang, l.labsPassed === 1 ? 'groups.labPassed' : 'groups.labsPassed')} · {l.points} {t(lang, 'groups.points')}
                </span>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
