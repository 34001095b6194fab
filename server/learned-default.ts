import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Db } from './db/client.ts';
import { activeModel, fromModelFile, learnedModelNotes, loadActiveLearnedModel, saveLearnedModel, setModelNotice, toModelFile, type LearnedModelFile } from './db/queries/learned.ts';
import { logger } from './logger.ts';
import { ENGINE_VERSION } from './pipeline/run.ts';

/** The learned model shipped with medcode (learned from CodiEsp train; see data/learned/README.md). */
export const DEFAULT_LEARNED_FILE = path.resolve(import.meta.dirname, '../data/learned/default.json.gz');

/**
 * Installs the shipped model at start, as the active model, when the database has none in force, and on an
 * upgrade of the shipped file for the running engine. A model the site promoted is never replaced silently:
 * it is kept while the running engine can use it (same engine version). When the engine changed and cannot
 * use it, the shipped model (if learned by this engine) is put in force and the site's model keeps a notice
 * saying why, shown by /health and the Models panel, until the site learns again from its decisions.
 */
export async function ensureLearnedModel(db: Db, file = DEFAULT_LEARNED_FILE, engineVersion = ENGINE_VERSION): Promise<void> {
  if (!fs.existsSync(file)) return;
  const active = await activeModel(db);
  if (active?.source === 'site' && active.engineVersion === engineVersion) return;
  const data = JSON.parse(gunzipSync(fs.readFileSync(file)).toString('utf8')) as LearnedModelFile;
  if (active?.id === data.id) return;
  if (active && data.engineVersion !== engineVersion) return; // the shipped file is no better: keep what is in force
  if (active?.source === 'site') {
    const notice = `learned by engine ${active.engineVersion}; this engine (${engineVersion}) cannot use it: the shipped model ${data.id} is active until the site learns again from its decisions`;
    logger.warn({ model: active.id, engineVersion: active.engineVersion, running: engineVersion, shipped: data.id }, 'the site model was learned by another engine version: the shipped model is active until the site re-learns');
    await setModelNotice(db, active.id, notice);
  }
  await saveLearnedModel(db, fromModelFile(data), { dataset: data.dataset, engineVersion: data.engineVersion, notes: data.notes, status: 'active', source: 'shipped', training: { dataset: data.dataset, version: null, records: data.notes } });
  logger.info({ model: data.id, dataset: data.dataset, replaced: active?.id ?? null }, 'installed the shipped learned model');
}

/** Writes the active learned model of the database to `file` (gzip JSON). */
export async function exportLearnedModel(db: Db, file: string): Promise<string> {
  const model = await loadActiveLearnedModel(db);
  if (!model) throw new Error('no learned model in the database: run `npm run medcode -- learn --from … --activate` first');
  const notes = await learnedModelNotes(db, model.id);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, gzipSync(JSON.stringify(toModelFile(model, notes))));
  return model.id;
}
