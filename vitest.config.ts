import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import TestSequencer from './scripts/test-sequencer.ts';

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'eval/**/*.test.ts', 'scripts/**/*.test.ts', 'web/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 1_800_000, // the first file that needs the full database builds it (minutes on 2 cores)
    pool: 'forks',
    // Vitest's default is one fork fewer than the cores: one fork on a 2-core CI machine, which left the
    // second core idle while browser, HTTP and child-process tests waited on each other.
    maxWorkers: Math.max(2, availableParallelism()),
    // Which files run first on a cold checkout: scripts/test-sequencer.ts.
    sequence: { sequencer: TestSequencer },
  },
});
