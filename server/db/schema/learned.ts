import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, primaryKey, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './users.ts';

/** A model is a candidate until a QA lead or admin promotes it; exactly one is active (the engine uses it). */
export const MODEL_STATUSES = ['active', 'candidate', 'retired'] as const;
export type ModelStatus = (typeof MODEL_STATUSES)[number];
/** "shipped": installed from data/learned/ at start; "site": learned on this site's database. */
export const MODEL_SOURCES = ['shipped', 'site'] as const;
export type ModelSource = (typeof MODEL_SOURCES)[number];

/** What a model was learned from: the dataset, its frozen version (decisions), and any set learned with it. */
export interface ModelTraining {
  dataset: string;
  version: string | null;
  /** Notes learned from, and for decisions the outcomes they held (accepted, rejected by reason, edited, added). */
  records: number;
  decisions?: Record<string, number>;
  also?: string[];
}

/** Headline precision / recall / F1 (eval/metrics.ts micro scores). */
export interface ModelScores {
  precision: number;
  recall: number;
  f1: number;
}

/** How a model was measured: leave-one-out on its training notes, and on a later frozen version beside the model active then. */
export interface ModelMetrics {
  train: ModelScores;
  evaluation?: { version: string; model: ModelScores; active: ModelScores & { id: string }; modelRun: string; activeRun: string };
}

/**
 * The engine's learned layer, rebuilt by `medcode learn --from <dataset>`: one row per model (the dataset
 * and engine version it was learned from) with its global parameters, and per-(phrase, code) counts of
 * how often a candidate was right on the labelled notes. Data, not code: re-learning needs no deploy.
 */
export const learnedModels = pgTable('learned_models', {
  id: text('id').primaryKey(),
  dataset: text('dataset').notNull(),
  engineVersion: text('engine_version').notNull(),
  notes: integer('notes').notNull(),
  params: jsonb('params').$type<Record<string, number>>().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  status: text('status').$type<ModelStatus>().notNull().default('candidate'),
  source: text('source').$type<ModelSource>().notNull().default('site'),
  training: jsonb('training').$type<ModelTraining>(),
  metrics: jsonb('metrics').$type<ModelMetrics>(),
  /** Why the engine does not use this model (e.g. learned by an engine version the running one cannot read). */
  notice: text('notice'),
  promotedAt: timestamp('promoted_at', { withTimezone: true }),
  promotedBy: uuid('promoted_by').references(() => users.id),
}, (t) => [
  check('learned_models_status_check', sql`${t.status} in ('active', 'candidate', 'retired')`),
  check('learned_models_source_check', sql`${t.source} in ('shipped', 'site')`),
  // Exactly one model is in force: a second active row is refused by the database, not only by the code.
  uniqueIndex('learned_models_one_active_idx').on(t.status).where(sql`${t.status} = 'active'`),
]);

export const learnedAssociations = pgTable(
  'learned_associations',
  {
    modelId: text('model_id')
      .notNull()
      .references(() => learnedModels.id, { onDelete: 'cascade' }),
    /** "phrase" (normalised matched text → code), "code" (any mention → code), "gold" (mined from gold codes). */
    kind: text('kind').notNull(),
    key: text('key').notNull(),
    code: text('code').notNull(),
    tp: integer('tp').notNull(),
    fp: integer('fp').notNull(),
    precision: real('precision').notNull(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.kind, t.key, t.code] }), index('learned_associations_code_idx').on(t.modelId, t.code)],
);
