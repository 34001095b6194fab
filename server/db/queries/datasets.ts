// Evaluation datasets: the built-in "decisions" set that grows from finalized notes, imported sets, and
// frozen versions of either. Records and versions are append-only (database triggers, migration 0007).
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { SuggestionOutcome } from '../../../eval/decision-record.ts';
import type { CodeSystem } from '../../codes/types.ts';
import type { Encounter, EvidenceSpan } from '../../pipeline/types.ts';
import { billedLine } from '../../review/claim-line.ts';
import type { Db } from '../client.ts';
import {
  datasetRecords,
  datasets,
  datasetVersionRecords,
  datasetVersions,
  DECISIONS_DATASET,
  decisions,
  notes,
  suggestions,
  type GoldCode,
} from '../schema/index.ts';
import { appendAudit } from './audit.ts';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DatasetRow = typeof datasets.$inferSelect;
export type DatasetRecordRow = typeof datasetRecords.$inferSelect;
export type DatasetVersionRow = typeof datasetVersions.$inferSelect;

/** A refused dataset operation; `kind` maps to 404 / 400 / 409. */
export class DatasetStoreError extends Error {
  constructor(
    readonly kind: 'not_found' | 'invalid' | 'conflict',
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DatasetStoreError';
  }
}

/** A document to store in a dataset (an import, or a note being finalized). */
export interface DatasetDocument {
  id: string;
  text: string;
  encounter: Encounter;
  gold: GoldCode[];
}

async function datasetByName(db: Db | Tx, name: string): Promise<DatasetRow> {
  const [row] = await db.select().from(datasets).where(eq(datasets.name, name));
  if (!row) throw new DatasetStoreError('not_found', 'no_dataset', `No dataset named "${name}"`);
  return row;
}

/**
 * Adds the finalized note to the "decisions" set as a new revision of its record: the final codes as gold
 * (with their evidence and the principal flag) and the outcome of every suggestion. Runs inside the
 * finalize transaction, so a note is never coded without its record.
 */
export async function recordFinalization(tx: Tx, p: { noteId: string; coderId: string; now: Date; finalCodes: readonly { decisionId: string | null; system: CodeSystem; code: string; description: string; principal: boolean }[] }) {
  const set = await datasetByName(tx, DECISIONS_DATASET);
  const [note] = await tx.select({ text: notes.text, encounter: notes.encounter }).from(notes).where(eq(notes.id, p.noteId));
  const sugs = await tx.select().from(suggestions).where(eq(suggestions.noteId, p.noteId));
  const rows = await tx.select().from(decisions).where(eq(decisions.noteId, p.noteId));
  const bySuggestion = new Map(rows.filter((d) => d.suggestionId).map((d) => [d.suggestionId!, d]));
  const evidence = new Map<string, EvidenceSpan[]>(rows.map((d) => [d.id, d.evidence ?? []]));
  for (const s of sugs) {
    const d = bySuggestion.get(s.id);
    if (d && !d.evidence) evidence.set(d.id, s.evidence);
  }
  const byId = new Map(sugs.map((s) => [s.id, s]));
  const lineOf = (d: (typeof rows)[number] | undefined) => (d ? billedLine(d.suggestionId ? byId.get(d.suggestionId) : undefined, d) : null);
  const decisionById = new Map(rows.map((d) => [d.id, d]));
  const gold: GoldCode[] = p.finalCodes.map((f) => {
    const line = lineOf(f.decisionId ? decisionById.get(f.decisionId) : undefined);
    return {
      system: f.system,
      code: f.code,
      description: f.description,
      principal: f.principal,
      evidence: (f.decisionId ? evidence.get(f.decisionId) : undefined) ?? [],
      ...(line ? { line } : {}),
    };
  });
  const outcomes: SuggestionOutcome[] = [
    ...sugs.map((s): SuggestionOutcome => {
      const d = bySuggestion.get(s.id);
      const engineLine = s.rationale.line ? { units: s.rationale.line.units, modifiers: s.rationale.line.modifiers, diagnosisPointers: s.rationale.line.diagnosisPointers } : null;
      const base = { suggestionId: s.id, system: s.system, code: s.code, confidence: s.confidence, ...(engineLine ? { suggestedLine: engineLine } : {}) };
      if (!d) return { ...base, outcome: 'undecided' };
      if (d.action === 'reject') return { ...base, outcome: 'rejected', reason: d.reason, reasonText: d.reasonText };
      const line = lineOf(d);
      if (d.action === 'edit' && (d.code !== s.code || d.system !== s.system)) return { ...base, outcome: 'edited', editedTo: { system: d.system!, code: d.code! }, ...(line ? { line } : {}) };
      return { ...base, outcome: 'accepted', ...(line ? { line } : {}) };
    }),
    ...rows.filter((d) => d.action === 'add').map((d): SuggestionOutcome => ({ suggestionId: null, system: d.system!, code: d.code!, confidence: null, outcome: 'added' })),
  ];
  const versions = [...new Map(sugs.map((s) => [JSON.stringify(s.versions), s.versions])).values()];
  const [last] = await tx
    .select({ revision: sql<number>`max(${datasetRecords.revision})` })
    .from(datasetRecords)
    .where(and(eq(datasetRecords.datasetId, set.id), eq(datasetRecords.recordKey, p.noteId)));
  await tx.insert(datasetRecords).values({
    datasetId: set.id,
    recordKey: p.noteId,
    revision: (last?.revision ?? 0) + 1,
    noteId: p.noteId,
    text: note!.text,
    encounter: note!.encounter,
    gold,
    outcomes,
    versions,
    coderId: p.coderId,
    finalizedAt: p.now,
  });
}

