import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { codes, codeTerms } from '../schema/index.ts';

/** Every code of a release in tabular order, with its title: the code search's in-memory catalogue. */
export async function releaseCodes(db: Db, versionId: number): Promise<{ code: string; billable: boolean; title: string }[]> {
  return db.select({ code: codes.code, billable: codes.billable, title: codes.longDesc }).from(codes).where(eq(codes.versionId, versionId)).orderBy(asc(codes.ord));
}

/** A release's term rows of the given kinds (Index paths, inclusion terms, titles, Table of Drugs rows). */
export async function releaseTerms(db: Db, versionId: number, kinds: readonly string[]): Promise<{ code: string; kind: string; text: string; path: string[] | null }[]> {
  if (kinds.length === 0) return [];
  return db
    .select({ code: codeTerms.code, kind: codeTerms.kind, text: codeTerms.text, path: codeTerms.path })
    .from(codeTerms)
    .where(and(eq(codeTerms.versionId, versionId), inArray(codeTerms.kind, [...kinds])));
}
