import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { loadConfig } from '../config.ts';
import { loadCodeSets } from '../codes/load.ts';
import type { Release } from '../codes/releases.ts';
import { CodeSetParseError } from '../codes/types.ts';
import { DatabaseBusyError, type Database } from '../db/client.ts';
import { describeError } from '../errors.ts';
import { codeSetStats } from '../db/queries/code-sets.ts';
import { ModelUnavailableError } from '../index/embedder.ts';
import { parseCodeSystem } from '../codes/code-system-aliases.ts';
import { searchCodeSets } from '../index/code-search.ts';
import { SearchInputError } from '../index/search.ts';
import { buildConfiguredIndex, loadConfiguredEmbedder, loadShippedCodeSets, openConfiguredDatabase } from '../setup.ts';
import { ExtractInputError, extractNotes } from './extract.ts';
import { LearnUsageError, runLearn, type LearnOptions } from './learn.ts';
import { DEFAULT_LEARNED_FILE, exportLearnedModel } from '../learned-default.ts';
import { DatasetError } from '../../eval/datasets.ts';
import { progressBar } from './progress.ts';
import { AccountInputError, addUser } from '../auth/accounts.ts';
import { DatasetStoreError } from '../db/queries/datasets.ts';
import type { LearnedModelRow } from '../db/queries/learned.ts';
import { evaluateModel } from '../models/evaluate-model.ts';
import { ModelError } from '../models/model-error.ts';
import { modelRegistry, promoteModel, rollbackModel } from '../models/registry.ts';
import { DatasetUsageError, exportCommand, freezeCommand, importCommand, listCommand, type ImportOptions } from './datasets.ts';

const config = loadConfig();

/** Opens the database for one command and always closes it (releasing the embedded database's lock). */
async function withDatabase<T>(fn: (database: Database) => Promise<T>): Promise<T> {
  const database = await openConfiguredDatabase(config);
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

const program = new Command('medcode').description('medcode command line').exitOverride();

const db = program.command('db').description('database');
db.command('migrate')
  .description('apply pending migrations')
  .action(() => withDatabase(async (d) => console.log(`migrated ${d.kind} database at ${d.location}`)));

const codes = program.command('codes').description('code sets');
codes
  .command('load')
  .description('load the shipped code sets (unchanged releases are skipped)')
  .action(() => withDatabase(async (d) => void (await loadShippedCodeSets(d, config))));
codes
  .command('stats')
  .description('per code system and version: total and billable codes, index rows')
  .option('--json', 'print JSON')
  .action((opts: { json?: boolean }) =>
    withDatabase(async (d) => {
      const stats = await codeSetStats(d.db);
      if (opts.json) console.log(JSON.stringify(stats, null, 2));
      else console.table(stats);
    }),
  );
codes
  .command('import-cpt <file>')
  .description('import a licensed CPT file (CSV with columns code, descriptor)')
  .option('--version <label>', 'release label', String(new Date().getFullYear()))
  .option('--effective-from <date>', 'first day in force (YYYY-MM-DD); default January 1 of the release year')
  .action((file: string, opts: { version: string; effectiveFrom?: string }) =>
    withDatabase(async (d) => {
      const effectiveFrom = opts.effectiveFrom ?? `${opts.version.slice(0, 4)}-01-01`;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(effectiveFrom)) throw new UsageError(`--effective-from "${effectiveFrom}" is not a YYYY-MM-DD date`);
      const release: Release = { system: 'CPT', version: opts.version, effectiveFrom, effectiveTo: null, files: { csv: path.resolve(file) } };
      const bar = progressBar(`import CPT ${opts.version}`);
      const [result] = await loadCodeSets(d.db, '.', [release], { onProgress: (_r, done, total) => bar.update(done, total) });
      bar.stop();
      console.log(`CPT ${opts.version}: ${result!.status}, ${result!.stats.codes ?? 0} codes. Run \`npm run medcode -- index build\` to embed them.`);
    }),
  );

const index = program.command('index').description('code-description index');
index
  .command('build')
  .description('embed index rows that have no vector from the configured model, and build the HNSW index')
  .action(() =>
    withDatabase(async (d) => {
      const r = await buildConfiguredIndex(d, await loadConfiguredEmbedder(config));
      console.log(`index: ${r.embedded} rows embedded (${r.unrepresentable} with no known word), ${r.reused} reused, model ${r.modelId} (${r.dimension}-d), ${(r.ms / 1000).toFixed(1)} s`);
    }),
  );

