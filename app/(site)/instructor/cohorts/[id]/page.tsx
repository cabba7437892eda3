import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { currentLang } from '@/lib/lang';
import { getDb } from '@/lib/db';
import { teachableCohort } from '@/lib/cohorts/gradebook';
import { weekLabel } from '@/lib/i18n';
import { CohortNav } from './cohort-nav';
import { instructorOr404 } from './load';
import { WebhookForm } from './webhook-form';

export const metadata: Metadata = { title: 'Cohort' };

export default async function CohortPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const lang = await currentLang();
  const cohort = await instructorOr404(`/instructor/cohorts/${id}`, (u) => teachableCohort(u, id));
  const deliveries = await getDb().webhookDelivery.findMany({ where: { cohortId: id }, orderBy: { createdAt: 'desc' }, take: 10 });
  const members = await getDb().cohortMember.findMany({ where: { cohortId: id }, include: { user: { select: { id: true, name: true, email: true } } }, orderBy: { joinedAt: 'asc' } });
  const h = await headers();
  const origin = `${h.get('x-forwarded-proto') ?? 'http'}://${h.get('host') ?? 'localhost'}`;
  const ko = lang === 'ko';
  const fmt = (d: Date) => d.toLocaleDateString(ko ? 'ko-KR' : 'en-GB', { timeZone: 'Asia/Seoul', month: 'short', day: 'numeric' });
  return (
    <div>
      <CohortNav id={id} name={cohort.name} lang={lang} here="overview" />
      <div className="grid gap-8 lg:grid-cols-2">
        <section>
          <h2 className="mb-2 text-xl font-semibold">{ko ? '초대 링크' : 'Invite link'}</h2>
          <p className="break-all rounded-md bg-slate-100 p-3 font-mono text-sm dark:bg-slate-900" data-testid="invite-link">
            {origin}/join/cohort/{cohort.inviteCode}
          </p>
          <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
            {ko ? `지각 제출은 ${cohort.latePenaltyPct}% 감점됩니다.` : `Late submissions count ${100 - cohort.latePenaltyPct}% of their score.`}
          </p>
          <h2 className="mb-2 mt-6 text-xl font-semibold">
            {ko ? '학습자' : 'Learners'} ({members.length})
          </h2>
          <ul className="divide-y divide-slate-200 dark:divide-slate-800" data-testid="members">
            {members.map((m) => (
              <li key={m.userId} className="flex justify-between py-2 text-sm">
                <a href={`/instructor/cohorts/${id}/learners/${m.userId}`} className="font-medium hover:underline">
                  {m.user.name}
                </a>
                <span className="text-slate-500">{m.user.email}</span>
              </li>
            ))}
          </ul>
        </section>
        <section>
          <h2 className="mb-2 text-xl font-semibold">{ko ? '일정' : 'Schedule'}</h2>
          <table className="w-full text-sm" data-testid="schedule">
            <thead>
              <tr className="text-left text-slate-500">
                <th className="py-1">{ko ? '주차' : 'Week'}</th>
                <th>{ko ? '열림' : 'Opens'}</th>
                <th>{ko ? '마감' : 'Due'}</th>
              </tr>
            </thead>
            <tbody>
              {cohort.schedule.map((w) => (
                <tr key={w.week} className="border-t border-slate-200 dark:border-slate-800">
                  <td className="py-1">{weekLabel(lang, w.week)}</td>
                  <td>{fmt(w.unlockAt)}</td>
                  <td>{fmt(w.dueAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {cohort.schedule.length === 0 && <p className="text-sm text-slate-600">{ko ? '일정 없이 각자 속도로 진행합니다.' : 'No schedule: self-paced.'}</p>}
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
