import { eq } from 'drizzle-orm';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fromModelFile, loadActiveLearnedModel, saveLearnedModel, type LearnedModelFile } from './db/queries/learned.ts';
import { freshDatabase } from './db/testing.ts';
import { learnedModels } from './db/schema/index.ts';
import { modelRegistry, rollbackModel } from './models/registry.ts';
import { DEFAULT_LEARNED_FILE, ensureLearnedModel, exportLearnedModel } from './learned-default.ts';

describe('shipped learned model', () => {
  it('is installed into an empty database, once, and round-trips through export', async () => {
    const database = await freshDatabase('pglite');
    try {
      await ensureLearnedModel(database.db);
      const model = await loadActiveLearnedModel(database.db);
      expect(model?.dataset).toBe('codiesp-train');
      expect(model!.params.threshold).toBeGreaterThan(0);
      expect(model!.mined.get('cigarette')).toContain('F17.210');
      await ensureLearnedModel(database.db); // a second start changes nothing
      const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'medcode-learned-')), 'model.json.gz');
      await exportLearnedModel(database.db, out);
      const again = await freshDatabase('pglite');
      try {
        await ensureLearnedModel(again.db, out);
        const copy = await loadActiveLearnedModel(again.db);
        expect(copy!.code.size).toBe(model!.code.size);
        expect([...copy!.phrase.keys()].sort()).toEqual([...model!.phrase.keys()].sort());
        expect(copy!.params).toEqual(model!.params);
      } finally {
        await again.close();
      }
    } finally {
      await database.close();
    }
    expect(fs.existsSync(DEFAULT_LEARNED_FILE)).toBe(true);
  });

  it('never replaces a promoted site model of the running engine; on an engine change it says why and puts the shipped model in force', async () => {
    const shipped = JSON.parse(gunzipSync(fs.readFileSync(DEFAULT_LEARNED_FILE)).toString('utf8')) as LearnedModelFile;
    const database = await freshDatabase('pglite');
    try {
      // A site model promoted under the running engine: kept at every start.
      await saveLearnedModel(database.db, { ...fromModelFile(shipped), id: 'site-model' }, { dataset: 'decisions@2026-11', engineVersion: shipped.engineVersion, notes: 300, status: 'active' });
      await ensureLearnedModel(database.db, DEFAULT_LEARNED_FILE, shipped.engineVersion);
      expect((await loadActiveLearnedModel(database.db))!.id).toBe('site-model');
      expect((await modelRegistry(database.db)).notices).toEqual([]);
      // The engine is upgraded: the site model's counts describe the old engine's candidates.
      await database.db.update(learnedModels).set({ engineVersion: 'offline-0' }).where(eq(learnedModels.id, 'site-model'));
      await ensureLearnedModel(database.db, DEFAULT_LEARNED_FILE, shipped.engineVersion);
      const view = await modelRegistry(database.db);
      expect(view.active).toMatchObject({ id: shipped.id, source: 'shipped' });
      expect(view.models.find((m) => m.id === 'site-model')).toMatchObject({ status: 'retired' });
      expect(view.notices).toEqual([{ id: 'site-model', notice: expect.stringContaining('this engine (' + shipped.engineVersion + ') cannot use it') }]);
      // …and it cannot be rolled back to until the site learns again.
      await expect(rollbackModel(database.db, { actorId: null, engineVersion: shipped.engineVersion })).rejects.toMatchObject({ status: 409, code: 'incompatible_model' });
      // A running engine the shipped file was not learned with keeps what is in force.
      await ensureLearnedModel(database.db, DEFAULT_LEARNED_FILE, 'offline-99');
      expect((await loadActiveLearnedModel(database.db))!.id).toBe(shipped.id);
    } finally {
      await database.close();
    }
  });
});
