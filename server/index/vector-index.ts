import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db/client.ts';

// HNSW index over the active model's vectors. The column is dimension-free (the model is configuration),
// so the index is on an expression cast to the model's dimension, and every kNN query must use the same
// expression (`vectorExpr`) for the planner to pick the index.

/**
 * HNSW build parameters. PGlite builds single-threaded; on 100k random 100-d vectors the defaults
 * (m=16, ef_construction=64) took 179 s and m=8 / ef_construction=32 took 41 s. Query-time ef_search
 * (set in search.ts) recovers recall; the recall we get is measured in bench/search.ts.
 */
const HNSW_M = 8;
const HNSW_EF_CONSTRUCTION = 32;

export const indexName = (dimension: number) => `term_embeddings_hnsw_${dimension}`;

/** The SQL expression the HNSW index is built on. `dimension` is an integer from the loaded model. */
const exprText = (dimension: number) => `(embedding::vector(${Math.trunc(dimension)}))`;
export const vectorExpr = (dimension: number) => sql.raw(exprText(dimension));

export async function dropVectorIndexes(db: Db): Promise<void> {
  const list = await queryRows<{ indexname: string }>(
    db,
    sql`select indexname from pg_indexes where tablename = 'term_embeddings' and indexname like 'term_embeddings_hnsw_%'`,
  );
  for (const r of list) await db.execute(sql.raw(`drop index if exists "${r.indexname}"`));
}

export async function ensureVectorIndex(db: Db, dimension: number): Promise<void> {
  // The graph is built in memory when it fits in maintenance_work_mem; spilling makes the build many times slower.
  await db.execute(sql.raw(`set maintenance_work_mem = '1GB'`));
  await db.execute(
    sql.raw(
      `create index if not exists "${indexName(dimension)}" on term_embeddings using hnsw (${exprText(dimension)} vector_cosine_ops) with (m = ${HNSW_M}, ef_construction = ${HNSW_EF_CONSTRUCTION})`,
    ),
  );
}
