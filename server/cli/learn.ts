// `medcode learn --from <dataset>`: learns a model from labelled notes — a corpus (CodiEsp, JSONL) or a
// frozen version of this site's decisions (`--from decisions@2026-12 [--also codiesp]`) — and stores it
// as a candidate; `--activate` puts it in force at once (the maintainer's path to the shipped model).
import { loadCodiesp, loadJsonl, type CodiespSplit, type EvalDocument } from '../../eval/datasets.ts';
import type { Database } from '../db/client.ts';
import type { Embedder } from '../index/embedder.ts';
import { learnAndStore, learnFromDecisions, type LearnedCandidate, type LearningNote } from '../models/learn-candidate.ts';

export interface LearnOptions {
  from: string;
  dir?: string;
  split?: string;
  file?: string;
  id?: string;
  also?: string;
  activate?: boolean;
}

/** Splits the eval reports on: learning from them would make the reported numbers meaningless. */
const REPORTING_SPLITS = new Set(['dev', 'test']);

export class LearnUsageError extends Error {}

function corpus(opts: LearnOptions, from: string): { name: string; notes: LearningNote[] } {
  let docs: EvalDocument[];
  let name: string;
  if (from === 'codiesp') {
    if (!opts.dir) throw new LearnUsageError('--dir is required with codiesp (a directory with <split>D.tsv and text_files_en/)');
    const split = (opts.split ?? 'train') as CodiespSplit;
    if (REPORTING_SPLITS.has(split)) throw new LearnUsageError(`refusing to learn from the "${split}" split: it is the one accuracy is reported on (use train)`);
    docs = loadCodiesp(opts.dir, split);
    name = `codiesp-${split}`;
  } else if (from === 'jsonl') {
    if (!opts.file) throw new LearnUsageError('--file is required with jsonl');
    docs = loadJsonl(opts.file);
    name = `jsonl:${opts.file}`;
  } else throw new LearnUsageError(`unknown dataset "${from}" (codiesp, jsonl or decisions@VERSION)`);
  if (docs.length === 0) throw new LearnUsageError('the dataset has no notes');
  // Procedures are learned only from datasets that code them (a note with no PCS gold could be one that was never procedure-coded).
  const codesProcedures = docs.some((x) => x.gold.some((g) => g.system === 'ICD10PCS'));
  return {
    name,
    notes: docs.map((d) => ({
      id: d.id,
      note: { text: d.text, encounter: d.encounter },
      gold: d.gold.filter((g) => g.system === 'ICD10CM').map((g) => g.code),
      procedures: codesProcedures ? d.gold.filter((g) => g.system === 'ICD10PCS').map((g) => g.code) : undefined,
    })),
  };
}

/**
 * Learns from the dataset's notes: dictionary matches and the codes retrieved for each note's leftover
 * phrases (with `embedder`, retrieval is hybrid, as in the server — learn with the engine you run).
 */
export async function runLearn(database: Database, opts: LearnOptions, embedder: Embedder | null = null): Promise<string> {
  let learned: LearnedCandidate;
  if (opts.from === 'decisions' || opts.from.startsWith('decisions@')) {
    if (opts.activate) throw new LearnUsageError('a model learned from decisions is a candidate: compare it (`medcode models evaluate`) and promote it (`medcode models promote`)');
    const version = opts.from.split('@')[1];
    if (!version) throw new LearnUsageError('name the frozen version to learn from: --from decisions@VERSION (see `medcode datasets list`)');
    learned = await learnFromDecisions(database.db, { version, id: opts.id, also: opts.also ? corpus(opts, opts.also) : undefined, embedder });
  } else {
    if (opts.also) throw new LearnUsageError('--also adds a corpus to decisions: use it with --from decisions@VERSION');
    const { name, notes } = corpus(opts, opts.from);
    const id = opts.id ?? `${name.replace(/[^a-z0-9-]+/gi, '_')}-${new Date().toISOString().slice(0, 10)}`;
    learned = await learnAndStore(database.db, { id, notes, training: { dataset: name, version: null, records: notes.length }, embedder, fromDecisions: false, activate: opts.activate });
  }
  const { model, candidates, trainPrecision, trainRecall, trainF1 } = learned.report;
  return (
    `learned ${opts.activate ? 'and activated ' : 'candidate '}model ${learned.id} from ${learned.training.records} notes (${candidates} candidates): threshold ${model.params.threshold!.toFixed(3)} ` +
    `(retrieved-only codes ${model.params.retrievedThreshold!.toFixed(3)}` +
    `${model.params.procedureThreshold != null ? `, procedures ${model.params.procedureThreshold.toFixed(3)}` : ''}), ` +
    `leave-one-out train P ${trainPrecision.toFixed(3)} R ${trainRecall.toFixed(3)} F1 ${trainF1.toFixed(3)}` +
    (learned.training.decisions ? `; decisions ${Object.entries(learned.training.decisions).map(([k, n]) => `${k} ${n}`).join(', ')}` : '')
  );
}
