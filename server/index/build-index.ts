import { sql } from 'drizzle-orm';
import { pgliteClient, queryRows, type Db } from '../db/client.ts';
import { indexState } from '../db/schema/index.ts';
import { CROSS_REF_KINDS, type TermKind } from '../codes/types.ts';
import type { Embedder } from './embedder.ts';
import { embeddingText, indexModelId } from './embedding-text.ts';
import { copyVectors, storedComponent } from './vector-copy.ts';
import { dropVectorIndexes, ensureVectorIndex } from './vector-index.ts';

export interface BuildResult {
  modelId: string;
  dimension: number;
  embedded: number;
  /** Texts the model cannot represent (every word unknown): stored without a vector, found lexically. */
  unrepresentable: number;
  reused: number;
  rebuiltVectorIndex: boolean;
  /** False when an online build was stopped between chunks: the vectors written stay, the next build goes on from there. */
  complete: boolean;
  ms: number;
}

export interface BuildOptions {
  onProgress?: (done: number, total: number) => void;
  /**
   * 'bulk' (CLI `index build`, the test database): insert every vector, then build the HNSW graph in one
   * statement, the fastest way to a complete index. 'online' (a serving process, server/index/index-builder.ts):
   * the HNSW index exists before the first insert and each small chunk adds its rows to the graph, so no
   * statement holds the embedded database (one statement at a time) for more than a moment; slower in total.
   */
  mode?: 'bulk' | 'online';
  /** Online: stop between chunks. */
  signal?: AbortSignal;
  /** Online: rows per statement (default ONLINE_CHUNK). */
  chunkSize?: number;
}

/**
 * Term kinds without a vector. Cross-references have no code of their own. Short titles are the CMS
 * abbreviations of a title the same code has in full ("Unsp fx l femur, init" beside "Unspecified fracture
 * of left femur, initial encounter…"): the static model knows few of those abbreviations, so their vectors
 * only add noisier neighbours of the title's own, and they were 120k of the 440k vectors (27 % of the HNSW
 * build). The lexical search still reads them.
 */
export const NOT_EMBEDDED_KINDS: readonly TermKind[] = [...CROSS_REF_KINDS, 'short_title'];

const EMBED_CHUNK = 2_048;
/**
 * Rows per statement in online mode. Each insert also walks the HNSW graph (ef_construction 32) for each
 * row, so a chunk's cost is what a request queued behind it waits: measured in README Benchmarks.
 */
export const ONLINE_CHUNK = 256;

/**
 * Brings the code-description index up to date with the configured model: embeds only the distinct
 * (system, text) pairs that have no vector from this model, and (re)builds the HNSW index when the model
 * or dimension changed or most vectors are new (bulk-building the graph is faster than inserting into it).
 */
