// The engine of a server or worker process follows the active model: a promotion or rollback reaches the
// next note without a restart. The active model's id is read at most once per CHECK_MS (one indexed query)
// and the engine is rebuilt when it changed; notes already being coded finish with the engine they began with.
import type { Db } from '../db/client.ts';
import { activeModel } from '../db/queries/learned.ts';
import { describeError } from '../errors.ts';
import { logger } from '../logger.ts';
import type { Suggester } from '../notes/suggester.ts';

const CHECK_MS = 1_000;

/** A Suggester that rebuilds itself with `create` whenever the active model changes. */
export async function followActiveModel(db: Db, create: () => Promise<Suggester>, opts: { checkMs?: number } = {}): Promise<Suggester> {
  const activeId = async () => (await activeModel(db))?.id ?? null;
  let current = { modelId: await activeId(), suggester: await create(), checkedAt: performance.now() };
  let switching: Promise<void> | null = null;
  const refresh = async () => {
    const id = await activeId();
    current = { ...current, checkedAt: performance.now() };
    if (id === current.modelId) return;
    const suggester = await create();
    logger.info({ from: current.modelId, to: id }, 'active learned model changed: new notes use it');
    current = { modelId: id, suggester, checkedAt: performance.now() };
  };
  return {
    get engineVersion() {
      return current.suggester.engineVersion;
    },
    async suggest(note) {
      if (performance.now() - current.checkedAt >= (opts.checkMs ?? CHECK_MS)) {
        // Concurrent notes share one check (and one rebuild); a failed check keeps the engine in use.
        switching ??= refresh()
          .catch((err: unknown) => logger.warn({ error: describeError(err) }, 'could not check the active learned model'))
          .finally(() => (switching = null));
        await switching;
      }
      return current.suggester.suggest(note);
    },
  };
}
