// Child process of `npm run bench -- review`: the API of server/app.ts over real HTTP on 127.0.0.1 (random
// port), on a temporary copy of the full test database (every shipped code set, see server/db/full-database.ts),
// seeded with bench coders and suggested notes. Its own process, so the load generator does not share its event loop.
// Protocol (IPC): sends { type: 'ready', url, manifest, setupMs }; answers { type: 'cpu' } with its CPU time so far;
// on { type: 'stop' } (or a lost parent) it closes and exits.
import { serve } from '@hono/node-server';
import { createApp } from '../server/app.ts';
import { hashPassword } from '../server/auth/password.ts';
import { TEST_PASSWORD } from '../server/auth/testing.ts';
import { loadConfig } from '../server/config.ts';
import { fullDatabase } from '../server/db/full-database.ts';
import { seedReviewLoad, type SeedOptions } from './review-seed.ts';

if (!process.send) throw new Error('bench/review-server.ts runs as a child of `npm run bench -- review`');
const options = JSON.parse(process.env.MEDCODE_BENCH_SEED ?? '{}') as Omit<SeedOptions, 'passwordHash'>;

const t0 = performance.now();
const { database, embedder } = await fullDatabase(process.env.MEDCODE_BENCH_DRIVER === 'postgres' ? 'postgres' : 'pglite');
const copiedMs = performance.now() - t0;
const manifest = await seedReviewLoad(database.db, { ...options, passwordHash: await hashPassword(TEST_PASSWORD) });
const app = createApp({ db: database.db, embedder, suggester: null, config: loadConfig({}), databaseKind: database.kind });
// Requests being answered: autocannon stops without waiting for its last answers, and the database must outlive them.
let inFlight = 0;
const fetch = async (req: Request) => {
  inFlight++;
  try {
    return await app.fetch(req);
  } finally {
    inFlight--;
  }
};
const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.send!({ type: 'ready', url: `http://127.0.0.1:${info.port}`, manifest, copiedMs, seededMs: performance.now() - t0 - copiedMs });
});

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  server.close();
  for (let waited = 0; inFlight > 0 && waited < 100; waited++) await new Promise((r) => setTimeout(r, 50));
  await database.close(); // also removes the temporary copy
  process.exit(0);
}
process.on('message', (m: { type?: string }) => {
  if (m.type === 'stop') void stop();
  // CPU time this process has used: the bench takes it before and after the load (per-request cost on a shared machine).
  if (m.type === 'cpu') {
    const u = process.cpuUsage();
    process.send!({ type: 'cpu', cpuMs: (u.user + u.system) / 1000 });
  }
});
process.on('disconnect', () => void stop());
