/** A highlighted range of the note text, offsets into the original text; `key` names what it is evidence for. */
export interface Mark {
  start: number;
  end: number;
  key: string;
}

/** A run of text covered by the same marks (none = plain text). */
export interface Segment {
  start: number;
  end: number;
  keys: string[];
}

/**
 * Cuts [0, length) at every mark boundary so that overlapping and nested marks each become runs with the
 * set of marks covering them. Marks outside the text are clipped; empty ones are dropped.
 * Example: length 10, marks a:[0,6) b:[4,10) → [0,4){a} [4,6){a,b} [6,10){b}.
 */
export function segmentText(length: number, marks: readonly Mark[]): Segment[] {
  const clipped = marks
    .map((m) => ({ key: m.key, start: Math.max(0, Math.min(length, m.start)), end: Math.max(0, Math.min(length, m.end)) }))
    .filter((m) => m.end > m.start);
  const cuts = [...new Set([0, length, ...clipped.flatMap((m) => [m.start, m.end])])].sort((a, b) => a - b);
  const segments: Segment[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const start = cuts[i]!;
    const end = cuts[i + 1]!;
    const keys = clipped.filter((m) => m.start <= start && m.end >= end).map((m) => m.key);
    const last = segments.at(-1);
    // Neighbouring runs with the same marks stay one element (fewer DOM nodes).
    if (last && last.keys.length === keys.length && last.keys.every((k, j) => k === keys[j])) last.end = end;
    else segments.push({ start, end, keys });
  }
  return segments;
}
