import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { describeError } from './errors.ts';
import { preloadCodeSearch } from './index/code-search.ts';
import { startIndexBuild, type IndexBuilder } from './index/index-builder.ts';
import { loadConfig } from './config.ts';
import { startEngine } from './engine.ts';
import { logger } from './logger.ts';
import { startRunWorker } from './evaluation/run-worker.ts';
import { startNoteWorker, type NoteWorker } from './notes/worker.ts';
import { formatSeedSheet, seedDemo } from './review/seed.ts';
import { openConfiguredDatabase } from './setup.ts';
import { serveWebApp } from './web-app.ts';

// `npm start`: migrate, load the shipped code sets when needed, serve, then bring the vector index up to date.
const config = loadConfig();
// Checked before any work: with the embedded database no other process can open it to code the notes.
if (config.MEDCODE_WORKERS === 0 && !config.DATABASE_URL) throw new Error('MEDCODE_WORKERS=0 needs DATABASE_URL: with the embedded database no `medcode worker` process can reach the queue');
const database = await openConfiguredDatabase(config);
logger.info({ database: database.kind, location: database.location }, 'database ready');
const { suggester, embedder, llm } = await startEngine(database, config, { prepare: true });

// First start: demo users (passwords to stdout once, never through the logger) and demo notes for the worker.
if (config.MEDCODE_DEMO) {
  const seed = await seedDemo(database.db, { password: config.MEDCODE_DEMO_PASSWORD });
  if (seed) {
    process.stdout.write(formatSeedSheet(seed, config.MEDCODE_DEMO_PASSWORD !== undefined));
    logger.info({ users: seed.users.length, notes: seed.notes }, 'seeded demo users and notes');
  }
}

const leaseMs = config.MEDCODE_LEASE_SECONDS * 1000;
const inProcess = config.MEDCODE_WORKERS > 0;
// Evaluation runs queued from the QA dashboard (or left by a worker that died) run here too, unless API-only.
const runWorker = inProcess ? startRunWorker(database.db, suggester, { leaseMs }) : undefined;
let worker: NoteWorker | undefined;
let indexBuild: IndexBuilder | undefined;
const vectorIndex = () => indexBuild?.status() ?? { state: 'building' as const, done: 0, total: 0 };
const app = serveWebApp(
  createApp({ db: database.db, embedder, suggester, config, databaseKind: database.kind, wakeWorker: () => worker?.wake(), runWorker, llm, ...(embedder ? { vectorIndex } : {}) }),
);
// Codes queued notes in this process; notes whose worker died mid-run are taken over once their lease expires.
if (inProcess) worker = await startNoteWorker(database.db, suggester, { concurrency: config.MEDCODE_WORKERS, leaseMs, soleProcess: database.kind === 'pglite' });
else logger.info({}, 'API only (MEDCODE_WORKERS=0): `medcode worker` processes code the notes');
const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
  logger.info({ url: `http://${config.HOST}:${info.port}` }, 'medcode is serving');
});
// The code search's in-memory catalogue, loaded in the background (a search meanwhile waits for it).
const preload = preloadCodeSearch(database.db).catch((err: unknown) => logger.warn({ error: describeError(err) }, 'code search preload failed; the first search loads it'));
// The vector index after serving (first start: ≈ 439k rows): only the code search's vector fallback reads it,
// and it is built in small statements, so requests are answered meanwhile (index/index-builder.ts).
void preload.then(() => {
  if (embedder && !stopping) indexBuild = startIndexBuild(database.db, embedder);
});

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  server.close();
  await indexBuild?.stop();
  // Runs in flight get a grace period; one still running then goes back to the queue.
  await worker?.stop();
  await runWorker?.stop();
  await database.close();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
