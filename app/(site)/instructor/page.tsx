import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import type { Metadata } from 'next';
import { currentUser } from '@/app/_server/session';
import { currentLang } from '@/app/_server/lang';
import { listTeachingCohorts } from '@/lib/cohorts/gradebook';
import { CreateCohortForm } from './create-cohort-form';

export const metadata: Metadata = { title: 'Instructor' };

export default async function InstructorPage() {
  const user = await currentUser();
  if (!user) redirect('/login?callbackUrl=/instructor');
  if (user.role !== 'INSTRUCTOR' && user.role !== 'ADMIN') notFound();
  const lang = await currentLang();
  const cohorts = await listTeachingCohorts(user);
  const ko = lang === 'ko';
  return (
    <div className="space-y-8">
      <h1 className="text-3xl font-bold">{ko ? '내 코호트' : 'My cohorts'}</h1>
      <ul className="grid gap-3 sm:grid-cols-2" data-testid="cohorts">
        {cohorts.map((c) => (
          <li key={c.id} className="rounded-lg border border-slate-200 p-4 dark:border-slate-800">
            <Link href={`/instructor/cohorts/${c.id}`} className="text-lg font-semibold hover:underline">
              {c.name}
            </Link>
            <p className="text-sm text-slate-600 dark:text-slate-400">
              {c._count.members} {ko ? '명' : 'learners'} · {c.instructor.name}
            </p>
          </li>
        ))}
        {cohorts.length === 0 && <li className="text-slate-600">{ko ? '아직 코호트가 없습니다.' : 'No cohorts yet.'}</li>}
      </ul>
      <section>
        <h2 className="mb-2 text-xl font-semibold">{ko ? '새 코호트' : 'New cohort'}</h2>
        <CreateCohortForm lang={lang} />
      </section>
    </div>
  );
}
