// The lexical side of phrase retrieval: an inverted index (stem → terms) over the release's code texts —
// Index paths, inclusion terms and titles, the rows of the code-description index — held in memory with
// the knowledge base. The dictionary matcher needs every word of a term; retrieval ranks terms that share
// only some of a phrase's words ("hyperechoic lesion of the liver" → "Disease, liver"), scored by the
// code search's own domain scorer (stemCoverageScore), so search and engine agree on what a good match is.
import { FREE_EXTRAS, stems, termStemSets, type TermStems } from '../index/lexical-score.ts';
import type { Knowledge } from './knowledge.ts';

export interface IndexedTerm extends TermStems {
  code: string;
  kind: string;
  text: string;
  /** How many essential words are not FREE_EXTRAS: the extras a query with none of them would be charged. */
  extraWords: number;
}

export interface TermIndex {
  terms: IndexedTerm[];
  /** stem → ids of the terms that contain it. */
  postings: Map<string, number[]>;
}

export interface LexicalHit {
  term: IndexedTerm;
  score: number;
}

/** Term kinds retrieved: Neoplasm Table rows are site × behaviour grids, matched by the dictionary only. */
const KINDS = new Set(['index', 'inclusion', 'title']);
/** A stem in more terms than this ("unspecified", "left") does not select candidates. */
export const MAX_POSTING = 1_500;

const built = new WeakMap<Knowledge, TermIndex>();

/** The knowledge base's term index, built once per release (about a second) and kept with it. */
export function termIndexOf(kb: Knowledge): TermIndex {
  let index = built.get(kb);
  if (!index) {
    index = buildTermIndex(kb.dictionary.entries.map((e) => e.term).filter((t) => KINDS.has(t.kind) && kb.codes.has(t.code)));
    built.set(kb, index);
  }
  return index;
}

export function buildTermIndex(list: readonly { code: string; kind: string; text: string }[]): TermIndex {
  const terms: IndexedTerm[] = [];
  // A term repeated for its code is indexed once. Found through a chain of each code's terms rather than a set
  // of "code + text" strings: 180k such keys were old-space garbage at every start (profiled).
  const lastOfCode = new Map<string, number>();
  const previousOfCode = new Int32Array(list.length);
  const postings = new Map<string, number[]>();
  // 180k terms of a release: one copy of each stem string, and one array when all words are essential.
  const interned = new Map<string, string>();
  const intern = (list: readonly string[]) => list.map((w) => interned.get(w) ?? (interned.set(w, w), w));
  for (const t of list) {
    const last = lastOfCode.get(t.code) ?? -1;
    if (isIndexed(terms, previousOfCode, last, t.text)) continue;
    const id = terms.length;
    previousOfCode[id] = last;
    lastOfCode.set(t.code, id);
    const stemmed = termStemSets(t.text);
    const all = intern(stemmed.all);
    const essential = stemmed.essential.length === all.length ? all : intern(stemmed.essential);
    // Every property named in the literal: a spread added them to a separate property array per term (10 MB).
    let extraWords = 0;
    for (const w of essential) if (!FREE_EXTRAS.has(w)) extraWords++;
    terms.push({ code: t.code, kind: t.kind, text: t.text, all, essential, extraWords });
    for (const s of all) {
      const ids = postings.get(s);
      if (ids) ids.push(id);
      else postings.set(s, [id]);
    }
  }
  return { terms, postings };
}

/** Whether `text` is among the terms chained from `id` (one code's terms, newest first). */
function isIndexed(terms: readonly IndexedTerm[], previous: Int32Array, id: number, text: string): boolean {
  for (let i = id; i >= 0; i = previous[i]!) if (terms[i]!.text === text) return true;
  return false;
}

/** How many terms contain the stem (0 = not a word of any code text). */
export const documentFrequency = (index: TermIndex, stem: string) => index.postings.get(stem)?.length ?? 0;

/**
 * Terms that share the phrase's rarest word, best first, one per code. Example: "left hydronephrosis" →
 * N13.30 "Hydronephrosis" … (every extra specific word of a term costs, as in the code search).
 */
export function lexicalCandidates(index: TermIndex, phrase: string, k: number): LexicalHit[] {
  const q = new Set(stems(phrase));
  // The terms that have the phrase's rarest word are scored (an Index term covering the phrase's other words
  // but not its most specific one is not what the phrase names).
  let rarest: string | null = null;
  for (const s of q) {
    const df = documentFrequency(index, s);
    if (df > 0 && df <= MAX_POSTING && (rarest == null || df < documentFrequency(index, rarest))) rarest = s;
  }
  if (rarest == null) return [];
  const pool = index.postings.get(rarest)!;
  const words = [...q];
  const best = new Map<string, LexicalHit>();
  for (const id of pool) {
    const term = index.terms[id]!;
    const score = coverageScore(words, term);
    if (score <= 0) continue;
    const have = best.get(term.code);
    if (!have || score > have.score || (score === have.score && term.text.length < have.term.text.length)) best.set(term.code, { term, score });
  }
  return bestFirst(best.values(), k, (a, b) => b.score - a.score || a.term.text.length - b.term.text.length || a.term.code.localeCompare(b.term.code));
}

/**
 * stemCoverageScore (lexical-score.ts) for a query of distinct words, with the term's uncharged extras counted
 * once at build time: the extras are its non-free essential words less those the query has. The same numbers,
 * with no set look-up per term word (the pool of a phrase is up to 1,500 terms; profiled).
 */
function coverageScore(words: readonly string[], term: IndexedTerm): number {
  let covered = 0;
  let extras = term.extraWords;
  const sameLists = term.essential === term.all;
  for (const w of words) {
    if (term.all.includes(w)) {
      covered++;
      if (sameLists && !FREE_EXTRAS.has(w)) extras--;
    }
    if (!sameLists && term.essential.includes(w) && !FREE_EXTRAS.has(w)) extras--;
  }
  return Math.max(0, covered / words.length - 0.06 * extras);
}

/**
 * The first k of `items` sorted by `order` (a total order), without sorting them all: a pool has up to 1,500
 * codes and most lose to the k-th on score alone, where a full sort called localeCompare on every tie (profiled).
 */
function bestFirst<T>(items: Iterable<T>, k: number, order: (a: T, b: T) => number): T[] {
  const top: T[] = [];
  if (k <= 0) return top;
  for (const x of items) {
    if (top.length === k && order(x, top[k - 1]!) >= 0) continue;
    let i = Math.min(top.length, k - 1);
    for (; i > 0 && order(x, top[i - 1]!) < 0; i--) top[i] = top[i - 1]!;
    top[i] = x;
  }
  return top;
}
