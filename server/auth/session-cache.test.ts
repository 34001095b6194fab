import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import type { Database } from '../db/client.ts';
import { updateUser } from '../db/queries/users.ts';
import { freshDatabase } from '../db/testing.ts';
import { CSRF_HEADER } from './middleware.ts';
import { SESSION_CACHE_TTL_MS } from './session-cache.ts';
import { loginAs, type TestSession } from './testing.ts';

/**
 * Two API servers on one database, each with its own session cache (as two processes behind a proxy):
 * a session ended on one is refused there at once, and on the other within SESSION_CACHE_TTL_MS.
 */
describe('over real HTTP: cached sessions honour revocation within a second', () => {
  let database: Database;
  const servers: ServerType[] = [];
  let a: string;
  let b: string;
  let appA: Awaited<ReturnType<typeof listen>>['app'];

  const listen = async () => {
    const app = createApp({ db: database.db, embedder: null, suggester: null, config: loadConfig({}), databaseKind: database.kind });
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((r) => (server.listening ? r() : server.once('listening', () => r())));
    servers.push(server);
    return { app, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  };
  // The same cookie on either server: the test session was made through app.request (origin http://localhost).
  const me = (base: string, s: TestSession) => fetch(`${base}/api/auth/me`, { headers: { cookie: s.headers.cookie! } }).then((r) => r.status);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const warm = async (s: TestSession) => {
    for (const base of [a, b]) for (let i = 0; i < 3; i++) expect(await me(base, s)).toBe(200);
  };

  beforeAll(async () => {
    database = await freshDatabase('pglite');
    const first = await listen();
    a = first.base;
    appA = first.app;
    b = (await listen()).base;
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    await database?.close();
  });

  it('a user deactivated through one server gets 401 there at once and on the other within a second', async () => {
    const admin = await loginAs(appA, database.db, 'admin');
    const coder = await loginAs(appA, database.db, 'coder');
    await warm(coder);
    const res = await fetch(`${a}/api/users/${coder.user.id}`, {
      method: 'PATCH',
      headers: { cookie: admin.headers.cookie!, [CSRF_HEADER]: admin.csrfToken, origin: a, 'content-type': 'application/json' },
      body: JSON.stringify({ active: false }),
    });
    expect(res.status).toBe(200);
    const deactivated = performance.now();
    expect(await me(a, coder)).toBe(401);
    await sleep(Math.max(0, SESSION_CACHE_TTL_MS - (performance.now() - deactivated)));
    expect(await me(b, coder)).toBe(401);
  });

  it('a session ended by logout on one server, or a user deactivated straight in the database, is refused everywhere within a second', async () => {
    const leaving = await loginAs(appA, database.db, 'coder');
    await warm(leaving);
    const out = await fetch(`${a}/api/auth/logout`, { method: 'POST', headers: { cookie: leaving.headers.cookie!, [CSRF_HEADER]: leaving.csrfToken, origin: a } });
    expect(out.status).toBe(200);
    expect(await me(a, leaving)).toBe(401);
    await sleep(SESSION_CACHE_TTL_MS);
    expect(await me(b, leaving)).toBe(401);

    // Neither server hears of a change made straight in the database: the time-to-live alone bounds it.
    const other = await loginAs(appA, database.db, 'qa_lead');
    await warm(other);
    await updateUser(database.db, other.user.id, { active: false }, null);
    await sleep(SESSION_CACHE_TTL_MS);
    expect(await me(a, other)).toBe(401);
    expect(await me(b, other)).toBe(401);
  });
});
