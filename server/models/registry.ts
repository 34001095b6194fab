// The model registry's rules: which stored model the engine uses, and who may change it. Promotion and
// rollback are audited (db/queries/learned.ts activateModel) and reach running engines without a restart
// (live-suggester.ts follows the active model).
import type { Db } from '../db/client.ts';
import { activateModel, activeModel, listLearnedModels, modelRow, previousActiveModel, type LearnedModelRow } from '../db/queries/learned.ts';
import { ENGINE_VERSION } from '../pipeline/run.ts';
import { ModelError } from './model-error.ts';

/** A model the running engine cannot use: its counts describe another engine version's candidates. */
function refuseIncompatible(m: LearnedModelRow, engineVersion: string): void {
  if (m.engineVersion !== engineVersion) {
    throw new ModelError(409, 'incompatible_model', `${m.id} was learned by engine ${m.engineVersion}; this engine (${engineVersion}) cannot use it: learn again from your decisions`);
  }
}

/** Puts the candidate `id` in force for new notes. */
export async function promoteModel(db: Db, p: { id: string; actorId: string | null; engineVersion?: string }): Promise<LearnedModelRow> {
  const m = await modelRow(db, p.id);
  if (!m) throw new ModelError(404, 'no_model', `no model named "${p.id}"`);
  if (m.status === 'active') throw new ModelError(409, 'already_active', `${p.id} is the active model already`);
  refuseIncompatible(m, p.engineVersion ?? ENGINE_VERSION);
  await activateModel(db, { id: m.id, actorId: p.actorId, action: 'model.promote', now: new Date() });
  return (await modelRow(db, m.id))!;
}

/** Puts back the model that was active before the current one. */
export async function rollbackModel(db: Db, p: { actorId: string | null; engineVersion?: string }): Promise<LearnedModelRow> {
  const previous = await previousActiveModel(db);
  if (!previous) throw new ModelError(409, 'nothing_to_roll_back', 'no model was active before the current one');
  refuseIncompatible(previous, p.engineVersion ?? ENGINE_VERSION);
  await activateModel(db, { id: previous.id, actorId: p.actorId, action: 'model.rollback', now: new Date() });
  return (await modelRow(db, previous.id))!;
}

export interface ModelRegistryView {
  active: LearnedModelRow | null;
  models: LearnedModelRow[];
  /** Notices of models the engine does not use (an upgrade that could not read the site's model). */
  notices: { id: string; notice: string }[];
}

export async function modelRegistry(db: Db): Promise<ModelRegistryView> {
  const models = await listLearnedModels(db);
  return {
    active: await activeModel(db),
    models,
    notices: models.filter((m) => m.notice).map((m) => ({ id: m.id, notice: m.notice! })),
  };
}
