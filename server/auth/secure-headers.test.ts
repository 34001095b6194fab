import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import type { Database } from '../db/client.ts';
import { freshDatabase } from '../db/testing.ts';
import { serveWebApp } from '../web-app.ts';
import { CSRF_HEADER } from './middleware.ts';
import { loginAs, sessionCookie, TEST_PASSWORD } from './testing.ts';

async function listen(fetch: (req: Request) => Response | Promise<Response>): Promise<{ server: ServerType; base: string }> {
  const server = serve({ fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((r) => (server.listening ? r() : server.once('listening', () => r())));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('over real HTTP: security headers and the Origin check', () => {
  let database: Database;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'medcode-web-'));
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>medcode</title>');
  const servers: ServerType[] = [];
  const start = async (config = loadConfig({})) => {
    const app = serveWebApp(createApp({ db: database.db, embedder: null, suggester: null, config, databaseKind: database.kind }), root);
    const { server, base } = await listen(app.fetch);
    servers.push(server);
    return { app, base };
  };

  beforeAll(async () => {
    database = await freshDatabase('pglite');
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    fs.rmSync(root, { recursive: true, force: true });
    await database?.close();
  });

  it('sends the CSP, frame, nosniff and referrer headers on API answers, errors and web app pages', async () => {
    const { base } = await start();
    for (const url of ['/health', '/api/auth/me', '/api/no-such-route', '/', '/notes/123']) {
      const res = await fetch(base + url);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, url).toMatch(/script-src 'self'\s*;/);
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).toContain("default-src 'self'");
      expect(res.headers.get('x-content-type-options'), url).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), url).toBe('DENY');
      expect(res.headers.get('referrer-policy'), url).toBe('no-referrer');
    }
  });

  it('refuses a JSON request with a foreign Origin and a valid CSRF token (403), and accepts our own', async () => {
    const { app, base } = await start();
    const s = await loginAs(app, database.db, 'coder');
    const body = JSON.stringify({ text: 'Essential hypertension.', encounter: { setting: 'outpatient', dateOfService: '2025-03-14' } });
    const post = (headers: Record<string, string>) =>
      fetch(`${base}/api/notes`, { method: 'POST', headers: { cookie: s.headers.cookie!, [CSRF_HEADER]: s.csrfToken, 'content-type': 'application/json', ...headers }, body });
    const evil = await post({ origin: 'http://evil.example' });
    expect(evil.status).toBe(403);
    expect(await evil.json()).toMatchObject({ error: { code: 'csrf' } });
    expect((await post({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await post({ origin: base })).status).toBe(201);
    // A non-browser client (no Origin, no Sec-Fetch-Site) still needs the session and its CSRF token.
    expect((await post({})).status).toBe(201);
  });

  it('behind PUBLIC_ORIGIN only that origin passes, not the address the server was reached at', async () => {
    const { app, base } = await start(loadConfig({ PUBLIC_ORIGIN: 'https://medcode.example.org/' }));
    const { user } = await loginAs(app, database.db, 'coder', { username: 'behind-proxy' }).catch(() => ({ user: null }));
    expect(user).toBeNull(); // signing in from the address the server was reached at is refused too
    const signIn = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://medcode.example.org' },
      body: JSON.stringify({ username: 'behind-proxy', password: TEST_PASSWORD }),
    });
    expect(signIn.status).toBe(200);
    const s = { cookie: sessionCookie(signIn), [CSRF_HEADER]: ((await signIn.json()) as { csrfToken: string }).csrfToken };
    const logout = (origin: string) => fetch(`${base}/api/auth/logout`, { method: 'POST', headers: { ...s, origin } });
    expect((await logout(base)).status).toBe(403);
    expect((await logout('https://medcode.example.org')).status).toBe(200);
  });
});
