// `npm run eval -- --dataset codiesp --dir <dir> --split dev [--limit N] [--json] [--concurrency N]`
// `npm run eval -- --dataset jsonl --file notes.jsonl`
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
  dataset: 'codiesp' | 'jsonl';
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
  .addOption(new Option('--dataset <name>', 'dataset kind').choices(['codiesp', 'jsonl']).makeOptionMandatory())
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
    const t = run.timing;
    console.log(`timing       p50 ${Math.round(t.p50Ms)} ms, p95 ${Math.round(t.p95Ms)} ms, ${t.notesPerSecond.toFixed(2)} notes/s`);
    if (reportFile) console.log(`report       ${path.relative(process.cwd(), reportFile)}`);
  }
  if (selected.length > 0 && run.errors === selected.length) throw new Error(`the suggester failed on every note (first error: ${run.docs[0]?.error})`);
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
