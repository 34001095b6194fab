import { stems } from '../index/lexical-score.ts';
import type { CrossRef } from './index-csv.ts';
import type { TermRecord } from './types.ts';

/**
 * Follows the Alphabetic Index's "see" instructions: "Abdominalgia — see Pain, abdominal" makes
 * "Abdominalgia" a synonym of the code at "Pain, abdominal". A target that does not resolve to exactly
 * one code (it needs a further subterm, or names a whole main term) is left alone: only the coder can
 * choose there. "see also" is not followed (the path usually has its own code).
 */
export function resolveSeeReferences(terms: readonly TermRecord[], crossRefs: readonly CrossRef[]): { terms: TermRecord[]; unresolved: number } {
  const key = (text: string) => stems(text.replace(/\([^)]*\)/g, ' ')).join(' ');
  const codesByText = new Map<string, Set<string>>();
  const sample = new Map<string, TermRecord>();
  for (const t of terms) {
    if (t.kind !== 'index') continue;
    const k = key(t.text);
    const set = codesByText.get(k) ?? new Set<string>();
    set.add(t.code);
    codesByText.set(k, set);
    if (!sample.has(k)) sample.set(k, t);
  }
  const out: TermRecord[] = [];
  let unresolved = 0;
  for (const ref of crossRefs) {
    if (ref.kind !== 'see') continue;
    const k = key(ref.target);
    const codes = codesByText.get(k);
    if (!codes || codes.size !== 1) {
      unresolved++;
      continue;
    }
    const target = sample.get(k)!;
    const path = ref.path.map((p) => p.replace(/\([^)]*\)/g, ' ').replace(/\s+/g, ' ').trim()).filter(Boolean);
    out.push({
      code: target.code,
      kind: 'index',
      text: path.join(', '),
      path,
      modifiers: path.map(() => ''),
      ...(target.incomplete ? { incomplete: true } : {}),
    });
  }
  return { terms: out, unresolved };
}
