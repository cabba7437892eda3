import Link from 'next/link';

export function CohortNav({ id, name, lang, here }: { id: string; name: string; lang: 'ko' | 'en'; here: 'overview' | 'gradebook' | 'analytics' }) {
  const items = [
    { key: 'overview', href: `/instructor/cohorts/${id}`, label: lang === 'ko' ? '개요' : 'Overview' },
    { key: 'gradebook', href: `/instructor/cohorts/${id}/gradebook`, label: lang === 'ko' ? '성적표' : 'Gradebook' },
    { key: 'analytics', href: `/instructor/cohorts/${id}/analytics`, label: lang === 'ko' ? '분석' : 'Analytics' },
  ];
  return (
    <div className="mb-6">
      <p className="text-sm text-slate-500">
        <Link href="/instructor" className="hover:underline">
          {lang === 'ko' ? '내 코호트' : 'My cohorts'}
        </Link>
      </p>
      <h1 className="text-3xl font-bold">{name}</h1>
      <nav className="mt-3 flex gap-2" aria-label="Cohort">
        {items.map((i) => (
          <Link key={i.key} href={i.href} aria-current={i.key === here ? 'page' : undefined} className={`rounded-md px-3 py-1 text-sm ${i.key === here ? 'bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900' : 'border border-slate-300 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800'}`}>
            {i.label}
          </Link>
        ))}
      </nav>
    </div>
  );
}
