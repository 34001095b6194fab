// The thin queries behind the engine's in-memory knowledge (pipeline/knowledge.ts stays pure: it builds from
// plain rows, so the pipeline does not import the database and has no import cycle through the loaders).
import { and, eq, inArray, like } from 'drizzle-orm';
import { buildKnowledge, type Knowledge } from '../../pipeline/knowledge.ts';
import { buildProcedureKnowledge, type ProcedureKnowledge } from '../../pipeline/procedures.ts';
import type { Db } from '../client.ts';
import { codeNotes, codes, codeTerms } from '../schema/index.ts';

const TERM_KINDS_MATCHED = ['index', 'inclusion', 'title', 'neoplasm'];

/**
 * Loads the ICD-10-CM release `versionId` from the database. Rows are read in a fixed order (tabular order, then
 * load order): the engine keeps the first of equal readings, and a table's physical order is not stable (the index
 * build rewrites every term row with its vector; PostgreSQL and PGlite differ), so without it the same release
 * could give different suggestions on different databases.
 */
export async function loadKnowledge(db: Db, versionId: number, version: string): Promise<Knowledge> {
  const codeRows = await db
    .select({ code: codes.code, billable: codes.billable, title: codes.longDesc, parent: codes.parent })
    .from(codes)
    .where(eq(codes.versionId, versionId))
    .orderBy(codes.ord);
  const noteRows = await db
    .select({ code: codeNotes.code, kind: codeNotes.kind, text: codeNotes.text, char: codeNotes.char })
    .from(codeNotes)
    .where(eq(codeNotes.versionId, versionId))
    .orderBy(codeNotes.id);
  const termRows = await db
    .select({ code: codeTerms.code, kind: codeTerms.kind, text: codeTerms.text, path: codeTerms.path, modifiers: codeTerms.modifiers, incomplete: codeTerms.incomplete })
    .from(codeTerms)
    .where(and(eq(codeTerms.versionId, versionId), inArray(codeTerms.kind, TERM_KINDS_MATCHED)))
    .orderBy(codeTerms.id);
  // Adverse-effect column of the Table of Drugs ("Metformin, adverse effect" → T38.3X5): a drug's class.
  const drugRows = await db
    .select({ code: codeTerms.code, path: codeTerms.path })
    .from(codeTerms)
    .where(and(eq(codeTerms.versionId, versionId), eq(codeTerms.kind, 'drug'), like(codeTerms.text, '%, adverse effect')))
    .orderBy(codeTerms.id);
  const drugs = drugRows.filter((r) => r.path?.length === 2).map((r) => ({ name: r.path![0]!, code: r.code }));
  return buildKnowledge(version, codeRows, noteRows, termRows, drugs);
}

/** Loads the ICD-10-PCS release `versionId` (valid codes and titles) for procedure suggestions. */
export async function loadProcedureKnowledge(db: Db, versionId: number, version: string): Promise<ProcedureKnowledge> {
  const rows = await db.select({ code: codes.code, title: codes.longDesc }).from(codes).where(and(eq(codes.versionId, versionId), eq(codes.billable, true))).orderBy(codes.ord);
  return buildProcedureKnowledge(version, rows);
}

