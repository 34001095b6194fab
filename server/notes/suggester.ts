import type { NoteInput, Suggestion } from '../pipeline/types.ts';

/**
 * The coding engine as the notes API, the worker and the extract CLI see it: one note in, suggestions
 * and warnings out. The real one comes from server/pipeline/suggester.ts; tests hand in a small double.
 */
export interface Suggester {
  engineVersion: string;
  /** `engineVersion`: the version the note was coded with, when it may differ from note to note (a promoted model). */
  suggest(note: NoteInput): Promise<{ suggestions: Suggestion[]; warnings: string[]; engineVersion?: string }>;
}
