import { and, asc, count, desc, eq, getTableColumns, inArray, notInArray, sql } from 'drizzle-orm';
import type { Encounter, Suggestion } from '../../pipeline/types.ts';
import type { Db } from '../client.ts';
import { leaseEnd, leaseExpired, unlocked, type Lease } from './leases.ts';
import { notes, REVIEW_STATUSES, suggestions, type NoteStatus } from '../schema/index.ts';

export type NoteRow = typeof notes.$inferSelect;
export type SuggestionRow = typeof suggestions.$inferSelect;
export type NoteSummary = Omit<NoteRow, 'text'>;

export interface NewNote {
  text: string;
  encounter: Encounter;
  externalId: string | null;
  format: 'json' | 'fhir';
}

/** A note the worker has claimed: `version` is the one its result must still match to be stored. */
export interface ClaimedNote {
  id: string;
  text: string;
  encounter: Encounter;
  version: number;
}

const bump = { version: sql`${notes.version} + 1`, updatedAt: sql`now()` };

/** Stores notes as "queued", all or none, in the order given. */
export async function insertNotes(db: Db, rows: NewNote[]): Promise<Pick<NoteRow, 'id' | 'status' | 'externalId'>[]> {
  if (rows.length === 0) return [];
  return db.insert(notes).values(rows).returning({ id: notes.id, status: notes.status, externalId: notes.externalId });
}

/** The note with its suggestions in the engine's reporting order (principal / first-listed first), or undefined. */
export async function getNote(db: Db, id: string): Promise<(NoteRow & { suggestions: SuggestionRow[] }) | undefined> {
  const [note] = await db.select().from(notes).where(eq(notes.id, id));
  if (!note) return undefined;
  return { ...note, suggestions: await noteSuggestions(db, id) };
}

/** A note's suggestions in the engine's reporting order (principal / first-listed first). */
export async function noteSuggestions(db: Db, noteId: string): Promise<SuggestionRow[]> {
  return db.select().from(suggestions).where(eq(suggestions.noteId, noteId)).orderBy(asc(suggestions.rank), desc(suggestions.confidence), asc(suggestions.code));
}

/**
 * A page of notes without their text; `total` counts every note matching the filter. `addressedTo`
 * keeps the notes with a physician query to that user; `blindFor` drops the notes that user is second-coding;
 * `externalId` matches a prefix of the caller's id.
 */
export async function listNotes(
  db: Db,
  params: { status?: NoteStatus; addressedTo?: string; blindFor?: string; externalId?: string; sort?: 'newest' | 'oldest'; limit: number; offset: number },
): Promise<{ notes: (NoteSummary & { suggestionCount: number; claimedBy: string | null; answeredQueries: number })[]; total: number }> {
  const where = and(
    params.status ? eq(notes.status, params.status) : undefined,
    params.addressedTo ? sql`exists (select 1 from queries q where q.note_id = "notes"."id" and q.to_user = ${params.addressedTo})` : undefined,
    // Blind double coding: a note this user is second-coding stays out of their queue until they submit.
    params.blindFor ? sql`not exists (select 1 from second_codings sc where sc.note_id = "notes"."id" and sc.coder_id = ${params.blindFor} and sc.status = 'assigned')` : undefined,
    params.externalId ? sql`starts_with(${notes.externalId}, ${params.externalId})` : undefined,
  );
  const { text: _text, ...columns } = getTableColumns(notes);
  const rows = await db
    .select({
      ...columns,
      // Qualified by hand: drizzle writes a bare column name here, which would bind to the subquery's table.
      suggestionCount: sql<number>`(select count(*)::int from suggestions s where s.note_id = "notes"."id")`,
      // The holder of a live claim (see CLAIM_IDLE_MS in queries/reviews.ts).
      claimedBy: sql<string | null>`(select u.username from note_claims c join users u on u.id = c.user_id where c.note_id = "notes"."id" and c.last_activity > now() - interval '30 minutes')`,
      // Answered physician queries not yet acted on (closed): the queue's "Query answered" badge.
      answeredQueries: sql<number>`(select count(*)::int from queries q where q.note_id = "notes"."id" and q.status = 'answered')`,
    })
    .from(notes)
    .where(where)
    .orderBy(...(params.sort === 'oldest' ? [asc(notes.createdAt), asc(notes.id)] : [desc(notes.createdAt), desc(notes.id)]))
    .limit(params.limit)
    .offset(params.offset);
  const [total] = await db.select({ n: count() }).from(notes).where(where);
  return { notes: rows.map((r) => ({ ...r, suggestionCount: Number(r.suggestionCount), answeredQueries: Number(r.answeredQueries) })), total: Number(total?.n ?? 0) };
}

