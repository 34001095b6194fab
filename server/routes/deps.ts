import type { SessionCache } from '../auth/session-cache.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { Embedder } from '../index/embedder.ts';
import type { VectorIndexStatus } from '../index/index-builder.ts';
import type { LlmClient } from '../llm/client.ts';
import type { RunWorker } from '../evaluation/run-worker.ts';
import type { Suggester } from '../notes/suggester.ts';

/** What route handlers need, handed in by main.ts (or a test): no globals, no service container. */
export interface AppDeps {
  db: Db;
  embedder: Embedder | null;
  config: Config;
  /** The coding engine; null when none is configured (re-runs answer 503, stored notes wait in the queue). */
  suggester: Suggester | null;
  /** Tells the background note worker that notes were queued (absent when no worker runs in this process). */
  wakeWorker?: () => void;
  /** The LLM for drafting physician queries (the suggester holds its own); null/absent: drafting answers 503. */
  llm?: LlmClient | null;
  /** Runs queued evaluation runs in this process (absent when API only: worker processes poll for them). */
  runWorker?: RunWorker;
  /** Sessions read in the last second; createApp makes one when absent. Routes that end sessions evict from it. */
  sessions?: SessionCache;
  /** The vector index build this process runs after it started serving (main.ts); absent: index_state tells. */
  vectorIndex?: () => VectorIndexStatus;
  /** The clock of sessions, claims and the login limiter (tests move it; default: the real time). */
  now?: () => Date;
}
