import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { queryRows, type Database } from '../db/client.ts';
import { freshDatabase } from '../db/testing.ts';
import { loginAs, TEST_PASSWORD } from './testing.ts';

/** POST /api/auth/login over a socket bound to `localAddress` (127.0.0.0/8 is all loopback on Linux). */
function loginFrom(base: string, localAddress: string, username: string, password: string, headers: Record<string, string> = {}): Promise<number> {
  const body = JSON.stringify({ username, password });
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}/api/auth/login`, { method: 'POST', localAddress, headers: { 'content-type': 'application/json', origin: base, ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('sign-in throttling over real HTTP: per username and client address', () => {
  let database: Database;
  const servers: ServerType[] = [];
  const start = async (env: Record<string, string> = {}) => {
    const app = createApp({ db: database.db, embedder: null, suggester: null, config: loadConfig(env), databaseKind: database.kind });
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((r) => (server.listening ? r() : server.once('listening', () => r())));
    servers.push(server);
    return { app, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  };
  const failures = async (userId: string) =>
    Number((await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from audit_log where action = 'auth.login_failed' and user_id = ${userId}`))[0]!.n);

  beforeAll(async () => {
    database = await freshDatabase('pglite');
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    await database?.close();
  });

  it('a guesser locks out only their own address: the right password from another address still signs in', async () => {
    const { app, base } = await start();
    const { user } = await loginAs(app, database.db, 'coder', { username: 'targeted' });
    for (let i = 0; i < 5; i++) expect(await loginFrom(base, '127.0.0.2', 'targeted', `guess-${i}-password`)).toBe(401);
    expect(await loginFrom(base, '127.0.0.2', 'targeted', TEST_PASSWORD)).toBe(429);
    expect(await loginFrom(base, '127.0.0.3', 'targeted', TEST_PASSWORD)).toBe(200);
    expect(await failures(user.id)).toBe(5); // every failure is audited
  });

  it('behind a trusted proxy the address is the last X-Forwarded-For hop, not one the client wrote', async () => {
    const { app, base } = await start({ TRUST_PROXY: 'true' });
    await loginAs(app, database.db, 'coder', { username: 'proxied' });
    const via = (client: string) => ({ 'x-forwarded-for': `10.9.9.9, ${client}` });
    for (let i = 0; i < 5; i++) expect(await loginFrom(base, '127.0.0.1', 'proxied', `guess-${i}-password`, via('203.0.113.7'))).toBe(401);
    expect(await loginFrom(base, '127.0.0.1', 'proxied', TEST_PASSWORD, via('203.0.113.7'))).toBe(429);
    expect(await loginFrom(base, '127.0.0.1', 'proxied', TEST_PASSWORD, via('198.51.100.4'))).toBe(200);
  });
});
