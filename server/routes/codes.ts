import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { allow, type AuthEnv } from '../auth/middleware.ts';
import { CODE_SYSTEMS, normalizeCode, type CodeSystem } from '../codes/types.ts';
import type { Db } from '../db/client.ts';
import { codeDetail, findVersion, versionFor } from '../db/queries/code-sets.ts';
import { ROLES } from '../db/schema/index.ts';
import { ApiError } from '../errors.ts';
import type { AppDeps } from './deps.ts';
import { errors } from './review-schemas.ts';

const Params = z.object({
  system: z.enum(CODE_SYSTEMS).openapi({ param: { name: 'system', in: 'path' }, example: 'ICD10CM' }),
  code: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9.]{0,11}$/, 'a code is 1–12 letters, digits and dots')
    .openapi({ param: { name: 'code', in: 'path' }, example: 'E11.65' }),
});
const Query = z
  .object({
    date: z.iso.date('date must be YYYY-MM-DD').optional().describe('Date of service: the release in force then (default: today)'),
    version: z.string().trim().min(1).max(40).optional().describe('A release label instead of a date, e.g. FY2026'),
  })
  .refine((q) => !(q.date && q.version), { message: 'give date or version, not both', path: ['version'] });

const Ref = z.object({ code: z.string(), description: z.string(), billable: z.boolean() }).openapi('CodeRef');
const DetailSchema = Ref.extend({
  system: z.enum(CODE_SYSTEMS),
  version: z.string(),
  stale: z.boolean().describe('The date is past the release’s end (a newer release is not loaded)'),
  parent: Ref.nullable(),
  ancestors: z.array(Ref).describe('From the category down to the parent'),
  siblings: z.array(Ref),
  children: z.array(Ref),
  siblingCount: z.number().int(),
  childCount: z.number().int(),
  notes: z
    .array(z.object({ kind: z.string(), text: z.string(), char: z.string().nullable(), from: z.string().describe('The code the note is written on: this code or an ancestor') }))
    .describe('Tabular instructional notes (inclusion, includes, excludes1/2, code_first, use_additional, code_also, seventh_char, …), own first, then inherited'),
}).openapi('CodeDetail');

const get = createRoute({
  method: 'get',
  path: '/api/codes/{system}/{code}',
  summary: 'A code in the release in force: description, billable, parent, siblings, children and the instructional notes that apply (inherited ones name their ancestor)',
  middleware: allow(...ROLES),
  request: { params: Params, query: Query },
  responses: {
    200: { description: 'The code', content: { 'application/json': { schema: DetailSchema } } },
    400: errors('Invalid system, code, date or version'),
    401: errors('No session'),
    404: errors('No release for that date / version, or no such code in it'),
  },
});

const SIBLING_LIMIT = 200;

/** A release asked for by its label is taken as it is: no date to be stale against. */
async function labelled(db: Db, system: CodeSystem, version: string) {
  const v = await findVersion(db, system, version);
  return v && { ...v, stale: false };
}

export function codeRoutes(deps: AppDeps) {
  return new OpenAPIHono<AuthEnv>().openapi(get, async (c) => {
    const { system, code: raw } = c.req.valid('param');
    const q = c.req.valid('query');
    const date = q.date ?? new Date(deps.now?.() ?? Date.now()).toISOString().slice(0, 10);
    const release = q.version ? await labelled(deps.db, system, q.version) : await versionFor(deps.db, system, date);
    if (!release) throw new ApiError(404, 'no_code_set', q.version ? `No ${system} release ${q.version} is loaded` : `No ${system} code set is loaded for ${date}`);
    const code = normalizeCode(system, raw);
    const detail = await codeDetail(deps.db, { versionId: release.id, code, limit: SIBLING_LIMIT });
    if (!detail) throw new ApiError(404, 'unknown_code', `${code} is not a ${system} code in release ${release.version}`);
    return c.json({ system, version: release.version, stale: release.stale, ...detail }, 200);
  });
}
