// Evaluation runs: the pipeline applied to a frozen dataset version, with per-record predictions.
import { and, desc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { datasetRecords, datasets, datasetVersionRecords, datasetVersions, evalPredictions, evalRuns, type PredictedRef, type RunConfig, type RunMetrics } from '../schema/index.ts';
import { appendAudit } from './audit.ts';
import { leaseEnd, leaseExpired, unlocked, type Lease } from './leases.ts';
import { DatasetStoreError } from './datasets.ts';

export type EvalRunRow = typeof evalRuns.$inferSelect;
export type RunSummary = EvalRunRow & { dataset: string; datasetVersion: string };

export async function createRun(db: Db, p: { versionId: string; label: string; config: Omit<RunConfig, 'datasetVersion' | 'observed'>; actorId: string | null }): Promise<EvalRunRow> {
  const [version] = await db
    .select({ id: datasetVersions.id, name: datasetVersions.name, records: datasetVersions.records, dataset: datasets.name })
    .from(datasetVersions)
    .innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId))
    .where(eq(datasetVersions.id, p.versionId));
  if (!version) throw new DatasetStoreError('not_found', 'no_version', `No dataset version ${p.versionId}`);
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

/** A run a worker may take: queued, or running under a lease its holder stopped renewing (it died). */
const claimableRun = and(inArray(evalRuns.status, ['queued', 'running']), leaseExpired(evalRuns.lockedUntil));

/**
 * Claims the oldest unfinished run no live worker holds, marks it running and leases it to this worker;
 * SKIP LOCKED keeps two workers from claiming the same run. A taken-over run resumes at its pending records.
 */
export async function claimRun(db: Db, p: Lease & { now: Date }): Promise<EvalRunRow | undefined> {
  const next = db.select({ id: evalRuns.id }).from(evalRuns).where(claimableRun).orderBy(evalRuns.createdAt).limit(1).for('update', { skipLocked: true });
  const [run] = await db
    .update(evalRuns)
    .set({ status: 'running', startedAt: sql`coalesce(${evalRuns.startedAt}, ${p.now.toISOString()}::timestamptz)`, lockedBy: p.workerId, lockedUntil: leaseEnd(p.leaseMs) })
    .where(and(eq(evalRuns.id, sql`(${next})`), claimableRun))
    .returning();
  return run;
}

/** Extends this worker's lease on a run; false when it no longer holds it (it was taken over). */
export async function renewRunLease(db: Db, p: Lease & { runId: string }): Promise<boolean> {
  const rows = await db
    .update(evalRuns)
    .set({ lockedUntil: leaseEnd(p.leaseMs) })
    .where(and(eq(evalRuns.id, p.runId), eq(evalRuns.lockedBy, p.workerId), eq(evalRuns.status, 'running')))
    .returning({ id: evalRuns.id });
  return rows.length > 0;
}

/** Gives up this worker's lease on an unfinished run (a graceful stop): any worker may resume it at once. */
export async function releaseRun(db: Db, p: { runId: string; workerId: string }): Promise<void> {
  await db.update(evalRuns).set(unlocked).where(and(eq(evalRuns.id, p.runId), eq(evalRuns.lockedBy, p.workerId)));
}

/** The version's records this run has no prediction for yet (all of them for a new run). */
export async function pendingRecords(db: Db, run: EvalRunRow) {
  const done = db.select({ id: evalPredictions.recordId }).from(evalPredictions).where(eq(evalPredictions.runId, run.id));
  const inVersion = db.select({ id: datasetVersionRecords.recordId }).from(datasetVersionRecords).where(eq(datasetVersionRecords.versionId, run.datasetVersionId));
  return db
    .select({ id: datasetRecords.id, recordKey: datasetRecords.recordKey, text: datasetRecords.text, encounter: datasetRecords.encounter, gold: datasetRecords.gold })
    .from(datasetRecords)
    .where(and(inArray(datasetRecords.id, inVersion), notInArray(datasetRecords.id, done)))
    .orderBy(datasetRecords.recordKey);
}

/** Stores one prediction and advances the progress counter (only when the row is new: a resumed run may redo one). */
export async function storePrediction(db: Db, p: { runId: string; recordId: number; predicted: PredictedRef[]; error: string | null; ms: number }): Promise<void> {
  await db.transaction(async (tx) => {
    const stored = await tx.insert(evalPredictions).values(p).onConflictDoNothing().returning({ runId: evalPredictions.runId });
    if (stored.length > 0) await tx.update(evalRuns).set({ done: sql`${evalRuns.done} + 1` }).where(eq(evalRuns.id, p.runId));
  });
}

/** Only the lease holder finishes a run: a worker that lost its lease leaves the run to the new holder. */
const runHeldBy = (p: { runId: string; workerId: string }) => and(eq(evalRuns.id, p.runId), eq(evalRuns.lockedBy, p.workerId));

/** Marks a run done with its metrics; false (nothing written) when this worker no longer holds it. */
export async function finishRun(db: Db, p: { runId: string; workerId: string; now: Date; metrics: RunMetrics; observed: RunConfig['observed'] }): Promise<boolean> {
  const [run] = await db.select({ config: evalRuns.config }).from(evalRuns).where(eq(evalRuns.id, p.runId));
  const rows = await db
    .update(evalRuns)
    .set({ status: 'done', metrics: p.metrics, finishedAt: p.now, config: { ...run!.config, observed: p.observed }, ...unlocked })
    .where(runHeldBy(p))
    .returning({ id: evalRuns.id });
  return rows.length > 0;
}

export async function failRun(db: Db, p: { runId: string; workerId: string; now: Date; error: string }): Promise<void> {
  await db.update(evalRuns).set({ status: 'failed', error: p.error, finishedAt: p.now, ...unlocked }).where(runHeldBy(p));
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
