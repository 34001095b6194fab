// `npm run bench -- eval`: the QA dashboard's costs. (1) The metrics over 100,000 synthetic decisions
// (bench/eval-metrics.ts); (2) GET /api/qa/dashboard over real HTTP with 10,000 finalized notes in an
// embedded database: the first request, requests right after a finalization (stale-while-revalidate),
// forced-fresh rebuilds, and concurrent readers of an unchanged dashboard, p50/p95.
import { serve } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import type { DecisionRecord } from '../eval/decision-record.ts';
import { createApp } from '../server/app.ts';
import { loginAs } from '../server/auth/testing.ts';
import { loadConfig } from '../server/config.ts';
import { createUser } from '../server/db/queries/users.ts';
import { datasetRecords, datasets, DECISIONS_DATASET, notes } from '../server/db/schema/index.ts';
import { freshDatabase } from '../server/db/testing.ts';
import { eq } from 'drizzle-orm';
import { benchEvalMetrics, syntheticDecisions } from './eval-metrics.ts';
import { pct } from './stats.ts';

export interface DashboardBench {
  notes: number;
  seedMs: number;
  /** The first request of a process: nothing cached, every record loaded and scored. */
  firstMs: number;
  /** Requests right after a finalization: answered within the fresh budget, else from the previous build (stale). */
  afterChange: { requests: number; p50Ms: number; p95Ms: number; stale: number };
  /** `?fresh=true` after a finalization: the incremental load plus a full rebuild. */
  rebuild: { requests: number; p50Ms: number; p95Ms: number };
  warm: { requests: number; concurrency: number; p50Ms: number; p95Ms: number; requestsPerSecond: number };
  responseKb: number;
}

async function seed(db: Awaited<ReturnType<typeof freshDatabase>>['db'], records: DecisionRecord[]) {
  const [set] = await db.select({ id: datasets.id }).from(datasets).where(eq(datasets.name, DECISIONS_DATASET));
  const coderIds = new Map<string, string>();
  for (const r of records) {
    if (r.coderId && !coderIds.has(r.coderId)) {
      const u = await createUser(db, { username: `bench-${r.coderId}`, displayName: r.coderId, role: 'coder', passwordHash: 'x' }, null);
      coderIds.set(r.coderId, u.id);
    }
  }
  const text = 'Assessment: synthetic note for the dashboard benchmark.';
  const ids: string[] = [];
  for (let i = 0; i < records.length; i += 500) {
    const chunk = records.slice(i, i + 500);
    const rows = await db
      .insert(notes)
      .values(chunk.map((r) => ({ text, encounter: { setting: r.setting, dateOfService: r.finalizedAt.slice(0, 10) }, format: 'json' as const, status: 'coded' as const })))
      .returning({ id: notes.id });
    ids.push(...rows.map((r) => r.id));
    await db.insert(datasetRecords).values(
      chunk.map((r, j) => ({
        datasetId: set!.id,
        recordKey: rows[j]!.id,
        revision: 1,
        noteId: rows[j]!.id,
        text,
        encounter: { setting: r.setting, dateOfService: r.finalizedAt.slice(0, 10) },
        gold: r.gold,
        outcomes: r.outcomes,
        versions: r.versions,
        coderId: r.coderId ? coderIds.get(r.coderId)! : null,
        finalizedAt: new Date(r.finalizedAt),
      })),
    );
  }
  await db.execute(sql`analyze`);
  return { setId: set!.id, ids };
}

