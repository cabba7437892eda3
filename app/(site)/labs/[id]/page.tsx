import path from 'node:path';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import type { Metadata } from 'next';
import { currentLang } from '@/lib/lang';
import { currentUser } from '@/lib/auth/session';
import { t, weekLabel } from '@/lib/i18n';
import { getLab, readFolderFiles } from '@/lib/labs/registry';
import { maxPoints } from '@/lib/labs/manifest';
import { listLabSubmissions, getSubmissionFiles } from '@/lib/submissions/queries';
import { AttemptDiff } from './attempt-diff';
import { Workbench, type WorkbenchStrings } from './workbench';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ s?: string; diff?: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  const lab = /^[a-z0-9-]{3,63}$/.test(id) ? getLab(id) : undefined;
  return lab ? { title: lab.manifest.title.en } : {};
}

export default async function LabPage({ params, searchParams }: Props) {
  const { id } = await params;
  const { s: selected, diff: diffWith } = await searchParams;
  const lab = /^[a-z0-9-]{3,63}$/.test(id) ? getLab(id) : undefined;
  if (!lab) notFound();
  const lang = await currentLang();
  const user = await currentUser();
  const m = lab.manifest;
  const { default: Instructions } = await import(`@/labs/${m.id}/instructions.${lang}.md`);
  const history = user ? await listLabSubmissions(user, m.id) : [];
  const watch = selected && history.some((h) => h.id === selected) ? selected : (history[0]?.id ?? null);
  // "Compare with the previous attempt": both must be this learner's (the queries check it).
  const diffPair =
    user && diffWith && watch && history.some((h) => h.id === diffWith)
      ? { before: await getSubmissionFiles(user, diffWith), after: await getSubmissionFiles(user, watch) }
      : null;
  // The editor starts from the learner's latest attempt, or from the starter files.
  let initial = readFolderFiles(path.join(lab.dir, 'starter'));
  if (user && history[0]) initial = await getSubmissionFiles(user, history[0].id);
  const initialFiles = m.files
    .map((f) => ({ path: f.path, content: initial.find((x) => x.path === f.path)?.content.toString('utf8') ?? '' }))
    .concat(initial.filter((x) => !m.files.some((f) => f.path === x.path)).map((x) => ({ path: x.path, content: x.content.toString('utf8') })));
  const strings: WorkbenchStrings = {
    submit: t(lang, 'submit'),
    submitting: t(lang, 'submitting'),
    upload: t(lang, 'uploadFiles'),
    score: t(lang, 'score'),
    passed: t(lang, 'passed'),
    failed: t(lang, 'failed'),
    hint: t(lang, 'hint'),
    notGradable: t(lang, 'notGradable'),
    queuePosition: t(lang, 'queuePosition'),
    attempt: t(lang, 'attempt'),
    phases: Object.fromEntries(['queued', 'starting', 'building', 'running', 'finished'].map((p) => [p, t(lang, `phase_${p}` as never)])),
    statuses: Object.fromEntries(['QUEUED', 'RUNNING', 'GRADED', 'TIMED_OUT', 'ERROR'].map((p) => [p, t(lang, `status_${p}` as never)])),
  };
  return (
    <div className="grid gap-8 lg:grid-cols-2">
      <section>
        <nav className="mb-2 text-sm text-slate-500">
          <Link href={`/weeks/${m.week}`} className="hover:underline">
            {weekLabel(lang, m.week)}
          </Link>
        </nav>
        <h1 className="text-3xl font-bold">{m.title[lang]}</h1>
        <p className="mt-1 text-sm text-slate-500">
          {maxPoints(m)} pts · {m.checks.length} checks · pass ≥ {Math.round(m.passRatio * 100)}%
        </p>
        <div className="prose prose-slate mt-4 max-w-none dark:prose-invert">
          <Instructions />
        </div>
        <a href={`/api/labs/${m.id}/starter`} className="mt-4 inline-block text-sm text-blue-700 underline dark:text-blue-400">
          {t(lang, 'starterDownload')}
        </a>
      </section>
      <section className="space-y-6">
        {user ? (
          <Workbench key={watch ?? "none"} labId={m.id} initialFiles={initialFiles} watchId={watch} lang={lang} s={strings} />
        ) : (
          <p className="rounded-lg border border-slate-300 p-4 dark:border-slate-700">
            <Link href={`/login?callbackUrl=/labs/${m.id}`} className="text-blue-700 underline dark:text-blue-400">
              {t(lang, 'signInToSubmit')}
            </Link>
          </p>
        )}
        {user && (
          <div>
            <h2 className="mb-2 text-xl font-semibold">{t(lang, 'history')}</h2>
            {history.length === 0 ? (
              <p className="text-sm text-slate-600 dark:text-slate-400">{t(lang, 'noSubmissions')}</p>
            ) : (
              <table className="w-full text-sm" data-testid="history">
                <thead>
                  <tr className="text-left text-slate-500">
                    <th className="py-1">#</th>
                    <th>{lang === 'ko' ? '시각' : 'When'}</th>
                    <th>{lang === 'ko' ? '상태' : 'Status'}</th>
                    <th>{t(lang, 'score')}</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {history.map((h, i) => (
                    <tr key={h.id} className={`border-t border-slate-200 dark:border-slate-800 ${h.id === watch ? 'font-semibold' : ''}`}>
                      <td className="py-1">
                        <Link href={`/labs/${m.id}?s=${h.id}`} className="underline">
                          {h.number ?? '—'}
                        </Link>
                      </td>
                      <td>{h.createdAt.toISOString().replace('T', ' ').slice(0, 19)}</td>
                      <td>{t(lang, `status_${h.status}` as never)}</td>
                      <td>{h.result ? (h.result.gradable ? `${h.result.score}/${h.result.maxScore}` : t(lang, 'notGradable')) : '—'}</td>
                      <td>
                        {history[i + 1] && (
                          <Link href={`/labs/${m.id}?s=${h.id}&diff=${history[i + 1]!.id}#diff`} className="text-xs text-blue-700 underline dark:text-blue-400" data-testid="diff-link">
                            {lang === 'ko' ? '이전과 비교' : 'diff'}
                          </Link>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {diffPair && (
              <div id="diff" className="mt-4">
                <h3 className="mb-2 font-semibold">{lang === 'ko' ? '이전 시도와 달라진 점' : 'Changes since the previous attempt'}</h3>
                <AttemptDiff before={diffPair.before} after={diffPair.after} lang={lang} />
              </div>
            )}
          </div>
        )}
      </section>
    </div>
  );
}
