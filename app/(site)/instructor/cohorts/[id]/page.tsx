import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { currentLang } from '@/app/_server/lang';
import { cohortOverview } from '@/lib/cohorts/manage';
import { currentUser } from '@/app/_server/session';
import { toZonedInput, zoneLabel, zoneOf } from '@/lib/time-zone';
import { messages, t } from '@/lib/i18n';
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
  const forms = messages(lang, 'cohortForms');
  // Dates are edited on the instructor's own clock (their time zone from the dashboard; Korea time until set).
  const zone = zoneOf(await currentUser());
  const zoneName = `${zone}, ${zoneLabel(zone, lang)}`;
  return (
    <div>
      <CohortNav id={id} name={cohort.name} lang={lang} here="overview" />
      <div className="grid gap-8 lg:grid-cols-2">
        <section className="min-w-0">
          <h2 className="mb-2 text-xl font-semibold">{t(lang, 'cohort.inviteLink')}</h2>
          <p className="break-all rounded-md bg-slate-100 p-3 font-mono text-sm dark:bg-slate-900" data-testid="invite-link">
            {origin}/join/cohort/{cohort.inviteCode}
          </p>
          <div className="mt-2">
            <RotateInviteButton cohortId={id} m={forms} />
          </div>
          <h2 className="mb-2 mt-6 text-xl font-semibold">{t(lang, 'cohort.inviteByEmail')}</h2>
          <p className="mb-2 text-sm text-slate-600 dark:text-slate-400">{t(lang, 'cohort.inviteExplain')}</p>
          <InviteEmailsForm cohortId={id} m={forms} />
          {invites.length > 0 && (
            <>
              <h3 className="mb-1 mt-4 font-semibold">
                {t(lang, 'cohort.invitedPending')} ({invites.length})
              </h3>
              <ul className="divide-y divide-slate-200 text-sm dark:divide-slate-800" data-testid="invites">
                {invites.map((i) => (
                  <li key={i.email} className="flex items-center justify-between py-1" data-email={i.email}>
                    <span className="font-mono">{i.email}</span>
                    <RevokeInviteButton cohortId={id} email={i.email} m={forms} />
                  </li>
                ))}
              </ul>
            </>
          )}
          <h2 className="mb-2 mt-6 text-xl font-semibold">
            {t(lang, 'cohort.learners')} ({members.length})
          </h2>
          <ul className="divide-y divide-slate-200 dark:divide-slate-800" data-testid="members">
            {members.map((m) => (
              <li key={m.userId} className="flex items-center justify-between gap-2 py-2 text-sm" data-email={m.user.email}>
                <a href={`/instructor/cohorts/${id}/learners/${m.userId}`} className="font-medium hover:underline">
                  {m.user.name}
                </a>
                <span className="ml-auto text-slate-500">{m.user.email}</span>
                <RemoveMemberButton cohortId={id} userId={m.userId} name={m.user.name} m={forms} />
              </li>
            ))}
          </ul>
        </section>
        <section className="min-w-0">
          <h2 className="mb-2 text-xl font-semibold">{t(lang, 'cohort.schedule')}</h2>
          <ScheduleEditor
            cohortId={id}
            weeks={cohort.schedule.map((w) => ({ week: w.week, unlockAt: toZonedInput(w.unlockAt, zone), dueAt: toZonedInput(w.dueAt, zone) }))}
            zoneName={zoneName}
            m={forms}
          />
          {cohort.schedule.length === 0 && <p className="text-sm text-slate-600">{t(lang, 'cohort.selfPaced')}</p>}
          <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">{t(lang, 'cohort.extensions', { n: extensions })}</p>
          <h2 className="mb-2 mt-6 text-xl font-semibold">{t(lang, 'cohort.latePolicy')}</h2>
          <p className="mb-2 text-sm text-slate-600 dark:text-slate-400">{t(lang, 'cohort.latePolicyExplain', { pct: 100 - cohort.latePenaltyPct })}</p>
          <LatePolicyForm cohortId={id} pct={cohort.latePenaltyPct} m={forms} />
          <h2 className="mb-2 mt-6 text-xl font-semibold">{t(lang, 'cohort.notifications')}</h2>
          <p className="mb-2 text-sm text-slate-600 dark:text-slate-400">{t(lang, 'cohort.notificationsExplain')}</p>
          <WebhookForm
            cohortId={id}
            url={cohort.webhookUrl ?? ''}
            kind={cohort.webhookKind === 'discord' ? 'discord' : 'slack'}
            stuckAfter={cohort.stuckAfter}
            m={forms}
          />
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
