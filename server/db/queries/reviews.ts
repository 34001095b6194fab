import { randomUUID } from 'node:crypto';
import { and, asc, eq, exists, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { normalizeCode, type CodeSystem } from '../../codes/types.ts';
import type { Encounter, EvidenceSpan } from '../../pipeline/types.ts';
import { checkAnswer, checkQuery, type QueryPurpose } from '../../review/query-rules.ts';
import { quoteSpans, SpanError } from '../../review/spans.ts';
import type { LineEdit } from '../../review/claim-line.ts';
import { describeEmCode } from '../../pipeline/professional/em-table.ts';
import { queryRows, type Db } from '../client.ts';
import {
  codes,
  decisions,
  finalCodes,
  noteClaims,
  notes,
  physicianQueries,
  secondCodings,
  suggestions,
  users,
  type NoteStatus,
  type QueryKind,
  type QueryStatus,
  type RejectReason,
  type Role,
} from '../schema/index.ts';
import { appendAudit, type AuditEntry } from './audit.ts';
import { recordFinalization } from './datasets.ts';
import { noteSuggestions, type NoteRow, type SuggestionRow } from './notes.ts';
import { blindTo } from './qa.ts';
import { versionFor } from './code-sets.ts';
import { orderDiagnoses } from '../../review/sequence.ts';

export type DecisionRow = typeof decisions.$inferSelect;
export type FinalCodeRow = typeof finalCodes.$inferSelect;
export type QueryRow = typeof physicianQueries.$inferSelect;
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** A claim with no activity for this long may be taken over by another coder. */
export const CLAIM_IDLE_MS = 30 * 60_000;

export interface Actor {
  id: string;
  role: Role;
}

/** The write carried a note version that is no longer current (someone else wrote first). */
export class StaleVersionError extends Error {
  constructor(
    readonly noteId: string,
    readonly current: number,
  ) {
    super('The note changed since it was read');
    this.name = 'StaleVersionError';
  }
}

/** A refused review action: `kind` says which (not found, invalid input, state conflict, not allowed to this user). */
export class ReviewError extends Error {
  constructor(
    readonly kind: 'not_found' | 'invalid' | 'conflict' | 'forbidden',
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ReviewError';
  }
}

interface NoteWrite {
  noteId: string;
  version: number;
  actor: Actor;
  now: Date;
}

const WORKING: NoteStatus[] = ['in_review', 'query_pending'];

// ---- shared steps of every note write (inside one transaction) ----

/** Version and status checks of every note write: 404, 409 stale, 409 wrong_status. */
function checkNote<N extends { version: number; status: NoteStatus }>(note: N | undefined, w: NoteWrite, statuses: NoteStatus[]): N {
  if (!note) throw new ReviewError('not_found', 'not_found', 'No such note');
  if (note.version !== w.version) throw new StaleVersionError(w.noteId, note.version);
  if (!statuses.includes(note.status)) throw new ReviewError('conflict', 'wrong_status', `The note is ${note.status}; this needs it ${statuses.join(' or ')}`);
  return note;
}

/** The claim error for an actor who does not hold the note: someone else's live claim, or none. */
function claimError(claim: { lastActivity: Date } | undefined | null, now: Date): ReviewError {
  const live = claim && claim.lastActivity.getTime() + CLAIM_IDLE_MS > now.getTime();
  return live ? new ReviewError('conflict', 'claimed', 'Another user is working on this note') : new ReviewError('conflict', 'claim_required', 'Claim the note first');
}

/** Locks the note and checks version and status; with `claim`, also that the actor holds a live claim (and refreshes it). */
async function lockNote(tx: Tx, w: NoteWrite, opts: { statuses: NoteStatus[]; claim: boolean }) {
  const [row] = await tx.select().from(notes).where(eq(notes.id, w.noteId)).for('update');
  const note = checkNote(row, w, opts.statuses);
  if (opts.claim) {
    // One statement on the usual path: refresh the actor's own claim; only a miss reads the claim to say why.
    const mine = await tx
      .update(noteClaims)
      .set({ lastActivity: w.now })
      .where(and(eq(noteClaims.noteId, w.noteId), eq(noteClaims.userId, w.actor.id)))
      .returning({ noteId: noteClaims.noteId });
    if (mine.length === 0) {
      const [claim] = await tx.select().from(noteClaims).where(eq(noteClaims.noteId, w.noteId));
      throw claimError(claim, w.now);
    }
  }
  return note;
}

/** Bumps the note's version (and sets its status); returns the new version. */
async function bumpNote(tx: Tx, noteId: string, status?: NoteStatus): Promise<number> {
  const [row] = await tx
    .update(notes)
    .set({ version: sql`${notes.version} + 1`, updatedAt: sql`now()`, ...(status ? { status } : {}) })
    .where(eq(notes.id, noteId))
    .returning({ version: notes.version });
  return row!.version;
}

function spans(text: string, given: readonly { start: number; end: number }[]): EvidenceSpan[] {
  try {
    return quoteSpans(text, given);
  } catch (err) {
    if (err instanceof SpanError) throw new ReviewError('invalid', 'bad_span', err.message);
    throw err;
  }
}

/** A billable code of the release in force on the date of service, in its display form with its description. */
export async function findBillableCode(db: Db | Tx, system: CodeSystem, code: string, dateOfService: string) {
  const release = await versionFor(db as Db, system, dateOfService);
  if (!release) throw new ReviewError('invalid', 'no_code_set', `No ${system} code set is loaded for ${dateOfService}`);
  const wanted = normalizeCode(system, code);
  const [row] = await db.select().from(codes).where(and(eq(codes.versionId, release.id), eq(codes.code, wanted)));
  if (!row) throw new ReviewError('invalid', 'unknown_code', `${wanted} is not a ${system} code in release ${release.version}`);
  if (!row.billable) throw new ReviewError('invalid', 'not_billable', `${wanted} is a category header, not billable: choose a more specific code`);
  return { system, code: row.code, description: row.longDesc };
}

/**
 * The code an edit becomes: a billable code of the release in force; without a CPT release, an E/M code
 * number of the engine's table is taken too (re-levelling from the E/M panel needs no licensed CPT file).
 */
async function findEditCode(db: Db | Tx, system: CodeSystem, code: string, dateOfService: string) {
  const em = system === 'CPT' ? describeEmCode(code.trim()) : null;
  if (em && !(await versionFor(db as Db, system, dateOfService))) return { system, code: code.trim(), description: em.description };
  return findBillableCode(db, system, code, dateOfService);
}

/** The kept ICD-10-CM decisions in sequence: the coder's explicit ranks, then the engine's order (review/sequence.ts). */
function diagnosisOrder(rows: DecisionRow[], engineRank: ReadonlyMap<string, number>): DecisionRow[] {
  const dx = rows.filter((d) => d.action !== 'reject' && d.system === 'ICD10CM');
  return orderDiagnoses(dx.map((d) => ({ ...d, engineRank: d.suggestionId ? (engineRank.get(d.suggestionId) ?? null) : null })));
}

// ---- claims ----

/** Takes the note for review (suggested → in_review). Refused while another user's claim is live. One read, one write (writeIfCurrent). */
export async function claimNote(db: Db, w: NoteWrite): Promise<{ version: number; status: NoteStatus }> {
  const [row] = await db
    .select({ version: notes.version, status: notes.status, claim: { userId: noteClaims.userId, lastActivity: noteClaims.lastActivity } })
    .from(notes)
    .leftJoin(noteClaims, eq(noteClaims.noteId, notes.id))
    .where(eq(notes.id, w.noteId));
  const note = checkNote(row, w, ['suggested', ...WORKING]);
  const existing = note.claim?.userId ? note.claim : undefined;
  if (existing && existing.userId !== w.actor.id && existing.lastActivity!.getTime() + CLAIM_IDLE_MS > w.now.getTime()) {
    throw new ReviewError('conflict', 'claimed', 'Another user is working on this note');
  }
  const status = note.status === 'suggested' ? 'in_review' : note.status;
  const now = w.now.toISOString();
  const version = await writeIfCurrent(db, {
    noteId: w.noteId,
    version: w.version,
    status,
    also: [
      sql`insert into note_claims (note_id, user_id, claimed_at, last_activity) select ${w.noteId}::uuid, ${w.actor.id}::uuid, ${now}::timestamptz, ${now}::timestamptz from bumped
        on conflict (note_id) do update set user_id = excluded.user_id, claimed_at = excluded.claimed_at, last_activity = excluded.last_activity`,
    ],
    audit: {
      userId: w.actor.id,
      action: 'note.claim',
      entity: 'note',
      entityId: w.noteId,
      before: { status: note.status, claimedBy: existing?.userId ?? null },
      after: { status, claimedBy: w.actor.id },
    },
  });
  return { version, status };
}

/** Gives the claim up: its holder, or an admin for anyone's. */
export async function releaseClaim(db: Db, w: NoteWrite): Promise<{ version: number; status: NoteStatus }> {
  return db.transaction(async (tx) => {
    const note = await lockNote(tx, w, { statuses: ['suggested', ...WORKING], claim: false });
    const [claim] = await tx.select().from(noteClaims).where(eq(noteClaims.noteId, w.noteId));
    if (!claim) throw new ReviewError('conflict', 'not_claimed', 'Nobody holds this note');
    if (claim.userId !== w.actor.id && w.actor.role !== 'admin') throw new ReviewError('forbidden', 'not_holder', 'Only the holder or an admin can release a claim');
    await tx.delete(noteClaims).where(eq(noteClaims.noteId, w.noteId));
    const version = await bumpNote(tx, w.noteId);
    await appendAudit(tx, { userId: w.actor.id, action: 'note.release', entity: 'note', entityId: w.noteId, before: { status: note.status, claimedBy: claim.userId }, after: { claimedBy: null } });
    return { version, status: note.status };
  });
}

// ---- decisions ----

export type DecisionInput =
  | { action: 'accept'; suggestionId: string; line?: LineEdit | undefined }
  | { action: 'reject'; suggestionId: string; reason: RejectReason; reasonText?: string | undefined }
  | { action: 'edit'; suggestionId: string; code: string; system?: CodeSystem | undefined }
  | { action: 'add'; system: CodeSystem; code: string; evidence: { start: number; end: number }[] };

/**
 * Records the coder's decision on a suggestion (replacing an earlier one) or a missed code. Edit and
 * add take only billable codes of the release in force on the date of service; add quotes its evidence
 * from the stored note text.
 *
 * The busiest write of the review workspace, so it takes two statements and holds no lock between them:
 * one read of everything the checks need, then one statement that bumps the note version only if it is
 * still the version read (every note write bumps it, claims and decisions included) and, in the same
 * statement, stores the decision, refreshes the claim and appends the audit entry. A lost race is a 409
 * "stale", as with a lock.
 */
export async function decide(db: Db, w: NoteWrite & { input: DecisionInput }): Promise<{ version: number; decision: DecisionRow }> {
  const input = w.input;
  const state = await readDecisionState(db, w.noteId, input.action === 'add' ? null : input.suggestionId, w.actor.id, input.action === 'add');
  const note = checkNote(state, w, WORKING);
  if (!note.claimMine) throw claimError(note.claimActivity ? { lastActivity: note.claimActivity } : null, w.now);
  let previous: DecisionRow | undefined;
  let values: Omit<typeof decisions.$inferInsert, 'noteId' | 'decidedBy'>;
  if (input.action === 'add') {
    const evidence = spans(note.text, input.evidence);
    const code = await findBillableCode(db, input.system, input.code, note.encounter.dateOfService);
    values = { suggestionId: null, action: 'add', reason: null, reasonText: null, line: null, ...code, evidence, rank: null };
  } else {
    const suggestion = note.suggestion;
    if (!suggestion) throw new ReviewError('not_found', 'no_suggestion', 'No such suggestion on this note');
    previous = note.previous ?? undefined;
    const base = { suggestionId: suggestion.id, evidence: suggestion.evidence, reason: null, reasonText: null, line: null };
    if (input.action === 'accept') {
      if (suggestion.kind !== 'final') throw new ReviewError('invalid', 'not_billable', `${suggestion.code} needs more specificity: edit it to a billable code`);
      values = { ...base, action: 'accept', system: suggestion.system, code: suggestion.code, description: suggestion.description };
      if (input.line) {
        if (suggestion.system !== 'CPT' && suggestion.system !== 'HCPCS') throw new ReviewError('invalid', 'not_a_procedure_line', `${suggestion.code} is not a CPT/HCPCS line: units and modifiers apply to procedure lines only`);
        // CMS-1500 24E points to diagnoses on the claim: only ICD-10-CM codes this note keeps.
        const keptDx = new Set(note.kept.filter((d) => d.system === 'ICD10CM').map((d) => d.code));
        const unknown = (input.line.diagnosisPointers ?? []).filter((c) => !keptDx.has(c));
        if (unknown.length) throw new ReviewError('invalid', 'pointer_not_kept', `Diagnosis pointers must be ICD-10-CM codes kept on this note: ${unknown.join(', ')} is not`, { unknown });
        values.line = input.line;
      }
    } else if (input.action === 'reject') {
      values = { ...base, action: 'reject', reason: input.reason, reasonText: input.reasonText?.trim() || null, system: null, code: null, description: null, rank: null };
    } else {
      const code = await findEditCode(db, input.system ?? suggestion.system, input.code, note.encounter.dateOfService);
      values = { ...base, action: 'edit', ...code };
    }
    if (previous && (values.code !== previous.code || values.system !== previous.system)) values.rank = null;
  }
  if (values.code && note.kept.some((d) => d.system === values.system && d.code === values.code && d.id !== previous?.id)) {
    throw new ReviewError('invalid', 'duplicate_code', `${values.code} is already coded on this note`);
  }
  const decision: DecisionRow = {
    id: previous?.id ?? randomUUID(),
    noteId: w.noteId,
    suggestionId: values.suggestionId ?? null,
    action: values.action,
    reason: values.reason ?? null,
    reasonText: values.reasonText ?? null,
    line: values.line ?? null,
    system: values.system ?? null,
    code: values.code ?? null,
    description: values.description ?? null,
    evidence: values.evidence ?? null,
    // Deciding again keeps the diagnosis rank unless the code changed (set to null above).
    rank: values.rank !== undefined ? values.rank : (previous?.rank ?? null),
    decidedBy: w.actor.id,
    decidedAt: w.now,
  };
  const version = await writeIfCurrent(db, {
    noteId: w.noteId,
    version: w.version,
    also: [refreshClaim(w.noteId, w.actor.id, w.now), upsertDecision(decision)],
    audit: {
      userId: w.actor.id,
      action: `decision.${input.action}`,
      entity: 'decision',
      entityId: decision.id,
      before: previous ? auditDecision(previous) : null,
      after: { noteId: w.noteId, ...auditDecision(decision) },
    },
  });
  return { version, decision };
}

/**
 * One read for a decision: the note (its text only when `withText`), whether `actorId` holds its claim,
 * the suggestion with its earlier decision, and the note's kept codes (for the duplicate check).
 */
async function readDecisionState(db: Db, noteId: string, suggestionId: string | null, actorId: string, withText: boolean) {
  // Built once per database and shape: the busiest read of the review workspace (query building was a tenth of its cost).
  const query = decisionStateQuery(db, suggestionId !== null, withText);
  const [row] = await query.execute({ noteId, suggestionId, actorId });
  return row && { ...row, kept: typeof row.kept === 'string' ? (JSON.parse(row.kept) as typeof row.kept) : row.kept };
}

const decisionStateQueries = new WeakMap<Db, Map<string, ReturnType<typeof buildDecisionStateQuery>>>();

function decisionStateQuery(db: Db, bySuggestion: boolean, withText: boolean) {
  let built = decisionStateQueries.get(db);
  if (!built) decisionStateQueries.set(db, (built = new Map()));
  const key = `${bySuggestion}:${withText}`;
  let query = built.get(key);
  if (!query) built.set(key, (query = buildDecisionStateQuery(db, bySuggestion, withText)));
  return query;
}

function buildDecisionStateQuery(db: Db, bySuggestion: boolean, withText: boolean) {
  const noteId = sql.placeholder('noteId');
  return db
    .select({
      version: notes.version,
      status: notes.status,
      encounter: notes.encounter,
      text: withText ? notes.text : sql<string>`''`,
      claimMine: sql<boolean>`coalesce(${noteClaims.userId} = ${sql.placeholder('actorId')}, false)`,
      claimActivity: noteClaims.lastActivity,
      suggestion: { id: suggestions.id, kind: suggestions.kind, system: suggestions.system, code: suggestions.code, description: suggestions.description, evidence: suggestions.evidence },
      previous: decisions,
      kept: sql<{ id: string; system: string; code: string }[]>`(select coalesce(json_agg(json_build_object('id', k.id, 'system', k.system, 'code', k.code)), '[]'::json)
        from decisions k where k.note_id = ${notes.id} and k.action <> 'reject')`,
    })
    .from(notes)
    .leftJoin(noteClaims, eq(noteClaims.noteId, notes.id))
    .leftJoin(suggestions, bySuggestion ? and(eq(suggestions.id, sql.placeholder('suggestionId')), eq(suggestions.noteId, notes.id)) : sql`false`)
    .leftJoin(decisions, eq(decisions.suggestionId, suggestions.id))
    .where(eq(notes.id, noteId))
    .prepare(`decision_state_${bySuggestion ? 's' : 'n'}${withText ? 't' : ''}`);
}

/**
 * A note write as one statement, with no lock held since the read its checks used: the note's version
 * moves on only from `version` (every note write bumps it), and `also` (data-modifying statements that
 * read the CTE "bumped": `insert … select … from bumped`, `update … where exists (select 1 from bumped)`)
 * and the audit entry are written only with it. Returns the new version; a note no longer at `version`
 * is a StaleVersionError (409) and nothing is written.
 */
async function writeIfCurrent(db: Db, p: { noteId: string; version: number; status?: NoteStatus; also: SQL[]; audit: AuditEntry }): Promise<number> {
  const json = (v: unknown) => (v == null ? null : JSON.stringify(v));
  const a = p.audit;
  // Parameters in a SELECT list have no type to infer: each is cast to its column's.
  const rows = await queryRows<{ version: number }>(
    db,
    sql`with bumped as (
      update notes set version = version + 1, updated_at = now()${p.status ? sql`, status = ${p.status}` : sql``}
      where id = ${p.noteId} and version = ${p.version} returning version
    ), ${sql.join(
      p.also.map((w, i) => sql`${sql.raw(`w${i}`)} as (${w})`),
      sql`, `,
    )}, audit as (
      insert into audit_log (user_id, action, entity, entity_id, before, after)
      select ${a.userId}::uuid, ${a.action}::text, ${a.entity}::text, ${a.entityId}::text, ${json(a.before)}::jsonb, ${json(a.after)}::jsonb from bumped
    )
    select version from bumped`,
  );
  if (rows[0]) return rows[0].version;
  const [now] = await db.select({ version: notes.version }).from(notes).where(eq(notes.id, p.noteId));
  throw now ? new StaleVersionError(p.noteId, now.version) : new ReviewError('not_found', 'not_found', 'No such note');
}

/** The decision inserted, or replacing the earlier one with the same id: a statement for writeIfCurrent. */
function upsertDecision(d: DecisionRow): SQL {
  const evidence = d.evidence == null ? null : JSON.stringify(d.evidence);
  const line = d.line == null ? null : JSON.stringify(d.line);
  return sql`insert into decisions (id, note_id, suggestion_id, action, reason, reason_text, line, system, code, description, evidence, rank, decided_by, decided_at)
    select ${d.id}::uuid, ${d.noteId}::uuid, ${d.suggestionId}::uuid, ${d.action}::text, ${d.reason}::text, ${d.reasonText}::text, ${line}::jsonb, ${d.system}::text,
      ${d.code}::text, ${d.description}::text, ${evidence}::jsonb, ${d.rank}::int, ${d.decidedBy}::uuid, ${d.decidedAt.toISOString()}::timestamptz from bumped
    on conflict (id) do update set action = excluded.action, reason = excluded.reason, reason_text = excluded.reason_text, line = excluded.line, system = excluded.system,
      code = excluded.code, description = excluded.description, evidence = excluded.evidence, rank = excluded.rank,
      decided_by = excluded.decided_by, decided_at = excluded.decided_at`;
}

/** The holder's claim marked active now: a statement for writeIfCurrent. */
function refreshClaim(noteId: string, userId: string, now: Date): SQL {
  return sql`update note_claims set last_activity = ${now.toISOString()}::timestamptz where note_id = ${noteId} and user_id = ${userId} and exists (select 1 from bumped)`;
}

/**
 * Orders the note's diagnosis codes: `order` lists decision ids (ICD-10-CM codes the note keeps), the first
 * being the principal (inpatient, UHDDS) or first-listed diagnosis; codes left out have no rank.
 */
export async function sequenceDiagnoses(db: Db, w: NoteWrite & { order: string[] }): Promise<{ version: number; decisions: DecisionRow[] }> {
  return db.transaction(async (tx) => {
    await lockNote(tx, w, { statuses: WORKING, claim: true });
    const rows = await tx.select().from(decisions).where(eq(decisions.noteId, w.noteId));
    const diagnoses = new Map(rows.filter((d) => d.action !== 'reject' && d.system === 'ICD10CM').map((d) => [d.id, d]));
    if (new Set(w.order).size !== w.order.length) throw new ReviewError('invalid', 'bad_sequence', 'A code is listed twice');
    const unknown = w.order.filter((id) => !diagnoses.has(id));
    if (unknown.length > 0) throw new ReviewError('invalid', 'bad_sequence', 'Only ICD-10-CM codes kept on this note can be sequenced', { unknown });
    const before = rows.filter((d) => d.rank != null).map((d) => ({ decisionId: d.id, code: d.code, rank: d.rank }));
    // Every diagnosis's rank in one statement (it was one per code): its place in `order`, or none.
    if (diagnoses.size > 0) {
      const rank = w.order.length === 0 ? sql`null` : sql`case ${decisions.id} ${sql.join(w.order.map((id, i) => sql`when ${id}::uuid then ${i + 1}::int`), sql` `)} else null end`;
      await tx.update(decisions).set({ rank }).where(inArray(decisions.id, [...diagnoses.keys()]));
    }
    const version = await bumpNote(tx, w.noteId);
    const after = await tx.select().from(decisions).where(eq(decisions.noteId, w.noteId)).orderBy(asc(decisions.decidedAt));
    await appendAudit(tx, {
      userId: w.actor.id,
      action: 'note.sequence',
      entity: 'note',
      entityId: w.noteId,
      before,
      after: after.filter((d) => d.rank != null).map((d) => ({ decisionId: d.id, code: d.code, rank: d.rank })),
    });
    return { version, decisions: after };
  });
}

// ---- finalize / reopen ----

/**
 * Stores the final code set and marks the note coded: every suggestion decided, no open query, and for an
 * inpatient note with diagnoses a principal diagnosis (UHDDS). Diagnoses come first in their sequence,
 * then procedure and service codes in decision order. The claim ends.
 */
export async function finalizeNote(db: Db, w: NoteWrite & { noCodesReason?: string | undefined }): Promise<{ version: number; finalCodes: FinalCodeRow[] }> {
  return db.transaction(async (tx) => {
    const note = await lockNote(tx, w, { statuses: WORKING, claim: true });
    const open = await tx.select({ id: physicianQueries.id }).from(physicianQueries).where(and(eq(physicianQueries.noteId, w.noteId), eq(physicianQueries.status, 'sent')));
    if (note.status === 'query_pending' || open.length > 0) throw new ReviewError('conflict', 'query_open', 'A physician query is still open');
    const sugs = await tx.select({ id: suggestions.id, rank: suggestions.rank }).from(suggestions).where(eq(suggestions.noteId, w.noteId));
    const rows = await tx.select().from(decisions).where(eq(decisions.noteId, w.noteId)).orderBy(asc(decisions.decidedAt), asc(decisions.id));
    const decided = new Set(rows.map((d) => d.suggestionId));
    const undecided = sugs.filter((s) => !decided.has(s.id)).map((s) => s.id);
    if (undecided.length > 0) throw new ReviewError('conflict', 'undecided', `${undecided.length} suggestion(s) have no decision`, { undecided });
    const kept = rows.filter((d) => d.action !== 'reject');
    // A note coded with nothing is usually a mistake (every suggestion rejected by accident); when it is meant, the reason is audited.
    const noCodesReason = w.noCodesReason?.trim();
    if (kept.length === 0 && !noCodesReason) throw new ReviewError('invalid', 'reason_required', 'This note would be coded with no codes: give the reason (noCodesReason)');
    const engineRank = new Map(sugs.map((s) => [s.id, s.rank]));
    const dx = diagnosisOrder(kept, engineRank);
    const inpatient = note.encounter.setting === 'inpatient';
    if (inpatient && dx.length > 0 && dx[0]!.rank !== 1) throw new ReviewError('conflict', 'principal_required', 'Mark the principal diagnosis of this inpatient note');
    const ordered = [...dx, ...kept.filter((d) => d.system !== 'ICD10CM')];
    const stored =
      ordered.length === 0
        ? []
        : await tx
            .insert(finalCodes)
            .values(
              ordered.map((d, i) => ({
                noteId: w.noteId,
                decisionId: d.id,
                system: d.system!,
                code: d.code!,
                description: d.description!,
                sequence: i + 1,
                principal: inpatient && i === 0 && d.system === 'ICD10CM',
                finalizedBy: w.actor.id,
                finalizedAt: w.now,
              })),
            )
            .returning();
    await recordFinalization(tx, { noteId: w.noteId, coderId: w.actor.id, now: w.now, finalCodes: stored });
    await tx.delete(noteClaims).where(eq(noteClaims.noteId, w.noteId));
    const version = await bumpNote(tx, w.noteId, 'coded');
    await appendAudit(tx, {
      userId: w.actor.id,
      action: 'note.finalize',
      entity: 'note',
      entityId: w.noteId,
      before: { status: note.status },
      after: { status: 'coded', finalCodes: stored.map(auditFinal), ...(kept.length === 0 ? { noCodesReason } : {}) },
    });
    return { version, finalCodes: stored };
  });
}

/** A QA lead sends a coded note back to review; its final codes stay on record, superseded. */
export async function reopenNote(db: Db, w: NoteWrite & { reason: string }): Promise<{ version: number }> {
  return db.transaction(async (tx) => {
    await lockNote(tx, w, { statuses: ['coded'], claim: false });
    const current = await tx.select().from(finalCodes).where(and(eq(finalCodes.noteId, w.noteId), isNull(finalCodes.supersededAt)));
    await tx.update(finalCodes).set({ supersededAt: w.now }).where(and(eq(finalCodes.noteId, w.noteId), isNull(finalCodes.supersededAt)));
    const version = await bumpNote(tx, w.noteId, 'in_review');
    await appendAudit(tx, {
      userId: w.actor.id,
      action: 'note.reopen',
      entity: 'note',
      entityId: w.noteId,
      before: { status: 'coded', finalCodes: current.map(auditFinal) },
      after: { status: 'in_review', reason: w.reason },
    });
    return { version };
  });
}

// ---- physician queries ----

export interface QueryInput {
  toUser: string;
  suggestionId?: string | undefined;
  purpose: QueryPurpose;
  kind: QueryKind;
  question: string;
  indicators: { start: number; end: number }[];
  options: string[];
}

/**
 * Sends a physician query (note → query_pending). Refused when it mentions money or misuses yes/no;
 * leading wording is sent but returned as warnings. Indicators are quoted from the stored note text.
 */
export async function sendQuery(db: Db, w: NoteWrite & { input: QueryInput }): Promise<{ version: number; query: QueryRow; warnings: string[] }> {
  const input = w.input;
  const check = checkQuery({ kind: input.kind, purpose: input.purpose, question: input.question, options: input.options });
  if (check.errors.length > 0) throw new ReviewError('invalid', 'noncompliant_query', check.errors.join('; '), { errors: check.errors, warnings: check.warnings });
  return db.transaction(async (tx) => {
    const note = await lockNote(tx, w, { statuses: WORKING, claim: true });
    const [to] = await tx.select({ id: users.id }).from(users).where(and(eq(users.id, input.toUser), eq(users.role, 'physician'), eq(users.active, true)));
    if (!to) throw new ReviewError('invalid', 'bad_addressee', 'Queries go to an active physician');
    if (input.suggestionId) {
      const [s] = await tx.select({ id: suggestions.id }).from(suggestions).where(and(eq(suggestions.id, input.suggestionId), eq(suggestions.noteId, w.noteId)));
      if (!s) throw new ReviewError('not_found', 'no_suggestion', 'No such suggestion on this note');
    }
    const [query] = await tx
      .insert(physicianQueries)
      .values({
        noteId: w.noteId,
        suggestionId: input.suggestionId ?? null,
        fromUser: w.actor.id,
        toUser: input.toUser,
        purpose: input.purpose,
        kind: input.kind,
        indicators: spans(note.text, input.indicators),
        question: input.question.trim(),
        options: check.options,
        sentAt: w.now,
      })
      .returning();
    const version = await bumpNote(tx, w.noteId, 'query_pending');
    await appendAudit(tx, { userId: w.actor.id, action: 'query.send', entity: 'query', entityId: query!.id, after: { ...auditQuery(query!), warnings: check.warnings } });
    return { version, query: query!, warnings: check.warnings };
  });
}

/** Moves the note back to in_review when its last open query is settled. */
async function settleNote(tx: Tx, noteId: string, status: NoteStatus): Promise<number> {
  const open = await tx.select({ id: physicianQueries.id }).from(physicianQueries).where(and(eq(physicianQueries.noteId, noteId), eq(physicianQueries.status, 'sent')));
  return bumpNote(tx, noteId, status === 'query_pending' && open.length === 0 ? 'in_review' : undefined);
}

async function lockQuery(tx: Tx, id: string): Promise<QueryRow> {
  const [q] = await tx.select().from(physicianQueries).where(eq(physicianQueries.id, id)).for('update');
  if (!q) throw new ReviewError('not_found', 'not_found', 'No such query');
  return q;
}

/**
 * The addressed physician answers (an offered option, text for "Other", or free text when open-ended);
 * the note returns to the coder. The physician carries no note version: the query's own status guards it.
 */
export async function answerQuery(db: Db, p: { queryId: string; actor: Actor; now: Date; answer: { option?: string | undefined; text?: string | undefined } }) {
  return db.transaction(async (tx) => {
    const q = await lockQuery(tx, p.queryId);
    // The same 404 as reading it (GET /api/queries/{id}): another physician's query must not be confirmed to exist.
    if (q.toUser !== p.actor.id) throw new ReviewError('not_found', 'not_found', 'No such query');
    if (q.status !== 'sent') throw new ReviewError('conflict', 'query_not_open', `The query is ${q.status}`);
    const problem = checkAnswer(q, p.answer);
    if (problem) throw new ReviewError('invalid', 'bad_answer', problem);
    const answer = { option: p.answer.option ?? null, text: p.answer.text?.trim() || null };
    const [query] = await tx.update(physicianQueries).set({ status: 'answered', answer, answeredAt: p.now }).where(eq(physicianQueries.id, q.id)).returning();
    const [note] = await tx.select({ status: notes.status }).from(notes).where(eq(notes.id, q.noteId)).for('update');
    const version = await settleNote(tx, q.noteId, note!.status);
    await appendAudit(tx, { userId: p.actor.id, action: 'query.answer', entity: 'query', entityId: q.id, before: { status: 'sent' }, after: { status: 'answered', answer } });
    return { version, query: query! };
  });
}

/** The sending coder withdraws an unanswered query (sent → withdrawn); carries the note version. */
export async function withdrawQuery(db: Db, p: Omit<NoteWrite, 'noteId'> & { queryId: string }) {
  return db.transaction(async (tx) => {
    const q = await lockQuery(tx, p.queryId);
    if (q.fromUser !== p.actor.id) throw new ReviewError('forbidden', 'not_sender', 'Only the coder who sent a query can withdraw it');
    if (q.status !== 'sent') throw new ReviewError('conflict', 'query_not_open', `The query is ${q.status}`);
    const note = await lockNote(tx, { ...p, noteId: q.noteId }, { statuses: WORKING, claim: false });
    const [query] = await tx.update(physicianQueries).set({ status: 'withdrawn', withdrawnAt: p.now }).where(eq(physicianQueries.id, q.id)).returning();
    const version = await settleNote(tx, q.noteId, note.status);
    await appendAudit(tx, { userId: p.actor.id, action: 'query.withdraw', entity: 'query', entityId: q.id, before: { status: 'sent' }, after: { status: 'withdrawn' } });
    return { version, query: query! };
  });
}

/** Closes an answered query once its answer is acted on (the sender or a QA lead); carries the note version. */
export async function closeQuery(db: Db, p: Omit<NoteWrite, 'noteId'> & { queryId: string }) {
  return db.transaction(async (tx) => {
    const q = await lockQuery(tx, p.queryId);
    if (q.fromUser !== p.actor.id && p.actor.role !== 'qa_lead') throw new ReviewError('forbidden', 'not_sender', 'Only the coder who sent a query (or a QA lead) can close it');
    if (q.status !== 'answered') throw new ReviewError('conflict', 'query_not_answered', `The query is ${q.status}`);
    await lockNote(tx, { ...p, noteId: q.noteId }, { statuses: [...WORKING, 'coded'], claim: false });
    const [query] = await tx.update(physicianQueries).set({ status: 'closed', closedAt: p.now }).where(eq(physicianQueries.id, q.id)).returning();
    const version = await bumpNote(tx, q.noteId);
    await appendAudit(tx, { userId: p.actor.id, action: 'query.close', entity: 'query', entityId: q.id, before: { status: 'answered' }, after: { status: 'closed' } });
    return { version, query: query! };
  });
}

// ---- reads ----

export interface QueryWithNames extends QueryRow {
  fromName: string;
  toName: string;
  /** What the query card names: the note's external id and encounter (date of service, patient age and sex). */
  note: { externalId: string | null; encounter: Encounter } | null;
}

async function withNames(db: Db, rows: QueryRow[]): Promise<QueryWithNames[]> {
  if (rows.length === 0) return [];
  const ids = [...new Set(rows.flatMap((q) => [q.fromUser, q.toUser]))];
  const names = new Map((await db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, ids))).map((u) => [u.id, u.name]));
  const noteIds = [...new Set(rows.map((q) => q.noteId))];
  const refs = new Map(
    (await db.select({ id: notes.id, externalId: notes.externalId, encounter: notes.encounter }).from(notes).where(inArray(notes.id, noteIds))).map((n) => [n.id, { externalId: n.externalId, encounter: n.encounter }]),
  );
  return rows.map((q) => ({ ...q, fromName: names.get(q.fromUser) ?? '', toName: names.get(q.toUser) ?? '', note: refs.get(q.noteId) ?? null }));
}

