// Test support: a deterministic stand-in for the coding engine (the engine is not what these tests test).
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
