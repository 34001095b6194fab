import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { findVersion, replaceRelease } from '../db/queries/code-sets.ts';
import { readRelease } from './read-release.ts';
import { checksumFiles } from './read-files.ts';
import type { Release } from './releases.ts';

/** Bump when a parser changes what it produces: stored releases with an older salt are reloaded. */
export const LOADER_VERSION = 'loader-11';

export interface LoadResult {
  system: string;
  version: string;
  status: 'loaded' | 'unchanged';
  stats: Record<string, number>;
  ms: number;
}

export interface LoadEvents {
  onRelease?(release: Release, phase: 'parsing' | 'writing' | 'unchanged'): void;
  onProgress?(release: Release, done: number, total: number): void;
}

/**
 * Loads releases from `dir`. Idempotent: a release whose files (and loader version) are unchanged is
 * skipped. Each release is parsed completely before anything is written, and written in one transaction,
 * so a malformed file or an interrupted load leaves the previous version intact.
 */
export async function loadCodeSets(db: Db, dir: string, releases: Release[], events: LoadEvents = {}): Promise<LoadResult[]> {
  const results: LoadResult[] = [];
  for (const release of releases) {
    const t0 = performance.now();
    const files = Object.values(release.files).map((f) => path.resolve(dir, f));
    const checksum = checksumFiles(files, LOADER_VERSION);
    const existing = await findVersion(db, release.system, release.version);
    if (existing?.checksum === checksum) {
      events.onRelease?.(release, 'unchanged');
      results.push({ system: release.system, version: release.version, status: 'unchanged', stats: existing.stats, ms: performance.now() - t0 });
      continue;
    }
    events.onRelease?.(release, 'parsing');
    const content = readRelease(release, dir);
    events.onRelease?.(release, 'writing');
    await replaceRelease(db, release, content, { checksum, sources: Object.values(release.files) }, (d, t) => events.onProgress?.(release, d, t));
    results.push({ system: release.system, version: release.version, status: 'loaded', stats: content.stats, ms: performance.now() - t0 });
  }
  // Fresh statistics after bulk writes: without them the planner expects a few thousand index rows
  // instead of hundreds of thousands and joins the kNN hits by scanning all of them (seconds per search).
  if (results.some((r) => r.status === 'loaded')) await db.execute(sql`analyze codes, code_notes, code_terms`);
  return results;
}
