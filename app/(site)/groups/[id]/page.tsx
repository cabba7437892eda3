import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import type { Metadata } from 'next';
import { currentUser } from '@/app/_server/session';
import { zoneOf } from '@/lib/time-zone';
import { currentLang } from '@/app/_server/lang';
import { isAppError } from '@/lib/errors';
import { cohortChoices, groupBoard } from '@/lib/groups/groups';
import { weekLabel } from '@/lib/i18n';
import { LockIcon } from '../../roadmap/icons';
import { CopyLink, MemberControls, PaceSelect, RemoveButton } from '../group-forms';

export const metadata: Metadata = { title: 'Study group' };

export default async function GroupPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await currentUser();
  if (!user) redirect(`/login?callbackUrl=/groups/${encodeURIComponent(id)}`);
  if (!/^[a-z0-9]{10,40}$/.test(id)) notFound();
  const lang = await currentLang();
  const ko = lang === 'ko';
  let board;
  try {
    // groupBoard checks membership next to the data: anyone else gets not_found.
    board = await groupBoard(user, id);
  } catch (e) {
    if (isAppError(e, 'not_found')) notFound();
    throw e;
  }
  const cohorts = board.me.owner ? await cohortChoices(user) : [];
  const now = new Date();
  const fmt = (d: Date) => d.toLocaleDateString(ko ? 'ko-KR' : 'en-GB', { timeZone: zoneOf(user), month: 'numeric', day: 'numeric' });
  const medal = ['bg-amber-400 text-amber-950', 'bg-slate-300 text-slate-900', 'bg-orange-300 text-orange-950'];
  return (
    <div className="space-y-8">
      <div className="space-y-3">
        <p className="text-sm">
          <Link href="/groups" className="text-slate-500 hover:underline">
            ← {ko ? '스터디 그룹' : 'Study groups'}
          </Link>
        </p>
        <h1 className="text-3xl font-bold">{board.group.name}</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="group-pace-label">
          {board.rows.length} {ko ? '명' : board.rows.length === 1 ? 'member' : 'members'} ·{' '}
          {board.group.cohort ? `${ko ? '코호트 일정을 따름' : 'Follows the cohort schedule of'} “${board.group.cohort.name}”` : ko ? '우리만의 속도로 진행' : 'Studies at its own pace'}
        </p>
        {board.group.inviteCode && (
          <div className="flex flex-wrap items-center gap-2 rounded-xl border border-slate-200 p-3 text-sm dark:border-slate-800">
            <span className="font-medium">{ko ? '초대 코드' : 'Invite code'}</span>
            <code className="rounded bg-slate-100 px-2 py-1 font-mono dark:bg-slate-900" data-testid="group-code">
              {board.group.inviteCode}
            </code>
            <CopyLink lang={lang} path={`/join/group/${board.group.inviteCode}`} />
            <span className="text-xs text-slate-500">{ko ? '코드나 링크를 함께할 사람에게 보내세요.' : 'Send the code or the link to the people you study with.'}</span>
          </div>
        )}
        <div className="flex flex-wrap items-center gap-4">
          <MemberControls lang={lang} groupId={id} onBoard={board.me.onLeaderboard} owner={board.me.owner} alone={board.rows.length === 1} />
          {board.me.owner && <PaceSelect lang={lang} groupId={id} cohortId={board.group.cohort?.id ?? null} cohorts={cohorts} />}
        </div>
      </div>

      <section>
        <h2 className="mb-1 text-xl font-semibold">{ko ? '진도 보드' : 'Progress board'}</h2>
        <p className="mb-3 text-xs text-slate-500">{ko ? '칸마다: 완료한 레슨 / 전체 레슨 · ★ 실습 통과 (채점 결과로 검증됨)' : 'Each cell: lessons done / lessons · ★ lab passed (verified by a graded result)'}</p>
        <div className="overflow-x-auto rounded-xl border border-slate-200 dark:border-slate-800">
          <table className="w-full border-collapse text-sm" data-testid="board">
            <thead className="bg-slate-50 dark:bg-slate-900">
              <tr className="text-left">
                <th scope="col" className="sticky left-0 bg-slate-50 p-2 dark:bg-slate-900">
                  {ko ? '멤버' : 'Member'}
                </th>
                {board.weeks.map((w) => {
                  const locked = w.unlockAt && w.unlockAt > now;
                  return (
                    <th key={w.week} scope="col" className="p-2 text-center font-medium" title={`${weekLabel(lang, w.week)}${w.title ? ` · ${w.title[lang]}` : ''}`}>
                      <span className="block">{w.week === 0 ? (ko ? '입문' : 'Intro') : `W${w.week}`}</span>
                      {w.dueAt && (
                        <span className={`block text-[10px] font-normal ${locked ? 'text-slate-400' : w.dueAt < now ? 'text-red-600 dark:text-red-400' : 'text-amber-700 dark:text-amber-400'}`}>
                          {locked ? (
                            <>
                              <LockIcon className="mr-0.5 h-2.5 w-2.5" />
                              {fmt(w.unlockAt!)}
                            </>
                          ) : (
                            `${ko ? '마감' : 'due'} ${fmt(w.dueAt)}`
                          )}
                        </span>
                      )}
                    </th>
                  );
                })}
                <th scope="col" className="p-2 text-center" title={ko ? '완료한 레슨 · 통과한 실습' : 'Lessons done · labs passed'}>
                  {ko ? '레슨 · ★' : 'Lessons · ★'}
                </th>
              </tr>
            </thead>
            <tbody>
              {board.rows.map((r) => (
                <tr key={r.userId} className="border-t border-slate-200 dark:border-slate-800" data-member={r.name}>
                  <th scope="row" className="sticky left-0 whitespace-nowrap bg-white p-2 text-left font-medium dark:bg-slate-950">
                    {r.name}
                    {r.owner && <span className="ml-1 rounded-full bg-slate-100 px-1.5 text-[10px] font-normal dark:bg-slate-800">{ko ? '그룹장' : 'owner'}</span>}
                    {r.userId === user.id && <span className="ml-1 text-xs font-normal text-slate-500">({ko ? '나' : 'you'})</span>}
                    {board.me.owner && r.userId !== user.id && <RemoveButton lang={lang} groupId={id} userId={r.userId} />}
                  </th>
                  {r.weeks.map((w) => {
                    const full = w.of > 0 && w.done === w.of;
                    return (
                      <td key={w.week} className="p-1.5 text-center" data-week={w.week} data-done={w.done} data-lab-passed={w.labPassed}>
                        <span
                          className={`inline-flex min-w-12 items-center justify-center gap-0.5 rounded-md px-1.5 py-1 text-xs tabular-nums ${w.labPassed ? 'bg-emerald-600 font-semibold text-white' : full ? 'bg-blue-600 text-white' : w.done > 0 ? 'bg-blue-100 text-blue-900 dark:bg-blue-900/60 dark:text-blue-100' : 'bg-slate-100 text-slate-500 dark:bg-slate-900'}`}
                          aria-label={`${weekLabel(lang, w.week)}: ${ko ? `레슨 ${w.done}/${w.of}` : `${w.done} of ${w.of} lessons`}${w.hasLab ? (w.labPassed ? (ko ? ', 실습 통과' : ', lab passed') : ko ? ', 실습 미통과' : ', lab not passed') : ''}`}
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
        </div>
      </section>

      <section className="max-w-xl">
        <h2 className="mb-1 text-xl font-semibold">{ko ? '리더보드' : 'Leaderboard'}</h2>
        <p className="mb-3 text-xs text-slate-500">{ko ? '참여를 켠 멤버만 보입니다. 순서: 통과한 실습 수, 그다음 최고 점수 합계.' : 'Only members who opted in appear. Ranked by labs passed, then total best score.'}</p>
        {board.leaderboard.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">{ko ? '아직 아무도 참여하지 않았습니다.' : 'Nobody has opted in yet.'}</p>
        ) : (
          <ol className="divide-y divide-slate-200 rounded-xl border border-slate-200 dark:divide-slate-800 dark:border-slate-800" data-testid="leaderboard">
            {board.leaderboard.map((l, i) => (
              <li key={l.userId} className="flex items-center gap-3 px-3 py-2" data-user={l.userId}>
                <span className={`inline-flex h-7 w-7 items-center justify-center rounded-full text-sm font-bold ${medal[i] ?? 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200'}`}>{i + 1}</span>
                <span className="flex-1 font-medium">{l.name}</span>
                <span className="text-sm text-slate-600 dark:text-slate-400">
                  ★ {l.labsPassed} {ko ? '실습 통과' : l.labsPassed === 1 ? 'lab passed' : 'labs passed'} · {l.points} {ko ? '점' : 'pts'}
                </span>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
