import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import { importDataset } from '../db/queries/datasets.ts';
import { claimRun, createRun, finishRun, getRun, pendingRecords, storePrediction } from '../db/queries/eval-runs.ts';
import { freshDatabase } from '../db/testing.ts';
import { fakeSuggester } from '../notes/testing.ts';
import { startRunWorker } from './run-worker.ts';

const encounter = { setting: 'outpatient', dateOfService: '2025-03-14' } as const;
const quiet = { info: () => {}, error: () => {} };

describe('evaluation run worker: leases', () => {
  let database: Database;
  beforeAll(async () => {
    database = await freshDatabase('pglite');
  });
  afterAll(async () => database?.close());

  it('resumes the run of a worker that died only once its lease expired, at the records without a prediction; the dead worker can no longer finish it', async () => {
    const docs = Array.from({ length: 4 }, (_, i) => ({ id: `r${i}`, text: `Visit ${i}: hypertension.`, encounter, gold: [{ system: 'ICD10CM' as const, code: 'I10' }] }));
    const { version } = await importDataset(database.db, { name: 'lease-set', docs, actorId: null });
    const run = await createRun(database.db, { versionId: version.id, label: 'lease', config: { engine: 'test-1', llmModel: null, embedder: null, concurrency: 1 }, actorId: null });
    // A worker claimed it, predicted one record, then died.
    const dead = await claimRun(database.db, { workerId: 'dead', leaseMs: 400, now: new Date() });
    expect(dead?.id).toBe(run.id);
    const [first] = await pendingRecords(database.db, dead!);
    await storePrediction(database.db, { runId: run.id, recordId: first!.id, predicted: [], error: null, ms: 1 });

    const engine = fakeSuggester();
    const worker = startRunWorker(database.db, engine, { workerId: 'live', leaseMs: 60_000, pollMs: 20, logger: quiet });
    try {
      await new Promise((r) => setTimeout(r, 200));
      expect(engine.calls).toBe(0);
      expect(await getRun(database.db, run.id)).toMatchObject({ status: 'running', lockedBy: 'dead' });
      const deadline = Date.now() + 10_000;
      while ((await getRun(database.db, run.id)).status !== 'done' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(await getRun(database.db, run.id)).toMatchObject({ status: 'done', done: 4, lockedBy: null });
      expect(engine.calls).toBe(3);
      expect(await finishRun(database.db, { runId: run.id, workerId: 'dead', now: new Date(), metrics: {} as never, observed: [] })).toBe(false);
    } finally {
      await worker.stop();
    }
  });
});
