// The lexical code search over one release in memory (code-catalog.ts): pure functions of the catalogue
// and the query, so each behaviour is testable on a hand-built release and the whole runs in milliseconds.
import { expandAbbreviations } from '../pipeline/abbreviations.ts';
import { documentFrequency } from '../pipeline/term-index.ts';
import type { CodeSystem } from '../codes/types.ts';
import { codeKey, drugKey, type CodeCatalog } from './code-catalog.ts';
import { stemCoverageScore, stems } from './lexical-score.ts';
import { longTermUseCode } from './long-term-use.ts';

export interface CatalogHit {
  code: string;
  system: CodeSystem;
  description: string;
  billable: boolean;
  matchedText: string;
  /** code (typed code or prefix), title, index, inclusion, drug (a Table of Drugs row), long_term_use (Z79.x for the drug). */
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
export function lookupCodes(catalog: CodeCatalog, key: string, k: number, billableOnly = false): CatalogHit[] {
  const { codes } = catalog;
  let lo = 0;
  let hi = codes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (codes[mid]!.key < key) lo = mid + 1;
    else hi = mid;
  }
  const out: CatalogHit[] = [];
  for (let i = lo; i < codes.length && out.length < k && codes[i]!.key.startsWith(key); i++) {
    const c = codes[i]!;
    if (billableOnly && !c.billable) continue;
    out.push({ code: c.code, system: catalog.system, description: c.title, billable: c.billable, matchedText: c.code, matchedKind: 'code', score: c.key === key ? 1 : 0.99 });
  }
  return out;
}

/** A stem in more terms than this ("left", "fracture") does not select candidates while a rarer query word does. */
const SELECTIVE_DF = 6_000;
/** When every query word is that common, the terms with the fewest words that have the rarest of them. */
const COMMON_POOL = 2_000;

/** Enough to put a billable code before a header that matches as well or a little better. */
const HEADER_COST = 0.05;

const shortestCache = new WeakMap<CodeCatalog, Map<string, number[]>>();

/** The `COMMON_POOL` shortest terms containing `stem` (fewest essential words: the fewest extras), kept per catalogue. */
function shortestWith(catalog: CodeCatalog, stem: string): number[] {
  let cache = shortestCache.get(catalog);
  if (!cache) shortestCache.set(catalog, (cache = new Map()));
  let ids = cache.get(stem);
  if (!ids) {
    const { terms } = catalog.terms;
    ids = [...catalog.terms.postings.get(stem)!].sort((a, b) => terms[a]!.essential.length - terms[b]!.essential.length || terms[a]!.text.length - terms[b]!.text.length).slice(0, COMMON_POOL);
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
    const shared = new Map<number, number>();
    let most = 0;
    for (const s of selective) {
      for (const id of terms.postings.get(s)!) {
        const n = (shared.get(id) ?? 0) + 1;
        shared.set(id, n);
        if (n > most) most = n;
      }
    }
    const floor = Math.max(1, most - 1);
    pool = [...shared].filter(([, n]) => n >= floor).map(([id]) => id);
  }

  const exact = normalise(expanded);
  const best = new Map<string, { id: number; score: number }>();
  for (const id of pool) {
    const term = terms.terms[id]!;
    const info = catalog.byCode.get(term.code)!;
    if (billableOnly && !info.billable) continue;
    let score = stemCoverageScore(q, term);
    if (score <= 0) continue;
    if (normalise(term.text) === exact) score += 1; // the coder typed the entry itself
    if (!info.billable) score -= HEADER_COST; // a header is where to look, a billable code is what to report
    const have = best.get(term.code);
    if (!have || score > have.score || (score === have.score && term.text.length < terms.terms[have.id]!.text.length)) best.set(term.code, { id, score });
  }
  return [...best.entries()]
    .map(([code, { id, score }]) => {
      const term = terms.terms[id]!;
      const info = catalog.byCode.get(code)!;
      return { code, system: catalog.system, description: info.title, billable: info.billable, matchedText: term.text, matchedKind: term.kind, score };
    })
    .sort((a, b) => b.score - a.score || Number(b.billable) - Number(a.billable) || a.matchedText.length - b.matchedText.length || a.code.localeCompare(b.code))
    .slice(0, k);
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
