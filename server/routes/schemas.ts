import { z } from '@hono/zod-openapi';

export const ErrorSchema = z
  .object({
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional(), id: z.string().optional() }),
  })
  .openapi('Error');

// The route-declaration shapes every route file uses (one definition; OpenAPI documents them all alike).
/** A required JSON request body of `schema`. */
export const json = <T extends z.ZodType>(schema: T) => ({ required: true, content: { 'application/json': { schema } } }) as const;
/** A JSON response of `schema`. */
export const ok = <T extends z.ZodType>(description: string, schema: T) => ({ description, content: { 'application/json': { schema } } });
/** An error response (the one ErrorSchema body). */
export const errors = (d: string) => ({ description: d, content: { 'application/json': { schema: ErrorSchema } } });
export const IdParams = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });
