// `npm run bench -- <search|extract|index|review|eval>`: prints speed and memory numbers (never asserted in tests).
// search, extract and index run against the configured database (MEDCODE_DATA_DIR / DATABASE_URL), which must
// be set up (`npm start` once, or `npm run medcode -- codes load && npm run medcode -- index build`); review
// starts its own server on a temporary copy of the test database (bench/review.ts).
import path from 'node:path';
import { loadCodiesp } from '../eval/datasets.ts';
import { loadConfig } from '../server/config.ts';
import { limitHeapGrowth } from '../server/heap-growth.ts';
import { buildIndex } from '../server/index/build-index.ts';
import { createSuggester } from '../server/pipeline/suggester.ts';
import { loadConfiguredEmbedder, openConfiguredDatabase } from '../server/setup.ts';
import { runEvalBench } from './eval.ts';
import { formatReviewBench, formatReviewComparison, parseReviewArgs, runReviewBench } from './review.ts';
import { runSearchBench } from './search.ts';
import { pct } from './stats.ts';

const config = loadConfig();
const which = process.argv[2] ?? 'search';
const CODIESP = process.env.CODIESP_DIR ?? path.resolve(import.meta.dirname, '../../shared/data/codiesp/final_dataset_v4_to_publish');

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
// The kernel's high-water mark (getrusage maxrss, KiB): a timer sampling memoryUsage() missed the peaks, as the
// engine and the embedded database run synchronously for long stretches and the timer does not fire in them.
const peakRss = () => process.resourceUsage().maxRSS * 1024;

if (which === 'review') {
  // `-- review [--coders 50] [--connections N] [--duration 60] [--notes 15] [--reload] [--driver pglite|postgres|both] [--json]`
  // the server is a child process: this process's RSS says nothing
  const opts = parseReviewArgs(process.argv.slice(3));
  // One driver after the other (never at once: they would share the cores).
  const runs = [];
  for (const driver of opts.drivers) {
    const r = await runReviewBench(opts, driver);
    runs.push(r);
    if (!opts.json) console.log(formatReviewBench(r) + '\n');
  }
  console.log(opts.json ? JSON.stringify(runs, null, 2) : runs.length > 1 ? formatReviewComparison(runs) : '');
} else if (which === 'eval') {
  // `-- eval [--json]`: metrics over 100,000 synthetic decisions, and the dashboard API over 10,000 finalized notes (its own in-memory database).
  await runEvalBench(process.argv.includes('--json'));
} else {
  const database = await openConfiguredDatabase(config);
  try {
    if (which === 'search') {
      console.log(await runSearchBench(database.db, await loadConfiguredEmbedder(config)));
      console.log(`peak RSS ${mb(peakRss())}`);
    } else if (which === 'extract') {
      // `-- extract [--warm N]`: with --warm, N CodiEsp train notes are coded first (other notes than the timed
      // ones), as a worker that has been running a while has: its phrase, vector and completion caches and the
      // JIT warm. Without it (the default, comparable with every earlier row) the timed notes meet cold caches.
      const warmAt = process.argv.indexOf('--warm');
      const warm = warmAt > 0 ? Number(process.argv[warmAt + 1]) : 0;
      if (!Number.isInteger(warm) || warm < 0) throw new Error(`--warm takes a number of notes, not "${process.argv[warmAt + 1]}"`);
      const docs = loadCodiesp(CODIESP, 'dev');
      // As in a coding worker (server/cli/worker.ts): its peak RSS is what this bench reports.
      limitHeapGrowth();
      const t0 = performance.now();
      const suggester = await createSuggester(database.db, { embedder: await loadConfiguredEmbedder(config) });
      await suggester.suggest({ text: docs[0]!.text, encounter: docs[0]!.encounter }); // loads the knowledge base
      const loadS = (performance.now() - t0) / 1000;
      const timePass = async (notes: typeof docs) => {
        const times: number[] = [];
        const cpu0 = process.cpuUsage();
        const t1 = performance.now();
        for (const d of notes) {
          const t = performance.now();
          await suggester.suggest({ text: d.text, encounter: d.encounter });
          times.push(performance.now() - t);
        }
        const wall = (performance.now() - t1) / 1000;
        // CPU time per note (user + system, all threads): unlike wall time, other processes on the cores barely move it.
        const cpu = process.cpuUsage(cpu0);
        const cpuMs = (cpu.user + cpu.system) / 1000 / notes.length;
        return `${(notes.length / wall).toFixed(1)} notes/s, p50 ${pct(times, 50).toFixed(1)} ms, p95 ${pct(times, 95).toFixed(1)} ms, CPU ${cpuMs.toFixed(1)} ms/note`;
      };
      if (warm > 0) {
        const train = loadCodiesp(CODIESP, 'train').slice(0, warm);
        console.log(`warm-up: ${train.length} CodiEsp train notes, ${await timePass(train)}`);
      }
      const timed = await timePass(docs);
      console.log(`extract (offline engine${warm > 0 ? `, after ${warm} other notes` : ''}): ${docs.length} CodiEsp dev notes, ${timed}, knowledge load ${loadS.toFixed(1)} s, peak RSS ${mb(peakRss())}`);
    } else if (which === 'index') {
      const embedder = await loadConfiguredEmbedder(config);
      const texts = Array.from({ length: 4096 }, (_, i) => `fracture of left femur ${i} with type 2 diabetes`);
      const t = performance.now();
      await embedder.embed(texts);
      console.log(`embedding: ${(texts.length / ((performance.now() - t) / 1000)).toFixed(0)} texts/s (batch 256)`);
      const r = await buildIndex(database.db, embedder);
      console.log(`index build (incremental): ${r.embedded} embedded, ${r.reused} reused, ${(r.ms / 1000).toFixed(1)} s`);
    } else {
      console.error(`unknown benchmark "${which}" (search, extract, index, review)`);
      process.exitCode = 2;
    }
  } finally {
    await database.close();
  }
}
