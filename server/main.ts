import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { describeError } from './errors.ts';
import { preloadCodeSearch } from './index/code-search.ts';
import { loadConfig } from './config.ts';
import { logger } from './logger.ts';
import { startRunWorker } from './evaluation/run-worker.ts';
import { startNoteWorker } from './notes/worker.ts';
import { createLlmClient, llmConfigFrom } from './llm/client.ts';
import { ensureLearnedModel } from './learned-default.ts';
import { createSuggester } from './pipeline/suggester.ts';
import { formatSeedSheet, seedDemo } from './review/seed.ts';
import { buildConfiguredIndex, loadConfiguredEmbedder, loadShippedCodeSets, openConfiguredDatabase } from './setup.ts';
import { serveWebApp } from './web-app.ts';

// `npm start`: migrate, load the shipped code sets and build the index when needed, then serve.
const config = loadConfig();
const database = await openConfiguredDatabase(config);
logger.info({ database: database.kind, location: database.location }, 'database ready');
await loadShippedCodeSets(database, config);
await ensureLearnedModel(database.db);
const embedder = await loadConfiguredEmbedder(config);
await buildConfiguredIndex(database, embedder);

// Over the server's own connection: createOfflineSuggester opens a second one, which the embedded
// database's lock refuses while the server holds it.
const llmConfig = llmConfigFrom(config);
const llm = llmConfig ? createLlmClient(llmConfig) : null;
const suggester = await createSuggester(database.db, { llm, embedder });

// First start: demo users (passwords to stdout once, never through the logger) and demo notes for the worker.
if (config.MEDCODE_DEMO) {
  const seed = await seedDemo(database.db, { password: config.MEDCODE_DEMO_PASSWORD });
  if (seed) {
    process.stdout.write(formatSeedSheet(seed, config.MEDCODE_DEMO_PASSWORD !== undefined));
    logger.info({ users: seed.users.length, notes: seed.notes }, 'seeded demo users and notes');
  }
}

// Evaluation runs queued from the QA dashboard (or left unfinished by a previous process) run here too.
const runWorker = startRunWorker(database.db, suggester);
const app = serveWebApp(createApp({ db: database.db, embedder, suggester, config, databaseKind: database.kind, wakeWorker: () => worker.wake(), runWorker, llm }));
// Codes queued notes in this process; notes a previous run left in "processing" are resumed first.
const worker = await startNoteWorker(database.db, suggester, { concurrency: 1 });
const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
  logger.info({ url: `http://${config.HOST}:${info.port}` }, 'medcode is serving');
});
// The code search's in-memory catalogue, loaded in the background (a search meanwhile waits for it).
preloadCodeSearch(database.db).catch((err: unknown) => logger.warn({ error: describeError(err) }, 'code search preload failed; the first search loads it'));

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  server.close();
  // Runs in flight get a grace period; one still running then stays "processing" and resumes at the next start.
  await worker.stop();
  await runWorker.stop();
  await database.close();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
