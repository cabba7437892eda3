import path from 'node:path';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import type { Metadata } from 'next';
import { currentLang } from '@/app/_server/lang';
import { currentUser } from '@/app/_server/session';
import { zoneOf } from '@/lib/time-zone';
import { dateLocale, messages, t, weekLabel } from '@/lib/i18n';
import { getLab, readFolderFiles } from '@/lib/labs/registry';
import { maxPoints } from '@/lib/labs/manifest';
import { listLabSubmissions, getSubmissionFiles } from '@/lib/submissions/queries';
import { startFromOffers } from '@/lib/submissions/start-from';
import { learnerSchedule } from '@/lib/cohorts/schedule';
import { workspaceState, type WorkspaceState } from '@/app/_server/workspace-state';
import { AlertIcon, CalendarIcon, LockIcon } from '../../roadmap/icons';
import { ScrollTable } from '@/components/scroll-table';
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
    user && diffWith && watch && diffWith !== watch && history.some((h) => h.id === diffWith)
      ? { before: await getSubmissionFiles(user, diffWith), after: await getSubmissionFiles(user, watch) }
      : null;
  // The learner's workspace (terminal) for this lab, when the lab has one: read only, nothing is started here.
  let workspace: WorkspaceState | null = null;
  if (user && m.workspace) {
    workspace = await workspaceState(user, m.id).catch((e: unknown) => {
      console.error(`[lab page] workspace state of ${m.id}:`, e);
      return { workspace: null, files: null, steps: [] };
    });
  }
  // The editor starts from the workspace's files (the one copy the terminal shares), else from the learner's latest
  // attempt, or from the starter files.
  let initial = readFolderFiles(path.join(lab.dir, 'starter'));
  if (workspace?.files) initial = workspace.files.files.map((f) => ({ path: f.path, content: Buffer.from(f.content, 'utf8') }));
  else if (user && history[0]) initial = await getSubmissionFiles(user, history[0].id);
  const initialFiles = m.files
    .map((f) => ({ path: f.path, language: f.language, content: initial.find((x) => x.path === f.path)?.content.toString('utf8') ?? '' }))
    .concat(
      initial
        .filter((x) => !m.files.some((f) => f.path === x.path))
        .map((x) => ({ path: x.path, language: extraLanguage(x.path), content: x.content.toString('utf8') })),
    );
  // One running project: the learner's own passing work of an earlier lab this one continues (the manifest's startFrom).
  const startFrom =
    user && m.startFrom.length
      ? { offers: (await startFromOffers(user, m.id)).map((o) => ({ ...o, title: o.title[lang] })), s: messages(lang, 'startFrom') }
      : undefined;
  // The learner's schedule for this lab's week: a locked week's lab can still be practised (graded in full);
  // only the due date matters for the late mark.
  const win = user ? (await learnerSchedule(user.id)).get(m.week) : undefined;
  const now = new Date();
  const fmt = (d: Date) => d.toLocaleString(dateLocale(lang), { timeZone: zoneOf(user), dateStyle: 'medium', timeStyle: 'short' });
  const when = (d: Date) => d.toLocaleString(dateLocale(lang), { timeZone: zoneOf(user), month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  const strings: WorkbenchStrings = {
    submit: t(lang, 'common.submit'),
    submitting: t(lang, 'common.submitting'),
    upload: t(lang, 'common.uploadFiles'),
    score: t(lang, 'common.score'),
    passed: t(lang, 'common.passed'),
    failed: t(lang, 'common.failed'),
    hint: t(lang, 'common.hint'),
    notGradable: t(lang, 'common.notGradable'),
    queuePosition: t(lang, 'common.queuePosition'),
    attempt: t(lang, 'common.attempt'),
    editorKeys: t(lang, 'workbench.editorKeys'),
    files: t(lang, 'workbench.files'),
    late: t(lang, 'workbench.late'),
    verdict: messages(lang, 'result'),
    phases: messages(lang, 'phase'),
    statuses: messages(lang, 'status'),
  };
  return (
    <div className="grid gap-8 lg:grid-cols-2">
      <section className="min-w-0">
        <nav className="mb-2 text-sm text-slate-500">
          <Link href={`/weeks/${m.week}`} className="hover:underline">
            {weekLabel(lang, m.week)}
          </Link>
        </nav>
        <h1 className="text-3xl font-bold">{m.title[lang]}</h1>
        {user && (
          // One column below lg: the instructions come first and can be long, so the editor is one tap away.
          <a href="#editor" className="mt-2 inline-block text-sm text-blue-700 underline lg:hidden" data-testid="to-editor">
            {t(lang, 'workbench.toEditor')} ↓
          </a>
        )}
        <p className="mt-1 text-sm text-slate-500">
          {t(lang, 'lab.summary', { points: maxPoints(m), checks: m.checks.length, pct: Math.round(m.passRatio * 100) })}
        </p>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400" data-testid="required-checks">
          {t(lang, 'lab.requiredChecks')}
          {m.checks
            .filter((c) => c.required)
            .map((c) => c.title[lang])
            .join(' · ')}
        </p>
        {win && (
          <p
            className={`mt-3 rounded-md border px-3 py-2 text-sm ${win.unlockAt > now ? 'border-slate-300 bg-slate-50 dark:border-slate-700 dark:bg-slate-900' : win.dueAt < now ? 'border-amber-500 bg-amber-50 dark:bg-amber-950/30' : 'border-blue-300 bg-blue-50 dark:border-blue-800 dark:bg-blue-950/30'}`}
            data-testid="lab-schedule"
            data-schedule={win.unlockAt > now ? 'locked' : win.dueAt < now ? 'overdue' : 'due'}
          >
            {win.unlockAt > now ? (
              <LockIcon className="mr-1.5 h-4 w-4" />
            ) : win.dueAt < now ? (
              <AlertIcon className="mr-1.5 h-4 w-4 text-amber-600" />
            ) : (
              <CalendarIcon className="mr-1.5 h-4 w-4 text-blue-700 dark:text-blue-300" />
            )}
            {win.unlockAt > now
              ? t(lang, 'lab.opensAt', { opens: fmt(win.unlockAt), due: fmt(win.dueAt) })
              : win.dueAt < now
                ? t(lang, 'lab.pastDue', { due: fmt(win.dueAt) })
                : `${t(lang, 'lab.dueAt', { due: fmt(win.dueAt) })}${win.extended ? t(lang, 'lab.extended') : ''}`}
          </p>
        )}
        <div className="prose prose-slate mt-4 max-w-none dark:prose-invert">
          <Instructions />
        </div>
        <a href={`/api/labs/${m.id}/starter`} className="mt-4 inline-block text-sm text-blue-700 underline dark:text-blue-400">
          {t(lang, 'common.starterDownload')}
        </a>
      </section>
      <section className="min-w-0 space-y-6">
        {user ? (
          <Workbench
            key={m.id}
            labId={m.id}
            initialFiles={initialFiles}
            watchId={watch}
            lang={lang}
            s={strings}
            workspace={workspace}
            w={messages(lang, 'workspace')}
            startFrom={startFrom}
          />
        ) : (
          <p className="rounded-lg border border-slate-300 p-4 dark:border-slate-700">
            <Link href={`/login?callbackUrl=/labs/${m.id}`} className="text-blue-700 underline dark:text-blue-400">
              {t(lang, 'common.signInToSubmit')}
            </Link>
          </p>
        )}
        {user && (
          <div>
            <h2 className="mb-2 text-xl font-semibold">{t(lang, 'common.history')}</h2>
            {history.length === 0 ? (
              <p className="text-sm text-slate-600 dark:text-slate-400">{t(lang, 'common.noSubmissions')}</p>
            ) : (
              <ScrollTable label={t(lang, 'common.history')}>
                <table className="w-full text-sm" data-testid="history">
                  <thead>
                    <tr className="text-left text-slate-500">
                      <th className="py-1">#</th>
                      <th>{t(lang, 'lab.when')}</th>
                      <th>{t(lang, 'lab.status')}</th>
                      <th>{t(lang, 'common.score')}</th>
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
                        <td className="whitespace-nowrap">{when(h.createdAt)}</td>
                        <td>
                          {t(lang, `status.${h.status}`)}
                          {h.late && (
                            <span
                              className="ml-1 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-800 dark:bg-amber-900/50 dark:text-amber-200"
                              data-testid="late-mark"
                            >
                              {t(lang, 'lab.late')}
                            </span>
                          )}
                          {h.regradeOfId && <span className="ml-1 rounded bg-slate-100 px-1.5 py-0.5 text-xs dark:bg-slate-800">{t(lang, 'lab.regrade')}</span>}
                        </td>
                        <td>{h.result ? (h.result.gradable ? `${h.result.score}/${h.result.maxScore}` : t(lang, 'common.notGradable')) : '—'}</td>
                        <td>
                          {history[i + 1] && (
                            <Link
                              href={`/labs/${m.id}?s=${h.id}&diff=${history[i + 1]!.id}#diff`}
                              className="text-xs text-blue-700 underline dark:text-blue-400"
                              data-testid="diff-link"
                            >
                              {t(lang, 'lab.diff')}
                            </Link>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollTable>
            )}
            {history.length >= 2 && (
              <form method="get" action={`/labs/${m.id}`} className="mt-3 flex flex-wrap items-center gap-2 text-sm" data-testid="diff-form">
                <span>{t(lang, 'lab.compareTwo')}</span>
                <select
                  name="diff"
                  defaultValue={diffWith ?? history[1]!.id}
                  aria-label={t(lang, 'lab.olderAttempt')}
                  className="rounded-md border border-slate-300 px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
                >
                  {history.map((h) => (
                    <option key={h.id} value={h.id}>
                      #{h.number ?? '—'} · {when(h.createdAt)}
                    </option>
                  ))}
                </select>
                <span aria-hidden>→</span>
                <select
                  name="s"
                  defaultValue={watch ?? undefined}
                  aria-label={t(lang, 'lab.newerAttempt')}
                  className="rounded-md border border-slate-300 px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
                >
                  {history.map((h) => (
                    <option key={h.id} value={h.id}>
                      #{h.number ?? '—'} · {when(h.createdAt)}
                    </option>
                  ))}
                </select>
                <button className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">
                  {t(lang, 'lab.compare')}
                </button>
              </form>
            )}
            {diffPair && (
              <div id="diff" className="mt-4">
                <h3 className="mb-2 font-semibold">
                  {t(lang, 'lab.whatChanged')}: #{history.find((h) => h.id === diffWith)?.number ?? '—'} → #{history.find((h) => h.id === watch)?.number ?? '—'}
                </h3>
                <AttemptDiff before={diffPair.before} after={diffPair.after} lang={lang} />
              </div>
            )}
          </div>
        )}
      </section>
    </div>
  );
}

function extraLanguage(p: string): 'hcl' | 'yaml' | 'javascript' | 'json' | 'text' {
  if (p.endsWith('.tf')) return 'hcl';
  if (/\.ya?ml$/.test(p)) return 'yaml';
  if (/\.[cm]?js$/.test(p)) return 'javascript';
  if (p.endsWith('.json')) return 'json';
  return 'text';
}