program
  .command('search <text>')
  .description('code search: a code or prefix (Z79.84, z7984, S72.0), Index terms and abbreviations, drug names')
  .option('--k <n>', 'number of hits', '10')
  .option('--system <systems>', 'comma-separated code systems (ICD10CM,ICD10PCS,HCPCS,CPT)')
  .option('--billable', 'billable codes only')
  .option('--version <label>', 'code-set version label (default: newest)')
  .option('--date <yyyy-mm-dd>', 'date of service: the releases in force then')
  .option('--json', 'print JSON')
  .action((text: string, opts: { k: string; system?: string; billable?: boolean; version?: string; date?: string; json?: boolean }) =>
    withDatabase(async (d) => {
      const embedder = await loadConfiguredEmbedder(config);
      const written = opts.system?.split(',').map((s) => s.trim()) ?? [];
      const bad = written.filter((s) => !parseCodeSystem(s));
      if (bad.length) throw new UsageError(`unknown code system(s): ${bad.join(', ')} (allowed: ICD10CM, ICD10PCS, HCPCS, CPT, or spellings such as ICD-10-CM)`);
      const hits = await searchCodeSets(d.db, embedder, text, {
        k: Number(opts.k),
        systems: written.map((s) => parseCodeSystem(s)!),
        billableOnly: opts.billable,
        ...(opts.version ? { version: opts.version } : {}),
        ...(opts.date ? { date: opts.date } : {}),
      });
      if (opts.json) console.log(JSON.stringify(hits, null, 2));
      else
        for (const h of hits)
          console.log(
            `${h.code.padEnd(9)} ${h.system.padEnd(8)} ${h.description}\n          matched ${h.matchedKind}: "${h.matchedText}" (lexical ${h.lexicalRank ?? '-'}, vector ${h.vectorRank ?? '-'})`,
          );
    }),
  );

program
  .command('learn')
  .description("rebuild the engine's learned layer from labelled notes (never from the split accuracy is reported on)")
  .requiredOption('--from <kind>', 'decisions@VERSION (a frozen version of your coders\' decisions) | codiesp | jsonl')
  .option('--also <kind>', 'with decisions: also learn from this corpus (codiesp, with --dir)')
  .option('--dir <dir>', 'CodiEsp directory (holding train/ and dev/)')
  .option('--split <split>', 'CodiEsp split', 'train')
  .option('--file <file>', 'JSONL file of {id, text, encounter, gold}')
  .option('--id <id>', 'model id (default: dataset and version or date)')
  .option('--activate', 'codiesp / jsonl: put the model in force at once (default: stored as a candidate)')
  .action((opts: LearnOptions) => withDatabase(async (d) => console.log(await runLearn(d, opts, await loadConfiguredEmbedder(config)))));

const models = program.command('models').description('learned models: the active one, candidates, promotion and rollback');
models
  .command('list')
  .description('every stored model: status, training data, engine version, metrics')
  .option('--json', 'print JSON')
  .action((opts: { json?: boolean }) =>
    withDatabase(async (d) => {
      const view = await modelRegistry(d.db);
      if (opts.json) return console.log(JSON.stringify(view, null, 2));
      console.table(view.models.map(modelLine));
      for (const n of view.notices) console.log(`notice: ${n.id}: ${n.notice}`);
    }),
  );
models
  .command('evaluate <id>')
  .description('compare a candidate with the active model on a later frozen version (stores two evaluation runs)')
  .requiredOption('--on <version>', 'decisions@VERSION frozen after the one the candidate learned from')
  .action((id: string, opts: { on: string }) =>
    withDatabase(async (d) => {
      const e = await evaluateModel(d.db, { id, version: opts.on, embedder: await loadConfiguredEmbedder(config), externalCauses: config.EXTERNAL_CAUSE_CODES, actorId: null });
      const f = (s: { precision: number; recall: number; f1: number }) => `P ${s.precision.toFixed(3)} R ${s.recall.toFixed(3)} F1 ${s.f1.toFixed(3)}`;
      console.log(`${e.version}: candidate ${id} ${f(e.model)}; active ${e.active.id} ${f(e.active)}\ncompare: GET /api/runs/compare?a=${e.activeRun}&b=${e.modelRun}`);
    }),
  );
models
  .command('promote <id>')
  .description('put a candidate in force for new notes (audited; running servers pick it up)')
  .action((id: string) => withDatabase(async (d) => console.log(`active model: ${(await promoteModel(d.db, { id, actorId: null })).id}`)));
models
  .command('rollback')
  .description('put back the model that was active before the current one (audited)')
  .action(() => withDatabase(async (d) => console.log(`active model: ${(await rollbackModel(d.db, { actorId: null })).id}`)));

program
  .command('learned-export')
  .description('write the newest learned model to a file (default: the one shipped in data/learned/)')
  .option('--out <file>', 'gzip JSON file', DEFAULT_LEARNED_FILE)
  .action((opts: { out: string }) => withDatabase(async (d) => console.log(`exported ${await exportLearnedModel(d.db, opts.out)} to ${opts.out}`)));

