// The lexical code search over one release in memory (code-catalog.ts): pure functions of the catalogue
// and the query, so each behaviour is testable on a hand-built release and the whole runs in milliseconds.
import { expandAbbreviations } from '../pipeline/abbreviations.ts';
import { documentFrequency } from '../pipeline/term-index.ts';
import type { CodeSystem } from '../codes/types.ts';
import { drugKey } from '../codes/drug-name.ts';
import { codeKey, type CodeCatalog, type CrossReference } from './code-catalog.ts';
import { isStopword, stemCoverageScore, stemWord, stems } from './lexical-score.ts';
import { longTermUseCode } from './long-term-use.ts';

export interface CatalogHit {
  code: string;
  system: CodeSystem;
  description: string;
  billable: boolean;
  matchedText: string;
  /** code (typed code or prefix), title, index, inclusion, drug (a Table of Drugs row), long_term_use (Z79.x for the drug),
   *  see / see_also (reached by following an Index instruction; matchedText names it). */
  matchedKind: string;
  score: number;
}

/** What a typed code or code prefix looks like: "Z79.84", "z7984", "S72.0", "E11.", "0DTJ4ZZ", "G0008", "99213". */
const CODE_LIKE = /^[A-Za-z0-9]{1,3}(?:\.?[A-Za-z0-9]{0,4})?\.?$/;

/** The lookup key of a query that looks like a code or code prefix (it has a digit), else null. */
export function codeQueryKey(query: string): string | null {
  const q = query.trim();
  return CODE_LIKE.test(q) && /\d/.test(q) ? codeKey(q) : null;
}

/**
 * The code typed and then the codes under it, in tabular order, at most `k`. Example: "S72.0" → S72.0,
 * S72.00, S72.001, …; "z7984" → Z79.84. An ICD-10-CM prefix shorter than a category ("E1") lists categories too.
 */
export function lookupCodes(catalog: CodeCatalog, typedCode: string, k: number, billableOnly = false): CatalogHit[] {
  const { codes } = catalog;
  const key = codeKey(typedCode);
  let lo = 0;
  let hi = codes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (codes[mid]!.key < key) lo = mid + 1;
    else hi = mid;
  }
  const out: CatalogHit[] = [];
  const typed = typedCode.trim().replace(/\.$/, '').toUpperCase();
  for (let i = lo; i < codes.length && out.length < k && codes[i]!.key.startsWith(key); i++) {
    const c = codes[i]!;
    if (billableOnly && !c.billable) continue;
    // "E1301" is HCPCS E1301 as typed and ICD-10-CM E13.01 without its dot: the code as typed ranks first.
    const score = c.code === typed ? 1 : c.key === key ? 0.995 : 0.99;
    out.push({ code: c.code, system: catalog.system, description: c.title, billable: c.billable, matchedText: c.code, matchedKind: 'code', score });
  }
  return out;
}

/** A stem in more terms than this ("left", "fracture") does not select candidates while a rarer query word does. */
const SELECTIVE_DF = 4_000;
/** When every query word is that common, the terms with the fewest words that have the rarest of them. */
const COMMON_POOL = 1_000;

/** Terms sharing the most query words that make a pool on their own. */
const ENOUGH_AT_MOST = 50;

/** stemCoverageScore's cost of one extra word, refunded for a variant of a query word. */
const VARIANT_REFUND = 0.06;

/**
 * Extra words that are another form of a query word: an Index main term lists its forms ("Hypertension,
 * hypertensive", "Infection, infected, infective"), which say nothing more specific than the query; and
 * "not specified", which is "unspecified".
 */
function variantWords(q: ReadonlySet<string>, queryPrefixes: readonly string[], essential: readonly string[]): number {
  // "site not specified" is "unspecified" (free in lexical-score.ts) in other words.
  let n = !q.has('specified') && essential.includes('not') && essential.includes('specified') ? 2 : 0;
  for (const w of essential) if (w.length >= 6 && !q.has(w) && queryPrefixes.some((p) => w.startsWith(p))) n++;
  return n;
}

/** Enough to put a billable code before a header that matches as well or a little better. */
const HEADER_COST = 0.05;

