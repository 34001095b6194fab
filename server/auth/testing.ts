// Test support: signed-in sessions for route tests (real users, real login, real cookies; no bypass).
import type { Db } from '../db/client.ts';
import { createUser, type PublicUser } from '../db/queries/users.ts';
import type { Role } from '../db/schema/index.ts';
import { hashPassword } from './password.ts';
import { CSRF_HEADER, SESSION_COOKIE } from './middleware.ts';

export const TEST_PASSWORD = 'correct horse battery staple';
/** The origin of app.request()'s default URL (http://localhost/…): what a same-origin browser sends. */
export const TEST_ORIGIN = 'http://localhost';

interface RequestingApp {
  request(input: string, init?: RequestInit): Response | Promise<Response>;
}

export interface TestSession {
  user: PublicUser;
  csrfToken: string;
  /** Cookie, CSRF token and Origin, as a same-origin browser would send them. */
  headers: Record<string, string>;
}

let counter = 0;

/** Creates a user with `role` (a fresh username unless given) and signs in through POST /api/auth/login. */
export async function loginAs(app: RequestingApp, db: Db, role: Role, opts: { username?: string; displayName?: string } = {}): Promise<TestSession> {
  const username = opts.username ?? `${role.replace('_', '-')}-${++counter}`;
  const user = await createUser(db, { username, displayName: opts.displayName ?? `Test ${role} ${counter}`, role, passwordHash: await hashPassword(TEST_PASSWORD) }, null);
  return { user, ...(await signIn(app, username, TEST_PASSWORD)) };
}

/** Signs in an existing user; throws unless the login succeeds. */
export async function signIn(app: RequestingApp, username: string, password: string): Promise<Omit<TestSession, 'user'>> {
  const res = await app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', origin: TEST_ORIGIN }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { csrfToken: string };
  const cookie = sessionCookie(res);
  return { csrfToken: body.csrfToken, headers: { cookie, [CSRF_HEADER]: body.csrfToken, origin: TEST_ORIGIN } };
}

/** "medcode_session=…" from a response's Set-Cookie. */
export function sessionCookie(res: Response): string {
  const set = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!set) throw new Error('no session cookie was set');
  return set.split(';')[0]!;
}

/** The app with `headers` added to every app.request() (the test's own headers win). */
export function withSession<T extends RequestingApp>(app: T, headers: Record<string, string>): T {
  return new Proxy(app, {
    get(target, prop, receiver) {
      if (prop !== 'request') return Reflect.get(target, prop, receiver);
      return (input: string, init: RequestInit = {}) => {
        const merged = new Headers(init.headers);
        for (const [k, v] of Object.entries(headers)) if (!merged.has(k)) merged.set(k, v);
        return target.request(input, { ...init, headers: merged });
      };
    },
  });
}
