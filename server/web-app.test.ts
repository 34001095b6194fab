import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { serveWebApp } from './web-app.ts';

describe('serveWebApp', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'medcode-web-'));
  fs.mkdirSync(path.join(root, 'assets'));
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>medcode</title>');
  fs.writeFileSync(path.join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  const api = new Hono();
  api.get('/api/ping', (c) => c.json({ ok: true }));
  api.notFound((c) => c.json({ error: { code: 'not_found' } }, 404));
  const app = serveWebApp(api, root);
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('serves built files, hashed assets cached for good', async () => {
    const res = await app.request('/assets/index-abc.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect(await res.text()).toBe('console.log(1)');
  });

  it('answers index.html for client-side routes (a reload of /notes/<id>)', async () => {
    const res = await app.request('/notes/0b7c6f1e-2d1a-4a59-9d1e-5b0f1f3f1a2b');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.text()).toContain('<title>medcode</title>');
  });

  it('leaves /api alone: its routes answer, unknown ones stay JSON 404s', async () => {
    expect(await (await app.request('/api/ping')).json()).toEqual({ ok: true });
    const missing = await app.request('/api/nope');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'not_found' } });
  });

  it('does not serve files outside the root', async () => {
    const res = await app.request('/../package.json');
    expect(await res.text()).not.toContain('"name"');
  });
});
