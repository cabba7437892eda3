import Link from 'next/link';
import { redirect } from 'next/navigation';
import type { Metadata } from 'next';
import { currentLang } from '@/lib/lang';
import { currentUser } from '@/lib/auth/session';
import { t, weekLabel } from '@/lib/i18n';
import { getDb } from '@/lib/db';
import { getRoadmap } from '@/lib/progress/roadmap';
import { loadContent } from '@/lib/content/index';
import { getLab } from '@/lib/labs/registry';
import { ChangePassword } from './change-password';

export const metadata: Metadata = { title: 'Dashboard' };

export default async function DashboardPage() {
  const user = await currentUser();
  if (!user) redirect('/login?callbackUrl=/dashboard');
  const lang = await currentLang();
  const db = getDb();
  const [nodes, recent, cohorts, groups] = await Promise.all([
    getRoadmap(user.id),
    db.submission.findMany({ where: { userId: user.id }, orderBy: { createdAt: 'desc' }, take: 10, include: { result: { select: { score: true, maxScore: true, gradable: true } } } }),
    db.cohortMember.findMany({ where: { userId: user.id }, include: { cohort: { select: { name: true } } } }),
    db.groupMember.findMany({ where: { userId: user.id }, include: { group: { select: { name: true } } } }),
  ]);
  const modules = loadContent();
  const current = nodes.find((n) => n.hasContent && n.state !== 'lab-passed' && n.state !== 'skipped') ?? nodes[0]!;
  const mod = modules.find((m) => m.week === current.week);
  return (
    <div className="space-y-8">
      <h1 className="text-3xl font-bold">{t(lang, 'dashboard')}</h1>
      <section className="rounded-lg border-2 border-blue-500 p-4">
        <h2 className="text-sm font-semibold uppercase text-slate-500">{t(lang, 'nextStep')}</h2>
        <p className="mt-1 text-lg font-medium">{mod?.meta.title[lang]}</p>
        <Link href={`/weeks/${current.week}`} className="mt-2 inline-block text-blue-700 underline dark:text-blue-400">
          {weekLabel(lang, current.week)} →
        </Link>
      </section>
      <section>
        <h2 className="mb-2 text-xl font-semibold">{t(lang, 'myLabs')}</h2>
        <ul className="grid gap-2 sm:grid-cols-2">
          {nodes
            .filter((n) => n.labId)
            .map((n) => (
              <li key={n.labId} className="rounded-md border border-slate-200 p-3 dark:border-slate-800">
                <Link href={`/labs/${n.labId}`} className="font-medium hover:underline">
                  {getLab(n.labId!)?.manifest.title[lang]}
                </Link>
                <p className="text-sm text-slate-600 dark:text-slate-400">
                  {n.labBest !== undefined ? `${n.labBest}/${n.labMax}` : '—'} {n.labPassed ? `· ✓ ${t(lang, 'passed')}` : ''}
                </p>
              </li>
            ))}
        </ul>
      </section>
      <section>
        <h2 className="mb-2 text-xl font-semibold">{t(lang, 'recent')}</h2>
        {recent.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">{t(lang, 'noSubmissions')}</p>
        ) : (
          <ul className="space-y-1 text-sm">
            {recent.map((r) => (
              <li key={r.id}>
                <Link href={`/labs/${r.labId}?s=${r.id}`} className="hover:underline">
                  {r.labId} · {t(lang, `status_${r.status}` as never)} {r.result?.gradable ? `· ${r.result.score}/${r.result.maxScore}` : ''}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="grid gap-4 sm:grid-cols-2">
        <div>
          <h2 className="mb-2 font-semibold">{lang === 'ko' ? '내 코호트' : 'My cohorts'}</h2>
          <ul className="text-sm">{cohorts.map((c) => <li key={c.cohortId}>{c.cohort.name}</li>)}</ul>
        </div>
        <div>
          <h2 className="mb-2 font-semibold">{lang === 'ko' ? '내 스터디 그룹' : 'My study groups'}</h2>
          <ul className="text-sm">{groups.map((g) => <li key={g.groupId}>{g.group.name}</li>)}</ul>
        </div>
      </section>
      <ChangePassword lang={lang} />
    </div>
  );
}
