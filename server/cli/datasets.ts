// `medcode datasets …`: the evaluation datasets in the database, for scripts and air-gapped imports
// (the QA dashboard does the same through the API).
import { readFileSync, writeFileSync } from 'node:fs';
import { loadCodiesp, loadJsonl, DatasetError, CODIESP_SPLITS, type CodiespSplit, type EvalDocument } from '../../eval/datasets.ts';
import { parseFhirBundle, toCsv, toFhirBundle, toJsonl } from '../../eval/formats.ts';
import type { Database } from '../db/client.ts';
import { findVersion, freezeVersion, importDataset, listDatasets, versionRecords } from '../db/queries/datasets.ts';

export class DatasetUsageError extends Error {}

export interface ImportOptions {
  name: string;
  jsonl?: string;
  fhir?: string;
  codiesp?: string;
  split?: string;
  version?: string;
}

function readDocs(opts: ImportOptions): EvalDocument[] {
  const given = [opts.jsonl, opts.fhir, opts.codiesp].filter(Boolean).length;
  if (given !== 1) throw new DatasetUsageError('give exactly one of --jsonl <file>, --fhir <file>, --codiesp <dir> --split <split>');
  if (opts.jsonl) return loadJsonl(opts.jsonl);
  if (opts.fhir) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(opts.fhir, 'utf8'));
    } catch (err) {
      throw new DatasetError(opts.fhir, null, `not a JSON file: ${(err as Error).message}`);
    }
    return parseFhirBundle(json, opts.fhir);
  }
  if (!opts.split || !(CODIESP_SPLITS as readonly string[]).includes(opts.split)) throw new DatasetUsageError(`--codiesp needs --split ${CODIESP_SPLITS.join('|')}`);
  return loadCodiesp(opts.codiesp!, opts.split as CodiespSplit);
}

export async function importCommand(d: Database, opts: ImportOptions): Promise<string> {
  const docs = readDocs(opts);
  const r = await importDataset(d.db, { name: opts.name, versionName: opts.version, docs, actorId: null });
  return `imported ${docs.length} documents as "${r.dataset.name}@${r.version.name}"`;
}

export async function listCommand(d: Database): Promise<string> {
  const sets = await listDatasets(d.db);
  return sets
    .map((s) => [`${s.name} (${s.kind}): ${s.records} records`, ...s.versions.map((v) => `  @${v.name}: ${v.records} records, frozen ${v.createdAt.toISOString()}`)].join('\n'))
    .join('\n');
}

export async function freezeCommand(d: Database, dataset: string, name: string): Promise<string> {
  const v = await freezeVersion(d.db, { dataset, name, actorId: null });
  return `froze "${dataset}@${v.name}" with ${v.records} records`;
}

export async function exportCommand(d: Database, ref: string, opts: { format: string; out: string }): Promise<string> {
  if (!['jsonl', 'csv', 'fhir'].includes(opts.format)) throw new DatasetUsageError(`--format must be jsonl, csv or fhir, not "${opts.format}"`);
  const version = await findVersion(d.db, { name: ref });
  const docs = (await versionRecords(d.db, version.id)).map((r) => ({ id: r.recordKey, text: r.text, encounter: r.encounter, gold: r.gold }));
  writeFileSync(opts.out, opts.format === 'jsonl' ? toJsonl(docs) : opts.format === 'csv' ? toCsv(docs) : JSON.stringify(toFhirBundle(docs)));
  return `wrote ${docs.length} documents of "${version.dataset}@${version.name}" to ${opts.out}`;
}
