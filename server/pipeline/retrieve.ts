// Retrieval for the phrases the dictionary left over (pipeline step 4, second half): hybrid, like the code
// search — a lexical ranking from the in-memory term index and a semantic ranking of the same pool by
// embedding similarity (the configured embedder, the model the pgvector index is built with), fused by
// reciprocal rank (index/fuse.ts). Why not the database's searchCodes: on the embedded database one
// search costs 0.3–2 s (HNSW beam 1000 plus full text over 430k rows); a note has 10–40 phrases. Term
// vectors are computed once per text and cached, so a warm engine embeds only the note's phrases.
import { embeddingText } from '../index/embedding-text.ts';
import type { Embedder } from '../index/embedder.ts';
import { fuseRankings, type Ranked } from '../index/fuse.ts';
import { logger } from '../logger.ts';
import type { Knowledge } from './knowledge.ts';
import { lexicalCandidates, termIndexOf, type IndexedTerm } from './term-index.ts';

export interface RetrievedHit {
  code: string;
  /** The code text that matched (Index path, inclusion term or title) and its kind. */
  text: string;
  kind: string;
  /** 1-based rank after fusion. */
  rank: number;
  /** Lexical match quality in [0, 1] (stemCoverageScore). */
  lexical: number;
  /** Cosine similarity of phrase and text, when an embedder is configured. */
  similarity: number | null;
}

/** Phrase text → its hits, best first. */
export type RetrievedHits = ReadonlyMap<string, readonly RetrievedHit[]>;
export type Retrieve = (phrases: readonly string[]) => Promise<RetrievedHits>;

/** Hits kept per phrase: the learned layer judges each; deeper ranks were right too rarely on train. */
export const HITS_PER_PHRASE = 2;
/** Lexical pool re-ranked by similarity. */
const POOL = 10;
const EMBED_BATCH = 32;
/** Phrases whose hits are kept. */
const PHRASE_CACHE = 50_000;
/** Term vectors kept (≈ 100 floats each: 20 MB). */
const VECTOR_CACHE = 50_000;

export function createRetriever(kb: Knowledge, embedder: Embedder | null): Retrieve {
  const vectors = new Map<string, Float32Array | null>();
  /**
   * Vectors of `texts` for this call (from the cache or embedded now), or null when the embedder failed:
   * the call then ranks lexically and its hits are not cached. A per-call map, so a cache clear by a
   * concurrent call cannot take vectors away mid-ranking.
   */
  const embed = async (texts: readonly string[]): Promise<Map<string, Float32Array | null> | null> => {
    const local = new Map<string, Float32Array | null>();
    // Sorted by length and embedded in small batches: a batch is padded to its longest text, and pooling
    // the padding of 300 mixed texts cost more than the model itself (profiled).
    const missing: string[] = [];
    for (const t of new Set(texts)) {
      const v = vectors.get(t);
      if (v === undefined) missing.push(t);
      else local.set(t, v);
    }
    missing.sort((a, b) => a.length - b.length);
    try {
      for (let i = 0; i < missing.length; i += EMBED_BATCH) {
        const batch = missing.slice(i, i + EMBED_BATCH);
        const out = await embedder!.embed(batch);
        batch.forEach((t, j) => local.set(t, direction(out[j]!)));
      }
    } catch (e) {
      logger.warn({ err: (e as Error).message }, 'embedder failed: phrase retrieval ranked lexically for this note');
      return null;
    }
    if (vectors.size + missing.length > VECTOR_CACHE) vectors.clear();
    for (const t of missing) vectors.set(t, local.get(t)!);
    return local;
  };
  // Phrases recur across notes ("pain", "lymph nodes"): their hits are kept (same release, same model).
  const known = new Map<string, RetrievedHit[]>();
  return async (phrases) => {
    const index = termIndexOf(kb);
    const out = new Map<string, RetrievedHit[]>();
    const todo: string[] = [];
    for (const p of phrases) {
      const hits = known.get(p);
      if (!hits) todo.push(p);
      else if (hits.length) out.set(p, hits);
    }
    const lexical = new Map(todo.map((p) => [p, lexicalCandidates(index, p, POOL)]));
    const local = embedder ? await embed([...todo, ...[...lexical.values()].flat().map((h) => embeddingTextOf(h.term))]) : null;
    const cacheable = !embedder || local !== null;
    if (known.size + todo.length > PHRASE_CACHE) known.clear();
    for (const [phrase, hits] of lexical) {
      if (hits.length === 0) {
        if (cacheable) known.set(phrase, []);
        continue;
      }
      const rows: Ranked[] = hits.map((h) => ({ code: h.term.code, system: 'ICD10CM', description: '', billable: kb.codes.get(h.term.code)?.billable ?? false, text: h.term.text, kind: h.term.kind, score: h.score }));
      const q = local?.get(phrase) ?? null;
      const similarity = new Map<string, number>();
      if (q) for (const h of hits) similarity.set(h.term.code, cosine(q, local!.get(embeddingTextOf(h.term)) ?? null));
      const semantic = q ? rows.filter((r) => similarity.get(r.code)! > 0).sort((a, b) => similarity.get(b.code)! - similarity.get(a.code)!) : [];
      const lexicalScore = new Map(hits.map((h) => [h.term.code, h.score]));
      const fused = fuseRankings(rows, semantic)
        .slice(0, HITS_PER_PHRASE)
        .map((f, i) => ({ code: f.code, text: f.matchedText, kind: f.matchedKind, rank: i + 1, lexical: lexicalScore.get(f.code)!, similarity: q ? (similarity.get(f.code) ?? null) : null }));
      if (cacheable) known.set(phrase, fused);
      out.set(phrase, fused);
    }
    return out;
  };
}

const embeddingTexts = new WeakMap<IndexedTerm, string>();
/**
 * A term's embedding text, computed once per term of the release: two regular expressions per pool term and
 * phrase were a tenth of retrieval (profiled), and the one string object keeps its hash for the cache lookups.
 */
function embeddingTextOf(term: IndexedTerm): string {
  let t = embeddingTexts.get(term);
  if (t === undefined) embeddingTexts.set(term, (t = embeddingText(term.text)));
  return t;
}

/** The embedder's vectors are unit length; one with no direction (a static model knew none of the words) is null. */
function direction(v: ArrayLike<number>): Float32Array | null {
  const out = new Float32Array(v.length);
  let any = false;
  for (let i = 0; i < v.length; i++) {
    out[i] = v[i]!;
    const x = out[i]!; // the float32 value, as Float32Array.from gave
    if (!Number.isFinite(x)) return null;
    if (x !== 0) any = true;
  }
  return any ? out : null;
}

function cosine(a: Float32Array, b: Float32Array | null): number {
  if (!b) return 0;
  let d = 0;
  for (let i = 0; i < a.length; i++) d += a[i]! * b[i]!;
  return d;
}
