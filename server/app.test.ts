import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { loginAs, withSession } from './auth/testing.ts';
import { loadConfig } from './config.ts';
import type { Database } from './db/client.ts';
import { fullDatabase } from './db/full-database.ts';
import type { Embedder } from './index/embedder.ts';

describe('HTTP API: health, search, OpenAPI', () => {
  let database: Database;
  let embedder: Embedder;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    ({ database, embedder } = await fullDatabase());
    app = createApp({ db: database.db, embedder, suggester: null, config: loadConfig({}), databaseKind: database.kind });
    app = withSession(app, (await loginAs(app, database.db, 'physician')).headers);
  });
  afterAll(async () => database?.close());

  it('reports health with the loaded code sets and the model', async () => {
    const res = await app.request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', database: 'pglite', codeSets: 3, embeddingModel: embedder.modelId });
  });

  it('searches codes', async () => {
    const res = await app.request('/api/search?q=essential%20hypertension&k=3&systems=ICD10CM');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { hits: { code: string; matchedText: string; lexicalRank: number | null }[] };
    expect(body.hits).toHaveLength(3);
    expect(body.hits[0]).toMatchObject({ code: 'I10', matchedText: 'Essential (primary) hypertension', lexicalRank: 1 });
  });

  it('answers 400 with a JSON body naming the field for an empty query, a bad k or an unknown system', async () => {
    for (const [url, field] of [
      ['/api/search?q=%20%20', 'q'],
      ['/api/search?q=x&k=1000', 'k'],
      ['/api/search?q=x&systems=ICD9', 'systems'],
      ['/api/search', 'q'],
    ] as const) {
      const res = await app.request(url);
      expect(res.status, url).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string; details: { path: string }[] } };
      expect(body.error.code).toBe('invalid_request');
      expect(body.error.details.map((d) => d.path.split('.')[0])).toContain(field);
    }
  });

  it('answers 400 for an over-long query', async () => {
    const res = await app.request(`/api/search?q=${'x'.repeat(501)}`);
    expect(res.status).toBe(400);
  });

  it('publishes an OpenAPI document and JSON 404s', async () => {
    const doc = (await (await app.request('/api/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health', '/api/search']));
    const missing = await app.request('/api/nothing-here');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
