import { randomUUID } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import { swaggerUI } from '@hono/swagger-ui';
import { HTTPException } from 'hono/http-exception';
import { allow, authenticate, SESSION_COOKIE, type AuthEnv } from './auth/middleware.ts';
import { LoginThrottle } from './auth/rate-limit.ts';
import { securityHeaders } from './auth/secure-headers.ts';
import { SessionCache } from './auth/session-cache.ts';
import { DatasetStoreError } from './db/queries/datasets.ts';
import { ReviewError, StaleVersionError } from './db/queries/reviews.ts';
import { ApiError, describeError, type ErrorBody } from './errors.ts';
import { logger } from './logger.ts';
import { ROLES } from './db/schema/index.ts';
import { auditRoutes } from './routes/audit.ts';
import { authRoutes } from './routes/auth.ts';
import { codeRoutes } from './routes/codes.ts';
import { evaluationRoutes } from './routes/evaluation.ts';
import { modelRoutes } from './routes/models.ts';
import { qaRoutes } from './routes/qa.ts';
import type { AppDeps } from './routes/deps.ts';
import { healthRoutes } from './routes/health.ts';
import { noteRoutes, noteView } from './routes/notes.ts';
import { queryRoutes } from './routes/queries.ts';
import { reviewRoutes } from './routes/reviews.ts';
import { searchRoutes } from './routes/search.ts';
import { userRoutes } from './routes/users.ts';

const REVIEW_ERROR_STATUS = { not_found: 404, invalid: 400, conflict: 409, forbidden: 403 } as const;

/**
 * The HTTP API. Every /api route needs a session (401) and the route's role (403) except sign-in and the
 * OpenAPI document; state-changing requests need the CSRF token. Validation failures become 400 with
 * the offending fields named; ApiError carries its own status; a stale note version is 409 with the note
 * as it is now; anything else is a 500 with an error id that is also logged (never the request body: PHI).
 */
export function createApp(given: AppDeps & { databaseKind: string; loginThrottle?: LoginThrottle }) {
  const deps = { ...given, sessions: given.sessions ?? new SessionCache() };
  const app = new OpenAPIHono<AuthEnv>({
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

  app.onError(async (err, c) => {
    if (err instanceof StaleVersionError) {
      const current = await noteView(deps.db, err.noteId, c.get('auth'), deps.now?.() ?? new Date());
      return c.json<ErrorBody>({ error: { code: 'stale', message: `The note changed (now version ${err.current}); reload and redo the change`, current } }, 409);
    }
    if (err instanceof ReviewError) {
      return c.json<ErrorBody>({ error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } }, REVIEW_ERROR_STATUS[err.kind]);
    }
    if (err instanceof DatasetStoreError) {
      return c.json<ErrorBody>({ error: { code: err.code, message: err.message } }, REVIEW_ERROR_STATUS[err.kind]);
    }
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

  const now = () => deps.now?.() ?? new Date();
  const throttle = deps.loginThrottle ?? new LoginThrottle();
  // Every response, the built web app's files included (serveWebApp adds its handlers after these).
  app.use('*', securityHeaders());
  app.use('/api/*', authenticate({ ...deps, now }));

  const routes = app
    .route('/', healthRoutes(deps))
    .route('/', authRoutes(deps, throttle))
    .route('/', userRoutes(deps))
    .route('/', searchRoutes(deps))
    .route('/', codeRoutes(deps))
    .route('/', noteRoutes(deps))
    .route('/', reviewRoutes(deps))
    .route('/', queryRoutes(deps))
    .route('/', auditRoutes(deps))
    .route('/', evaluationRoutes(deps))
    .route('/', modelRoutes(deps))
    .route('/', qaRoutes(deps));

  app.openAPIRegistry.registerComponent('securitySchemes', 'session', { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE });
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'medcode API', version: '0.1.0', description: 'Sign in with POST /api/auth/login; send the returned csrfToken as x-csrf-token on every POST/PUT/PATCH/DELETE.' },
    security: [{ session: [] }],
  });
  app.get('/api/docs', allow(...ROLES), swaggerUI({ url: '/api/openapi.json' }));
  return routes;
}

export type AppType = ReturnType<typeof createApp>;
