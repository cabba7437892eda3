import Link from 'next/link';
import type { Metadata } from 'next';
import { currentLang } from '@/lib/lang';
import { currentUser } from '@/lib/auth/session';
import { t, weekLabel, type Lang } from '@/lib/i18n';
import { loadContent } from '@/lib/content/index';
import { getRoadmap, type NodeState } from '@/lib/progress/roadmap';

export const metadata: Metadata = { title: 'Roadmap' };

const STATE_LABEL: Record<NodeState, Record<Lang, string>> = {
  'not-started': { ko: '시작 전', en: 'Not started' },
  learning: { ko: '학습 중', en: 'Learning' },
  done: { ko: '레슨 완료', en: 'Lessons done' },
  'lab-passed': { ko: '실습 통과 (검증됨)', en: 'Lab passed (verified)' },
  skipped: { ko: '건너뜀', en: 'Skipped' },
};
const STATE_STYLE: Record<NodeState, string> = {
  'not-started': 'border-slate-300 dark:border-slate-700',
  learning: 'border-amber-500',
  done: 'border-blue-500',
  'lab-passed': 'border-emerald-600 bg-emerald-50 dark:bg-emerald-950/30',
  skipped: 'border-dashed border-slate-400',
};

export default async function RoadmapPage() {
  const lang = await currentLang();
  const user = await currentUser();
  const modules = loadContent();
  const nodes = await getRoadmap(user?.id ?? null);
  const passed = nodes.filter((n) => n.labPassed).length;
  const labs = nodes.filter((n) => n.labId).length;
  const fmt = (d: Date) => d.toLocaleDateString(lang === 'ko' ? 'ko-KR' : 'en-GB', { timeZone: 'Asia/Seoul', month: 'short', day: 'numeric' });
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">{t(lang, 'roadmap')}</h1>
      {user && (
        <div>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {lang === 'ko' ? `검증된 실습 ${passed} / ${labs}` : `Verified labs ${passed} / ${labs}`}
          </p>
          <div className="mt-1 h-2 w-full max-w-md rounded bg-slate-200 dark:bg-slate-800" role="progressbar" aria-valuemin={0} aria-valuemax={labs} aria-valuenow={passed}>
            <div className="h-2 rounded bg-emerald-600" style={{ width: `${labs ? (100 * passed) / labs : 0}%` }} />
          </div>
        </div>
      )}
      <ol className="relative space-y-4 border-l-2 border-slate-200 pl-6 dark:border-slate-800" data-testid="roadmap">
        {nodes.map((n) => {
          const m = modules.find((x) => x.week === n.week);
          return (
            <li key={n.week} className="relative">
              <span className="absolute -left-[33px] top-4 h-4 w-4 rounded-full border-2 border-white bg-slate-400 dark:border-slate-950" aria-hidden />
              <Link href={`/weeks/${n.week}`} className={`block rounded-lg border-2 p-4 hover:shadow ${STATE_STYLE[n.state]} ${n.locked ? 'opacity-60' : ''}`} data-week={n.week}>
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <span className="text-xs font-semibold uppercase text-slate-500">{weekLabel(lang, n.week)}</span>
                  <span className="text-xs font-medium">{n.hasContent ? STATE_LABEL[n.state][lang] : t(lang, 'comingSoon')}</span>
                </div>
                <p className="mt-1 font-medium">{m?.meta.title[lang] ?? weekLabel(lang, n.week)}</p>
                {(n.locked || n.dueAt) && (
                  <p className={`mt-1 text-xs font-medium ${n.overdue ? 'text-red-700 dark:text-red-400' : 'text-slate-500'}`} data-schedule={n.locked ? 'locked' : n.overdue ? 'overdue' : 'due'}>
                    {n.locked
                      ? `${lang === 'ko' ? '잠김 · 열리는 날' : 'Locked · opens'} ${fmt(n.opensAt!)}`
                      : `${n.overdue ? (lang === 'ko' ? '마감 지남' : 'Overdue') : lang === 'ko' ? '마감' : 'Due'} ${fmt(n.dueAt!)}`}
                  </p>
                )}
                {n.hasContent && (
                  <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
                    {t(lang, 'lessons')} {n.lessonsDone}/{n.lessonsTotal}
                    {n.labId && ` · ${t(lang, 'lab')} ${n.labBest !== undefined ? `${n.labBest}/${n.labMax}` : '—'}`}
                  </p>
                )}
              </Link>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
