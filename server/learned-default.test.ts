import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLatestLearnedModel } from './db/queries/learned.ts';
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
});
