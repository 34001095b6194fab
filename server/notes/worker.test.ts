import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import { claimNextNote, getNote, insertNotes, markNoteFailed, requeueNote, requeueProcessing, storeSuggestions } from '../db/queries/notes.ts';
import { freshDatabase } from '../db/testing.ts';
import type { Suggester } from './suggester.ts';
import { fakeSuggester } from './testing.ts';
import { startNoteWorker } from './worker.ts';

const encounter = { setting: 'outpatient', dateOfService: '2025-03-14' } as const;
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

async function waitForStatus(database: Database, id: string, status: string, minVersion = 0) {
  const until = Date.now() + 10_000;
  for (;;) {
    const note = await getNote(database.db, id);
    if (note?.status === status && note.version >= minVersion) return note;
    if (Date.now() > until) throw new Error(`note still ${note?.status}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('note worker', () => {
  let database: Database;
  beforeAll(async () => {
    database = await freshDatabase('pglite');
  });
  afterAll(async () => database?.close());

  it('drops the result of a run whose note was re-queued meanwhile, and stores the re-run', async () => {
    const slow = fakeSuggester({ delayMs: 150 });
    const [row] = await insertNotes(database.db, [{ text: 'hypertension', encounter, externalId: null, format: 'json' }]);
    const worker = await startNoteWorker(database.db, slow, { pollMs: 10, logger: quiet });
    try {
      const running = await waitForStatus(database, row!.id, 'processing');
      slow.engineVersion = 'second';
      const requeued = await requeueNote(database.db, row!.id);
      const done = await waitForStatus(database, row!.id, 'suggested', requeued!.version);
      expect(done.engineVersion).toBe('second');
      expect(done.suggestions.map((s) => s.versions.engine)).toEqual(['second']);
      expect(running.version).toBeLessThan(done.version);
    } finally {
      await worker.stop();
    }
  });

  it('stores the engine version the note was coded with, not the one the suggester reports by the time it is stored', async () => {
    // A promotion between the note's start and its storing: the suggester's property already names the new model.
    const fake = fakeSuggester({ engineVersion: 'engine+site-1' });
    const switching: Suggester = {
      engineVersion: 'engine+site-1',
      async suggest(note) {
        const result = await fake.suggest(note);
        switching.engineVersion = 'engine+site-2';
        return { ...result, engineVersion: 'engine+site-1' };
      },
    };
    const [row] = await insertNotes(database.db, [{ text: 'hypertension', encounter, externalId: null, format: 'json' }]);
    const worker = await startNoteWorker(database.db, switching, { pollMs: 10, logger: quiet });
    try {
      const done = await waitForStatus(database, row!.id, 'suggested');
      expect(done.engineVersion).toBe('engine+site-1');
      expect(done.suggestions.map((s) => s.versions.engine)).toEqual(['engine+site-1']);
    } finally {
      await worker.stop();
    }
  });

  it('fails a note whose engine result breaks the suggestion contract, and one that times out', async () => {
    const broken: Suggester = { engineVersion: 'broken', suggest: async () => ({ suggestions: [{ code: 'I10' } as never], warnings: [] }) };
    const [a] = await insertNotes(database.db, [{ text: 'x', encounter, externalId: null, format: 'json' }]);
    let worker = await startNoteWorker(database.db, broken, { pollMs: 10, logger: quiet });
    expect((await waitForStatus(database, a!.id, 'failed')).failureReason).toMatch(/invalid result: suggestions\.0\./);
    await worker.stop();

    const hung: Suggester = { engineVersion: 'hung', suggest: () => new Promise(() => {}) };
    const [b] = await insertNotes(database.db, [{ text: 'y', encounter, externalId: null, format: 'json' }]);
    worker = await startNoteWorker(database.db, hung, { pollMs: 10, timeoutMs: 50, logger: quiet });
    expect((await waitForStatus(database, b!.id, 'failed')).failureReason).toMatch(/did not answer within 50 ms/);
    await worker.stop();
  });

  it('codes every queued note once with several loops at a time', async () => {
    const rows = await insertNotes(
      database.db,
      Array.from({ length: 12 }, (_, i) => ({ text: `note ${i}: hypertension`, encounter, externalId: `n${i}`, format: 'json' as const })),
    );
    const counting = fakeSuggester({ delayMs: 5 });
    const worker = await startNoteWorker(database.db, counting, { pollMs: 10, concurrency: 4, logger: quiet });
    try {
      for (const r of rows) expect((await waitForStatus(database, r.id, 'suggested')).suggestions).toHaveLength(1);
      expect(counting.calls).toBe(12);
    } finally {
      await worker.stop();
    }
  });

  it('stops without waiting past its grace period and puts the note it held back in the queue', async () => {
    const hung: Suggester = { engineVersion: 'hung', suggest: () => new Promise(() => {}) };
    const [row] = await insertNotes(database.db, [{ text: 'z', encounter, externalId: null, format: 'json' }]);
    const worker = await startNoteWorker(database.db, hung, { pollMs: 10, stopGraceMs: 50, logger: quiet });
    await waitForStatus(database, row!.id, 'processing');
    const t0 = Date.now();
    await worker.stop();
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(await getNote(database.db, row!.id)).toMatchObject({ status: 'queued', lockedBy: null, lockedUntil: null });
    const next = await startNoteWorker(database.db, fakeSuggester(), { pollMs: 10, logger: quiet });
    await waitForStatus(database, row!.id, 'suggested');
    await next.stop();
  });

  it('keeps a long run to itself by renewing its lease; another worker neither claims it nor re-queues it at start', async () => {
    const [row] = await insertNotes(database.db, [{ text: 'hypertension', encounter, externalId: null, format: 'json' }]);
    const slow = fakeSuggester({ delayMs: 600 });
    const worker = await startNoteWorker(database.db, slow, { pollMs: 10, leaseMs: 150, workerId: 'a', logger: quiet });
    try {
      const running = await waitForStatus(database, row!.id, 'processing');
      expect(running.lockedBy).toBe('a');
      // Three lease lengths later the run still holds its (renewed) lease.
      await new Promise((r) => setTimeout(r, 450));
      expect(await requeueProcessing(database.db)).toBe(0);
      expect(await claimNextNote(database.db, { workerId: 'b', leaseMs: 60_000 })).toBeUndefined();
      expect((await waitForStatus(database, row!.id, 'suggested')).version).toBe(running.version + 1);
      expect(slow.calls).toBe(1);
    } finally {
      await worker.stop();
    }
  });

  it('takes over a note only once its lease expired, and stores only the new holder\'s result', async () => {
    const [row] = await insertNotes(database.db, [{ text: 'hypertension', encounter, externalId: null, format: 'json' }]);
    const first = await claimNextNote(database.db, { workerId: 'dead', leaseMs: 100 });
    expect(first?.id).toBe(row!.id);
    expect(await claimNextNote(database.db, { workerId: 'b', leaseMs: 60_000 })).toBeUndefined();
    await new Promise((r) => setTimeout(r, 150));
    // The sweep every worker runs on its lease timer puts the expired note back in the queue (one version),
    // then it is claimed again (another).
    expect(await requeueProcessing(database.db)).toBe(1);
    const second = await claimNextNote(database.db, { workerId: 'b', leaseMs: 60_000 });
    expect(second).toMatchObject({ id: row!.id, version: first!.version + 2 });
    // The first holder comes back late: its result is refused, with the old version or the new one.
    const result = { engineVersion: 'late', suggestions: [], warnings: [] };
    expect(await storeSuggestions(database.db, { id: row!.id, version: first!.version, workerId: 'dead', ...result })).toBe(false);
    expect(await storeSuggestions(database.db, { id: row!.id, version: second!.version, workerId: 'dead', ...result })).toBe(false);
    expect(await markNoteFailed(database.db, { id: row!.id, version: second!.version, workerId: 'dead', reason: 'late' })).toBe(false);
    expect(await storeSuggestions(database.db, { id: row!.id, version: second!.version, workerId: 'b', ...result, engineVersion: 'b' })).toBe(true);
    expect(await getNote(database.db, row!.id)).toMatchObject({ status: 'suggested', engineVersion: 'b', lockedBy: null });
  });

  it('as the only process on the database, resumes a note a dead process left with a live lease at once', async () => {
    const [row] = await insertNotes(database.db, [{ text: 'hypertension', encounter, externalId: null, format: 'json' }]);
    expect((await claimNextNote(database.db, { workerId: 'crashed', leaseMs: 60_000 }))?.id).toBe(row!.id);
    const worker = await startNoteWorker(database.db, fakeSuggester(), { pollMs: 10, soleProcess: true, logger: quiet });
    try {
      expect(await waitForStatus(database, row!.id, 'suggested')).toMatchObject({ lockedBy: null });
    } finally {
      await worker.stop();
    }
  });
});
