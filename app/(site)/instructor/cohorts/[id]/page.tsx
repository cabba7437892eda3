import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { currentLang } from '@/app/_server/lang';
import { cohortOverview } from '@/lib/cohorts/manage';
import { currentUser } from '@/app/_server/session';
import { toZonedInput, zoneLabel, zoneOf } from '@/lib/time-zone';
import { CohortNav } from './cohort-nav';
import { instructorOr404 } from './load';
import { WebhookForm } from './webhook-form';
import { InviteEmailsForm, LatePolicyForm, RemoveMemberButton, RevokeInviteButton, RotateInviteButton, ScheduleEditor } from './manage-forms';

export const metadata: Metadata = { title: 'Cohort' };

export default async function CohortPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const lang = await currentLang();
  const { cohort, members, invites, deliveries, extensions } = await instructorOr404(`/instructor/cohorts/${id}`, (u) => cohortOverview(u, id));
  const h = await headers();
  const origin = `${h.get('x-forwarded-proto') ?? 'http'}://${h.get('host') ?? 'localhost'}`;
  const ko = lang === 'ko';
  // Dates are edited on the instructor's own clock (their time zone from the dashboard; Korea time until set).
  const zone = zoneOf(await currentUser());
  const zoneName = `${zone}, ${zoneLabel(zone, lang)}`;
  return (
    <div>
      <CohortNav id={id} name={cohort.name} lang={lang} here="overview" />
      <div className="grid gap-8 lg:grid-cols-2">
        <section>
          <h2 className="mb-2 text-xl font-semibold">{ko ? '초대 링크' : 'Invite link'}</h2>
          <p className="break-all rounded-md bg-slate-100 p-3 font-mono text-sm dark:bg-slate-900" data-testid="invite-link">
            {origin}/join/cohort/{cohort.inviteCode}
          </p>
          <div className="mt-2">
            <RotateInviteButton cohortId={id} lang={lang} />
          </div>
          <h2 className="mb-2 mt-6 text-xl font-semibold">{ko ? '이메일로 초대' : 'Invite by e-mail'}</h2>
          <p className="mb-2 text-sm text-slate-600 dark:text-slate-400">
            {ko
              ? '초대는 초대일 뿐입니다. 주소의 주인이 로그인(계정이 없으면 그 주소로 가입)한 뒤 대시보드에서 수락해야 참여합니다. 이메일은 보내지 않으니 직접 알려 주세요. 그때까지는 계정이 있든 없든 아래에 똑같이 초대됨으로 보입니다.'
              : 'An invite is only an invitation: its owner joins by accepting it on their dashboard after signing in (or signing up with this address). No e-mail is sent, so tell them. Until then every address shows below as invited, whether or not it has an account.'}
          </p>
          <InviteEmailsForm cohortId={id} lang={lang} />
          {invites.length > 0 && (
            <>
              <h3 className="mb-1 mt-4 font-semibold">
                {ko ? '초대됨 (수락 대기)' : 'Invited, not yet accepted'} ({invites.length})
              </h3>
              <ul className="divide-y divide-slate-200 text-sm dark:divide-slate-800" data-testid="invites">
                {invites.map((i) => (
                  <li key={i.email} className="flex items-center justify-between py-1" data-email={i.email}>
                    <span className="font-mono">{i.email}</span>
                    <RevokeInviteButton cohortId={id} email={i.email} lang={lang} />
                  </li>
                ))}
              </ul>
            </>
          )}
          <h2 className="mb-2 mt-6 text-xl font-semibold">
            {ko ? '학습자' : 'Learners'} ({members.length})
          </h2>
          <ul className="divide-y divide-slate-200 dark:divide-slate-800" data-testid="members">
            {members.map((m) => (
              <li key={m.userId} className="flex items-center justify-between gap-2 py-2 text-sm" data-email={m.user.email}>
                <a href={`/instructor/cohorts/${id}/learners/${m.userId}`} className="font-medium hover:underline">
                  {m.user.name}
                </a>
                <span className="ml-auto text-slate-500">{m.user.email}</span>
                <RemoveMemberButton cohortId={id} userId={m.userId} name={m.user.name} lang={lang} />
              </li>
            ))}
          </ul>
        </section>
        <section>
          <h2 className="mb-2 text-xl font-semibold">{ko ? '일정' : 'Schedule'}</h2>
          <ScheduleEditor cohortId={id} weeks={cohort.schedule.map((w) => ({ week: w.week, unlockAt: toZonedInput(w.unlockAt, zone), dueAt: toZonedInput(w.dueAt, zone) }))} zoneName={zoneName} lang={lang} />
          {cohort.schedule.length === 0 && <p className="text-sm text-slate-600">{ko ? '일정 없이 각자 속도로 진행합니다.' : 'No schedule: self-paced.'}</p>}
          <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
            {ko ? `개인별 마감 연장 ${extensions}건 (학습자 페이지에서 관리)` : `${extensions} per-learner extension(s) (set on each learner's page)`}
          </p>
          <h2 className="mb-2 mt-6 text-xl font-semibold">{ko ? '지각 규칙' : 'Late policy'}</h2>
          <p className="mb-2 text-sm text-slate-600 dark:text-slate-400">
            {ko
              ? `마감 뒤의 제출도 똑같이 채점·피드백하고, 성적표에서는 점수의 ${100 - cohort.latePenaltyPct}%로 셉니다.`
              : `Work after a due date is graded with full feedback; the gradebook counts ${100 - cohort.latePenaltyPct}% of its score.`}
          </p>
          <LatePolicyForm cohortId={id} pct={cohort.latePenaltyPct} lang={lang} />
          <h2 className="mb-2 mt-6 text-xl font-semibold">{ko ? '알림 (Slack·Discord 웹훅)' : 'Notifications (Slack or Discord webhook)'}</h2>
          <p className="mb-2 text-sm text-slate-600 dark:text-slate-400">
            {ko ? '실습 통과, 막힌 학습자, 다가오는 마감을 채널로 보냅니다.' : 'Lab passed, a learner stuck, a due date near: posted to your channel.'}
          </p>
          <WebhookForm cohortId={id} url={cohort.webhookUrl ?? ''} kind={cohort.webhookKind === 'discord' ? 'discord' : 'slack'} stuckAfter={cohort.stuckAfter} lang={lang} />
          {deliveries.length > 0 && (
            <ul className="mt-3 space-y-1 text-xs" data-testid="deliveries">
              {deliveries.map((d) => (
                <li key={d.id} className={d.error ? 'text-red-700' : 'text-slate-600'}>
                  {d.createdAt.toISOString().slice(0, 16).replace('T', ' ')} · {d.event} · {d.error ?? `HTTP ${d.status}`}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}
