// Learning a model and storing it as a candidate: from a frozen version of this site's decisions (and,
// optionally, a labelled corpus beside them) or from a labelled corpus alone (`medcode learn`).
import type { ExternalCausePolicy } from '../pipeline/guidelines/external-causes.ts';
import { loadConversionTable, toGoldPcsPrefix, toGoldVintage } from '../../eval/code-versions.ts';
import type { Db } from '../db/client.ts';
import { findVersion, versionRecords } from '../db/queries/datasets.ts';
import { activateModel, modelRow, saveLearnedModel } from '../db/queries/learned.ts';
import { DECISIONS_DATASET, type ModelTraining } from '../db/schema/index.ts';
import type { Embedder } from '../index/embedder.ts';
import { learnModel, type LabelledNote, type LearnReport } from '../pipeline/learn.ts';
import { ENGINE_VERSION, retrieveFor } from '../pipeline/run.ts';
import type { NoteInput } from '../pipeline/types.ts';
import { decisionNotes, MIN_DECISION_NOTES, MIN_DECISIONS } from './decision-notes.ts';
import { ModelError } from './model-error.ts';
import { openOfflineEngine } from './offline-engine.ts';

/** A note to learn from: its text, gold codes, and (decisions) the codes the coder selected text for. */
export interface LearningNote {
  id: string;
  note: NoteInput;
  gold: string[];
  /** undefined: the set does not code procedures (a note with none then teaches nothing about them). */
  procedures?: string[];
  selected?: { code: string; text: string }[];
}

export interface LearnedCandidate {
  id: string;
  report: LearnReport;
  training: ModelTraining;
}

/**
 * Learns from `notes` with the engine as the server runs it (hybrid retrieval with `embedder`) and stores
 * the model as a candidate (active at once with `activate`, audited as a promotion). `fromDecisions` turns
 * on the guard that keeps guideline-required codes (pipeline/learn.ts keepGuidelineInputs).
 */
export async function learnAndStore(
  db: Db,
  p: { id: string; notes: readonly LearningNote[]; training: ModelTraining; embedder: Embedder | null; externalCauses?: ExternalCausePolicy; fromDecisions: boolean; activate?: boolean; actorId?: string | null },
): Promise<LearnedCandidate> {
  if (p.notes.length === 0) throw new ModelError(422, 'no_notes', 'the dataset has no notes');
  if (await modelRow(db, p.id)) throw new ModelError(409, 'model_exists', `a model named "${p.id}" exists already: give another id`);
  const engine = await openOfflineEngine(db, p.notes[0]!.note.encounter.dateOfService, p.embedder, p.externalCauses);
  const labelled: LabelledNote[] = [];
  for (const n of p.notes) labelled.push({ id: n.id, note: n.note, gold: n.gold, procedures: n.procedures, selected: n.selected, retrieved: await retrieveFor(n.note, engine.kb, engine.retrieve) });
  const table = loadConversionTable();
  const report = learnModel(p.id, labelled, engine.kb, (code, gold) => gold.has(toGoldVintage(code, gold, table)), {
    procedures: engine.procedures,
    isProcedureCorrect: (code, gold) => gold.has(toGoldPcsPrefix(code, gold)),
    keepGuidelineInputs: p.fromDecisions,
  });
  const dataset = p.training.version ? `${p.training.dataset}@${p.training.version}` : p.training.dataset;
  await saveLearnedModel(db, report.model, {
    dataset,
    engineVersion: ENGINE_VERSION,
    notes: p.notes.length,
    training: p.training,
    metrics: { train: { precision: report.trainPrecision, recall: report.trainRecall, f1: report.trainF1 } },
  });
  if (p.activate) await activateModel(db, { id: p.id, actorId: p.actorId ?? null, action: 'model.promote', now: new Date() });
  return { id: p.id, report, training: p.training };
}

/**
 * A candidate learned from a frozen version of the decisions set (`version`: its name, or
 * "decisions@name"), with `also` (e.g. CodiEsp train) learned beside it. Refused below MIN_DECISION_NOTES
 * notes or MIN_DECISIONS decided suggestions: counts from a few notes would be noise promoted to policy.
 */
export async function learnFromDecisions(
  db: Db,
  p: { version: string; id?: string; also?: { name: string; notes: readonly LearningNote[] }; embedder: Embedder | null; externalCauses?: ExternalCausePolicy; actorId?: string | null },
): Promise<LearnedCandidate> {
  const name = p.version.includes('@') ? p.version : `${DECISIONS_DATASET}@${p.version}`;
  const version = await findVersion(db, { name });
  if (version.dataset !== DECISIONS_DATASET) throw new ModelError(400, 'not_decisions', `"${name}" is not a version of the ${DECISIONS_DATASET} set`);
  const { notes, counts, decisions } = decisionNotes(await versionRecords(db, version.id));
  if (notes.length < MIN_DECISION_NOTES || decisions < MIN_DECISIONS) {
    throw new ModelError(
      422,
      'too_few_decisions',
      `too few decisions to learn from: ${name} holds ${notes.length} finalized notes and ${decisions} decided suggestions; at least ${MIN_DECISION_NOTES} notes and ${MIN_DECISIONS} decisions are needed`,
    );
  }
  const codesProcedures = notes.some((n) => n.procedures.length > 0);
  const learning: LearningNote[] = notes.map((n) => ({
    id: n.id,
    note: { text: n.text, encounter: n.encounter },
    gold: n.gold,
    procedures: codesProcedures ? n.procedures : undefined,
    selected: n.selected,
  }));
  const id = p.id ?? `site-${version.name}${p.also ? `+${p.also.name}` : ''}`.replace(/[^a-z0-9.+-]+/gi, '_');
  return learnAndStore(db, {
    id,
    notes: [...learning, ...(p.also?.notes ?? [])],
    training: { dataset: DECISIONS_DATASET, version: version.name, records: notes.length, decisions: counts, ...(p.also ? { also: [p.also.name] } : {}) },
    embedder: p.embedder,
    externalCauses: p.externalCauses,
    fromDecisions: true,
    actorId: p.actorId,
  });
}
