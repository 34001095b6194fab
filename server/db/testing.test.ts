import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, queryRows } from './client.ts';
import { freshDatabase } from './testing.ts';

describe('a fresh test database in a data directory', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medcode-fresh-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('starts migrated from the template, and a later open keeps what was stored instead of loading the template again', async () => {
    const dataDir = path.join(dir, 'data');
    const first = await freshDatabase('pglite', dataDir);
    try {
      await first.db.execute(sql`insert into users (username, display_name, role, password_hash) values ('kept', 'Kept', 'coder', 'x')`);
    } finally {
      await first.close();
    }
    expect(fs.existsSync(path.join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
    // As the product opens it, and as a test that opens it again does (the template is then ignored).
    for (const open of [() => openDatabase({ dataDir }), () => freshDatabase('pglite', dataDir)]) {
      const again = await open();
      try {
        expect(await queryRows<{ username: string }>(again.db, sql`select username from users`)).toEqual([{ username: 'kept' }]);
      } finally {
        await again.close();
      }
    }
  });
});
