// The engine of a server or worker process follows the active model: a promotion or rollback reaches the
// next note without a restart and without reloading anything but the model's counts. The active model's id
// is read at most once per CHECK_MS (one indexed query); a note already being coded finishes with the model
// it began with (the suggester reads the model once per note, pipeline/suggester.ts).
import type { Db } from '../db/client.ts';
import { activeModel, loadLearnedModel } from '../db/queries/learned.ts';
import { describeError } from '../errors.ts';
import { logger } from '../logger.ts';
import type { LearnedModel } from '../pipeline/learned.ts';

const CHECK_MS = 1_000;

/** The model a note is coded with: the active one as of at most `checkMs` ago. */
export type ModelReader = () => Promise<LearnedModel | null>;

/**
 * A ModelReader that follows the registry's active model. Loading a model's counts takes well under a second
 * (the code set is shared, db/queries/knowledge-cache.ts); concurrent notes share one check and one load, and
 * a failed check or load keeps the model in use.
 */
export async function followActiveModel(db: Db, opts: { checkMs?: number } = {}): Promise<ModelReader> {
  const load = async (): Promise<LearnedModel | null> => {
    const row = await activeModel(db);
    return row ? loadLearnedModel(db, row.id) : null;
  };
  let current = { model: await load(), checkedAt: performance.now() };
  let switching: Promise<void> | null = null;
  const refresh = async () => {
    const row = await activeModel(db);
    const id = row?.id ?? null;
    if (id === (current.model?.id ?? null)) {
      current = { ...current, checkedAt: performance.now() };
      return;
    }
    const model = id ? await loadLearnedModel(db, id) : null;
    logger.info({ from: current.model?.id ?? null, to: id }, 'active learned model changed: new notes use it');
    current = { model, checkedAt: performance.now() };
  };
  return async () => {
    if (performance.now() - current.checkedAt >= (opts.checkMs ?? CHECK_MS)) {
      switching ??= refresh()
        .catch((err: unknown) => {
          current = { ...current, checkedAt: performance.now() };
          logger.warn({ error: describeError(err) }, 'could not check the active learned model');
        })
        .finally(() => (switching = null));
      await switching;
    }
    return current.model;
  };
}
