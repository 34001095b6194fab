import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { queryRows } from '../db/client.ts';
import { queueStats, THROUGHPUT_WINDOW_MINUTES } from '../db/queries/notes.ts';
import { VECTOR_INDEX_STATES, vectorIndexStatus } from '../index/index-builder.ts';
import { modelRegistry } from '../models/registry.ts';
import type { AppDeps } from './deps.ts';

const HealthSchema = z.object({
  status: z.literal('ok'),
  database: z.string(),
  codeSets: z.number().int(),
  embeddingModel: z.string().nullable(),
  learnedModel: z
    .object({ active: z.string().nullable(), notices: z.array(z.object({ id: z.string(), notice: z.string() })) })
    .openapi({ description: 'The learned model in force, and why a stored one is not used (e.g. learned by an older engine version)' }),
  vectorIndex: z
    .object({
      state: z.enum(VECTOR_INDEX_STATES),
      done: z.number().int().openapi({ description: 'Rows embedded so far in the build under way' }),
      total: z.number().int().openapi({ description: 'Rows that build embeds' }),
    })
    .nullable()
    .openapi({
      description:
        "The code-description vectors behind the code search's fallback (used only when nothing lexical matches). The first start serves while they are built (building); until ready the fallback answers from lexical matches only. Null without an embedding model",
    }),
  queue: z
    .object({
      queued: z.number().int(),
      processing: z.number().int(),
      oldestQueuedSeconds: z.number().int().nullable().openapi({ description: 'Age of the oldest queued note since it was queued; null when none is' }),
      notesPerMinute: z.number().openapi({ description: `Notes the engine suggested on per minute, over the last ${THROUGHPUT_WINDOW_MINUTES} minutes` }),
    })
    .openapi({ description: 'The note queue shared by every worker on this database' }),
});

const route = createRoute({
  method: 'get',
  path: '/health',
  summary: 'Liveness, readiness and the note queue',
  responses: { 200: { description: 'The service is up', content: { 'application/json': { schema: HealthSchema } } } },
});

export function healthRoutes(deps: AppDeps & { databaseKind: string }) {
  return new OpenAPIHono().openapi(route, async (c) => {
    const [row] = await queryRows<{ n: number }>(deps.db, sql`select count(*)::int as n from code_set_versions`);
    const queue = await queueStats(deps.db);
    const models = await modelRegistry(deps.db);
    const learnedModel = { active: models.active?.id ?? null, notices: models.notices };
    const vectorIndex = await vectorIndexStatus(deps.db, deps.embedder, deps.vectorIndex);
    return c.json({ status: 'ok' as const, database: deps.databaseKind, codeSets: Number(row?.n ?? 0), embeddingModel: deps.embedder?.modelId ?? null, learnedModel, vectorIndex, queue }, 200);
  });
}
