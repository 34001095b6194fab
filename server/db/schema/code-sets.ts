import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, unique } from 'drizzle-orm/pg-core';

/** One loaded release of one code system, e.g. ICD-10-CM FY2026 (2025-10-01 – 2026-09-30). */
export const codeSetVersions = pgTable(
  'code_set_versions',
  {
    id: serial('id').primaryKey(),
    system: text('system').notNull(),
    version: text('version').notNull(),
    effectiveFrom: date('effective_from').notNull(),
    effectiveTo: date('effective_to'),
    /** sha256 over the source files: loading identical files again is a no-op. */
    checksum: text('checksum').notNull(),
    sources: jsonb('sources').$type<string[]>().notNull(),
    stats: jsonb('stats').$type<Record<string, number>>().notNull().default(sql`'{}'::jsonb`),
    loadedAt: timestamp('loaded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('code_set_versions_system_version').on(t.system, t.version)],
);

/** Every entry of a release: billable codes and non-billable headers with their hierarchy. */
export const codes = pgTable(
  'codes',
  {
    versionId: integer('version_id')
      .notNull()
      .references(() => codeSetVersions.id, { onDelete: 'cascade' }),
    system: text('system').notNull(),
    code: text('code').notNull(),
    billable: boolean('billable').notNull(),
    shortDesc: text('short_desc').notNull(),
    longDesc: text('long_desc').notNull(),
    ord: integer('ord').notNull(),
    parent: text('parent'),
    category: text('category'),
    block: text('block'),
    chapter: integer('chapter'),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.code] }), index('codes_parent_idx').on(t.versionId, t.parent)],
);

/** Tabular instructional notes (inclusion terms, Excludes1/2, code first, …) as written on a code. */
export const codeNotes = pgTable(
  'code_notes',
  {
    id: serial('id').primaryKey(),
    versionId: integer('version_id')
      .notNull()
      .references(() => codeSetVersions.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    kind: text('kind').notNull(),
    text: text('text').notNull(),
    char: text('char'),
    source: text('source').notNull(),
  },
  (t) => [index('code_notes_code_idx').on(t.versionId, t.code)],
);
