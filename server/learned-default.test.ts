import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fromModelFile, loadLatestLearnedModel, saveLearnedModel, type LearnedModelFile } from './db/queries/learned.ts';
import { freshDatabase } from './db/testing.ts';
import { DEFAULT_LEARNED_FILE, ensureLearnedModel, exportLearnedModel } from './learned-default.ts';

describe('shipped learned model', () => {
  it('is installed into an empty database, once, and round-trips through export', async () => {
    const database = await freshDatabase('pglite');
    try {
      await ensureLearnedModel(database.db);
      const model = await loadLatestLearnedModel(database.db);
      expect(model?.dataset).toBe('codiesp-train');
      expect(model!.params.threshold).toBeGreaterThan(0);
      expect(model!.mined.get('cigarette')).toContain('F17.210');
      await ensureLearnedModel(database.db); // a second start changes nothing
      const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'medcode-learned-')), 'model.json.gz');
      await exportLearnedModel(database.db, out);
      const again = await freshDatabase('pglite');
      try {
        await ensureLearnedModel(again.db, out);
        const copy = await loadLatestLearnedModel(again.db);
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

  it('replaces a model learned by an older engine version on upgrade, and keeps one learned by the running engine', async () => {
    const shipped = JSON.parse(gunzipSync(fs.readFileSync(DEFAULT_LEARNED_FILE)).toString('utf8')) as LearnedModelFile;
    const database = await freshDatabase('pglite');
    try {
      // A database from before an engine upgrade: its model was learned by another engine version.
      await saveLearnedModel(database.db, { ...fromModelFile(shipped), id: 'older-model' }, { dataset: 'codiesp-train', engineVersion: 'offline-0', notes: 500 });
      await ensureLearnedModel(database.db, DEFAULT_LEARNED_FILE, shipped.engineVersion);
      expect(await loadLatestLearnedModel(database.db)).toMatchObject({ id: shipped.id, engineVersion: shipped.engineVersion });
      // Someone learns with the running engine: that model is kept at the next start.
      await saveLearnedModel(database.db, { ...fromModelFile(shipped), id: 'site-model' }, { dataset: 'site-decisions', engineVersion: shipped.engineVersion, notes: 40 });
      await ensureLearnedModel(database.db, DEFAULT_LEARNED_FILE, shipped.engineVersion);
      expect((await loadLatestLearnedModel(database.db))!.id).toBe('site-model');
      // A running engine the shipped file was not learned with keeps what the database has.
      await ensureLearnedModel(database.db, DEFAULT_LEARNED_FILE, 'offline-99');
      expect((await loadLatestLearnedModel(database.db))!.id).toBe('site-model');
    } finally {
      await database.close();
    }
  });
});
