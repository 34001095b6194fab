import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { auditLog } from '../schema/index.ts';

export type AuditRow = typeof auditLog.$inferSelect;

export interface AuditEntry {
  userId: string | null;
  action: string;
  entity: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

/** Appends to the audit log (the only write there is: the table refuses UPDATE and DELETE). */
export async function appendAudit(db: Pick<Db, 'insert'>, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({ ...entry, before: entry.before ?? null, after: entry.after ?? null });
}

/** The audit trail of one entity (or everything of one kind), oldest first. */
export async function listAudit(db: Db, params: { entity?: string; entityId?: string; limit: number }): Promise<AuditRow[]> {
  const where = and(params.entity ? eq(auditLog.entity, params.entity) : undefined, params.entityId ? eq(auditLog.entityId, params.entityId) : undefined);
  return db.select().from(auditLog).where(where).orderBy(asc(auditLog.id)).limit(params.limit);
}
