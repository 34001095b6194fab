// `npm run eval -- --dataset codiesp --dir <dir> --split dev [--limit N] [--json] [--concurrency N]`
// `npm run eval -- --dataset jsonl --file notes.jsonl`   (or `--dataset notes.jsonl`)
// `npm run eval -- --dataset decisions@2026-12 [--label L]`: a stored dataset version (newest when no
// "@version"), run in the database like a run started from the QA dashboard, and stored with it.
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { progressBar } from '../server/cli/progress.ts';
import { createOfflineSuggester } from '../server/pipeline/suggester.ts';
import { loadConversionTable } from './code-versions.ts';
import { CODIESP_SPLITS, DatasetError, loadCodiesp, loadJsonl, type CodiespSplit, type EvalDocument } from './datasets.ts';
import { countCodes, type LevelMetrics } from './metrics.ts';
import { writeReport } from './report.ts';
import { runEval } from './run.ts';

interface CliOptions {
  dataset: string;
  label?: string;
  dir?: string;
  split?: CodiespSplit;
  file?: string;
  limit?: number;
  json?: boolean;
  concurrency: number;
  report: boolean;
}

class UsageError extends Error {}

const positiveInt = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer`);
  return n;
};

const program = new Command('eval')
  .description('score the offline suggester against a gold-coded dataset; writes eval/reports/<date>-<dataset>-<split>.md')
  .requiredOption('--dataset <name|path>', 'codiesp | jsonl | a .jsonl file | a stored dataset "name[@version]" (run and stored in the database)')
  .option('--label <label>', 'label of a stored run', '')
  .option('--dir <dir>', 'CodiEsp root holding train/, dev/ (and test/)')
  .addOption(new Option('--split <split>', 'CodiEsp split').choices(CODIESP_SPLITS))
  .option('--file <file>', 'JSONL file: one {id, text, encounter, gold: [{system, code}]} per line')
  .option('--limit <n>', 'score only the first N notes (by id)', positiveInt('--limit'))
  .option('--json', 'print one JSON object with the metrics instead of a summary')
  .option('--concurrency <n>', 'notes in flight at once', positiveInt('--concurrency'), 1)
  .option('--no-report', 'do not write the Markdown report')
  .exitOverride()
  .action(main);

async function main(opts: CliOptions): Promise<void> {
  if (opts.dataset.endsWith('.jsonl')) opts = { ...opts, file: opts.dataset, dataset: 'jsonl' };
  if (opts.dataset !== 'codiesp' && opts.dataset !== 'jsonl') return runStored(opts);
  const { docs, split, reference } = loadDataset(opts);
  const selected = opts.limit ? docs.slice(0, opts.limit) : docs;
  const conversion = loadConversionTable();

  const engine = await createOfflineSuggester();
  const bar = progressBar(`eval ${opts.dataset} ${split}`);
  let run;
  try {
    run = await runEval(selected, (note) => engine.suggest(note), {
      concurrency: opts.concurrency,
      onProgress: (done, total) => bar.update(done, total),
      conversion,
      referenceCounts: countCodes(reference),
    });
  } finally {
    bar.stop();
    await engine.close();
  }

  const reportNotes = [
    `Reference for frequency bands: ${opts.dataset === 'codiesp' ? 'CodiEsp train gold' : 'this file’s own gold'}`,
    ...(opts.limit ? [`Limited to the first ${opts.limit} notes by id`] : []),
  ];
  const reportFile = opts.report ? writeReport(run, { dataset: opts.dataset, split, notes: reportNotes }) : null;

  if (opts.json) {
    console.log(
      JSON.stringify({
        dataset: opts.dataset,
        split,
        notes: selected.length,
        D: run.D,
        P: run.P,
        timing: run.timing,
        errors: run.errors,
        warnings: run.warnings,
        engineVersions: run.engineVersions,
        violations: run.violations,
        calibration: run.calibrationD,
        professional: run.professional,
        report: reportFile,
      }),
    );
  } else {
    const line = (name: string, l: LevelMetrics) =>
      `${name.padEnd(12)} micro P ${pct(l.micro.precision)} R ${pct(l.micro.recall)} F1 ${pct(l.micro.f1)} | macro F1 ${pct(l.macro.f1)} | MAP ${pct(l.map)} (CodiEsp ${pct(l.mapCodiesp)})`;
    console.log(`${opts.dataset} ${split}: ${selected.length} notes, ${run.errors} suggester errors`);
    for (const w of run.warnings) console.log(`warning      ${w.message} (${w.notes} notes)`);
    console.log(line('D code', run.D.code));
    console.log(line('D category', run.D.category));
    console.log(line('P code', run.P.code));
    console.log(line('P category', run.P.category));
    if (run.calibrationD.brier !== null) {
      console.log(`calibration  Brier ${run.calibrationD.brier.toFixed(3)}; ${run.calibrationD.bins.map((b) => `${Math.round(b.from * 100)}-${Math.round(b.to * 100)}%: ${(b.accuracy * 100).toFixed(0)}% right (n ${b.n})`).join(', ')}`);
    }
    if (run.violations) {
      const n = run.violations.reduce((a, v) => a + v.codes.length, 0);
      console.log(`must-not     ${n} guideline violations (must-not codes suggested) in ${run.violations.length} notes${n ? `: ${run.violations.map((v) => `${v.id} ${v.codes.join(' ')}`).join('; ')}` : ''}`);
    }
    const pro = run.professional;
    if (pro) {
      console.log(`E/M          exact ${pro.em.exact}/${pro.em.withGold} (${pct(pro.em.exactRate)}), within one level ${pro.em.withinOne}/${pro.em.withGold} (${pct(pro.em.withinOneRate)}), suggested where gold has none ${pro.em.spurious}`);
      console.log(`CPT lines    P ${pct(pro.cpt.precision)} R ${pct(pro.cpt.recall)} F1 ${pct(pro.cpt.f1)} (not E/M) | HCPCS P ${pct(pro.hcpcs.precision)} R ${pct(pro.hcpcs.recall)} F1 ${pct(pro.hcpcs.f1)}`);
    }
    const t = run.timing;
    console.log(`timing       p50 ${Math.round(t.p50Ms)} ms, p95 ${Math.round(t.p95Ms)} ms, ${t.notesPerSecond.toFixed(2)} notes/s`);
    if (reportFile) console.log(`report       ${path.relative(process.cwd(), reportFile)}`);
  }
  if (selected.length > 0 && run.errors === selected.length) throw new Error(`the suggester failed on every note (first error: ${run.docs[0]?.error})`);
}

/** Runs the pipeline on a stored dataset version through the run worker; the run is stored like one from the UI. */
async function runStored(opts: CliOptions): Promise<void> {
  const { loadConfig } = await import('../server/config.ts');
  const { openConfiguredDatabase, loadConfiguredEmbedder } = await import('../server/setup.ts');
  const { createSuggester } = await import('../server/pipeline/suggester.ts');
  const { createLlmClient, llmConfigFrom } = await import('../server/llm/client.ts');
  const { findVersion } = await import('../server/db/queries/datasets.ts');
  const { createRun, getRun } = await import('../server/db/queries/eval-runs.ts');
  const { startRunWorker } = await import('../server/evaluation/run-worker.ts');
  const config = loadConfig();
  const database = await openConfiguredDatabase(config);
  const bar = progressBar(`eval ${opts.dataset}`);
  try {
    const version = await findVersion(database.db, { name: opts.dataset });
    const llm = llmConfigFrom(config);
    const embedder = await loadConfiguredEmbedder(config);
    const suggester = await createSuggester(database.db, { llm: llm ? createLlmClient(llm) : null, embedder });
    const run = await createRun(database.db, {
      versionId: version.id,
      label: opts.label ?? '',
      config: { engine: suggester.engineVersion, llmModel: llm?.model ?? null, embedder: embedder.modelId, concurrency: 1 },
      actorId: null,
    });
    const worker = startRunWorker(database.db, suggester);
    const timer = setInterval(() => void getRun(database.db, run.id).then((r) => bar.update(r.done, r.total)), 500);
    await worker.idle();
    await worker.stop();
    clearInterval(timer);
    const done = await getRun(database.db, run.id);
    bar.update(done.done, done.total);
    bar.stop();
    if (done.status !== 'done') throw new Error(`run ${done.id} ${done.status}: ${done.error ?? 'unfinished'}`);
    if (opts.json) {
      console.log(JSON.stringify({ run: done.id, dataset: `${done.dataset}@${done.datasetVersion}`, config: done.config, metrics: done.metrics }));
      return;
    }
    console.log(`run ${done.id}: ${done.dataset}@${done.datasetVersion}, ${done.total} records, engine ${done.config.engine}`);
    for (const [scope, m] of Object.entries(done.metrics ?? {})) {
      console.log(`${scope.padEnd(9)} code     micro P ${pct(m.code.micro.precision)} R ${pct(m.code.micro.recall)} F1 ${pct(m.code.micro.f1)} | MAP ${pct(m.code.map)}`);
      console.log(`${''.padEnd(9)} category micro P ${pct(m.category.micro.precision)} R ${pct(m.category.micro.recall)} F1 ${pct(m.category.micro.f1)}`);
    }
  } finally {
    bar.stop();
    await database.close();
  }
}

/** The documents to score, a name for the split, and the reference documents for frequency bands. */
function loadDataset(opts: CliOptions): { docs: EvalDocument[]; split: string; reference: EvalDocument[] } {
  if (opts.dataset === 'codiesp') {
    if (!opts.dir || !opts.split) throw new UsageError('--dataset codiesp needs --dir <dir> and --split <train|dev|test>');
    const docs = loadCodiesp(opts.dir, opts.split);
    let reference = docs;
    if (opts.split !== 'train') {
      try {
        reference = loadCodiesp(opts.dir, 'train');
      } catch (err) {
        if (!(err instanceof DatasetError)) throw err;
        console.error(`warning: no CodiEsp train split (${err.message}); frequency bands use the ${opts.split} gold`);
      }
    }
    return { docs, split: opts.split, reference };
  }
  if (!opts.file) throw new UsageError('--dataset jsonl needs --file <file>');
  const docs = loadJsonl(opts.file);
  return { docs, split: path.basename(opts.file).replace(/\.jsonl?$/, ''), reference: docs };
}

function pct(x: number): string {
  return (100 * x).toFixed(1).padStart(5);
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  if (err instanceof UsageError) {
    console.error(`error: ${err.message}`);
    process.exit(2);
  }
  console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
