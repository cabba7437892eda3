import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import type { Metadata } from 'next';
import { currentUser } from '@/app/_server/session';
import { currentLang } from '@/app/_server/lang';
import { cohortByInvite } from '@/lib/cohorts/gradebook';
import { t } from '@/lib/i18n';
import { JoinCohortButton } from './join-button';

export const metadata: Metadata = { title: 'Join a cohort' };

/** Opening an invite link shows what you are joining; joining itself is a deliberate click (a server action). */
export default async function JoinCohortPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  if (!/^[A-Za-z0-9_-]{6,40}$/.test(code)) notFound();
  const user = await currentUser();
  if (!user) redirect(`/login?callbackUrl=${encodeURIComponent(`/join/cohort/${code}`)}`);
  const lang = await currentLang();
  const cohort = await cohortByInvite(user, code);
  if (!cohort) notFound();
  const inAlready = cohort.member;
  return (
    <div className="mx-auto max-w-md space-y-4 text-center">
      <h1 className="text-2xl font-bold">{t(lang, 'join.title')}</h1>
      <p>
        <strong>{cohort.name}</strong> · {cohort.instructor}
      </p>
      {inAlready ? (
        <p data-testid="already-member">
          {t(lang, 'join.already')}{' '}
          <Link href="/dashboard" className="text-blue-700 underline dark:text-blue-400">
            {t(lang, 'join.toDashboard')}
          </Link>
        </p>
      ) : (
        <>
          <p className="text-sm text-slate-600 dark:text-slate-400">{t(lang, 'join.explain')}</p>
          <JoinCohortButton code={code} label={t(lang, 'join.join')} />
        </>
      )}
    </div>
  );
}
