import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Db } from './db/client.ts';
import { fromModelFile, learnedModelNotes, loadLatestLearnedModel, saveLearnedModel, toModelFile, type LearnedModelFile } from './db/queries/learned.ts';
import { logger } from './logger.ts';

/** The learned model shipped with medcode (learned from CodiEsp train; see data/learned/README.md). */
export const DEFAULT_LEARNED_FILE = path.resolve(import.meta.dirname, '../data/learned/default.json.gz');

/** On a database with no learned model, installs the shipped one, so a fresh install has learned confidences. */
export async function ensureLearnedModel(db: Db, file = DEFAULT_LEARNED_FILE): Promise<void> {
  if ((await loadLatestLearnedModel(db)) || !fs.existsSync(file)) return;
  const data = JSON.parse(gunzipSync(fs.readFileSync(file)).toString('utf8')) as LearnedModelFile;
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