/** Queries, newest first, filtered by addressee, sender, note and status. */
export async function listQueries(db: Db, p: { toUser?: string; fromUser?: string; noteId?: string; status?: QueryStatus }): Promise<QueryWithNames[]> {
  const rows = await db
    .select()
    .from(physicianQueries)
    .where(
      and(
        p.toUser ? eq(physicianQueries.toUser, p.toUser) : undefined,
        p.fromUser ? eq(physicianQueries.fromUser, p.fromUser) : undefined,
        p.noteId ? eq(physicianQueries.noteId, p.noteId) : undefined,
        p.status ? eq(physicianQueries.status, p.status) : undefined,
      ),
    )
    .orderBy(sql`${physicianQueries.sentAt} desc`, asc(physicianQueries.id));
  return withNames(db, rows);
}

export async function getQuery(db: Db, id: string): Promise<QueryWithNames | undefined> {
  const [row] = await db.select().from(physicianQueries).where(eq(physicianQueries.id, id));
  return row ? (await withNames(db, [row]))[0] : undefined;
}


function addressedTo(noteId: string | AnyPgColumn, userId: string) {
  return and(eq(physicianQueries.noteId, noteId), eq(physicianQueries.toUser, userId));
}

export interface ReviewState {
  claim: { userId: string; username: string; displayName: string; claimedAt: Date; lastActivity: Date; expiresAt: Date } | null;
  decisions: (DecisionRow & { decidedByName: string })[];
  /** Ids of the kept diagnosis decisions in the sequence finalizing would store. */
  sequence: string[];
  queries: QueryWithNames[];
  finalCodes: FinalCodeRow[];
}

