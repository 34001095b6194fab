// The offline engine over the database's releases with a model given, not the active one: learning reads
// the candidates a note yields, and a candidate model is measured beside the active one on the same notes.
import type { ExternalCausePolicy } from '../pipeline/guidelines/external-causes.ts';
import type { Db } from '../db/client.ts';
import { versionFor } from '../db/queries/code-sets.ts';
import { sharedKnowledge, sharedProcedureKnowledge, sharedRetriever } from '../db/queries/knowledge-cache.ts';
import type { Embedder } from '../index/embedder.ts';
import type { Knowledge } from '../pipeline/knowledge.ts';
import type { LearnedModel } from '../pipeline/learned.ts';
import type { ProcedureKnowledge } from '../pipeline/procedures.ts';
import type { Retrieve } from '../pipeline/retrieve.ts';
import { ENGINE_VERSION, suggestWithRetrieval } from '../pipeline/run.ts';
import type { NoteInput, Suggestion } from '../pipeline/types.ts';
import { ModelError } from './model-error.ts';

export interface OfflineEngine {
  kb: Knowledge;
  retrieve: Retrieve;
  procedures: ProcedureKnowledge | undefined;
  /** The engine's suggestions for a note with `model` (inpatient notes get procedure codes, as in the server). */
  suggest(note: NoteInput, model: LearnedModel | null): Promise<Suggestion[]>;
}

/**
 * The releases in force on `dateOfService` (one release serves a whole dataset, as `medcode learn` always did),
 * with the knowledge the process's suggester uses too (db/queries/knowledge-cache.ts): no reload per run.
 * `externalCauses`: the site's EXTERNAL_CAUSE_CODES, so that a model learns and is judged on what its coders see.
 */
export async function openOfflineEngine(db: Db, dateOfService: string, embedder: Embedder | null, externalCauses?: ExternalCausePolicy): Promise<OfflineEngine> {
  const release = await versionFor(db, 'ICD10CM', dateOfService);
  if (!release) throw new ModelError(409, 'no_release', `no ICD-10-CM release is loaded for ${dateOfService}`);
  const kb = await sharedKnowledge(db, release);
  const pcs = await versionFor(db, 'ICD10PCS', dateOfService);
  const procedures = pcs ? await sharedProcedureKnowledge(db, pcs) : undefined;
  const retrieve = sharedRetriever(kb, embedder);
  return {
    kb,
    retrieve,
    procedures,
    async suggest(note, model) {
      const versions = { engine: model ? `${ENGINE_VERSION}+${model.id}` : ENGINE_VERSION, embedder: embedder?.modelId ?? null };
      const r = await suggestWithRetrieval(note, kb, model, versions, retrieve, { procedures: note.encounter.setting === 'inpatient' ? procedures : undefined, externalCauses });
      return r.suggestions;
    },
  };
}
