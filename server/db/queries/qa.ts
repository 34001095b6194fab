// Reads and writes of quality assurance: the finalized-note records behind the dashboard, query facts,
// blind second coding and audit worksheets.
import { and, asc, desc, eq, gt, gte, inArray, lt, sql } from 'drizzle-orm';
import type { DecisionRecord } from '../../../eval/decision-record.ts';
import type { CodeRef } from '../../../eval/metrics.ts';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../client.ts';
import {
  codingAudits,
  datasetRecords,
  datasets,
  DECISIONS_DATASET,
  finalCodes,
  notes,
  physicianQueries,
  secondCodings,
  suggestions,
  users,
  type AuditWorksheetItem,
} from '../schema/index.ts';
import { seededRandom } from '../../seeded-random.ts';
import { appendAudit } from './audit.ts';
import { DatasetStoreError } from './datasets.ts';

export interface Period {
  /** Inclusive start and exclusive end (UTC instants); either may be open. */
  from?: Date | undefined;
  to?: Date | undefined;
}

const decisionsSet = (db: Db) => db.select({ id: datasets.id }).from(datasets).where(eq(datasets.name, DECISIONS_DATASET));

/** A stored decisions record with its row id and revision (for incremental loading). */
export interface StoredDecisionRecord extends DecisionRecord {
  id: number;
  revision: number;
}

/**
 * Records of the "decisions" set with a row id above `afterId` (all of them by default), oldest first, as
 * DecisionRecord (no text: the dashboard never needs it). Callers keep the newest revision per note.
 */
export async function decisionRecordsAfter(db: Db, afterId = 0): Promise<StoredDecisionRecord[]> {
  const rows = await db
    .select({
      id: datasetRecords.id,
      recordKey: datasetRecords.recordKey,
      revision: datasetRecords.revision,
      coderId: datasetRecords.coderId,
      finalizedAt: datasetRecords.finalizedAt,
      setting: sql<DecisionRecord['setting']>`${datasetRecords.encounter}->>'setting'`,
      gold: datasetRecords.gold,
      outcomes: datasetRecords.outcomes,
      versions: datasetRecords.versions,
    })
    .from(datasetRecords)
    .where(and(inArray(datasetRecords.datasetId, decisionsSet(db)), gt(datasetRecords.id, afterId)))
    .orderBy(asc(datasetRecords.id));
  return rows.map((r) => ({
    id: r.id,
    revision: r.revision,
    noteId: r.recordKey,
    coderId: r.coderId,
    finalizedAt: (r.finalizedAt ?? new Date(0)).toISOString(),
    setting: r.setting,
    gold: r.gold,
    outcomes: r.outcomes,
    versions: r.versions,
  }));
}

/** The newest record of every note finalized in the period (a note re-finalized later counts in the period of its newest finalization). */
export async function decisionRecords(db: Db, period: Period = {}): Promise<DecisionRecord[]> {
  return newestInPeriod(latestByNote(await decisionRecordsAfter(db)), period);
}

/** Newest revision per note of the given records, merged into `into`. */
export function latestByNote(records: readonly StoredDecisionRecord[], into = new Map<string, StoredDecisionRecord>()): Map<string, StoredDecisionRecord> {
  for (const r of records) {
    const had = into.get(r.noteId);
    if (!had || had.revision < r.revision) into.set(r.noteId, r);
  }
  return into;
}

export function newestInPeriod(latest: ReadonlyMap<string, StoredDecisionRecord>, period: Period): DecisionRecord[] {
  const from = period.from?.getTime() ?? -Infinity;
  const to = period.to?.getTime() ?? Infinity;
  return [...latest.values()].filter((r) => {
    const t = Date.parse(r.finalizedAt);
    return t >= from && t < to;
  });
}

/** Queries sent in the period. */
export async function queryFacts(db: Db, period: Period = {}) {
  return db
    .select({ noteId: physicianQueries.noteId, sentAt: physicianQueries.sentAt, answeredAt: physicianQueries.answeredAt, status: physicianQueries.status })
    .from(physicianQueries)
    .where(and(period.from ? gte(physicianQueries.sentAt, period.from) : undefined, period.to ? lt(physicianQueries.sentAt, period.to) : undefined));
}

/**
 * Changes whenever anything the dashboard shows changes: cheap aggregates over the tables it reads, so a
 * cached dashboard can be served until a note is finalized, a query moves, a second coding or audit lands.
 */
