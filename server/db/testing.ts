// Test support: the two database drivers medcode supports, each on a fresh, migrated database.
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { clusterExists, MIGRATIONS_DIR, openDatabase, pgDataDir, type Database } from './client.ts';
import * as schema from './schema/index.ts';
import { codes, codeSetVersions } from './schema/index.ts';

const TEST_CACHE_DIR = path.resolve(import.meta.dirname, '../../.medcode-test');
const PGLITE_VERSION = (JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string }).version;

export type DriverKind = 'pglite' | 'postgres';
export const DRIVERS: DriverKind[] = ['pglite', 'postgres'];

/**
 * A fresh migrated database. 'postgres' goes through postgres.js to a Postgres wire-protocol server
 * (@electric-sql/pglite-socket over PGlite + pgvector) on 127.0.0.1: the real driver path, no mocks.
 */
export async function freshDatabase(kind: DriverKind, dataDir = 'memory://'): Promise<Database> {
  // A new cluster (in memory, or a data directory not created yet) starts from the migrated template.
  const template = clusterExists(dataDir) ? undefined : await migratedTemplate();
  if (kind === 'pglite') {
    const database = await openDatabase({ dataDir, template });
    await database.migrate();
    return database;
  }
  const wire = await startWireServer({ dataDir, template });
  const database = await openDatabase({ url: wire.url });
  await database.migrate();
  return {
    ...database,
    close: async () => {
      await database.close();
      await wire.close();
    },
  };
}

/**
 * A migrated, empty database as a data-directory tarball, built once per migration set and kept beside the full
 * test database: each test file runs in its own process, and a fresh cluster's initdb costs 2–3 s of CPU there
 * (measured: 2.6–3.1 s per database from scratch, 1.0–1.4 s from the tarball).
 */
async function migratedTemplate(): Promise<Blob> {
  const migrations = fs.readdirSync(MIGRATIONS_DIR, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)).sort();
  const hash = createHash('sha256').update(PGLITE_VERSION);
  for (const file of migrations) hash.update(file.slice(MIGRATIONS_DIR.length)).update(fs.readFileSync(file));
  const file = path.join(TEST_CACHE_DIR, `template-${hash.digest('hex').slice(0, 16)}.tar`);
  if (!fs.existsSync(file)) {
    const pg = await PGlite.create(undefined, { extensions: { vector } });
    await migrate(drizzle(pg, { schema }), { migrationsFolder: MIGRATIONS_DIR });
    const tarball = Buffer.from(await (await pg.dumpDataDir('none')).arrayBuffer());
    await pg.close();
    // Test files build it side by side: each writes its own and renames it into place, which is atomic.
    fs.mkdirSync(TEST_CACHE_DIR, { recursive: true });
    const partial = `${file}.${process.pid}`;
    fs.writeFileSync(partial, tarball);
    fs.renameSync(partial, file);
  }
  return new Blob([fs.readFileSync(file)]);
}

/**
 * A PostgreSQL wire-protocol server on 127.0.0.1 (@electric-sql/pglite-socket over PGlite + pgvector)
 * that other processes can reach at `url`. It runs one statement at a time, and a transaction's
 * statements without interleaving, so it is a real shared database but not a concurrent one.
 */
export async function startWireServer(opts: { dataDir?: string; maxConnections?: number; template?: Blob } = {}): Promise<{ url: string; close(): Promise<void> }> {
  const dataDir = opts.dataDir ?? 'memory://';
  const memory = dataDir.startsWith('memory://');
  const pg = await PGlite.create(memory ? undefined : pgDataDir(dataDir), { extensions: { vector }, ...(opts.template && !clusterExists(dataDir) ? { loadDataDir: opts.template } : {}) });
  const server = new PGLiteSocketServer({ db: pg, port: 0, host: '127.0.0.1', maxConnections: opts.maxConnections ?? 10 });
  pinExtendedQueryBatches(server, pg);
  await server.start();
  return {
    url: `postgres://postgres:postgres@${server.getServerConn()}/postgres`,
    close: async () => {
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

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  onData(data: Uint8Array): void;
  resolve(bytes: number): void;
  reject(err: unknown): void;
}
interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  processQueue(): Promise<void>;
  clearTransactionIfNeeded(handlerId: number): Promise<void>;
}

/** Parse, Bind, Describe, Execute, Close, Flush: messages of an extended-query batch that its Sync ends. */
const BATCH_MESSAGES = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map((c) => c.charCodeAt(0)));
const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);

/**
 * pglite-socket 0.2.17 queues single protocol messages from all connections onto the one PGlite session
 * and keeps a connection's turn only inside a transaction, so two connections' Parse/Bind/Execute/Sync
 * batches interleave and bind each other's unnamed statement ("bind message supplies 1 parameters, but
 * prepared statement requires 4"; electric-sql/pglite#1046, fix proposed in #977). This keeps the turn
 * until the batch's Sync as well, and recovers (Sync, rollback) when a connection dies mid-batch.
 */
function pinExtendedQueryBatches(server: PGLiteSocketServer, pg: PGlite): void {
  const q = (server as unknown as { queryQueue: QueryQueue }).queryQueue;
  let midBatch = false;
  q.processQueue = async function processQueue() {
    if (q.processing || q.queue.length === 0) return;
    q.processing = true;
    try {
      while (q.queue.length > 0) {
        const pinned = q.lastHandlerId !== null && (midBatch || pg.isInTransaction());
        const at = pinned ? q.queue.findIndex((m) => m.handlerId === q.lastHandlerId) : 0;
        if (at < 0) break; // the connection whose turn it is has not sent its next message yet
        const [m] = q.queue.splice(at, 1) as [QueuedMessage];
        let bytes = 0;
        try {
          await pg.runExclusive(() => pg.execProtocolRawStream(m.message, { onRawData: (d) => ((bytes += d.length), m.onData(d)) }));
        } catch (err) {
          m.reject(err);
          continue;
        }
        q.lastHandlerId = m.handlerId;
        midBatch = BATCH_MESSAGES.has(m.message[0]!);
        m.resolve(bytes);
      }
    } finally {
      q.processing = false;
    }
  };
  const clear = q.clearTransactionIfNeeded.bind(q);
  q.clearTransactionIfNeeded = async (handlerId) => {
    if (q.lastHandlerId === handlerId && midBatch) {
      midBatch = false;
      await pg.runExclusive(() => pg.execProtocolRawStream(SYNC, { onRawData: () => {} }));
    }
    await clear(handlerId);
    await q.processQueue();
  };
}
