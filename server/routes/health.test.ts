import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import type { Database } from '../db/client.ts';
import { claimNextNote, insertNotes, storeSuggestions } from '../db/queries/notes.ts';
import { freshDatabase } from '../db/testing.ts';

const encounter = { setting: 'outpatient', dateOfService: '2025-03-14' } as const;
const lease = { workerId: 'w1', leaseMs: 60_000 };

describe('GET /health: the note queue', () => {
  let database: Database;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    database = await freshDatabase('pglite');
    app = createApp({ db: database.db, embedder: null, suggester: null, config: loadConfig({}), databaseKind: database.kind });
  });
  afterAll(async () => database?.close());

  it('shows an empty queue with no throughput', async () => {
    const res = await app.request('/health');
    expect(res.status).toBe(200);
    expect((await res.json()).queue).toEqual({ queued: 0, processing: 0, oldestQueuedSeconds: null, notesPerMinute: 0 });
  });

  it('counts queued and processing notes, the oldest queued note\'s age, and notes suggested per minute over 5 minutes', async () => {
    await insertNotes(database.db, Array.from({ length: 4 }, (_, i) => ({ text: `note ${i}`, encounter, externalId: null, format: 'json' as const })));
    const done = await claimNextNote(database.db, lease);
    await storeSuggestions(database.db, { id: done!.id, version: done!.version, workerId: lease.workerId, engineVersion: 't', suggestions: [], warnings: [] });
    await claimNextNote(database.db, lease);
    // One of the two still queued was queued ten minutes ago.
    await database.db.execute(sql`update notes set updated_at = now() - interval '10 minutes' where id = (select id from notes where status = 'queued' limit 1)`);
    const { queue } = await (await app.request('/health')).json();
    expect(queue).toMatchObject({ queued: 2, processing: 1, notesPerMinute: 0.2 });
    expect(queue.oldestQueuedSeconds).toBeGreaterThanOrEqual(600);
    expect(queue.oldestQueuedSeconds).toBeLessThan(660);
  });
});
