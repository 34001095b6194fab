// The thin queries behind the engine's in-memory knowledge (pipeline/knowledge.ts stays pure: it builds from
// plain rows, so the pipeline does not import the database and has no import cycle through the loaders).
import { and, eq, gt, inArray, like } from 'drizzle-orm';
import { dictionaryBuilder } from '../../pipeline/dictionary.ts';
import { buildKnowledge, type Knowledge } from '../../pipeline/knowledge.ts';
import { buildProcedureKnowledge, type ProcedureKnowledge } from '../../pipeline/procedures.ts';
import type { Db } from '../client.ts';
import { codeNotes, codes, codeSetVersions, codeTerms } from '../schema/index.ts';

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
  const dictionary = dictionaryBuilder();
  for (let after = 0, page; (page = await termPage(db, versionId, after)).length > 0; after = page.at(-1)!.id) {
    // A term literal without the id: the dictionary keeps a copy of its shape, and drizzle's row objects, built
    // one property at a time, carry a separate property array (7 MB over a release).
    for (const r of page) dictionary.add({ code: r.code, kind: r.kind, text: r.text, path: r.path, modifiers: r.modifiers, incomplete: r.incomplete });
  }
  // Adverse-effect column of the Table of Drugs ("Metformin, adverse effect" → T38.3X5): a drug's class.
  const drugRows = await db
    .select({ code: codeTerms.code, path: codeTerms.path })
    .from(codeTerms)
    .where(and(eq(codeTerms.versionId, versionId), eq(codeTerms.kind, 'drug'), like(codeTerms.text, '%, adverse effect')))
    .orderBy(codeTerms.id);
  // A main term with no adverse-effect column of its own is a chemical whose drug is its salts ("Lithium" T56.89-,
  // "Lithium, salts (carbonate)" T43.59-; "Gold, salts" T39.4-): a note's "lithium" in a drug's sentence is the
  // drug. Main-term rows come first, so the salts row names only a main term that has none.
  const drugs = [
    ...drugRows.filter((r) => r.path?.length === 2).map((r) => ({ name: r.path![0]!, code: r.code })),
    ...drugRows.filter((r) => r.path?.length === 3 && /^salts\b/i.test(r.path[1]!)).map((r) => ({ name: r.path![0]!, code: r.code })),
  ];
  // The reads above are separate statements: a reload of the release (replaceRelease deletes it and writes it
  // under a new id) committed between them leaves some of them empty. Such a knowledge base is refused here,
  // not kept for the process's life (a failed load is retried by the next note, knowledge-cache.ts).
  const [stillThere] = await db.select({ id: codeSetVersions.id }).from(codeSetVersions).where(eq(codeSetVersions.id, versionId));
  if (!stillThere) throw new Error(`ICD-10-CM ${version} was replaced while its knowledge was being loaded`);
  return buildKnowledge(version, codeRows, noteRows, dictionary.finish(), drugs);
}

/**
 * Term rows are read in pages of this many, in id order, and compiled as each page arrives. A release's 190k
 * rows read at once were all alive until the whole dictionary was built: the rows, their parsed JSON paths
 * and the driver's arrays went to the old space and were garbage a moment later, the largest part of the
 * start-up's RSS peak (the query alone promoted 80 MB, in pages 58 MB; --trace-gc-nvp on postgres.js).
 */
const TERM_PAGE = 5_000;

/** The matched terms of a release with ids above `after`, at most TERM_PAGE of them (keyset pagination on the primary key). */
function termPage(db: Db, versionId: number, after: number) {
  return db
    .select({ id: codeTerms.id, code: codeTerms.code, kind: codeTerms.kind, text: codeTerms.text, path: codeTerms.path, modifiers: codeTerms.modifiers, incomplete: codeTerms.incomplete })
    .from(codeTerms)
    .where(and(eq(codeTerms.versionId, versionId), inArray(codeTerms.kind, TERM_KINDS_MATCHED), gt(codeTerms.id, after)))
    .orderBy(codeTerms.id)
    .limit(TERM_PAGE);
}

/** Loads the ICD-10-PCS release `versionId` (valid codes and titles) for procedure suggestions. */
export async function loadProcedureKnowledge(db: Db, versionId: number, version: string): Promise<ProcedureKnowledge> {
  const rows = await db.select({ code: codes.code, title: codes.longDesc }).from(codes).where(and(eq(codes.versionId, versionId), eq(codes.billable, true))).orderBy(codes.ord);
  return buildProcedureKnowledge(version, rows);
}

