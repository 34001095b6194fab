import { and, asc, desc, eq, inArray, isNull, lte, ne, sql } from 'drizzle-orm';
import type { ReleaseContent } from '../../codes/read-release.ts';
import type { Release } from '../../codes/releases.ts';
import { hashTermText } from '../../codes/compose-terms.ts';
import type { CodeSystem } from '../../codes/types.ts';
import { queryRows, type Db } from '../client.ts';
import { codeNotes, codes, codeSetVersions } from '../schema/index.ts';

export type CodeSetVersion = typeof codeSetVersions.$inferSelect;

// Rows travel as one JSON document per chunk (jsonb_to_recordset): one bind parameter instead of
// tens of thousands, which is several times faster on PGlite and stays under the 65,535-parameter limit.
const CHUNK = 5_000;

/** The stored version of `system`/`version`, or undefined. */
export async function findVersion(db: Db, system: CodeSystem, version: string): Promise<CodeSetVersion | undefined> {
  const rows = await db
    .select()
    .from(codeSetVersions)
    .where(and(eq(codeSetVersions.system, system), eq(codeSetVersions.version, version)));
  return rows[0];
}

/**
 * Replaces a release in one transaction: the old rows of the same system+version are deleted and the
 * new ones written, or — on any failure — nothing changes and the previous version stays in force.
 */
export async function replaceRelease(
  db: Db,
  release: Release,
  content: ReleaseContent,
  meta: { checksum: string; sources: string[] },
  onProgress?: (done: number, total: number) => void,
): Promise<number> {
  const total = content.codes.length + content.notes.length + content.terms.length;
  let done = 0;
  const tick = (n: number) => {
    done += n;
    onProgress?.(done, total);
  };
  return db.transaction(async (tx) => {
    await tx.delete(codeSetVersions).where(and(eq(codeSetVersions.system, release.system), eq(codeSetVersions.version, release.version)));
    const [row] = await tx
      .insert(codeSetVersions)
      .values({
        system: release.system,
        version: release.version,
        effectiveFrom: release.effectiveFrom,
        effectiveTo: release.effectiveTo,
        checksum: meta.checksum,
        sources: meta.sources,
        stats: content.stats,
      })
      .returning({ id: codeSetVersions.id });
    const versionId = row!.id;
    for (let i = 0; i < content.codes.length; i += CHUNK) {
      const chunk = content.codes.slice(i, i + CHUNK).map((c) => ({
        code: c.code,
        billable: c.billable,
        short_desc: c.shortDesc,
        long_desc: c.longDesc,
        ord: c.order,
        parent: c.parent,
        category: c.category,
        block: c.block,
        chapter: c.chapter,
      }));
      await tx.execute(sql`
        insert into codes (version_id, system, code, billable, short_desc, long_desc, ord, parent, category, block, chapter)
        select ${versionId}, ${release.system}, r.code, r.billable, r.short_desc, r.long_desc, r.ord, r.parent, r.category, r.block, r.chapter
        from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb)
          as r(code text, billable boolean, short_desc text, long_desc text, ord int, parent text, category text, block text, chapter int)`);
      tick(chunk.length);
    }
    for (let i = 0; i < content.notes.length; i += CHUNK) {
      const chunk = content.notes.slice(i, i + CHUNK).map((n) => ({ code: n.code, kind: n.kind, text: n.text, char: n.char ?? null, source: n.source }));
      await tx.execute(sql`
        insert into code_notes (version_id, code, kind, text, char, source)
        select ${versionId}, r.code, r.kind, r.text, r.char, r.source
        from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as r(code text, kind text, text text, char text, source text)`);
      tick(chunk.length);
    }
    for (let i = 0; i < content.terms.length; i += CHUNK) {
      const chunk = content.terms.slice(i, i + CHUNK).map((t) => ({
        code: t.code,
        kind: t.kind,
        source: t.source,
        text: t.text,
        text_hash: hashTermText(t.text),
        path: t.path ?? null,
        modifiers: t.modifiers ?? null,
        incomplete: t.incomplete ?? false,
      }));
      await tx.execute(sql`
        insert into code_terms (version_id, system, code, kind, source, text, text_hash, path, modifiers, incomplete)
        select ${versionId}, ${release.system}, r.code, r.kind, r.source, r.text, r.text_hash, r.path, r.modifiers, r.incomplete
        from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb)
          as r(code text, kind text, source text, text text, text_hash text, path jsonb, modifiers jsonb, incomplete boolean)`);
      tick(chunk.length);
    }
    return versionId;
  });
}

/** Every loaded release of `system`, oldest first. */
export async function loadedReleases(db: Db, system: CodeSystem): Promise<Pick<CodeSetVersion, 'version' | 'effectiveFrom' | 'effectiveTo'>[]> {
  return db
    .select({ version: codeSetVersions.version, effectiveFrom: codeSetVersions.effectiveFrom, effectiveTo: codeSetVersions.effectiveTo })
    .from(codeSetVersions)
    .where(eq(codeSetVersions.system, system))
    .orderBy(asc(codeSetVersions.effectiveFrom));
}

/**
 * The release of `system` in force on a date of service: the latest one effective on or before it.
 * `stale` is true when the date is past that release's end (a newer release has not been loaded).
 */
