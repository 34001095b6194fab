// Test-file order for `npm test` on a cold checkout (CI: a fresh clone, no Vitest duration cache, no built test
// database). Vitest hands files to its forks from one queue in this order. Its default (unknown files by size)
// let both forks reach files that need the full test database (server/db/full-database.ts) at once: one built
// it (about two minutes) while the other sat waiting, and the slowest files, which start processes and
// browsers but are small, ran last on one fork while the other was idle (both measured in CI logs).
// Order here: the heaviest full-database file first (its fork builds the database), then the files that start
// processes or a browser, then the rest, then the other full-database files, which by then open the built copy.
// Once the database is built, Vitest's own order (longest first, by its duration cache) is kept.
import fs from 'node:fs';
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const CACHE_DIR = path.resolve(import.meta.dirname, '../.medcode-test');

const NEEDS_FULL_DATABASE = /\bfull(?:Database|DataDirCopy)\(/;
const STARTS_PROCESSES = /node:child_process|playwright-core|e2e-setup\.ts/;

export interface FileTraits {
  fullDatabase: boolean;
  startsProcesses: boolean;
}

export function fileTraits(source: string): FileTraits {
  return { fullDatabase: NEEDS_FULL_DATABASE.test(source), startsProcesses: STARTS_PROCESSES.test(source) };
}

/** Cold order over files already in Vitest's order. */
export function coldOrder<T>(files: readonly T[], traits: (f: T) => FileTraits): T[] {
  const full = files.filter((f) => traits(f).fullDatabase);
  // The builder: a full-database file that also starts processes (the slowest kind), else the first one.
  const builder = full.find((f) => traits(f).startsProcesses) ?? full[0];
  const rest = files.filter((f) => !traits(f).fullDatabase);
  return [
    ...(builder ? [builder] : []),
    ...rest.filter((f) => traits(f).startsProcesses),
    ...rest.filter((f) => !traits(f).startsProcesses),
    ...full.filter((f) => f !== builder),
  ];
}

function fullDatabaseBuilt(): boolean {
  if (!fs.existsSync(CACHE_DIR)) return false;
  return fs.readdirSync(CACHE_DIR).some((d) => d.startsWith('full-') && fs.existsSync(path.join(CACHE_DIR, d, 'complete')));
}

export default class TestSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    if (fullDatabaseBuilt()) return sorted;
    const traits = new Map(sorted.map((f) => [f, fileTraits(fs.readFileSync(f.moduleId, 'utf8'))]));
    return coldOrder(sorted, (f) => traits.get(f)!);
  }
}
