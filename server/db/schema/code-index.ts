import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { tsvector, vectorAny } from '../columns.ts';
import { codeSetVersions } from './code-sets.ts';

/**
 * The code-description index: every description, inclusion term and Index path is a row,
 * searchable by full text (generated tsvector, GIN) and by meaning (term_embeddings, HNSW).
 */
export const codeTerms = pgTable(
  'code_terms',
  {
    id: serial('id').primaryKey(),
    versionId: integer('version_id')
      .notNull()
      .references(() => codeSetVersions.id, { onDelete: 'cascade' }),
    system: text('system').notNull(),
    code: text('code').notNull(),
    kind: text('kind').notNull(),
    source: text('source').notNull(),
    text: text('text').notNull(),
    /** sha1 of the normalised text: the key of its embedding. */
    textHash: text('text_hash').notNull(),
    path: jsonb('path').$type<string[]>(),
    modifiers: jsonb('modifiers').$type<string[]>(),
    incomplete: boolean('incomplete').notNull().default(false),
    tsv: tsvector('tsv')
      .notNull()
      .generatedAlwaysAs(sql`to_tsvector('english'::regconfig, "text")`),
  },
  (t) => [
    index('code_terms_tsv_idx').using('gin', t.tsv),
    index('code_terms_code_idx').on(t.versionId, t.code),
    index('code_terms_hash_idx').on(t.textHash),
  ],
);

/**
 * One embedding per distinct (system, text): code-set reloads keep vectors of unchanged text, so an
 * index build embeds only what changed. Every row stores the model that produced it.
 */
export const termEmbeddings = pgTable(
  'term_embeddings',
  {
    system: text('system').notNull(),
    textHash: text('text_hash').notNull(),
    modelId: text('model_id').notNull(),
    /** Null when the model cannot represent the text (every word unknown to a static model): lexical search still finds it. */
    embedding: vectorAny('embedding'),
  },
  (t) => [primaryKey({ columns: [t.system, t.textHash] })],
);

/** Which model the vector index holds (id and dimension); a different configured model forces a rebuild. */
export const indexState = pgTable('index_state', {
  id: integer('id').primaryKey().default(1),
  modelId: text('model_id').notNull(),
  dimension: integer('dimension').notNull(),
  builtAt: timestamp('built_at', { withTimezone: true }).notNull().defaultNow(),
});
