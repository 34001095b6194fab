// The model a server codes new notes with follows promotions and rollbacks (real PGlite, stored models),
// reading the registry at most once per check interval.
import { describe, expect, it } from 'vitest';
import { saveLearnedModel } from '../db/queries/learned.ts';
import { freshDatabase } from '../db/testing.ts';
import type { LearnedModel } from '../pipeline/learned.ts';
import { ENGINE_VERSION } from '../pipeline/run.ts';
import { followActiveModel } from './live-suggester.ts';
import { promoteModel, rollbackModel } from './registry.ts';

const model = (id: string, threshold: number): LearnedModel => ({ id, params: { threshold }, phrase: new Map(), code: new Map([['I10', { tp: 9, fp: 1 }]]), mined: new Map() });

describe('followActiveModel', () => {
  it('gives the next note the promoted model, then the rolled-back one, with its counts', async () => {
    const database = await freshDatabase('pglite');
    try {
      const db = database.db;
      await saveLearnedModel(db, model('shipped', 0.3), { dataset: 'codiesp-train', engineVersion: ENGINE_VERSION, notes: 500, status: 'active', source: 'shipped' });
      await saveLearnedModel(db, model('site-1', 0.42), { dataset: 'decisions@2026-03', engineVersion: ENGINE_VERSION, notes: 60 });
      const next = await followActiveModel(db, { checkMs: 0 });
      // Read once a minute: a promotion is not seen before the next check.
      const slow = await followActiveModel(db, { checkMs: 60_000 });
      expect((await next())!.id).toBe('shipped');

      await promoteModel(db, { id: 'site-1', actorId: null });
      const promoted = (await next())!;
      expect(promoted).toMatchObject({ id: 'site-1', params: { threshold: 0.42 } });
      expect(promoted.code.get('I10')).toEqual({ tp: 9, fp: 1 });
      expect((await slow())!.id).toBe('shipped');

      await rollbackModel(db, { actorId: null });
      expect((await next())!.id).toBe('shipped');
    } finally {
      await database.close();
    }
  }, 120_000);
});
