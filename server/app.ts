import { randomUUID } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import { swaggerUI } from '@hono/swagger-ui';
import { HTTPException } from 'hono/http-exception';
import { ApiError, describeError, type ErrorBody } from './errors.ts';
import { logger } from './logger.ts';
import type { AppDeps } from './routes/deps.ts';
import { healthRoutes } from './routes/health.ts';
import { noteRoutes } from './routes/notes.ts';
import { searchRoutes } from './routes/search.ts';

/**
 * The HTTP API. Validation failures become 400 with the offending fields named; ApiError carries its own
 * status; anything else is a 500 with an error id that is also logged (never the request body: PHI).
 */
export function createApp(deps: AppDeps & { databaseKind: string }) {
  const app = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (!result.success) {
        const fields = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        return c.json<ErrorBody>(
          { error: { code: 'invalid_request', message: fields.map((f) => `${f.path || '(body)'}: ${f.message}`).join('; '), details: fields } },
          400,
        );
      }
    },
  });

  app.onError((err, c) => {
    if (err instanceof ApiError) {
      return c.json<ErrorBody>({ error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } }, err.status);
    }
    // Hono's own 4xx (e.g. a malformed JSON body from the validator): the message is Hono's, not the request's.
    if (err instanceof HTTPException && err.status < 500) {
      return c.json<ErrorBody>({ error: { code: 'bad_request', message: err.message || 'Bad request' } }, err.status);
    }
    const id = randomUUID();
    logger.error({ errorId: id, method: c.req.method, path: c.req.path, error: describeError(err) }, 'unhandled error');
    return c.json<ErrorBody>({ error: { code: 'internal', message: 'Internal error', id } }, 500);
  });
  app.notFound((c) => c.json<ErrorBody>({ error: { code: 'not_found', message: `No route for ${c.req.method} ${c.req.path}` } }, 404));

  const routes = app.route('/', healthRoutes(deps)).route('/', searchRoutes(deps)).route('/', noteRoutes(deps));

  app.doc31('/api/openapi.json', { openapi: '3.1.0', info: { title: 'medcode API', version: '0.1.0' } });
  app.get('/api/docs', swaggerUI({ url: '/api/openapi.json' }));
  return routes;
}

export type AppType = ReturnType<typeof createApp>;
