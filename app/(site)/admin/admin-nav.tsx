import Link from 'next/link';

export function AdminNav({ here, ko }: { here: 'users' | 'queue' | 'audit'; ko: boolean }) {
  const items = [
    { key: 'users', href: '/admin/users', label: ko ? '사용자' : 'Users' },
    { key: 'queue', href: '/admin/queue', label: ko ? '채점 대기열' : 'Grading queue' },
    { key: 'audit', href: '/admin/audit', label: ko ? '감사 로그' : 'Audit log' },
  ];
  return (
    <nav className="mb-6 flex gap-2" aria-label="Admin">
      {items.map((i) => (
        <Link key={i.key} href={i.href} aria-current={i.key === here ? 'page' : undefined} className={`rounded-md px-3 py-1 text-sm ${i.key === here ? 'bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900' : 'border border-slate-300 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800'}`}>
          {i.label}
        </Link>
      ))}
    </nav>
  );
}
