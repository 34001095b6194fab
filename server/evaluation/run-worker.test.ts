import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import { importDataset } from '../db/queries/datasets.ts';
import { claimRecord, createRun, getRun, runPredictions } from '../db/queries/eval-runs.ts';
import { DRIVERS, freshDatabase } from '../db/testing.ts';
import { fakeSuggester } from '../notes/testing.ts';
import { startRunWorker } from './run-worker.ts';

const encounter = { setting: 'outpatient', dateOfService: '2025-03-14' } as const;
const quiet = { info: () => {}, error: () => {} };
const config = { engine: 'test-1', llmModel: null, embedder: null, concurrency: 1 };

async function waitFor(what: string, probe: () => Promise<boolean>) {
  const deadline = Date.now() + 10_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.each(DRIVERS)('evaluation run worker: record leases (%s)', (driver) => {
  let database: Database;
  beforeAll(async () => {
    database = await freshDatabase(driver);
  });
  afterAll(async () => database?.close());

  async function queuedRun(name: string, records: number) {
    const docs = Array.from({ length: records }, (_, i) => ({ id: `r${String(i).padStart(2, '0')}`, text: `Visit ${i}: hypertension.`, encounter, gold: [{ system: 'ICD10CM' as const, code: 'I10' }] }));
    const { version } = await importDataset(database.db, { name, docs, actorId: null });
    return createRun(database.db, { versionId: version.id, label: name, config, actorId: null });
  }

  it('two workers split one run record by record; each record is predicted once and the run is finished once', async () => {
    const run = await queuedRun('split-set', 12);
    const [a, b] = [fakeSuggester({ delayMs: 30 }), fakeSuggester({ delayMs: 30 })];
    const workers = [startRunWorker(database.db, a, { workerId: 'a', pollMs: 20, logger: quiet }), startRunWorker(database.db, b, { workerId: 'b', pollMs: 20, logger: quiet })];
    try {
      await waitFor('the run to finish', async () => (await getRun(database.db, run.id)).status === 'done');
      expect(a.calls + b.calls).toBe(12);
      expect(a.calls).toBeGreaterThan(0);
      expect(b.calls).toBeGreaterThan(0);
      const done = await getRun(database.db, run.id);
      expect(done.done).toBe(12);
      expect(done.metrics?.all?.code.micro.recall).toBe(1);
      expect((await runPredictions(database.db, run)).every((r) => r.predicted !== null)).toBe(true);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
  });

  it('leaves the record a dead worker leased alone until its lease expired, then predicts it and finishes the run', async () => {
    const run = await queuedRun('lease-set', 4);
    // A worker leased the first record and died.
    const taken = await claimRecord(database.db, { workerId: 'dead', leaseMs: 500, run });
    expect(taken?.recordKey).toBe('r00');
    const engine = fakeSuggester();
    const worker = startRunWorker(database.db, engine, { workerId: 'live', pollMs: 20, logger: quiet });
    try {
      await waitFor('the three free records', async () => (await getRun(database.db, run.id)).done === 3);
      expect(engine.calls).toBe(3);
      expect((await getRun(database.db, run.id)).status).toBe('running');
      await waitFor('the run to finish', async () => (await getRun(database.db, run.id)).status === 'done');
      expect(engine.calls).toBe(4);
      expect((await getRun(database.db, run.id)).done).toBe(4);
    } finally {
      await worker.stop();
    }
  });

  it('a record whose engine call hangs is scored as predicting nothing after the timeout, and the run finishes', async () => {
    const run = await queuedRun('hang-set', 2);
    const hanging = { engineVersion: 'hang', suggest: () => new Promise<never>(() => {}) };
    const worker = startRunWorker(database.db, hanging, { workerId: 'h', pollMs: 20, timeoutMs: 50, logger: quiet });
    try {
      await waitFor('the run to finish', async () => (await getRun(database.db, run.id)).status === 'done');
      expect((await getRun(database.db, run.id)).done).toBe(2);
    } finally {
      await worker.stop();
    }
  });
});
