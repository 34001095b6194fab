// Test support: the two database drivers medcode supports, each on a fresh, migrated database.
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { openDatabase, type Database } from './client.ts';
import { codes, codeSetVersions } from './schema/index.ts';

export type DriverKind = 'pglite' | 'postgres';
export const DRIVERS: DriverKind[] = ['pglite', 'postgres'];

/**
 * A fresh migrated database. 'postgres' goes through postgres.js to a Postgres wire-protocol server
 * (@electric-sql/pglite-socket over PGlite + pgvector) on 127.0.0.1: the real driver path, no mocks.
 */
export async function freshDatabase(kind: DriverKind, dataDir = 'memory://'): Promise<Database> {
  if (kind === 'pglite') {
    const database = await openDatabase({ dataDir });
    await database.migrate();
    return database;
  }
  const pg = await PGlite.create(dataDir.startsWith('memory://') ? undefined : `${dataDir}/pg`, { extensions: { vector } });
  const server = new PGLiteSocketServer({ db: pg, port: 0, host: '127.0.0.1', maxConnections: 10 });
  await server.start();
  const conn = server.getServerConn(); // "127.0.0.1:PORT"
  const database = await openDatabase({ url: `postgres://postgres:postgres@${conn}/postgres` });
  await database.migrate();
  return {
    ...database,
    close: async () => {
      await database.close();
      await server.stop();
      await pg.close();
    },
  };
}

/**
 * A tiny ICD-10-CM FY2026 release (the codes given, billable unless named as a header with `false`):
 * enough for tests that validate decided, added or second-coded codes without loading the real release.
 */
export async function insertTinyIcd10cm(db: Database['db'], rows: readonly [code: string, description: string, billable?: boolean][]): Promise<void> {
  const [release] = await db
    .insert(codeSetVersions)
    .values({ system: 'ICD10CM', version: '2026', effectiveFrom: '2025-10-01', effectiveTo: '2026-09-30', checksum: 'test', sources: [] })
    .returning();
  await db.insert(codes).values(
    rows.map(([code, desc, billable = true], i) => ({
      versionId: release!.id,
      system: 'ICD10CM' as const,
      code,
      billable,
      shortDesc: desc,
      longDesc: desc,
      ord: i + 1,
      parent: code.includes('.') ? code.slice(0, code.length - 1).replace(/\.$/, '') : null,
      category: code.slice(0, 3),
    })),
  );
}