export async function dashboardStamp(db: Db): Promise<string> {
  const result = await db.execute(sql`select
      (select coalesce(max(id), 0) from dataset_records) as records,
      (select count(*) || ':' || coalesce(max(greatest(sent_at, answered_at, closed_at, withdrawn_at)), 'epoch') from queries) as queries,
      (select count(*) || ':' || count(completed_at) from second_codings) as second,
      (select count(*) from coding_audits) as audits`);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, unknown>[];
  return JSON.stringify(rows[0]);
}

/** Notes (id, external id, status, finalizing coder) for a drill-down list, in the given order. */
export async function notesByIds(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: notes.id, externalId: notes.externalId, status: notes.status, setting: sql<string>`${notes.encounter}->>'setting'`, updatedAt: notes.updatedAt })
    .from(notes)
    .where(inArray(notes.id, [...ids]));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
}

// ---- blind second coding ----


/**
 * Samples up to `perCoder` coded notes of each coder (in the period) and assigns each to another active
 * coder, round-robin, for blind second coding. Notes already in this sample are skipped.
 */
export async function sampleSecondCoding(db: Db, p: { sample: string; perCoder: number; period: Period; seed: number; actorId: string }) {
  const records = await decisionRecords(db, p.period);
  const coders = await db.select({ id: users.id }).from(users).where(and(eq(users.role, 'coder'), eq(users.active, true))).orderBy(asc(users.username));
  if (coders.length < 2) throw new DatasetStoreError('conflict', 'too_few_coders', 'Blind second coding needs at least two active coders');
  const random = seededRandom(p.seed);
  const byCoder = new Map<string, DecisionRecord[]>();
  for (const r of records) if (r.coderId) byCoder.set(r.coderId, [...(byCoder.get(r.coderId) ?? []), r]);
  const existing = new Set((await db.select({ noteId: secondCodings.noteId }).from(secondCodings).where(eq(secondCodings.sample, p.sample))).map((r) => r.noteId));
  const rows: (typeof secondCodings.$inferInsert)[] = [];
  let turn = 0;
  for (const [coderId, list] of [...byCoder].sort(([a], [b]) => a.localeCompare(b))) {
    const pool = list.filter((r) => !existing.has(r.noteId));
    // Fisher–Yates with the seeded generator, then the first perCoder.
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    }
    const others = coders.filter((c) => c.id !== coderId);
    if (others.length === 0) continue;
    for (const r of pool.slice(0, p.perCoder)) {
      rows.push({
        noteId: r.noteId,
        firstCoderId: coderId,
        coderId: others[turn++ % others.length]!.id,
        sample: p.sample,
        firstCodes: r.gold.map(({ system, code }) => ({ system, code })),
        createdBy: p.actorId,
      });
    }
  }
  if (rows.length === 0) return [];
  const stored = await db.insert(secondCodings).values(rows).returning();
  await appendAudit(db, { userId: p.actorId, action: 'second_coding.sample', entity: 'second_coding', entityId: p.sample, after: { assignments: stored.length, perCoder: p.perCoder, seed: p.seed } });
  return stored;
}


/** The second-coding rows that keep `noteId` (an id or a column) blind to `userId`: their assignment, not yet submitted. */
export function blindTo(noteId: string | AnyPgColumn, userId: string) {
  return and(eq(secondCodings.noteId, noteId), eq(secondCodings.coderId, userId), eq(secondCodings.status, 'assigned'));
}

/** A coder's second-coding assignments (blind: no first codes). */
export async function listSecondCodings(db: Db, p: { coderId?: string; status?: 'assigned' | 'done' }) {
  return db
    .select({ id: secondCodings.id, noteId: secondCodings.noteId, sample: secondCodings.sample, status: secondCodings.status, coderId: secondCodings.coderId, createdAt: secondCodings.createdAt, completedAt: secondCodings.completedAt })
    .from(secondCodings)
    .where(and(p.coderId ? eq(secondCodings.coderId, p.coderId) : undefined, p.status ? eq(secondCodings.status, p.status) : undefined))
    .orderBy(asc(secondCodings.createdAt));
}

export async function getSecondCoding(db: Db, id: string) {
  const [row] = await db.select().from(secondCodings).where(eq(secondCodings.id, id));
  if (!row) throw new DatasetStoreError('not_found', 'not_found', 'No such second-coding assignment');
  return row;
}