const shortestCache = new WeakMap<CodeCatalog, Map<string, number[]>>();

/** The `COMMON_POOL` shortest terms containing `stem` (fewest essential words: the fewest extras), kept per catalogue. */
function shortestWith(catalog: CodeCatalog, stem: string): number[] {
  let cache = shortestCache.get(catalog);
  if (!cache) shortestCache.set(catalog, (cache = new Map()));
  let ids = cache.get(stem);
  if (!ids) {
    // Bucketed by word count rather than sorted: linear in the posting list, which can hold 40,000 terms.
    const { terms } = catalog.terms;
    const buckets: number[][] = [];
    for (const id of catalog.terms.postings.get(stem)!) (buckets[Math.min(terms[id]!.essential.length, 30)] ??= []).push(id);
    ids = buckets.flatMap((b) => b ?? []).slice(0, COMMON_POOL);
    cache.set(stem, ids);
  }
  return ids;
}

/**
 * Index-style term search: abbreviations expanded by the engine's module (CHF → congestive heart failure),
 * then the Index paths, inclusion terms and titles that share the most selective query words are scored by
 * coverage less a cost per extra specific word (lexical-score.ts, as the engine does); an exact title or
 * Index entry ranks first, and billable codes before headers at equal score. Best hit per code.
 * Example: "fracture femur neck" → S72.00 via "Fracture, traumatic, femur, femoral, upper end, neck".
 */
export function searchTerms(catalog: CodeCatalog, query: string, k: number, billableOnly = false): CatalogHit[] {
  const expanded = expandAbbreviations(query).text;
  const q = new Set(stems(expanded));
  if (q.size === 0) return [];
  const { terms } = catalog;
  const known = [...q].filter((s) => documentFrequency(terms, s) > 0);
  if (known.length === 0) return [];
  const selective = known.filter((s) => documentFrequency(terms, s) <= SELECTIVE_DF);
  let pool: Iterable<number>;
  if (selective.length === 0) {
    pool = shortestWith(catalog, known.reduce((a, b) => (documentFrequency(terms, a) <= documentFrequency(terms, b) ? a : b)));
  } else {
    // Terms sharing the most selective words (or one fewer): the rest cannot outscore them by much.
    const shared = new Uint8Array(terms.terms.length);
    const touched: number[] = [];
    let most = 0;
    for (const s of selective) {
      for (const id of terms.postings.get(s)!) {
        if (shared[id] === 0) touched.push(id);
        const n = ++shared[id]!;
        if (n > most) most = n;
      }
    }
    // Enough terms with every shared word: score only those; else widen to one word fewer.
    let atMost = 0;
    for (const id of touched) if (shared[id] === most) atMost++;
    const floor = most >= 2 && atMost >= ENOUGH_AT_MOST ? most : Math.max(1, most - 1);
    pool = touched.filter((id) => shared[id]! >= floor);
  }

  const exact = normalise(expanded);
  const prefixes = [...q].filter((w) => w.length >= 6).map((w) => w.slice(0, 6));
  // At equal score, the term with the query's most specific word wins ("cellulitis of left lower leg": the
  // cellulitis code, not "Pain in left lower leg").
  const rarest = known.reduce((a, b) => (documentFrequency(terms, a) <= documentFrequency(terms, b) ? a : b));
  const best = new Map<string, { id: number; score: number; billable: boolean; length: number; rare: boolean }>();
  for (const id of pool) {
    const term = terms.terms[id]!;
    const info = catalog.byCode.get(term.code)!;
    if (billableOnly && !info.billable) continue;
    let score = stemCoverageScore(q, term) + VARIANT_REFUND * variantWords(q, prefixes, term.essential);
    if (score <= 0) continue;
    // The coder typed a billable code's title or Index entry itself (only a fully covered term can be one).
    if (info.billable && score > 1 - 1e-9 && normalise(term.text) === exact) score += 1;
    if (!info.billable) score -= HEADER_COST; // a header is where to look, a billable code is what to report
    const have = best.get(term.code);
    if (!have || score > have.score || (score === have.score && term.text.length < have.length)) {
      best.set(term.code, { id, score, billable: info.billable, length: term.text.length, rare: term.all.includes(rarest) });
    }
  }
  // Order on numbers only (scores, billable, text length) and build hits for the first k: pools run to thousands.
  const order = [...best].sort(([ca, a], [cb, b]) => b.score - a.score || Number(b.rare) - Number(a.rare) || Number(b.billable) - Number(a.billable) || a.length - b.length || (ca < cb ? -1 : 1));
  return order.slice(0, k).map(([code, { id, score }]) => {
    const term = terms.terms[id]!;
    const info = catalog.byCode.get(code)!;
    return { code, system: catalog.system, description: info.title, billable: info.billable, matchedText: term.text, matchedKind: term.kind, score };
  });
}

