import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import type { Metadata } from 'next';
import { currentUser } from '@/app/_server/session';
import { currentLang } from '@/app/_server/lang';
import { cohortByInvite } from '@/lib/cohorts/gradebook';
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
  const ko = lang === 'ko';
  return (
    <div className="mx-auto max-w-md space-y-4 text-center">
      <h1 className="text-2xl font-bold">{ko ? '코호트에 참여하기' : 'Join a cohort'}</h1>
      <p>
        <strong>{cohort.name}</strong> · {cohort.instructor}
      </p>
      {inAlready ? (
        <p data-testid="already-member">
          {ko ? '이미 이 코호트에 참여하고 있습니다.' : 'You are already in this cohort.'}{' '}
          <Link href="/dashboard" className="text-blue-700 hover:underline dark:text-blue-400">
            {ko ? '대시보드로' : 'Go to the dashboard'}
          </Link>
        </p>
      ) : (
        <>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {ko ? '참여하면 이 코호트의 일정(열림·마감)을 따르고, 강사가 실습 점수와 제출 기록을 봅니다.' : 'Joining puts you on this cohort’s schedule (opening and due dates), and its instructor sees your lab scores and submissions.'}
          </p>
          <JoinCohortButton code={code} label={ko ? '참여하기' : 'Join'} />
        </>
      )}
    </div>
  );
}
