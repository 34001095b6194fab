// Test support: the two database drivers medcode supports, each on a fresh, migrated database.
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { openDatabase, type Database } from './client.ts';

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
