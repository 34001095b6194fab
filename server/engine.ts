import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import type { Embedder } from './index/embedder.ts';
import { ensureLearnedModel } from './learned-default.ts';
import { createLlmClient, llmConfigFrom, type LlmClient } from './llm/client.ts';
import { logger } from './logger.ts';
import type { Suggester } from './notes/suggester.ts';
import { followActiveModel } from './models/live-suggester.ts';
import { createSuggester } from './pipeline/suggester.ts';
import { loadConfiguredEmbedder, loadShippedCodeSets } from './setup.ts';

export interface Engine {
  suggester: Suggester;
  embedder: Embedder | null;
  llm: LlmClient | null;
}

/**
 * The coding engine of a server or worker process, over that process's own connection (a second one
 * is refused by the embedded database's lock). With `prepare` (the server) it first loads the shipped
 * code sets and the learned model when they are missing or changed; a worker expects a prepared database.
 * The vector index is not built here: the server builds it after it starts serving (index/index-builder.ts),
 * since nothing the engine suggests reads it. In test mode a test may ask for the fake engine instead (notes/testing.ts).
 */
export async function startEngine(database: Database, config: Config, opts: { prepare: boolean }): Promise<Engine> {
  if (process.env.NODE_ENV === 'test' && process.env.MEDCODE_TEST_SUGGESTER) {
    const { testSuggesterFromEnv } = await import('./notes/testing.ts');
    const suggester = testSuggesterFromEnv();
    if (suggester) {
      logger.warn({ engineVersion: suggester.engineVersion }, 'test mode: the fake engine codes notes');
      return { suggester, embedder: null, llm: null };
    }
  }
  if (opts.prepare) {
    await loadShippedCodeSets(database, config);
    await ensureLearnedModel(database.db);
  }
  const embedder = await loadConfiguredEmbedder(config);
  const llmConfig = llmConfigFrom(config);
  const llm = llmConfig ? createLlmClient(llmConfig) : null;
  // A promoted or rolled-back model reaches this process's next note without a restart.
  return { suggester: await createSuggester(database.db, { llm, embedder, model: await followActiveModel(database.db), externalCauses: config.EXTERNAL_CAUSE_CODES }), embedder, llm };
}
