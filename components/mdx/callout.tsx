const STYLES = {
  info: 'border-blue-500 bg-blue-50 dark:bg-blue-950/40',
  tip: 'border-emerald-500 bg-emerald-50 dark:bg-emerald-950/40',
  warn: 'border-amber-500 bg-amber-50 dark:bg-amber-950/40',
  danger: 'border-red-500 bg-red-50 dark:bg-red-950/40',
} as const;
const LABEL = { info: 'Info', tip: 'Tip', warn: 'Warning', danger: 'Danger' } as const;

export function Callout({ type = 'info', title, children }: { type?: keyof typeof STYLES; title?: string; children: React.ReactNode }) {
  const kind = type in STYLES ? type : 'info';
  return (
    <aside className={`not-prose my-6 rounded-r-lg border-l-4 px-4 py-3 ${STYLES[kind]}`} role="note">
      <p className="mb-1 text-sm font-semibold">{title ?? LABEL[kind]}</p>
      <div className="prose prose-sm max-w-none dark:prose-invert">{children}</div>
    </aside>
  );
}
