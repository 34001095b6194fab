import { describe, expect, it } from 'vitest';
import { coldOrder, fileTraits, type FileTraits } from './test-sequencer.ts';

describe('test-file order on a cold checkout', () => {
  it('tells from a file what it uses', () => {
    expect(fileTraits(`import { fullDatabase } from '../db/full-database.ts';\n({ database } = await fullDatabase());`)).toEqual({ fullDatabase: true, startsProcesses: false });
    expect(fileTraits(`import { spawn } from 'node:child_process';\nconst dir = await fullDataDirCopy();`)).toEqual({ fullDatabase: true, startsProcesses: true });
    // Only the embedder from that module: no full database.
    expect(fileTraits(`import { defaultEmbedder } from '../db/full-database.ts';`).fullDatabase).toBe(false);
    expect(fileTraits(`import { startWorkspace } from './e2e-setup.ts';`)).toEqual({ fullDatabase: false, startsProcesses: true });
    expect(fileTraits(`import { expect } from 'vitest';`)).toEqual({ fullDatabase: false, startsProcesses: false });
  });

  const t = (fullDatabase: boolean, startsProcesses: boolean): FileTraits => ({ fullDatabase, startsProcesses });

  it('runs the full-database file that starts processes first, the other full-database files last, process files before plain ones', () => {
    const files: Record<string, FileTraits> = {
      big: t(false, false),
      fullA: t(true, false),
      cli: t(false, true),
      fullCli: t(true, true),
      small: t(false, false),
      browser: t(false, true),
    };
    expect(coldOrder(Object.keys(files), (f) => files[f]!)).toEqual(['fullCli', 'cli', 'browser', 'big', 'small', 'fullA']);
  });

  it('without such a file, the first full-database file builds; without any, the order is kept', () => {
    const files: Record<string, FileTraits> = { a: t(false, false), fullA: t(true, false), fullB: t(true, false) };
    expect(coldOrder(Object.keys(files), (f) => files[f]!)).toEqual(['fullA', 'a', 'fullB']);
    expect(coldOrder(['a', 'b'], () => t(false, false))).toEqual(['a', 'b']);
  });
});
