import { notFound, redirect } from 'next/navigation';
import type { Metadata } from 'next';
import { currentUser } from '@/lib/auth/session';
import { currentLang } from '@/lib/lang';
import { getDb } from '@/lib/db';
import { JoinCohortButton } from './join-button';

export const metadata: Metadata = { title: 'Join a cohort' };

/** Opening an invite link shows what you are joining; joining itself is a deliberate click (a server action). */
export default async function JoinCohortPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  if (!/^[A-Za-z0-9_-]{6,40}$/.test(code)) notFound();
  const user = await currentUser();
  if (!user) redirect(`/login?callbackUrl=${encodeURIComponent(`/join/cohort/${code}`)}`);
  const lang = await currentLang();
  const cohort = await getDb().cohort.findUnique({ where: { inviteCode: code }, select: { name: true, instructor: { select: { name: true } } } });
  if (!cohort) notFound();
  const ko = lang === 'ko';
  return (
    <div className="mx-auto max-w-md space-y-4 text-center">
      <h1 className="text-2xl font-bold">{ko ? '코호트에 참여하기' : 'Join a cohort'}</h1>
      <p>
        <strong>{cohort.name}</strong> · {cohort.instructor.name}
      </p>
      <JoinCohortButton code={code} label={ko ? '참여하기' : 'Join'} />
    </div>
  );
}
