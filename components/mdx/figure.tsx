export function Figure({ caption, children }: { caption?: string; children: React.ReactNode }) {
  return (
    <figure className="not-prose my-6 overflow-x-auto text-slate-700 dark:text-slate-200">
      {children}
      {caption && <figcaption className="mt-2 text-sm text-slate-500">{caption}</figcaption>}
    </figure>
  );
}
