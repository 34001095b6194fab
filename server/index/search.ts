import { sql, type SQL } from 'drizzle-orm';
import { CODE_SYSTEMS, type CodeSystem } from '../codes/types.ts';
import { queryRows, type Db } from '../db/client.ts';
import { indexState } from '../db/schema/index.ts';
import { formatVector } from './build-index.ts';
import type { Embedder } from './embedder.ts';
import { indexModelId } from './embedding-text.ts';
import { vectorExpr } from './vector-index.ts';
import { fuseRankings, type Ranked, type RankedHit } from './fuse.ts';
import { lexicalScore, stems } from './lexical-score.ts';

export interface SearchOptions {
  k?: number;
  systems?: readonly CodeSystem[];
  billableOnly?: boolean;
  /** Version label ("FY2026"); default: the newest loaded version of each system. */
  version?: string;
  /** The releases to search, by id (the code search passes those in force on a date of service); wins over `version`. */
  versionIds?: readonly number[];
}

export interface SearchHit extends RankedHit {
  system: CodeSystem;
  description: string;
  billable: boolean;
}

export class SearchInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SearchInputError';
  }
}

export const MAX_QUERY_CHARS = 500;
export const MAX_K = 100;
/** How deep each ranking goes before fusion: deeper than k so that fusion can promote agreement. */
const DEPTH = 100;
/** Full-text rows fetched per query form before re-scoring. */
const POOL = 1_000;

/** The query with its whitespace folded, and k (default 10); SearchInputError for an empty or over-long query or a bad k. */
export function checkSearchInput(text: string, k = 10): { query: string; k: number } {
  const query = text.replace(/\s+/g, ' ').trim();
  if (!query) throw new SearchInputError('query is empty');
  if (query.length > MAX_QUERY_CHARS) throw new SearchInputError(`query is ${query.length} characters; the limit is ${MAX_QUERY_CHARS}`);
  if (!Number.isInteger(k) || k < 1 || k > MAX_K) throw new SearchInputError(`k must be an integer from 1 to ${MAX_K}`);
  return { query, k };
}

/**
 * Hybrid code search: Postgres full text (all words, falling back to any word) and vector kNN over the
 * code-description index, fused by reciprocal rank. Each hit names the text that matched and both ranks.
 * Example: search(db, embedder, "type 2 diabetes with hyperglycemia") → E11.65 first.
 */
export async function searchCodes(db: Db, embedder: Embedder | null, text: string, opts: SearchOptions = {}): Promise<SearchHit[]> {
  const { query, k } = checkSearchInput(text, opts.k);
  const systems = opts.systems?.length ? opts.systems : CODE_SYSTEMS;
  const versions = opts.versionIds ? [...opts.versionIds] : await resolveVersions(db, systems, opts.version);
  if (versions.length === 0) return [];
  const versionIds = sql.join(
    versions.map((v) => sql`${v}`),
    sql`, `,
  );
  const billable = opts.billableOnly ? sql`and c.billable` : sql``;

  const lexical = await lexicalSearch(db, query, versionIds, billable);
  const semantic = embedder ? await vectorSearch(db, embedder, query, versionIds, billable, lexical) : [];
  const fused = fuseRankings(lexical, semantic).slice(0, k);
  return fused.map((h) => ({ ...h, system: h.system as CodeSystem }));
}

/** A ranking row; lexical rows also carry the key of their text's embedding. */
type Row = Ranked & { text_hash?: string };

async function lexicalSearch(db: Db, query: string, versionIds: SQL, billable: SQL): Promise<Row[]> {
  // Postgres finds rows that contain all the query's words (else any of them); lexicalScore then ranks
  // them by coverage and specificity, which ts_rank alone does not know about. Every row of the all-words query covers the whole query, so the shortest have the fewest extra words
  // (what lexicalScore charges for); the any-word query is ordered by Postgres' length-normalised rank.
  const run = (tsq: SQL, order: SQL) =>
    queryRows<Row>(
      db,
      sql`with q as (select ${tsq} as q)
        select t.code, t.system, c.long_desc as description, c.billable, t.text, t.kind, t.text_hash, ts_rank_cd(t.tsv, q.q, 2) as score
        from code_terms t cross join q
        join codes c on c.version_id = t.version_id and c.code = t.code
        where t.version_id in (${versionIds}) and t.tsv @@ q.q ${billable}
        order by ${order} limit ${POOL}`,
    );
  let rows = await run(sql`plainto_tsquery('english', ${query})`, sql`length(t.text), t.code`);
  if (new Set(rows.map((r) => r.code)).size < DEPTH) {
    rows = rows.concat(
      await run(sql`nullif(replace(plainto_tsquery('english', ${query})::text, ' & ', ' | '), '')::tsquery`, sql`ts_rank_cd(t.tsv, q.q, 2) desc, length(t.text)`),
    );
  }
  const q = stems(query);
  const scored = rows.map((r) => ({ ...r, score: lexicalScore(q, r.text), tsRank: Number(r.score) }));
  scored.sort((a, b) => b.score - a.score || Number(b.billable) - Number(a.billable) || b.tsRank - a.tsRank || a.text.length - b.text.length || a.code.localeCompare(b.code));
  const best = new Map<string, Row>();
  for (const r of scored) if (!best.has(`${r.system}:${r.code}`)) best.set(`${r.system}:${r.code}`, r);
  return [...best.values()].slice(0, DEPTH);
}

