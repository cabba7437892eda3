import { structuredPatch } from 'diff';

/**
 * What changed between two attempts, file by file, as text lines marked + and − (rendered as text, never HTML).
 * Server-rendered: the files come from queries that check the learner owns both submissions.
 */
export function AttemptDiff({ before, after, lang }: { before: { path: string; content: Buffer }[]; after: { path: string; content: Buffer }[]; lang: 'ko' | 'en' }) {
  const paths = [...new Set([...before.map((f) => f.path), ...after.map((f) => f.path)])].sort();
  const text = (list: { path: string; content: Buffer }[], p: string) => list.find((f) => f.path === p)?.content.toString('utf8') ?? '';
  const changed = paths
    .map((p) => ({ path: p, patch: structuredPatch(p, p, text(before, p), text(after, p), '', '', { context: 2 }) }))
    .filter((x) => x.patch.hunks.length > 0);
  if (!changed.length) return <p className="text-sm text-slate-600">{lang === 'ko' ? '두 시도의 파일이 같습니다.' : 'The two attempts have the same files.'}</p>;
  return (
    <div className="space-y-3" data-testid="attempt-diff">
      {changed.map(({ path, patch }) => (
        <div key={path} className="overflow-x-auto rounded-md border border-slate-200 dark:border-slate-800">
          <p className="bg-slate-100 px-3 py-1 font-mono text-xs dark:bg-slate-900">{path}</p>
          <pre className="p-2 text-xs leading-5">
            {patch.hunks.map((h, i) => (
              <span key={i}>
                <span className="block px-1 text-slate-500">{`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`}</span>
                {h.lines.map((l, j) => (
                  <span key={j} className={'block min-w-max px-1 ' + (l.startsWith('+') ? 'bg-emerald-50 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300' : l.startsWith('-') ? 'bg-red-50 text-red-800 dark:bg-red-950 dark:text-red-300' : '')}>
                    {l}
                  </span>
                ))}
              </span>
            ))}
          </pre>
        </div>
      ))}
    </div>
  );
}