export async function versionFor(db: Db, system: CodeSystem, dateOfService: string): Promise<(CodeSetVersion & { stale: boolean }) | undefined> {
  const rows = await db
    .select()
    .from(codeSetVersions)
    .where(and(eq(codeSetVersions.system, system), lte(codeSetVersions.effectiveFrom, dateOfService)))
    .orderBy(desc(codeSetVersions.effectiveFrom))
    .limit(1);
  const v = rows[0];
  if (!v) return undefined;
  return { ...v, stale: v.effectiveTo != null && v.effectiveTo < dateOfService };
}

export interface CodeSetStats {
  system: string;
  version: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  total: number;
  billable: number;
  indexRows: number;
  embedded: number;
}

/** Per system and version: total and billable codes, index rows, and index rows with an embedding. */
export async function codeSetStats(db: Db): Promise<CodeSetStats[]> {
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select v.system, v.version, v.effective_from::text as effective_from, v.effective_to::text as effective_to,
          (select count(*) from codes c where c.version_id = v.id)::int as total,
          (select count(*) from codes c where c.version_id = v.id and c.billable)::int as billable,
          (select count(*) from code_terms t where t.version_id = v.id)::int as index_rows,
          (select count(*) from code_terms t join term_embeddings e on e.system = t.system and e.text_hash = t.text_hash
             where t.version_id = v.id)::int as embedded
        from code_set_versions v order by v.system, v.effective_from`,
  );
  return rows.map((r) => ({
    system: String(r.system),
    version: String(r.version),
    effectiveFrom: String(r.effective_from),
    effectiveTo: r.effective_to == null ? null : String(r.effective_to),
    total: Number(r.total),
    billable: Number(r.billable),
    indexRows: Number(r.index_rows),
    embedded: Number(r.embedded),
  }));
}

/** A code as the hierarchy lists it. */
export interface CodeRef {
  code: string;
  description: string;
  billable: boolean;
}

/** An instructional note that applies to a code; `from` is the code it is written on (the code itself or an ancestor). */
export interface AppliedNote {
  kind: string;
  text: string;
  char: string | null;
  from: string;
}

export interface CodeDetail extends CodeRef {
  parent: CodeRef | null;
  /** Ancestors from the category down to the parent. */
  ancestors: CodeRef[];
  siblings: CodeRef[];
  children: CodeRef[];
  /** How many siblings / children there are in all (the lists stop at `limit`). */
  siblingCount: number;
  childCount: number;
  notes: AppliedNote[];
}

const refColumns = { code: codes.code, description: codes.longDesc, billable: codes.billable };

/**
 * A code of release `versionId` with its place in the hierarchy and the tabular notes that apply to it:
 * its own and its ancestors' (notes inherit downwards, OCG I.A.12–13), nearest first. Siblings share the
 * parent; a category's siblings are the categories of its block. Undefined when the release lacks the code.
 * Example: E11.65 → parent E11.6, siblings E11.64x/E11.69, notes "Use additional code … (Z79.4)" from E11.
 */
export async function codeDetail(db: Db, params: { versionId: number; code: string; limit?: number }): Promise<CodeDetail | undefined> {
  const limit = params.limit ?? 200;
  const [row] = await db.select().from(codes).where(and(eq(codes.versionId, params.versionId), eq(codes.code, params.code)));
  if (!row) return undefined;
  // The parent chain (at most 7 levels in ICD-10-CM), self first.
  const chain = [row];
  for (let p = row.parent; p; ) {
    const [up] = await db.select().from(codes).where(and(eq(codes.versionId, params.versionId), eq(codes.code, p)));
    if (!up || chain.some((c) => c.code === up.code)) break;
    chain.push(up);
    p = up.parent;
  }
  const inRelease = eq(codes.versionId, params.versionId);
  const siblingWhere = row.parent
    ? and(inRelease, eq(codes.parent, row.parent), ne(codes.code, row.code))
    : row.block
      ? and(inRelease, isNull(codes.parent), eq(codes.block, row.block), ne(codes.code, row.code))
      : undefined;
  const [siblings, children] = await Promise.all([
    siblingWhere ? db.select(refColumns).from(codes).where(siblingWhere).orderBy(asc(codes.ord)) : Promise.resolve([]),
    db.select(refColumns).from(codes).where(and(inRelease, eq(codes.parent, row.code))).orderBy(asc(codes.ord)),
  ]);
  const chainCodes = chain.map((c) => c.code);
  const noteRows = await db
    .select({ code: codeNotes.code, kind: codeNotes.kind, text: codeNotes.text, char: codeNotes.char })
    .from(codeNotes)
    .where(and(eq(codeNotes.versionId, params.versionId), inArray(codeNotes.code, chainCodes)))
    .orderBy(asc(codeNotes.id));
  const depth = (code: string) => chainCodes.indexOf(code);
  const notes = noteRows
    .map((n, i) => ({ n, i }))
    .sort((a, b) => depth(a.n.code) - depth(b.n.code) || a.i - b.i)
    .map(({ n }) => ({ kind: n.kind, text: n.text, char: n.char, from: n.code }));
  const ref = (c: typeof row): CodeRef => ({ code: c.code, description: c.longDesc, billable: c.billable });
  return {
    ...ref(row),
    parent: chain[1] ? ref(chain[1]) : null,
    ancestors: chain.slice(1).reverse().map(ref),
    siblings: siblings.slice(0, limit),
    children: children.slice(0, limit),
    siblingCount: siblings.length,
    childCount: children.length,
    notes,
  };
}
