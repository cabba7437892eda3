/** Boxes joined by arrows, drawn as SVG at build time; `loop` draws the arrow back from the last box to the first. */
export function Flow({ steps, loop = false, caption }: { steps: string[]; loop?: boolean; caption?: string }) {
  const boxW = 120;
  const gap = 36;
  const h = 44;
  const top = 12;
  const width = steps.length * boxW + (steps.length - 1) * gap + 24;
  const height = loop ? top + h + 48 : top + h + 12;
  return (
    <figure className="not-prose my-6 overflow-x-auto">
      <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={steps.join(' → ') + (loop ? ' ↺' : '')} className="max-w-none text-slate-700 dark:text-slate-200">
        <defs>
          <marker id="flow-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" fill="currentColor" />
          </marker>
        </defs>
        {steps.map((s, i) => {
          const x = 12 + i * (boxW + gap);
          return (
            <g key={i}>
              <rect x={x} y={top} width={boxW} height={h} rx={8} fill="none" stroke="currentColor" strokeWidth={1.5} />
              <text x={x + boxW / 2} y={top + h / 2 + 5} textAnchor="middle" fontSize={13} fill="currentColor">
                {s}
              </text>
              {i < steps.length - 1 && <line x1={x + boxW} y1={top + h / 2} x2={x + boxW + gap - 2} y2={top + h / 2} stroke="currentColor" strokeWidth={1.5} markerEnd="url(#flow-arrow)" />}
            </g>
          );
        })}
        {loop && steps.length > 1 && (
          <path
            d={`M ${12 + (steps.length - 1) * (boxW + gap) + boxW / 2} ${top + h} V ${top + h + 30} H ${12 + boxW / 2} V ${top + h + 4}`}
            fill="none"
            stroke="currentColor"
            strokeWidth={1.5}
            strokeDasharray="5 4"
            markerEnd="url(#flow-arrow)"
          />
        )}
      </svg>
      {caption && <figcaption className="mt-1 text-sm text-slate-500">{caption}</figcaption>}
    </figure>
  );
}