/** A followed hit ranks just below a direct hit of the same coverage: the coder's own words come first. */
const CROSS_REF_COST = 0.02;
/** Instructions followed per query: the deepest entries the query names. */
const MAX_FOLLOWED = 2;

/**
 * Follows the Index's "see also" (and a "see" that needs a subterm) as a coder does: when the query names the
 * entry that carries the instruction, the target is searched with the query's remaining words. Examples:
 * "abscess of finger" (Abscess, finger — see also Abscess, hand) → L02.51-; "arthropathy in gout" via a
 * "see also category M1A" target → that category's codes. Hits say which instruction led there.
 */
export function followCrossReferences(catalog: CodeCatalog, query: string, k: number, billableOnly = false): CatalogHit[] {
  const expanded = expandAbbreviations(query).text;
  const words = (expanded.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((w) => !isStopword(w));
  const q = new Set(words.map(stemWord));
  // Per entry the query names, the stems it used: the other words go with the target.
  const named = new Map<CrossReference, Set<string>>();
  for (const s of q) {
    for (const ref of catalog.crossRefs.get(s) ?? []) {
      if (named.has(ref)) continue;
      const used = ref.forms.map((part) => part.find((form) => form.every((x) => q.has(x))));
      if (used.every(Boolean)) named.set(ref, new Set(used.flat() as string[]));
    }
  }
  const deepest = [...named].sort(([a, ua], [b, ub]) => b.path.length - a.path.length || ub.size - ua.size).slice(0, MAX_FOLLOWED);
  return deepest.flatMap(([ref, used]) => {
    const via = `${ref.path.join(', ')} — ${ref.kind === 'see' ? 'see' : 'see also'} ${ref.target}`;
    const code = ref.code;
    const rest = words.filter((w) => !used.has(stemWord(w))).join(' ');
    const hits = code ? lookupCodes(catalog, code, k, billableOnly) : searchTerms(catalog, `${ref.target} ${rest}`, k, billableOnly);
    return hits.map((h) => ({ ...h, matchedKind: ref.kind, matchedText: code ? via : `${via}: ${h.matchedText}`, score: h.score - CROSS_REF_COST }));
  });
}

/**
 * A drug the Table of Drugs names (the whole query, or its first words: "metformin 500 mg"): the long-term
 * use code first (metformin → Z79.84), then the table's columns for it — poisoning, adverse effect, underdosing.
 */
export function searchDrugs(catalog: CodeCatalog, query: string, billableOnly = false): CatalogHit[] {
  const words = drugKey(query).split(' ');
  for (let n = Math.min(words.length, 4); n >= 1; n--) {
    const name = words.slice(0, n).join(' ');
    const rows = catalog.drugs.get(name);
    if (!rows) continue;
    const out: CatalogHit[] = [];
    const z79 = longTermUseCode(name, rows[0]!.code);
    const z = z79 ? catalog.byCode.get(z79) : undefined;
    if (z && (!billableOnly || z.billable)) {
      out.push({ code: z.code, system: catalog.system, description: z.title, billable: z.billable, matchedText: `${rows[0]!.drug}: long term (current) use`, matchedKind: 'long_term_use', score: 2 });
    }
    for (const r of rows) {
      const c = catalog.byCode.get(r.code)!;
      if (billableOnly && !c.billable) continue;
      out.push({ code: c.code, system: catalog.system, description: c.title, billable: c.billable, matchedText: `${r.drug}, ${r.column}`, matchedKind: 'drug', score: 1.9 });
    }
    return out;
  }
  return [];
}

const normalise = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
