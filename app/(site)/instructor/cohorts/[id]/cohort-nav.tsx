import Link from 'next/link';
import { t } from '@/lib/i18n';

export function CohortNav({ id, name, lang, here }: { id: string; name: string; lang: 'ko' | 'en'; here: 'overview' | 'gradebook' | 'analytics' }) {
  const items = [
    { key: 'overview', href: `/instructor/cohorts/${id}`, label: t(lang, 'instructor.overview') },
    { key: 'gradebook', href: `/instructor/cohorts/${id}/gradebook`, label: t(lang, 'instructor.gradebook') },
    { key: 'analytics', href: `/instructor/cohorts/${id}/analytics`, label: t(lang, 'instructor.analytics') },
  ];
  return (
    <div className="mb-6">
      <p className="text-sm text-slate-500">
        <Link href="/instructor" className="hover:underline">
          {t(lang, 'instructor.myCohorts')}
        </Link>
      </p>
      <h1 className="text-3xl font-bold">{name}</h1>
      <nav className="mt-3 flex gap-2" aria-label="Cohort">
        {items.map((i) => (
          <Link
            key={i.key}
            href={i.href}
            aria-current={i.key === here ? 'page' : undefined}
            className={`rounded-md px-3 py-1 text-sm ${i.key === here ? 'bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900' : 'border border-slate-300 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800'}`}
          >
            {i.label}
          </Link>
        ))}
      </nav>
    </div>
  );
}
