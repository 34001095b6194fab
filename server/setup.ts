import type { Config } from './config.ts';
import { loadCodeSets, type LoadResult } from './codes/load.ts';
import { SHIPPED_RELEASES } from './codes/releases.ts';
import { openDatabase, type Database } from './db/client.ts';
import { buildIndex, type BuildResult } from './index/build-index.ts';
import { loadEmbedder, type Embedder } from './index/embedder.ts';
import { progressBar } from './cli/progress.ts';
import { logger } from './logger.ts';

/** Opens the configured database (PostgreSQL with DATABASE_URL, else the embedded PGlite) and migrates it. */
export async function openConfiguredDatabase(config: Config): Promise<Database> {
  const database = await openDatabase(config.DATABASE_URL ? { url: config.DATABASE_URL } : { dataDir: config.dataDir });
  await database.migrate();
  return database;
}

export function loadConfiguredEmbedder(config: Config): Promise<Embedder> {
  return loadEmbedder({ model: config.EMBEDDING_MODEL, allowRemote: config.ALLOW_REMOTE_MODELS, cacheDir: config.modelCacheDir });
}

/** Loads the shipped code sets (skipping unchanged ones) with a progress bar per release. */
export async function loadShippedCodeSets(database: Database, config: Config): Promise<LoadResult[]> {
  const bars = new Map<string, ReturnType<typeof progressBar>>();
  const results = await loadCodeSets(database.db, config.CODESETS_DIR, SHIPPED_RELEASES, {
    onRelease: (r, phase) => {
      if (phase === 'parsing') logger.info({ system: r.system, version: r.version }, 'parsing code set');
      if (phase === 'writing') bars.set(r.system, progressBar(`load ${r.system} ${r.version}`));
    },
    onProgress: (r, done, total) => bars.get(r.system)?.update(done, total),
  });
  for (const b of bars.values()) b.stop();
  for (const r of results) logger.info({ system: r.system, version: r.version, status: r.status, ms: Math.round(r.ms) }, 'code set ready');
  return results;
}

/** Embeds what is missing from the index and builds the HNSW graph, with a progress bar. */
export async function buildConfiguredIndex(database: Database, embedder: Embedder): Promise<BuildResult> {
  const bar = progressBar('embed index rows');
  const result = await buildIndex(database.db, embedder, { onProgress: (d, t) => t > 0 && bar.update(d, t) });
  bar.stop();
  logger.info({ modelId: result.modelId, embedded: result.embedded, reused: result.reused, ms: Math.round(result.ms) }, 'index ready');
  return result;
}
