import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { CodeSystem } from '../../codes/types.ts';
import type { EvidenceSpan } from '../../pipeline/types.ts';
import type { LineEdit } from '../../review/claim-line.ts';
import { createdAt } from '../columns.ts';
import { notes, suggestions } from './notes.ts';
import { users } from './users.ts';

export const DECISION_ACTIONS = ['accept', 'reject', 'edit', 'add'] as const;
export type DecisionAction = (typeof DECISION_ACTIONS)[number];
/**
 * Why coders reject a suggestion, in the order the reject form offers them (issue 12: the reasons coders
 * actually give, OCG I.B.5 integral signs, IV.H uncertain outpatient diagnoses, I.C.21.c.4 history).
 */
export const REJECT_REASON_CHOICES = ['integral', 'more_specific', 'negated', 'history_only', 'uncertain_outpatient', 'not_documented', 'other'] as const;
/** Reasons of the first release: no longer offered, still stored on older decisions and read back as they are. */
export const LEGACY_REJECT_REASONS = ['historical', 'wrong_specificity', 'wrong_code_set', 'duplicate'] as const;
export const REJECT_REASONS = [...REJECT_REASON_CHOICES, ...LEGACY_REJECT_REASONS] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** Who is working on a note: one holder at a time; a claim idle for CLAIM_IDLE_MS may be taken over. */
export const noteClaims = pgTable('note_claims', {
  noteId: uuid('note_id')
    .primaryKey()
    .references(() => notes.id, { onDelete: 'cascade' }),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id),
  claimedAt: timestamp('claimed_at', { withTimezone: true }).notNull().defaultNow(),
  lastActivity: timestamp('last_activity', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The coder's decision on one suggestion (accept / reject / edit), or a code the engine missed (add,
 * no suggestion). At most one per suggestion: deciding again replaces it (the audit log keeps the history).
 * `code`/`description`/`system` are what the decision codes (null for a reject); `rank` orders diagnoses,
 * 1 = principal (inpatient) or first-listed.
 */
export const decisions = pgTable(
  'decisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    noteId: uuid('note_id')
      .notNull()
      .references(() => notes.id, { onDelete: 'cascade' }),
    suggestionId: uuid('suggestion_id').references(() => suggestions.id, { onDelete: 'cascade' }),
    action: text('action').$type<DecisionAction>().notNull(),
    reason: text('reason').$type<RejectReason>(),
    reasonText: text('reason_text'),
    /** An accepted CPT/HCPCS line as the coder bills it (units, modifiers, diagnosis pointers); null: the engine's line. */
    line: jsonb('line').$type<LineEdit>(),
    system: text('system').$type<CodeSystem>(),
    code: text('code'),
    description: text('description'),
    evidence: jsonb('evidence').$type<EvidenceSpan[]>(),
    rank: integer('rank'),
    decidedBy: uuid('decided_by')
      .notNull()
      .references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('decisions_action_check', sql`${t.action} in ('accept', 'reject', 'edit', 'add')`),
    check('decisions_shape_check', sql`(${t.action} = 'add') = (${t.suggestionId} is null)`),
    check('decisions_line_check', sql`${t.line} is null or ${t.action} = 'accept'`),
    uniqueIndex('decisions_suggestion_idx').on(t.suggestionId),
    index('decisions_note_idx').on(t.noteId),
  ],
);

/**
 * The code set a note was finalized with. A reopen supersedes the rows (never deletes them), so every
 * finalization stays on record; the current set has superseded_at null.
 */
export const finalCodes = pgTable(
  'final_codes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    noteId: uuid('note_id')
      .notNull()
      .references(() => notes.id, { onDelete: 'cascade' }),
    decisionId: uuid('decision_id'),
    system: text('system').$type<CodeSystem>().notNull(),
    code: text('code').notNull(),
    description: text('description').notNull(),
    sequence: integer('sequence').notNull(),
    principal: boolean('principal').notNull().default(false),
    finalizedBy: uuid('finalized_by')
      .notNull()
      .references(() => users.id),
    finalizedAt: timestamp('finalized_at', { withTimezone: true }).notNull().defaultNow(),
    supersededAt: timestamp('superseded_at', { withTimezone: true }),
  },
  (t) => [index('final_codes_note_idx').on(t.noteId)],
);

export const QUERY_KINDS = ['multiple_choice', 'open_ended', 'yes_no'] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];
export const QUERY_STATUSES = ['sent', 'answered', 'closed', 'withdrawn'] as const;
export type QueryStatus = (typeof QUERY_STATUSES)[number];

export interface QueryIndicator {
  start: number;
  end: number;
  /** Exactly text.slice(start, end) of the note. */
  quote: string;
}
export interface QueryAnswer {
  option: string | null;
  text: string | null;
}

/** A physician query (AHIMA/ACDIS "Guidelines for Achieving a Compliant Query Practice", 2022 update). */
export const physicianQueries = pgTable(
  'queries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    noteId: uuid('note_id')
      .notNull()
      .references(() => notes.id, { onDelete: 'cascade' }),
    suggestionId: uuid('suggestion_id').references(() => suggestions.id, { onDelete: 'set null' }),
    fromUser: uuid('from_user')
      .notNull()
      .references(() => users.id),
    toUser: uuid('to_user')
      .notNull()
      .references(() => users.id),
    purpose: text('purpose').notNull(),
    kind: text('kind').$type<QueryKind>().notNull(),
    indicators: jsonb('indicators').$type<QueryIndicator[]>().notNull(),
    question: text('question').notNull(),
    options: jsonb('options').$type<string[]>().notNull(),
    status: text('status').$type<QueryStatus>().notNull().default('sent'),
    answer: jsonb('answer').$type<QueryAnswer>(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
  },
  (t) => [
    check('queries_kind_check', sql`${t.kind} in ('multiple_choice', 'open_ended', 'yes_no')`),
    check('queries_status_check', sql`${t.status} in ('sent', 'answered', 'closed', 'withdrawn')`),
    index('queries_note_idx').on(t.noteId),
    index('queries_to_idx').on(t.toUser, t.status),
  ],
);

/**
 * Append-only record of who did what, when, before → after. The application only inserts; a trigger
 * (migration "audit-immutable") makes the database refuse UPDATE, DELETE and TRUNCATE.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    userId: uuid('user_id').references(() => users.id),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
  },
  (t) => [index('audit_log_entity_idx').on(t.entity, t.entityId), index('audit_log_at_idx').on(t.at)],
);
