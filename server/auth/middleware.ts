import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { findSession, sessionIdOf, type SessionPolicy, type SessionUser } from '../db/queries/users.ts';
import type { Role } from '../db/schema/index.ts';
import { ApiError } from '../errors.ts';
import type { SessionCache } from './session-cache.ts';

/** Hono environment of every /api route: the signed-in session, set by `authenticate`. */
export type AuthEnv = { Variables: { auth: SessionUser } };

export const SESSION_COOKIE = 'medcode_session';
export const CSRF_HEADER = 'x-csrf-token';

/** Routes reachable without a session (besides /health, which is outside /api). */
const PUBLIC_PATHS = new Set(['/api/auth/login', '/api/openapi.json']);
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function sessionPolicy(config: Config): SessionPolicy {
  return { idleMs: config.SESSION_IDLE_MINUTES * 60_000, maxMs: config.SESSION_MAX_HOURS * 3_600_000 };
}

/** Whether the session cookie gets `Secure`: forced by COOKIE_SECURE, else when the site is served over https. */
export function secureCookie(config: Config, c: Context): boolean {
  if (config.COOKIE_SECURE !== 'auto') return config.COOKIE_SECURE === 'true';
  return config.PUBLIC_ORIGIN?.startsWith('https:') === true || new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
}

/**
 * Every /api request: (1) state-changing requests must come from our own origin — PUBLIC_ORIGIN, else the
 * request's own — whatever their content type: a browser's Origin or Sec-Fetch-Site, when sent, must say
 * so, and the content types a cross-site form can send need one of them (hono/csrf); (2) a live session is required
 * (401) except on PUBLIC_PATHS; (3) state-changing requests must echo the session's CSRF token in
 * `x-csrf-token` (403) — a header a cross-site page cannot set without a CORS preflight we never grant.
 */
export function authenticate(deps: { db: Db; config: Config; sessions: SessionCache; now?: () => Date }): MiddlewareHandler<AuthEnv> {
  const publicOrigin = deps.config.PUBLIC_ORIGIN ? new URL(deps.config.PUBLIC_ORIGIN).origin : undefined;
  const ownOrigin = (origin: string, c: Context) => origin === (publicOrigin ?? new URL(c.req.url).origin);
  // hono/csrf only looks at form-like content types; a JSON request with a foreign Origin is refused below.
  const formOriginCheck = csrf({ origin: ownOrigin });
  const policy = sessionPolicy(deps.config);
  // A session read within the last second is taken from the cache (server/auth/session-cache.ts).
  const liveSession = async (token: string): Promise<SessionUser | undefined> => {
    const now = deps.now?.() ?? new Date();
    const cached = deps.sessions.get(sessionIdOf(token), now, policy.idleMs);
    if (cached) return cached;
    const found = await findSession(deps.db, token, policy, now);
    if (!found) return undefined;
    const { lastSeen, ...session } = found;
    deps.sessions.set(session, lastSeen);
    return session;
  };
  return async (c, next) => {
    const unsafe = UNSAFE.has(c.req.method);
    if (unsafe) {
      const origin = c.req.header('origin');
      const site = c.req.header('sec-fetch-site');
      if ((origin !== undefined && !ownOrigin(origin, c)) || (origin === undefined && site !== undefined && site !== 'same-origin')) {
        throw new ApiError(403, 'csrf', 'Cross-site request refused');
      }
      try {
        await formOriginCheck(c, async () => {});
      } catch (err) {
        if (err instanceof HTTPException && err.status === 403) throw new ApiError(403, 'csrf', 'Cross-site request refused');
        throw err;
      }
    }
    if (PUBLIC_PATHS.has(c.req.path)) return next();
    const token = getCookie(c, SESSION_COOKIE);
    const session = token ? await liveSession(token) : undefined;
    if (!session) throw new ApiError(401, 'unauthenticated', 'Sign in first (no session, or it has expired)');
    if (unsafe && !sameToken(c.req.header(CSRF_HEADER), session.csrfToken)) {
      throw new ApiError(403, 'csrf', `Missing or wrong ${CSRF_HEADER} header`);
    }
    c.set('auth', session);
    return next();
  };
}

/** Route middleware: only these roles pass (403 otherwise). Runs before body validation, so a refused request reads nothing. */
export function allow(...roles: Role[]): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const auth = c.get('auth');
    if (!auth) throw new ApiError(401, 'unauthenticated', 'Sign in first');
    if (!roles.includes(auth.user.role)) throw new ApiError(403, 'forbidden', `This needs the role ${roles.join(' or ')}`);
    return next();
  };
}

function sameToken(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
