import { stems } from '../index/lexical-score.ts';
import type { CrossRef } from './index-csv.ts';
import { formatIcd10cm, type TermRecord } from './types.ts';

/** Subterms a main term's "see" inherits from its target at most (larger targets are whole entries, not synonyms). */
const MAX_INHERITED = 60;

/**
 * Follows the Alphabetic Index's "see" instructions: "Abdominalgia — see Pain, abdominal" makes
 * "Abdominalgia" a synonym of the code at "Pain, abdominal". A target that does not resolve to exactly
 * one code (it needs a further subterm, or names a whole main term) is left alone: only the coder can
 * choose there. "see also" is not followed (the path usually has its own code).
 */
export function resolveSeeReferences(terms: readonly TermRecord[], crossRefs: readonly CrossRef[]): { terms: TermRecord[]; unresolved: CrossRef[] } {
  const key = (text: string) => stems(text.replace(/\([^)]*\)/g, ' ')).join(' ');
  const codesByText = new Map<string, Set<string>>();
  const sample = new Map<string, TermRecord>();
  for (const t of terms) {
    if (t.kind !== 'index') continue;
    for (const k of new Set([key(t.text), ...(t.path ? [key(withMainForm(t.path))] : [])])) {
      const set = codesByText.get(k) ?? new Set<string>();
      set.add(t.code);
      codesByText.set(k, set);
      if (!sample.has(k)) sample.set(k, t);
    }
  }
  // Sorted keys: the entries under a target ("k" and "k …") are one run found by binary search.
  const keys = [...codesByText.keys()].sort();
  const keysFrom = (k: string): string[] => {
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid]! < k) lo = mid + 1;
      else hi = mid;
    }
    // " " sorts before every letter and digit: "k" is followed by all the "k …" keys, then "k0…", "ka…".
    const run: string[] = [];
    for (let i = lo; i < keys.length && (keys[i] === k || keys[i]!.startsWith(`${k} `)); i++) run.push(keys[i]!);
    return run;
  };
  // Terms below a two-level target, by the target's key: "Shock, anaphylactic" → its subterms "due to food, peanuts" …
  const belowTwoLevels = new Map<string, TermRecord[]>();
  for (const t of terms) {
    if (t.kind !== 'index' || !t.path || t.path.length < 3) continue;
    const k = key(withMainForm(t.path.slice(0, 2)));
    const list = belowTwoLevels.get(k);
    if (list) list.push(t);
    else belowTwoLevels.set(k, [t]);
  }
  const out: TermRecord[] = [];
  const unresolved: CrossRef[] = [];
  for (const ref of crossRefs) {
    if (ref.kind !== 'see') continue;
    // A main term that is another name of a condition's subterm ("Anaphylaxis — see Shock, anaphylactic") names
    // its subterms too: the coder goes on from the target with the note's other words ("Shock, anaphylactic, due
    // to food, peanuts" T78.01 for "anaphylaxis due to peanut"). Only for a main term and a two-level target with
    // few subterms: a see to a whole chapter-sized entry ("Injury", "Burn") is not a synonym of each of its rows.
    // So does a subterm that is another name of a sibling ("Obstruction, bowel — see Obstruction, intestine": "partial
    // small bowel obstruction" is "Obstruction, intestine, partial", K56.600).
    const targetParts = ref.target.split(',');
    const sibling = ref.path.length === 2 && key(withMainForm(ref.path.slice(0, 1))) === key(targetParts[0]!);
    const sub = (ref.path.length === 1 || sibling) && targetParts.length === 2 ? (belowTwoLevels.get(key(ref.target)) ?? []) : [];
    if (sub.length > 0 && sub.length <= MAX_INHERITED) {
      const source = cleanPath(ref.path);
      for (const t of sub) {
        const path = [...source, ...t.path!.slice(2)];
        out.push({ code: t.code, kind: 'index', text: path.join(', '), path, modifiers: [...source.map(() => ''), ...(t.modifiers ?? []).slice(2)], ...(t.incomplete ? { incomplete: true } : {}) });
      }
    }
    const k = key(ref.target);
    const codes = codesByText.get(k);
    let target = codes?.size === 1 ? sample.get(k)! : undefined;
    if (!target) {
      // The target has subterms ("Dependence, drug, nicotine" → cigarettes, chewing tobacco, …): point at
      // their common header, to be completed from the note's words like any incomplete Index code.
      const below = keysFrom(k).flatMap((key) => [...codesByText.get(key)!]);
      const prefix = commonPrefix(below.map((c) => c.replace('.', '')));
      if (below.length === 0 || prefix.length < 3) {
        unresolved.push(ref);
        continue;
      }
      target = { code: formatIcd10cm(prefix), kind: 'index', text: ref.target, incomplete: true };
    }
    const path = cleanPath(ref.path);
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

/**
 * The cross-references the code search follows at query time (catalog-search.ts followCrossReferences):
 * every "see also", and each "see" that did not resolve to a code above. "see condition" and "see also
 * condition" only say "look up the condition itself", which the coder's query already does.
 */
export function crossReferenceRows(unresolvedSee: readonly CrossRef[], crossRefs: readonly CrossRef[]): TermRecord[] {
  const follow = [...unresolvedSee, ...crossRefs.filter((r) => r.kind === 'see_also')].filter((r) => r.kind !== 'see_condition' && !/^condition$/i.test(r.target));
  return follow.map((r) => {
    const path = cleanPath(r.path);
    return { code: '', kind: r.kind === 'see' ? 'see' : 'see_also', text: r.target.replace(/\s+/g, ' ').trim(), path, modifiers: path.map(() => '') };
  });
}

/**
 * The path as a "see" names it: a main term printed with the forms of its word ("Hypertension, hypertensive",
 * "Infection, infected, infective") is referred to by the first ("see Hypertension, kidney"). Other comma
 * pieces of a main term are words of their own and stay.
 */
function withMainForm(path: readonly string[]): string {
  const [main, ...rest] = path;
  const forms = (main ?? '').split(',').map((f) => f.replace(/\([^)]*\)/g, ' ').trim()).filter(Boolean);
  const first = forms[0] ?? '';
  const sameWord = forms.length > 1 && forms.every((f) => f.slice(0, 4).toLowerCase() === first.slice(0, 4).toLowerCase());
  return [sameWord ? first : (main ?? ''), ...rest].join(', ');
}

/** Path parts without parenthesised nonessential modifiers. */
const cleanPath = (path: readonly string[]) => path.map((p) => p.replace(/\([^)]*\)/g, ' ').replace(/\s+/g, ' ').trim()).filter(Boolean);

function commonPrefix(codes: string[]): string {
  if (codes.length === 0) return '';
  let p = codes[0]!;
  for (const c of codes) while (!c.startsWith(p)) p = p.slice(0, -1);
  return p;
}
