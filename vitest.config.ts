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
    // One module graph per fork, not per file: re-importing the server for each of the 114 files cost about
    // 80 s of the suite's CPU (Vitest's "import" time 78-88 s → 14 s). Safe here because no test mocks a module
    // or leaves the environment changed (auth.test.ts's fake Date is restored in a finally), and the
    // module-level caches the files then share (HCPCS and claim tables, knowledge bases) are read-only.
    isolate: false,
    // Which files run first on a cold checkout: scripts/test-sequencer.ts.
    sequence: { sequencer: TestSequencer },
  },
});
