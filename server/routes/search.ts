import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { CODE_SYSTEMS } from '../codes/types.ts';
import { CodeSystemSchema } from '../codes/code-system-aliases.ts';
import { ApiError } from '../errors.ts';
import { searchCodeSets } from '../index/code-search.ts';
import { VECTOR_INDEX_STATES, vectorIndexStatus } from '../index/index-builder.ts';
import { MAX_K, MAX_QUERY_CHARS, SearchInputError } from '../index/search.ts';
import type { AppDeps } from './deps.ts';
import { ErrorSchema } from './schemas.ts';

const QuerySchema = z.object({
  q: z.string().trim().min(1, 'q is empty').max(MAX_QUERY_CHARS).openapi({ example: 'fracture of left femur' }),
  k: z.coerce.number().int().min(1).max(MAX_K).default(10),
  systems: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(',').map((x) => x.trim()) : undefined))
    .pipe(z.array(CodeSystemSchema).optional())
    .openapi({ type: 'string', example: 'ICD10CM,HCPCS' }),
  billable: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
  date: z.iso.date('date must be YYYY-MM-DD').optional().describe("Date of service: each system's release in force then (pass the note's)"),
  version: z.string().max(40).optional().describe('A release label instead of a date, e.g. FY2026'),
}).refine((q) => !(q.date && q.version), { message: 'give date or version, not both', path: ['version'] });

const HitSchema = z
  .object({
    code: z.string(),
    system: z.enum(CODE_SYSTEMS),
    description: z.string(),
    billable: z.boolean(),
    matchedText: z.string(),
    matchedKind: z.string().describe('code (the code or prefix typed), title, index, inclusion, drug (a Table of Drugs row), long_term_use (the Z79 code for the drug), see / see_also (reached by following an Index instruction, named in matchedText), or the vector fallback\'s kinds'),
    lexicalRank: z.number().int().nullable(),
    vectorRank: z.number().int().nullable(),
    score: z.number(),
  })
  .openapi('SearchHit');

const route = createRoute({
  method: 'get',
  path: '/api/search',
  summary: 'Code search: a code or prefix (with or without the dot, any case) lists it and its children in tabular order; otherwise Index terms, inclusion terms and titles (abbreviations expanded) and drug names (Table of Drugs columns and the Z79 long-term-use code); the vector index only when nothing lexical matches',
  request: { query: QuerySchema },
  responses: {
    200: {
      description: 'Hits, best first',
      content: {
        'application/json': {
          schema: z.object({
            hits: z.array(HitSchema),
            vectorIndex: z
              .enum(VECTOR_INDEX_STATES)
              .nullable()
              .describe(
                "The vector fallback's index. building: npm start is bringing it up to date (GET /health shows how far); on a first start or after a model change a query with no lexical match finds nothing by meaning until it is ready, after a release load the new texts are not found by meaning yet",
              ),
          }),
        },
      },
    },
    400: { description: 'Invalid query', content: { 'application/json': { schema: ErrorSchema } } },
  },
});

export function searchRoutes(deps: AppDeps) {
  return new OpenAPIHono().openapi(route, async (c) => {
    const q = c.req.valid('query');
    try {
      const hits = await searchCodeSets(deps.db, deps.embedder, q.q, {
        k: q.k,
        ...(q.systems ? { systems: q.systems } : {}),
        billableOnly: q.billable,
        ...(q.date ? { date: q.date } : {}),
        ...(q.version ? { version: q.version } : {}),
      });
      const vectorIndex = (await vectorIndexStatus(deps.db, deps.embedder, deps.vectorIndex))?.state ?? null;
      return c.json({ hits, vectorIndex }, 200);
    } catch (err) {
      if (err instanceof SearchInputError) throw new ApiError(400, 'invalid_query', err.message);
      throw err;
    }
  });
}
