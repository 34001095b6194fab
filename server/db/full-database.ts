// Test support: the complete database (all shipped code sets + the default model's index), built once into
// a PGlite data directory keyed by everything that goes into it, and copied per test file (a copy opens in
// seconds; a dumpDataDir tarball of the same data took minutes to load).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../config.ts';
import { LOADER_VERSION, loadCodeSets } from '../codes/load.ts';
import { checksumFiles } from '../codes/read-files.ts';
import { SHIPPED_RELEASES } from '../codes/releases.ts';
import { buildIndex } from '../index/build-index.ts';
import { loadEmbedder, type Embedder } from '../index/embedder.ts';
import { MIGRATIONS_DIR, openDatabase, type Database } from './client.ts';
import { acquirePidLock } from './pid-lock.ts';
import { freshDatabase, type DriverKind } from './testing.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CACHE_DIR = path.join(ROOT, '.medcode-test');

export async function defaultEmbedder(): Promise<Embedder> {
  const config = loadConfig({});
  return loadEmbedder({ model: path.join(ROOT, config.EMBEDDING_MODEL), allowRemote: false, cacheDir: path.join(CACHE_DIR, 'models') });
}

/** A migrated database holding every shipped code set and the default model's index. */
export async function fullDatabase(kind: DriverKind = 'pglite'): Promise<{ database: Database; embedder: Embedder }> {
  const embedder = await defaultEmbedder();
  const copy = await fullDataDirCopy(embedder);
  const database = await freshDatabase(kind, copy);
  return {
    database: {
      ...database,
      close: async () => {
        await database.close();
        fs.rmSync(copy, { recursive: true, force: true });
      },
    },
    embedder,
  };
}

/** A copy of the complete data directory for other processes to open (CLI tests); the caller removes it. */
export async function fullDataDirCopy(embedder?: Embedder): Promise<string> {
  const cached = await cachedDataDir(embedder ?? (await defaultEmbedder()));
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'medcode-full-'));
  fs.cpSync(cached, copy, { recursive: true, filter: (src) => !src.endsWith('medcode.pid') });
  return copy;
}

async function cachedDataDir(embedder: Embedder): Promise<string> {
  const config = loadConfig({});
  const codesetDir = path.join(ROOT, config.CODESETS_DIR);
  const files = SHIPPED_RELEASES.flatMap((r) => Object.values(r.files).map((f) => path.join(codesetDir, f)));
  const key = createHash('sha256')
    .update(checksumFiles(files, LOADER_VERSION))
    .update(embedder.modelId)
    .update(fs.readFileSync(path.join(MIGRATIONS_DIR, 'meta/_journal.json')))
    .update(fs.readFileSync(path.join(ROOT, 'server/index/build-index.ts')))
    .update(fs.readFileSync(path.join(ROOT, 'server/index/vector-index.ts')))
    .update(fs.readFileSync(path.join(ROOT, 'server/index/vector-copy.ts')))
    .digest('hex')
    .slice(0, 16);
  const dir = path.join(CACHE_DIR, `full-${key}`);
  const done = path.join(dir, 'complete');
  if (fs.existsSync(done)) return dir;
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  // Test files run in parallel processes: the first builds, the others wait for it.
  let unlock = acquirePidLock(path.join(CACHE_DIR, 'build.pid'));
  for (let waited = 0; !unlock && waited < 1_800; waited++) {
    await new Promise((r) => setTimeout(r, 1_000));
    if (fs.existsSync(done)) return dir;
    unlock = acquirePidLock(path.join(CACHE_DIR, 'build.pid'));
  }
  if (!unlock) throw new Error(`gave up waiting for another process to build ${dir}`);
  try {
    if (fs.existsSync(done)) return dir;
    fs.rmSync(dir, { recursive: true, force: true });
    const database = await openDatabase({ dataDir: dir });
    await database.migrate();
    await loadCodeSets(database.db, codesetDir, SHIPPED_RELEASES);
    await buildIndex(database.db, embedder);
    await database.db.execute(sql`checkpoint`);
    await database.close();
    fs.writeFileSync(done, new Date().toISOString());
    for (const old of fs.readdirSync(CACHE_DIR)) if (old.startsWith('full-') && old !== path.basename(dir)) fs.rmSync(path.join(CACHE_DIR, old), { recursive: true, force: true });
    return dir;
  } finally {
    unlock();
  }
}
