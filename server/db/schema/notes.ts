import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, real, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { ContextStatus, Encounter, EvidenceSpan, Suggestion } from '../../pipeline/types.ts';
import { createdAt, leaseColumns } from '../columns.ts';

export const NOTE_STATUSES = ['queued', 'processing', 'suggested', 'failed', 'in_review', 'query_pending', 'coded'] as const;
/** Statuses of a note a person is working on: the engine may no longer replace its suggestions. */
export const REVIEW_STATUSES = ['in_review', 'query_pending', 'coded'] as const satisfies readonly NoteStatus[];
export type NoteStatus = (typeof NOTE_STATUSES)[number];

const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

/**
 * A clinical note (PHI) and where it is in processing: queued → processing → suggested | failed, then in
 * review: suggested → in_review ⇄ query_pending → coded (→ in_review when a QA lead reopens it).
 * `version` is bumped by every write, so a writer holding an older version knows it lost a race
 * (the worker's result for a note re-queued meanwhile is discarded, not stored).
 */
export const notes = pgTable(
  'notes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The caller's id (FHIR DocumentReference id / masterIdentifier, or `externalId`); not unique. */
    externalId: text('external_id'),
    text: text('text').notNull(),
    encounter: jsonb('encounter').$type<Encounter>().notNull(),
    /** "json" (plain request) or "fhir" (DocumentReference, alone or in a Bundle). */
    format: text('format').$type<'json' | 'fhir'>().notNull(),
    status: text('status').$type<NoteStatus>().notNull().default('queued'),
    /** Why the last run failed (status "failed" only); shown to the user, never logged. */
    failureReason: text('failure_reason'),
    /** Engine version and warnings of the last successful run (with its suggestions). */
    engineVersion: text('engine_version'),
    warnings: jsonb('warnings').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    version: integer('version').notNull().default(1),
    /** The worker running the note ("processing" only) and until when its lease holds. */
    ...leaseColumns(),
    /** When the engine last stored suggestions (the throughput shown by /health). */
    suggestedAt: timestamp('suggested_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('notes_status_check', sql`${t.status} in ('queued', 'processing', 'suggested', 'failed', 'in_review', 'query_pending', 'coded')`),
    // The worker's queue scan (oldest queued first) and the list filter.
    index('notes_status_idx').on(t.status, t.createdAt),
    index('notes_created_idx').on(t.createdAt),
    index('notes_suggested_idx').on(t.suggestedAt),
  ],
);

/** The engine's suggestions for a note: replaced as a whole by every run. */
export const suggestions = pgTable(
  'suggestions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    noteId: uuid('note_id')
      .notNull()
      .references(() => notes.id, { onDelete: 'cascade' }),
    system: text('system').$type<Suggestion['system']>().notNull(),
    code: text('code').notNull(),
    description: text('description').notNull(),
    evidence: jsonb('evidence').$type<EvidenceSpan[]>().notNull(),
    context: jsonb('context').$type<ContextStatus>().notNull(),
    confidence: real('confidence').notNull(),
    /** Position in the engine's reporting order (1 = principal / first-listed diagnosis, OCG II, IV.G). */
    rank: integer('rank').notNull().default(0),
    kind: text('kind').$type<Suggestion['kind']>().notNull(),
    rationale: jsonb('rationale').$type<Suggestion['rationale']>().notNull(),
    source: text('source').$type<Suggestion['source']>().notNull(),
    versions: jsonb('versions').$type<Suggestion['versions']>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('suggestions_note_idx').on(t.noteId)],
);
