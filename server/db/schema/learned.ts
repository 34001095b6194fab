import { index, integer, jsonb, pgTable, primaryKey, real, text, timestamp } from 'drizzle-orm/pg-core';

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
});

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