program
  .command('extract')
  .description('code the notes of a JSONL file ({id, text, encounter} per line) into a JSONL file of {id, suggestions, warnings}; ids already in --out are skipped')
  .requiredOption('--in <file>', 'input JSONL')
  .requiredOption('--out <file>', 'output JSONL (appended to)')
  .option('--concurrency <n>', 'notes run at once', '1')
  .action(async (opts: { in: string; out: string; concurrency: string }) => {
    const concurrency = parseConcurrency(opts.concurrency);
    // Loaded here, not at the top: only this command needs the engine.
    const { createOfflineSuggester } = await import('../pipeline/suggester.ts');
    const suggester = await createOfflineSuggester(config);
    const bar = progressBar('extract');
    let r: Awaited<ReturnType<typeof extractNotes>>;
    try {
      r = await extractNotes({ inFile: opts.in, outFile: opts.out, suggester, concurrency, onProgress: (d, t) => t > 0 && bar.update(d, t) });
    } finally {
      bar.stop();
      await suggester.close();
    }
    console.error(`extract: ${r.written} written, ${r.skipped} already done, ${r.failed.length} failed (engine ${suggester.engineVersion})`);
    for (const f of r.failed) console.error(`  failed ${JSON.stringify(f.id)}: ${f.error}`);
    if (r.failed.length > 0) process.exitCode = 1;
  });

program
  .command('worker')
  .description('code queued notes and run queued evaluation runs until SIGTERM (beside `npm start` with MEDCODE_WORKERS=0, on PostgreSQL)')
  .option('--concurrency <n>', 'notes run at once in this process', '1')
  .action(async (opts: { concurrency: string }) => {
    const concurrency = parseConcurrency(opts.concurrency);
    const { runWorkerRole } = await import('./worker.ts');
    await runWorkerRole(config, { concurrency });
  });

const datasetsCmd = program.command('datasets').description('evaluation datasets (the built-in "decisions" set, imports, frozen versions)');
datasetsCmd
  .command('list')
  .description('datasets, their record counts and frozen versions')
  .action(() => withDatabase(async (d) => console.log(await listCommand(d))));
datasetsCmd
  .command('import')
  .description('store a gold-coded dataset and freeze it as its first version')
  .requiredOption('--name <name>', 'dataset name')
  .option('--jsonl <file>', 'JSONL: one {id, text, encounter, gold: [{system, code}]} per line')
  .option('--fhir <file>', 'FHIR R4 Bundle as exported by medcode')
  .option('--codiesp <dir>', 'CodiEsp root (with --split)')
  .option('--split <split>', 'CodiEsp split')
  .option('--version <name>', 'name of the first version', 'v1')
  .action((opts: ImportOptions) => withDatabase(async (d) => console.log(await importCommand(d, opts))));
datasetsCmd
  .command('freeze <dataset> <version>')
  .description('freeze the current records of a dataset as a named, immutable version')
  .action((dataset: string, version: string) => withDatabase(async (d) => console.log(await freezeCommand(d, dataset, version))));
datasetsCmd
  .command('export <ref>')
  .description('write a frozen version ("name@version", or "name" for its newest) as JSONL, CSV or a FHIR R4 Bundle')
  .requiredOption('--out <file>', 'output file')
  .option('--format <format>', 'jsonl | csv | fhir', 'jsonl')
  .action((ref: string, opts: { format: string; out: string }) => withDatabase(async (d) => console.log(await exportCommand(d, ref, opts))));

const usersCmd = program.command('users').description('user accounts');
usersCmd
  .command('add')
  .description('add a user; without --password-stdin a password is generated and printed once')
  .requiredOption('--username <name>', 'sign-in name')
  .requiredOption('--role <role>', 'coder | physician | qa_lead | admin')
  .option('--display-name <name>', 'name shown in the app (default: the username)')
  .option('--password-stdin', 'read the password from standard input')
  .action((opts: { username: string; role: string; displayName?: string; passwordStdin?: boolean }) =>
    withDatabase(async (d) => {
      const password = opts.passwordStdin ? await readStdin() : undefined;
      const r = await addUser(d.db, { username: opts.username, role: opts.role, displayName: opts.displayName, password });
      console.log(`added ${r.user.role} "${r.user.username}"`);
      if (r.generatedPassword) console.log(`password (shown once): ${r.generatedPassword}`);
    }),
  );

/** Standard input without its final line break. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

class UsageError extends Error {}

const modelLine = (m: LearnedModelRow) => ({
  id: m.id,
  status: m.status,
  source: m.source,
  dataset: m.dataset,
  engine: m.engineVersion,
  notes: m.notes,
  'train F1': m.metrics?.train.f1.toFixed(3) ?? '',
  'eval F1': m.metrics?.evaluation ? `${m.metrics.evaluation.model.f1.toFixed(3)} (active ${m.metrics.evaluation.active.f1.toFixed(3)})` : '',
  promoted: m.promotedAt?.toISOString() ?? '',
});

function parseConcurrency(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--concurrency "${value}" is not an integer from 1 to 64`);
  return n;
}

const KNOWN_ERRORS = [ModelError, AccountInputError, DatasetError, DatasetStoreError, DatasetUsageError, LearnUsageError, UsageError, ExtractInputError, SearchInputError, CodeSetParseError, DatabaseBusyError, ModelUnavailableError];

try {
  await program.parseAsync();
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  if (KNOWN_ERRORS.some((E) => err instanceof E)) {
    console.error(`error: ${(err as Error).message}`);
    process.exit(2);
  }
  console.error(`error: ${describeError(err)}`);
  if (process.env.LOG_LEVEL === 'debug') console.error((err as Error).stack);
  process.exit(1);
}
