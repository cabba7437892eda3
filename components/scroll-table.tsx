/**
 * A table wider than the screen scrolls inside this box, not the page; its first column stays in view (globals.css
 * `.scroll-table`). A region with a name and in the tab order, so a keyboard can scroll it too.
 */
export function ScrollTable({ label, className = '', children }: { label: string; className?: string; children: React.ReactNode }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className={`scroll-table ${className}`}>
      {children}
    </div>
  );
}