export async function buildIndex(db: Db, embedder: Embedder, opts: BuildOptions = {}): Promise<BuildResult> {
  const { onProgress, signal } = opts;
  const online = opts.mode === 'online';
  const t0 = performance.now();
  const modelId = indexModelId(embedder.modelId);
  const [state] = await db.select().from(indexState);
  const modelChanged = !state || state.modelId !== modelId || state.dimension !== embedder.dimension;
  if (modelChanged) {
    await dropVectorIndexes(db);
    await db.execute(sql`delete from term_embeddings where model_id <> ${modelId}`);
  }
  const embeddedKinds = sql`t.kind not in (${sql.join(NOT_EMBEDDED_KINDS.map((k) => sql`${k}`), sql`, `)})`;
  // Vectors no embedded index row uses any more (texts of replaced releases, short titles embedded before)
  // are dropped.
  await db.execute(sql`delete from term_embeddings e where not exists
    (select 1 from code_terms t where t.system = e.system and t.text_hash = e.text_hash and ${embeddedKinds})`);
  const missing = await queryRows<{ system: string; text_hash: string; text: string }>(
    db,
    sql`select t.system, t.text_hash, min(t.text) as text from code_terms t
        where ${embeddedKinds}
        and not exists (select 1 from term_embeddings e where e.system = t.system and e.text_hash = t.text_hash)
        group by t.system, t.text_hash order by t.system, t.text_hash`,
  );
  const [{ n: have } = { n: 0 }] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from term_embeddings`);
  const bulk = !online && (modelChanged || missing.length > Number(have) * 0.2);
  if (bulk && missing.length > 0) await dropVectorIndexes(db);
  // Online: the graph first (on a fresh database over an empty table, so at once), then grown chunk by chunk.
  if (online) await ensureVectorIndex(db, embedder.dimension);
  let done = 0;
  let nulls = 0;
  onProgress?.(0, missing.length);
  const chunkSize = online ? (opts.chunkSize ?? ONLINE_CHUNK) : EMBED_CHUNK;
  // The embedded database takes vectors by binary COPY (index/vector-copy.ts); PostgreSQL parses text natively.
  const pglite = pgliteClient(db);
  for (let i = 0; i < missing.length; i += chunkSize) {
    // Online: back to the event loop between chunks. PGlite runs a statement synchronously and its promises
    // settle as microtasks, so without this the loop would go from chunk to chunk without ever letting the
    // HTTP server accept a request (seen: a first start that never answered /health during the build).
    if (online) await new Promise((resolve) => setImmediate(resolve));
    if (signal?.aborted) return { modelId, dimension: embedder.dimension, embedded: done, unrepresentable: nulls, reused: Number(have), rebuiltVectorIndex: false, complete: false, ms: performance.now() - t0 };
    const chunk = missing.slice(i, i + chunkSize);
    const vectors = await embedder.embed(chunk.map((r) => embeddingText(r.text)));
    const rows = chunk.map((r, j) => ({ system: r.system, textHash: r.text_hash, vector: isDirection(vectors[j]!) ? vectors[j]! : null }));
    nulls += rows.filter((r) => r.vector == null).length;
    if (pglite) {
      await copyVectors(pglite, modelId, rows);
    } else {
      const text = rows.map((r) => ({ system: r.system, text_hash: r.textHash, embedding: r.vector && formatVector(r.vector) }));
      await db.execute(sql`
        insert into term_embeddings (system, text_hash, model_id, embedding)
        select r.system, r.text_hash, ${modelId}, r.embedding::vector
        from jsonb_to_recordset(${JSON.stringify(text)}::jsonb) as r(system text, text_hash text, embedding text)
        on conflict (system, text_hash) do update set model_id = excluded.model_id, embedding = excluded.embedding`);
    }
    done += chunk.length;
    onProgress?.(done, missing.length);
  }
  await ensureVectorIndex(db, embedder.dimension);
  if (missing.length > 0) await db.execute(sql`analyze term_embeddings`);
  await db
    .insert(indexState)
    .values({ id: 1, modelId, dimension: embedder.dimension })
    .onConflictDoUpdate({ target: indexState.id, set: { modelId, dimension: embedder.dimension, builtAt: sql`now()` } }); // the database's clock, as code_set_versions.loaded_at (index-builder.ts compares them)
  return {
    modelId,
    dimension: embedder.dimension,
    embedded: missing.length,
    unrepresentable: nulls,
    reused: Number(have),
    rebuiltVectorIndex: bulk && missing.length > 0,
    complete: true,
    ms: performance.now() - t0,
  };
}

/**
 * pgvector text form (components as stored: vector-copy.ts storedComponent), or null for a vector that
 * is not a direction: a static model gives a zero mean for text whose words it does not know, and
 * normalising that yields NaN.
 */
export function formatVector(v: ArrayLike<number>): string | null {
  if (!isDirection(v)) return null;
  let s = '[';
  for (let i = 0; i < v.length; i++) s += (i ? ',' : '') + storedComponent(v[i]!);
  return s + ']';
}

function isDirection(v: ArrayLike<number>): boolean {
  let norm = 0;
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i]!)) return false;
    norm += v[i]! * v[i]!;
  }
  return norm > 0;
}
