/**
 * Boxes joined by arrows, drawn as SVG at build time. A step may be a list of boxes that run side by side (a branch:
 * parallel jobs, a matrix): every box of a column is joined to every box of the next, so the picture fans out and in.
 * `loop` draws the arrow back from the last column to the first.
 *
 *   <Flow steps={["push / PR", ["test (Node 24)", "test (Node 26)"], "image"]} />
 */
export type FlowStep = string | string[];

export function flowLayout(steps: FlowStep[], loop = false) {
  const boxW = 120;
  const gap = 36;
  const h = 44;
  const vgap = 14;
  const top = 12;
  const columns = steps.map((s) => (Array.isArray(s) ? s.filter((x) => x.length > 0) : [s])).filter((c) => c.length > 0);
  const rows = Math.max(1, ...columns.map((c) => c.length));
  const bodyH = rows * h + (rows - 1) * vgap;
  const width = columns.length * boxW + Math.max(0, columns.length - 1) * gap + 24;
  const height = top + bodyH + (loop ? 48 : 12);
  // Each column's boxes are centred on the middle of the tallest column.
  const boxes = columns.map((col, i) => {
    const colH = col.length * h + (col.length - 1) * vgap;
    const y0 = top + (bodyH - colH) / 2;
    return col.map((label, j) => ({ label, x: 12 + i * (boxW + gap), y: y0 + j * (h + vgap), w: boxW, h }));
  });
  const arrows = boxes
    .slice(0, -1)
    .flatMap((col, i) => col.flatMap((a) => boxes[i + 1]!.map((b) => ({ x1: a.x + a.w, y1: a.y + a.h / 2, x2: b.x - 2, y2: b.y + b.h / 2 }))));
  const label = columns.map((c) => (c.length > 1 ? `(${c.join(' | ')})` : c[0])).join(' → ') + (loop ? ' ↺' : '');
  return { width, height, boxes, arrows, top, bodyH, label };
}

export function Flow({ steps, loop = false, caption }: { steps: FlowStep[]; loop?: boolean; caption?: string }) {
  const { width, height, boxes, arrows, top, bodyH, label } = flowLayout(steps, loop);
  const first = boxes[0]?.[0];
  const last = boxes.at(-1)?.[0];
  return (
    <figure className="not-prose my-6 overflow-x-auto">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        width={width}
        height={height}
        role="img"
        aria-label={label}
        className="max-w-none text-slate-700 dark:text-slate-200"
      >
        <defs>
          <marker id="flow-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" fill="currentColor" />
          </marker>
        </defs>
        {arrows.map((a, i) => {
          // A straight line between boxes at the same height, otherwise an S-curve.
          const mid = (a.x1 + a.x2) / 2;
          const d = a.y1 === a.y2 ? `M ${a.x1} ${a.y1} H ${a.x2}` : `M ${a.x1} ${a.y1} C ${mid} ${a.y1}, ${mid} ${a.y2}, ${a.x2} ${a.y2}`;
          return <path key={`a${i}`} d={d} fill="none" stroke="currentColor" strokeWidth={1.5} markerEnd="url(#flow-arrow)" />;
        })}
        {boxes.flat().map((b, i) => (
          <g key={`b${i}`}>
            <rect x={b.x} y={b.y} width={b.w} height={b.h} rx={8} fill="none" stroke="currentColor" strokeWidth={1.5} />
            <text x={b.x + b.w / 2} y={b.y + b.h / 2 + 5} textAnchor="middle" fontSize={13} fill="currentColor">
              {b.label}
            </text>
          </g>
        ))}
        {loop && first && last && boxes.length > 1 && (
          <path
            d={`M ${last.x + last.w / 2} ${last.y + last.h} V ${top + bodyH + 30} H ${first.x + first.w / 2} V ${first.y + first.h + 4}`}
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
