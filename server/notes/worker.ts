import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { claimNextNote, markNoteFailed, renewNoteLeases, requeueProcessing, storeSuggestions, type ClaimedNote } from '../db/queries/notes.ts';
import { newWorkerId, type Lease } from '../db/queries/leases.ts';
import { describeError } from '../errors.ts';
import { logger as defaultLogger } from '../logger.ts';
import { SuggestionSchema } from '../pipeline/types.ts';
import type { Suggester } from './suggester.ts';

export interface WorkerOptions {
  /** Notes processed at once (default 1: the offline engine is CPU-bound in this process). */
  concurrency?: number;
  /** How often an idle worker looks for queued notes it was not woken for (default 1 s). */
  pollMs?: number;
  /** A run that takes longer fails with a timeout reason (default 120 s). */
  timeoutMs?: number;
  /** How long stop() waits for runs in flight (default 10 s); a note still running then goes back to the queue. */
  stopGraceMs?: number;
  /** How long a claim holds without renewal (default 60 s); renewed every third of it while the run goes on. */
  leaseMs?: number;
  /** This worker's name in `locked_by` (default host:pid:random). */
  workerId?: string;
  /** No other process can reach the database (the embedded one): notes left "processing" resume at once, live lease or not. */
  soleProcess?: boolean;
  logger?: Pick<typeof defaultLogger, 'info' | 'warn' | 'error'>;
}

export interface NoteWorker {
  /** Look for queued notes now (after an insert or a re-run request) instead of at the next poll. */
  wake(): void;
  /** Stops claiming notes, waits (up to stopGraceMs) for runs in flight, then releases the leases still held. */
  stop(): Promise<void>;
  readonly workerId: string;
}

const EngineResultSchema = z.object({ suggestions: z.array(SuggestionSchema), warnings: z.array(z.string()), engineVersion: z.string().optional() });

/**
 * Starts a worker: first re-queues notes whose lease expired (their worker died mid-run; live leases of
 * other processes are left alone), then runs `concurrency` loops that each claim the oldest claimable
 * note with a lease, run the suggester and store the result ("suggested" with its suggestions, or
 * "failed" with a reason). Several workers (in one or many processes, on PostgreSQL) share one queue:
 * a note is run by one lease holder at a time, and only the holder's result is stored.
 */
export async function startNoteWorker(db: Db, suggester: Suggester, opts: WorkerOptions = {}): Promise<NoteWorker> {
  const log = opts.logger ?? defaultLogger;
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? 1));
  const pollMs = opts.pollMs ?? 1_000;
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const lease: Lease = { workerId: opts.workerId ?? newWorkerId(), leaseMs: opts.leaseMs ?? 60_000 };
  const resumed = await requeueProcessing(db, { all: opts.soleProcess === true });
  if (resumed > 0) log.info({ notes: resumed }, 'resuming notes whose worker stopped mid-run');

  // Renews the leases of the runs in flight (a lease this worker lost — it stalled past expiry — shows as a
  // shortfall), and sweeps notes whose holder stopped renewing back into the queue for any worker to take.
  const running = new Set<string>();
  const renewer = setInterval(() => {
    const ids = [...running];
    renewNoteLeases(db, { ...lease, ids })
      .then((n) => n < ids.length && log.warn({ lost: ids.length - n }, 'note leases lost; another worker runs those notes'))
      .catch((err) => log.error({ error: describeError(err) }, 'could not renew note leases'));
    requeueProcessing(db)
      .then((n) => n > 0 && (log.info({ notes: n }, 're-queued notes whose worker stopped renewing its lease'), wake()))
      .catch((err) => log.error({ error: describeError(err) }, 'could not sweep expired note leases'));
  }, Math.max(10, Math.floor(lease.leaseMs / 3)));

  let stopping = false;
  const sleepers = new Set<() => void>();
  const wake = () => {
    for (const w of sleepers) w();
    sleepers.clear();
  };
  const sleep = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, pollMs);
      sleepers.add(done);
    });

  const loop = async () => {
    while (!stopping) {
      let note: ClaimedNote | undefined;
      try {
        note = await claimNextNote(db, lease);
      } catch (err) {
        log.error({ error: describeError(err) }, 'note worker could not claim a note');
      }
      if (!note) {
        await sleep();
        continue;
      }
      running.add(note.id);
      try {
        await processNote(db, suggester, note, lease.workerId, timeoutMs, log);
      } finally {
        running.delete(note.id);
      }
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  log.info({ concurrency, workerId: lease.workerId, leaseMs: lease.leaseMs, engineVersion: suggester.engineVersion }, 'note worker started');

  return {
    wake,
    workerId: lease.workerId,
    async stop() {
      stopping = true;
      wake();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), opts.stopGraceMs ?? 10_000)));
      const outcome = await Promise.race([Promise.all(loops), grace]);
      clearTimeout(timer);
      clearInterval(renewer);
      if (outcome === 'timeout') {
        // Back to the queue now rather than after the lease expires; the bumped version drops the abandoned runs' results.
        const released = await requeueProcessing(db, { workerId: lease.workerId }).catch(() => 0);
        log.warn({ released }, 'note worker stopped with runs in flight; their notes are queued again');
      }
    },
  };
}

/** One run: the note's text never reaches the log (PHI); the failure reason is stored on the note. */
async function processNote(db: Db, suggester: Suggester, note: ClaimedNote, workerId: string, timeoutMs: number, log: NonNullable<WorkerOptions['logger']>) {
  const t0 = performance.now();
  let outcome: { ok: true; result: z.infer<typeof EngineResultSchema> } | { ok: false; reason: string; errorName: string };
  try {
    const raw = await withTimeout(suggester.suggest({ text: note.text, encounter: note.encounter }), timeoutMs);
    const parsed = EngineResultSchema.safeParse(raw);
    outcome = parsed.success
      ? { ok: true, result: parsed.data }
      : { ok: false, errorName: 'InvalidEngineResult', reason: `the engine returned an invalid result: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ').slice(0, 300)}` };
  } catch (err) {
    outcome = { ok: false, errorName: (err as Error)?.name ?? 'Error', reason: err instanceof TimeoutError ? err.message : describeError(err) };
  }
  const ms = Math.round(performance.now() - t0);
  try {
    if (outcome.ok) {
      const stored = await storeSuggestions(db, { id: note.id, version: note.version, workerId, engineVersion: outcome.result.engineVersion ?? suggester.engineVersion, suggestions: outcome.result.suggestions, warnings: outcome.result.warnings });
      if (stored) log.info({ noteId: note.id, suggestions: outcome.result.suggestions.length, warnings: outcome.result.warnings.length, ms }, 'note suggested');
      else log.info({ noteId: note.id }, 'note changed or was taken over during its run; result dropped');
    } else {
      const stored = await markNoteFailed(db, { id: note.id, version: note.version, workerId, reason: outcome.reason });
      // The error name only: an engine's message may quote the note.
      log.warn({ noteId: note.id, errorName: outcome.errorName, ms, stored }, 'note failed');
    }
  } catch (err) {
    log.error({ noteId: note.id, error: describeError(err) }, 'could not store the result of a note');
  }
}

export class TimeoutError extends Error {}

/** `p`, or a TimeoutError after `ms`: an engine call that hangs must not hold its lease (renewed) forever. */
export async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new TimeoutError(`the engine did not answer within ${ms} ms`)), ms)));
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
