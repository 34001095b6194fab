import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { claimNextNote, markNoteFailed, requeueProcessing, storeSuggestions, type ClaimedNote } from '../db/queries/notes.ts';
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
  /** How long stop() waits for runs in flight (default 10 s); a note still running stays "processing" and is resumed at the next start. */
  stopGraceMs?: number;
  logger?: Pick<typeof defaultLogger, 'info' | 'warn' | 'error'>;
}

export interface NoteWorker {
  /** Look for queued notes now (after an insert or a re-run request) instead of at the next poll. */
  wake(): void;
  /** Stops claiming notes and waits (up to stopGraceMs) for runs in flight. */
  stop(): Promise<void>;
}

const EngineResultSchema = z.object({ suggestions: z.array(SuggestionSchema), warnings: z.array(z.string()) });

/**
 * Starts the background worker: first re-queues notes a previous process left in "processing" (it
 * stopped mid-run), then runs `concurrency` loops that each claim the oldest queued note, run the
 * suggester and store the result ("suggested" with its suggestions, or "failed" with a reason).
 * Assumes one worker process per database: the start-up re-queue would also take over notes another
 * live process is running (whose result is then dropped by the version check, not duplicated).
 */
export async function startNoteWorker(db: Db, suggester: Suggester, opts: WorkerOptions = {}): Promise<NoteWorker> {
  const log = opts.logger ?? defaultLogger;
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? 1));
  const pollMs = opts.pollMs ?? 1_000;
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const resumed = await requeueProcessing(db);
  if (resumed > 0) log.info({ notes: resumed }, 'resuming notes left in processing');

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
        note = await claimNextNote(db);
      } catch (err) {
        log.error({ error: describeError(err) }, 'note worker could not claim a note');
      }
      if (!note) {
        await sleep();
        continue;
      }
      await processNote(db, suggester, note, timeoutMs, log);
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  log.info({ concurrency, engineVersion: suggester.engineVersion }, 'note worker started');

  return {
    wake,
    async stop() {
      stopping = true;
      wake();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), opts.stopGraceMs ?? 10_000)));
      const outcome = await Promise.race([Promise.all(loops), grace]);
      clearTimeout(timer);
      if (outcome === 'timeout') log.warn({}, 'note worker stopped with runs in flight; they resume at the next start');
    },
  };
}

/** One run: the note's text never reaches the log (PHI); the failure reason is stored on the note. */
async function processNote(db: Db, suggester: Suggester, note: ClaimedNote, timeoutMs: number, log: NonNullable<WorkerOptions['logger']>) {
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
      const stored = await storeSuggestions(db, { id: note.id, version: note.version, engineVersion: suggester.engineVersion, suggestions: outcome.result.suggestions, warnings: outcome.result.warnings });
      if (stored) log.info({ noteId: note.id, suggestions: outcome.result.suggestions.length, warnings: outcome.result.warnings.length, ms }, 'note suggested');
      else log.info({ noteId: note.id }, 'note changed during its run; result dropped');
    } else {
      const stored = await markNoteFailed(db, { id: note.id, version: note.version, reason: outcome.reason });
      // The error name only: an engine's message may quote the note.
      log.warn({ noteId: note.id, errorName: outcome.errorName, ms, stored }, 'note failed');
    }
  } catch (err) {
    log.error({ noteId: note.id, error: describeError(err) }, 'could not store the result of a note');
  }
}

class TimeoutError extends Error {}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new TimeoutError(`the engine did not answer within ${ms} ms`)), ms)));
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
