import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { deleteCookie, setCookie } from 'hono/cookie';
import { allow, secureCookie, sessionPolicy, SESSION_COOKIE, type AuthEnv } from '../auth/middleware.ts';
import { dummyPasswordHash, verifyPassword } from '../auth/password.ts';
import { clientAddress } from '../auth/client-address.ts';
import type { LoginThrottle } from '../auth/rate-limit.ts';
import { appendAudit } from '../db/queries/audit.ts';
import { createSession, deleteSession, findUserForLogin } from '../db/queries/users.ts';
import { ROLES } from '../db/schema/index.ts';
import { ApiError } from '../errors.ts';
import type { AppDeps } from './deps.ts';
import { errors } from './schemas.ts';


export const SessionUserSchema = z
  .object({ id: z.string(), username: z.string(), displayName: z.string(), role: z.enum(ROLES) })
  .openapi('SessionUser');
const SessionSchema = z
  .object({ user: SessionUserSchema, csrfToken: z.string().describe('Send as the x-csrf-token header on every POST/PUT/PATCH/DELETE'), expiresAt: z.string() })
  .openapi('Session');

const login = createRoute({
  method: 'post',
  path: '/api/auth/login',
  summary: 'Sign in: sets the HTTP-only session cookie and returns the CSRF token',
  request: {
    body: {
      required: true,
      content: { 'application/json': { schema: z.object({ username: z.string().trim().toLowerCase().min(1).max(64), password: z.string().min(1).max(1024) }) } },
    },
  },
  responses: {
    200: { description: 'Signed in', content: { 'application/json': { schema: SessionSchema } } },
    401: errors('Unknown user, wrong password or deactivated user (one message for all three)'),
    429: errors('Too many failed sign-ins for this username from this address (5 in a row; the lockout doubles each time, from 60 s), or from this address overall; see Retry-After'),
  },
});

const logout = createRoute({
  method: 'post',
  path: '/api/auth/logout',
  summary: 'Sign out (ends the session)',
  middleware: allow(...ROLES),
  responses: { 200: { description: 'Signed out', content: { 'application/json': { schema: z.object({ ok: z.literal(true) }) } } }, 401: errors('No session') },
});

const me = createRoute({
  method: 'get',
  path: '/api/auth/me',
  summary: 'The signed-in user and the session CSRF token',
  middleware: allow(...ROLES),
  responses: { 200: { description: 'The session', content: { 'application/json': { schema: SessionSchema } } }, 401: errors('No session') },
});

export function authRoutes(deps: AppDeps, throttle: LoginThrottle) {
  const policy = sessionPolicy(deps.config);
  return new OpenAPIHono<AuthEnv>()
    .openapi(login, async (c) => {
      const { username, password } = c.req.valid('json');
      const address = clientAddress(c, deps.config.TRUST_PROXY);
      const wait = await throttle.retryAfterMs(username, address);
      if (wait > 0) {
        c.header('Retry-After', String(Math.ceil(wait / 1000)));
        throw new ApiError(429, 'too_many_attempts', `Too many failed sign-ins from here; try again in ${Math.ceil(wait / 1000)} s`);
      }
      const user = await findUserForLogin(deps.db, username);
      // Verify even for an unknown user, so the answer takes as long either way (no username probing by timing).
      const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
      if (!user || !ok || !user.active) {
        await throttle.recordFailure(username, address);
        // An unknown name is not recorded: people type their password into the username field.
        await appendAudit(deps.db, { userId: user?.id ?? null, action: 'auth.login_failed', entity: 'user', entityId: user?.id ?? 'unknown' });
        throw new ApiError(401, 'invalid_credentials', 'Wrong username or password');
      }
      await throttle.recordSuccess(username, address);
      const session = await createSession(deps.db, user.id, policy, deps.now?.());
      await appendAudit(deps.db, { userId: user.id, action: 'auth.login', entity: 'user', entityId: user.id });
      setCookie(c, SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: 'Lax',
        secure: secureCookie(deps.config, c),
        path: '/',
        maxAge: Math.floor(policy.maxMs / 1000),
      });
      const { id, displayName, role } = user;
      return c.json({ user: { id, username: user.username, displayName, role }, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() }, 200);
    })
    .openapi(logout, async (c) => {
      const auth = c.get('auth');
      await deleteSession(deps.db, auth.sessionId);
      deps.sessions?.evictSession(auth.sessionId);
      await appendAudit(deps.db, { userId: auth.user.id, action: 'auth.logout', entity: 'user', entityId: auth.user.id });
      deleteCookie(c, SESSION_COOKIE, { path: '/', secure: secureCookie(deps.config, c) });
      return c.json({ ok: true as const }, 200);
    })
    .openapi(me, async (c) => {
      const auth = c.get('auth');
      return c.json({ user: auth.user, csrfToken: auth.csrfToken, expiresAt: auth.expiresAt.toISOString() }, 200);
    });
}
