// Runs queued evaluation runs in the background (this or any worker process), one record at a time, storing each prediction as it
// goes: progress is visible while a run works, and a run interrupted by a restart resumes where it was.
import { withTimeout } from '../notes/worker.ts';
import { predictionsFor } from '../../eval/run.ts';
import type { Db } from '../db/client.ts';
import { claimRecord, failRun, finishRun, markRunning, renewRecordLease, runPredictions, storePrediction, unfinishedRuns, type EvalRunRow } from '../db/queries/eval-runs.ts';
import { newWorkerId, type Lease } from '../db/queries/leases.ts';
import type { RunConfig } from '../db/schema/index.ts';
import { describeError } from '../errors.ts';
import { logger as defaultLogger } from '../logger.ts';
import type { Suggester } from '../notes/suggester.ts';
import { runMetrics } from './run-metrics.ts';

export interface RunWorker {
  /** Look for queued runs now. */
  wake(): void;
  /** Stops after the record in flight; the run stays "running" and any worker resumes it. */
  stop(): Promise<void>;
  /** Resolves when no run is queued or running in this worker (tests, the CLI). */
  idle(): Promise<void>;
}

export interface RunWorkerOptions {
  now?: () => Date;
  logger?: Pick<typeof defaultLogger, 'info' | 'error'>;
  /** How long a claim on a record holds without renewal (default 60 s); renewed every third of it. */
  leaseMs?: number;
  workerId?: string;
  /** How often to look for runs queued by other processes (default 5 s). */
  pollMs?: number;
  /** Longest wait for the engine on one record (default 120 s, as the note worker): past it the record predicts nothing. */
  timeoutMs?: number;
}

/**
 * Works on unfinished evaluation runs, oldest first, record by record: each record is leased to one
 * worker (renewed while the engine runs), so several workers (processes on PostgreSQL) split one run,
 * and a dead worker's record is taken over once its lease expires. Whoever stores the last prediction
 * finishes the run (metrics over every record).
 */
export function startRunWorker(db: Db, suggester: Suggester, opts: RunWorkerOptions = {}): RunWorker {
  const log = opts.logger ?? defaultLogger;
  const now = opts.now ?? (() => new Date());
  const lease: Lease = { workerId: opts.workerId ?? newWorkerId(), leaseMs: opts.leaseMs ?? 60_000 };
  let stopping = false;
  let pass: Promise<void> = Promise.resolve();
  let again = false;

  async function workOn(run: EvalRunRow) {
    await markRunning(db, run.id, now());
    // The versions this worker saw; with several workers the finisher records its own and the earlier ones.
    const observed = new Map<string, RunConfig['observed'][number]>();
    for (let rec = await claimRecord(db, { ...lease, run }); rec; rec = stopping ? undefined : await claimRecord(db, { ...lease, run })) {
      const renewer = setInterval(() => {
        renewRecordLease(db, { ...lease, runId: run.id, recordId: rec!.id }).catch((err: unknown) => log.error({ run: run.id, error: describeError(err) }, 'could not renew a record lease'));
      }, Math.max(10, Math.floor(lease.leaseMs / 3)));
      try {
        await predictRecord(run, rec, observed);
      } finally {
        clearInterval(renewer);
      }
    }
    if (stopping) return;
    // Nothing left to take: done when every record has a prediction (other workers may still run theirs).
    const rows = await runPredictions(db, run);
    if (rows.some((r) => r.predicted === null)) return;
    const prior = run.config.observed.map((o) => [JSON.stringify(o), o] as const);
    const finished = await finishRun(db, { runId: run.id, now: now(), metrics: runMetrics(rows), observed: [...new Map([...prior, ...observed]).values()] });
    if (finished) log.info({ run: run.id, records: rows.length }, 'evaluation run done');
  }

  async function predictRecord(run: EvalRunRow, rec: NonNullable<Awaited<ReturnType<typeof claimRecord>>>, observed: Map<string, RunConfig['observed'][number]>) {
    const start = performance.now();
    let error: string | null = null;
    let predicted: { system: (typeof rec.gold)[number]['system']; code: string; confidence: number }[] = [];
    try {
      const { suggestions } = await withTimeout(suggester.suggest({ text: rec.text, encounter: rec.encounter }), opts.timeoutMs ?? 120_000);
      for (const s of suggestions) observed.set(JSON.stringify(s.versions), s.versions);
      const { D, P } = predictionsFor({ id: rec.recordKey, text: rec.text, encounter: rec.encounter, gold: rec.gold }, suggestions);
      predicted = [...D, ...P].map(({ system, code, confidence }) => ({ system, code, confidence }));
    } catch (err) {
      // The message only, never the note text; the record is scored as predicting nothing.
      error = describeError(err);
    }
    await storePrediction(db, { runId: run.id, recordId: rec.id, predicted, error, ms: performance.now() - start });
  }

  async function drain() {
    do {
      again = false;
      for (const run of await unfinishedRuns(db)) {
        if (stopping) return;
        try {
          await workOn(run);
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
  const poller = setInterval(wake, opts.pollMs ?? 5_000);
  return {
    wake,
    async stop() {
      stopping = true;
      clearInterval(poller);
      await pass.catch(() => {});
    },
    async idle() {
      // A wake() during a pass sets `again`, which the pass itself honours before it settles.
      while (draining) await pass;
    },
  };
}
