// The vector index of a serving process, built after it starts serving (issue 14 item 6: first `npm start`
// to healthy ≤ 4 min on 2 cores). Nothing the engine suggests reads these vectors (the engine's phrase
// retrieval embeds from its in-memory knowledge, pipeline/retrieve.ts): only the code search's vector
// fallback does (index/search.ts), when nothing lexical matches, and until the build ends that fallback
// answers from the lexical results alone (index_state names the model only once every vector is in). The
// build runs in small statements (build-index.ts, mode 'online') so a request waits behind one chunk at
// most, not behind a minutes-long CREATE INDEX.
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db/client.ts';
import { indexState } from '../db/schema/index.ts';
import { describeError } from '../errors.ts';
import { logger } from '../logger.ts';
import { buildIndex, type BuildResult } from './build-index.ts';
import type { Embedder } from './embedder.ts';
import { indexModelId } from './embedding-text.ts';

export interface VectorIndexStatus {
  /** building: the code search's vector fallback is off until ready; failed: see the log, the next start retries. */
  state: (typeof VECTOR_INDEX_STATES)[number];
  /** Rows embedded so far and rows to embed in this build (0 / 0 when nothing was missing). */
  done: number;
  total: number;
}

export const VECTOR_INDEX_STATES = ['building', 'ready', 'failed', 'missing'] as const;

/**
 * The vector index as this process sees it: the live build's status when it runs one (the server), else
 * whether index_state names the embedder's model (a process over a database `npm start` or `index build`
 * prepared: 'ready', else 'missing'); null without an embedder.
 */
export async function vectorIndexStatus(db: Db, embedder: Embedder | null, live?: () => VectorIndexStatus): Promise<VectorIndexStatus | null> {
  if (!embedder) return null;
  if (live) return live();
  const [state] = await db.select().from(indexState);
  const ready = state?.modelId === indexModelId(embedder.modelId) && state.dimension === embedder.dimension;
  return { state: ready ? 'ready' : 'missing', done: 0, total: 0 };
}

/**
 * True when the last complete build was for this model and no release was loaded since: a later start then
 * skips the build's two anti-joins over ≈ 439k rows (7–10 s of statements a request would wait behind).
 */
async function indexUpToDate(db: Db, embedder: Embedder): Promise<boolean> {
  const [row] = await queryRows<{ model_id: string; dimension: number; current: boolean }>(
    db,
    sql`select s.model_id, s.dimension, s.built_at >= coalesce((select max(loaded_at) from code_set_versions), '-infinity') as current from index_state s`,
  );
  return !!row && row.model_id === indexModelId(embedder.modelId) && Number(row.dimension) === embedder.dimension && row.current === true;
}

export interface IndexBuilder {
  status(): VectorIndexStatus;
  /** Resolves when the build ended (complete, stopped or failed). */
  finished: Promise<BuildResult | null>;
  /** Stops between chunks and waits for that: the vectors written stay, the next start goes on from there. */
  stop(): Promise<void>;
}

/** Starts bringing the vector index up to date in the background; `status()` tells /health and the search how far it is. */
export function startIndexBuild(db: Db, embedder: Embedder, opts: { onProgress?: (done: number, total: number) => void; chunkSize?: number } = {}): IndexBuilder {
  const status: VectorIndexStatus = { state: 'building', done: 0, total: 0 };
  const abort = new AbortController();
  let lastLogged = 0;
  const t0 = performance.now();
  const build = async (): Promise<BuildResult | null> => {
    if (await indexUpToDate(db, embedder)) {
      logger.info({}, 'vector index up to date');
      return null;
    }
    return buildIndex(db, embedder, {
      mode: 'online',
      signal: abort.signal,
      ...(opts.chunkSize ? { chunkSize: opts.chunkSize } : {}),
      onProgress: (done, total) => {
        status.done = done;
        status.total = total;
        opts.onProgress?.(done, total);
        // A log line per tenth: a redrawn progress bar would mix with request logs.
        if (total > 0 && (done === total || done - lastLogged >= total / 10)) {
          lastLogged = done;
          logger.info({ done, total, seconds: Math.round((performance.now() - t0) / 1000) }, 'vector index: rows embedded');
        }
      },
    });
  };
  const finished = build().then(
    (result) => {
      if (!result) status.state = 'ready';
      else if (result.complete) {
        status.state = 'ready';
        logger.info({ modelId: result.modelId, embedded: result.embedded, reused: result.reused, ms: Math.round(result.ms) }, 'vector index ready');
      } else logger.info({ embedded: result.embedded }, 'vector index build stopped; the next start goes on from there');
      return result;
    },
    (err: unknown) => {
      status.state = 'failed';
      logger.error({ error: describeError(err) }, 'vector index build failed; the code search answers from lexical matches only');
      return null;
    },
  );
  return {
    status: () => ({ ...status }),
    finished,
    stop: async () => {
      abort.abort();
      await finished;
    },
  };
}
