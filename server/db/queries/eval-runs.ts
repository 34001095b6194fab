// Evaluation runs: the pipeline applied to a frozen dataset version, with per-record predictions.
import { and, desc, eq, inArray, not, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { datasetRecords, datasets, datasetVersionRecords, datasetVersions, evalPredictions, evalRecordLeases, evalRuns, type PredictedRef, type RunConfig, type RunMetrics } from '../schema/index.ts';
import { appendAudit } from './audit.ts';
import { leaseEnd, leaseExpired, type Lease } from './leases.ts';
import { DatasetStoreError } from './datasets.ts';

export type EvalRunRow = typeof evalRuns.$inferSelect;
export type RunSummary = EvalRunRow & { dataset: string; datasetVersion: string };

/** A version with its dataset's name: what a run's config records. */
async function runVersion(db: Pick<Db, 'select'>, versionId: string) {
  const [version] = await db
    .select({ id: datasetVersions.id, name: datasetVersions.name, records: datasetVersions.records, dataset: datasets.name })
    .from(datasetVersions)
    .innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId))
    .where(eq(datasetVersions.id, versionId));
  if (!version) throw new DatasetStoreError('not_found', 'no_version', `No dataset version ${versionId}`);
  return version;
}

export async function createRun(db: Db, p: { versionId: string; label: string; config: Omit<RunConfig, 'datasetVersion' | 'observed'>; actorId: string | null }): Promise<EvalRunRow> {
  const version = await runVersion(db, p.versionId);
  const config: RunConfig = { ...p.config, datasetVersion: { id: version.id, dataset: version.dataset, name: version.name }, observed: [] };
  const [run] = await db.insert(evalRuns).values({ datasetVersionId: version.id, label: p.label, config, total: version.records, createdBy: p.actorId }).returning();
  await appendAudit(db, { userId: p.actorId, action: 'run.start', entity: 'eval_run', entityId: run!.id, after: { dataset: version.dataset, version: version.name, label: p.label } });
  return run!;
}

const summaryColumns = { run: evalRuns, dataset: datasets.name, datasetVersion: datasetVersions.name };
const summaryFrom = (db: Db) =>
  db
    .select(summaryColumns)
    .from(evalRuns)
    .innerJoin(datasetVersions, eq(datasetVersions.id, evalRuns.datasetVersionId))
    .innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId));

export async function listRuns(db: Db, limit = 200): Promise<RunSummary[]> {
  const rows = await summaryFrom(db).orderBy(desc(evalRuns.createdAt)).limit(limit);
  return rows.map((r) => ({ ...r.run, dataset: r.dataset, datasetVersion: r.datasetVersion }));
}

export async function getRun(db: Db, id: string): Promise<RunSummary> {
  const [r] = await summaryFrom(db).where(eq(evalRuns.id, id));
  if (!r) throw new DatasetStoreError('not_found', 'no_run', `No run ${id}`);
  return { ...r.run, dataset: r.dataset, datasetVersion: r.datasetVersion };
}

/** Runs a worker should work on: queued, or running (possibly by other workers too). Oldest first. */
export async function unfinishedRuns(db: Db): Promise<EvalRunRow[]> {
  return db.select().from(evalRuns).where(inArray(evalRuns.status, ['queued', 'running'])).orderBy(evalRuns.createdAt);
}

export async function markRunning(db: Db, runId: string, now: Date): Promise<void> {
  await db.update(evalRuns).set({ status: 'running', startedAt: sql`coalesce(${evalRuns.startedAt}, ${now.toISOString()}::timestamptz)` }).where(eq(evalRuns.id, runId));
}

/**
 * Leases this worker the next record of the run that has no prediction and no live lease, and returns it
 * (undefined when none is left to take). Two workers racing for one record: the primary key lets one
 * insert, and the other's conflicting insert updates nothing while the winner's lease is live.
 */
export async function claimRecord(db: Db, p: Lease & { run: Pick<EvalRunRow, 'id' | 'datasetVersionId'> }) {
  const predicted = db.select({ id: evalPredictions.recordId }).from(evalPredictions).where(eq(evalPredictions.runId, p.run.id));
  const leased = db
    .select({ id: evalRecordLeases.recordId })
    .from(evalRecordLeases)
    .where(and(eq(evalRecordLeases.runId, p.run.id), not(leaseExpired(evalRecordLeases.lockedUntil))));
  const next = db
    .select({ runId: sql<string>`${p.run.id}::uuid`.as('run_id'), recordId: datasetRecords.id, lockedBy: sql<string>`${p.workerId}`.as('locked_by'), lockedUntil: sql<Date>`${leaseEnd(p.leaseMs)}`.as('locked_until') })
    .from(datasetRecords)
    .innerJoin(datasetVersionRecords, and(eq(datasetVersionRecords.recordId, datasetRecords.id), eq(datasetVersionRecords.versionId, p.run.datasetVersionId)))
    .where(and(notInArray(datasetRecords.id, predicted), notInArray(datasetRecords.id, leased)))
    .orderBy(datasetRecords.recordKey)
    .limit(1);
  const [claimed] = await db
    .insert(evalRecordLeases)
    .select(next)
    .onConflictDoUpdate({
      target: [evalRecordLeases.runId, evalRecordLeases.recordId],
      set: { lockedBy: sql`excluded.locked_by`, lockedUntil: sql`excluded.locked_until` },
      setWhere: leaseExpired(evalRecordLeases.lockedUntil),
    })
    .returning({ recordId: evalRecordLeases.recordId });
  if (!claimed) return undefined;
  const [rec] = await db
    .select({ id: datasetRecords.id, recordKey: datasetRecords.recordKey, text: datasetRecords.text, encounter: datasetRecords.encounter, gold: datasetRecords.gold })
    .from(datasetRecords)
    .where(eq(datasetRecords.id, claimed.recordId));
  return rec;
}

