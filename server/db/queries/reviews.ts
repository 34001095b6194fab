import { and, asc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { normalizeCode, type CodeSystem } from '../../codes/types.ts';
import type { Encounter, EvidenceSpan } from '../../pipeline/types.ts';
import { checkAnswer, checkQuery, type QueryPurpose } from '../../review/query-rules.ts';
import { quoteSpans, SpanError } from '../../review/spans.ts';
import { type LineEdit, lineEditText } from '../../review/claim-line.ts';
import { describeEmCode } from '../../pipeline/professional/em-table.ts';
import type { Db } from '../client.ts';
import {
  codes,
  decisions,
  finalCodes,
  noteClaims,
  notes,
  physicianQueries,
  suggestions,
  users,
  type NoteStatus,
  type QueryKind,
  type QueryStatus,
  type RejectReason,
  type Role,
} from '../schema/index.ts';
import { appendAudit } from './audit.ts';
import { recordFinalization } from './datasets.ts';
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

/** Locks the note and checks version and status; with `claim`, also that the actor holds a live claim (and refreshes it). */
async function lockNote(tx: Tx, w: NoteWrite, opts: { statuses: NoteStatus[]; claim: boolean }) {
  const [note] = await tx.select().from(notes).where(eq(notes.id, w.noteId)).for('update');
  if (!note) throw new ReviewError('not_found', 'not_found', 'No such note');
  if (note.version !== w.version) throw new StaleVersionError(w.noteId, note.version);
  if (!opts.statuses.includes(note.status)) {
    throw new ReviewError('conflict', 'wrong_status', `The note is ${note.status}; this needs it ${opts.statuses.join(' or ')}`);
  }
  if (opts.claim) {
    // One statement on the usual path (every decision passes here): refresh the actor's own claim; only a miss reads the claim to say why.
    const mine = await tx
      .update(noteClaims)
      .set({ lastActivity: w.now })
      .where(and(eq(noteClaims.noteId, w.noteId), eq(noteClaims.userId, w.actor.id)))
      .returning({ noteId: noteClaims.noteId });
    if (mine.length === 0) {
      const [claim] = await tx.select().from(noteClaims).where(eq(noteClaims.noteId, w.noteId));
      const live = claim && claim.lastActivity.getTime() + CLAIM_IDLE_MS > w.now.getTime();
      throw live ? new ReviewError('conflict', 'claimed', 'Another user is working on this note') : new ReviewError('conflict', 'claim_required', 'Claim the note first');
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

/** Takes the note for review (suggested → in_review). Refused while another user's claim is live. */
export async function claimNote(db: Db, w: NoteWrite): Promise<{ version: number; status: NoteStatus }> {
  return db.transaction(async (tx) => {
    const note = await lockNote(tx, w, { statuses: ['suggested', ...WORKING], claim: false });
    const [existing] = await tx.select().from(noteClaims).where(eq(noteClaims.noteId, w.noteId));
    if (existing && existing.userId !== w.actor.id && existing.lastActivity.getTime() + CLAIM_IDLE_MS > w.now.getTime()) {
      throw new ReviewError('conflict', 'claimed', 'Another user is working on this note');
    }
    await tx
      .insert(noteClaims)
      .values({ noteId: w.noteId, userId: w.actor.id, claimedAt: w.now, lastActivity: w.now })
      .onConflictDoUpdate({ target: noteClaims.noteId, set: { userId: w.actor.id, claimedAt: w.now, lastActivity: w.now } });
    const status = note.status === 'suggested' ? 'in_review' : note.status;
    const version = await bumpNote(tx, w.noteId, status);
    await appendAudit(tx, {
      userId: w.actor.id,
      action: 'note.claim',
      entity: 'note',
      entityId: w.noteId,
      before: { status: note.status, claimedBy: existing?.userId ?? null },
      after: { status, claimedBy: w.actor.id },
    });
    return { version, status };
  });
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
 */
export async function decide(db: Db, w: NoteWrite & { input: DecisionInput }): Promise<{ version: number; decision: DecisionRow }> {
  const input = w.input;
  return db.transaction(async (tx) => {
    const note = await lockNote(tx, w, { statuses: WORKING, claim: true });
    let previous: DecisionRow | undefined;
    let values: Omit<typeof decisions.$inferInsert, 'noteId' | 'decidedBy'>;
    if (input.action === 'add') {
      const evidence = spans(note.text, input.evidence);
      const code = await findBillableCode(tx, input.system, input.code, note.encounter.dateOfService);
      values = { suggestionId: null, action: 'add', reason: null, reasonText: null, ...code, evidence, rank: null };
    } else {
      // The suggestion and its earlier decision (at most one: decisions_suggestion_idx is unique) in one statement.
      const [found] = await tx
        .select({ suggestion: suggestions, previous: decisions })
        .from(suggestions)
        .leftJoin(decisions, eq(decisions.suggestionId, suggestions.id))
        .where(and(eq(suggestions.id, input.suggestionId), eq(suggestions.noteId, w.noteId)));
      if (!found) throw new ReviewError('not_found', 'no_suggestion', 'No such suggestion on this note');
      const suggestion = found.suggestion;
      previous = found.previous ?? undefined;
      const base = { suggestionId: suggestion.id, evidence: suggestion.evidence, reason: null, reasonText: null };
      if (input.action === 'accept') {
        if (suggestion.kind !== 'final') throw new ReviewError('invalid', 'not_billable', `${suggestion.code} needs more specificity: edit it to a billable code`);
        values = { ...base, action: 'accept', system: suggestion.system, code: suggestion.code, description: suggestion.description };
        if (input.line) {
          if (suggestion.system !== 'CPT' && suggestion.system !== 'HCPCS') throw new ReviewError('invalid', 'not_a_procedure_line', `${suggestion.code} is not a CPT/HCPCS line: units and modifiers apply to procedure lines only`);
          values.reasonText = lineEditText(input.line);
        }
      } else if (input.action === 'reject') {
        values = { ...base, action: 'reject', reason: input.reason, reasonText: input.reasonText?.trim() || null, system: null, code: null, description: null, rank: null };
      } else {
        const code = await findEditCode(tx, input.system ?? suggestion.system, input.code, note.encounter.dateOfService);
        values = { ...base, action: 'edit', ...code };
      }
      if (previous && (values.code !== previous.code || values.system !== previous.system)) values.rank = null;
    }
    if (values.code) {
      const same = await tx
        .select({ id: decisions.id })
        .from(decisions)
        .where(and(eq(decisions.noteId, w.noteId), eq(decisions.system, values.system!), eq(decisions.code, values.code), ne(decisions.action, 'reject')));
      if (same.some((d) => d.id !== previous?.id)) throw new ReviewError('invalid', 'duplicate_code', `${values.code} is already coded on this note`);
    }
    const row = { ...values, noteId: w.noteId, decidedBy: w.actor.id, decidedAt: w.now };
    const [decision] = previous
      ? await tx.update(decisions).set(row).where(eq(decisions.id, previous.id)).returning()
      : await tx.insert(decisions).values(row).returning();
    const version = await bumpNote(tx, w.noteId);
    await appendAudit(tx, {
      userId: w.actor.id,
      action: `decision.${input.action}`,
      entity: 'decision',
      entityId: decision!.id,
      before: previous ? auditDecision(previous) : null,
      after: { noteId: w.noteId, ...auditDecision(decision!) },
    });
    return { version, decision: decision! };
  });
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
    for (const d of diagnoses.values()) {
      const rank = w.order.indexOf(d.id);
      await tx.update(decisions).set({ rank: rank < 0 ? null : rank + 1 }).where(eq(decisions.id, d.id));
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

/** Whether a physician may see a note: some query on it is addressed to them. */
export async function isAddressedTo(db: Db, noteId: string, userId: string): Promise<boolean> {
  const rows = await db.select({ id: physicianQueries.id }).from(physicianQueries).where(and(eq(physicianQueries.noteId, noteId), eq(physicianQueries.toUser, userId))).limit(1);
  return rows.length > 0;
}

export interface ReviewState {
  claim: { userId: string; username: string; displayName: string; claimedAt: Date; lastActivity: Date; expiresAt: Date } | null;
  decisions: (DecisionRow & { decidedByName: string })[];
  /** Ids of the kept diagnosis decisions in the sequence finalizing would store. */
  sequence: string[];
  queries: QueryWithNames[];
  finalCodes: FinalCodeRow[];
}

/** Everything review-related on a note; a physician viewer (`queriesTo`) sees only the queries addressed to them. */
export async function getReviewState(db: Db, noteId: string, p: { now: Date; queriesTo?: string }): Promise<ReviewState> {
  const [claim] = await db
    .select({ userId: noteClaims.userId, username: users.username, displayName: users.displayName, claimedAt: noteClaims.claimedAt, lastActivity: noteClaims.lastActivity })
    .from(noteClaims)
    .innerJoin(users, eq(users.id, noteClaims.userId))
    .where(eq(noteClaims.noteId, noteId));
  const live = claim && claim.lastActivity.getTime() + CLAIM_IDLE_MS > p.now.getTime() ? { ...claim, expiresAt: new Date(claim.lastActivity.getTime() + CLAIM_IDLE_MS) } : null;
  const rows = await db
    .select({ d: decisions, name: users.displayName, engineRank: suggestions.rank })
    .from(decisions)
    .innerJoin(users, eq(users.id, decisions.decidedBy))
    .leftJoin(suggestions, eq(suggestions.id, decisions.suggestionId))
    .where(eq(decisions.noteId, noteId))
    .orderBy(asc(decisions.decidedAt), asc(decisions.id));
  const finals = await db.select().from(finalCodes).where(and(eq(finalCodes.noteId, noteId), isNull(finalCodes.supersededAt))).orderBy(asc(finalCodes.sequence));
  return {
    claim: live,
    decisions: rows.map((r) => ({ ...r.d, decidedByName: r.name })),
    sequence: diagnosisOrder(
      rows.map((r) => r.d),
      new Map(rows.flatMap((r) => (r.d.suggestionId && r.engineRank != null ? [[r.d.suggestionId, r.engineRank] as const] : []))),
    ).map((d) => d.id),
    queries: await listQueries(db, { noteId, ...(p.queriesTo ? { toUser: p.queriesTo } : {}) }),
    finalCodes: finals,
  };
}

function auditDecision(d: DecisionRow) {
  return { suggestionId: d.suggestionId, action: d.action, reason: d.reason, reasonText: d.reasonText, system: d.system, code: d.code, evidence: d.evidence?.map(({ start, end }) => ({ start, end })) ?? null, rank: d.rank };
}
function auditFinal(f: FinalCodeRow) {
  return { system: f.system, code: f.code, sequence: f.sequence, principal: f.principal };
}
function auditQuery(q: QueryRow) {
  return { noteId: q.noteId, suggestionId: q.suggestionId, toUser: q.toUser, purpose: q.purpose, kind: q.kind, question: q.question, options: q.options, indicators: q.indicators.map(({ start, end }) => ({ start, end })) };
}
