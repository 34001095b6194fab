// `medcode worker`: coding workers without HTTP, beside API servers started with MEDCODE_WORKERS=0.
import { once } from 'node:events';
import type { Config } from '../config.ts';
import { startEngine } from '../engine.ts';
import { limitHeapGrowth } from '../heap-growth.ts';
import { startRunWorker } from '../evaluation/run-worker.ts';
import { logger } from '../logger.ts';
import { startNoteWorker } from '../notes/worker.ts';
import { openConfiguredDatabase } from '../setup.ts';

/**
 * Codes queued notes (`concurrency` at a time) and runs queued evaluation runs until SIGTERM or SIGINT,
 * then stops gracefully: runs in flight get the grace period, and the leases still held are released so
 * other workers take those notes at once. Expects a database the server has prepared (code sets, index).
 */
export async function runWorkerRole(config: Config, opts: { concurrency: number }): Promise<void> {
  limitHeapGrowth();
  const database = await openConfiguredDatabase(config);
  try {
    const { suggester } = await startEngine(database, config, { prepare: false });
    const leaseMs = config.MEDCODE_LEASE_SECONDS * 1000;
    const notes = await startNoteWorker(database.db, suggester, { concurrency: opts.concurrency, leaseMs, soleProcess: database.kind === 'pglite' });
    const runs = startRunWorker(database.db, suggester, { leaseMs, workerId: notes.workerId });
    const signal = await Promise.race([once(process, 'SIGTERM').then(() => 'SIGTERM'), once(process, 'SIGINT').then(() => 'SIGINT')]);
    logger.info({ signal }, 'worker stopping');
    await notes.stop();
    await runs.stop();
  } finally {
    await database.close();
  }
}
