import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import type { Metadata } from 'next';
import { currentUser } from '@/app/_server/session';
import { currentLang } from '@/app/_server/lang';
import { listTeachingCohorts } from '@/lib/cohorts/gradebook';
import { messages, t } from '@/lib/i18n';
import { CreateCohortForm } from './create-cohort-form';

export const metadata: Metadata = { title: 'Instructor' };

export default async function InstructorPage() {
  const user = await currentUser();
  if (!user) redirect('/login?callbackUrl=/instructor');
  if (user.role !== 'INSTRUCTOR' && user.role !== 'ADMIN') notFound();
  const lang = await currentLang();
  const cohorts = await listTeachingCohorts(user);
  return (
    <div className="space-y-8">
      <h1 className="text-3xl font-bold">{t(lang, 'instructor.myCohorts')}</h1>
      <ul className="grid gap-3 sm:grid-cols-2" data-testid="cohorts">
        {cohorts.map((c) => (
          <li key={c.id} className="rounded-lg border border-slate-200 p-4 dark:border-slate-800">
            <Link href={`/instructor/cohorts/${c.id}`} className="text-lg font-semibold hover:underline">
              {c.name}
            </Link>
            <p className="text-sm text-slate-600 dark:text-slate-400">
              {c._count.members} {t(lang, 'instructor.learners')} · {c.instructor.name}
            </p>
          </li>
        ))}
        {cohorts.length === 0 && <li className="text-slate-600">{t(lang, 'instructor.noCohorts')}</li>}
      </ul>
      <section>
        <h2 className="mb-2 text-xl font-semibold">{t(lang, 'instructor.newCohort')}</h2>
        <CreateCohortForm m={messages(lang, 'createCohort')} />
      </section>
    </div>
  );
}
