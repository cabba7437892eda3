/** Reading a learner's Dockerfile for static checks (the engine builds it; this reads what it says). */

export interface Instruction {
  /** Upper-case keyword: FROM, RUN, COPY ... */
  op: string;
  args: string;
  line: number;
  stage: number;
}

/** Dockerfile instructions with their first line; continuation lines joined, comments and blank lines skipped. */
export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split(/\r?\n/);
  let stage = -1;
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i]!;
    if (/^\s*(#|$)/.test(first)) continue;
    let full = first;
    const start = i + 1;
    // A trailing backslash continues the instruction; comment lines inside it are skipped, not ends.
    while (/\\\s*$/.test(full) && i + 1 < lines.length) {
      full = full.replace(/\\\s*$/, ' ');
      i++;
      while (/^\s*#/.test(lines[i]!) && i + 1 < lines.length) i++;
      full += lines[i]!;
    }
    const m = /^\s*([A-Za-z]+)\s*(.*)$/.exec(full);
    if (!m) continue;
    const op = m[1]!.toUpperCase();
    if (op === 'FROM') stage++;
    out.push({ op, args: m[2]!.trim(), line: start, stage: Math.max(stage, 0) });
  }
  return out;
}
