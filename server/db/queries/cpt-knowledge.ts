// The imported licensed CPT release (codes import-cpt) as the professional coder reads it: codes and descriptors.
import { eq } from 'drizzle-orm';
import { buildCptKnowledge, type CptKnowledge } from '../../pipeline/professional/cpt-file.ts';
import type { Db } from '../client.ts';
import { codes } from '../schema/index.ts';

/** Loads the CPT release `versionId` (codes and their licensed descriptors). */
export async function loadCptKnowledge(db: Db, versionId: number, version: string): Promise<CptKnowledge> {
  const rows = await db.select({ code: codes.code, descriptor: codes.longDesc }).from(codes).where(eq(codes.versionId, versionId));
  return buildCptKnowledge(version, rows);
}