export async function benchDashboardApi(opts: { notes?: number; coldRequests?: number; warmRequests?: number; concurrency?: number } = {}): Promise<DashboardBench> {
  const n = opts.notes ?? 10_000;
  const database = await freshDatabase('pglite');
  try {
    const t0 = performance.now();
    const records = syntheticDecisions(n);
    const { setId, ids } = await seed(database.db, records);
    const seedMs = performance.now() - t0;
    const app = createApp({ db: database.db, embedder: null, suggester: null, config: loadConfig({}), databaseKind: database.kind });
    const qa = await loginAs(app, database.db, 'qa_lead');
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as { port: number };
    const url = `http://127.0.0.1:${port}/api/qa/dashboard`;
    let bytes = 0;
    let stale = 0;
    const get = async (query = '') => {
      const t = performance.now();
      const res = await fetch(url + query, { headers: qa.headers });
      const body = await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`dashboard answered ${res.status}`);
      bytes = body.byteLength;
      if ((JSON.parse(Buffer.from(body).toString('utf8')) as { stale: boolean }).stale) stale++;
      return performance.now() - t;
    };
    /** A note is re-finalized: a new revision of its record lands. */
    let revision = 1;
    const refinalize = async (i: number) => {
      const r = records[i]!;
      await database.db.insert(datasetRecords).values({ datasetId: setId, recordKey: ids[i]!, revision: ++revision, noteId: ids[i]!, text: 'x', encounter: { setting: r.setting, dateOfService: '2026-06-01' }, gold: r.gold, outcomes: r.outcomes, versions: r.versions, finalizedAt: new Date(r.finalizedAt) });
    };
    try {
      const firstMs = await get();
      const rounds = opts.coldRequests ?? 10;
      const afterChange: number[] = [];
      const rebuild: number[] = [];
      for (let i = 0; i < rounds; i++) {
        await refinalize(0);
        // Past the change-check window (1 s), so this request is the one that sees the change.
        await new Promise((r) => setTimeout(r, 1_100));
        afterChange.push(await get());
        await refinalize(1);
        rebuild.push(await get('?fresh=true'));
      }
      // Warm: concurrent readers while nothing changes.
      const concurrency = opts.concurrency ?? 10;
      const total = opts.warmRequests ?? 500;
      const warm: number[] = [];
      let next = 0;
      const tw = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next++ < total) warm.push(await get());
        }),
      );
      const wallS = (performance.now() - tw) / 1000;
      return {
        notes: n,
        seedMs,
        firstMs,
        afterChange: { requests: afterChange.length, p50Ms: pct(afterChange, 50), p95Ms: pct(afterChange, 95), stale },
        rebuild: { requests: rebuild.length, p50Ms: pct(rebuild, 50), p95Ms: pct(rebuild, 95) },
        warm: { requests: warm.length, concurrency, p50Ms: pct(warm, 50), p95Ms: pct(warm, 95), requestsPerSecond: warm.length / wallS },
        responseKb: Math.round(bytes / 1024),
      };
    } finally {
      server.close();
    }
  } finally {
    await database.close();
  }
}

export async function runEvalBench(json: boolean): Promise<void> {
  const metrics = await benchEvalMetrics();
  const api = await benchDashboardApi();
  if (json) {
    console.log(JSON.stringify({ metrics, api }, null, 2));
    return;
  }
  const f = (x: number) => x.toFixed(0);
  console.log(`metrics: ${metrics.notes.toLocaleString('en-US')} notes, ${(metrics.suggestions + metrics.addedCodes).toLocaleString('en-US')} decisions, ${metrics.weeks} weeks`);
  console.log(`  decisionMetrics ${f(metrics.decisionMetricsMs)} ms + computeMetrics ${f(metrics.computeMetricsMs)} ms + weeklyTrends ${f(metrics.weeklyTrendsMs)} ms = ${f(metrics.totalMs)} ms (target < 2000 ms); warm pass CPU ${f(metrics.totalCpuMs)} ms; heap ${metrics.heapUsedMb} MB`);
  console.log(`dashboard API: ${api.notes.toLocaleString('en-US')} finalized notes (seeded in ${f(api.seedMs)} ms), response ${api.responseKb} kB`);
  console.log(`  first request (nothing cached, all records loaded and scored): ${f(api.firstMs)} ms`);
  console.log(`  right after a finalization: ${api.afterChange.requests} requests, p50 ${f(api.afterChange.p50Ms)} ms, p95 ${f(api.afterChange.p95Ms)} ms (${api.afterChange.stale} answered stale while the rebuild ran)`);
  console.log(`  ?fresh=true after a finalization (incremental load + rebuild): p50 ${f(api.rebuild.p50Ms)} ms, p95 ${f(api.rebuild.p95Ms)} ms`);
  console.log(`  warm (cached): ${api.warm.requests} requests at ${api.warm.concurrency} concurrent, p50 ${api.warm.p50Ms.toFixed(1)} ms, p95 ${api.warm.p95Ms.toFixed(1)} ms, ${f(api.warm.requestsPerSecond)} req/s (target p95 < 200 ms)`);
}
