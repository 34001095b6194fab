import { stems } from '../index/lexical-score.ts';
import type { CrossRef } from './index-csv.ts';
import { LIMB_SEGMENTS, LIMB_SITES, type Limb } from './limb-sites.ts';
import { formatIcd10cm, type TermRecord } from './types.ts';

/**
 * "see" entries the coding rules read instead: "Smoker — see Dependence, drug, nicotine" holds for a current smoker only
 * (pipeline/guidelines/substance-use.ts; a former smoker is history, Z87.891, history.ts). As a term it would read
 * every "former smoker" as F17.2-.
 */
const RULE_READ: ReadonlySet<string> = new Set(['Smoker']);

/** Subterms a main term's "see" inherits from its target at most (larger targets are whole entries, not synonyms). */
const MAX_INHERITED = 60;

/**
 * Follows the Alphabetic Index's "see" instructions: "Abdominalgia — see Pain, abdominal" makes
 * "Abdominalgia" a synonym of the code at "Pain, abdominal". A target that does not resolve to exactly
 * one code (it needs a further subterm, or names a whole main term) is left alone: only the coder can
 * choose there. "see also" is not followed (the path usually has its own code).
 */
export function resolveSeeReferences(terms: readonly TermRecord[], crossRefs: readonly CrossRef[]): { terms: TermRecord[]; unresolved: CrossRef[] } {
  // "NEC" is the Index's own mark on a level, never in a "see": "see Dependence, drug, nicotine" names "Dependence, drug NEC, nicotine" (F17.200).
  const key = (text: string) => stems(text.replace(/\([^)]*\)/g, ' ').replace(/\bNEC\b/g, ' ')).join(' ');
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
  // The target's code: its own when it has one; else the common header of the codes below it ("Dependence, drug,
  // nicotine" → cigarettes, chewing tobacco, …), to be completed from the note's words like any incomplete Index code.
  const targetOf = (k: string, text: string): TermRecord | undefined => {
    const codes = codesByText.get(k);
    if (codes?.size === 1) return sample.get(k)!;
    const below = keysFrom(k).flatMap((key) => [...codesByText.get(key)!]);
    const prefix = commonPrefix(below.map((c) => c.replace('.', '')));
    return below.length === 0 || prefix.length < 3 ? undefined : { code: formatIcd10cm(prefix), kind: 'index', text, incomplete: true };
  };
  const seeAt = new Map<string, CrossRef>();
  for (const ref of crossRefs) if (ref.kind === 'see') seeAt.set(key(withMainForm(ref.path)), ref);
  /**
   * The target's own subterm for the source's word, when it has one: "Sprain, talofibular — see Sprain, ankle" is
   * "Sprain, ankle, talofibular ligament — see Sprain, ankle, specified ligament NEC" (S93.49-), not the ankle's
   * unspecified ligament (S93.40-); "Pain, hand — see Pain, limb, upper" is "Pain, limb, upper, hand" (M79.64-). The
   * subterm names the same word, alone or with the structure it is ("ligament", "joint"); its own "see" is followed
   * once.
   */
  const STRUCTURE = ['', ...stems('ligament joint').map((w) => ` ${w}`)];
  const deeperTarget = (ref: CrossRef): TermRecord | undefined => {
    if (ref.path.length < 2) return undefined;
    const word = key(ref.path.at(-1)!);
    if (!word) return undefined;
    for (const suffix of STRUCTURE) {
      const k = `${key(ref.target)} ${word}${suffix}`;
      if (codesByText.has(k)) return targetOf(k, `${ref.target}, ${ref.path.at(-1)!}`);
      const next = seeAt.get(k);
      if (next) {
        const t = targetOf(key(next.target), next.target);
        if (t) return t;
      }
    }
    return undefined;
  };
  const out: TermRecord[] = [];
  const unresolved: CrossRef[] = [];
  for (const ref of [...crossRefs, ...limbSiteReferences(terms, crossRefs)]) {
    if (ref.kind !== 'see' || RULE_READ.has(ref.path.join(', '))) continue;
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
    const target = deeperTarget(ref) ?? targetOf(key(ref.target), ref.target);
    if (!target) {
      unresolved.push(ref);
      continue;
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
 * "Cellulitis, upper limb": the limb a target names as its last level. Not "Pain, limb, upper": its codes name the arm
 * and the leg by their parts (M79.62- upper arm, M79.67- foot), which an unlisted site would miss.
 */
const LIMB_TARGET = /(?:^|,\s*)(upper|lower) limb\s*$/i;

/**
 * The Index sends a condition's limb sites to its limb entry one by one ("Cellulitis, arm / hand / shoulder /
 * wrist — see Cellulitis, upper limb") and leaves out others of the same limb: a forearm or an elbow cellulitis is
 * cellulitis of the upper limb (L03.11-) as a hand's is. Where a condition's subterm sends at least two of a limb's
 * sites (LIMB_SITES) to one limb target, that limb's other segments it does not list go there too (LIMB_SEGMENTS:
 * never a joint, where "septic knee" is septic arthritis). A site it lists with a code of its own ("Abscess, hand"
 * L02.51-) keeps it.
 */
export function limbSiteReferences(terms: readonly TermRecord[], crossRefs: readonly CrossRef[]): CrossRef[] {
  const lower = (p: string) => p.replace(/\([^)]*\)/g, ' ').replace(/\bNEC\b/g, ' ').replace(/\s+/g, ' ').trim().toLowerCase();
  const parentKey = (path: readonly string[]) => path.slice(0, -1).map(lower).join('|');
  const childrenOf = new Map<string, Set<string>>();
  for (const p of [...terms.map((t) => t.path), ...crossRefs.map((r) => r.path)]) {
    if (!p || p.length < 2) continue;
    const k = parentKey(p);
    const set = childrenOf.get(k) ?? new Set<string>();
    set.add(lower(p.at(-1)!));
    childrenOf.set(k, set);
  }
  const groups = new Map<string, { parent: string[]; target: string; limb: Limb; sites: number }>();
  for (const ref of crossRefs) {
    const m = ref.kind === 'see' && ref.path.length >= 2 ? LIMB_TARGET.exec(ref.target) : null;
    if (!m) continue;
    const limb = m[1]!.toLowerCase() as Limb;
    const g = groups.get(`${parentKey(ref.path)}>${ref.target}`) ?? { parent: ref.path.slice(0, -1), target: ref.target, limb, sites: 0 };
    if (LIMB_SITES[limb].includes(lower(ref.path.at(-1)!))) g.sites++;
    groups.set(`${parentKey(ref.path)}>${ref.target}`, g);
  }
  const out: CrossRef[] = [];
  for (const g of groups.values()) {
    if (g.sites < 2) continue;
    const listed = childrenOf.get(g.parent.map(lower).join('|')) ?? new Set<string>();
    for (const site of LIMB_SEGMENTS[g.limb]) if (!listed.has(site)) out.push({ path: [...g.parent, site], kind: 'see', target: g.target });
  }
  return out;
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
