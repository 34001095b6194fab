import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteClient, queryRows, type Database } from '../db/client.ts';
import { freshDatabase } from '../db/testing.ts';
import { formatVector } from './build-index.ts';
import { copyVectors } from './vector-copy.ts';

describe('vectors into the embedded database by binary COPY', () => {
  let database: Database;
  const stored = async () =>
    queryRows<{ system: string; text_hash: string; model_id: string; embedding: string | null }>(
      database.db,
      sql`select system, text_hash, model_id, embedding::text as embedding from term_embeddings order by system, text_hash`,
    );

  beforeAll(async () => {
    database = await freshDatabase('pglite');
  });
  afterAll(async () => database?.close());

  it('is offered only by the embedded driver', async () => {
    expect(pgliteClient(database.db)).not.toBeNull();
    const wire = await freshDatabase('postgres');
    try {
      expect(pgliteClient(wire.db)).toBeNull();
    } finally {
      await wire.close();
    }
  });

  it('stores what the text path stores: the same six-decimal vectors, NULL for an unrepresentable text, non-ASCII keys intact', async () => {
    const v1 = [0.1234564999, -0.5, 1e-7, 0.333333333];
    const v2 = Float32Array.from([0.25, -0.125, 0.0625, 0.7071067811]);
    await copyVectors(pgliteClient(database.db)!, 'model-a', [
      { system: 'ICD10CM', textHash: 'h1', vector: v1 },
      { system: 'ICD10CM', textHash: 'h2-é', vector: v2 },
      { system: 'HCPCS', textHash: 'h3', vector: null },
    ]);
    const rows = await stored();
    expect(rows.map((r) => [r.system, r.text_hash, r.model_id])).toEqual([
      ['HCPCS', 'h3', 'model-a'],
      ['ICD10CM', 'h1', 'model-a'],
      ['ICD10CM', 'h2-é', 'model-a'],
    ]);
    expect(rows[0]!.embedding).toBeNull();
    // The text path's literal, parsed by pgvector and printed back, is what COPY stored.
    const viaText = await queryRows<{ a: string; b: string }>(
      database.db,
      sql`select ${formatVector(v1)}::vector::text as a, ${formatVector(v2)}::vector::text as b`,
    );
    expect(rows[1]!.embedding).toBe(viaText[0]!.a);
    expect(rows[2]!.embedding).toBe(viaText[0]!.b);
  });

  it('replaces the vector and model of a text already stored, and leaves the staging table empty', async () => {
    await copyVectors(pgliteClient(database.db)!, 'model-b', [{ system: 'ICD10CM', textHash: 'h1', vector: [1, 0, 0, 0] }]);
    const rows = await stored();
    expect(rows).toHaveLength(3);
    expect(rows.find((r) => r.text_hash === 'h1')).toMatchObject({ model_id: 'model-b', embedding: '[1,0,0,0]' });
    expect(rows.find((r) => r.text_hash === 'h2-é')!.model_id).toBe('model-a');
    expect(await queryRows(database.db, sql`select * from term_embeddings_load`)).toEqual([]);
  });
});