/** The newest revision of every record of a dataset (a frozen version holds exactly these). */
export async function latestRecords(db: Db | Tx, datasetId: string): Promise<DatasetRecordRow[]> {
  return db
    .selectDistinctOn([datasetRecords.recordKey])
    .from(datasetRecords)
    .where(eq(datasetRecords.datasetId, datasetId))
    .orderBy(asc(datasetRecords.recordKey), desc(datasetRecords.revision));
}

/** Freezes the current state of a dataset as a named, immutable version. */
export async function freezeVersion(db: Db, p: { dataset: string; name: string; actorId: string | null }): Promise<DatasetVersionRow> {
  return db.transaction(async (tx) => {
    const set = await datasetByName(tx, p.dataset);
    const [clash] = await tx.select({ id: datasetVersions.id }).from(datasetVersions).where(and(eq(datasetVersions.datasetId, set.id), eq(datasetVersions.name, p.name)));
    if (clash) throw new DatasetStoreError('conflict', 'version_exists', `Dataset "${p.dataset}" already has a version named "${p.name}"`);
    const records = await latestRecords(tx, set.id);
    if (records.length === 0) throw new DatasetStoreError('conflict', 'empty_dataset', `Dataset "${p.dataset}" has no records to freeze yet`);
    const [version] = await tx.insert(datasetVersions).values({ datasetId: set.id, name: p.name, records: records.length, createdBy: p.actorId }).returning();
    for (let i = 0; i < records.length; i += 1000) {
      await tx.insert(datasetVersionRecords).values(records.slice(i, i + 1000).map((r) => ({ versionId: version!.id, recordId: r.id })));
    }
    await appendAudit(tx, { userId: p.actorId, action: 'dataset.freeze', entity: 'dataset', entityId: set.id, after: { version: p.name, records: records.length } });
    return version!;
  });
}

/** Stores an imported dataset (one revision per document) and freezes it as its first version. */
export async function importDataset(db: Db, p: { name: string; description?: string; versionName?: string; docs: readonly DatasetDocument[]; actorId: string | null }) {
  if (p.docs.length === 0) throw new DatasetStoreError('invalid', 'empty_dataset', 'The dataset has no documents');
  const ids = new Set<string>();
  for (const d of p.docs) {
    if (ids.has(d.id)) throw new DatasetStoreError('invalid', 'duplicate_id', `Document id "${d.id}" appears twice`);
    ids.add(d.id);
  }
  const created = await db.transaction(async (tx) => {
    const [clash] = await tx.select({ id: datasets.id }).from(datasets).where(eq(datasets.name, p.name));
    if (clash) throw new DatasetStoreError('conflict', 'dataset_exists', `A dataset named "${p.name}" exists already`);
    const [set] = await tx.insert(datasets).values({ name: p.name, kind: 'imported', description: p.description ?? '', createdBy: p.actorId }).returning();
    for (let i = 0; i < p.docs.length; i += 500) {
      await tx.insert(datasetRecords).values(
        p.docs.slice(i, i + 500).map((d) => ({ datasetId: set!.id, recordKey: d.id, revision: 1, text: d.text, encounter: d.encounter, gold: d.gold })),
      );
    }
    await appendAudit(tx, { userId: p.actorId, action: 'dataset.import', entity: 'dataset', entityId: set!.id, after: { name: p.name, documents: p.docs.length } });
    return set!;
  });
  const version = await freezeVersion(db, { dataset: p.name, name: p.versionName ?? 'v1', actorId: p.actorId });
  return { dataset: created, version };
}

export interface DatasetSummary extends DatasetRow {
  /** Distinct documents now (newest revisions). */
  records: number;
  versions: DatasetVersionRow[];
}

export async function listDatasets(db: Db): Promise<DatasetSummary[]> {
  const sets = await db.select().from(datasets).orderBy(asc(datasets.createdAt), asc(datasets.name));
  const counts = await db
    .select({ datasetId: datasetRecords.datasetId, records: sql<number>`count(distinct ${datasetRecords.recordKey})::int` })
    .from(datasetRecords)
    .groupBy(datasetRecords.datasetId);
  const versions = await db.select().from(datasetVersions).orderBy(asc(datasetVersions.createdAt));
  return sets.map((s) => ({
    ...s,
    records: counts.find((c) => c.datasetId === s.id)?.records ?? 0,
    versions: versions.filter((v) => v.datasetId === s.id),
  }));
}

/** A frozen version by id, or by "dataset@version" / "dataset" (its newest version). */
export async function findVersion(db: Db, ref: { id: string } | { name: string }): Promise<DatasetVersionRow & { dataset: string }> {
  const base = db
    .select({ version: datasetVersions, dataset: datasets.name })
    .from(datasetVersions)
    .innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId));
  let rows;
  if ('id' in ref) rows = await base.where(eq(datasetVersions.id, ref.id));
  else {
    const [dataset, version] = ref.name.split('@') as [string, string | undefined];
    rows = await base
      .where(and(eq(datasets.name, dataset), version ? eq(datasetVersions.name, version) : undefined))
      .orderBy(desc(datasetVersions.createdAt))
      .limit(1);
  }
  const row = rows[0];
  if (!row) throw new DatasetStoreError('not_found', 'no_version', `No dataset version ${'id' in ref ? ref.id : `"${ref.name}"`}`);
  return { ...row.version, dataset: row.dataset };
}

/** The records a frozen version holds, in record-key order. */
export async function versionRecords(db: Db, versionId: string): Promise<DatasetRecordRow[]> {
  const ids = db.select({ id: datasetVersionRecords.recordId }).from(datasetVersionRecords).where(eq(datasetVersionRecords.versionId, versionId));
  return db.select().from(datasetRecords).where(inArray(datasetRecords.id, ids)).orderBy(asc(datasetRecords.recordKey));
}
