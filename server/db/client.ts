import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { acquirePidLock } from './pid-lock.ts';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
/** The one database type the rest of the code sees, whichever driver is behind it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Where the data lives: the PGlite directory, "memory", or the URL without credentials. */
  location: string;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../drizzle');

/** Thrown when another process owns the embedded database directory. */
export class DatabaseBusyError extends Error {
  constructor(readonly dataDir: string) {
    super(
      `The embedded database in ${dataDir} is in use by another medcode process (is \`npm start\` running?). ` +
        'PGlite allows one process per data directory: stop the server first, or run against PostgreSQL with DATABASE_URL.',
    );
    this.name = 'DatabaseBusyError';
  }
}

export interface OpenOptions {
  /** postgres:// URL: use PostgreSQL (with pgvector) through postgres.js. */
  url?: string;
  /** PGlite data directory; "memory://" for a throw-away in-memory database. */
  dataDir?: string;
  /**
   * A new cluster (in memory, or in a data directory with none yet) starts from this data-directory tarball
   * (PGlite's dumpDataDir) instead of initdb: tests open a migrated template in about a third of the time
   * initdb takes (server/db/testing.ts). Ignored for a data directory that holds a cluster.
   */
  template?: Blob;
}

/** Opens the configured database: PostgreSQL when a URL is given, PGlite (file or memory) otherwise. */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.url) return openPostgres(opts.url);
  return openPglite(opts.dataDir ?? 'memory://', opts.template);
}

async function openPostgres(url: string): Promise<Database> {
  const client = postgres(url, { max: 10, onnotice: () => {} });
  const db = drizzlePostgres(client, { schema }) as unknown as Db;
  const u = new URL(url);
  return {
    db,
    kind: 'postgres',
    location: `${u.protocol}//${u.host}${u.pathname}`,
    migrate: () => migratePostgres(db as never, { migrationsFolder: MIGRATIONS_DIR }),
    close: () => client.end({ timeout: 5 }),
  };
}

async function openPglite(dataDir: string, template?: Blob): Promise<Database> {
  const inMemory = dataDir.startsWith('memory://');
  let release: (() => Promise<void>) | undefined;
  if (!inMemory) {
    fs.mkdirSync(dataDir, { recursive: true });
    // A lock beside the data: PGlite itself does not stop a second process from opening (and corrupting) it.
    const unlock = acquirePidLock(path.join(dataDir, 'medcode.pid'));
    if (!unlock) throw new DatabaseBusyError(dataDir);
    release = async () => unlock();
  }
  try {
    // Loaded only for the embedded database: a worker on PostgreSQL does not carry PGlite's modules (≈ 40 MB
    // of RSS, measured by importing them).
    const [{ PGlite }, { vector }, { drizzle: drizzlePglite }, { migrate: migratePglite }, { preparedClient }] = await Promise.all([
      import('@electric-sql/pglite'),
      import('@electric-sql/pglite-pgvector'),
      import('drizzle-orm/pglite'),
      import('drizzle-orm/pglite/migrator'),
      import('./pglite-prepared.ts'),
    ]);
    pgliteClass = PGlite;
    const pg = await PGlite.create(inMemory ? undefined : pgDataDir(dataDir), {
      extensions: { vector },
      ...(template && !clusterExists(dataDir) ? { loadDataDir: template } : {}),
    });
    // Statements prepared once and run in one call each (server/db/pglite-prepared.ts), as postgres.js does.
    const db = drizzlePglite(preparedClient(pg), { schema }) as unknown as Db;
    return {
      db,
      kind: 'pglite',
      location: inMemory ? 'memory' : path.resolve(dataDir),
      migrate: () => migratePglite(db as never, { migrationsFolder: MIGRATIONS_DIR }),
      close: async () => {
        await pg.close();
        await release?.();
      },
    };
  } catch (err) {
    await release?.();
    throw err;
  }
}

/** Where PGlite keeps the cluster of a medcode data directory (beside medcode's own lock file). */
export const pgDataDir = (dataDir: string) => path.join(dataDir, 'pg');

/** Whether a data directory ("memory://" never) already holds a cluster: PGlite loads a template only into a new one. */
export function clusterExists(dataDir: string): boolean {
  return !dataDir.startsWith('memory://') && fs.existsSync(path.join(pgDataDir(dataDir), 'PG_VERSION'));
}

/** PGlite's class once an embedded database was opened in this process (none was: no client can be one). */
let pgliteClass: typeof PGlite | null = null;

/** The embedded database's client, or null on PostgreSQL: for what only PGlite offers (COPY from a Blob). */
export function pgliteClient(db: Db): PGlite | null {
  const client = (db as unknown as { $client?: unknown }).$client;
  return pgliteClass && client instanceof pgliteClass ? client : null;
}

/** Runs raw SQL and returns its rows: the two drivers shape results differently. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows?: T[] } | T[];
  return Array.isArray(res) ? res : (res.rows ?? []);
}
