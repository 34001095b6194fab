// `medcode learn --from <dataset>`: rebuilds the engine's learned layer from labelled notes.
import { loadCodiesp, loadJsonl, type CodiespSplit } from '../../eval/datasets.ts';
import { loadConversionTable, toGoldPcsPrefix, toGoldVintage } from '../../eval/code-versions.ts';
import type { Database } from '../db/client.ts';
import { versionFor } from '../db/queries/code-sets.ts';
import { saveLearnedModel } from '../db/queries/learned.ts';
import { loadKnowledge, loadProcedureKnowledge } from '../db/queries/knowledge.ts';
import { learnModel, type LabelledNote } from '../pipeline/learn.ts';
import { createRetriever } from '../pipeline/retrieve.ts';
import { ENGINE_VERSION, retrieveFor } from '../pipeline/run.ts';
import type { Embedder } from '../index/embedder.ts';

export interface LearnOptions {
  from: 'codiesp' | 'jsonl';
  dir?: string;
  split?: string;
  file?: string;
  id?: string;
}

/** Splits the eval reports on: learning from them would make the reported numbers meaningless. */
const REPORTING_SPLITS = new Set(['dev', 'test']);

export class LearnUsageError extends Error {}

/**
 * Learns from the dataset's notes: dictionary matches and the codes retrieved for each note's leftover
 * phrases (with `embedder`, retrieval is hybrid, as in the server — learn with the engine you run).
 */
export async function runLearn(database: Database, opts: LearnOptions, embedder: Embedder | null = null): Promise<string> {
  let docs;
  let dataset: string;
  if (opts.from === 'codiesp') {
    if (!opts.dir) throw new LearnUsageError('--dir is required with --from codiesp (a directory with <split>D.tsv and text_files_en/)');
    const split = (opts.split ?? 'train') as CodiespSplit;
    if (REPORTING_SPLITS.has(split)) throw new LearnUsageError(`refusing to learn from the "${split}" split: it is the one accuracy is reported on (use train)`);
    docs = loadCodiesp(opts.dir, split);
    dataset = `codiesp-${split}`;
  } else {
    if (!opts.file) throw new LearnUsageError('--file is required with --from jsonl');
    docs = loadJsonl(opts.file);
    dataset = `jsonl:${opts.file}`;
  }
  if (docs.length === 0) throw new LearnUsageError('the dataset has no notes');
  const release = await versionFor(database.db, 'ICD10CM', docs[0]!.encounter.dateOfService);
  if (!release) throw new LearnUsageError(`no ICD-10-CM release is loaded for ${docs[0]!.encounter.dateOfService}`);
  const kb = await loadKnowledge(database.db, release.id, release.version);
  const table = loadConversionTable();
  const pcsRelease = await versionFor(database.db, 'ICD10PCS', docs[0]!.encounter.dateOfService);
  const procedures = pcsRelease ? await loadProcedureKnowledge(database.db, pcsRelease.id, pcsRelease.version) : undefined;
  const retrieve = createRetriever(kb, embedder);
  // Procedures are learned only from datasets that code them (a note with no PCS gold could be one that was never procedure-coded).
  const codesProcedures = docs.some((x) => x.gold.some((g) => g.system === 'ICD10PCS'));
  const notes: LabelledNote[] = [];
  for (const d of docs) {
    const note = { text: d.text, encounter: d.encounter };
    const pcsGold = d.gold.filter((g) => g.system === 'ICD10PCS').map((g) => g.code);
    notes.push({
      id: d.id,
      note,
      retrieved: await retrieveFor(note, kb, retrieve),
      gold: d.gold.filter((g) => g.system === 'ICD10CM').map((g) => g.code),
      procedures: codesProcedures ? pcsGold : undefined,
    });
  }
  const id = opts.id ?? `${dataset.replace(/[^a-z0-9-]+/gi, '_')}-${new Date().toISOString().slice(0, 10)}`;
  const report = learnModel(id, notes, kb, (code, gold) => gold.has(toGoldVintage(code, gold, table)), {
    procedures,
    isProcedureCorrect: (code, gold) => gold.has(toGoldPcsPrefix(code, gold)),
  });
  await saveLearnedModel(database.db, report.model, { dataset, engineVersion: ENGINE_VERSION, notes: notes.length });
  return (
    `learned model ${id} from ${notes.length} notes (${report.candidates} candidates): threshold ${report.model.params.threshold!.toFixed(3)} ` +
    `(retrieved-only codes ${report.model.params.retrievedThreshold!.toFixed(3)}` +
    `${report.model.params.procedureThreshold != null ? `, procedures ${report.model.params.procedureThreshold.toFixed(3)}` : ''}), ` +
    `leave-one-out train P ${report.trainPrecision.toFixed(3)} R ${report.trainRecall.toFixed(3)} F1 ${report.trainF1.toFixed(3)}`
  );
}
