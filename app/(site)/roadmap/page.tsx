import Link from 'next/link';
import type { Metadata } from 'next';
import { currentLang } from '@/app/_server/lang';
import { currentUser } from '@/app/_server/session';
import { zoneOf } from '@/lib/time-zone';
import { dateLocale, t, weekLabel, type Lang, type PlainKey } from '@/lib/i18n';
import { getRoadmap, currentWeek, type NodeState, type LessonNodeState, type RoadmapNode } from '@/lib/progress/roadmap';
import { AlertIcon, CalendarIcon, FlaskIcon, LockIcon } from './icons';

export const metadata: Metadata = { title: 'Roadmap' };

const WEEK_LABEL: Record<NodeState, PlainKey> = {
  'not-started': 'roadmap.weekNotStarted',
  learning: 'roadmap.weekLearning',
  done: 'roadmap.weekDone',
  'lab-passed': 'roadmap.weekLabPassed',
  skipped: 'roadmap.weekSkipped',
};
const LESSON_LABEL: Record<LessonNodeState, PlainKey> = {
  'not-started': 'roadmap.lessonNotStarted',
  learning: 'roadmap.lessonLearning',
  done: 'roadmap.lessonDone',
  skipped: 'roadmap.lessonSkipped',
};
/** Marker, ring and text colours per state; every state also has a symbol and a word. */
const MARK: Record<NodeState | 'locked', { icon: string; ring: string }> = {
  'not-started': { icon: '○', ring: 'border-slate-300 bg-white text-slate-500 dark:border-slate-600 dark:bg-slate-950 dark:text-slate-400' },
  learning: { icon: '◐', ring: 'border-blue-500 bg-blue-50 text-blue-700 dark:bg-blue-950 dark:text-blue-300' },
  done: { icon: '✓', ring: 'border-blue-600 bg-blue-600 text-white' },
  'lab-passed': { icon: '★', ring: 'border-emerald-700 bg-emerald-700 text-white' },
  skipped: { icon: '↷', ring: 'border-dashed border-slate-400 bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-300' },
  locked: { icon: '', ring: 'border-slate-300 bg-slate-100 text-slate-500 dark:border-slate-700 dark:bg-slate-900' },
};
const LESSON_MARK: Record<LessonNodeState, string> = {
  'not-started': 'border-slate-300 text-slate-400 dark:border-slate-600',
  learning: 'border-blue-500 bg-blue-50 text-blue-700 dark:bg-blue-950 dark:text-blue-300',
  done: 'border-blue-600 bg-blue-600 text-white',
  skipped: 'border-dashed border-slate-400 text-slate-500',
};
const LESSON_ICON: Record<LessonNodeState, string> = { 'not-started': '', learning: '◐', done: '✓', skipped: '↷' };

export default async function RoadmapPage() {
  const lang = await currentLang();
  const user = await currentUser();
  const nodes = await getRoadmap(user?.id ?? null);
  const labs = nodes.flatMap((n) => n.labs);
  const passed = labs.filter((l) => l.passed).length;
  const lessonsTotal = nodes.reduce((s, n) => s + n.lessonsTotal, 0);
  const lessonsDone = nodes.reduce((s, n) => s + n.lessonsDone, 0);
  // Lessons count once each, a passed lab counts as much as a week's lessons: the bar tracks verified work too.
  const overall = lessonsTotal + labs.length ? Math.round((100 * (lessonsDone + passed)) / (lessonsTotal + labs.length)) : 0;
  const here = user ? currentWeek(nodes).week : null;
  const fmt = (d: Date) => d.toLocaleDateString(dateLocale(lang), { timeZone: zoneOf(user), month: 'short', day: 'numeric' });

  return (
    <div className="mx-auto max-w-3xl space-y-8">
      <header className="space-y-4">
        <h1 className="text-3xl font-bold">{t(lang, 'common.roadmap')}</h1>
        {user ? (
          <div className="rounded-xl border border-slate-200 p-4 dark:border-slate-800" data-testid="roadmap-summary">
            <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
              <span className="font-medium">{t(lang, 'roadmap.overall', { pct: overall })}</span>
              <span className="text-slate-600 dark:text-slate-400">
                {t(lang, 'roadmap.counts', { done: lessonsDone, total: lessonsTotal, passed, labs: labs.length })}
              </span>
            </div>
            <div
              className="mt-2 h-2.5 w-full rounded-full bg-slate-200 dark:bg-slate-800"
              role="progressbar"
              aria-label={t(lang, 'roadmap.overallLabel')}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={overall}
            >
              <div className="h-2.5 rounded-full bg-gradient-to-r from-blue-600 to-emerald-600" style={{ width: `${overall}%` }} />
            </div>
          </div>
        ) : (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            <Link href="/login?callbackUrl=/roadmap" className="text-blue-700 underline dark:text-blue-400">
              {t(lang, 'common.signIn')}
            </Link>{' '}
            {t(lang, 'roadmap.signInToKeep')}
          </p>
        )}
        <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600 dark:text-slate-400" aria-label={t(lang, 'roadmap.legend')}>
          {(['not-started', 'learning', 'done', 'lab-passed', 'skipped'] as const).map((s) => (
            <li key={s} className="flex items-center gap-1">
              <span className={`inline-flex h-4 w-4 items-center justify-center rounded-full border-2 text-[9px] ${MARK[s].ring}`} aria-hidden>
                {MARK[s].icon}
              </span>
              {t(lang, WEEK_LABEL[s])}
            </li>
          ))}
          <li className="flex items-center gap-1">
            <LockIcon className="h-3.5 w-3.5 text-slate-500" />
            {t(lang, 'roadmap.locked')}
          </li>
        </ul>
      </header>

      <ol className="relative" data-testid="roadmap">
        {nodes.map((n, i) => (
          <WeekNode key={n.week} n={n} lang={lang} last={i === nodes.length - 1} here={n.week === here} fmt={fmt} />
        ))}
      </ol>
    </div>
  );
}