/** Extends this worker's lease on a record; false when it no longer holds it. */
export async function renewRecordLease(db: Db, p: Lease & { runId: string; recordId: number }): Promise<boolean> {
  const rows = await db
    .update(evalRecordLeases)
    .set({ lockedUntil: leaseEnd(p.leaseMs) })
    .where(and(eq(evalRecordLeases.runId, p.runId), eq(evalRecordLeases.recordId, p.recordId), eq(evalRecordLeases.lockedBy, p.workerId)))
    .returning({ id: evalRecordLeases.recordId });
  return rows.length > 0;
}

/** Stores one prediction and advances the progress counter (only when the row is new: a resumed run may redo one). */
export async function storePrediction(db: Db, p: { runId: string; recordId: number; predicted: PredictedRef[]; error: string | null; ms: number }): Promise<void> {
  await db.transaction(async (tx) => {
    const stored = await tx.insert(evalPredictions).values(p).onConflictDoNothing().returning({ runId: evalPredictions.runId });
    if (stored.length > 0) await tx.update(evalRuns).set({ done: sql`${evalRuns.done} + 1` }).where(eq(evalRuns.id, p.runId));
  });
}

const unfinished = (runId: string) => and(eq(evalRuns.id, runId), inArray(evalRuns.status, ['queued', 'running']));

/**
 * Marks a run done with its metrics and drops its record leases; false (nothing written) when it is
 * finished already: of several workers that see the last prediction stored, one finishes the run.
 */
export async function finishRun(db: Db, p: { runId: string; now: Date; metrics: RunMetrics; observed: RunConfig['observed'] }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [run] = await tx.select({ config: evalRuns.config }).from(evalRuns).where(eq(evalRuns.id, p.runId));
    const rows = await tx
      .update(evalRuns)
      .set({ status: 'done', metrics: p.metrics, finishedAt: p.now, config: { ...run!.config, observed: p.observed } })
      .where(unfinished(p.runId))
      .returning({ id: evalRuns.id });
    await tx.delete(evalRecordLeases).where(eq(evalRecordLeases.runId, p.runId));
    return rows.length > 0;
  });
}

export async function failRun(db: Db, p: { runId: string; now: Date; error: string }): Promise<void> {
  await db.update(evalRuns).set({ status: 'failed', error: p.error, finishedAt: p.now }).where(unfinished(p.runId));
}

/** Every record of the run's version with its gold and the run's prediction (null when none yet). */
export async function runPredictions(db: Db, run: Pick<EvalRunRow, 'id' | 'datasetVersionId'>) {
  const inVersion = db.select({ id: datasetVersionRecords.recordId }).from(datasetVersionRecords).where(eq(datasetVersionRecords.versionId, run.datasetVersionId));
  return db
    .select({ recordId: datasetRecords.id, recordKey: datasetRecords.recordKey, noteId: datasetRecords.noteId, gold: datasetRecords.gold, predicted: evalPredictions.predicted, error: evalPredictions.error })
    .from(datasetRecords)
    .leftJoin(evalPredictions, and(eq(evalPredictions.recordId, datasetRecords.id), eq(evalPredictions.runId, run.id)))
    .where(inArray(datasetRecords.id, inVersion))
    .orderBy(datasetRecords.recordKey);
}

/**
 * Stores a run computed elsewhere (a model measured on a version, server/models/evaluate-model.ts) as
 * finished: its predictions (possibly of some records of the version only: the notes a model did not learn
 * from), progress and metrics are written in one transaction, so no worker sees it half done.
 */
export async function storeFinishedRun(
  db: Db,
  p: {
    versionId: string;
    label: string;
    config: Omit<RunConfig, 'datasetVersion' | 'observed'>;
    observed: RunConfig['observed'];
    predictions: readonly { recordId: number; predicted: PredictedRef[]; ms: number }[];
    metrics: RunMetrics;
    actorId: string | null;
  },
): Promise<string> {
  return db.transaction(async (tx) => {
    const version = await runVersion(tx, p.versionId);
    const config: RunConfig = { ...p.config, datasetVersion: { id: version.id, dataset: version.dataset, name: version.name }, observed: p.observed };
    const now = new Date();
    const n = p.predictions.length;
    const [run] = await tx
      .insert(evalRuns)
      .values({ datasetVersionId: version.id, label: p.label, status: 'done', config, done: n, total: n, metrics: p.metrics, createdBy: p.actorId, startedAt: now, finishedAt: now })
      .returning({ id: evalRuns.id });
    for (let i = 0; i < n; i += 500) {
      await tx.insert(evalPredictions).values(p.predictions.slice(i, i + 500).map((x) => ({ runId: run!.id, recordId: x.recordId, predicted: x.predicted, error: null, ms: x.ms })));
    }
    await appendAudit(tx, { userId: p.actorId, action: 'run.store', entity: 'eval_run', entityId: run!.id, after: { dataset: version.dataset, version: version.name, label: p.label, records: n } });
    return run!.id;
  });
}
