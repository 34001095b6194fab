import { customType, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * pgvector column without a fixed dimension: the embedding model (and so the dimension) is
 * configuration, so the HNSW index is built on `embedding::vector(<dim>)` by the index builder
 * for the active model (see server/index/vector-index.ts) rather than fixed in a migration.
 */
export const vectorAny = customType<{ data: number[]; driverData: string }>({
  dataType: () => 'vector',
  toDriver: (v) => `[${v.join(',')}]`,
  fromDriver: (v) => JSON.parse(v) as number[],
});

/** Postgres full-text document. Written by a generated column, never by the application. */
export const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/**
 * A work lease: the worker holding the row (`locked_by`) and until when (`locked_until`). The holder
 * renews it while it works; another worker takes the row over only once the lease has expired.
 */
export const leaseColumns = () => ({
  lockedBy: text('locked_by'),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
});
