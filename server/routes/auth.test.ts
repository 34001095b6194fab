import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../app.ts';
import { CSRF_HEADER } from '../auth/middleware.ts';
import { loginAs, sessionCookie, signIn, TEST_ORIGIN, TEST_PASSWORD, withSession } from '../auth/testing.ts';
import { loadConfig } from '../config.ts';
import { queryRows, type Database } from '../db/client.ts';
import { freshDatabase } from '../db/testing.ts';

type App = ReturnType<typeof createApp>;

describe('sign-in, sessions and CSRF', () => {
  let database: Database;
  let app: App;
  let clock = Date.parse('2025-11-04T09:00:00Z');
  const config = loadConfig({ SESSION_IDLE_MINUTES: '480', SESSION_MAX_HOURS: '24' });
  const count = async (table: string) => Number((await queryRows<{ n: number }>(database.db, sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n);
  const login = (username: string, password: string) =>
    app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', origin: TEST_ORIGIN }, body: JSON.stringify({ username, password }) });

  beforeAll(async () => {
    database = await freshDatabase('pglite');
    app = createApp({ db: database.db, embedder: null, suggester: null, config, databaseKind: database.kind, now: () => new Date(clock) });
  });
  afterAll(async () => database?.close());

  it('signs in with an HTTP-only SameSite=Lax cookie, returns the CSRF token and never the password or its hash', async () => {
    const { user } = await loginAs(app, database.db, 'coder', { username: 'casey' });
    const res = await login('Casey', TEST_PASSWORD);
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('medcode_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    const body = await res.text();
    expect(body).not.toContain(TEST_PASSWORD);
    expect(body).not.toMatch(/scrypt|passwordHash/);
    const session = JSON.parse(body) as { user: { id: string; role: string }; csrfToken: string };
    expect(session.user).toEqual({ id: user.id, username: 'casey', displayName: user.displayName, role: 'coder' });
    // Only the token's hash is stored.
    const token = cookie.split(';')[0]!.split('=')[1]!;
    expect(await queryRows(database.db, sql`select 1 from sessions where id = ${token}`)).toEqual([]);

    const me = await app.request('/api/auth/me', { headers: { cookie: sessionCookie(res) } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ user: { username: 'casey' }, csrfToken: session.csrfToken });
  });

  it('sets Secure on the cookie behind an https PUBLIC_ORIGIN', async () => {
    const secure = createApp({ db: database.db, embedder: null, suggester: null, config: loadConfig({ PUBLIC_ORIGIN: 'https://medcode.example.org' }), databaseKind: database.kind });
    await loginAs(app, database.db, 'coder', { username: 'secure-user' });
    const res = await secure.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://medcode.example.org' }, body: JSON.stringify({ username: 'secure-user', password: TEST_PASSWORD }) });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie().join()).toMatch(/Secure/);
  });

  it('answers 401 with one message for an unknown user and a wrong password, and audits the failures', async () => {
    const before = await count("audit_log where action = 'auth.login_failed'");
    const unknown = await login('nobody', 'whatever-password');
    const wrong = await login('casey', 'wrong password!!');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toBe(((await wrong.json()) as { error: { message: string } }).error.message);
    expect(await count("audit_log where action = 'auth.login_failed'")).toBe(before + 2);
  });

  it('locks a username out from one client after 5 failures — even with the right password — for 60 s, then 120 s', async () => {
    // The throttle keeps time with Date (rate-limiter-flexible); only Date is faked, timers stay real.
    vi.useFakeTimers({ toFake: ['Date'], now: clock });
    try {
      await loginAs(app, database.db, 'coder', { username: 'limited' });
      const lockOut = async () => {
        for (let i = 0; i < 5; i++) expect((await login('limited', `wrong-${i}-password`)).status).toBe(401);
      };
      await lockOut();
      const limited = await login('limited', TEST_PASSWORD);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBe(60);
      expect((await login('casey', TEST_PASSWORD)).status).toBe(200); // per username, not global
      vi.advanceTimersByTime(61_000);
      await lockOut(); // the failures after a lockout ended: the next one lasts twice as long
      vi.advanceTimersByTime(61_000);
      expect((await login('limited', TEST_PASSWORD)).status).toBe(429);
      vi.advanceTimersByTime(60_000);
      expect((await login('limited', TEST_PASSWORD)).status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
  });

  it('expires a session after the idle timeout, and after the absolute lifetime even when active', async () => {
    const s = await loginAs(app, database.db, 'coder');
    const me = () => app.request('/api/auth/me', { headers: s.headers });
    clock += 7 * 3_600_000;
    expect((await me()).status).toBe(200);
    clock += 8 * 3_600_000 + 60_000; // idle for over 8 h
    expect((await me()).status).toBe(401);

    const active = await loginAs(app, database.db, 'coder');
    for (let h = 0; h < 23; h++) {
      clock += 3_600_000;
      expect((await app.request('/api/auth/me', { headers: active.headers })).status).toBe(200);
    }
    clock += 3_600_000 + 1_000; // 24 h after sign-in
    expect((await app.request('/api/auth/me', { headers: active.headers })).status).toBe(401);
  });

  it('logs out: the session ends and the cookie is cleared', async () => {
    const s = await loginAs(app, database.db, 'physician');
    const out = await app.request('/api/auth/logout', { method: 'POST', headers: s.headers });
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie().join()).toMatch(/medcode_session=;/);
    expect((await app.request('/api/auth/me', { headers: s.headers })).status).toBe(401);
    expect(await count(`audit_log where action = 'auth.logout' and user_id = '${s.user.id}'`)).toBe(1);
  });

  it('refuses a state-changing request without the CSRF token (403) and writes nothing', async () => {
    const s = await loginAs(app, database.db, 'coder');
    const notes = await count('notes');
    const body = JSON.stringify({ text: 'Essential hypertension.', encounter: { setting: 'outpatient', dateOfService: '2025-03-14' } });
    const { [CSRF_HEADER]: _omit, ...withoutToken } = s.headers;
    const missing = await app.request('/api/notes', { method: 'POST', headers: { ...withoutToken, 'content-type': 'application/json' }, body });
    expect(missing.status).toBe(403);
    expect(await missing.json()).toMatchObject({ error: { code: 'csrf' } });
    const wrong = await app.request('/api/notes', { method: 'POST', headers: { ...s.headers, [CSRF_HEADER]: 'x'.repeat(43), 'content-type': 'application/json' }, body });
    expect(wrong.status).toBe(403);
    // Another session's token is not this session's token.
    const other = await loginAs(app, database.db, 'coder');
    expect((await app.request('/api/notes', { method: 'POST', headers: { ...s.headers, [CSRF_HEADER]: other.csrfToken, 'content-type': 'application/json' }, body })).status).toBe(403);
    // A cross-site form post is refused by the Origin check.
    const form = await app.request('/api/auth/logout', { method: 'POST', headers: { ...s.headers, origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' });
    expect(form.status).toBe(403);
    expect(await form.json()).toMatchObject({ error: { code: 'csrf' } });
    expect(await count('notes')).toBe(notes);
    expect((await app.request('/api/notes', { method: 'POST', headers: { ...s.headers, 'content-type': 'application/json' }, body })).status).toBe(201);
  });

  it('answers 401 on every /api route without a session, except sign-in and the OpenAPI document', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const routes: [string, string][] = [
      ['GET', '/api/auth/me'],
      ['POST', '/api/auth/logout'],
      ['GET', '/api/users'],
      ['POST', '/api/users'],
      ['PATCH', `/api/users/${id}`],
      ['GET', '/api/physicians'],
      ['GET', '/api/search?q=x'],
      ['GET', '/api/notes'],
      ['POST', '/api/notes'],
      ['GET', `/api/notes/${id}`],
      ['POST', `/api/notes/${id}/suggest`],
      ['POST', `/api/notes/${id}/claim`],
      ['POST', `/api/notes/${id}/release`],
      ['POST', `/api/notes/${id}/decisions`],
      ['PUT', `/api/notes/${id}/sequence`],
      ['POST', `/api/notes/${id}/finalize`],
      ['POST', `/api/notes/${id}/reopen`],
      ['POST', `/api/notes/${id}/queries`],
      ['GET', '/api/queries'],
      ['GET', `/api/queries/${id}`],
      ['POST', '/api/queries/check'],
      ['GET', '/api/query-templates'],
      ['POST', `/api/queries/${id}/answer`],
      ['POST', `/api/queries/${id}/withdraw`],
      ['POST', `/api/queries/${id}/close`],
      ['GET', '/api/audit'],
      ['GET', '/api/docs'],
      ['GET', '/api/no-such-route'],
    ];
    for (const [method, path] of routes) {
      const res = await app.request(path, { method, headers: { 'content-type': 'application/json', origin: TEST_ORIGIN }, ...(method === 'GET' ? {} : { body: '{}' }) });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
    expect((await app.request('/api/openapi.json')).status).toBe(200);
    expect((await app.request('/health')).status).toBe(200);
    const doc = (await (await app.request('/api/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/notes/{id}/decisions', '/api/queries/{id}/answer', '/api/users/{id}']));
  });
});

describe('user management (admins only)', () => {
  let database: Database;
  let app: App;
  let admin: App;
  let adminId: string;
  const count = async (table: string) => Number((await queryRows<{ n: number }>(database.db, sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n);

  beforeAll(async () => {
    database = await freshDatabase('pglite');
    app = createApp({ db: database.db, embedder: null, suggester: null, config: loadConfig({}), databaseKind: database.kind });
    const s = await loginAs(app, database.db, 'admin', { username: 'root-admin' });
    adminId = s.user.id;
    admin = withSession(app, s.headers);
  });
  afterAll(async () => database?.close());

  it('refuses every other role (403) and writes nothing', async () => {
    for (const role of ['coder', 'physician', 'qa_lead'] as const) {
      const s = await loginAs(app, database.db, role);
      const users = await count('users');
      const audit = await count('audit_log');
      const h = { ...s.headers, 'content-type': 'application/json' };
      expect((await app.request('/api/users', { headers: h })).status, role).toBe(403);
      expect((await app.request('/api/users', { method: 'POST', headers: h, body: JSON.stringify({ username: `x-${role}`, role: 'admin' }) })).status, role).toBe(403);
      expect((await app.request(`/api/users/${s.user.id}`, { method: 'PATCH', headers: h, body: JSON.stringify({ role: 'admin' }) })).status, role).toBe(403);
      expect(await count('users')).toBe(users);
      expect(await count('audit_log')).toBe(audit);
      expect(await count(`users where id = '${s.user.id}' and role = '${role}'`)).toBe(1);
    }
  });

  it('creates a user with a generated password shown once, who can then sign in; a taken username is 409', async () => {
    const res = await admin.request('/api/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'New.Coder', displayName: 'New Coder', role: 'coder' }) });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { user: { id: string; username: string; role: string }; generatedPassword: string };
    expect(body.user).toMatchObject({ username: 'new.coder', role: 'coder' });
    expect(body.user).not.toHaveProperty('passwordHash');
    await signIn(app, 'new.coder', body.generatedPassword);
    const dup = await admin.request('/api/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'new.coder', role: 'coder', password: 'another long password' }) });
    expect(dup.status).toBe(409);
    expect((await admin.request('/api/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'short', role: 'coder', password: 'short' }) })).status).toBe(400);
    const list = await (await admin.request('/api/users')).text();
    expect(list).toContain('new.coder');
    expect(list).not.toMatch(/scrypt|passwordHash/);
    expect(await count(`audit_log where action = 'user.create' and entity_id = '${body.user.id}' and user_id = '${adminId}'`)).toBe(1);
  });

  it('deactivating a user or changing their role ends their sessions; the change is audited', async () => {
    const s = await loginAs(app, database.db, 'coder');
    expect((await app.request('/api/auth/me', { headers: s.headers })).status).toBe(200);
    const res = await admin.request(`/api/users/${s.user.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ active: false }) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: { active: boolean } }).user.active).toBe(false);
    expect((await app.request('/api/auth/me', { headers: s.headers })).status).toBe(401);
    await expect(signIn(app, s.user.username, TEST_PASSWORD)).rejects.toThrow(/401/);
    const [row] = await queryRows<{ before: { active: boolean }; after: { active: boolean } }>(database.db, sql`select before, after from audit_log where action = 'user.update' and entity_id = ${s.user.id}`);
    expect(row).toMatchObject({ before: { active: true }, after: { active: false } });
  });

  it('resets a password to a generated one (shown once), renames; the old password no longer signs in', async () => {
    const s = await loginAs(app, database.db, 'coder');
    const both = await admin.request(`/api/users/${s.user.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: 'a long enough password', generatePassword: true }) });
    expect(both.status).toBe(400);
    const res = await admin.request(`/api/users/${s.user.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ generatePassword: true, displayName: 'Renamed Coder, CCS' }) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { user: { displayName: string }; generatedPassword: string };
    expect(body.user.displayName).toBe('Renamed Coder, CCS');
    expect(body.generatedPassword.length).toBeGreaterThanOrEqual(12);
    expect((await app.request('/api/auth/me', { headers: s.headers })).status).toBe(401);
    await expect(signIn(app, s.user.username, TEST_PASSWORD)).rejects.toThrow(/401/);
    await signIn(app, s.user.username, body.generatedPassword);
  });

  it('will not remove the last active admin', async () => {
    const res = await admin.request(`/api/users/${adminId}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'coder' }) });
    expect(res.status).toBe(409);
    expect(await count(`users where id = '${adminId}' and role = 'admin'`)).toBe(1);
  });

  it('lists active physicians for coders (the query addressees), not for physicians', async () => {
    const doc = await loginAs(app, database.db, 'physician', { displayName: 'Dr. Test' });
    const coder = await loginAs(app, database.db, 'coder');
    const res = await app.request('/api/physicians', { headers: coder.headers });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { physicians: { id: string }[] }).physicians.map((p) => p.id)).toContain(doc.user.id);
    expect((await app.request('/api/physicians', { headers: doc.headers })).status).toBe(403);
  });
});
