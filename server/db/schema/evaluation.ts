import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, index, integer, jsonb, pgTable, primaryKey, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { AuditVerdict } from '../../../eval/agreement.ts';
import type { DecisionRecord, SuggestionOutcome } from '../../../eval/decision-record.ts';
import type { CodeRef, EvalMetrics } from '../../../eval/metrics.ts';
import type { Encounter } from '../../pipeline/types.ts';
import { createdAt } from '../columns.ts';
import { notes } from './notes.ts';
import { users } from './users.ts';

export const DATASET_KINDS = ['decisions', 'imported'] as const;
export type DatasetKind = (typeof DATASET_KINDS)[number];
/** The built-in evaluation set that grows from finalized notes. */
export const DECISIONS_DATASET = 'decisions';

/** An evaluation set: the built-in "decisions" set, or one imported from JSONL / CodiEsp / FHIR. */
export const datasets = pgTable(
  'datasets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull().unique(),
    kind: text('kind').$type<DatasetKind>().notNull(),
    description: text('description').notNull().default(''),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [check('datasets_kind_check', sql`${t.kind} in ('decisions', 'imported')`)],
);

export type GoldCode = DecisionRecord['gold'][number];

/**
 * One revision of one document of a dataset. Append-only (trigger in migration 0007): re-finalizing a
 * note adds revision n+1 of its record, nothing is overwritten, so a frozen version keeps meaning what it
 * meant. The text is copied so a dataset survives the note and exports without joins.
 */
export const datasetRecords = pgTable(
  'dataset_records',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    datasetId: uuid('dataset_id')
      .notNull()
      .references(() => datasets.id),
    /** The note id (decisions) or the document id of an imported set. */
    recordKey: text('record_key').notNull(),
    revision: integer('revision').notNull(),
    /** No foreign key: the record is a copy that outlives the note (and the table refuses updates). */
    noteId: uuid('note_id'),
    text: text('text').notNull(),
    encounter: jsonb('encounter').$type<Encounter>().notNull(),
    gold: jsonb('gold').$type<GoldCode[]>().notNull(),
    /** Decisions set only: what happened to every suggestion, and the versions that produced them. */
    outcomes: jsonb('outcomes').$type<SuggestionOutcome[]>().notNull().default(sql`'[]'::jsonb`),
    versions: jsonb('versions').$type<DecisionRecord['versions']>().notNull().default(sql`'[]'::jsonb`),
    coderId: uuid('coder_id').references(() => users.id),
    finalizedAt: timestamp('finalized_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('dataset_records_key_idx').on(t.datasetId, t.recordKey, t.revision), index('dataset_records_finalized_idx').on(t.datasetId, t.finalizedAt)],
);

/** A named, frozen version of a dataset ("2026-12 decisions"): the record revisions it holds never change. */
export const datasetVersions = pgTable(
  'dataset_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    datasetId: uuid('dataset_id')
      .notNull()
      .references(() => datasets.id),
    name: text('name').notNull(),
    records: integer('records').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('dataset_versions_name_idx').on(t.datasetId, t.name)],
);

export const datasetVersionRecords = pgTable(
  'dataset_version_records',
  {
    versionId: uuid('version_id')
      .notNull()
      .references(() => datasetVersions.id),
    recordId: bigint('record_id', { mode: 'number' })
      .notNull()
      .references(() => datasetRecords.id),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.recordId] })],
);

export const RUN_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** What produced a run's predictions: enough to tell two runs apart and to repeat one. */
export interface RunConfig {
  /** The suggester's engine version (engine + learned model id). */
  engine: string;
  /** LLM_MODEL when the LLM stage is on, else null (offline engine). */
  llmModel: string | null;
  embedder: string | null;
  datasetVersion: { id: string; dataset: string; name: string };
  concurrency: number;
  /** Distinct `Suggestion.versions` (engine, prompt hash, model, embedder) seen in the predictions. */
  observed: { engine: string; prompt: string | null; model: string | null; embedder: string | null }[];
}

/** Headline metrics of a run, one entry per scope ("all", and each code system present). */
export type RunMetrics = Record<string, Omit<EvalMetrics, 'perDoc' | 'perCode'>>;