/**
 * Puts a note back in the queue (a re-run on demand). Bumping the version makes a run already in
 * flight for it lose: its result no longer matches and is dropped. Undefined when there is no such
 * note; throws NoteInReviewError once people review it (a re-run would replace the suggestions they decided on).
 */
export async function requeueNote(db: Db, id: string): Promise<Pick<NoteRow, 'id' | 'status' | 'version'> | undefined> {
  const [row] = await db
    .update(notes)
    .set({ status: 'queued', failureReason: null, ...unlocked, ...bump })
    .where(and(eq(notes.id, id), notInArray(notes.status, [...REVIEW_STATUSES])))
    .returning({ id: notes.id, status: notes.status, version: notes.version });
  if (row) return row;
  const [exists] = await db.select({ id: notes.id }).from(notes).where(eq(notes.id, id));
  if (exists) throw new NoteInReviewError(id);
  return undefined;
}

export class NoteInReviewError extends Error {
  constructor(readonly noteId: string) {
    super('The note is being reviewed (or is coded): its suggestions can no longer be replaced');
    this.name = 'NoteInReviewError';
  }
}

/**
 * A note a worker may take: queued. Notes whose worker died or hung come back through the sweep
 * (requeueProcessing, run by every worker on its lease timer), so the claim stays on the status index: an
 * "or lease expired" here made every claim walk the whole note history (44 ms vs 0.6 ms at 200k notes).
 */
const claimable = eq(notes.status, 'queued');

/**
 * Claims the oldest queued note with a lease for this worker. SKIP LOCKED lets several workers
 * (processes on PostgreSQL) claim concurrently without taking the same note twice; a live lease is
 * never taken over. The version bump makes the result of a worker whose lease was taken over lose.
 */
export async function claimNextNote(db: Db, lease: Lease): Promise<ClaimedNote | undefined> {
  const next = db
    .select({ id: notes.id })
    .from(notes)
    .where(claimable)
    .orderBy(asc(notes.createdAt), asc(notes.id))
    .limit(1)
    .for('update', { skipLocked: true });
  const [row] = await db
    .update(notes)
    .set({ status: 'processing', lockedBy: lease.workerId, lockedUntil: leaseEnd(lease.leaseMs), ...bump })
    // A scalar subquery runs once; `id IN (… LIMIT 1 FOR UPDATE)` may be re-run per row and claim many.
    .where(and(eq(notes.id, sql`(${next})`), claimable))
    .returning({ id: notes.id, text: notes.text, encounter: notes.encounter, version: notes.version });
  return row;
}

/** Extends this worker's leases on the notes it is running (no version bump: the run is the same). */
export async function renewNoteLeases(db: Db, params: Lease & { ids: string[] }): Promise<number> {
  if (params.ids.length === 0) return 0;
  const rows = await db
    .update(notes)
    .set({ lockedUntil: leaseEnd(params.leaseMs) })
    .where(and(inArray(notes.id, params.ids), eq(notes.lockedBy, params.workerId), eq(notes.status, 'processing')))
    .returning({ id: notes.id });
  return rows.length;
}

