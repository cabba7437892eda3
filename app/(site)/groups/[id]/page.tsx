import { notFound, redirect } from 'next/navigation';
import type { Metadata } from 'next';
import { currentUser } from '@/lib/auth/session';
import { currentLang } from '@/lib/lang';
import { NotFound } from '@/lib/auth/actor';
import { groupBoard } from '@/lib/groups/groups';
import { weekLabel } from '@/lib/i18n';
import { MemberControls, RemoveButton } from '../group-forms';

export const metadata: Metadata = { title: 'Study group' };

export default async function GroupPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await currentUser();
  if (!user) redirect(`/login?callbackUrl=/groups/${id}`);
  const lang = await currentLang();
  const ko = lang === 'ko';
  let board;
  try {
    board = await groupBoard(user, id);
  } catch (e) {
    if (e instanceof NotFound) notFound();
    throw e;
  }
  const weeks = board.rows[0]?.weeks ?? [];
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-3xl font-bold">{board.group.name}</h1>
        {board.group.inviteCode && (
          <p className="mt-2 text-sm">
            {ko ? '초대 코드' : 'Invite code'}: <code className="rounded bg-slate-100 px-2 py-1 dark:bg-slate-900" data-testid="group-code">{board.group.inviteCode}</code>
          </p>
        )}
      </div>
      <MemberControls lang={lang} groupId={id} onBoard={board.me.onLeaderboard} owner={board.me.owner} />
      <section>
        <h2 className="mb-2 text-xl font-semibold">{ko ? '진도 보드' : 'Progress board'}</h2>
        <div className="overflow-x-auto">
          <table className="w-full text-sm" data-testid="board">
            <thead>
              <tr className="text-left">
                <th className="p-2">{ko ? '멤버' : 'Member'}</th>
                {weeks.map((w) => (
                  <th key={w.week} className="p-2 text-center font-medium" title={weekLabel(lang, w.week)}>
                    {w.week === 0 ? (ko ? '입문' : 'Intro') : `W${w.week}`}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {board.rows.map((r) => (
                <tr key={r.userId} className="border-t border-slate-200 dark:border-slate-800" data-member={r.name}>
                  <td className="p-2 font-medium">
                    {r.name} {board.me.owner && r.userId !== user.id && <RemoveButton lang={lang} groupId={id} userId={r.userId} />}
                  </td>
                  {r.weeks.map((w) => (
                    <td key={w.week} className="p-2 text-center" data-week={w.week} data-done={w.done} data-lab-passed={w.labPassed}>
                      <span className={`inline-block min-w-10 rounded px-1 ${w.labPassed ? 'bg-emerald-600 text-white' : w.done ? 'bg-blue-100 dark:bg-blue-900' : 'bg-slate-100 dark:bg-slate-900'}`}>
                        {w.done}/{w.of}
                        {w.labPassed ? ' ✓' : ''}
                      </span>
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="mt-1 text-xs text-slate-500">{ko ? '숫자: 완료한 레슨 / 전체 레슨 · ✓: 실습 통과' : 'Lessons done / lessons · ✓ lab passed'}</p>
      </section>
      <section>
        <h2 className="mb-2 text-xl font-semibold">{ko ? '리더보드 (참여한 멤버만)' : 'Leaderboard (members who opted in)'}</h2>
        <ol className="list-decimal space-y-1 pl-6" data-testid="leaderboard">
          {board.leaderboard.map((l) => (
            <li key={l.userId}>
              {l.name} — {l.labsPassed} {ko ? '개 실습 통과' : 'labs passed'} · {Math.round(l.points * 10) / 10} pts
            </li>
          ))}
        </ol>
        {board.leaderboard.length === 0 && <p className="text-sm text-slate-600">{ko ? '아직 아무도 참여하지 않았습니다.' : 'Nobody has opted in yet.'}</p>}
      </section>
    </div>
  );
}
