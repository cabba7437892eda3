import { Budget, DEFAULT_DIFF_BUDGET, lineDiff, type Hunk } from '@/lib/line-diff';
import { dateLocale, t } from '@/lib/i18n';

/** Lines of diff a page shows at most (all files together); the rest is counted, not rendered. */
const MAX_SHOWN_LINES = 2000;

/**
 * What changed between two attempts, file by file, as text lines marked + and − (rendered as text, never HTML).
 * Server-rendered: the files come from queries that check the learner owns both submissions. The diff is bounded
 * (lib/line-diff.ts: linear memory, one step budget for the whole page, at most MAX_SHOWN_LINES lines rendered), so
 * two large unrelated attempts cost tens of milliseconds of the web process, not seconds.
 */
export function AttemptDiff({
  before,
  after,
  lang,
}: {
  before: { path: string; content: Buffer }[];
  after: { path: string; content: Buffer }[];
  lang: 'ko' | 'en';
}) {
  const paths = [...new Set([...before.map((f) => f.path), ...after.map((f) => f.path)])].sort();
  const text = (list: { path: string; content: Buffer }[], p: string) => list.find((f) => f.path === p)?.content.toString('utf8') ?? '';
  const budget = new Budget(DEFAULT_DIFF_BUDGET);
  let room = MAX_SHOWN_LINES;
  let omitted = 0;
  let exact = true;
  const changed: { path: string; hunks: Hunk[] }[] = [];
  for (const p of paths) {
    const a = text(before, p);
    const b = text(after, p);
    if (a === b) continue;
    const d = lineDiff(a, b, { context: 2, budget, maxLines: room });
    room -= d.hunks.reduce((n, h) => n + h.lines.length, 0);
    omitted += d.omitted;
    exact &&= d.exact;
    changed.push({ path: p, hunks: d.hunks });
  }
  if (!changed.length) return <p className="text-sm text-slate-600">{t(lang, 'diff.same')}</p>;
  return (
    <div className="space-y-3" data-testid="attempt-diff" data-exact={exact} data-omitted={omitted}>
      {!exact && (
        <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="diff-approximate">
          {t(lang, 'diff.approximate')}
        </p>
      )}
      {changed.map(({ path, hunks }) => (
        <div key={path} className="overflow-x-auto rounded-md border border-slate-200 dark:border-slate-800">
          <p className="bg-slate-100 px-3 py-1 font-mono text-xs dark:bg-slate-900">{path}</p>
          <pre className="p-2 text-xs leading-5">
            {hunks.map((h, i) => (
              <span key={i}>
                <span className="block px-1 text-slate-500">{`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`}</span>
                {h.lines.map((l, j) => (
                  <span
                    key={j}
                    className={
                      'block min-w-max px-1 ' +
                      (l.startsWith('+')
                        ? 'bg-emerald-50 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300'
                        : l.startsWith('-')
                          ? 'bg-red-50 text-red-800 dark:bg-red-950 dark:text-red-300'
                          : '')
                    }
                  >
                    {l}
                  </span>
                ))}
              </span>
            ))}
          </pre>
        </div>
      ))}
      {omitted > 0 && (
        <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="diff-omitted">
          {t(lang, 'diff.omitted', { n: omitted.toLocaleString(dateLocale(lang)) })}
        </p>
      )}
    </div>
  );
}
