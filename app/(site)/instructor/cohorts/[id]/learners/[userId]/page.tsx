import type { Metadata } from 'next';
import { currentLang } from '@/lib/lang';
import { learnerTimeline, teachableCohort } from '@/lib/cohorts/gradebook';
import { getLab } from '@/lib/labs/registry';
import { CohortNav } from '../../cohort-nav';
import { instructorOr404 } from '../../load';

export const metadata: Metadata = { title: 'Learner' };

export default async function LearnerPage({ params }: { params: Promise<{ id: string; userId: string }> }) {
  const { id, userId } = await params;
  const lang = await currentLang();
  const [cohort, tl] = await instructorOr404(`/instructor/cohorts/${id}/learners/${userId}`, (u) => Promise.all([teachableCohort(u, id), learnerTimeline(u, id, userId)]));
  const ko = lang === 'ko';
  const fmt = (d: Date) => d.toLocaleString(ko ? 'ko-KR' : 'en-GB', { timeZone: 'Asia/Seoul', dateStyle: 'medium', timeStyle: 'short' });
  return (
    <div>
      <CohortNav id={id} name={cohort.name} lang={lang} here="gradebook" />
      <h2 className="text-2xl font-semibold">{tl.user.name}</h2>
      <p className="mb-4 text-sm text-slate-500">{tl.user.email}</p>
      <ol className="relative space-y-3 border-l border-slate-300 pl-4 dark:border-slate-700" data-testid="timeline">
        {tl.events.map((e, i) => (
          <li key={i} className="text-sm">
            <time className="block text-xs text-slate-500">{fmt(e.at)}</time>
            {e.kind === 'submission' ? (
              <span>
                {getLab(e.labId)?.manifest.title[lang] ?? e.labId}: {e.score === null ? e.status : `${e.score}/${e.max}`} {e.passed ? '✓' : ''} {e.late ? (ko ? '(지각)' : '(late)') : ''} {e.regrade ? (ko ? '(재채점)' : '(regrade)') : ''}
              </span>
            ) : (
              <span>
                {ko ? '레슨' : 'Lesson'} {e.week}/{e.slug}: {e.state}
              </span>
            )}
          </li>
        ))}
        {tl.events.length === 0 && <li className="text-sm text-slate-600">{ko ? '아직 활동이 없습니다.' : 'No activity yet.'}</li>}
      </ol>
    </div>
  );
}