async function vectorSearch(db: Db, embedder: Embedder, query: string, versionIds: SQL, billable: SQL, lexical: Row[]): Promise<Row[]> {
  const [state] = await db.select().from(indexState);
  if (!state || state.modelId !== indexModelId(embedder.modelId)) return []; // index not built for this model yet
  const [vec] = await embedder.embed([query]);
  const literal = formatVector(vec!);
  if (literal == null) return []; // the model knows none of the query's words: lexical results only
  const dim = embedder.dimension;
  const q = sql`${literal}::vector(${sql.raw(String(dim))})`;
  const expr = vectorExpr(dim);
  // Over-fetch neighbours, then keep those in the requested versions; iterative scan (pgvector ≥ 0.8)
  // continues the walk when filters leave too few. ef_search 1000: the m=8 graph needs a wide beam (at 200,
  // "essential hypertension" missed its exact 2nd neighbour I10; measured cost ~20–130 ms a query).
  await db.execute(sql`set hnsw.ef_search = 1000`);
  await db.execute(sql`set hnsw.iterative_scan = relaxed_order`);
  const rows = await queryRows<Row>(
    db,
    sql`with nn as (
          select e.system, e.text_hash, ${expr} <=> ${q} as dist from term_embeddings e
          where e.embedding is not null
          order by ${expr} <=> ${q} limit ${DEPTH * 4})
        select distinct on (t.code, t.system) t.code, t.system, c.long_desc as description, c.billable, t.text, t.kind, 1 - nn.dist as score
        from nn join code_terms t on t.system = nn.system and t.text_hash = nn.text_hash
        join codes c on c.version_id = t.version_id and c.code = t.code
        where t.version_id in (${versionIds}) ${billable}
        order by t.code, t.system, nn.dist, length(t.text)`,
  );
  // The approximate neighbours miss some exact ones (many code texts share a vector), so the lexical hits are
  // also scored exactly against the query: the vector ranking then covers both candidate sets.
  const hashes = [...new Set(lexical.map((r) => r.text_hash).filter((h): h is string => !!h))];
  if (hashes.length) {
    const exact = await queryRows<{ system: string; text_hash: string; dist: number }>(
      db,
      sql`select e.system, e.text_hash, ${expr} <=> ${q} as dist from term_embeddings e
          where e.embedding is not null and e.text_hash in (${sql.join(hashes.map((h) => sql`${h}`), sql`, `)})`,
    );
    const dist = new Map(exact.map((e) => [`${e.system}:${e.text_hash}`, Number(e.dist)]));
    const best = new Map(rows.map((r) => [`${r.system}:${r.code}`, r]));
    for (const l of lexical) {
      const d = dist.get(`${l.system}:${l.text_hash}`);
      if (d == null) continue;
      const key = `${l.system}:${l.code}`;
      const have = best.get(key);
      if (!have || Number(have.score) < 1 - d) best.set(key, { ...l, score: 1 - d });
    }
    rows.splice(0, rows.length, ...best.values());
  }
  // Ties (equal vectors) are broken by the lexical order, then by code.
  const lexRank = new Map(lexical.map((r, i) => [`${r.system}:${r.code}`, i]));
  const lr = (r: Row) => lexRank.get(`${r.system}:${r.code}`) ?? Infinity;
  return rows
    .sort((a, b) => Number(b.score) - Number(a.score) || lr(a) - lr(b) || a.code.localeCompare(b.code))
    .slice(0, DEPTH);
}

async function resolveVersions(db: Db, systems: readonly CodeSystem[], version?: string): Promise<number[]> {
  const list = sql.join(
    systems.map((s) => sql`${s}`),
    sql`, `,
  );
  const rows = await queryRows<{ id: number }>(
    db,
    version
      ? sql`select id from code_set_versions where system in (${list}) and version = ${version}`
      : sql`select distinct on (system) id from code_set_versions where system in (${list}) order by system, effective_from desc`,
  );
  return rows.map((r) => Number(r.id));
}