export async function completeSecondCoding(db: Db, p: { id: string; actorId: string; codes: CodeRef[]; now: Date }) {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(secondCodings).where(eq(secondCodings.id, p.id)).for('update');
    if (!row || row.coderId !== p.actorId) throw new DatasetStoreError('not_found', 'not_found', 'No such second-coding assignment for you');
    if (row.status === 'done') throw new DatasetStoreError('conflict', 'already_done', 'This second coding was submitted already');
    const [done] = await tx.update(secondCodings).set({ status: 'done', codes: p.codes, completedAt: p.now }).where(eq(secondCodings.id, p.id)).returning();
    await appendAudit(tx, { userId: p.actorId, action: 'second_coding.submit', entity: 'second_coding', entityId: p.id, after: { codes: p.codes } });
    return done!;
  });
}

/** Completed pairs (first coder's codes vs the second's), for agreement. */
export async function secondCodingPairs(db: Db) {
  const rows = await db.select().from(secondCodings).where(eq(secondCodings.status, 'done'));
  return rows.map((r) => ({ noteId: r.noteId, sample: r.sample, firstCoderId: r.firstCoderId, coderId: r.coderId, first: r.firstCodes, second: r.codes ?? [] }));
}

// ---- audit worksheets ----

/** What an auditor judges: the note's current final codes and the engine's final suggestions. */
export async function auditSubject(db: Db, noteId: string) {
  const [note] = await db.select({ id: notes.id, status: notes.status }).from(notes).where(eq(notes.id, noteId));
  if (!note) throw new DatasetStoreError('not_found', 'not_found', 'No such note');
  if (note.status !== 'coded') throw new DatasetStoreError('conflict', 'not_coded', 'Only a coded note can be audited');
  const finals = await db
    .select({ system: finalCodes.system, code: finalCodes.code, description: finalCodes.description, finalizedBy: finalCodes.finalizedBy })
    .from(finalCodes)
    .where(and(eq(finalCodes.noteId, noteId), sql`${finalCodes.supersededAt} is null`))
    .orderBy(asc(finalCodes.sequence));
  const engine = await db.select({ system: suggestions.system, code: suggestions.code }).from(suggestions).where(and(eq(suggestions.noteId, noteId), eq(suggestions.kind, 'final')));
  return { finals, engine, coderId: finals[0]?.finalizedBy ?? null };
}

export async function storeAudit(db: Db, p: { noteId: string; auditorId: string; items: AuditWorksheetItem[] }) {
  const subject = await auditSubject(db, p.noteId);
  const finalKeys = new Set(subject.finals.map((f) => `${f.system}|${f.code}`));
  for (const item of p.items) {
    const isFinal = finalKeys.has(`${item.system}|${item.code}`);
    if (item.verdict === 'missing' && isFinal) throw new DatasetStoreError('invalid', 'bad_item', `${item.code} is a final code: mark it correct or incorrect, not missing`);
    if (item.verdict !== 'missing' && !isFinal) throw new DatasetStoreError('invalid', 'bad_item', `${item.code} is not a final code of this note: only a missing code can be added`);
  }
  const judged = new Set(p.items.filter((i) => i.verdict !== 'missing').map((i) => `${i.system}|${i.code}`));
  const unjudged = [...finalKeys].filter((k) => !judged.has(k));
  if (unjudged.length) throw new DatasetStoreError('invalid', 'incomplete', `Mark every final code: ${unjudged.map((k) => k.split('|')[1]).join(', ')}`);
  const [row] = await db
    .insert(codingAudits)
    .values({ noteId: p.noteId, coderId: subject.coderId, auditorId: p.auditorId, items: p.items, engineCodes: subject.engine.map(({ system, code }) => ({ system, code })) })
    .returning();
  await appendAudit(db, { userId: p.auditorId, action: 'coding_audit.create', entity: 'note', entityId: p.noteId, after: { items: p.items } });
  return row!;
}

export async function listAudits(db: Db, period: Period = {}) {
  return db
    .select()
    .from(codingAudits)
    .where(and(period.from ? gte(codingAudits.createdAt, period.from) : undefined, period.to ? lt(codingAudits.createdAt, period.to) : undefined))
    .orderBy(desc(codingAudits.createdAt));
}