/**
 * Re-queues notes left in "processing" whose lease has expired (or that have none); with `workerId`,
 * those this worker still holds, expired or not (its graceful stop); with `all`, every one (the only
 * process a database can have: any lease found is a dead process's). Returns how many.
 */
export async function requeueProcessing(db: Db, params: { workerId?: string; all?: boolean } = {}): Promise<number> {
  const held = params.all ? undefined : params.workerId ? eq(notes.lockedBy, params.workerId) : leaseExpired(notes.lockedUntil);
  const rows = await db
    .update(notes)
    .set({ status: 'queued', ...unlocked, ...bump })
    .where(and(eq(notes.status, 'processing'), held))
    .returning({ id: notes.id });
  return rows.length;
}

/** Only the lease holder stores, and only while the note is the version it claimed. */
const heldBy = (p: { id: string; version: number; workerId: string }) =>
  and(eq(notes.id, p.id), eq(notes.version, p.version), eq(notes.status, 'processing'), eq(notes.lockedBy, p.workerId));

/**
 * Stores a run's suggestions in place of the previous ones and marks the note "suggested", in one
 * transaction. Returns false (and writes nothing) when the note changed since it was claimed or
 * another worker took it over.
 */
export async function storeSuggestions(
  db: Db,
  params: { id: string; version: number; workerId: string; engineVersion: string; suggestions: Suggestion[]; warnings: string[] },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const updated = await tx
      .update(notes)
      .set({ status: 'suggested', failureReason: null, engineVersion: params.engineVersion, warnings: params.warnings, suggestedAt: sql`now()`, ...unlocked, ...bump })
      .where(heldBy(params))
      .returning({ id: notes.id });
    if (updated.length === 0) return false;
    await tx.delete(suggestions).where(eq(suggestions.noteId, params.id));
    // The engine returns its suggestions in reporting order (pipeline/guidelines/sequencing.ts): kept as rank.
    if (params.suggestions.length > 0) await tx.insert(suggestions).values(params.suggestions.map((s, i) => ({ ...s, rank: i + 1, noteId: params.id })));
    return true;
  });
}

/** Marks a claimed note "failed" with a reason; false when the note changed (or was taken over) since it was claimed. */
export async function markNoteFailed(db: Db, params: { id: string; version: number; workerId: string; reason: string }): Promise<boolean> {
  const updated = await db
    .update(notes)
    .set({ status: 'failed', failureReason: params.reason, ...unlocked, ...bump })
    .where(heldBy(params))
    .returning({ id: notes.id });
  return updated.length > 0;
}

/** The window /health averages the coding throughput over. */
export const THROUGHPUT_WINDOW_MINUTES = 5;

/**
 * The note queue at a glance: queued and processing notes, the age of the oldest queued one (since it
 * was queued), and notes the engine suggested on per minute over the last THROUGHPUT_WINDOW_MINUTES.
 */
export async function queueStats(db: Db): Promise<{ queued: number; processing: number; oldestQueuedSeconds: number | null; notesPerMinute: number }> {
  const [row] = await db
    .select({
      queued: sql<number>`count(*) filter (where ${notes.status} = 'queued')::int`,
      processing: sql<number>`count(*) filter (where ${notes.status} = 'processing')::int`,
      oldest: sql<number | null>`extract(epoch from now() - min(${notes.updatedAt}) filter (where ${notes.status} = 'queued'))::float8`,
    })
    .from(notes)
    .where(inArray(notes.status, ['queued', 'processing']));
  const [recent] = await db
    .select({ n: count() })
    .from(notes)
    .where(sql`${notes.suggestedAt} > now() - ${THROUGHPUT_WINDOW_MINUTES}::int * interval '1 minute'`);
  return {
    queued: Number(row?.queued ?? 0),
    processing: Number(row?.processing ?? 0),
    oldestQueuedSeconds: row?.oldest == null ? null : Math.max(0, Math.round(Number(row.oldest))),
    notesPerMinute: Number(recent?.n ?? 0) / THROUGHPUT_WINDOW_MINUTES,
  };
}
