import Link from 'next/link';
import { t, type Lang } from '@/lib/i18n';

export function AdminNav({ here, lang }: { here: 'users' | 'queue' | 'audit'; lang: Lang }) {
  const items = [
    { key: 'users', href: '/admin/users', label: t(lang, 'admin.users') },
    { key: 'queue', href: '/admin/queue', label: t(lang, 'admin.queue') },
    { key: 'audit', href: '/admin/audit', label: t(lang, 'admin.audit') },
  ];
  return (
    <nav className="mb-6 flex gap-2" aria-label="Admin">
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
  );
}
