// Test support: the complete database (all shipped code sets + the default model's index), built once and
// cached as a PGlite tarball keyed by everything that goes into it, then loaded into memory per test file.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { loadConfig } from '../config.ts';
import { LOADER_VERSION, loadCodeSets } from '../codes/load.ts';
import { checksumFiles } from '../codes/read-files.ts';
import { SHIPPED_RELEASES } from '../codes/releases.ts';
import { buildIndex } from '../index/build-index.ts';
import { loadEmbedder, type Embedder } from '../index/embedder.ts';
import { MIGRATIONS_DIR, openDatabase, type Database } from './client.ts';
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
  const tarball = await cachedTarball(embedder);
  const database = await freshDatabase(kind, new Blob([fs.readFileSync(tarball)]));
  return { database, embedder };
}

async function cachedTarball(embedder: Embedder): Promise<string> {
  const config = loadConfig({});
  const codesetDir = path.join(ROOT, config.CODESETS_DIR);
  const files = SHIPPED_RELEASES.flatMap((r) => Object.values(r.files).map((f) => path.join(codesetDir, f)));
  const key = createHash('sha256')
    .update(checksumFiles(files, LOADER_VERSION))
    .update(embedder.modelId)
    .update(fs.readFileSync(path.join(MIGRATIONS_DIR, 'meta/_journal.json')))
    .update(fs.readFileSync(path.join(ROOT, 'server/index/build-index.ts')))
    .update(fs.readFileSync(path.join(ROOT, 'server/index/vector-index.ts')))
    .digest('hex')
    .slice(0, 16);
  const file = path.join(CACHE_DIR, `full-${key}.tar.gz`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  // Test files run in parallel processes: the first builds, the others wait for it.
  const release = await lockfile.lock(CACHE_DIR, { lockfilePath: path.join(CACHE_DIR, 'build.lock'), retries: { retries: 600, minTimeout: 1000, maxTimeout: 1000 }, stale: 60_000 });
  try {
    if (fs.existsSync(file)) return file;
    const database = await openDatabase({ dataDir: 'memory://' });
    await database.migrate();
    await loadCodeSets(database.db, codesetDir, SHIPPED_RELEASES);
    await buildIndex(database.db, embedder);
    const blob = await database.dumpDataDir!();
    await database.close();
    fs.writeFileSync(`${file}.tmp`, Buffer.from(await blob.arrayBuffer()));
    fs.renameSync(`${file}.tmp`, file);
    for (const old of fs.readdirSync(CACHE_DIR)) if (old.startsWith('full-') && old !== path.basename(file)) fs.rmSync(path.join(CACHE_DIR, old), { force: true });
    return file;
  } finally {
    await release();
  }
}
