// Vectors into the embedded database by binary COPY. pgvector's text input parses every float with strtof,
// which in PGlite's WebAssembly build costs about 1.4 µs a float: an INSERT of 60k 100-d vectors as text took
// 8.4 s, the same rows by binary COPY 0.9 s (measured; most of the index build's
// minute of inserts). The binary row form is PostgreSQL's own ("COPY … WITH (FORMAT binary)"); a vector field
// is pgvector's send/recv layout: int16 dimension, int16 unused, float4s, all big-endian.
import type { PGlite } from '@electric-sql/pglite';

export interface VectorRow {
  system: string;
  textHash: string;
  /** Null: stored without a vector (text the model cannot represent). */
  vector: ArrayLike<number> | null;
}

/**
 * A vector component as stored, on either driver (the text path's literal, build-index.ts formatVector, and the
 * COPY path here): six decimals, below the default model's int8 precision. The same rounding on both paths
 * keeps the drivers' vectors equal: codes whose titles differ only in words the model does not know have
 * vectors a few 1e-9 apart, and unrounded those differences, not the text, would order them.
 */
export const storedComponent = (x: number): string => x.toFixed(6);

const SIGNATURE = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]; // "PGCOPY\n\377\r\n\0"
const encoder = new TextEncoder();

/** The binary COPY stream of rows (system text, text_hash text, embedding vector). */
export function encodeVectorCopy(rows: readonly VectorRow[]): Blob {
  const header = new Uint8Array(19); // signature, int32 flags 0, int32 header-extension length 0
  header.set(SIGNATURE, 0);
  const parts: Uint8Array<ArrayBuffer>[] = [header];
  for (const row of rows) {
    const system = encoder.encode(row.system) as Uint8Array<ArrayBuffer>;
    const hash = encoder.encode(row.textHash) as Uint8Array<ArrayBuffer>;
    const dims = row.vector?.length ?? 0;
    const buf = new Uint8Array(2 + 4 + system.length + 4 + hash.length + 4 + (row.vector ? 4 + dims * 4 : 0));
    const view = new DataView(buf.buffer);
    let o = 0;
    view.setInt16(o, 3);
    o += 2;
    for (const field of [system, hash]) {
      view.setInt32(o, field.length);
      buf.set(field, o + 4);
      o += 4 + field.length;
    }
    if (!row.vector) {
      view.setInt32(o, -1); // NULL
    } else {
      view.setInt32(o, 4 + dims * 4);
      view.setInt16(o + 4, dims);
      view.setInt16(o + 6, 0);
      o += 8;
      for (let i = 0; i < dims; i++, o += 4) view.setFloat32(o, Number(storedComponent(row.vector[i]!)));
    }
    parts.push(buf);
  }
  const trailer = new Uint8Array(2);
  new DataView(trailer.buffer).setInt16(0, -1);
  parts.push(trailer);
  return new Blob(parts);
}

/**
 * Upserts the rows into term_embeddings under `modelId`: binary COPY into a session-local staging table, then
 * one INSERT … SELECT (vector to vector, nothing parsed) with the same conflict rule as the text path.
 */
export async function copyVectors(pg: PGlite, modelId: string, rows: readonly VectorRow[]): Promise<void> {
  await pg.exec(`create temp table if not exists term_embeddings_load (system text not null, text_hash text not null, embedding vector)`);
  await pg.query(`copy term_embeddings_load (system, text_hash, embedding) from '/dev/blob' with (format binary)`, [], { blob: encodeVectorCopy(rows) });
  await pg.query(
    `insert into term_embeddings (system, text_hash, model_id, embedding)
     select system, text_hash, $1, embedding from term_embeddings_load
     on conflict (system, text_hash) do update set model_id = excluded.model_id, embedding = excluded.embedding`,
    [modelId],
  );
  await pg.exec(`truncate term_embeddings_load`);
}
