import { createHash } from 'node:crypto';
import type { CodeRecord, NoteRecord, TermRecord } from './types.ts';

/** The searchable rows of one release: every description, inclusion term and index path of an existing code. */
export interface ComposedTerms {
  terms: TermRecord[];
  /** Index/table rows whose code is not in this release (deleted or renamed codes), by source kind. */
  dropped: Record<string, number>;
}

/**
 * Builds index rows: long and short titles, tabular inclusion terms, and Index/table paths. A path
 * whose code does not exist in the release is dropped and counted, never attached to a guess.
 */
export function composeTerms(codes: CodeRecord[], notes: NoteRecord[], indexTerms: TermRecord[]): ComposedTerms {
  const known = new Set(codes.map((c) => c.code));
  const terms: TermRecord[] = [];
  const seen = new Set<string>();
  const dropped: Record<string, number> = {};
  const push = (t: TermRecord) => {
    const key = `${t.code}\u0000${t.kind}\u0000${normaliseTermText(t.text)}`;
    if (seen.has(key)) return;
    seen.add(key);
    terms.push(t);
  };
  for (const c of codes) {
    push({ code: c.code, kind: 'title', text: c.longDesc });
    if (normaliseTermText(c.shortDesc) !== normaliseTermText(c.longDesc)) push({ code: c.code, kind: 'short_title', text: c.shortDesc });
  }
  for (const n of notes) {
    if (n.kind === 'inclusion' && known.has(n.code)) push({ code: n.code, kind: 'inclusion', text: n.text });
  }
  for (const t of indexTerms) {
    if (!known.has(t.code)) {
      dropped[t.kind] = (dropped[t.kind] ?? 0) + 1;
      continue;
    }
    push(t);
  }
  return { terms, dropped };
}

/** Lower case, single spaces: two texts that differ only in case or spacing share an embedding. */
export function normaliseTermText(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

export function hashTermText(text: string): string {
  return createHash('sha1').update(normaliseTermText(text)).digest('hex');
}
