import { stems } from '../index/lexical-score.ts';
import type { CrossRef } from './index-csv.ts';
import { formatIcd10cm, type TermRecord } from './types.ts';

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
    let target = codes?.size === 1 ? sample.get(k)! : undefined;
    if (!target) {
      // The target has subterms ("Dependence, drug, nicotine" → cigarettes, chewing tobacco, …): point at
      // their common header, to be completed from the note's words like any incomplete Index code.
      const below = [...codesByText.entries()].filter(([key]) => key === k || key.startsWith(`${k} `)).flatMap(([, set]) => [...set]);
      const prefix = commonPrefix(below.map((c) => c.replace('.', '')));
      if (below.length === 0 || prefix.length < 3) {
        unresolved++;
        continue;
      }
      target = { code: formatIcd10cm(prefix), kind: 'index', text: ref.target, incomplete: true };
    }
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

function commonPrefix(codes: string[]): string {
  if (codes.length === 0) return '';
  let p = codes[0]!;
  for (const c of codes) while (!c.startsWith(p)) p = p.slice(0, -1);
  return p;
}
