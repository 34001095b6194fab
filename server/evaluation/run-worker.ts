// Runs queued evaluation runs in the background (this or any worker process), one record at a time, storing each prediction as it
// goes: progress is visible while a run works, and a run interrupted by a restart resumes where it was.
import { predictionsFor } from '../../eval/run.ts';
import type { Db } from '../db/client.ts';
import { claimRun, failRun, finishRun, pendingRecords, releaseRun, renewRunLease, runPredictions, storePrediction, type EvalRunRow } from '../db/queries/eval-runs.ts';
import { newWorkerId, type Lease } from '../db/queries/leases.ts';
import type { RunConfig } from '../db/schema/index.ts';
import { describeError } from '../errors.ts';
import { logger as defaultLogger } from '../logger.ts';
import type { Suggester } from '../notes/suggester.ts';
import { runMetrics } from './run-metrics.ts';

export interface RunWorker {
  /** Look for queued runs now. */
  wake(): void;
  /** Stops after the record in flight and releases the run's lease: it stays "running" and any worker resumes it. */
  stop(): Promise<void>;
  /** Resolves when no run is queued or running in this worker (tests, the CLI). */
  idle(): Promise<void>;
}

export interface RunWorkerOptions {
  now?: () => Date;
  logger?: Pick<typeof defaultLogger, 'info' | 'error'>;
  /** How long a claim on a run holds without renewal (default 60 s); renewed every third of it. */
  leaseMs?: number;
  workerId?: string;
  /** How often to look for runs queued by other processes (default 5 s). */
  pollMs?: number;
}

/**
 * Claims unfinished evaluation runs one at a time with a lease and runs their pending records. Several
 * workers (processes on PostgreSQL) share the runs: a run is worked by its lease holder only, and one
 * whose worker died is resumed by another once the lease expires (at the records it has no prediction for).
 */
export function startRunWorker(db: Db, suggester: Suggester, opts: RunWorkerOptions = {}): RunWorker {
  const log = opts.logger ?? defaultLogger;
  const now = opts.now ?? (() => new Date());
  const lease: Lease = { workerId: opts.workerId ?? newWorkerId(), leaseMs: opts.leaseMs ?? 60_000 };
  let stopping = false;
  let pass: Promise<void> = Promise.resolve();
  let again = false;

  async function runOne(run: EvalRunRow) {
    let lost = false;
    const renewer = setInterval(() => {
      renewRunLease(db, { ...lease, runId: run.id })
        .then((held) => (lost ||= !held))
        .catch((err) => log.error({ run: run.id, error: describeError(err) }, 'could not renew the lease of an evaluation run'));
    }, Math.max(10, Math.floor(lease.leaseMs / 3)));
    try {
      await runRecords(run, () => stopping || lost);
    } finally {
      clearInterval(renewer);
    }
    if (lost) log.info({ run: run.id }, 'evaluation run taken over by another worker');
  }

  async function runRecords(run: EvalRunRow, interrupted: () => boolean) {
    const observed = new Map<string, RunConfig['observed'][number]>();
    for (const rec of await pendingRecords(db, run)) {
      if (interrupted()) return;
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
    const done = await finishRun(db, { runId: run.id, workerId: lease.workerId, now: now(), metrics: runMetrics(rows), observed: [...new Map([...prior, ...observed]).values()] });
    if (done) log.info({ run: run.id, records: rows.length }, 'evaluation run done');
  }

  async function drain() {
    do {
      again = false;
      while (!stopping) {
        const run = await claimRun(db, { ...lease, now: now() });
        if (!run) break;
        try {
          await runOne(run);
        } catch (err) {
          log.error({ run: run.id, error: describeError(err) }, 'evaluation run failed');
          await failRun(db, { runId: run.id, workerId: lease.workerId, now: now(), error: describeError(err) }).catch(() => {});
        }
        // Stopped mid-run: hand the run back now rather than after the lease expires.
        if (stopping) await releaseRun(db, { runId: run.id, workerId: lease.workerId }).catch(() => {});
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
