import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { Embedder } from '../index/embedder.ts';

/** What route handlers need, handed in by main.ts (or a test): no globals, no service container. */
export interface AppDeps {
  db: Db;
  embedder: Embedder | null;
  config: Config;
}
