import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { loginAs } from '../auth/testing.ts';
import { loadCodeSets } from '../codes/load.ts';
import { loadConfig } from '../config.ts';
import { queryRows, type Database } from '../db/client.ts';
import { defaultEmbedder } from '../db/full-database.ts';
import { DRIVERS, freshDatabase } from '../db/testing.ts';
import type { Embedder } from './embedder.ts';
import { startIndexBuild, type IndexBuilder } from './index-builder.ts';

/** One order-file line: order 1-5, code 7-13, flag 15, short description 17-76, long from 78. */
const line = (order: number, code: string, desc: string) => `${String(order).padStart(5, '0')} ${code.padEnd(7)} 1 ${desc.padEnd(60).slice(0, 60)} ${desc}`;
const OPERATIONS = ['Resection', 'Excision', 'Drainage', 'Inspection', 'Repair', 'Replacement', 'Supplement', 'Dilation', 'Occlusion', 'Extirpation'];
const BODY_PARTS = ['Appendix', 'Stomach', 'Esophagus', 'Duodenum', 'Jejunum', 'Ileum', 'Cecum', 'Liver', 'Pancreas', 'Gallbladder'];
const APPROACHES = ['Open Approach', 'Percutaneous Approach', 'Percutaneous Endoscopic Approach', 'Via Natural or Artificial Opening'];
/** 400 distinct titles; none has the word "removal", so a search for it finds nothing lexical. */
const ORDER_FILE = OPERATIONS.flatMap((op) => BODY_PARTS.flatMap((part) => APPROACHES.map((ap) => `${op} of ${part}, ${ap}`)))
  .map((desc, i) => line(i + 1, `0D${String(i).padStart(5, '0')}`, desc))
  .join('\n');

interface SearchBody {
  hits: { code: string; vectorRank: number | null }[];
  vectorIndex: string | null;
}

describe.each(DRIVERS)('the vector index built while the server answers (%s)', (driver) => {
  let database: Database;
  let embedder: Embedder;
  let dir: string;
  let builder: IndexBuilder;
  let server: ServerType;
  let base: string;
  let cookie: string;
  /** Distinct index texts of the release other than short titles: what the build embeds. */
  let texts = 0;
  // Over a real socket: PGlite runs each statement synchronously, so a build that never returned to the event
  // loop would keep the server from even accepting these (app.request would not show that).
  const health = async () => (await (await fetch(`${base}/health`)).json()) as { vectorIndex: { state: string; done: number; total: number } };
  const search = async (q: string) => {
    const res = await fetch(`${base}/api/search?${new URLSearchParams({ q })}`, { headers: { cookie } });
    expect(res.status).toBe(200);
    return (await res.json()) as SearchBody;
  };

  beforeAll(async () => {
    database = await freshDatabase(driver);
    embedder = await defaultEmbedder();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medcode-index-build-'));
    fs.writeFileSync(path.join(dir, 'order.txt'), ORDER_FILE);
    await loadCodeSets(database.db, dir, [{ system: 'ICD10PCS', version: 'FY2026', effectiveFrom: '2025-10-01', effectiveTo: '2026-09-30', files: { order: 'order.txt' } }]);
    texts = Number((await queryRows<{ n: number }>(database.db, sql`select count(distinct text_hash)::int as n from code_terms where kind <> 'short_title'`))[0]!.n);
    expect(texts).toBe(400);
    const app = createApp({ db: database.db, embedder, suggester: null, config: loadConfig({}), databaseKind: database.kind, vectorIndex: () => builder.status() });
    cookie = (await loginAs(app, database.db, 'coder')).headers.cookie!;
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((r) => (server.listening ? r() : server.once('listening', () => r())));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 120_000);
  afterAll(async () => {
    server?.close();
    await database?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers /health and the code search while the build runs (one row a statement here), then reports it ready and finds by meaning', async () => {
    let latest = 0;
    let asked: Promise<{ atDone: number; health: Awaited<ReturnType<typeof health>>; search: SearchBody }> | undefined;
    builder = startIndexBuild(database.db, embedder, {
      chunkSize: 1,
      onProgress: (done) => {
        latest = done;
        // Asked after the first row is in: answered a few rows later, not after all of them.
        if (done >= 1 && !asked) asked = Promise.all([health(), search('removal')]).then(([h, s]) => ({ atDone: latest, health: h, search: s }));
      },
    });
    const result = await builder.finished;
    expect(result).toMatchObject({ embedded: texts, complete: true });
    const during = await asked!;
    expect(during.atDone).toBeLessThan(texts);
    expect(during.health.vectorIndex).toMatchObject({ state: 'building', total: texts });
    expect(during.health.vectorIndex.done).toBeLessThan(texts);
    // No title has the word: lexically nothing, and no vector fallback until the index is complete.
    expect(during.search).toEqual({ hits: [], vectorIndex: 'building' });

    expect((await health()).vectorIndex).toEqual({ state: 'ready', done: texts, total: texts });
    // Titles over 60 characters have a different, cut short title: searched lexically, given no vector.
    const shortOnly = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from code_terms t where t.kind = 'short_title'
          and exists (select 1 from term_embeddings e where e.system = t.system and e.text_hash = t.text_hash)`,
    );
    expect(Number((await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from code_terms where kind = 'short_title'`))[0]!.n)).toBeGreaterThan(0);
    expect(Number(shortOnly[0]!.n)).toBe(0);
    const after = await search('removal');
    expect(after.vectorIndex).toBe('ready');
    expect(after.hits.length).toBeGreaterThan(0);
    expect(after.hits.every((h) => h.vectorRank != null)).toBe(true);
    // A lexical query is answered as before.
    expect((await search('resection of appendix open approach')).hits[0]?.code).toBe('0D00000');
  }, 120_000);

  it('a stopped build keeps the vectors it wrote; the next one embeds only the rest', async () => {
    await database.db.execute(sql`delete from term_embeddings`);
    await database.db.execute(sql`delete from index_state`);
    let stopped: IndexBuilder | undefined;
    stopped = startIndexBuild(database.db, embedder, { chunkSize: 1, onProgress: (done) => done >= 5 && void stopped?.stop() });
    const first = await stopped.finished;
    expect(first?.complete).toBe(false);
    const kept = Number((await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from term_embeddings`))[0]!.n);
    expect(kept).toBe(first!.embedded);
    expect(kept).toBeGreaterThanOrEqual(5);
    expect(stopped.status().state).toBe('building');
    builder = startIndexBuild(database.db, embedder);
    expect(await builder.finished).toMatchObject({ embedded: texts - kept, complete: true });
    expect(builder.status().state).toBe('ready');
    expect((await search('removal')).hits.length).toBeGreaterThan(0);
  }, 120_000);

  it('a later start skips the build while no release was loaded after it, and embeds only the new texts after a load', async () => {
    builder = startIndexBuild(database.db, embedder);
    expect(await builder.finished).toBeNull();
    expect((await health()).vectorIndex.state).toBe('ready');
    fs.writeFileSync(path.join(dir, 'order-2027.txt'), `${ORDER_FILE}\n${line(401, '0D99999', 'Transfer of Omentum, Open Approach')}`);
    await loadCodeSets(database.db, dir, [{ system: 'ICD10PCS', version: 'FY2027', effectiveFrom: '2026-10-01', effectiveTo: null, files: { order: 'order-2027.txt' } }]);
    builder = startIndexBuild(database.db, embedder);
    expect(await builder.finished).toMatchObject({ embedded: 1, complete: true });
  }, 120_000);
});
