// The PGlite client with prepared statements (server/db/pglite-prepared.ts) answers as PGlite's own query does:
// the same rows, fields and parsed values, the same errors, and it keeps working across schema changes,
// transactions and more statement texts than it keeps prepared.
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PREPARED, preparedClient } from './pglite-prepared.ts';

let pg: PGlite;
let client: PGlite;
const NOTE = '11111111-1111-4111-8111-111111111111';
const preparedCount = async () => (await pg.query<{ n: number }>('select count(*)::int as n from pg_prepared_statements')).rows[0]!.n;

beforeAll(async () => {
  pg = await PGlite.create();
  client = preparedClient(pg);
  await pg.exec(`create table notes (id uuid primary key, version int not null, encounter jsonb not null, updated_at timestamptz not null);
    create table decisions (id serial primary key, note_id uuid not null references notes(id), code text not null unique);`);
  await pg.query('insert into notes values ($1, 1, $2, $3)', [NOTE, JSON.stringify({ setting: 'inpatient' }), new Date('2025-11-04T10:00:00Z')]);
});
afterAll(async () => {
  await pg.close();
});

describe('preparedClient', () => {
  it('returns what PGlite returns, in object and array row modes, with parameters serialized by their described types', async () => {
    const text = "select id, version, encounter, updated_at, null::text as nothing, array[1, 2]::int[] as ranks, $3::boolean as flag from notes where id = $1 and updated_at <= $2";
    const params = [NOTE, new Date('2025-12-01T00:00:00Z'), true];
    for (const options of [undefined, { rowMode: 'array' as const }]) {
      const own = await pg.query(text, params, options);
      // Twice: the first call prepares the statement, the second runs it as prepared.
      expect(await client.query(text, params, options)).toEqual(own);
      expect(await client.query(text, params, options)).toEqual(own);
    }
    expect((await client.query<{ encounter: unknown; updated_at: Date }>(text, params)).rows[0]).toMatchObject({ encounter: { setting: 'inpatient' }, updated_at: new Date('2025-11-04T10:00:00Z') });
  });

  it('reports written rows, and a write lands', async () => {
    const res = await client.query('update notes set version = version + 1 where id = $1 and version = $2 returning version', [NOTE, 1]);
    expect(res.rows).toEqual([{ version: 2 }]);
    expect(res.affectedRows).toBe(1);
    expect((await client.query('update notes set version = version + 1 where id = $1 and version = $2 returning version', [NOTE, 1])).rows).toEqual([]);
    expect((await pg.query('select version from notes')).rows).toEqual([{ version: 2 }]);
  });

  it('throws the database error with its code and the statement, and the next statement runs', async () => {
    const err = await client.query('insert into decisions (note_id, code) values ($1, $2)', ['22222222-2222-4222-8222-222222222222', 'I10']).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: '23503', query: 'insert into decisions (note_id, code) values ($1, $2)' });
    await expect(client.query('select * from no_such_table where id = $1', [1])).rejects.toMatchObject({ code: '42P01' });
    expect((await client.query('select count(*)::int as n from decisions')).rows).toEqual([{ n: 0 }]);
  });

  it('prepares a statement again when a schema change alters its result', async () => {
    const text = 'select * from decisions where note_id = $1';
    await client.query('insert into decisions (note_id, code) values ($1, $2)', [NOTE, 'E11.9']);
    expect((await client.query(text, [NOTE])).fields.map((f) => f.name)).toEqual(['id', 'note_id', 'code']);
    await pg.exec('alter table decisions add column rank int');
    expect((await client.query(text, [NOTE])).rows).toMatchObject([{ note_id: NOTE, code: 'E11.9', rank: null }]);
  });

  it('waits for a transaction in progress and sees only its committed result', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const tx = pg.transaction(async (t) => {
      await t.query('update notes set version = 10 where id = $1', [NOTE]);
      await held;
    });
    const read = client.query<{ version: number }>('select version from notes where id = $1', [NOTE]);
    release();
    await tx;
    expect((await read).rows).toEqual([{ version: 10 }]);
  });

  it(`keeps at most ${MAX_PREPARED} statements prepared, closing the least recently used`, async () => {
    for (let i = 0; i < MAX_PREPARED + 20; i++) await client.query(`select $1::int + ${i} as n`, [1]);
    expect(await preparedCount()).toBe(MAX_PREPARED);
    expect((await client.query(`select $1::int + 0 as n`, [1])).rows).toEqual([{ n: 1 }]);
  });
});
