import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { allow, type AuthEnv } from '../auth/middleware.ts';
import { listAudit } from '../db/queries/audit.ts';
import type { AppDeps } from './deps.ts';
import { errors } from './review-schemas.ts';

const EntrySchema = z
  .object({ id: z.number().int(), at: z.string(), userId: z.string().nullable(), action: z.string(), entity: z.string(), entityId: z.string(), before: z.unknown(), after: z.unknown() })
  .openapi('AuditEntry');

const list = createRoute({
  method: 'get',
  path: '/api/audit',
  summary: 'The audit trail, oldest first (QA lead, admin)',
  middleware: allow('qa_lead', 'admin'),
  request: {
    query: z.object({
      entity: z.enum(['note', 'decision', 'query', 'user']).optional(),
      entityId: z.string().max(200).optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(200),
    }),
  },
  responses: { 200: { description: 'Entries', content: { 'application/json': { schema: z.object({ entries: z.array(EntrySchema) }) } } }, 403: errors('Not a QA lead or admin') },
});

export function auditRoutes(deps: AppDeps) {
  return new OpenAPIHono<AuthEnv>().openapi(list, async (c) => {
    const q = c.req.valid('query');
    const rows = await listAudit(deps.db, { limit: q.limit, ...(q.entity ? { entity: q.entity } : {}), ...(q.entityId ? { entityId: q.entityId } : {}) });
    return c.json({ entries: rows.map((r) => ({ ...r, at: r.at.toISOString() })) }, 200);
  });
}
