import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { logger } from './logger.ts';
import { buildConfiguredIndex, loadConfiguredEmbedder, loadShippedCodeSets, openConfiguredDatabase } from './setup.ts';

// `npm start`: migrate, load the shipped code sets and build the index when needed, then serve.
const config = loadConfig();
const database = await openConfiguredDatabase(config);
logger.info({ database: database.kind, location: database.location }, 'database ready');
await loadShippedCodeSets(database, config);
const embedder = await loadConfiguredEmbedder(config);
await buildConfiguredIndex(database, embedder);

const app = createApp({ db: database.db, embedder, config, databaseKind: database.kind });
const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
  logger.info({ url: `http://${config.HOST}:${info.port}` }, 'medcode is serving');
});

const shutdown = async () => {
  server.close();
  await database.close();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