export interface NoteView {
  note: NoteRow & { suggestions: SuggestionRow[] };
  review: ReviewState;
}

/**
 * Everything the note view shows, or why `viewerId` may not see it: "blind" (second-coding it, not yet
 * submitted) or undefined (no such note; for a physician viewer, `queriesTo`, none of its queries is theirs —
 * and they see only those). Opening a note is the review workspace's most frequent read, so it takes three
 * statements: the note with its claim and what it holds (final codes, queries) and may show, its
 * suggestions, its decisions; final codes and queries are read only when there are some. The version is
 * read first: a decision written between the statements shows with an older version, so the next write
 * answers 409 stale and the view is read again (never a newer version with older decisions).
 */
export async function getNoteView(db: Db, noteId: string, p: { now: Date; viewerId: string; queriesTo?: string }): Promise<NoteView | 'blind' | undefined> {
  const holder = db.select({ id: users.id, username: users.username, displayName: users.displayName }).from(users).as('holder');
  const [row] = await db
    .select({
      note: notes,
      claim: { userId: noteClaims.userId, claimedAt: noteClaims.claimedAt, lastActivity: noteClaims.lastActivity, username: holder.username, displayName: holder.displayName },
      blind: exists(db.select({ one: sql`1` }).from(secondCodings).where(blindTo(notes.id, p.viewerId))),
      addressed: p.queriesTo ? exists(db.select({ one: sql`1` }).from(physicianQueries).where(addressedTo(notes.id, p.queriesTo))) : sql<boolean>`true`,
      hasFinals: exists(db.select({ one: sql`1` }).from(finalCodes).where(and(eq(finalCodes.noteId, notes.id), isNull(finalCodes.supersededAt)))),
      hasQueries: exists(db.select({ one: sql`1` }).from(physicianQueries).where(eq(physicianQueries.noteId, notes.id))),
    })
    .from(notes)
    .leftJoin(noteClaims, eq(noteClaims.noteId, notes.id))
    .leftJoin(holder, eq(holder.id, noteClaims.userId))
    .where(eq(notes.id, noteId));
  if (!row || !row.addressed) return undefined;
  if (row.blind) return 'blind';
  const c = row.claim;
  const claim =
    c?.userId && c.claimedAt && c.lastActivity && c.lastActivity.getTime() + CLAIM_IDLE_MS > p.now.getTime()
      ? { userId: c.userId, username: c.username ?? '', displayName: c.displayName ?? '', claimedAt: c.claimedAt, lastActivity: c.lastActivity, expiresAt: new Date(c.lastActivity.getTime() + CLAIM_IDLE_MS) }
      : null;
  const suggestionRows = await noteSuggestions(db, noteId);
  const rows = await db
    .select({ d: decisions, name: users.displayName })
    .from(decisions)
    .innerJoin(users, eq(users.id, decisions.decidedBy))
    .where(eq(decisions.noteId, noteId))
    .orderBy(asc(decisions.decidedAt), asc(decisions.id));
  const engineRank = new Map(suggestionRows.map((s) => [s.id, s.rank]));
  return {
    note: { ...row.note, suggestions: suggestionRows },
    review: {
      claim,
      decisions: rows.map((r) => ({ ...r.d, decidedByName: r.name })),
      sequence: diagnosisOrder(
        rows.map((r) => r.d),
        engineRank,
      ).map((d) => d.id),
      queries: row.hasQueries ? await listQueries(db, { noteId, ...(p.queriesTo ? { toUser: p.queriesTo } : {}) }) : [],
      finalCodes: row.hasFinals ? await db.select().from(finalCodes).where(and(eq(finalCodes.noteId, noteId), isNull(finalCodes.supersededAt))).orderBy(asc(finalCodes.sequence)) : [],
    },
  };
}

function auditDecision(d: DecisionRow) {
  return { suggestionId: d.suggestionId, action: d.action, reason: d.reason, reasonText: d.reasonText, line: d.line, system: d.system, code: d.code, evidence: d.evidence?.map(({ start, end }) => ({ start, end })) ?? null, rank: d.rank };
}
function auditFinal(f: FinalCodeRow) {
  return { system: f.system, code: f.code, sequence: f.sequence, principal: f.principal };
}
function auditQuery(q: QueryRow) {
  return { noteId: q.noteId, suggestionId: q.suggestionId, toUser: q.toUser, purpose: q.purpose, kind: q.kind, question: q.question, options: q.options, indicators: q.indicators.map(({ start, end }) => ({ start, end })) };
}
