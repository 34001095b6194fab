// Runs queued evaluation runs in the background, one record at a time, storing each prediction as it
// goes: progress is visible while a run works, and a run interrupted by a restart resumes where it was.
import { predictionsFor } from '../../eval/run.ts';
import type { Db } from '../db/client.ts';
import { failRun, finishRun, markRunning, pendingRecords, runPredictions, storePrediction, unfinishedRuns, type EvalRunRow } from '../db/queries/eval-runs.ts';
import type { RunConfig } from '../db/schema/index.ts';
import { describeError } from '../errors.ts';
import { logger as defaultLogger } from '../logger.ts';
import type { Suggester } from '../notes/suggester.ts';
import { runMetrics } from './run-metrics.ts';

export interface RunWorker {
  /** Look for queued runs now. */
  wake(): void;
  /** Stops after the record in flight; the run stays "running" and resumes at the next start. */
  stop(): Promise<void>;
  /** Resolves when no run is queued or running in this worker (tests, the CLI). */
  idle(): Promise<void>;
}

export function startRunWorker(db: Db, suggester: Suggester, opts: { now?: () => Date; logger?: Pick<typeof defaultLogger, 'info' | 'error'> } = {}): RunWorker {
  const log = opts.logger ?? defaultLogger;
  const now = opts.now ?? (() => new Date());
  let stopping = false;
  let pass: Promise<void> = Promise.resolve();
  let again = false;

  async function runOne(run: EvalRunRow) {
    await markRunning(db, run.id, now());
    const observed = new Map<string, RunConfig['observed'][number]>();
    for (const rec of await pendingRecords(db, run)) {
      if (stopping) return;
      const start = performance.now();
      let error: string | null = null;
      let predicted: { system: (typeof rec.gold)[number]['system']; code: string; confidence: number }[] = [];
      try {
        const { suggestions } = await suggester.suggest({ text: rec.text, encounter: rec.encounter });
        for (const s of suggestions) observed.set(JSON.stringify(s.versions), s.versions);
        const { D, P } = predictionsFor({ id: rec.recordKey, text: rec.text, encounter: rec.encounter, gold: rec.gold }, suggestions);
        predicted = [...D, ...P].map(({ system, code, confidence }) => ({ system, code, confidence }));
      } catch (err) {
        // The message only, never the note text; the record is scored as predicting nothing.
        error = describeError(err);
      }
      await storePrediction(db, { runId: run.id, recordId: rec.id, predicted, error, ms: performance.now() - start });
    }
    const rows = await runPredictions(db, run);
    const prior = run.config.observed.map((o) => [JSON.stringify(o), o] as const);
    await finishRun(db, { runId: run.id, now: now(), metrics: runMetrics(rows), observed: [...new Map([...prior, ...observed]).values()] });
    log.info({ run: run.id, records: rows.length }, 'evaluation run done');
  }

  async function drain() {
    do {
      again = false;
      for (const run of await unfinishedRuns(db)) {
        if (stopping) return;
        try {
          await runOne(run);
        } catch (err) {
          log.error({ run: run.id, error: describeError(err) }, 'evaluation run failed');
          await failRun(db, { runId: run.id, now: now(), error: describeError(err) }).catch(() => {});
        }
      }
    } while (again && !stopping);
  }

  let draining = false;
  const wake = () => {
    if (stopping) return;
    if (draining) {
      again = true;
      return;
    }
    draining = true;
    pass = drain().finally(() => (draining = false));
  };
  wake();
  return {
    wake,
    async stop() {
      stopping = true;
      await pass;
    },
    async idle() {
      // A wake() during a pass sets `again`, which the pass itself honours before it settles.
      while (draining) await pass;
    },
  };
}
