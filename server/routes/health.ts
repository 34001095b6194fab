import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { queryRows } from '../db/client.ts';
import type { AppDeps } from './deps.ts';

const HealthSchema = z.object({
  status: z.literal('ok'),
  database: z.string(),
  codeSets: z.number().int(),
  embeddingModel: z.string().nullable(),
});

const route = createRoute({
  method: 'get',
  path: '/health',
  summary: 'Liveness and readiness',
  responses: { 200: { description: 'The service is up', content: { 'application/json': { schema: HealthSchema } } } },
});

export function healthRoutes(deps: AppDeps & { databaseKind: string }) {
  return new OpenAPIHono().openapi(route, async (c) => {
    const [row] = await queryRows<{ n: number }>(deps.db, sql`select count(*)::int as n from code_set_versions`);
    return c.json({ status: 'ok' as const, database: deps.databaseKind, codeSets: Number(row?.n ?? 0), embeddingModel: deps.embedder?.modelId ?? null }, 200);
  });
}