/** The current pipeline applied to a dataset version. */
export const evalRuns = pgTable(
  'eval_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    datasetVersionId: uuid('dataset_version_id')
      .notNull()
      .references(() => datasetVersions.id),
    label: text('label').notNull().default(''),
    status: text('status').$type<RunStatus>().notNull().default('queued'),
    config: jsonb('config').$type<RunConfig>().notNull(),
    done: integer('done').notNull().default(0),
    total: integer('total').notNull(),
    metrics: jsonb('metrics').$type<RunMetrics>(),
    error: text('error'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [check('eval_runs_status_check', sql`${t.status} in ('queued', 'running', 'done', 'failed')`), index('eval_runs_created_idx').on(t.createdAt)],
);

export interface PredictedRef extends CodeRef {
  confidence: number;
}

/** A record of a run (the key of its prediction and of its lease); the rows go with the run. */
const runRecord = () => ({
  runId: uuid('run_id')
    .notNull()
    .references(() => evalRuns.id, { onDelete: 'cascade' }),
  recordId: bigint('record_id', { mode: 'number' })
    .notNull()
    .references(() => datasetRecords.id),
});

/** A run's prediction for one record; written as the run goes, so a restarted run resumes. */
export const evalPredictions = pgTable(
  'eval_predictions',
  {
    ...runRecord(),
    predicted: jsonb('predicted').$type<PredictedRef[]>().notNull(),
    error: text('error'),
    ms: real('ms').notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.recordId] })],
);

/**
 * Which worker runs which record of a run, until when: several workers split one run record by record.
 * A record with a prediction is done; one with a live lease is someone else's; one whose lease expired
 * (its worker died) is anyone's.
 */
export const evalRecordLeases = pgTable(
  'eval_record_leases',
  {
    ...runRecord(),
    lockedBy: text('locked_by').notNull(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.recordId] })],
);

export const SECOND_CODING_STATUSES = ['assigned', 'done'] as const;
export type SecondCodingStatus = (typeof SECOND_CODING_STATUSES)[number];

/** Blind second coding of a finalized note by another coder, for inter-coder agreement. */
export const secondCodings = pgTable(
  'second_codings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    noteId: uuid('note_id')
      .notNull()
      .references(() => notes.id, { onDelete: 'cascade' }),
    /** Who coded the note first (the finalizing coder). */
    firstCoderId: uuid('first_coder_id')
      .notNull()
      .references(() => users.id),
    coderId: uuid('coder_id')
      .notNull()
      .references(() => users.id),
    sample: text('sample').notNull(),
    status: text('status').$type<SecondCodingStatus>().notNull().default('assigned'),
    /** The first coder's final codes at sampling time, and the second coder's codes once done. */
    firstCodes: jsonb('first_codes').$type<CodeRef[]>().notNull(),
    codes: jsonb('codes').$type<CodeRef[]>(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [
    check('second_codings_status_check', sql`${t.status} in ('assigned', 'done')`),
    check('second_codings_other_coder', sql`${t.firstCoderId} <> ${t.coderId}`),
    index('second_codings_coder_idx').on(t.coderId, t.status),
    uniqueIndex('second_codings_note_sample_idx').on(t.noteId, t.sample),
  ],
);

/** One line of an audit worksheet (verdicts: eval/agreement.ts AUDIT_VERDICTS). */
export interface AuditWorksheetItem extends CodeRef {
  verdict: AuditVerdict;
  reason: string | null;
}

/**
 * A QA audit worksheet of one coded note: each final code marked correct / incorrect, and the codes the
 * coder missed. Engine accuracy is derived against the same truth (correct + missing).
 */
export const codingAudits = pgTable(
  'coding_audits',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    noteId: uuid('note_id')
      .notNull()
      .references(() => notes.id, { onDelete: 'cascade' }),
    coderId: uuid('coder_id').references(() => users.id),
    auditorId: uuid('auditor_id')
      .notNull()
      .references(() => users.id),
    items: jsonb('items').$type<AuditWorksheetItem[]>().notNull(),
    /** The engine's suggestions for the note at audit time, judged against correct + missing. */
    engineCodes: jsonb('engine_codes').$type<CodeRef[]>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('coding_audits_note_idx').on(t.noteId), index('coding_audits_created_idx').on(t.createdAt)],
);
