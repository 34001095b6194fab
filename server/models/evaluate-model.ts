// Measures a candidate model beside the active one on a later frozen version (time split: learned on an
// older version, tested on the notes finalized since). Both are stored as finished evaluation runs over
// those notes, so the existing run comparison (GET /api/runs/compare, RunCompare.svelte) shows the per-note
// gains and losses.
import type { ExternalCausePolicy } from '../pipeline/guidelines/external-causes.ts';
import { predictionsFor } from '../../eval/run.ts';
import type { Db } from '../db/client.ts';
import { findVersion, versionRecords } from '../db/queries/datasets.ts';
import { storeFinishedRun } from '../db/queries/eval-runs.ts';
import { activeModel, loadLearnedModel, modelRow, setModelMetrics } from '../db/queries/learned.ts';
import type { ModelMetrics, PredictedRef } from '../db/schema/index.ts';
import { runMetrics } from '../evaluation/run-metrics.ts';
import type { Embedder } from '../index/embedder.ts';
import type { LearnedModel } from '../pipeline/learned.ts';
import { ENGINE_VERSION } from '../pipeline/run.ts';
import { ModelError } from './model-error.ts';
import { openOfflineEngine } from './offline-engine.ts';

export type ModelEvaluation = NonNullable<ModelMetrics['evaluation']>;

/**
 * Runs the offline engine with the candidate `id` and with the active model on every record of `version`
 * ("decisions@name" or a version name of the decisions set), stores the two runs and the candidate's
 * evaluation metrics. Refused when the version is not newer than the one the candidate learned from.
 */
export async function evaluateModel(db: Db, p: { id: string; version: string; embedder: Embedder | null; externalCauses?: ExternalCausePolicy; actorId: string | null }): Promise<ModelEvaluation> {
  const row = await modelRow(db, p.id);
  if (!row) throw new ModelError(404, 'no_model', `no model named "${p.id}"`);
  const active = await activeModel(db);
  if (!active) throw new ModelError(409, 'no_active_model', 'no model is active to compare with');
  if (active.id === row.id) throw new ModelError(409, 'model_active', `"${p.id}" is the active model: evaluate a candidate`);
  const version = await findVersion(db, { name: p.version.includes('@') ? p.version : `decisions@${p.version}` });
  // A later version of the decisions set holds the older notes too: only the notes the model never saw count.
  let seen = new Set<string>();
  if (row.training?.version) {
    const learnedOn = await findVersion(db, { name: `${row.training.dataset}@${row.training.version}` });
    if (version.createdAt <= learnedOn.createdAt) {
      throw new ModelError(409, 'not_later', `evaluate on a version frozen after "${learnedOn.name}", the one ${p.id} learned from (time split: learn on older, test on newer)`);
    }
    seen = new Set((await versionRecords(db, learnedOn.id)).map((r) => r.recordKey));
  }
  const records = (await versionRecords(db, version.id)).filter((r) => !seen.has(r.recordKey));
  if (records.length === 0) throw new ModelError(409, 'no_new_records', `"${version.name}" holds no note the model did not learn from`);
  const [candidate, current] = await Promise.all([loadLearnedModel(db, row.id), loadLearnedModel(db, active.id)]);
  const engine = await openOfflineEngine(db, records[0]!.encounter.dateOfService, p.embedder, p.externalCauses);
  const runFor = async (model: LearnedModel, label: string) => {
    const predictions: { recordId: number; predicted: PredictedRef[]; ms: number }[] = [];
    for (const r of records) {
      const start = performance.now();
      const suggestions = await engine.suggest({ text: r.text, encounter: r.encounter }, model);
      const { D, P } = predictionsFor({ id: r.recordKey, text: r.text, encounter: r.encounter, gold: r.gold }, suggestions);
      predictions.push({ recordId: r.id, predicted: [...D, ...P].map(({ system, code, confidence }) => ({ system, code, confidence })), ms: performance.now() - start });
    }
    const byId = new Map(predictions.map((x) => [x.recordId, x.predicted]));
    const metrics = runMetrics(records.map((r) => ({ recordKey: r.recordKey, gold: r.gold, predicted: byId.get(r.id) ?? [] })));
    const engineVersion = `${ENGINE_VERSION}+${model.id}`;
    const run = await storeFinishedRun(db, {
      versionId: version.id,
      label,
      config: { engine: engineVersion, llmModel: null, embedder: p.embedder?.modelId ?? null, concurrency: 1 },
      observed: [{ engine: engineVersion, prompt: null, model: null, embedder: p.embedder?.modelId ?? null }],
      predictions,
      metrics,
      actorId: p.actorId,
    });
    // Diagnoses: the learned layer's confidences and thresholds are about ICD-10-CM codes.
    const { precision, recall, f1 } = (metrics.ICD10CM ?? metrics.all!).code.micro;
    return { run, scores: { precision, recall, f1 } };
  };
  const a = await runFor(current!, `active model ${active.id}`);
  const b = await runFor(candidate!, `candidate model ${row.id}`);
  const evaluation: ModelEvaluation = { version: `${version.dataset}@${version.name}`, model: b.scores, active: { id: active.id, ...a.scores }, modelRun: b.run, activeRun: a.run };
  await setModelMetrics(db, row.id, { ...(row.metrics ?? { train: { precision: 0, recall: 0, f1: 0 } }), evaluation });
  return evaluation;
}
