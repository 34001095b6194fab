import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Db } from './db/client.ts';
import { fromModelFile, learnedModelNotes, loadLatestLearnedModel, saveLearnedModel, toModelFile, type LearnedModelFile } from './db/queries/learned.ts';
import { logger } from './logger.ts';
import { ENGINE_VERSION } from './pipeline/run.ts';

/** The learned model shipped with medcode (learned from CodiEsp train; see data/learned/README.md). */
export const DEFAULT_LEARNED_FILE = path.resolve(import.meta.dirname, '../data/learned/default.json.gz');

/**
 * Installs the shipped model on a database with none (so a fresh install has learned confidences), and on
 * an upgrade: when the database's newest model was learned by another engine version than the running one
 * and the shipped model by this one. Counts learned with another engine describe other candidates; a model
 * someone learned with the running engine is kept.
 */
export async function ensureLearnedModel(db: Db, file = DEFAULT_LEARNED_FILE, engineVersion = ENGINE_VERSION): Promise<void> {
  if (!fs.existsSync(file)) return;
  const current = await loadLatestLearnedModel(db);
  if (current?.engineVersion === engineVersion) return;
  const data = JSON.parse(gunzipSync(fs.readFileSync(file)).toString('utf8')) as LearnedModelFile;
  if (current && data.engineVersion !== engineVersion) return;
  await saveLearnedModel(db, fromModelFile(data), { dataset: data.dataset, engineVersion: data.engineVersion, notes: data.notes });
  logger.info({ model: data.id, dataset: data.dataset }, 'installed the shipped learned model');
}

/** Writes the newest learned model of the database to `file` (gzip JSON). */
export async function exportLearnedModel(db: Db, file: string): Promise<string> {
  const model = await loadLatestLearnedModel(db);
  if (!model) throw new Error('no learned model in the database: run `npm run medcode -- learn --from …` first');
  const notes = await learnedModelNotes(db, model.id);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, gzipSync(JSON.stringify(toModelFile(model, notes))));
  return model.id;
}
