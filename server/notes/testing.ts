// Test support: a deterministic stand-in for the coding engine (the engine is not what these tests test).
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { NoteInput, Suggestion } from '../pipeline/types.ts';
import type { Suggester } from './suggester.ts';

/**
 * "hypertension" in the text → one I10 suggestion with its span; "FAIL" → throws; otherwise nothing.
 * `engineVersion` may be changed between runs to tell one run's suggestions from another's; `delayMs`
 * keeps a note in "processing" for a while.
 */
export function fakeSuggester(opts: { engineVersion?: string; delayMs?: number } = {}): Suggester & { calls: number } {
  return {
    engineVersion: opts.engineVersion ?? 'test-1',
    calls: 0,
    async suggest(note: NoteInput) {
      this.calls++;
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      if (note.text.includes('FAIL')) throw new Error('engine exploded');
      const at = note.text.indexOf('hypertension');
      const suggestions: Suggestion[] =
        at < 0
          ? []
          : [
              {
                system: 'ICD10CM',
                code: 'I10',
                description: 'Essential (primary) hypertension',
                evidence: [{ start: at, end: at + 'hypertension'.length, quote: 'hypertension' }],
                context: { negated: false, uncertain: false, historical: false, family: false, hypothetical: false },
                confidence: 0.9,
                kind: 'final',
                rationale: { matched: 'Hypertension', matchKind: 'index', rules: [], reminders: [] },
                source: 'offline',
                versions: { engine: this.engineVersion, prompt: null, model: null, embedder: null },
              },
            ];
      return { suggestions, warnings: at < 0 ? ['no codable finding'] : [] };
    },
  };
}

/**
 * The fake suggester for a process a test starts (`npm start`, `medcode worker`), chosen with
 * MEDCODE_TEST_SUGGESTER=fake and honoured only under NODE_ENV=test: the real engine needs the full
 * code-set database and is too slow for the hundreds of notes a multi-process test codes.
 * MEDCODE_TEST_SUGGESTER_DELAY_MS sets its run time; with MEDCODE_TEST_RUN_LOG every run appends a
 * "start" and an "end" line ({run, pid, key, event, at}; key = sha256 of the text, never the text) so
 * the test can count runs per note and check that no two overlapped, even across a killed process.
 */
export function testSuggesterFromEnv(env: NodeJS.ProcessEnv = process.env): Suggester | undefined {
  if (env.NODE_ENV !== 'test' || env.MEDCODE_TEST_SUGGESTER !== 'fake') return undefined;
  const fake = fakeSuggester({ delayMs: Number(env.MEDCODE_TEST_SUGGESTER_DELAY_MS ?? 0) });
  const runLog = env.MEDCODE_TEST_RUN_LOG;
  if (!runLog) return fake;
  const record = (run: string, key: string, event: 'start' | 'end') =>
    fs.appendFileSync(runLog, `${JSON.stringify({ run, pid: process.pid, key, event, at: Date.now() })}\n`);
  return {
    engineVersion: fake.engineVersion,
    async suggest(note) {
      const run = randomUUID();
      const key = runLogKey(note.text);
      record(run, key, 'start');
      const result = await fake.suggest(note);
      record(run, key, 'end');
      return result;
    },
  };
}

/** How the run log names a note: a hash of its text. */
export const runLogKey = (text: string) => createHash('sha256').update(text).digest('hex');