function WeekNode({ n, lang, last, here, fmt }: { n: RoadmapNode; lang: Lang; last: boolean; here: boolean; fmt: (d: Date) => string }) {
  const mark = n.locked ? MARK.locked : MARK[n.state];
  const pct = n.lessonsTotal ? Math.round((100 * n.lessonsDone) / n.lessonsTotal) : 0;
  const schedule = n.locked ? 'locked' : n.overdue ? 'overdue' : n.dueAt ? 'due' : null;
  return (
    <li className="relative flex gap-4 pb-6">
      {/* the path: a line joining the nodes, solid once a week's lab is passed */}
      {!last && (
        <span
          className={`absolute left-5 top-11 -ml-px h-[calc(100%-2.5rem)] w-0.5 ${n.labPassed ? 'bg-emerald-500' : 'bg-slate-200 dark:bg-slate-800'}`}
          aria-hidden
        />
      )}
      <span
        className={`relative z-10 mt-1 flex h-10 w-10 shrink-0 items-center justify-center rounded-full border-2 text-sm font-bold ${mark.ring} ${here ? 'ring-4 ring-blue-200 dark:ring-blue-900' : ''}`}
        aria-hidden
      >
        {n.locked ? <LockIcon className="h-4 w-4" /> : n.state === 'not-started' || n.state === 'learning' ? n.week : mark.icon}
      </span>
      <section
        className={`min-w-0 flex-1 rounded-xl border p-4 shadow-sm ${n.locked ? 'border-dashed border-slate-300 bg-slate-50 dark:border-slate-700 dark:bg-slate-900/40' : here ? 'border-blue-400 dark:border-blue-700' : 'border-slate-200 dark:border-slate-800'}`}
        data-week={n.week}
        data-state={n.state}
        aria-labelledby={`week-${n.week}`}
      >
        <div className="flex flex-wrap items-center justify-between gap-2">
          <span className="text-xs font-semibold uppercase tracking-wide text-slate-500">
            {weekLabel(lang, n.week)}
            {here && (
              <span className="ml-2 rounded-full bg-blue-600 px-2 py-0.5 text-[10px] normal-case tracking-normal text-white">
                {t(lang, 'roadmap.youAreHere')}
              </span>
            )}
          </span>
          <span className="flex flex-wrap gap-1.5 text-xs font-medium">
            <span
              className={`rounded-full px-2 py-0.5 ${n.state === 'lab-passed' ? 'bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-200' : n.state === 'learning' || n.state === 'done' ? 'bg-blue-100 text-blue-800 dark:bg-blue-900/50 dark:text-blue-200' : 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300'}`}
              data-testid="week-state"
            >
              {n.hasContent ? t(lang, WEEK_LABEL[n.state]) : t(lang, 'common.comingSoon')}
            </span>
            {schedule && (
              <span
                className={`rounded-full px-2 py-0.5 ${schedule === 'overdue' ? 'bg-red-100 text-red-800 dark:bg-red-900/50 dark:text-red-200' : schedule === 'locked' ? 'bg-slate-200 text-slate-700 dark:bg-slate-800 dark:text-slate-300' : 'bg-amber-100 text-amber-900 dark:bg-amber-900/50 dark:text-amber-200'}`}
                data-schedule={schedule}
              >
                {schedule === 'locked' ? (
                  <LockIcon className="mr-1 h-3 w-3" />
                ) : schedule === 'overdue' ? (
                  <AlertIcon className="mr-1 h-3 w-3" />
                ) : (
                  <CalendarIcon className="mr-1 h-3 w-3" />
                )}
                {schedule === 'locked'
                  ? t(lang, 'roadmap.opens', { date: fmt(n.opensAt!) })
                  : schedule === 'overdue'
                    ? t(lang, 'roadmap.overdue', { date: fmt(n.dueAt!) })
                    : `${t(lang, 'roadmap.due', { date: fmt(n.dueAt!) })}${n.extended ? t(lang, 'roadmap.extended') : ''}`}
              </span>
            )}
          </span>
        </div>
        <h2 id={`week-${n.week}`} className="mt-1 text-lg font-semibold">
          <Link href={`/weeks/${n.week}`} className="hover:underline">
            {n.title?.[lang] ?? weekLabel(lang, n.week)}
          </Link>
        </h2>
        {n.hasContent && (
          <>
            <div className="mt-2 flex items-center gap-2 text-xs text-slate-600 dark:text-slate-400">
              <div className="h-1.5 flex-1 rounded-full bg-slate-200 dark:bg-slate-800" aria-hidden>
                <div className="h-1.5 rounded-full bg-blue-600" style={{ width: `${pct}%` }} />
              </div>
              <span>
                {t(lang, 'common.lessons')} {n.lessonsDone}/{n.lessonsTotal}
              </span>
            </div>
            <ul className="mt-3 space-y-1" aria-label={t(lang, 'common.lessons')}>
              {n.lessons.map((l) => (
                <li key={l.slug} data-lesson={l.slug} data-lesson-state={l.state}>
                  <Link
                    href={`/weeks/${n.week}/${l.slug}`}
                    className="group flex items-center gap-2 rounded-md px-1 py-0.5 text-sm hover:bg-slate-50 dark:hover:bg-slate-900"
                  >
                    <span
                      className={`inline-flex h-5 w-5 shrink-0 items-center justify-center rounded-full border-2 text-[10px] font-bold ${LESSON_MARK[l.state]}`}
                      aria-hidden
                    >
                      {LESSON_ICON[l.state]}
                    </span>
                    <span className={`flex-1 group-hover:underline ${l.state === 'skipped' ? 'text-slate-500 line-through decoration-slate-400' : ''}`}>
                      {l.title[lang]}
                    </span>
                    <span className="text-xs text-slate-500">
                      {l.state === 'not-started' ? `${l.minutes} ${t(lang, 'common.minutes')}` : t(lang, LESSON_LABEL[l.state])}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          </>
        )}
        {n.labs.map((l) => (
          <Link
            key={l.id}
            href={`/labs/${l.id}`}
            className={`mt-3 flex flex-wrap items-center gap-2 rounded-lg border px-3 py-2 text-sm hover:shadow-sm ${l.passed ? 'border-emerald-300 bg-emerald-50 dark:border-emerald-800 dark:bg-emerald-950/30' : n.overdue ? 'border-red-300 bg-red-50 dark:border-red-900 dark:bg-red-950/30' : 'border-slate-200 dark:border-slate-800'}`}
            data-lab={l.id}
            data-lab-state={l.state}
          >
            <span
              className={`inline-flex h-5 w-5 shrink-0 items-center justify-center rounded text-[10px] font-bold ${l.passed ? 'bg-emerald-600 text-white' : l.state === 'attempted' ? 'border-2 border-amber-500 text-amber-700' : 'border-2 border-slate-300 text-slate-400'}`}
              aria-hidden
            >
              {l.passed ? '★' : <FlaskIcon className="h-3 w-3" />}
            </span>
            <span className="flex-1 font-medium">
              {l.purpose === 'troubleshoot' ? t(lang, 'common.troubleshootLab') : t(lang, 'common.lab')}: {l.title[lang]}
            </span>
            <span className="text-xs">
              {l.passed
                ? `${t(lang, 'roadmap.labPassed')} · ${l.best}/${l.max}`
                : l.state === 'attempted'
                  ? t(lang, 'roadmap.labAttempted', { best: l.best ?? '', max: l.max })
                  : t(lang, 'roadmap.labNotSubmitted', { max: l.max })}
            </span>
          </Link>
        ))}
      </section>
    </li>
  );
}
